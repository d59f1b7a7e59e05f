// Operand formatters shared by the Advanced SIMD and crypto rows (rows/simd*.ts, rows/crypto.ts), in GNU
// objdump's spelling: vector registers with their arrangement ('v3.4s'), scalar SIMD registers ('s3', 'd3'),
// lanes ('v3.s[1]'), and the size/Q arrangement rules of the Arm ARM.
import type { Fields } from '../pattern';
import type { OperandFn } from '../rowTypes';

/** Arrangement by size:Q. */
export const ARR = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
export const arr = (size: number, q: number): string => ARR[2 * size + q];
/** Scalar register letter by size. */
export const SREG = 'bhsdq';
export const vreg = (n: number, t: string): string => `v${n}.${t}`;

/** {@vd} {@vn} {@vm}: the three registers with the size:Q arrangement. */
export const SAME_OPS: Record<string, OperandFn> = {
  vd: (f: Fields) => vreg(f.Rd, arr(f.size, f.Q)),
  vn: (f: Fields) => vreg(f.Rn, arr(f.size, f.Q)),
  vm: (f: Fields) => vreg(f.Rm, arr(f.size, f.Q)),
  /** Byte arrangements (bitwise operations): 8b or 16b by Q. */
  bd: (f: Fields) => vreg(f.Rd, f.Q ? '16b' : '8b'),
  bn: (f: Fields) => vreg(f.Rn, f.Q ? '16b' : '8b'),
  bm: (f: Fields) => vreg(f.Rm, f.Q ? '16b' : '8b'),
  /** Scalar registers by size. */
  sd: (f: Fields) => `${SREG[f.size]}${f.Rd}`,
  sn: (f: Fields) => `${SREG[f.size]}${f.Rn}`,
  sm: (f: Fields) => `${SREG[f.size]}${f.Rm}`,
  /** The '2' suffix of the high-half forms. */
  two: (f: Fields) => (f.Q ? '2' : ''),
  /** Widening (long) forms: the wide arrangement (size + 1, Q = 1) and the narrow one (size, Q). */
  wd: (f: Fields) => vreg(f.Rd, arr(f.size + 1, 1)),
  wn: (f: Fields) => vreg(f.Rn, arr(f.size + 1, 1)),
  wm: (f: Fields) => vreg(f.Rm, arr(f.size + 1, 1)),
  nd: (f: Fields) => vreg(f.Rd, arr(f.size, f.Q)),
  nn: (f: Fields) => vreg(f.Rn, arr(f.size, f.Q)),
  nm: (f: Fields) => vreg(f.Rm, arr(f.size, f.Q)),
  /** Scalar widening: destination one size up. */
  swd: (f: Fields) => `${SREG[f.size + 1]}${f.Rd}`,
  swn: (f: Fields) => `${SREG[f.size + 1]}${f.Rn}`,
};
