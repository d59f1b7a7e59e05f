// Executors of the Advanced SIMD floating-point rows (rows/fpVector.ts, rows/fpVectorMisc.ts): each lane
// runs the scalar operation of exec/fp/ (so NaN rules, rounding, flush-to-zero and the FPSR flags are the
// scalar ones, the flags of all lanes ORed), results are gathered and written to Vd at the end (the upper
// half cleared for 64-bit arrangements). Pairwise operations work on the concatenation Vm:Vn; the
// across-lanes reductions combine halves recursively as the Arm ARM's Reduce() does (the order matters for
// which NaN comes out).
import type { Cpu } from '../../cpu/cpu';
import { I_FPCR, I_FPSR, I_VREG } from '../../cpu/regs';
import type { Fields } from '../pattern';
import type { Handler } from './types';
import { type Fmt, D, H, S } from './fp/format';
import { fpAdd, fpCompareOp, fpDiv, fpMax, fpMaxNum, fpMul, fpMulAdd, fpMulX, fpSub } from './fp/arith';
import { fpStepFused } from './fp/estimate';
import { fpst } from './fp/state';

export type Op2 = (fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number) => number;

export const fmtOf = (f: Fields): Fmt => (f.sz === undefined ? H : f.sz ? D : S);
export const vbase = (n: number): number => I_VREG + 4 * n;

/** Lane i of the register at word index v: the low word returned, the high word (doubles) in laneHi. */
export let laneHi = 0;
export function lane(r: Int32Array, v: number, fmt: Fmt, i: number): number {
  if (fmt.N === 64) {
    laneHi = r[v + 2 * i + 1];
    return r[v + 2 * i];
  }
  laneHi = 0;
  if (fmt.N === 32) return r[v + i];
  return (r[v + (i >> 1)] >>> ((i & 1) << 4)) & 0xffff;
}

/** Result lanes, written to Vd by flush. */
export const res = new Int32Array(4);
export function setLane(fmt: Fmt, i: number, lo: number, hi: number): void {
  if (fmt.N === 64) {
    res[2 * i] = lo;
    res[2 * i + 1] = hi;
  } else if (fmt.N === 32) res[i] = lo;
  else if (i & 1) res[i >> 1] = (res[i >> 1] & 0xffff) | (lo << 16);
  else res[i >> 1] = (res[i >> 1] & ~0xffff) | (lo & 0xffff);
}

export function begin(c: Cpu): Int32Array {
  fpst.fpcr = c.r[I_FPCR];
  fpst.flags = 0;
  res.fill(0);
  return c.r;
}

/** Writes res to V[d] (words beyond `words` cleared) and the flags to FPSR. */
export function flush(r: Int32Array, d: number, words: number): void {
  r[d] = res[0];
  r[d + 1] = res[1];
  r[d + 2] = words > 2 ? res[2] : 0;
  r[d + 3] = words > 2 ? res[3] : 0;
  r[I_FPSR] |= fpst.flags;
}

export const lanes = (fmt: Fmt, q: number): number => (q ? 128 : 64) / fmt.N;

/** Lane-wise Vd = op(Vn, Vm). */
export const binary = (op: Op2): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const m = vbase(f.Rm);
  const d = vbase(f.Rd);
  const k = lanes(fmt, f.Q);
  const words = f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    for (let i = 0; i < k; i++) {
      const aLo = lane(r, n, fmt, i);
      const aHi = laneHi;
      const bLo = lane(r, m, fmt, i);
      const lo = op(fmt, aLo, aHi, bLo, laneHi);
      setLane(fmt, i, lo, fpst.hi);
    }
    flush(r, d, words);
  };
};

/** FMLA/FMLS: Vd = Vd + (±Vn) * Vm, fused per lane. */
const mla = (neg: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const m = vbase(f.Rm);
  const d = vbase(f.Rd);
  const k = lanes(fmt, f.Q);
  const words = f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    for (let i = 0; i < k; i++) {
      const cLo = lane(r, d, fmt, i);
      const cHi = laneHi;
      const aLo = lane(r, n, fmt, i);
      const aHi = laneHi;
      const bLo = lane(r, m, fmt, i);
      const lo = fpMulAdd(fmt, cLo, cHi, aLo, aHi, bLo, laneHi, false, neg);
      setLane(fmt, i, lo, fpst.hi);
    }
    flush(r, d, words);
  };
};

/** Pairwise: result lane e = op(x[2e], x[2e+1]) over the concatenation x = Vm:Vn. */
export const pairwise = (op: Op2): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const m = vbase(f.Rm);
  const d = vbase(f.Rd);
  const k = lanes(fmt, f.Q);
  const words = f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    for (let e = 0; e < k; e++) {
      const src = e < k / 2 ? n : m;
      const j = 2 * (e % (k / 2));
      const aLo = lane(r, src, fmt, j);
      const aHi = laneHi;
      const bLo = lane(r, src, fmt, j + 1);
      const lo = op(fmt, aLo, aHi, bLo, laneHi);
      setLane(fmt, e, lo, fpst.hi);
    }
    flush(r, d, words);
  };
};

/** Scalar pairwise: Vd's element = op(Vn[0], Vn[1]). */
const scalarPair = (op: Op2): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const d = vbase(f.Rd);
  return (c) => {
    const r = begin(c);
    const aLo = lane(r, n, fmt, 0);
    const aHi = laneHi;
    const bLo = lane(r, n, fmt, 1);
    setLane(fmt, 0, op(fmt, aLo, aHi, bLo, laneHi), fpst.hi);
    flush(r, d, 0);
  };
};

