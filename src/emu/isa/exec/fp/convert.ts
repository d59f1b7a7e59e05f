// Conversions, as the Arm ARM's FPConvert, FPToFixed, FixedToFP, FPRoundInt, FPRoundIntN and FPToFixedJS
// define them: between precisions (NaN payloads kept in their top bits, the alternative half-precision
// format under FPCR.AHP), floating point to integer and fixed point (saturating, IOC on overflow or NaN,
// IXC when inexact), integer and fixed point to floating point, rounding to an integral value, and
// JavaScript's ToInt32 (FJCVTZS). 64-bit integers are (lo, hi) int32 pairs, never BigInt.
import { type Fmt, D, INF, QNAN, SNAN, U1, ZERO, defaultNaN, flushes, infinity, isNaNType, processNaN, unpack, zero, ahpOn } from './format';
import { encodeExact, roundExact } from './round';
import { FPCR_DN, FPCR_FZ, IOC, IXC, RA, RM, RN, RP, fpst, rmode } from './state';

/** FPConvert from `src` to `dst` (FPUnpackCV: FZ16 does not flush half inputs; FPRoundCV: nor outputs). */
export function fpConvert(src: Fmt, dst: Fmt, lo: number, hi: number, mode = rmode()): number {
  const ahp = ahpOn();
  const u = unpack(src, lo, hi, U1, src.N === 16 && ahp, false);
  const altDst = dst.N === 16 && ahp;
  if (isNaNType(u.type)) {
    if (u.type === SNAN || altDst) fpst.flags |= IOC;
    if (altDst) return zero(dst, u.sign);
    if (fpst.fpcr & FPCR_DN) return defaultNaN(dst);
    return convertNaN(src, dst, u.lo, u.hi, u.sign);
  }
  if (u.type === INF) {
    if (altDst) {
      fpst.flags |= IOC;
      fpst.hi = 0;
      return (u.sign << 15) | 0x7fff;
    }
    return infinity(dst, u.sign);
  }
  if (u.type === ZERO) return zero(dst, u.sign);
  const fz = dst.N === 16 ? false : (fpst.fpcr & FPCR_FZ) !== 0;
  return roundExact(dst, u.value, 0, 0, 0, mode, fz, altDst);
}

/** FPConvertNaN: the quiet NaN with the source's payload in the destination's top fraction bits. */
function convertNaN(src: Fmt, dst: Fmt, lo: number, hi: number, sign: number): number {
  // the fraction below the quiet bit, as 51 bits: f51 = fhi * 2^32 + flo (fhi 19 bits)
  let fhi: number;
  let flo: number;
  if (src.N === 64) {
    fhi = hi & 0x7ffff;
    flo = lo >>> 0;
  } else if (src.N === 32) {
    const f = lo & 0x3fffff; // 22 bits -> the top of 51
    fhi = f >>> 3;
    flo = ((f & 7) << 29) >>> 0;
  } else {
    const f = lo & 0x1ff; // 9 bits
    fhi = f << 10;
    flo = 0;
  }
  if (dst.N === 64) {
    fpst.hi = (sign << 31) | 0x7ff80000 | fhi;
    return flo | 0;
  }
  fpst.hi = 0;
  if (dst.N === 32) return (sign << 31) | 0x7fc00000 | (fhi << 3) | (flo >>> 29);
  return (sign << 15) | 0x7e00 | (fhi >>> 10);
}

/** Rounds v (finite) to an integral double per `mode`; the error's presence in `inexactOut`. */
export let inexactOut = false;
function roundToIntegral(v: number, mode: number): number {
  let i = Math.floor(v);
  const e = v - i; // exact: v - floor(v) for a double
  inexactOut = e !== 0;
  let up: boolean;
  switch (mode) {
    case RN: up = e > 0.5 || (e === 0.5 && i % 2 !== 0); break;
    case RP: up = e !== 0; break;
    case RM: up = false; break;
    case RA: up = e > 0.5 || (e === 0.5 && i >= 0); break;
    default: up = e !== 0 && i < 0; // RZ
  }
  if (up) i += 1;
  return i;
}

/**
 * FPToFixed: the value times 2^fbits rounded per `mode` to a `bits`-wide (32 or 64) signed or unsigned
 * integer, saturated (IOC) ; the low word returned, the high word in fpst.hi.
 */
export function fpToFixed(fmt: Fmt, lo: number, hi: number, fbits: number, unsigned: boolean, bits: 16 | 32 | 64, mode: number): number {
  const u = unpack(fmt, lo, hi, U1);
  let v: number;
  if (isNaNType(u.type)) {
    fpst.flags |= IOC;
    fpst.hi = 0;
    return 0;
  }
  if (u.type === INF) v = u.value;
  else v = u.value * 2 ** fbits; // exact: |value| < 2^1024 and fbits <= 64 leave room in a double
  // the bounds as exact doubles: the integers that fit are min <= r < limit
  const limit = unsigned ? 2 ** bits : 2 ** (bits - 1);
  const min = unsigned ? 0 : -(2 ** (bits - 1));
  const r = Number.isFinite(v) ? roundToIntegral(v, mode) : v;
  if (r >= limit || r < min) {
    fpst.flags |= IOC;
    // saturate: the largest (all ones below the sign for signed) or the smallest value
    if (r < min) return intWords(min, bits);
    fpst.hi = bits === 64 ? (unsigned ? -1 : 0x7fffffff) : 0;
    if (bits === 16) return unsigned ? 0xffff : 0x7fff;
    return bits === 32 && !unsigned ? 0x7fffffff : -1;
  }
  if (inexactOut) fpst.flags |= IXC;
  return intWords(r, bits);
}

