// 64-bit integer arithmetic on pairs of 32-bit halves (lo, hi as int32), for the executors. Results come
// back as the low word, with the high word (and flags) left in the exported `out` record: no allocation and
// no BigInt on the hot path.

export const out = { hi: 0, n: 0, z: 0, c: 0, v: 0 };

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
