// IEEE 754 binary16/32/64 as the Arm ARM's FPUnpack sees them: a value's class (zero, denormal, normal,
// infinity, quiet or signalling NaN), sign and real value (as a JS double, exact for all three formats),
// with the FPCR's flush-to-zero of denormal inputs (FZ for single/double, raising IDC; FZ16 for half,
// raising nothing). The alternative half-precision format (FPCR.AHP) only applies to conversions, so
// arithmetic unpacks with AHP = 0 (Arm ARM FPUnpack). Also the NaN rules: quieting, the default NaN and
// FPProcessNaN/FPProcessNaNs/FPProcessNaNs3 (Arm ARM shared/functions/float).
import { FPCR_AHP, FPCR_DN, FPCR_FZ, FPCR_FZ16, IDC, IOC, fpst } from './state';

export interface Fmt {
  /** Width in bits. */
  readonly N: 16 | 32 | 64;
  /** Exponent and fraction bits. */
  readonly E: number;
  readonly F: number;
  /** Exponent of the smallest normal. */
  readonly minExp: number;
}

export const H: Fmt = { N: 16, E: 5, F: 10, minExp: -14 };
export const S: Fmt = { N: 32, E: 8, F: 23, minExp: -126 };
export const D: Fmt = { N: 64, E: 11, F: 52, minExp: -1022 };

export const ZERO = 0;
export const DENORM = 1;
export const NORMAL = 2;
export const INF = 3;
export const QNAN = 4;
export const SNAN = 5;

/** An unpacked operand; the three module-level records below are reused (no allocation per operation). */
export interface Unpacked {
  type: number;
  /** 1 for negative. */
  sign: number;
  /** The value with its sign (0 for zeros, ±Infinity for infinities, 0 for NaNs). */
  value: number;
  lo: number;
  hi: number;
}

const mk = (): Unpacked => ({ type: 0, sign: 0, value: 0, lo: 0, hi: 0 });
export const U1 = mk();
export const U2 = mk();
export const U3 = mk();

const f64 = new Float64Array(1);
const f32 = new Float32Array(f64.buffer);
const i32 = new Int32Array(f64.buffer);

/**
 * FPUnpack of (lo, hi) in `fmt` into `u`. `ahp`: half precision in the alternative format (conversions
 * only); `fz16`: whether FZ16 flushes half inputs (FPUnpackCV clears it).
 */
export function unpack(fmt: Fmt, lo: number, hi: number, u: Unpacked, ahp = false, fz16 = true): Unpacked {
  u.lo = lo;
  u.hi = hi;
  const fpcr = fpst.fpcr;
  if (fmt.N === 64) {
    const exp = (hi >>> 20) & 0x7ff;
    u.sign = hi >>> 31;
    if (exp === 0) {
      if ((hi & 0xfffff) === 0 && lo === 0) u.type = ZERO;
      else if (fpcr & FPCR_FZ) {
        u.type = ZERO;
        fpst.flags |= IDC;
      } else u.type = DENORM;
    } else if (exp === 0x7ff) {
      if ((hi & 0xfffff) === 0 && lo === 0) u.type = INF;
      else u.type = hi & 0x80000 ? QNAN : SNAN;
    } else u.type = NORMAL;
    if (u.type === DENORM || u.type === NORMAL) {
      i32[0] = lo;
      i32[1] = hi;
      u.value = f64[0];
    } else u.value = u.type === INF ? (u.sign ? -Infinity : Infinity) : 0;
    return u;
  }
  if (fmt.N === 32) {
    const exp = (lo >>> 23) & 0xff;
    u.sign = lo >>> 31;
    if (exp === 0) {
      if ((lo & 0x7fffff) === 0) u.type = ZERO;
      else if (fpcr & FPCR_FZ) {
        u.type = ZERO;
        fpst.flags |= IDC;
      } else u.type = DENORM;
    } else if (exp === 0xff) {
      if ((lo & 0x7fffff) === 0) u.type = INF;
      else u.type = lo & 0x400000 ? QNAN : SNAN;
    } else u.type = NORMAL;
    if (u.type === DENORM || u.type === NORMAL) {
      i32[0] = lo;
      u.value = f32[0];
    } else u.value = u.type === INF ? (u.sign ? -Infinity : Infinity) : 0;
    return u;
  }
  const exp = (lo >>> 10) & 0x1f;
  const frac = lo & 0x3ff;
  u.sign = (lo >>> 15) & 1;
  if (exp === 0) {
    // FZ16 flushes without IDC (Arm ARM FPUnpackBase)
    u.type = frac === 0 || (fz16 && fpcr & FPCR_FZ16) ? ZERO : DENORM;
  } else if (exp === 0x1f && !ahp) {
    u.type = frac === 0 ? INF : frac & 0x200 ? QNAN : SNAN;
  } else u.type = NORMAL;
  if (u.type === DENORM) u.value = frac * 2 ** -24;
  else if (u.type === NORMAL) u.value = (1024 + frac) * 2 ** (exp - 25);
  else u.value = u.type === INF ? Infinity : 0;
  if (u.sign) u.value = -u.value;
  return u;
}

