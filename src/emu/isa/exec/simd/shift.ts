// Executors for Advanced SIMD shift by immediate (rows/simdShift.ts), vector and scalar. Lanes of up to 32
// bits are exact doubles (a right shift is floor((a + rounding) / 2^s)); 64-bit lanes of SHL, SSHR/USHR,
// SSRA/USRA and SHRN/RSHRN from 2D work on the words, the other 64-bit forms (rounding, saturating,
// inserting) use BigInt (lanes.ts). Accumulating forms (SSRA...) add to Vd's lanes, inserting forms (SRI/SLI) keep the bits of
// Vd the shifted value does not cover; narrowing forms write the Q half (scalars: lane 0), long forms
// write exact doubles through writeWide.
import type { Fields } from '../../pattern';
import { immhSize, shlAmount, shrAmount } from '../../rows/simdShift';
import type { Exec, Handler } from '../types';
import { asr64, lsl64, lsr64, out } from '../u64';
import {
  A, A64, D, D64, flushQc, readLanes, readLanes64, sat, satTo, satTo64, vw, writeHalf, writeLanes, writeLanes64, writeWide,
} from './lanes';

/** SHL, USHR/SSHR and USRA/SSRA on 64-bit lanes, on the words (no BigInt): the common 2D/D shifts. */
function shift64Words(kind: 'shr' | 'sra' | 'shl', u: boolean, s: number, f: Fields, cnt: number): Exec {
  const nb = vw(f.Rn);
  const db = vw(f.Rd);
  const sh = kind === 'shl' ? lsl64 : u ? lsr64 : asr64;
  // a right shift by 64 leaves 0 (unsigned) or the sign (signed: the same as 63)
  const zero = kind !== 'shl' && u && s === 64;
  const amt = kind !== 'shl' && !u && s === 64 ? 63 : s;
  return (c) => {
    const r = c.r;
    for (let k = 0; k < cnt; k++) {
      const lo = zero ? 0 : sh(r[nb + 2 * k], r[nb + 2 * k + 1], amt);
      const hi = zero ? 0 : out.hi;
      if (kind === 'sra') {
        const sum = (r[db + 2 * k] >>> 0) + (lo >>> 0);
        r[db + 2 * k + 1] = (r[db + 2 * k + 1] + hi + (sum >= 0x100000000 ? 1 : 0)) | 0;
        r[db + 2 * k] = sum | 0;
      } else {
        r[db + 2 * k] = lo;
        r[db + 2 * k + 1] = hi;
      }
    }
    if (cnt === 1) { r[db + 2] = 0; r[db + 3] = 0; }
  };
}

type Kind = 'shr' | 'sra' | 'sri' | 'shl' | 'sli' | 'qshl' | 'qshlu';

/** One lane, es <= 32 (SRI has its own loop): a in the row's signedness, d the old destination lane (unsigned). */
function lane(kind: Kind, a: number, d: number, s: number, es: number, round: boolean, u: boolean): number {
  switch (kind) {
    case 'shr': return Math.floor((a + (round ? 2 ** (s - 1) : 0)) / 2 ** s);
    case 'sra': return d + Math.floor((a + (round ? 2 ** (s - 1) : 0)) / 2 ** s);
    case 'shl': return a * 2 ** s;
    case 'sli': return (a * 2 ** s) % 2 ** es + (d % 2 ** s);
    case 'qshl': return satTo(a * 2 ** s, es, u);
    default: return satTo(a * 2 ** s, es, true);
  }
}

function lane64(kind: Kind, a: bigint, d: bigint, s: number, round: boolean, u: boolean): bigint {
  const S = BigInt(s);
  switch (kind) {
    case 'shr': return (a + (round ? 1n << (S - 1n) : 0n)) >> S;
    case 'sra': return d + ((a + (round ? 1n << (S - 1n) : 0n)) >> S);
    case 'sri': {
      const mask = s >= 64 ? 0n : (1n << BigInt(64 - s)) - 1n;
      return (d & ~mask) | ((BigInt.asUintN(64, a) >> S) & mask);
    }
    case 'shl': return a << S;
    case 'sli': {
      const mask = BigInt.asUintN(64, ((1n << 64n) - 1n) << S);
      return (d & ~mask) | (BigInt.asUintN(64, a << S) & mask);
    }
    case 'qshl': return satTo64(a << S, u);
    default: return satTo64(a << S, true);
  }
}

