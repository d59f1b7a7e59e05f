// Lane operations of the Advanced SIMD integer instructions, each as the Arm ARM pseudocode defines it on
// integers of unbounded width: a number version for lanes of up to 32 bits (inputs are exact integers
// in the signedness the instruction reads them; the result is any integer-valued double, truncated to the
// lane when packed, or saturated here with FPSR.QC raised) and, where the instruction has 64-bit lanes, a
// BigInt version (see lanes.ts).
import { mulS32, out } from '../u64';
import { sat, satS, satTo, satTo64 } from './lanes';

/** The signed shift amount of the register shifts: the low byte of the Rm lane. */
export const shiftAmount = (b: number): number => (b << 24) >> 24;
export const shiftAmount64 = (b: bigint): number => Number(BigInt.asIntN(8, b));

/**
 * SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL on one lane: left for a non-negative amount, right
 * (rounding when `round`) for a negative one; saturating to the lane when `saturate`.
 */
export function shlReg(a: number, s: number, es: number, round: boolean, saturate: boolean, unsigned: boolean): number {
  let v: number;
  if (s >= 0) v = a * 2 ** s; // exact: a power-of-two multiple of a 32-bit integer
  else {
    const sh = -s;
    // for sh above 33 the sum may round, but the quotient is then 0 or -1 either way
    v = Math.floor((a + (round ? 2 ** (sh - 1) : 0)) / 2 ** sh);
  }
  if (saturate) return satTo(v, es, unsigned);
  return s >= es ? 0 : v;
}

export function shlReg64(a: bigint, s: number, round: boolean, saturate: boolean, unsigned: boolean): bigint {
  let v: bigint;
  if (s >= 0) v = a << BigInt(s);
  else {
    const sh = BigInt(-s);
    v = (a + (round ? 1n << (sh - 1n) : 0n)) >> sh;
  }
  return saturate ? satTo64(v, unsigned) : v;
}

/** SQDMULH/SQRDMULH on one lane: saturate((2ab + round) >> es); exact for 32-bit lanes through mulS32. */
export function sqdmulh(a: number, b: number, es: number, round: boolean): number {
  if (es === 16) return satS(Math.floor((2 * a * b + (round ? 0x8000 : 0)) / 0x10000), 16);
  const lo = mulS32(a, b);
  // (2p + 2^31) >> 32 = (p + 2^30) >> 31
  const lo2 = (lo >>> 0) + (round ? 0x40000000 : 0);
  const hi2 = out.hi + (lo2 >= 0x100000000 ? 1 : 0);
  return satS(hi2 * 2 + ((lo2 >>> 31) & 1), 32);
}

/**
 * SQRDMLAH/SQRDMLSH on one lane: saturate(((acc << es) +/- 2ab + 2^(es-1)) >> es). 32-bit lanes need 65
 * bits and use BigInt (FEAT_RDM, not a hot path).
 */
export function sqrdmlah(acc: number, a: number, b: number, es: number, sub: boolean): number {
  if (es === 16) {
    const p = 2 * a * b;
    return satS(Math.floor((acc * 0x10000 + (sub ? -p : p) + 0x8000) / 0x10000), 16);
  }
  const p = 2n * BigInt(a) * BigInt(b);
  const v = ((BigInt(acc) << 32n) + (sub ? -p : p) + (1n << 31n)) >> 32n;
  if (v > 0x7fffffffn) { sat.qc = 1; return 0x7fffffff; }
  if (v < -0x80000000n) { sat.qc = 1; return -0x80000000; }
  return Number(v);
}

/** Polynomial (carry-less) multiply of two bytes: the low 8 bits for PMUL, 16 bits for PMULL. */
export function pmul8(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((b >>> i) & 1) r ^= a << i;
  return r;
}

/** Carry-less 64 x 64 -> 128 multiply (PMULL 1Q), on 32-bit halves: writes four words to dst. */
export function pmull64(aLo: number, aHi: number, bLo: number, bHi: number, dst: Int32Array, at: number): void {
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  for (let i = 0; i < 64; i++) {
    const bit = i < 32 ? (bLo >>> i) & 1 : (bHi >>> (i - 32)) & 1;
    if (!bit) continue;
    // a << i across the 128-bit result
    const w = i >>> 5;
    const s = i & 31;
    const p0 = aLo << s;
    const p1 = s ? (aHi << s) | (aLo >>> (32 - s)) : aHi;
    const p2 = s ? aHi >>> (32 - s) : 0;
    if (w === 0) { r0 ^= p0; r1 ^= p1; r2 ^= p2; } else { r1 ^= p0; r2 ^= p1; r3 ^= p2; }
  }
  dst[at] = r0; dst[at + 1] = r1; dst[at + 2] = r2; dst[at + 3] = r3;
}
