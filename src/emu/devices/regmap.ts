// Device registers as data. A device lists its registers (offset, width, access, reset value, write-1-to-
// clear bits, bits that exist but are not modelled, and behaviour hooks); RegisterMap does the rest: offset
// lookup, sub-word accesses, guest-error reports for accesses to holes, read-only or write-only registers,
// tracing, side-effect-free peeks for panels, and snapshots. Device files then hold behaviour only.
import type { MmioDevice } from './mmio';

export type Access = 'rw' | 'ro' | 'wo';

export interface RegDef {
  readonly name: string;
  readonly offset: number;
  /** Bytes; 4 unless said otherwise. */
  readonly width?: 1 | 2 | 4;
  readonly access: Access;
  readonly reset?: number;
  /** Bits that the guest clears by writing 1 (the rest of the write is ignored for them). */
  readonly w1c?: number;
  /** Bits that are architecturally defined but whose effect we do not model (documented, never an error). */
  readonly unmodelled?: number;
  /** Reads with side effects (read-to-clear, FIFO pop). Defaults to the stored value. */
  readonly read?: () => number;
  /** The value without side effects; defaults to the stored value. */
  readonly peek?: () => number;
  /** Behaviour on write; gets the new value (after w1c processing) and the previous stored value. */
  readonly write?: (value: number, old: number) => void;
}

export interface RegTraceEvent {
  readonly device: string;
  readonly reg: string;
  readonly write: boolean;
  readonly value: number;
}

export class RegisterMap implements MmioDevice {
  private readonly byOffset = new Map<number, { def: RegDef; index: number }>();
  /** Stored values, one per register, in definition order. */
  readonly values: Uint32Array;
  /** Optional tracer (debugger "log device accesses"). */
  trace?: (e: RegTraceEvent) => void;

  constructor(
    readonly name: string,
    readonly regs: readonly RegDef[],
    private readonly guestError: (message: string) => void,
  ) {
    this.values = new Uint32Array(regs.length);
    regs.forEach((def, index) => {
      const w = def.width ?? 4;
      for (let b = 0; b < w; b++) {
        if (this.byOffset.has(def.offset + b)) throw new Error(`${name}: register ${def.name} overlaps another`);
      }
      this.byOffset.set(def.offset, { def, index });
    });
    this.reset();
  }

  reset(): void {
    this.regs.forEach((d, i) => (this.values[i] = (d.reset ?? 0) >>> 0));
  }

  /** Stored value of a register by name (for device logic). */
  get(name: string): number {
    const i = this.regs.findIndex((d) => d.name === name);
    if (i < 0) throw new Error(`${this.name}: no register ${name}`);
    return this.values[i];
  }

  set(name: string, v: number): void {
    const i = this.regs.findIndex((d) => d.name === name);
    if (i < 0) throw new Error(`${this.name}: no register ${name}`);
    this.values[i] = v >>> 0;
  }

  /** Finds the register containing `offset`; returns it with the byte position inside it. */
  private locate(offset: number, size: number): { def: RegDef; index: number; shift: number } | undefined {
    const aligned = offset & ~3;
    for (const base of [offset, aligned, offset & ~1]) {
      const e = this.byOffset.get(base);
      if (e && offset + size <= base + (e.def.width ?? 4)) return { ...e, shift: (offset - base) * 8 };
    }
    return undefined;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const e = this.locate(offset, size);
    if (!e) {
      this.guestError(`${this.name}: read of ${size} bytes at unimplemented offset 0x${offset.toString(16)}`);
      return 0;
    }
    const { def, index, shift } = e;
    if (def.access === 'wo') {
      this.guestError(`${this.name}: read of write-only register ${def.name}`);
      return 0;
    }
    const v = def.read ? def.read() >>> 0 : this.values[index];
    this.trace?.({ device: this.name, reg: def.name, write: false, value: v });
    return size === 4 ? v : (v >>> shift) & (size === 2 ? 0xffff : 0xff);
  }

  peek(offset: number, size: 1 | 2 | 4): number {
    const e = this.locate(offset, size);
    if (!e) return 0;
    const { def, index, shift } = e;
    const v = (def.peek ? def.peek() : this.values[index]) >>> 0;
    return size === 4 ? v : (v >>> shift) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const e = this.locate(offset, size);
    if (!e) {
      this.guestError(`${this.name}: write of ${size} bytes (0x${value.toString(16)}) at unimplemented offset 0x${offset.toString(16)}`);
      return;
    }
    const { def, index, shift } = e;
    if (def.access === 'ro') {
      this.guestError(`${this.name}: write of 0x${value.toString(16)} to read-only register ${def.name} ignored`);
      return;
    }
    const old = this.values[index];
    let v = value >>> 0;
    if (size !== (def.width ?? 4)) {
      const mask = (size === 2 ? 0xffff : 0xff) << shift;
      v = ((old & ~mask) | ((v << shift) & mask)) >>> 0;
    }
    if (def.w1c) v = ((old & ~(v & def.w1c)) & def.w1c) | (v & ~def.w1c);
    this.values[index] = v >>> 0;
    this.trace?.({ device: this.name, reg: def.name, write: true, value: v >>> 0 });
    def.write?.(v >>> 0, old);
  }

  /** Every register's side-effect-free value, by name: what panels and snapshots use. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    this.regs.forEach((d) => (out[d.name] = this.peek(d.offset, d.width ?? 4)));
    return out;
  }
}
