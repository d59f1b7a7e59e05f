// Executors of the floating-point rows of the Advanced SIMD scalar classes (rows/fpSimdScalar.ts): the
// integer conversions with the integer in a SIMD&FP register of the FP operand's width (16, 32 or 64 bits,
// saturating at that width), compares that write an all-ones or all-zeros element, FMULX, FABD, FCVTXN
// (double to single, rounding to odd) and the fixed-point conversions by immediate. Results go to the low
// element of Vd, the rest of the register cleared; flags to FPSR.
import { fixedFbits } from '../rows/fpSimdScalar';
import type { Handler } from './types';
import { type Fmt, D, H, S } from './fp/format';
import { fpCompareOp, fpMulX, fpSub } from './fp/arith';
import { fixedToFp, fpConvert, fpToFixed } from './fp/convert';
import { begin, fmtOf, lowMask, put, vreg } from './fp/scalarIo';
import { RA, RM, RN, RO, RP, RZ, fpst, rmode } from './fp/state';




/** FP to integer of the same width, rounding per `mode` ('fpcr' never: these name their rounding). */
const toInt = (mode: number, unsigned: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const d = vreg(f.Rd);
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, fpToFixed(fmt, r[n] & mask, r[n + 1], 0, unsigned, fmt.N, mode));
  };
};

const fromInt = (unsigned: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const d = vreg(f.Rd);
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, fixedToFp(fmt, r[n], r[n + 1], fmt.N, unsigned, 0, rmode()));
  };
};

/** Compares: kind 0 EQ, 1 GE, 2 GT; `swap` compares zero with the operand (FCMLE, FCMLT). */
const compare = (kind: number, zero: boolean, swap: boolean, abs: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm ?? 0);
  const d = vreg(f.Rd);
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    let res: boolean;
    if (!zero) res = fpCompareOp(fmt, r[n] & mask, r[n + 1], r[m] & mask, r[m + 1], kind, abs);
    else if (swap) res = fpCompareOp(fmt, 0, 0, r[n] & mask, r[n + 1], kind, false);
    else res = fpCompareOp(fmt, r[n] & mask, r[n + 1], 0, 0, kind, false);
    fpst.hi = res ? -1 : 0;
    put(r, d, fmt, res ? -1 : 0);
  };
};

const two = (op: (fmt: Fmt, a: number, b: number, c: number, d: number) => number): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm);
  const d = vreg(f.Rd);
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, op(fmt, r[n] & mask, r[n + 1], r[m] & mask, r[m + 1]));
  };
};

/** FABD: FPAbs(FPSub(a, b)); a NaN result loses its sign too. */
const fabd = (fmt: Fmt, a: number, b: number, c2: number, d: number): number => {
  const lo = fpSub(fmt, a, b, c2, d);
  if (fmt.N === 64) {
    fpst.hi &= 0x7fffffff;
    return lo;
  }
  return lo & (fmt.N === 32 ? 0x7fffffff : 0x7fff);
};

const fcvtxn: Handler = (f) => {
  const n = vreg(f.Rn);
  const d = vreg(f.Rd);
  return (c) => {
    const r = begin(c);
    put(r, d, S, fpConvert(D, S, r[n], r[n + 1], RO));
  };
};

/** Fixed-point conversions by immediate; the half-precision form needs FEAT_FP16 (checked when run). */
const fixed = (toFp: boolean, unsigned: boolean): Handler => (f) => {
  const fmt = f.immh & 8 ? D : f.immh & 4 ? S : H;
  const fbits = fixedFbits(f);
  const n = vreg(f.Rn);
  const d = vreg(f.Rd);
  const half = fmt === H;
  const mask = lowMask(fmt);
  return (c) => {
    if (half && !c.features.has('FEAT_FP16')) c.undefined();
    const r = begin(c);
    if (toFp) put(r, d, fmt, fixedToFp(fmt, r[n], r[n + 1], fmt.N, unsigned, fbits, rmode()));
    else put(r, d, fmt, fpToFixed(fmt, r[n] & mask, r[n + 1], fbits, unsigned, fmt.N, RZ));
  };
};

function precExecs<S extends '' | '_h'>(s: S) {
  return {
    [`FCVTNS_sc${s}`]: toInt(RN, false),
    [`FCVTMS_sc${s}`]: toInt(RM, false),
    [`FCVTAS_sc${s}`]: toInt(RA, false),
    [`SCVTF_sc${s}`]: fromInt(false),
    [`FCVTPS_sc${s}`]: toInt(RP, false),
    [`FCVTZS_sc${s}`]: toInt(RZ, false),
    [`FCVTNU_sc${s}`]: toInt(RN, true),
    [`FCVTMU_sc${s}`]: toInt(RM, true),
    [`FCVTAU_sc${s}`]: toInt(RA, true),
    [`UCVTF_sc${s}`]: fromInt(true),
    [`FCVTPU_sc${s}`]: toInt(RP, true),
    [`FCVTZU_sc${s}`]: toInt(RZ, true),
    [`FCMGT_zero_sc${s}`]: compare(2, true, false, false),
    [`FCMEQ_zero_sc${s}`]: compare(0, true, false, false),
    [`FCMLT_zero_sc${s}`]: compare(2, true, true, false),
    [`FCMGE_zero_sc${s}`]: compare(1, true, false, false),
    [`FCMLE_zero_sc${s}`]: compare(1, true, true, false),
    [`FMULX_sc${s}`]: two(fpMulX),
    [`FCMEQ_sc${s}`]: compare(0, false, false, false),
    [`FCMGE_sc${s}`]: compare(1, false, false, false),
    [`FACGE_sc${s}`]: compare(1, false, false, true),
    [`FABD_sc${s}`]: two(fabd),
    [`FCMGT_sc${s}`]: compare(2, false, false, false),
    [`FACGT_sc${s}`]: compare(2, false, false, true),
  } as Record<`${'FCVTNS' | 'FCVTMS' | 'FCVTAS' | 'SCVTF' | 'FCVTPS' | 'FCVTZS' | 'FCVTNU' | 'FCVTMU' | 'FCVTAU' | 'UCVTF' | 'FCVTPU'
    | 'FCVTZU' | 'FCMGT_zero' | 'FCMEQ_zero' | 'FCMLT_zero' | 'FCMGE_zero' | 'FCMLE_zero' | 'FMULX' | 'FCMEQ' | 'FCMGE' | 'FACGE' | 'FABD'
    | 'FCMGT' | 'FACGT'}_sc${S}`, Handler>;
}

export const FP_SIMD_SCALAR_EXEC = {
  ...precExecs(''),
  ...precExecs('_h'),
  FCVTXN_sc: fcvtxn,
  SCVTF_fix_sc: fixed(true, false),
  UCVTF_fix_sc: fixed(true, true),
  FCVTZS_fix_sc: fixed(false, false),
  FCVTZU_fix_sc: fixed(false, true),
} satisfies Record<string, Handler>;
