// Executors for Advanced SIMD two-register miscellaneous (integer), across lanes and scalar ADDP
// (rows/simdMisc.ts). Element reversals are byte maps (permute.ts); unary lane operations run on the lane
// engine of lanes.ts; widening results (SADDLP, SHLL, SADDLV...) are exact doubles written with writeWide,
// 64-bit accumulators take them through addToLane64; narrowing writes the low or high half (the '2' forms
// keep the other half). 64-bit lanes of ABS/NEG/SQABS/SQNEG, the compares against zero and SUQADD/USQADD
// use BigInt (lanes.ts).
import type { Fields } from '../../pattern';
import type { Exec, Handler } from '../types';
import { byMap } from './permute';
import { cmeqWords } from './threeSame';
import { UNARY64, type Word1 } from './words64';
import {
  A, A64, D, D64, addToLane64, flushQc, sat, readLanes, readLanes64, satS, satS64, satTo, satTo64, satU, vw, writeHalf, writeLanes,
  writeLanes64, writeWide,
} from './lanes';

// ---- element reversal ----

function rev(container: number): Handler {
  return (f: Fields): Exec => {
    const eb = 1 << f.size;
    const bytes = f.Q ? 16 : 8;
    const map: number[] = [];
    for (let j = 0; j < bytes; j++) {
      const base = j - (j % container);
      const w = j % container;
      const e = Math.floor(w / eb);
      map.push(base + (container / eb - 1 - e) * eb + (w % eb));
    }
    return byMap({ ...f, Rm: f.Rn }, map);
  };
}

// ---- unary lane operations ----

interface Unary {
  readonly u: boolean;
  readonly f: (a: number, es: number) => number;
  readonly f64?: (a: bigint) => bigint;
  /** The 64-bit lane on words (no BigInt), preferred over f64 when present. */
  readonly w64?: Word1;
}

const clz = (a: number, es: number): number => Math.clz32(a) - (32 - es);
const popcount8 = (a: number): number => {
  let n = 0;
  for (let v = a; v; v &= v - 1) n++;
  return n;
};
const rbit8 = (a: number): number => {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((a >> i) & 1) << (7 - i);
  return r;
};

/** UnsignedRecipEstimate (Arm ARM): 9 bits of 1/x from the top 9 bits of a 32-bit fraction. */
function urecpe(a: number): number {
  if (!(a & 0x80000000)) return -1;
  const x = (a >>> 23) * 2 + 1; // 9-bit input in [256, 511], made odd
  const b = Math.floor(2 ** 19 / x);
  const est = (b + 1) >> 1;
  return (est << 23) | 0;
}

/** UnsignedRSqrtEstimate (Arm ARM): 9 bits of 1/sqrt(x) from the top 9 bits of a 32-bit fraction. */
function ursqrte(a: number): number {
  if (!(a & 0xc0000000)) return -1;
  let x = a >>> 23; // [128, 511]
  if (x < 256) x = x * 2 + 1;
  else x = ((x >> 1) << 1) * 2 + 2;
  let b = 512;
  while (x * (b + 1) * (b + 1) < 2 ** 28) b++;
  return (((b + 1) >> 1) << 23) | 0;
}

const bool = (t: boolean): number => (t ? -1 : 0);

const UNARY: Record<string, Unary> = {
  CLS: { u: false, f: (a, es) => clz(a < 0 ? ~a >>> 0 : a, es) - 1 },
  CLZ: { u: true, f: (a, es) => clz(a, es) },
  CNT: { u: true, f: (a) => popcount8(a) },
  NOT: { u: true, f: (a) => ~a },
  RBIT: { u: true, f: (a) => rbit8(a) },
  SQABS: { u: false, f: (a, es) => satS(a < 0 ? -a : a, es), f64: (a) => satS64(a < 0n ? -a : a) },
  SQNEG: { u: false, f: (a, es) => satS(-a, es), f64: (a) => satS64(-a) },
  CMGT0: { u: false, f: (a) => bool(a > 0), w64: UNARY64.CMGT0 },
  CMGE0: { u: false, f: (a) => bool(a >= 0), w64: UNARY64.CMGE0 },
  CMEQ0: { u: false, f: (a) => bool(a === 0), w64: UNARY64.CMEQ0 },
  CMLE0: { u: false, f: (a) => bool(a <= 0), w64: UNARY64.CMLE0 },
  CMLT0: { u: false, f: (a) => bool(a < 0), w64: UNARY64.CMLT0 },
  ABS: { u: false, f: (a) => (a < 0 ? -a : a), w64: UNARY64.ABS },
  NEG: { u: false, f: (a) => -a, w64: UNARY64.NEG },
  URECPE: { u: true, f: (a) => urecpe(a) },
  URSQRTE: { u: true, f: (a) => ursqrte(a) },
};

