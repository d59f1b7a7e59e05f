// Executors for Advanced SIMD three same (vector and scalar), the bitwise three-same forms, and three same
// (extra): SQRDMLAH/SQRDMLSH and SDOT/UDOT. A generic lane engine (lanes.ts) runs an operation of
// laneOps.ts over every lane; pairwise operations work on the concatenation Vm:Vn; the bitwise forms work
// on whole words. Every source is read before Vd is written (Vd may equal a source).
import type { Fields } from '../../pattern';
import type { Exec, Handler } from '../types';
import {
  A, A64, B, B64, D, D64, flushQc, readLanes, readLanes64, satTo, satTo64, vw, writeLanes, writeLanes64,
} from './lanes';
import { pmul8, shiftAmount, shiftAmount64, shlReg, shlReg64, sqdmulh, sqrdmlah } from './laneOps';
import { CMP64, shl64, type Word2 } from './words64';

export interface LaneOp {
  /** Lanes read unsigned (otherwise signed). */
  readonly u: boolean;
  /** Reads the destination's lanes as an accumulator (`d`). */
  readonly acc?: boolean;
  /** Pairwise: op(lane 2i, lane 2i+1) over the concatenation of Vn and Vm. */
  readonly pair?: boolean;
  readonly f: (a: number, b: number, d: number, es: number) => number;
  readonly f64?: (a: bigint, b: bigint, d: bigint) => bigint;
  /** The 64-bit lane on words (no BigInt), preferred over f64 when present. */
  readonly w64?: Word2;
}

const T = -1;

const sqadd = (u: boolean): LaneOp => ({ u, f: (a, b, _d, es) => satTo(a + b, es, u), f64: (a, b) => satTo64(a + b, u) });
const sqsub = (u: boolean): LaneOp => ({ u, f: (a, b, _d, es) => satTo(a - b, es, u), f64: (a, b) => satTo64(a - b, u) });
const shl = (u: boolean, round: boolean, saturate: boolean): LaneOp => ({
  u,
  f: (a, b, _d, es) => shlReg(a, shiftAmount(b), es, round, saturate, u),
  f64: (a, b) => shlReg64(a, shiftAmount64(b), round, saturate, u),
});
const cmp = (u: boolean, test: (a: number, b: number) => boolean, w64: Word2): LaneOp => ({ u, f: (a, b) => (test(a, b) ? T : 0), w64 });
const abs = (v: number): number => (v < 0 ? -v : v);

export const THREE_SAME: Record<string, LaneOp> = {
  SHADD: { u: false, f: (a, b) => Math.floor((a + b) / 2) },
  UHADD: { u: true, f: (a, b) => Math.floor((a + b) / 2) },
  SRHADD: { u: false, f: (a, b) => Math.floor((a + b + 1) / 2) },
  URHADD: { u: true, f: (a, b) => Math.floor((a + b + 1) / 2) },
  SHSUB: { u: false, f: (a, b) => Math.floor((a - b) / 2) },
  UHSUB: { u: true, f: (a, b) => Math.floor((a - b) / 2) },
  SQADD: sqadd(false), UQADD: sqadd(true), SQSUB: sqsub(false), UQSUB: sqsub(true),
  CMGT: cmp(false, (a, b) => a > b, CMP64.CMGT),
  CMHI: cmp(true, (a, b) => a > b, CMP64.CMHI),
  CMGE: cmp(false, (a, b) => a >= b, CMP64.CMGE),
  CMHS: cmp(true, (a, b) => a >= b, CMP64.CMHS),
  CMTST: cmp(true, (a, b) => (a & b) !== 0, CMP64.CMTST),
  CMEQ: cmp(true, (a, b) => a === b, CMP64.CMEQ),
  SSHL: { ...shl(false, false, false), w64: shl64(true) }, USHL: { ...shl(true, false, false), w64: shl64(false) },
  SQSHL: shl(false, false, true), UQSHL: shl(true, false, true),
  SRSHL: shl(false, true, false), URSHL: shl(true, true, false),
  SQRSHL: shl(false, true, true), UQRSHL: shl(true, true, true),
  SMAX: { u: false, f: (a, b) => (a > b ? a : b) }, UMAX: { u: true, f: (a, b) => (a > b ? a : b) },
  SMIN: { u: false, f: (a, b) => (a < b ? a : b) }, UMIN: { u: true, f: (a, b) => (a < b ? a : b) },
  SABD: { u: false, f: (a, b) => abs(a - b) }, UABD: { u: true, f: (a, b) => abs(a - b) },
  SABA: { u: false, acc: true, f: (a, b, d) => d + abs(a - b) }, UABA: { u: true, acc: true, f: (a, b, d) => d + abs(a - b) },
  ADD: { u: true, f: (a, b) => a + b, f64: (a, b) => a + b },
  SUB: { u: true, f: (a, b) => a - b, f64: (a, b) => a - b },
  MLA: { u: true, acc: true, f: (a, b, d) => d + Math.imul(a, b) },
  MLS: { u: true, acc: true, f: (a, b, d) => d - Math.imul(a, b) },
  MUL: { u: true, f: (a, b) => Math.imul(a, b) },
  PMUL: { u: true, f: (a, b) => pmul8(a, b) },
  SMAXP: { u: false, pair: true, f: (a, b) => (a > b ? a : b) }, UMAXP: { u: true, pair: true, f: (a, b) => (a > b ? a : b) },
  SMINP: { u: false, pair: true, f: (a, b) => (a < b ? a : b) }, UMINP: { u: true, pair: true, f: (a, b) => (a < b ? a : b) },
  ADDP: { u: true, pair: true, f: (a, b) => a + b, f64: (a, b) => a + b },
  SQDMULH: { u: false, f: (a, b, _d, es) => sqdmulh(a, b, es, false) },
  SQRDMULH: { u: false, f: (a, b, _d, es) => sqdmulh(a, b, es, true) },
  SQRDMLAH: { u: false, acc: true, f: (a, b, d, es) => sqrdmlah(d, a, b, es, false) },
  SQRDMLSH: { u: false, acc: true, f: (a, b, d, es) => sqrdmlah(d, a, b, es, true) },
};

