// Lane access for the Advanced SIMD executors. Vn is four int32 words at I_VREG + 4n (regs.ts). Lanes of
// 8, 16 and 32 bits are handled as JS numbers (signed or unsigned as the instruction reads them; results may
// be any integer-valued double and are truncated to the lane when packed). 64-bit lanes work on the two
// words of the lane (ADD/SUB, bitwise, moves and permutes, compares, SSHL/USHL, ABS/NEG, SHL/SSHR/USHR/
// SSRA/USRA, XTN/SHRN/RSHRN, widening sums and products: words64.ts and the executors); only the
// saturating and rounding 64-bit forms (SQADD.2D, SRSHL.2D, SQSHRN from 2D, SQDMLAL.2D...), ADDP.2D and
// SHA512 use BigInt, through readLanes64/writeLanes64 below. FPSR.QC (bit 27) is set through
// `sat` below: the saturating helpers raise `sat.qc`, the executors fold it into FPSR once per instruction.
import { I_FPSR, I_VREG } from '../../../cpu/regs';

/** Word index of Vn's word 0. */
export const vw = (n: number): number => I_VREG + 4 * n;

/** Set by a saturating lane operation; flushed into FPSR.QC by flushQc. */
export const sat = { qc: 0 };

export const FPSR_QC = 1 << 27;

export function flushQc(r: Int32Array): void {
  if (sat.qc) {
    r[I_FPSR] |= FPSR_QC;
    sat.qc = 0;
  }
}

/** Reads every lane (128 / es of them) of Vn into dst as numbers, signed or unsigned. */
export function readLanes(r: Int32Array, n: number, es: number, signed: boolean, dst: number[]): void {
  const b = vw(n);
  if (es === 32) {
    for (let k = 0; k < 4; k++) dst[k] = signed ? r[b + k] : r[b + k] >>> 0;
    return;
  }
  const per = 32 / es;
  const sh = 32 - es;
  for (let k = 0; k < 4; k++) {
    const w = r[b + k];
    for (let j = 0; j < per; j++) {
      const v = w << (sh - j * es);
      dst[k * per + j] = signed ? v >> sh : v >>> sh;
    }
  }
}

/**
 * Writes lanes 0..count-1 of src (es bits each, truncated) to Vd and zeroes every bit above them: a 64-bit
 * vector (Q = 0) or a scalar result clears the rest of the register as the architecture requires.
 */
export function writeLanes(r: Int32Array, d: number, es: number, src: number[], count: number): void {
  const b = vw(d);
  if (es === 32) {
    for (let k = 0; k < 4; k++) r[b + k] = k < count ? src[k] : 0;
    return;
  }
  const per = 32 / es;
  const mask = es === 16 ? 0xffff : 0xff;
  for (let k = 0; k < 4; k++) {
    let w = 0;
    for (let j = 0; j < per; j++) {
      const i = k * per + j;
      if (i < count) w |= (src[i] & mask) << (j * es);
    }
    r[b + k] = w;
  }
}

/** Writes lanes 0..count-1 into the `part` half (0 low, 1 high) of Vd: the narrowing "2" forms keep the other half. */
export function writeHalf(r: Int32Array, d: number, es: number, src: number[], count: number, part: number): void {
  const b = vw(d);
  const per = 32 / es;
  const mask = es === 32 ? -1 : es === 16 ? 0xffff : 0xff;
  const words = [0, 0];
  for (let i = 0; i < count; i++) words[(i / per) | 0] |= (src[i] & mask) << ((i % per) * es);
  if (part) {
    r[b + 2] = words[0];
    r[b + 3] = words[1];
  } else {
    r[b] = words[0];
    r[b + 1] = words[1];
    r[b + 2] = 0;
    r[b + 3] = 0;
  }
}

const U64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** Reads the two 64-bit lanes of Vn as BigInt, signed or unsigned. */
export function readLanes64(r: Int32Array, n: number, signed: boolean, dst: bigint[]): void {
  const b = vw(n);
  for (let k = 0; k < 2; k++) {
    const u = U64(r[b + 2 * k], r[b + 2 * k + 1]);
    dst[k] = signed ? BigInt.asIntN(64, u) : u;
  }
}

