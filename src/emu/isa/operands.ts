// Operand formatters shared by the rows of the encoding table (rows may add their own in `ops`). They
// reproduce GNU objdump's spelling so that our disassembly can be compared with it word for word.
import type { Fields } from './pattern';
import type { DisasmContext, OperandFn } from './rowTypes';

export function xreg(n: number, sp: boolean): string {
  return n === 31 ? (sp ? 'sp' : 'xzr') : `x${n}`;
}

export function wreg(n: number, sp: boolean): string {
  return n === 31 ? (sp ? 'wsp' : 'wzr') : `w${n}`;
}

export function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

/** objdump's branch-target operand: bare hex address, then <symbol+off> when known. */
export function target(ctx: DisasmContext, addr: bigint): string {
  const a = BigInt.asUintN(64, addr);
  const sym = ctx.symbolize?.(a);
  return sym ? `${a.toString(16)} <${sym}>` : a.toString(16);
}

export const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

/** Operand functions available to every row as {@name}. */
export const SHARED_OPS: Record<string, OperandFn> = {
  cond: (f: Fields) => CONDITIONS[f.cond],
};