/** The lane engine for an operation: `scalar` computes lane 0 only (and clears the rest of Vd). */
export function sameLanes(op: LaneOp, scalar: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const m = f.Rm;
    const d = f.Rd;
    const cnt = scalar ? 1 : (f.Q ? 128 : 64) / es;
    const s = !op.u;
    const acc = op.acc === true;
    if (es === 64 && op.w64) {
      const w = op.w64;
      const nb = vw(n);
      const mb = vw(m);
      const db = vw(d);
      return (c) => {
        const r = c.r;
        for (let k = 0; k < cnt; k++) w(r[nb + 2 * k], r[nb + 2 * k + 1], r[mb + 2 * k], r[mb + 2 * k + 1], r, db + 2 * k);
        if (cnt === 1) { r[db + 2] = 0; r[db + 3] = 0; }
      };
    }
    if (es === 64) {
      const g = op.f64!;
      if (op.pair) {
        return (c) => {
          const r = c.r;
          readLanes64(r, n, s, A64);
          readLanes64(r, m, s, B64);
          D64[0] = g(A64[0], A64[1], 0n);
          D64[1] = g(B64[0], B64[1], 0n);
          writeLanes64(r, d, D64, 2);
        };
      }
      return (c) => {
        const r = c.r;
        readLanes64(r, n, s, A64);
        readLanes64(r, m, s, B64);
        if (acc) readLanes64(r, d, s, D64);
        for (let i = 0; i < cnt; i++) D64[i] = g(A64[i], B64[i], D64[i]);
        writeLanes64(r, d, D64, cnt);
        flushQc(r);
      };
    }
    const g = op.f;
    if (op.pair) {
      const h = cnt >> 1;
      return (c) => {
        const r = c.r;
        readLanes(r, n, es, s, A);
        readLanes(r, m, es, s, B);
        for (let i = 0; i < h; i++) {
          D[i] = g(A[2 * i], A[2 * i + 1], 0, es);
          D[h + i] = g(B[2 * i], B[2 * i + 1], 0, es);
        }
        writeLanes(r, d, es, D, cnt);
      };
    }
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, s, A);
      readLanes(r, m, es, s, B);
      if (acc) readLanes(r, d, es, s, D);
      for (let i = 0; i < cnt; i++) D[i] = g(A[i], B[i], D[i], es);
      writeLanes(r, d, es, D, cnt);
      flushQc(r);
    };
  };
}

// ---- bitwise, on whole words ----

type Bitwise = (n: number, m: number, d: number) => number;

