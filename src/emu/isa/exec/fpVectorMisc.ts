// Executors of the vector floating-point two-register misc rows (rows/fpVectorMisc.ts), lane by lane over
// the scalar operations (exec/fp/), through the lane helpers of exec/fpVector.ts. FCVTN/FCVTXN write the
// narrowed lanes to the lower half (clearing the upper) or, for the '2' forms, to the upper half (keeping
// the lower); FCVTL widens the lower or upper half of Vn.
import type { Handler } from './types';
import { type Fmt, D, H, S } from './fp/format';
import { fpCompareOp, fpSqrt } from './fp/arith';
import { fixedToFp, fpConvert, fpRoundInt, fpRoundIntN, fpToFixed } from './fp/convert';
import { fpRecipEstimate, fpRSqrtEstimate } from './fp/estimate';
import { RA, RM, RN, RO, RP, RZ, fpst, rmode } from './fp/state';
import { begin, flush, fmtOf, lane, laneHi, lanes, res, setLane, vbase } from './fpVector';

type Op1 = (fmt: Fmt, lo: number, hi: number) => number;

const unary = (op: Op1): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const d = vbase(f.Rd);
  const k = lanes(fmt, f.Q);
  const words = f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    for (let i = 0; i < k; i++) {
      const lo = lane(r, n, fmt, i);
      setLane(fmt, i, op(fmt, lo, laneHi), fpst.hi);
    }
    flush(r, d, words);
  };
};

const frint = (mode: number | 'fpcr', exact: boolean): Op1 => (fmt, lo, hi) => fpRoundInt(fmt, lo, hi, mode === 'fpcr' ? rmode() : mode, exact);
const frintN = (bits: 32 | 64, useFpcr: boolean): Op1 => (fmt, lo, hi) => fpRoundIntN(fmt, lo, hi, useFpcr ? rmode() : RZ, bits);
const toInt = (mode: number, unsigned: boolean): Op1 => (fmt, lo, hi) => fpToFixed(fmt, lo, hi, 0, unsigned, fmt.N, mode);
const fromInt = (unsigned: boolean): Op1 => (fmt, lo, hi) => fixedToFp(fmt, lo, hi, fmt.N, unsigned, 0, rmode());
const cmpZero = (kind: number, swap: boolean): Op1 => (fmt, lo, hi) => {
  const t = swap ? fpCompareOp(fmt, 0, 0, lo, hi, kind, false) : fpCompareOp(fmt, lo, hi, 0, 0, kind, false);
  fpst.hi = t ? -1 : 0;
  return t ? -1 : 0;
};
const sign = (neg: boolean): Op1 => (fmt, lo, hi) => {
  if (fmt.N === 64) {
    fpst.hi = neg ? hi ^ (1 << 31) : hi & 0x7fffffff;
    return lo;
  }
  const top = fmt.N === 32 ? 1 << 31 : 1 << 15;
  return neg ? lo ^ top : lo & ~top;
};

/** FCVTN/FCVTXN: 2D -> 2S or 4S -> 4H into the lower half, or the upper half for the '2' forms. */
const narrow = (odd: boolean): Handler => (f) => {
  const src = odd || f.sz ? D : S;
  const dst = src === D ? S : H;
  const n = vbase(f.Rn);
  const d = vbase(f.Rd);
  const k = 128 / src.N;
  const upper = f.Q === 1;
  return (c) => {
    const r = begin(c);
    const base = upper ? k : 0;
    if (upper) {
      res[0] = r[d];
      res[1] = r[d + 1];
    }
    for (let i = 0; i < k; i++) {
      const lo = lane(r, n, src, i);
      setLane(dst, base + i, fpConvert(src, dst, lo, laneHi, odd ? RO : rmode()), 0);
    }
    flush(r, d, upper ? 4 : 2);
  };
};

