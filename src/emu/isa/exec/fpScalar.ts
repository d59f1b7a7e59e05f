// Executors of the scalar floating-point rows (rows/fp.ts). Each binds its register indices and the
// operation at decode time; at run time it loads the FPCR into the FP scratch state, runs the operation
// (fp/arith.ts, fp/convert.ts), writes the result to Vd's low bits and clears the rest of the 128-bit
// register (a scalar write zeroes the upper bits), and ORs the raised flags into FPSR. Half-precision
// operands are the low 16 bits of word 0. FCMP/FCCMP write NZCV; FMOV and FCSEL copy bits (no NaN
// processing, no flags); FABS/FNEG flip bits (no flags, NaNs unchanged but for the sign).
import { I_C, I_FPSR, I_N, I_V, I_Z, zr, zrw } from '../../cpu/regs';
import type { Fields } from '../pattern';
import { fpImmValue } from '../rows/fp';
import type { Exec, Handler } from './types';
import { condHolds } from './branch';
import { type Fmt, D, H, S } from './fp/format';
import { fpAdd, fpCompare, fpDiv, fpMax, fpMaxNum, fpMul, fpMulAdd, fpSqrt, fpSub } from './fp/arith';
import { fixedToFp, fjcvtzs, fpConvert, fpRoundInt, fpRoundIntN, fpToFixed, jsZ } from './fp/convert';
import { encodeExact } from './fp/round';
import { fpRecipEstimate, fpRecpX, fpRSqrtEstimate, fpStepFused } from './fp/estimate';
import { begin, fmtOf, lowMask, put, vreg } from './fp/scalarIo';
import { RA, RM, RN, RP, RZ, fpst, rmode } from './fp/state';

const FMT_BY_TYPE = [S, D, null, H];



type Op2 = (fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number) => number;
type Op1 = (fmt: Fmt, lo: number, hi: number) => number;

const two = (op: Op2): Handler => (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm);
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, op(fmt, r[n] & mask, r[n + 1], r[m] & mask, r[m + 1]));
  };
};

const one = (op: Op1): Handler => (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, op(fmt, r[n] & mask, r[n + 1]));
  };
};

/** Bit operations on the sign (FMOV, FABS, FNEG): no FPCR, no flags. */
const signOp = (kind: 'mov' | 'abs' | 'neg'): Handler => (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const top = fmt.N === 16 ? 1 << 15 : 1 << 31;
  const and = kind === 'abs' ? ~top : -1;
  const xor = kind === 'neg' ? top : 0;
  return (c) => {
    const r = c.r;
    if (fmt.N === 64) {
      const lo = r[n];
      const hi = (r[n + 1] & and) ^ xor;
      r[d] = lo;
      r[d + 1] = hi;
    } else {
      r[d] = ((r[n] & and) ^ xor) & lowMask(fmt);
      r[d + 1] = 0;
    }
    r[d + 2] = 0;
    r[d + 3] = 0;
  };
};

const fma = (negA: boolean, negP: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm);
  const a = vreg(f.Ra);
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, fpMulAdd(fmt, r[a] & mask, r[a + 1], r[n] & mask, r[n + 1], r[m] & mask, r[m + 1], negA, negP));
  };
};

/** FNMUL: the product, negated after rounding (NaN results too). */
const fnmul: Op2 = (fmt, aLo, aHi, bLo, bHi) => {
  const lo = fpMul(fmt, aLo, aHi, bLo, bHi);
  if (fmt.N === 64) {
    fpst.hi ^= 1 << 31;
    return lo;
  }
  return lo ^ (fmt.N === 32 ? 1 << 31 : 1 << 15);
};

function setNzcv(r: Int32Array, v: number): void {
  r[I_N] = (v >>> 31) & 1;
  r[I_Z] = (v >>> 30) & 1;
  r[I_C] = (v >>> 29) & 1;
  r[I_V] = (v >>> 28) & 1;
}

const fcmp = (zero: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm);
  const mask = lowMask(fmt);
  const e = !!f.E;
  return (c) => {
    const r = begin(c);
    const v = zero ? fpCompare(fmt, r[n] & mask, r[n + 1], 0, 0, e) : fpCompare(fmt, r[n] & mask, r[n + 1], r[m] & mask, r[m + 1], e);
    setNzcv(r, v);
    r[I_FPSR] |= fpst.flags;
  };
};

const fccmp: Handler = (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm);
  const mask = lowMask(fmt);
  const e = !!f.E;
  const cond = f.cond;
  const imm = f.nzcv << 28;
  return (c) => {
    if (!condHolds(c, cond)) return setNzcv(c.r, imm);
    const r = begin(c);
    setNzcv(r, fpCompare(fmt, r[n] & mask, r[n + 1], r[m] & mask, r[m + 1], e));
    r[I_FPSR] |= fpst.flags;
  };
};

