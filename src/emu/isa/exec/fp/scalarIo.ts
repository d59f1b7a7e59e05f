// Register access shared by the scalar floating-point executors (fpScalar.ts, fpSimdScalar.ts): the operand
// format from the row's fields, the V register's block index, the FP state set up for one instruction
// (FPCR in, flags cleared) and the scalar result written back with the upper bits of Vd cleared and the
// exception flags accumulated into FPSR.
import type { Cpu } from '../../../cpu/cpu';
import { I_FPCR, I_FPSR, I_VREG } from '../../../cpu/regs';
import type { Fields } from '../../pattern';
import { type Fmt, D, H, S } from './format';
import { fpst } from './state';

/** Half when the row has no sz field, else single (sz 0) or double (sz 1). */
export const fmtOf = (f: Fields): Fmt => (f.sz === undefined ? H : f.sz ? D : S);
export const vreg = (n: number): number => I_VREG + 4 * n;
/** Mask of the operand bits in word 0. */
export const lowMask = (fmt: Fmt): number => (fmt.N === 16 ? 0xffff : -1);

export function begin(c: Cpu): Int32Array {
  fpst.fpcr = c.r[I_FPCR];
  fpst.flags = 0;
  return c.r;
}

/** Writes a scalar result (lo, fpst.hi) of `fmt` to V[d], zeroing the rest, and the flags to FPSR. */
export function put(r: Int32Array, d: number, fmt: Fmt, lo: number): void {
  r[d] = fmt.N === 16 ? lo & 0xffff : lo;
  r[d + 1] = fmt.N === 64 ? fpst.hi : 0;
  r[d + 2] = 0;
  r[d + 3] = 0;
  r[I_FPSR] |= fpst.flags;
}
