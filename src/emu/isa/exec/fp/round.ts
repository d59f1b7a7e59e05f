// FPRound (Arm ARM shared/functions/float/fpround): rounds an exact real value to half, single or double
// under a rounding mode, with flush-to-zero of tiny results (UFC, no IXC), underflow detected BEFORE
// rounding (Arm's choice: tininess is judged on the unrounded value, and UFC is raised only when the result
// is also inexact, trapped underflow not being implemented), overflow to infinity or the largest normal
// (OFC + IXC), and the alternative half-precision format's overflow (IOC, for conversions).
//
// The exact value comes as an expansion x1 + x2 + x3 times 2^scale, of JS doubles, exact (no rounding in
// how the caller formed it): sums from TwoSum, products from Dekker's TwoProduct on operands scaled into
// [1, 2), quotients and square roots as the double result plus a remainder term whose sign is exact. The
// expansion is renormalised until x1 = RN(x1 + x2) and x2 = RN(x2 + x3); the result then follows from
// the integer part of x1 at the target precision and comparisons of the rest with 1/2 (no double rounding,
// no BigInt). The remainder term of a quotient or square root is not exact but has the exact sign, which is
// all that matters: a quotient or square root of binary operands is never exactly halfway at 53 bits.
import { type Fmt, zero, infinity, maxNormal } from './format';
import { fpst, IOC, IXC, OFC, RM, RN, RO, RP, UFC } from './state';

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

/** 2^k for integer k in [-1074, 1023], exactly. */
export function pow2(k: number): number {
  if (k >= -1022) {
    i32[0] = 0;
    i32[1] = (k + 1023) << 20;
    return f64[0];
  }
  i32[0] = 0;
  i32[1] = (k + 1074 + 1023) << 20;
  return f64[0] * 2 ** -1074;
}

/** x * 2^k exactly (while the result is representable), for any integer k. */
export function scaleB(x: number, k: number): number {
  while (k > 1000) {
    x *= pow2(1000);
    k -= 1000;
  }
  while (k < -1000) {
    x *= pow2(-1000);
    k += 1000;
  }
  return x * pow2(k);
}

/** floor(log2|x|) of a finite non-zero double (denormals included). */
export function expOf(x: number): number {
  f64[0] = x;
  const e = (i32[1] >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  f64[0] = x * 2 ** 64;
  return ((i32[1] >>> 20) & 0x7ff) - 1023 - 64;
}

/** Whether |x| is a power of two (x finite, non-zero). */
function isPow2(x: number): boolean {
  f64[0] = x;
  if ((i32[1] & 0x7ff00000) === 0) f64[0] = x * 2 ** 64;
  return (i32[1] & 0xfffff) === 0 && i32[0] === 0;
}

/** TwoSum: s = RN(a + b) and the exact error a + b - s in `errOut`. */
export let err = 0;
export function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  err = a - (s - bb) + (b - bb);
  return s;
}

const SPLIT = 134217729; // 2^27 + 1
/** TwoProduct (Dekker, Veltkamp splitting): p = RN(a * b), the exact error in `err`. |a|, |b| < 2^995. */
export function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  err = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/** Mantissa of x in [1, 2) (x finite, non-zero, sign kept) and its exponent in `expOut`. */
export let expOut = 0;
export function normalise(x: number): number {
  const e = expOf(x);
  expOut = e;
  return scaleB(x, -e);
}

const MIN_FAST = 2 ** -1021;
const TINY_M = 2 ** -1000;
const TINY_L = 2 ** -1070;

/**
 * FPRound of (x1 + x2 + x3) * 2^scale (an exact zero sum gives the zero of an exact-zero result: -0 when
 * rounding toward minus infinity, else +0, as for x + (-x)), to `fmt` under rounding mode `mode` (RN,
 * RP, RM, RZ, or RO: round to odd; RA is not an FPRound mode) with flush-to-zero when `fz`. `ahp`: the result is half precision
 * in the alternative format. Returns the low word; the high word in fpst.hi. Raises OFC/UFC/IXC/IOC.
 */