/** Writes 64-bit lanes 0..count-1 (truncated to 64 bits) and zeroes the rest of Vd. */
export function writeLanes64(r: Int32Array, d: number, src: bigint[], count: number): void {
  const b = vw(d);
  for (let k = 0; k < 2; k++) {
    const v = k < count ? BigInt.asUintN(64, src[k]) : 0n;
    r[b + 2 * k] = Number(v & 0xffffffffn) | 0;
    r[b + 2 * k + 1] = Number(v >> 32n) | 0;
  }
}

// ---- saturation ----

/** v saturated to a signed es-bit lane, raising QC when it does not fit. */
export function satS(v: number, es: number): number {
  const max = 2 ** (es - 1) - 1;
  if (v > max) { sat.qc = 1; return max; }
  if (v < -max - 1) { sat.qc = 1; return -max - 1; }
  return v;
}

/** v saturated to an unsigned es-bit lane, raising QC when it does not fit. */
export function satU(v: number, es: number): number {
  const max = 2 ** es - 1;
  if (v > max) { sat.qc = 1; return max; }
  if (v < 0) { sat.qc = 1; return 0; }
  return v;
}

const S64_MAX = (1n << 63n) - 1n;
const S64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

export function satS64(v: bigint): bigint {
  if (v > S64_MAX) { sat.qc = 1; return S64_MAX; }
  if (v < S64_MIN) { sat.qc = 1; return S64_MIN; }
  return v;
}

export function satU64(v: bigint): bigint {
  if (v > U64_MAX) { sat.qc = 1; return U64_MAX; }
  if (v < 0n) { sat.qc = 1; return 0n; }
  return v;
}

/** Saturates to a signed or unsigned es-bit lane, numbers for es <= 32. */
export const satTo = (v: number, es: number, unsigned: boolean): number => (unsigned ? satU(v, es) : satS(v, es));
export const satTo64 = (v: bigint, unsigned: boolean): bigint => (unsigned ? satU64(v) : satS64(v));

/** Scratch lane arrays shared by the executors (no executor re-enters another). */
export const A: number[] = new Array(16).fill(0);
export const B: number[] = new Array(16).fill(0);
export const C: number[] = new Array(16).fill(0);
export const D: number[] = new Array(32).fill(0);
export const A64: bigint[] = [0n, 0n];
export const B64: bigint[] = [0n, 0n];
export const D64: bigint[] = [0n, 0n, 0n, 0n];

/**
 * Writes lanes 0..count-1 of integer values as es-bit lanes and zeroes the rest of Vd; 64-bit lanes are
 * split into their two words without BigInt (the widening results: sums and differences of 32-bit lanes,
 * or a 32-bit lane times a power of two). Exact for any integer the double holds exactly: the quotient by
 * 2^32 and the remainder are then exact too.
 */
export function writeWide(r: Int32Array, d: number, es: number, src: number[], count: number): void {
  if (es < 64) {
    writeLanes(r, d, es, src, count);
    return;
  }
  const b = vw(d);
  for (let k = 0; k < 2; k++) {
    if (k < count) {
      const v = src[k];
      const hi = Math.floor(v / 0x100000000);
      r[b + 2 * k] = (v - hi * 0x100000000) | 0;
      r[b + 2 * k + 1] = hi | 0;
    } else {
      r[b + 2 * k] = 0;
      r[b + 2 * k + 1] = 0;
    }
  }
}

/** Adds an exact integer (|v| < 2^53) to the 64-bit lane k of the register at word index b, wrapping. */
export function addToLane64(r: Int32Array, b: number, k: number, v: number): void {
  const hi = Math.floor(v / 0x100000000);
  const lo = v - hi * 0x100000000;
  const s = (r[b + 2 * k] >>> 0) + lo;
  r[b + 2 * k] = s | 0;
  r[b + 2 * k + 1] = (r[b + 2 * k + 1] + hi + (s >= 0x100000000 ? 1 : 0)) | 0;
}