function bitwise(op: Bitwise): Handler {
  return (f: Fields): Exec => {
    const n = vw(f.Rn);
    const m = vw(f.Rm);
    const d = vw(f.Rd);
    const words = f.Q ? 4 : 2;
    return (c) => {
      const r = c.r;
      for (let k = 0; k < words; k++) r[d + k] = op(r[n + k], r[m + k], r[d + k]);
      if (words === 2) {
        r[d + 2] = 0;
        r[d + 3] = 0;
      }
    };
  };
}

// ---- ADD/SUB fast paths: whole words (SWAR within a word for 8- and 16-bit lanes) ----

function addSub(sub: boolean, scalar: boolean): Handler {
  const generic = sameLanes(sub ? THREE_SAME.SUB : THREE_SAME.ADD, scalar);
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    // scalar ADD/SUB exist for D only: one 64-bit lane, the upper half cleared
    if (scalar && es !== 64) return generic(f, { off: 0 });
    const n = vw(f.Rn);
    const m = vw(f.Rm);
    const d = vw(f.Rd);
    const words = f.Q && !scalar ? 4 : 2;
    const inv = sub ? -1 : 0;
    if (es === 64) {
      return (c) => {
        const r = c.r;
        for (let k = 0; k < words; k += 2) {
          const bLo = r[m + k] ^ inv;
          const s = (r[n + k] >>> 0) + (bLo >>> 0) + (sub ? 1 : 0);
          r[d + k + 1] = (r[n + k + 1] + (r[m + k + 1] ^ inv) + (s > 0xffffffff ? 1 : 0)) | 0;
          r[d + k] = s | 0;
        }
        if (words === 2) { r[d + 2] = 0; r[d + 3] = 0; }
      };
    }
    if (es === 32) {
      return (c) => {
        const r = c.r;
        for (let k = 0; k < words; k++) r[d + k] = sub ? (r[n + k] - r[m + k]) | 0 : (r[n + k] + r[m + k]) | 0;
        if (words === 2) { r[d + 2] = 0; r[d + 3] = 0; }
      };
    }
    const hiBits = es === 8 ? 0x80808080 | 0 : 0x80008000 | 0;
    const lowMask = ~hiBits;
    return (c) => {
      const r = c.r;
      for (let k = 0; k < words; k++) {
        const a = r[n + k];
        const b = r[m + k];
        // lanes without their top bits cannot carry (borrow) into the next lane; the top bits are then fixed
        r[d + k] = sub ? (((a | hiBits) - (b & lowMask)) ^ ((a ^ ~b) & hiBits)) : (((a & lowMask) + (b & lowMask)) ^ ((a ^ b) & hiBits));
      }
      if (words === 2) { r[d + 2] = 0; r[d + 3] = 0; }
    };
  };
}

// ---- CMEQ fast path: whole words (the byte compare of strlen/memchr-style loops) ----

/** 0xff in each byte of x that is zero, 0 elsewhere (no carry crosses a byte: the top bits are kept apart). */
export const zeroBytes = (x: number): number => ((~((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f)) >>> 7) * 0xff) | 0;
/** The same for 16-bit lanes. */
export const zeroHalves = (x: number): number => ((~((((x & 0x7fff7fff) + 0x7fff7fff) | x | 0x7fff7fff)) >>> 15) * 0xffff) | 0;

export function cmeqWords(zero: boolean, scalar: boolean, generic: Handler): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    if (scalar || es === 64) return generic(f, { off: 0 });
    const n = vw(f.Rn);
    const m = vw(f.Rm);
    const d = vw(f.Rd);
    const words = f.Q ? 4 : 2;
    const test = es === 8 ? zeroBytes : es === 16 ? zeroHalves : (x: number): number => (x === 0 ? -1 : 0);
    return (c) => {
      const r = c.r;
      for (let k = 0; k < words; k++) r[d + k] = test(zero ? r[n + k] : r[n + k] ^ r[m + k]);
      if (words === 2) { r[d + 2] = 0; r[d + 3] = 0; }
    };
  };
}

// ---- dot product ----