function shiftImm(kind: Kind, u: boolean, round: boolean, scalar: boolean): Handler {
  const left = kind === 'shl' || kind === 'sli' || kind === 'qshl' || kind === 'qshlu';
  const acc = kind === 'sra' || kind === 'sri' || kind === 'sli';
  return (f: Fields): Exec => {
    const es = 8 << immhSize(f.immh);
    const s = left ? shlAmount(f) : shrAmount(f);
    const n = f.Rn;
    const d = f.Rd;
    const cnt = scalar ? 1 : (f.Q ? 128 : 64) / es;
    if (es === 64 && !round && (kind === 'shr' || kind === 'sra' || kind === 'shl')) return shift64Words(kind, u, s, f, cnt);
    if (es === 64) {
      return (c) => {
        const r = c.r;
        readLanes64(r, n, !u, A64);
        readLanes64(r, d, false, D64);
        for (let i = 0; i < cnt; i++) D64[i] = lane64(kind, A64[i], D64[i], s, round, u);
        writeLanes64(r, d, D64, cnt);
        flushQc(r);
      };
    }
    if (kind === 'sri') {
      // Vd keeps its top s bits; the rest comes from Vn >> s (s = es keeps Vd whole)
      const mask = s >= es ? 0 : (2 ** (es - s) - 1) | 0;
      return (c) => {
        const r = c.r;
        readLanes(r, n, es, false, A);
        readLanes(r, d, es, false, D);
        for (let i = 0; i < cnt; i++) D[i] = (D[i] & ~mask) | ((s >= 32 ? 0 : A[i] >>> s) & mask);
        writeLanes(r, d, es, D, cnt);
      };
    }
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, !u, A);
      if (acc) readLanes(r, d, es, false, D);
      for (let i = 0; i < cnt; i++) D[i] = lane(kind, A[i], acc ? D[i] : 0, s, es, round, u);
      writeLanes(r, d, es, D, cnt);
      flushQc(r);
    };
  };
}

type NKind = 'shrn' | 'sqshrn' | 'uqshrn' | 'sqshrun';

/** Narrowing shifts: 2es-bit lanes of Vn, shifted right and truncated or saturated to es bits. */
function shiftNarrow(kind: NKind, round: boolean, scalar: boolean): Handler {
  const srcSigned = kind === 'sqshrn' || kind === 'sqshrun';
  const unsignedDst = kind === 'uqshrn' || kind === 'sqshrun';
  return (f: Fields): Exec => {
    const es = 8 << immhSize(f.immh);
    const s = shrAmount(f);
    const n = f.Rn;
    const d = f.Rd;
    const cnt = scalar ? 1 : 64 / es;
    const part = scalar ? 0 : f.Q;
    const S = BigInt(s);
    const lo = unsignedDst ? 0n : -(1n << 31n);
    const hi = unsignedDst ? (1n << 32n) - 1n : (1n << 31n) - 1n;
    const nb = vw(n);
    return (c) => {
      const r = c.r;
      if (es === 32 && kind === 'shrn') {
        // SHRN/RSHRN of 64-bit lanes on the words: bits [s+31:s] of the lane (plus the rounding constant)
        for (let i = 0; i < cnt; i++) {
          let lo = r[nb + 2 * i];
          let hi = r[nb + 2 * i + 1];
          if (round) {
            const sum = (lo >>> 0) + 2 ** (s - 1);
            hi = (hi + (sum >= 0x100000000 ? 1 : 0)) | 0;
            lo = sum | 0;
          }
          D[i] = lsr64(lo, hi, s);
        }
      } else if (es === 32) {
        readLanes64(r, n, srcSigned, A64);
        for (let i = 0; i < cnt; i++) {
          let v = (A64[i] + (round ? 1n << (S - 1n) : 0n)) >> S;
          if (kind !== 'shrn') {
            if (v < lo) { v = lo; sat.qc = 1; } else if (v > hi) { v = hi; sat.qc = 1; }
          }
          D[i] = Number(BigInt.asIntN(32, v));
        }
      } else {
        readLanes(r, n, 2 * es, srcSigned, A);
        for (let i = 0; i < cnt; i++) {
          const v = Math.floor((A[i] + (round ? 2 ** (s - 1) : 0)) / 2 ** s);
          D[i] = kind === 'shrn' ? v : satTo(v, es, unsignedDst);
        }
      }
      if (scalar) writeLanes(r, d, es, D, 1);
      else writeHalf(r, d, es, D, cnt, part);
      flushQc(r);
    };
  };
}