/** Reduce(): op(reduce(lower half), reduce(upper half)), down to single lanes. */
function reduce(r: Int32Array, n: number, fmt: Fmt, op: Op2, first: number, count: number): number {
  if (count === 1) return lane(r, n, fmt, first);
  const half = count >> 1;
  const lo = reduce(r, n, fmt, op, first, half);
  const hi = reduce(r, n, fmt, op, first + half, half);
  return op(fmt, lo, 0, hi, 0);
}

const across = (op: Op2): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const d = vbase(f.Rd);
  const k = lanes(fmt, f.Q);
  return (c) => {
    const r = begin(c);
    setLane(fmt, 0, reduce(r, n, fmt, op, 0, k), 0);
    flush(r, d, 0);
  };
};

const bool = (kind: number, abs: boolean): Op2 => (fmt, a, b, c2, d) => {
  const t = fpCompareOp(fmt, a, b, c2, d, kind, abs);
  fpst.hi = t ? -1 : 0;
  return t ? -1 : 0;
};

const fabd: Op2 = (fmt, a, b, c2, d) => {
  const lo = fpSub(fmt, a, b, c2, d);
  if (fmt.N === 64) {
    fpst.hi &= 0x7fffffff;
    return lo;
  }
  return lo & (fmt.N === 32 ? 0x7fffffff : 0x7fff);
};

const max = (num: boolean, isMax: boolean): Op2 => (fmt, a, b, c2, d) => (num ? fpMaxNum(fmt, a, b, c2, d, isMax) : fpMax(fmt, a, b, c2, d, isMax));
const step = (rsqrt: boolean): Op2 => (fmt, a, b, c2, d) => fpStepFused(fmt, a, b, c2, d, rsqrt);

function precExecs<S extends '' | '_h'>(s: S) {
  return {
    [`FMAXNM_v${s}`]: binary(max(true, true)),
    [`FMLA_v${s}`]: mla(false),
    [`FADD_v${s}`]: binary(fpAdd as Op2),
    [`FMULX_v${s}`]: binary(fpMulX),
    [`FCMEQ_v${s}`]: binary(bool(0, false)),
    [`FMAX_v${s}`]: binary(max(false, true)),
    [`FRECPS_v${s}`]: binary(step(false)),
    [`FMINNM_v${s}`]: binary(max(true, false)),
    [`FMLS_v${s}`]: mla(true),
    [`FSUB_v${s}`]: binary(fpSub),
    [`FMIN_v${s}`]: binary(max(false, false)),
    [`FRSQRTS_v${s}`]: binary(step(true)),
    [`FMAXNMP_v${s}`]: pairwise(max(true, true)),
    [`FADDP_v${s}`]: pairwise(fpAdd as Op2),
    [`FMUL_v${s}`]: binary(fpMul),
    [`FCMGE_v${s}`]: binary(bool(1, false)),
    [`FACGE_v${s}`]: binary(bool(1, true)),
    [`FMAXP_v${s}`]: pairwise(max(false, true)),
    [`FDIV_v${s}`]: binary(fpDiv),
    [`FMINNMP_v${s}`]: pairwise(max(true, false)),
    [`FABD_v${s}`]: binary(fabd),
    [`FCMGT_v${s}`]: binary(bool(2, false)),
    [`FACGT_v${s}`]: binary(bool(2, true)),
    [`FMINP_v${s}`]: pairwise(max(false, false)),
    [`FMAXNMP_p${s}`]: scalarPair(max(true, true)),
    [`FADDP_p${s}`]: scalarPair(fpAdd as Op2),
    [`FMAXP_p${s}`]: scalarPair(max(false, true)),
    [`FMINNMP_p${s}`]: scalarPair(max(true, false)),
    [`FMINP_p${s}`]: scalarPair(max(false, false)),
    [`FMAXNMV${s}`]: across(max(true, true)),
    [`FMAXV${s}`]: across(max(false, true)),
    [`FMINNMV${s}`]: across(max(true, false)),
    [`FMINV${s}`]: across(max(false, false)),
  } as Record<`${'FMAXNM_v' | 'FMLA_v' | 'FADD_v' | 'FMULX_v' | 'FCMEQ_v' | 'FMAX_v' | 'FRECPS_v' | 'FMINNM_v' | 'FMLS_v' | 'FSUB_v'
    | 'FMIN_v' | 'FRSQRTS_v' | 'FMAXNMP_v' | 'FADDP_v' | 'FMUL_v' | 'FCMGE_v' | 'FACGE_v' | 'FMAXP_v' | 'FDIV_v' | 'FMINNMP_v' | 'FABD_v'
    | 'FCMGT_v' | 'FACGT_v' | 'FMINP_v' | 'FMAXNMP_p' | 'FADDP_p' | 'FMAXP_p' | 'FMINNMP_p' | 'FMINP_p' | 'FMAXNMV' | 'FMAXV' | 'FMINNMV'
    | 'FMINV'}${S}`, Handler>;
}

export const FP_VECTOR_EXEC = {
  ...precExecs(''),
  ...precExecs('_h'),
} satisfies Record<string, Handler>;