/** An integral double in [-2^63, 2^64) as a two's complement (lo; hi in fpst.hi), `bits` wide. */
function intWords(r: number, bits: 16 | 32 | 64): number {
  const neg = r < 0;
  const m = neg ? -r : r;
  const mh = Math.floor(m / 2 ** 32);
  const ml = m - mh * 2 ** 32;
  let lo = ml | 0;
  let hi = mh | 0;
  if (neg) {
    lo = -ml | 0;
    hi = (~mh + (ml === 0 ? 1 : 0)) | 0;
  }
  if (bits !== 64) hi = 0;
  fpst.hi = hi;
  return bits === 16 ? lo & 0xffff : lo;
}

/**
 * FixedToFP: the integer (lo, hi) (`bits` wide, signed or not) divided by 2^fbits, rounded to `fmt` under
 * `mode` (FPCR's for SCVTF/UCVTF). Zero gives +0.
 */
export function fixedToFp(fmt: Fmt, lo: number, hi: number, bits: 16 | 32 | 64, unsigned: boolean, fbits: number, mode: number): number {
  let hv: number;
  if (bits === 16) {
    lo = unsigned ? lo & 0xffff : (lo << 16) >> 16;
    bits = 32;
  }
  if (bits === 32) hv = unsigned ? 0 : (lo >> 31) * 2 ** 32;
  else hv = (unsigned ? hi >>> 0 : hi) * 2 ** 32;
  const lv = lo >>> 0;
  if (hv === 0 && lv === 0) return zero(fmt, 0);
  // the two terms are exact doubles; a negative hv with lv brings the value toward zero exactly
  return roundExact(fmt, hv, lv, 0, -fbits, mode, flushes(fmt));
}

/** FPRoundInt: to an integral value in the same format; `exact` (FRINTX) raises IXC when it changed. */
export function fpRoundInt(fmt: Fmt, lo: number, hi: number, mode: number, exact: boolean): number {
  const u = unpack(fmt, lo, hi, U1);
  if (isNaNType(u.type)) return processNaN(fmt, u);
  if (u.type === INF) return infinity(fmt, u.sign);
  if (u.type === ZERO) return zero(fmt, u.sign);
  const r = roundToIntegral(u.value, mode);
  if (inexactOut && exact) fpst.flags |= IXC;
  return encodeExact(fmt, r, u.sign);
}

/**
 * FPRoundIntN (FRINT32Z/X, FRINT64Z/X): integral and within `intBits` signed bits, else the most negative
 * such integer with IOC (NaNs and infinities too); IXC when it changed.
 */
export function fpRoundIntN(fmt: Fmt, lo: number, hi: number, mode: number, intBits: 32 | 64): number {
  const u = unpack(fmt, lo, hi, U1);
  const most = -(2 ** (intBits - 1));
  if (isNaNType(u.type) || u.type === INF) {
    fpst.flags |= IOC;
    return encodeExact(fmt, most, 1);
  }
  if (u.type === ZERO) return zero(fmt, u.sign);
  const r = roundToIntegral(u.value, mode);
  if (r < most || r > -most - 1) {
    fpst.flags |= IOC;
    return encodeExact(fmt, most, 1);
  }
  if (inexactOut) fpst.flags |= IXC;
  return encodeExact(fmt, r, u.sign);
}

/** Z flag of the last FJCVTZS. */
export let jsZ = 0;

/** FPToFixedJS: a double to int32 as JavaScript's ToInt32 (round toward zero, modulo 2^32). */
export function fjcvtzs(lo: number, hi: number): number {
  const u = unpack(D, lo, hi, U1);
  let z = 1;
  if (u.type === QNAN || u.type === SNAN) {
    fpst.flags |= IOC;
    z = 0;
  }
  let result = 0;
  if (u.type !== INF && !isNaNType(u.type)) {
    const v = u.value;
    const t = v < 0 ? Math.ceil(v) : Math.floor(v);
    const error = v !== t;
    result = (t % 4294967296) | 0; // exact: fmod of an integral double
    if (t < -(2 ** 31) || t > 2 ** 31 - 1) {
      fpst.flags |= IOC;
      z = 0;
    } else if (error) {
      fpst.flags |= IXC;
      z = 0;
    } else if (u.sign && v === 0) z = 0;
    else if (!u.sign && v === 0 && ((hi & 0xfffff) !== 0 || lo !== 0)) z = 0; // a denormal flushed to zero
  } else if (u.type === INF) {
    fpst.flags |= IOC;
    z = 0;
  }
  jsZ = z;
  fpst.hi = 0;
  return result;
}

