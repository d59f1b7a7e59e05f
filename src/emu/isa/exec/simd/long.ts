// Executors for Advanced SIMD three different (long, wide, narrowing-high; vector and scalar) and x
// indexed element (rows/simdLong.ts). Sources of up to 16 bits give exact results as doubles. With
// 32-bit sources the 64-bit results are built without BigInt where they are hot (sums, differences,
// SMULL/UMULL/SMLAL/UMLAL... through mulS32/mulU32 and 64-bit adds on the words); the saturating doubling
// forms (SQDMULL/SQDMLAL/SQDMLSL) use BigInt for 64-bit lanes. By-element forms broadcast the element.
import type { Fields } from '../../pattern';
import { elemIndex, elemReg } from '../../rows/simdLong';
import { mulS32, mulU32, out } from '../u64';
import type { Exec, Handler } from '../types';
import {
  A, B, D, addToLane64, flushQc, readLanes, sat, satS, vw, writeHalf, writeLanes, writeWide,
} from './lanes';
import { pmul8, pmull64 } from './laneOps';
import { THREE_SAME, type LaneOp } from './threeSame';

type LKind = 'add' | 'sub' | 'abd' | 'aba' | 'mla' | 'mls' | 'mul' | 'sqdmull' | 'sqdmlal' | 'sqdmlsl';

const S64_MAX = (1n << 63n) - 1n;
const S64_MIN = -(1n << 63n);
const sat64 = (v: bigint): bigint => {
  if (v > S64_MAX) { sat.qc = 1; return S64_MAX; }
  if (v < S64_MIN) { sat.qc = 1; return S64_MIN; }
  return v;
};

/** 64-bit lane k of the register at word index b as a signed BigInt, and the other way. */
const get64 = (r: Int32Array, b: number, k: number): bigint => (BigInt(r[b + 2 * k + 1]) << 32n) | BigInt(r[b + 2 * k] >>> 0);
const put64 = (r: Int32Array, b: number, k: number, v: bigint): void => {
  r[b + 2 * k] = Number(BigInt.asIntN(32, v));
  r[b + 2 * k + 1] = Number(BigInt.asIntN(32, v >> 32n));
};

/**
 * The long engine. `src` says where the second operand comes from: the Q half of Vm ('vec') or one element
 * of Vm ('elem'). `scalar` computes lane 0 only (lane 0 of Vn and Vm, no Q half).
 */
function long(kind: LKind, u: boolean, src: 'vec' | 'elem', scalar = false): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const m = src === 'elem' ? elemReg(f) : f.Rm;
    const idx = src === 'elem' ? elemIndex(f) : 0;
    const d = f.Rd;
    const cnt = scalar ? 1 : 64 / es;
    const off = scalar ? 0 : f.Q ? cnt : 0;
    const s = !u;
    const W: number[] = new Array(8).fill(0);
    const load = (r: Int32Array): void => {
      readLanes(r, n, es, s, A);
      readLanes(r, m, es, s, B);
      for (let i = 0; i < cnt; i++) {
        W[i] = A[off + i];
        C2[i] = src === 'elem' ? B[idx] : B[off + i];
      }
    };
    if (es < 32) {
      const es2 = 2 * es;
      return (c) => {
        const r = c.r;
        load(r);
        const acc = kind === 'aba' || kind === 'mla' || kind === 'mls' || kind === 'sqdmlal' || kind === 'sqdmlsl';
        if (acc) readLanes(r, d, es2, s || kind === 'sqdmlal' || kind === 'sqdmlsl', D);
        for (let i = 0; i < cnt; i++) {
          const a = W[i];
          const b = C2[i];
          switch (kind) {
            case 'add': D[i] = a + b; break;
            case 'sub': D[i] = a - b; break;
            case 'abd': D[i] = Math.abs(a - b); break;
            case 'aba': D[i] += Math.abs(a - b); break;
            case 'mla': D[i] += a * b; break;
            case 'mls': D[i] -= a * b; break;
            case 'mul': D[i] = a * b; break;
            case 'sqdmull': D[i] = satS(2 * a * b, es2); break;
            case 'sqdmlal': D[i] = satS(D[i] + satS(2 * a * b, es2), es2); break;
            default: D[i] = satS(D[i] - satS(2 * a * b, es2), es2);
          }
        }
        writeLanes(r, d, es2, D, cnt);
        flushQc(r);
      };
    }
    // 32-bit sources, 64-bit results
    const b0 = vw(d);
    return (c) => {
      const r = c.r;
      load(r);
      switch (kind) {
        case 'add': case 'sub': case 'abd': {
          for (let i = 0; i < cnt; i++) D[i] = kind === 'add' ? W[i] + C2[i] : kind === 'sub' ? W[i] - C2[i] : Math.abs(W[i] - C2[i]);
          writeWide(r, d, 64, D, cnt);
          return;
        }
        case 'aba':
          for (let i = 0; i < cnt; i++) addToLane64(r, b0, i, Math.abs(W[i] - C2[i]));
          break;
        case 'mul': case 'mla': case 'mls': {
          for (let i = 0; i < cnt; i++) {
            const lo = u ? mulU32(W[i], C2[i]) : mulS32(W[i], C2[i]);
            const hi = out.hi;
            if (kind === 'mul') {
              D[2 * i] = lo;
              D[2 * i + 1] = hi;
              continue;
            }
            // d +/- (hi:lo): add the two's complement for MLS
            const pl = kind === 'mls' ? ~lo : lo;
            const ph = kind === 'mls' ? ~hi : hi;
            const sum = (r[b0 + 2 * i] >>> 0) + (pl >>> 0) + (kind === 'mls' ? 1 : 0);
            r[b0 + 2 * i + 1] = (r[b0 + 2 * i + 1] + ph + (sum >= 0x100000000 ? 1 : 0)) | 0;
            r[b0 + 2 * i] = sum | 0;
          }
          if (kind === 'mul') for (let k = 0; k < 4; k++) r[b0 + k] = k < 2 * cnt ? D[k] : 0;
          break;
        }
        default: {
          for (let i = 0; i < cnt; i++) {
            const p = sat64(2n * BigInt(W[i]) * BigInt(C2[i]));
            const v = kind === 'sqdmull' ? p : sat64(get64(r, b0, i) + (kind === 'sqdmlal' ? p : -p));
            put64(r, b0, i, v);
          }
          flushQc(r);
        }
      }
      if (cnt === 1) { r[b0 + 2] = 0; r[b0 + 3] = 0; }
    };
  };
}
const C2: number[] = new Array(16).fill(0);