function dot(u: boolean): Handler {
  return (f: Fields): Exec => {
    const n = f.Rn;
    const m = f.Rm;
    const d = vw(f.Rd);
    const words = f.Q ? 4 : 2;
    return (c) => {
      const r = c.r;
      readLanes(r, n, 8, !u, A);
      readLanes(r, m, 8, !u, B);
      for (let k = 0; k < words; k++) {
        let s = r[d + k];
        for (let j = 4 * k; j < 4 * k + 4; j++) s += A[j] * B[j];
        r[d + k] = s | 0;
      }
      if (words === 2) { r[d + 2] = 0; r[d + 3] = 0; }
    };
  };
}

const vec = (name: string): Handler => sameLanes(THREE_SAME[name], false);
const scal = (name: string): Handler => sameLanes(THREE_SAME[name], true);

export const SIMD_THREE_SAME_EXEC = {
  SHADD_v: vec('SHADD'), UHADD_v: vec('UHADD'), SQADD_v: vec('SQADD'), UQADD_v: vec('UQADD'),
  SRHADD_v: vec('SRHADD'), URHADD_v: vec('URHADD'), SHSUB_v: vec('SHSUB'), UHSUB_v: vec('UHSUB'),
  SQSUB_v: vec('SQSUB'), UQSUB_v: vec('UQSUB'), CMGT_v: vec('CMGT'), CMHI_v: vec('CMHI'), CMGE_v: vec('CMGE'),
  CMHS_v: vec('CMHS'), SSHL_v: vec('SSHL'), USHL_v: vec('USHL'), SQSHL_v: vec('SQSHL'), UQSHL_v: vec('UQSHL'),
  SRSHL_v: vec('SRSHL'), URSHL_v: vec('URSHL'), SQRSHL_v: vec('SQRSHL'), UQRSHL_v: vec('UQRSHL'),
  SMAX_v: vec('SMAX'), UMAX_v: vec('UMAX'), SMIN_v: vec('SMIN'), UMIN_v: vec('UMIN'), SABD_v: vec('SABD'),
  UABD_v: vec('UABD'), SABA_v: vec('SABA'), UABA_v: vec('UABA'), ADD_v: addSub(false, false), SUB_v: addSub(true, false),
  CMTST_v: vec('CMTST'), CMEQ_v: cmeqWords(false, false, vec('CMEQ')), MLA_v: vec('MLA'), MLS_v: vec('MLS'), MUL_v: vec('MUL'), PMUL_v: vec('PMUL'),
  SMAXP_v: vec('SMAXP'), UMAXP_v: vec('UMAXP'), SMINP_v: vec('SMINP'), UMINP_v: vec('UMINP'),
  SQDMULH_v: vec('SQDMULH'), SQRDMULH_v: vec('SQRDMULH'), ADDP_v: vec('ADDP'),
  SQADD_s: scal('SQADD'), UQADD_s: scal('UQADD'), SQSUB_s: scal('SQSUB'), UQSUB_s: scal('UQSUB'),
  CMGT_s: scal('CMGT'), CMHI_s: scal('CMHI'), CMGE_s: scal('CMGE'), CMHS_s: scal('CMHS'), SSHL_s: scal('SSHL'),
  USHL_s: scal('USHL'), SQSHL_s: scal('SQSHL'), UQSHL_s: scal('UQSHL'), SRSHL_s: scal('SRSHL'), URSHL_s: scal('URSHL'),
  SQRSHL_s: scal('SQRSHL'), UQRSHL_s: scal('UQRSHL'), ADD_s: addSub(false, true), SUB_s: addSub(true, true),
  CMTST_s: scal('CMTST'), CMEQ_s: scal('CMEQ'), SQDMULH_s: scal('SQDMULH'), SQRDMULH_s: scal('SQRDMULH'),
  AND_v: bitwise((n, m) => n & m), BIC_v: bitwise((n, m) => n & ~m), ORR_v: bitwise((n, m) => n | m),
  ORN_v: bitwise((n, m) => n | ~m), EOR_v: bitwise((n, m) => n ^ m),
  BSL_v: bitwise((n, m, d) => m ^ ((m ^ n) & d)), BIT_v: bitwise((n, m, d) => d ^ ((d ^ n) & m)),
  BIF_v: bitwise((n, m, d) => d ^ ((d ^ n) & ~m)),
  SQRDMLAH_v: vec('SQRDMLAH'), SQRDMLSH_v: vec('SQRDMLSH'), SQRDMLAH_s: scal('SQRDMLAH'), SQRDMLSH_s: scal('SQRDMLSH'),
  SDOT_v: dot(false), UDOT_v: dot(true),
};
