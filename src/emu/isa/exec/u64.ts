// 64-bit integer arithmetic on pairs of 32-bit halves (lo, hi as int32), for the executors. Results come
// back as the low word, with the high word (and flags) left in the exported `out` record: no allocation and
// no BigInt on the hot path.

import { I_C, I_N, I_V, I_Z } from '../../cpu/regs';

export const out = { hi: 0, n: 0, z: 0, c: 0, v: 0 };

/**
 * ADDS/SUBS/CMP/CMN on 32 bits, straight into the register file: r[d] = a + b + carryIn (upper half zero)
 * and NZCV. For the hot flag-setting forms: no `out` record traffic. The caller has read every source.
 */
export function addsTo32(r: Int32Array, d: number, a: number, b: number, carryIn: number): void {
  // int32 arithmetic (no uint32 sum as a double): the carry out of a + b + cin is the unsigned wrap-around
  const v = (a + b + carryIn) | 0;
  r[d] = v;
  r[d + 1] = 0;
  r[I_N] = v >>> 31;
  r[I_Z] = v === 0 ? 1 : 0;
  r[I_C] = (carryIn ? v >>> 0 <= a >>> 0 : v >>> 0 < a >>> 0) ? 1 : 0;
  r[I_V] = ((~(a ^ b) & (a ^ v)) >>> 31) & 1;
}

/** The 64-bit form of addsTo32. */
export function addsTo64(r: Int32Array, d: number, aLo: number, aHi: number, bLo: number, bHi: number, carryIn: number): void {
  const lo = (aLo + bLo + carryIn) | 0;
  const cLo = (carryIn ? lo >>> 0 <= aLo >>> 0 : lo >>> 0 < aLo >>> 0) ? 1 : 0;
  const hi = (aHi + bHi + cLo) | 0;
  r[d] = lo;
  r[d + 1] = hi;
  r[I_N] = hi >>> 31;
  r[I_Z] = (lo | hi) === 0 ? 1 : 0;
  r[I_C] = (cLo ? hi >>> 0 <= aHi >>> 0 : hi >>> 0 < aHi >>> 0) ? 1 : 0;
  r[I_V] = ((~(aHi ^ bHi) & (aHi ^ hi)) >>> 31) & 1;
}

/** lo of a + b + carryIn; out.hi; and NZCV in out when `flags`. */
export function add64(aLo: number, aHi: number, bLo: number, bHi: number, carryIn: number): number {
  const sLo = (aLo >>> 0) + (bLo >>> 0) + carryIn;
  const c0 = sLo > 0xffffffff ? 1 : 0;
  const sHi = (aHi >>> 0) + (bHi >>> 0) + c0;
  const lo = sLo | 0;
  const hi = sHi | 0;
  out.hi = hi;
  out.n = hi >>> 31;
  out.z = lo === 0 && hi === 0 ? 1 : 0;
  out.c = sHi > 0xffffffff ? 1 : 0;
  out.v = ((~(aHi ^ bHi) & (aHi ^ hi)) >>> 31) & 1;
  return lo;
}

/** lo of a + b + carryIn, hi in out.hi; no flags (the non-flag-setting forms). */
export function sum64(aLo: number, aHi: number, bLo: number, bHi: number, carryIn: number): number {
  const sLo = (aLo >>> 0) + (bLo >>> 0) + carryIn;
  out.hi = (aHi + bHi + (sLo > 0xffffffff ? 1 : 0)) | 0;
  return sLo | 0;
}

/** 32-bit a + b + carryIn with NZCV in out (out.hi = 0). */
export function add32(a: number, b: number, carryIn: number): number {
  const s = (a >>> 0) + (b >>> 0) + carryIn;
  const r = s | 0;
  out.hi = 0;
  out.n = r >>> 31;
  out.z = r === 0 ? 1 : 0;
  out.c = s > 0xffffffff ? 1 : 0;
  out.v = ((~(a ^ b) & (a ^ r)) >>> 31) & 1;
  return r;
}

/** Logical shift left of a 64-bit value by 0..63. */
export function lsl64(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  if (s < 32) {
    out.hi = (hi << s) | (lo >>> (32 - s));
    return lo << s;
  }
  out.hi = lo << (s - 32);
  return 0;
}

export function lsr64(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  if (s < 32) {
    out.hi = hi >>> s;
    return ((lo >>> s) | (hi << (32 - s))) | 0;
  }
  out.hi = 0;
  return (hi >>> (s - 32)) | 0;
}