/** SSHLL/USHLL (SXTL/UXTL): lanes of the Q half, extended and shifted left into 2es-bit lanes. */
function shiftLong(u: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << immhSize(f.immh);
    const s = shlAmount(f);
    const n = f.Rn;
    const d = f.Rd;
    const cnt = 64 / es;
    const off = f.Q ? cnt : 0;
    const W: number[] = new Array(8).fill(0);
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, !u, A);
      for (let i = 0; i < cnt; i++) W[i] = A[off + i] * 2 ** s;
      writeWide(r, d, 2 * es, W, cnt);
    };
  };
}

const v = (kind: Kind, u: boolean, round = false): Handler => shiftImm(kind, u, round, false);
const s = (kind: Kind, u: boolean, round = false): Handler => shiftImm(kind, u, round, true);

export const SIMD_SHIFT_EXEC = {
  SSHR_v: v('shr', false), USHR_v: v('shr', true), SSRA_v: v('sra', false), USRA_v: v('sra', true),
  SRSHR_v: v('shr', false, true), URSHR_v: v('shr', true, true), SRSRA_v: v('sra', false, true), URSRA_v: v('sra', true, true),
  SRI_v: v('sri', true), SHL_v: v('shl', true), SLI_v: v('sli', true), SQSHLU_v: v('qshlu', false),
  SQSHL_imm_v: v('qshl', false), UQSHL_imm_v: v('qshl', true),
  SHRN_v: shiftNarrow('shrn', false, false), SQSHRUN_v: shiftNarrow('sqshrun', false, false),
  RSHRN_v: shiftNarrow('shrn', true, false), SQRSHRUN_v: shiftNarrow('sqshrun', true, false),
  SQSHRN_v: shiftNarrow('sqshrn', false, false), UQSHRN_v: shiftNarrow('uqshrn', false, false),
  SQRSHRN_v: shiftNarrow('sqshrn', true, false), UQRSHRN_v: shiftNarrow('uqshrn', true, false),
  SSHLL_v: shiftLong(false), USHLL_v: shiftLong(true),
  SSHR_s: s('shr', false), USHR_s: s('shr', true), SSRA_s: s('sra', false), USRA_s: s('sra', true),
  SRSHR_s: s('shr', false, true), URSHR_s: s('shr', true, true), SRSRA_s: s('sra', false, true), URSRA_s: s('sra', true, true),
  SRI_s: s('sri', true), SHL_s: s('shl', true), SLI_s: s('sli', true), SQSHLU_s: s('qshlu', false),
  SQSHL_imm_s: s('qshl', false), UQSHL_imm_s: s('qshl', true),
  SQSHRUN_s: shiftNarrow('sqshrun', false, true), SQRSHRUN_s: shiftNarrow('sqshrun', true, true),
  SQSHRN_s: shiftNarrow('sqshrn', false, true), UQSHRN_s: shiftNarrow('uqshrn', false, true),
  SQRSHRN_s: shiftNarrow('sqshrn', true, true), UQRSHRN_s: shiftNarrow('uqshrn', true, true),
};