/** Whether a NaN type. */
export const isNaNType = (t: number): boolean => t >= QNAN;

/** The default NaN (low word; high word in fpst.hi). */
export function defaultNaN(fmt: Fmt): number {
  if (fmt.N === 64) {
    fpst.hi = 0x7ff80000;
    return 0;
  }
  fpst.hi = 0;
  return fmt.N === 32 ? 0x7fc00000 : 0x7e00;
}

/** FPProcessNaN: the NaN quietened (IOC for a signalling one), or the default NaN under FPCR.DN. */
export function processNaN(fmt: Fmt, u: Unpacked): number {
  if (u.type === SNAN) fpst.flags |= IOC;
  if (fpst.fpcr & FPCR_DN) return defaultNaN(fmt);
  if (fmt.N === 64) {
    fpst.hi = u.hi | 0x80000;
    return u.lo;
  }
  fpst.hi = 0;
  return fmt.N === 32 ? u.lo | 0x400000 : u.lo | 0x200;
}

/** FPProcessNaNs: signalling NaNs first, then quiet ones, first operand first. Call only when one is a NaN. */
export function processNaNs(fmt: Fmt, a: Unpacked, b: Unpacked): number {
  if (a.type === SNAN) return processNaN(fmt, a);
  if (b.type === SNAN) return processNaN(fmt, b);
  if (a.type === QNAN) return processNaN(fmt, a);
  return processNaN(fmt, b);
}

/** FPProcessNaNs3 (operand order a, b, c). Call only when one is a NaN. */
export function processNaNs3(fmt: Fmt, a: Unpacked, b: Unpacked, c: Unpacked): number {
  if (a.type === SNAN) return processNaN(fmt, a);
  if (b.type === SNAN) return processNaN(fmt, b);
  if (c.type === SNAN) return processNaN(fmt, c);
  if (a.type === QNAN) return processNaN(fmt, a);
  if (b.type === QNAN) return processNaN(fmt, b);
  return processNaN(fmt, c);
}

/** ±0 (low word; high word in fpst.hi). */
export function zero(fmt: Fmt, sign: number): number {
  if (fmt.N === 64) {
    fpst.hi = sign << 31;
    return 0;
  }
  fpst.hi = 0;
  return fmt.N === 32 ? sign << 31 : sign << 15;
}

/** ±Infinity. */
export function infinity(fmt: Fmt, sign: number): number {
  if (fmt.N === 64) {
    fpst.hi = (sign << 31) | 0x7ff00000;
    return 0;
  }
  fpst.hi = 0;
  return fmt.N === 32 ? (sign << 31) | 0x7f800000 : (sign << 15) | 0x7c00;
}

/** The largest normal of a sign. */
export function maxNormal(fmt: Fmt, sign: number): number {
  if (fmt.N === 64) {
    fpst.hi = (sign << 31) | 0x7fefffff;
    return -1;
  }
  fpst.hi = 0;
  return fmt.N === 32 ? (sign << 31) | 0x7f7fffff : (sign << 15) | 0x7bff;
}

/** Flush to zero applies to results of this format under the FPCR (FZ, or FZ16 for half). */
export function flushes(fmt: Fmt): boolean {
  return (fpst.fpcr & (fmt.N === 16 ? FPCR_FZ16 : FPCR_FZ)) !== 0;
}

/** FPCR.AHP. */
export const ahpOn = (): boolean => (fpst.fpcr & FPCR_AHP) !== 0;