export function roundExact(fmt: Fmt, x1: number, x2: number, x3: number, scale: number, mode: number, fz: boolean, ahp = false): number {
  // Fast path, double precision to nearest: when x1 = RN(x1 + x2) (the FPU says so) and x1 is a normal
  // at least 2^-1021 (so the exact value is no tinier than the smallest normal: no underflow, nothing to
  // flush), x1 is the result
  if (mode === RN && fmt.N === 64 && scale === 0 && x3 === 0 && x1 + x2 === x1) {
    const a = x1 < 0 ? -x1 : x1;
    if (a >= MIN_FAST && a <= Number.MAX_VALUE) {
      if (x2 !== 0) fpst.flags |= IXC;
      f64[0] = x1;
      fpst.hi = i32[1];
      return i32[0];
    }
  }
  // renormalise to a fixed point: x1 = RN(x1 + x2), x2 = RN(x2 + x3)
  for (let k = 0; k < 12; k++) {
    const t = twoSum(x2, x3);
    const e3 = err;
    const h = twoSum(x1, t);
    const e2 = err;
    if (h === x1 && e2 === x2 && t === x2 && e3 === x3) break;
    x1 = h;
    x2 = e2;
    x3 = e3;
  }
  if (x1 === 0) return zero(fmt, mode === RM ? 1 : 0);
  const sign = x1 < 0 ? 1 : 0;
  if (sign) {
    x1 = -x1;
    x2 = -x2;
    x3 = -x3;
  }
  let e = expOf(x1);
  if (isPow2(x1) && (x2 < 0 || (x2 === 0 && x3 < 0))) e -= 1;
  const exponent = e + scale;
  const { F, E, minExp } = fmt;
  if (fz && exponent < minExp) {
    fpst.flags |= UFC;
    return zero(fmt, sign);
  }
  let biased = exponent < minExp ? 0 : exponent - minExp + 1;
  const ulpExp = (exponent < minExp ? minExp : exponent) - F;
  let I: number;
  let inexact: boolean;
  /** sign of (error - 1/2) */
  let half: number;
  if (exponent < ulpExp - 2) {
    // below a quarter of the smallest denormal: all that counts is that it is not zero
    I = 0;
    inexact = true;
    half = -1;
  } else {
    const k = scale - ulpExp;
    const Hs = scaleB(x1, k);
    let M = scaleB(x2, k);
    if (M === 0 && x2 !== 0) M = x2 > 0 ? TINY_M : -TINY_M;
    let L = scaleB(x3, k);
    if (L === 0 && x3 !== 0) L = x3 > 0 ? TINY_L : -TINY_L;
    I = Math.floor(Hs);
    let frac = Hs - I;
    if (frac === 0 && (M < 0 || (M === 0 && L < 0))) {
      I -= 1;
      frac = 1;
    }
    inexact = !(frac === 0 && M === 0 && L === 0);
    const d = frac - 0.5;
    half = d !== -M ? (d > -M ? 1 : -1) : L > 0 ? 1 : L < 0 ? -1 : 0;
  }
  if (biased === 0 && inexact) fpst.flags |= UFC;
  let up: boolean;
  let overflowToInf: boolean;
  switch (mode) {
    case RN:
      up = half > 0 || (half === 0 && I % 2 === 1);
      overflowToInf = true;
      break;
    case RP:
      up = inexact && !sign;
      overflowToInf = !sign;
      break;
    case RM:
      up = inexact && !!sign;
      overflowToInf = !!sign;
      break;
    default:
      up = false;
      overflowToInf = false;
  }
  const one = 2 ** F;
  if (mode === RO && inexact && I % 2 === 0) I += 1;
  if (up) {
    I += 1;
    if (I === one) biased = 1;
    if (I === 2 * one) {
      biased += 1;
      I /= 2;
    }
  }
  let lo: number;
  if (!ahp) {
    if (biased >= 2 ** E - 1) {
      fpst.flags |= OFC | IXC;
      return overflowToInf ? infinity(fmt, sign) : maxNormal(fmt, sign);
    }
  } else if (biased >= 2 ** E) {
    fpst.flags |= IOC;
    fpst.hi = 0;
    return (sign << 15) | 0x7fff;
  }
  if (inexact) fpst.flags |= IXC;
  const frac = biased ? I - one : I;
  if (fmt.N === 64) {
    const fh = Math.floor(frac / 2 ** 32);
    fpst.hi = (sign << 31) | (biased << 20) | fh;
    lo = (frac - fh * 2 ** 32) | 0;
  } else {
    fpst.hi = 0;
    lo = fmt.N === 32 ? (sign << 31) | (biased << 23) | frac : (sign << 15) | (biased << 10) | frac;
  }
  return lo;
}

/** A value that is exactly representable in `fmt` (an integer, a value already rounded): its bits. */
export function encodeExact(fmt: Fmt, v: number, sign: number): number {
  if (v === 0) return zero(fmt, sign);
  return roundExact(fmt, v, 0, 0, 0, RN, false);
}
