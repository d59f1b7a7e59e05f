// Executors for the FEAT_CSSC rows of rows/cssc.ts, on the int32 lo/hi register pairs (no BigInt):
//   ABS    absolute value; the most negative value is its own absolute value (the result is taken modulo
//          2^datasize, Arm ARM ABS: "Abs(operand)" truncated to datasize)
//   CNT    population count
//   CTZ    count trailing zeros (datasize for zero)
//   SMAX/SMIN/UMAX/UMIN   signed/unsigned maximum/minimum of Rn and Rm, or of Rn and the 8-bit immediate
//          (sign-extended for SMAX/SMIN, zero-extended for UMAX/UMIN)
// None of them touches NZCV. The 32-bit forms zero the upper half of Xd. Only the 'max' model advertises
// FEAT_CSSC (cpu/models.ts); on the others the decode cache installs UNDEF for these rows.
import { zr, zrw } from '../../cpu/regs';
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import type { Exec } from './types';

/** Bits set in a 32-bit value. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Trailing zeros of a 32-bit value (32 for zero). */
export const ctz32 = (v: number): number => (v === 0 ? 32 : 31 - Math.clz32(v & -v));

function unary(f: Fields, op32: (v: number) => number, op64: (r: Int32Array, n: number, d: number) => void): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  if (!f.sf) {
    return (c) => {
      const r = c.r;
      r[d] = op32(r[n]);
      r[d + 1] = 0;
    };
  }
  return (c) => op64(c.r, n, d);
}

const abs64 = (r: Int32Array, n: number, d: number): void => {
  const lo = r[n];
  const hi = r[n + 1];
  if (hi >= 0) {
    r[d] = lo;
    r[d + 1] = hi;
  } else {
    // two's complement negation of the pair: -(hi:lo) = ~hi + carry : -lo, carry when lo = 0
    r[d] = -lo | 0;
    r[d + 1] = (~hi + (lo === 0 ? 1 : 0)) | 0;
  }
};

const cnt64 = (r: Int32Array, n: number, d: number): void => {
  r[d] = popcount32(r[n]) + popcount32(r[n + 1]);
  r[d + 1] = 0;
};

const ctz64 = (r: Int32Array, n: number, d: number): void => {
  const lo = r[n];
  r[d] = lo !== 0 ? ctz32(lo) : 32 + ctz32(r[n + 1]);
  r[d + 1] = 0;
};

/** a > b for 64-bit pairs, signed or unsigned (the low halves always compare unsigned). */
function greater64(aLo: number, aHi: number, bLo: number, bHi: number, signed: boolean): boolean {
  if (aHi !== bHi) return signed ? aHi > bHi : aHi >>> 0 > bHi >>> 0;
  return aLo >>> 0 > bLo >>> 0;
}

/**
 * SMAX/SMIN/UMAX/UMIN: `imm` undefined for the register forms; otherwise the immediate's value (already
 * sign- or zero-extended).
 */
function minMax(f: Fields, signed: boolean, max: boolean, imm?: number): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = imm === undefined ? 2 * zr(f.Rm) : -1;
  if (!f.sf) {
    const imm32 = (imm ?? 0) | 0;
    return (c) => {
      const r = c.r;
      const a = r[n];
      const b = m >= 0 ? r[m] : imm32;
      const aGreater = signed ? a > b : a >>> 0 > b >>> 0;
      r[d] = aGreater === max ? a : b;
      r[d + 1] = 0;
    };
  }
  const immLo = (imm ?? 0) | 0;
  const immHi = (imm ?? 0) < 0 ? -1 : 0;
  return (c) => {
    const r = c.r;
    const aLo = r[n];
    const aHi = r[n + 1];
    const bLo = m >= 0 ? r[m] : immLo;
    const bHi = m >= 0 ? r[m + 1] : immHi;
    if (greater64(aLo, aHi, bLo, bHi, signed) === max) {
      r[d] = aLo;
      r[d + 1] = aHi;
    } else {
      r[d] = bLo;
      r[d + 1] = bHi;
    }
  };
}

export const CSSC_EXEC = {
  CTZ: (f: Fields) => unary(f, ctz32, ctz64),
  CNT: (f: Fields) => unary(f, popcount32, cnt64),
  ABS: (f: Fields) => unary(f, (v) => (v < 0 ? -v | 0 : v), abs64),
  SMAX_reg: (f: Fields) => minMax(f, true, true),
  UMAX_reg: (f: Fields) => minMax(f, false, true),
  SMIN_reg: (f: Fields) => minMax(f, true, false),
  UMIN_reg: (f: Fields) => minMax(f, false, false),
  SMAX_imm: (f: Fields) => minMax(f, true, true, sext(f.imm8, 8)),
  UMAX_imm: (f: Fields) => minMax(f, false, true, f.imm8),
  SMIN_imm: (f: Fields) => minMax(f, true, false, sext(f.imm8, 8)),
  UMIN_imm: (f: Fields) => minMax(f, false, false, f.imm8),
};