function unary(op: Unary, scalar: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const d = f.Rd;
    const cnt = scalar ? 1 : (f.Q ? 128 : 64) / es;
    const s = !op.u;
    if (es === 64 && op.w64) {
      const w = op.w64;
      const nb = vw(n);
      const db = vw(d);
      return (c) => {
        const r = c.r;
        for (let k = 0; k < cnt; k++) w(r[nb + 2 * k], r[nb + 2 * k + 1], r, db + 2 * k);
        if (cnt === 1) { r[db + 2] = 0; r[db + 3] = 0; }
      };
    }
    if (es === 64) {
      const g = op.f64!;
      return (c) => {
        const r = c.r;
        readLanes64(r, n, s, A64);
        for (let i = 0; i < cnt; i++) D64[i] = g(A64[i]);
        writeLanes64(r, d, D64, cnt);
        flushQc(r);
      };
    }
    const g = op.f;
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, s, A);
      for (let i = 0; i < cnt; i++) D[i] = g(A[i], es);
      writeLanes(r, d, es, D, cnt);
      flushQc(r);
    };
  };
}

/** SUQADD (signed accumulator + unsigned Vn, signed saturation) and USQADD (the other way round). */
function sqaddMixed(usq: boolean, scalar: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const d = f.Rd;
    const cnt = scalar ? 1 : (f.Q ? 128 : 64) / es;
    if (es === 64) {
      return (c) => {
        const r = c.r;
        readLanes64(r, n, usq, A64);
        readLanes64(r, d, !usq, D64);
        for (let i = 0; i < cnt; i++) D64[i] = satTo64(D64[i] + A64[i], usq);
        writeLanes64(r, d, D64, cnt);
        flushQc(r);
      };
    }
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, usq, A);
      readLanes(r, d, es, !usq, D);
      for (let i = 0; i < cnt; i++) D[i] = satTo(D[i] + A[i], es, usq);
      writeLanes(r, d, es, D, cnt);
      flushQc(r);
    };
  };
}

// ---- widening ----

/** SADDLP/UADDLP (acc = false) and SADALP/UADALP: pairs of es-bit lanes summed into 2es-bit lanes. */
function addlp(u: boolean, acc: boolean): Handler {
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const d = f.Rd;
    const cnt = (f.Q ? 64 : 32) / es;
    const s = !u;
    const W: number[] = new Array(8).fill(0);
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, s, A);
      if (2 * es === 64) {
        const b = vw(d);
        if (!acc) {
          for (let i = 0; i < cnt; i++) W[i] = A[2 * i] + A[2 * i + 1];
          writeWide(r, d, 64, W, cnt);
          return;
        }
        for (let i = 0; i < cnt; i++) addToLane64(r, b, i, A[2 * i] + A[2 * i + 1]);
        if (cnt === 1) { r[b + 2] = 0; r[b + 3] = 0; }
        return;
      }
      if (acc) readLanes(r, d, 2 * es, false, W);
      for (let i = 0; i < cnt; i++) W[i] = (acc ? W[i] : 0) + A[2 * i] + A[2 * i + 1];
      writeLanes(r, d, 2 * es, W, cnt);
    };
  };
}

/** SHLL/SHLL2: each lane of the selected half, zero-extended, shifted left by its width. */
function shll(f: Fields): Exec {
  const es = 8 << f.size;
  const n = f.Rn;
  const d = f.Rd;
  const cnt = 64 / es;
  const off = f.Q ? cnt : 0;
  const W: number[] = new Array(8).fill(0);
  return (c) => {
    const r = c.r;
    readLanes(r, n, es, false, A);
    for (let i = 0; i < cnt; i++) W[i] = A[off + i] * 2 ** es;
    writeWide(r, d, 2 * es, W, cnt);
  };
}

// ---- narrowing ----

type NarrowKind = 'xtn' | 'sqxtn' | 'uqxtn' | 'sqxtun';

/** XTN/SQXTN/UQXTN/SQXTUN: 2es-bit lanes of Vn to es-bit lanes, into the Q half (or lane 0 for scalars). */
function narrowExec(kind: NarrowKind, scalar: boolean): Handler {
  const srcSigned = kind === 'sqxtn' || kind === 'sqxtun';
  const fix = (v: number, es: number): number =>
    kind === 'xtn' ? v : kind === 'sqxtn' ? satS(v, es) : satU(v, es);
  const fix64 = (v: bigint): number => {
    if (kind === 'xtn') return Number(BigInt.asIntN(32, v));
    const lim = kind === 'sqxtn' ? [-(2n ** 31n), 2n ** 31n - 1n] : [0n, 2n ** 32n - 1n];
    if (v < lim[0] || v > lim[1]) {
      sat.qc = 1;
      return Number(BigInt.asIntN(32, v < lim[0] ? lim[0] : lim[1]));
    }
    return Number(BigInt.asIntN(32, v));
  };
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const d = f.Rd;
    const cnt = scalar ? 1 : 64 / es;
    const part = scalar ? 0 : f.Q;
    const nb = vw(n);
    return (c) => {
      const r = c.r;
      if (es === 32 && kind === 'xtn') {
        // the low word of each 64-bit lane
        for (let i = 0; i < cnt; i++) D[i] = r[nb + 2 * i];
      } else if (es === 32) {
        readLanes64(r, n, srcSigned, A64);
        for (let i = 0; i < cnt; i++) D[i] = fix64(A64[i]);
      } else {
        readLanes(r, n, 2 * es, srcSigned, A);
        for (let i = 0; i < cnt; i++) D[i] = fix(A[i], es);
      }
      if (scalar) writeLanes(r, d, es, D, 1);
      else writeHalf(r, d, es, D, cnt, part);
      flushQc(r);
    };
  };
}