export function asr64(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  if (s < 32) {
    out.hi = hi >> s;
    return ((lo >>> s) | (hi << (32 - s))) | 0;
  }
  out.hi = hi >> 31;
  return hi >> (s - 32);
}

export function ror64(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  const rLo = lsr64(lo, hi, s);
  const rHi = out.hi;
  const lLo = lsl64(lo, hi, 64 - s);
  out.hi = rHi | out.hi;
  return rLo | lLo;
}

export function ror32(v: number, s: number): number {
  s &= 31;
  return s === 0 ? v | 0 : ((v >>> s) | (v << (32 - s))) | 0;
}

export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Sets out.hi and returns lo of the low 64 bits of a BigInt. */
export function fromBig(v: bigint): number {
  out.hi = Number((v >> 32n) & 0xffffffffn) | 0;
  return Number(v & 0xffffffffn) | 0;
}

// ---- bitmask immediates (DecodeBitMasks) ------------------------------------------------------------

/** HighestSetBit(N:NOT(imms)), -1 when no bit is set: log2 of the element size of a bitmask. */
function bitMaskLen(n: number, imms: number): number {
  const v = ((n & 1) << 6) | (~imms & 0x3f);
  return 31 - Math.clz32(v);
}

/**
 * Whether (N, imms) is an allocated logical immediate for the register width (DecodeBitMasks with
 * immediate = TRUE): 32-bit forms need N = 0, the element size must be at least 2 bits, and an element of
 * all ones is reserved.
 */
export function logicalImmValid(sf: number, n: number, imms: number): boolean {
  if (!sf && n) return false;
  const len = bitMaskLen(n, imms);
  if (len < 1) return false;
  const levels = (1 << len) - 1;
  return (imms & levels) !== levels;
}

/**
 * The 64-bit value of a valid logical immediate (the element replicated to 64 bits; a 32-bit form uses the
 * low word): returns lo, leaves hi in out.hi.
 */
export function logicalImm(n: number, imms: number, immr: number): number {
  const len = bitMaskLen(n, imms);
  const esize = 1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (esize === 64) {
    // ones(s + 1), s <= 62, rotated right by r
    const lo = s >= 31 ? -1 : (1 << (s + 1)) - 1;
    const hi = s >= 31 ? (s === 63 ? -1 : (1 << (s - 31)) - 1) : 0;
    return ror64(lo, hi, r);
  }
  const emask = esize === 32 ? -1 : (1 << esize) - 1;
  const ones = (1 << (s + 1)) - 1; // s + 1 < esize <= 32
  let e = r === 0 ? ones : ((ones >>> r) | (ones << (esize - r))) & emask;
  for (let w = esize; w < 32; w *= 2) e |= e << w;
  out.hi = e;
  return e;
}

// ---- multiplication and division ------------------------------------------------------------------
// Exact on 32-bit halves, without BigInt.

/**
 * Unsigned 32 x 32 -> 64 product: returns lo, out.hi. The low word is exact from Math.imul; the double
 * product is within 2^12 of the true one, so (double - lo) / 2^32 lies within 2^-19 of the exact high word
 * and rounding recovers it.
 */
export function mulU32(a: number, b: number): number {
  const lo = Math.imul(a, b);
  out.hi = Math.round(((a >>> 0) * (b >>> 0) - (lo >>> 0)) / 0x100000000) | 0;
  return lo;
}

/** Signed 32 x 32 -> 64 product: returns lo, out.hi. */
export function mulS32(a: number, b: number): number {
  const lo = mulU32(a, b);
  out.hi = (out.hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
  return lo;
}

/** Low 64 bits of a 64 x 64 product (signedness does not matter): returns lo, out.hi. */
export function mul64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  const lo = mulU32(aLo, bLo);
  out.hi = (out.hi + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) | 0;
  return lo;
}

/** High 64 bits of the unsigned 128-bit product: returns lo, out.hi. */
export function umulh64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  mulU32(aLo, bLo);
  const p0h = out.hi >>> 0;
  const p1l = mulU32(aLo, bHi) >>> 0;
  const p1h = out.hi >>> 0;
  const p2l = mulU32(aHi, bLo) >>> 0;
  const p2h = out.hi >>> 0;
  const p3l = mulU32(aHi, bHi) >>> 0;
  const p3h = out.hi >>> 0;
  const w1 = p0h + p1l + p2l;
  const w2 = p1h + p2h + p3l + Math.floor(w1 / 0x100000000);
  out.hi = (p3h + Math.floor(w2 / 0x100000000)) | 0;
  return w2 | 0;
}