/** SADDW/UADDW/SSUBW/USUBW: 2es-bit lanes of Vn plus/minus the extended Q half of Vm. */
function wide(u: boolean, sub: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const m = f.Rm;
    const d = f.Rd;
    const cnt = 64 / es;
    const off = f.Q ? cnt : 0;
    if (es === 32) {
      const nb = vw(n);
      const db = vw(d);
      return (c) => {
        const r = c.r;
        readLanes(r, m, 32, !u, B);
        for (let k = 0; k < 4; k++) r[db + k] = r[nb + k];
        for (let i = 0; i < 2; i++) addToLane64(r, db, i, sub ? -B[off + i] : B[off + i]);
      };
    }
    return (c) => {
      const r = c.r;
      readLanes(r, n, 2 * es, !u, A);
      readLanes(r, m, es, !u, B);
      for (let i = 0; i < cnt; i++) D[i] = sub ? A[i] - B[off + i] : A[i] + B[off + i];
      writeLanes(r, d, 2 * es, D, cnt);
    };
  };
}

/** ADDHN/RADDHN/SUBHN/RSUBHN: the high half of each 2es-bit sum or difference, into the Q half of Vd. */
function highNarrow(sub: boolean, round: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const m = f.Rm;
    const d = f.Rd;
    const cnt = 64 / es;
    const part = f.Q;
    if (es === 32) {
      const nb = vw(n);
      const mb = vw(m);
      return (c) => {
        const r = c.r;
        for (let i = 0; i < 2; i++) {
          const bl = sub ? ~r[mb + 2 * i] : r[mb + 2 * i];
          const bh = sub ? ~r[mb + 2 * i + 1] : r[mb + 2 * i + 1];
          const lo = (r[nb + 2 * i] >>> 0) + (bl >>> 0) + (sub ? 1 : 0) + (round ? 0x80000000 : 0);
          D[i] = (r[nb + 2 * i + 1] + bh + Math.floor(lo / 0x100000000)) | 0;
        }
        writeHalf(r, d, 32, D, 2, part);
      };
    }
    const div = 2 ** es;
    const rc = round ? div / 2 : 0;
    return (c) => {
      const r = c.r;
      readLanes(r, n, 2 * es, false, A);
      readLanes(r, m, 2 * es, false, B);
      for (let i = 0; i < cnt; i++) D[i] = Math.floor(((sub ? A[i] - B[i] : A[i] + B[i]) + rc) / div);
      writeHalf(r, d, es, D, cnt, part);
    };
  };
}

function pmull8(f: Fields): Exec {
  const n = f.Rn;
  const m = f.Rm;
  const d = f.Rd;
  const off = f.Q ? 8 : 0;
  return (c) => {
    const r = c.r;
    readLanes(r, n, 8, false, A);
    readLanes(r, m, 8, false, B);
    for (let i = 0; i < 8; i++) D[i] = pmul8(A[off + i], B[off + i]);
    writeLanes(r, d, 16, D, 8);
  };
}

function pmull64x(f: Fields): Exec {
  const n = vw(f.Rn) + (f.Q ? 2 : 0);
  const m = vw(f.Rm) + (f.Q ? 2 : 0);
  const d = vw(f.Rd);
  return (c) => {
    const r = c.r;
    pmull64(r[n], r[n + 1], r[m], r[m + 1], r, d);
  };
}