/** FCVTL: 2S -> 2D or 4H -> 4S from the lower half, or the upper half for FCVTL2. */
const widen: Handler = (f) => {
  const dst = f.sz ? D : S;
  const src = dst === D ? S : H;
  const n = vbase(f.Rn);
  const d = vbase(f.Rd);
  const k = 128 / dst.N;
  const base = f.Q ? k : 0;
  return (c) => {
    const r = begin(c);
    for (let i = 0; i < k; i++) {
      const lo = lane(r, n, src, base + i);
      setLane(dst, i, fpConvert(src, dst, lo, laneHi), fpst.hi);
    }
    flush(r, d, 4);
  };
};

function precExecs<S extends '' | '_h'>(s: S) {
  return {
    [`FRINTN_v${s}`]: unary(frint(RN, false)),
    [`FRINTM_v${s}`]: unary(frint(RM, false)),
    [`FCVTNS_v${s}`]: unary(toInt(RN, false)),
    [`FCVTMS_v${s}`]: unary(toInt(RM, false)),
    [`FCVTAS_v${s}`]: unary(toInt(RA, false)),
    [`SCVTF_v${s}`]: unary(fromInt(false)),
    [`FCMGT_zero_v${s}`]: unary(cmpZero(2, false)),
    [`FCMEQ_zero_v${s}`]: unary(cmpZero(0, false)),
    [`FCMLT_zero_v${s}`]: unary(cmpZero(2, true)),
    [`FABS_v${s}`]: unary(sign(false)),
    [`FRINTP_v${s}`]: unary(frint(RP, false)),
    [`FRINTZ_v${s}`]: unary(frint(RZ, false)),
    [`FCVTPS_v${s}`]: unary(toInt(RP, false)),
    [`FCVTZS_v${s}`]: unary(toInt(RZ, false)),
    [`FRECPE_v${s}`]: unary(fpRecipEstimate),
    [`FRINTA_v${s}`]: unary(frint(RA, false)),
    [`FRINTX_v${s}`]: unary(frint('fpcr', true)),
    [`FCVTNU_v${s}`]: unary(toInt(RN, true)),
    [`FCVTMU_v${s}`]: unary(toInt(RM, true)),
    [`FCVTAU_v${s}`]: unary(toInt(RA, true)),
    [`UCVTF_v${s}`]: unary(fromInt(true)),
    [`FCMGE_zero_v${s}`]: unary(cmpZero(1, false)),
    [`FCMLE_zero_v${s}`]: unary(cmpZero(1, true)),
    [`FNEG_v${s}`]: unary(sign(true)),
    [`FRINTI_v${s}`]: unary(frint('fpcr', false)),
    [`FCVTPU_v${s}`]: unary(toInt(RP, true)),
    [`FCVTZU_v${s}`]: unary(toInt(RZ, true)),
    [`FRSQRTE_v${s}`]: unary(fpRSqrtEstimate),
    [`FSQRT_v${s}`]: unary(fpSqrt),
  } as Record<`${'FRINTN' | 'FRINTM' | 'FCVTNS' | 'FCVTMS' | 'FCVTAS' | 'SCVTF' | 'FCMGT_zero' | 'FCMEQ_zero' | 'FCMLT_zero' | 'FABS'
    | 'FRINTP' | 'FRINTZ' | 'FCVTPS' | 'FCVTZS' | 'FRECPE' | 'FRINTA' | 'FRINTX' | 'FCVTNU' | 'FCVTMU' | 'FCVTAU' | 'UCVTF' | 'FCMGE_zero'
    | 'FCMLE_zero' | 'FNEG' | 'FRINTI' | 'FCVTPU' | 'FCVTZU' | 'FRSQRTE' | 'FSQRT'}_v${S}`, Handler>;
}

export const FP_VECTOR_MISC_EXEC = {
  ...precExecs(''),
  ...precExecs('_h'),
  FRINT32Z_v: unary(frintN(32, false)),
  FRINT64Z_v: unary(frintN(64, false)),
  FRINT32X_v: unary(frintN(32, true)),
  FRINT64X_v: unary(frintN(64, true)),
  FCVTN_v: narrow(false),
  FCVTL_v: widen,
  FCVTXN_v: narrow(true),
} satisfies Record<string, Handler>;