/** High 64 bits of the signed 128-bit product: returns lo, out.hi. */
export function smulh64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  let lo = umulh64(aLo, aHi, bLo, bHi);
  let hi = out.hi;
  // signed = unsigned - 2^64 * ([a < 0] * b + [b < 0] * a)
  if (aHi < 0) {
    lo = add64(lo, hi, ~bLo, ~bHi, 1);
    hi = out.hi;
  }
  if (bHi < 0) {
    lo = add64(lo, hi, ~aLo, ~aHi, 1);
    hi = out.hi;
  }
  out.hi = hi;
  return lo;
}

const TWO32 = 0x100000000;

/** Unsigned 64-bit a >= b. */
function geU64(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  return aHi !== bHi ? aHi >>> 0 > bHi >>> 0 : aLo >>> 0 >= bLo >>> 0;
}

/**
 * Unsigned 64-bit division, quotient rounded toward zero; the divisor must not be 0. Returns the quotient's
 * lo, out.hi its hi.
 */
export function udiv64(nLo: number, nHi: number, dLo: number, dHi: number): number {
  const d = dLo >>> 0;
  if (dHi === 0) {
    const nh = nHi >>> 0;
    if (nh === 0) {
      out.hi = 0;
      return ((nLo >>> 0) / d) >>> 0;
    }
    // schoolbook division by a one-limb divisor: 32, then 16 + 16 bits, every step below 2^48
    const qHi = Math.floor(nh / d);
    let rem = nh - qHi * d;
    let t = rem * 65536 + (nLo >>> 16);
    const q1 = Math.floor(t / d);
    rem = t - q1 * d;
    t = rem * 65536 + (nLo & 0xffff);
    const q0 = Math.floor(t / d);
    out.hi = qHi | 0;
    return (q1 * 65536 + q0) | 0;
  }
  // divisor >= 2^32: the quotient fits in 32 bits. A double estimate is within 1 of it; start one below
  // (so q * d <= n) and step up while the remainder is still >= d.
  const est = Math.floor(((nHi >>> 0) * TWO32 + (nLo >>> 0)) / ((dHi >>> 0) * TWO32 + d));
  let q = Math.max(0, Math.min(est - 1, 0xffffffff));
  const pLo = mul64(q, 0, dLo, dHi);
  let rLo = add64(nLo, nHi, ~pLo, ~out.hi, 1);
  let rHi = out.hi;
  while (geU64(rLo, rHi, dLo, dHi)) {
    rLo = add64(rLo, rHi, ~dLo, ~dHi, 1);
    rHi = out.hi;
    q++;
  }
  out.hi = 0;
  return q | 0;
}

/** Signed 64-bit division rounded toward zero; divisor not 0. INT64_MIN / -1 wraps to INT64_MIN. */
export function sdiv64(nLo: number, nHi: number, dLo: number, dHi: number): number {
  const negN = nHi < 0;
  const negD = dHi < 0;
  if (negN) {
    nLo = add64(~nLo, ~nHi, 0, 0, 1);
    nHi = out.hi;
  }
  if (negD) {
    dLo = add64(~dLo, ~dHi, 0, 0, 1);
    dHi = out.hi;
  }
  const qLo = udiv64(nLo, nHi, dLo, dHi);
  if (negN === negD) return qLo;
  return add64(~qLo, ~out.hi, 0, 0, 1);
}

// ---- bit counting and reversal ------------------------------------------------------------------------

/** CountLeadingSignBits of a 32-bit value: leading bits equal to the sign bit, not counting it. */
export function cls32(x: number): number {
  return Math.clz32((x ^ (x << 1)) | 1);
}

export function cls64(lo: number, hi: number): number {
  const t = hi ^ ((hi << 1) | (lo >>> 31));
  return t !== 0 ? Math.clz32(t) : 32 + Math.clz32((lo ^ (lo << 1)) | 1);
}

export function rbit32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

export function bswap32(x: number): number {
  return ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) | 0;
}

/** Swaps the bytes of each 16-bit halfword. */
export function rev16x2(x: number): number {
  return ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
}