// ---- across lanes ----

function acrossExec(kind: 'add' | 'smax' | 'umax' | 'smin' | 'umin' | 'saddl' | 'uaddl'): Handler {
  const signed = kind === 'smax' || kind === 'smin' || kind === 'saddl';
  return (f: Fields): Exec => {
    const es = 8 << f.size;
    const n = f.Rn;
    const d = f.Rd;
    const cnt = (f.Q ? 128 : 64) / es;
    const wide = kind === 'saddl' || kind === 'uaddl';
    const W: number[] = [0];
    return (c) => {
      const r = c.r;
      readLanes(r, n, es, signed, A);
      let v = A[0];
      for (let i = 1; i < cnt; i++) {
        const a = A[i];
        if (kind === 'smax' || kind === 'umax') v = a > v ? a : v;
        else if (kind === 'smin' || kind === 'umin') v = a < v ? a : v;
        else v += a;
      }
      W[0] = v;
      writeWide(r, d, wide ? 2 * es : es, W, 1);
    };
  };
}

function addpScalar(f: Fields): Exec {
  const n = vw(f.Rn);
  const d = vw(f.Rd);
  return (c) => {
    const r = c.r;
    const s = (r[n] >>> 0) + (r[n + 2] >>> 0);
    const hi = (r[n + 1] + r[n + 3] + (s >= 0x100000000 ? 1 : 0)) | 0;
    r[d] = s | 0;
    r[d + 1] = hi;
    r[d + 2] = 0;
    r[d + 3] = 0;
  };
}

const vu = (name: string): Handler => unary(UNARY[name], false);
const su = (name: string): Handler => unary(UNARY[name], true);

export const SIMD_MISC_EXEC = {
  REV64_v: rev(8), REV16_v: rev(2), REV32_v: rev(4),
  SADDLP_v: addlp(false, false), UADDLP_v: addlp(true, false), SADALP_v: addlp(false, true), UADALP_v: addlp(true, true),
  SUQADD_v: sqaddMixed(false, false), USQADD_v: sqaddMixed(true, false),
  CLS_v: vu('CLS'), CLZ_v: vu('CLZ'), CNT_v: vu('CNT'), NOT_v: vu('NOT'), RBIT_v: vu('RBIT'),
  SQABS_v: vu('SQABS'), SQNEG_v: vu('SQNEG'), CMGT0_v: vu('CMGT0'), CMGE0_v: vu('CMGE0'), CMEQ0_v: cmeqWords(true, false, vu('CMEQ0')),
  CMLE0_v: vu('CMLE0'), CMLT0_v: vu('CMLT0'), ABS_v: vu('ABS'), NEG_v: vu('NEG'),
  XTN_v: narrowExec('xtn', false), SQXTUN_v: narrowExec('sqxtun', false), SHLL_v: shll, SQXTN_v: narrowExec('sqxtn', false),
  UQXTN_v: narrowExec('uqxtn', false), URECPE_v: vu('URECPE'), URSQRTE_v: vu('URSQRTE'),
  SUQADD_s: sqaddMixed(false, true), USQADD_s: sqaddMixed(true, true), SQABS_s: su('SQABS'), SQNEG_s: su('SQNEG'),
  CMGT0_s: su('CMGT0'), CMGE0_s: su('CMGE0'), CMEQ0_s: su('CMEQ0'), CMLE0_s: su('CMLE0'), CMLT0_s: su('CMLT0'),
  ABS_s: su('ABS'), NEG_s: su('NEG'),
  SQXTUN_s: narrowExec('sqxtun', true), SQXTN_s: narrowExec('sqxtn', true), UQXTN_s: narrowExec('uqxtn', true),
  SADDLV: acrossExec('saddl'), UADDLV: acrossExec('uaddl'), SMAXV: acrossExec('smax'), UMAXV: acrossExec('umax'),
  SMINV: acrossExec('smin'), UMINV: acrossExec('umin'), ADDV: acrossExec('add'), ADDP_s: addpScalar,
};