const fcsel: Handler = (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const m = vreg(f.Rm);
  const cond = f.cond;
  const mask = lowMask(fmt);
  return (c) => {
    const r = c.r;
    const s = condHolds(c, cond) ? n : m;
    const lo = r[s] & mask;
    r[d + 1] = fmt.N === 64 ? r[s + 1] : 0;
    r[d] = lo;
    r[d + 2] = 0;
    r[d + 3] = 0;
  };
};

const fmovImm: Handler = (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  fpst.fpcr = 0;
  const v = fpImmValue(f.imm8);
  const lo = encodeExact(fmt, v, v < 0 ? 1 : 0);
  const hi = fmt.N === 64 ? fpst.hi : 0;
  return (c) => {
    const r = c.r;
    r[d] = lo;
    r[d + 1] = hi;
    r[d + 2] = 0;
    r[d + 3] = 0;
  };
};

/** Rounding mode of FCVT{N,P,M,Z}: rmode 00 N (ties even), 01 P, 10 M, 11 Z. */
const CVT_MODE = [RN, RP, RM, RZ];

/** FP to integer/fixed point into Wd/Xd, rounding per the instruction (rmode field: FCVTN/P/M/Z; or fixed). */
const toInt = (mode: number | 'rmode', fixed: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vreg(f.Rn);
  const d = 2 * zrw(f.Rd);
  const bits = f.sf ? 64 : 32;
  const fbits = fixed ? 64 - f.scale : 0;
  const md = mode === 'rmode' ? CVT_MODE[f.rmode] : mode;
  const unsigned = !!f.U;
  const mask = lowMask(fmt);
  return (c) => {
    const r = begin(c);
    const lo = fpToFixed(fmt, r[n] & mask, r[n + 1], fbits, unsigned, bits, md);
    r[d] = lo;
    r[d + 1] = fpst.hi;
    r[I_FPSR] |= fpst.flags;
  };
};

/** SCVTF/UCVTF from Wn/Xn, rounding under the FPCR. */
const fromInt = (fixed: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = 2 * zr(f.Rn);
  const d = vreg(f.Rd);
  const bits = f.sf ? 64 : 32;
  const fbits = fixed ? 64 - f.scale : 0;
  const unsigned = !!f.U;
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, fixedToFp(fmt, r[n], r[n + 1], bits, unsigned, fbits, rmode()));
  };
};

const frint = (mode: number | 'fpcr', exact: boolean): Handler =>
  one((fmt, lo, hi) => fpRoundInt(fmt, lo, hi, mode === 'fpcr' ? rmode() : mode, exact));

const frintts: Handler = (f) => {
  const fmt = fmtOf(f);
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const bits = f.op & 2 ? 64 : 32;
  const useFpcr = (f.op & 1) === 1;
  return (c) => {
    const r = begin(c);
    put(r, d, fmt, fpRoundIntN(fmt, r[n], r[n + 1], useFpcr ? rmode() : RZ, bits));
  };
};

const fcvtPrec: Handler = (f) => {
  const src = FMT_BY_TYPE[f.ftype]!;
  const dst = FMT_BY_TYPE[f.opc]!;
  const d = vreg(f.Rd);
  const n = vreg(f.Rn);
  const mask = lowMask(src);
  return (c) => {
    const r = begin(c);
    put(r, d, dst, fpConvert(src, dst, r[n] & mask, r[n + 1]));
  };
};

/** FMOV between a general register and V: `width` bits, `elem` 0 (low) or 1 (the top half D[1]). */
const fmovGen = (width: 16 | 32 | 64, elem: 0 | 1): Handler => (f) => {
  const w = width === 16 ? (f.sf ? 64 : 32) : width;
  if (f.toFp) {
    const n = 2 * zr(f.Rn);
    const d = vreg(f.Rd) + 2 * elem;
    if (elem) {
      // the top half is written, the bottom half kept
      return (c) => {
        const r = c.r;
        r[d] = r[n];
        r[d + 1] = r[n + 1];
      };
    }
    return (c) => {
      const r = c.r;
      r[d] = width === 16 ? r[n] & 0xffff : r[n];
      r[d + 1] = width === 64 ? r[n + 1] : 0;
      r[d + 2] = 0;
      r[d + 3] = 0;
    };
  }
  const n = vreg(f.Rn) + 2 * elem;
  const d = 2 * zrw(f.Rd);
  return (c) => {
    const r = c.r;
    r[d] = width === 16 ? r[n] & 0xffff : r[n];
    r[d + 1] = w === 64 && width === 64 ? r[n + 1] : 0;
  };
};

