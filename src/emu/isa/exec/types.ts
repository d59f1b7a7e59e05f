// Types shared by the instruction executors. A Handler is called once per decoded instruction with the
// fields of its encoding and returns an Exec: a closure specialised for that instruction (register indices
// resolved, immediates decoded) that the run loop calls each time the instruction executes.
import type { Cpu } from '../../cpu/cpu';
import type { Fields } from '../pattern';

export type Exec = (c: Cpu) => void;

/** Where the instruction sits: its byte offset within its 4 KiB page (the page VA is Cpu.pageVaLo/Hi). */
export interface At {
  readonly off: number;
}

export type Handler = (f: Fields, at: At) => Exec;

/** Low word of the executing instruction's address. The page base is 4 KiB aligned: no carry into hi. */
export function pcLo(c: Cpu, at: At): number {
  return (c.pageVaLo + at.off) | 0;
}