/** Same-width by element: the three-same lane operation with every Vm lane replaced by the element. */
function sameElem(op: LaneOp, scalar: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const m = elemReg(f);
    const idx = elemIndex(f);
    const d = f.Rd;
    const cnt = scalar ? 1 : (f.Q ? 128 : 64) / es;
    const s = !op.u;
    const g = op.f;
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, s, A);
      readLanes(r, m, es, s, B);
      const e = B[idx];
      if (op.acc) readLanes(r, d, es, s, D);
      for (let i = 0; i < cnt; i++) D[i] = g(A[i], e, D[i], es);
      writeLanes(r, d, es, D, cnt);
      flushQc(r);
    };
  };
}

/** SDOT/UDOT by element: each 32-bit lane accumulates the dot product of its 4 bytes with the indexed group. */
function dotElem(u: boolean): Handler {
  return (f: Fields): Exec => {
    const n = f.Rn;
    const m = (f.M << 4) | f.Rm;
    const g = (f.H << 1) | f.L;
    const d = vw(f.Rd);
    const words = f.Q ? 4 : 2;
    return (c) => {
      const r = c.r;
      readLanes(r, n, 8, !u, A);
      readLanes(r, m, 8, !u, B);
      for (let k = 0; k < words; k++) {
        let s = r[d + k];
        for (let j = 0; j < 4; j++) s += A[4 * k + j] * B[4 * g + j];
        r[d + k] = s | 0;
      }
      if (words === 2) { r[d + 2] = 0; r[d + 3] = 0; }
    };
  };
}

export const SIMD_LONG_EXEC = {
  SADDL: long('add', false, 'vec'), UADDL: long('add', true, 'vec'), SADDW: wide(false, false), UADDW: wide(true, false),
  SSUBL: long('sub', false, 'vec'), USUBL: long('sub', true, 'vec'), SSUBW: wide(false, true), USUBW: wide(true, true),
  ADDHN: highNarrow(false, false), RADDHN: highNarrow(false, true), SUBHN: highNarrow(true, false), RSUBHN: highNarrow(true, true),
  SABAL: long('aba', false, 'vec'), UABAL: long('aba', true, 'vec'), SABDL: long('abd', false, 'vec'), UABDL: long('abd', true, 'vec'),
  SMLAL: long('mla', false, 'vec'), UMLAL: long('mla', true, 'vec'), SQDMLAL_v: long('sqdmlal', false, 'vec'),
  SMLSL: long('mls', false, 'vec'), UMLSL: long('mls', true, 'vec'), SQDMLSL_v: long('sqdmlsl', false, 'vec'),
  SMULL: long('mul', false, 'vec'), UMULL: long('mul', true, 'vec'), SQDMULL_v: long('sqdmull', false, 'vec'),
  PMULL_8: pmull8, PMULL_64: pmull64x,
  SQDMLAL_s: long('sqdmlal', false, 'vec', true), SQDMLSL_s: long('sqdmlsl', false, 'vec', true),
  SQDMULL_s: long('sqdmull', false, 'vec', true),
  MLA_elem: sameElem(THREE_SAME.MLA, false), MLS_elem: sameElem(THREE_SAME.MLS, false), MUL_elem: sameElem(THREE_SAME.MUL, false),
  SQDMULH_elem_v: sameElem(THREE_SAME.SQDMULH, false), SQRDMULH_elem_v: sameElem(THREE_SAME.SQRDMULH, false),
  SQRDMLAH_elem_v: sameElem(THREE_SAME.SQRDMLAH, false), SQRDMLSH_elem_v: sameElem(THREE_SAME.SQRDMLSH, false),
  SMLAL_elem: long('mla', false, 'elem'), UMLAL_elem: long('mla', true, 'elem'),
  SMLSL_elem: long('mls', false, 'elem'), UMLSL_elem: long('mls', true, 'elem'),
  SMULL_elem: long('mul', false, 'elem'), UMULL_elem: long('mul', true, 'elem'),
  SQDMLAL_elem_v: long('sqdmlal', false, 'elem'), SQDMLSL_elem_v: long('sqdmlsl', false, 'elem'),
  SQDMULL_elem_v: long('sqdmull', false, 'elem'),
  SDOT_elem: dotElem(false), UDOT_elem: dotElem(true),
  SQDMLAL_elem_s: long('sqdmlal', false, 'elem', true), SQDMLSL_elem_s: long('sqdmlsl', false, 'elem', true),
  SQDMULL_elem_s: long('sqdmull', false, 'elem', true),
  SQDMULH_elem_s: sameElem(THREE_SAME.SQDMULH, true), SQRDMULH_elem_s: sameElem(THREE_SAME.SQRDMULH, true),
  SQRDMLAH_elem_s: sameElem(THREE_SAME.SQRDMLAH, true), SQRDMLSH_elem_s: sameElem(THREE_SAME.SQRDMLSH, true),
};