const fjcvt: Handler = (f) => {
  const n = vreg(f.Rn);
  const d = 2 * zrw(f.Rd);
  return (c) => {
    const r = begin(c);
    r[d] = fjcvtzs(r[n], r[n + 1]);
    r[d + 1] = 0;
    r[I_N] = 0;
    r[I_Z] = jsZ;
    r[I_C] = 0;
    r[I_V] = 0;
    r[I_FPSR] |= fpst.flags;
  };
};

const maxOp = (num: boolean, max: boolean): Op2 => (fmt, a, b, c2, d) => (num ? fpMaxNum(fmt, a, b, c2, d, max) : fpMax(fmt, a, b, c2, d, max));

function precisionExecs<S extends '' | '_h'>(s: S) {
  return {
    [`FMOV_reg${s}`]: signOp('mov'),
    [`FABS${s}`]: signOp('abs'),
    [`FNEG${s}`]: signOp('neg'),
    [`FSQRT${s}`]: one(fpSqrt),
    [`FRINTN${s}`]: frint(RN, false),
    [`FRINTP${s}`]: frint(RP, false),
    [`FRINTM${s}`]: frint(RM, false),
    [`FRINTZ${s}`]: frint(RZ, false),
    [`FRINTA${s}`]: frint(RA, false),
    [`FRINTX${s}`]: frint('fpcr', true),
    [`FRINTI${s}`]: frint('fpcr', false),
    [`FMUL${s}`]: two(fpMul),
    [`FDIV${s}`]: two(fpDiv),
    [`FADD${s}`]: two(fpAdd),
    [`FSUB${s}`]: two(fpSub),
    [`FMAX${s}`]: two(maxOp(false, true)),
    [`FMIN${s}`]: two(maxOp(false, false)),
    [`FMAXNM${s}`]: two(maxOp(true, true)),
    [`FMINNM${s}`]: two(maxOp(true, false)),
    [`FNMUL${s}`]: two(fnmul),
    [`FMADD${s}`]: fma(false, false),
    [`FMSUB${s}`]: fma(false, true),
    [`FNMADD${s}`]: fma(true, true),
    [`FNMSUB${s}`]: fma(true, false),
    [`FCMP_reg${s}`]: fcmp(false),
    [`FCMP_zero${s}`]: fcmp(true),
    [`FCCMP${s}`]: fccmp,
    [`FCSEL${s}`]: fcsel,
    [`FMOV_imm${s}`]: fmovImm,
    [`FCVT_int${s}`]: toInt('rmode', false),
    [`FCVTA_int${s}`]: toInt(RA, false),
    [`CVTF_int${s}`]: fromInt(false),
    [`FCVTZ_fix${s}`]: toInt(RZ, true),
    [`CVTF_fix${s}`]: fromInt(true),
    [`FRECPE${s}`]: one(fpRecipEstimate),
    [`FRSQRTE${s}`]: one(fpRSqrtEstimate),
    [`FRECPX${s}`]: one(fpRecpX),
    [`FRECPS${s}`]: two((fmt, a, b, c2, d) => fpStepFused(fmt, a, b, c2, d, false)),
    [`FRSQRTS${s}`]: two((fmt, a, b, c2, d) => fpStepFused(fmt, a, b, c2, d, true)),
  } as Record<`${'FMOV_reg' | 'FABS' | 'FNEG' | 'FSQRT' | 'FRINTN' | 'FRINTP' | 'FRINTM' | 'FRINTZ' | 'FRINTA' | 'FRINTX' | 'FRINTI'
    | 'FMUL' | 'FDIV' | 'FADD' | 'FSUB' | 'FMAX' | 'FMIN' | 'FMAXNM' | 'FMINNM' | 'FNMUL' | 'FMADD' | 'FMSUB' | 'FNMADD' | 'FNMSUB'
    | 'FCMP_reg' | 'FCMP_zero' | 'FCCMP' | 'FCSEL' | 'FMOV_imm' | 'FCVT_int' | 'FCVTA_int' | 'CVTF_int' | 'FCVTZ_fix' | 'CVTF_fix'
    | 'FRECPE' | 'FRSQRTE' | 'FRECPX' | 'FRECPS' | 'FRSQRTS'}${S}`, Handler>;
}

export const FP_SCALAR_EXEC = {
  ...precisionExecs(''),
  ...precisionExecs('_h'),
  FCVT_prec: fcvtPrec,
  FRINTTS: frintts,
  FMOV_ws: fmovGen(32, 0),
  FMOV_xd: fmovGen(64, 0),
  FMOV_top: fmovGen(64, 1),
  FMOV_gen_h: fmovGen(16, 0),
  FJCVTZS: fjcvt,
} satisfies Record<string, (f: Fields, at: { off: number }) => Exec>;
