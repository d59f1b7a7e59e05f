// Executors of rows/fpVectorElem.ts: by-element multiplies (the element of Vm read once, before any lane is
// written, so Vd may be Vm), FMOV (vector, immediate) and the fixed-point conversions of vectors.
import type { Handler } from './types';
import type { Fields } from '../pattern';
import { type Fmt, D, H, S } from './fp/format';
import { fpMul, fpMulAdd, fpMulX } from './fp/arith';
import { fixedToFp, fpToFixed } from './fp/convert';
import { encodeExact } from './fp/round';
import { RZ, fpst, rmode } from './fp/state';
import { elemIndex, elemReg, fixFbits, imm8Of } from '../rows/fpVectorElem';
import { fpImmValue } from '../rows/fp';
import { begin, flush, fmtOf, lane, laneHi, lanes, setLane, vbase } from './fpVector';

type Kind = 'mla' | 'mls' | 'mul' | 'mulx';

const byElem = (kind: Kind, scalar: boolean): Handler => (f) => {
  const fmt = fmtOf(f);
  const n = vbase(f.Rn);
  const m = vbase(elemReg(f));
  const d = vbase(f.Rd);
  const idx = elemIndex(f);
  const k = scalar ? 1 : lanes(fmt, f.Q);
  const words = scalar ? 0 : f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    const eLo = lane(r, m, fmt, idx);
    const eHi = laneHi;
    for (let i = 0; i < k; i++) {
      const aLo = lane(r, n, fmt, i);
      const aHi = laneHi;
      let lo: number;
      if (kind === 'mul') lo = fpMul(fmt, aLo, aHi, eLo, eHi);
      else if (kind === 'mulx') lo = fpMulX(fmt, aLo, aHi, eLo, eHi);
      else {
        const cLo = lane(r, d, fmt, i);
        lo = fpMulAdd(fmt, cLo, laneHi, aLo, aHi, eLo, eHi, false, kind === 'mls');
      }
      setLane(fmt, i, lo, fpst.hi);
    }
    flush(r, d, words);
  };
};

const fmovImm = (fmt: Fmt): Handler => (f) => {
  const d = vbase(f.Rd);
  fpst.fpcr = 0;
  const v = fpImmValue(imm8Of(f));
  const lo = encodeExact(fmt, v, v < 0 ? 1 : 0);
  const hi = fpst.hi;
  const k = lanes(fmt, f.Q);
  const words = f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    for (let i = 0; i < k; i++) setLane(fmt, i, lo, hi);
    flush(r, d, words);
  };
};

const FMT: Record<'h' | 's' | 'd', Fmt> = { h: H, s: S, d: D };

const fixed = (e: 'h' | 's' | 'd', toFp: boolean, unsigned: boolean): Handler => (f: Fields) => {
  const fmt = FMT[e];
  const fbits = fixFbits(e, f);
  const n = vbase(f.Rn);
  const d = vbase(f.Rd);
  const k = lanes(fmt, f.Q);
  const words = f.Q ? 4 : 2;
  return (c) => {
    const r = begin(c);
    for (let i = 0; i < k; i++) {
      const lo = lane(r, n, fmt, i);
      const out = toFp ? fixedToFp(fmt, lo, laneHi, fmt.N, unsigned, fbits, rmode()) : fpToFixed(fmt, lo, laneHi, fbits, unsigned, fmt.N, RZ);
      setLane(fmt, i, out, fpst.hi);
    }
    flush(r, d, words);
  };
};

function elemExecs<S extends '' | '_h'>(s: S) {
  return {
    [`FMLA_elem${s}`]: byElem('mla', false),
    [`FMLS_elem${s}`]: byElem('mls', false),
    [`FMUL_elem${s}`]: byElem('mul', false),
    [`FMULX_elem${s}`]: byElem('mulx', false),
    [`FMLA_elem_sc${s}`]: byElem('mla', true),
    [`FMLS_elem_sc${s}`]: byElem('mls', true),
    [`FMUL_elem_sc${s}`]: byElem('mul', true),
    [`FMULX_elem_sc${s}`]: byElem('mulx', true),
  } as Record<`${'FMLA_elem' | 'FMLS_elem' | 'FMUL_elem' | 'FMULX_elem' | 'FMLA_elem_sc' | 'FMLS_elem_sc' | 'FMUL_elem_sc' | 'FMULX_elem_sc'}${S}`, Handler>;
}

function fixedExecs<E extends 'h' | 's' | 'd'>(e: E) {
  return {
    [`SCVTF_fix_v_${e}`]: fixed(e, true, false),
    [`UCVTF_fix_v_${e}`]: fixed(e, true, true),
    [`FCVTZS_fix_v_${e}`]: fixed(e, false, false),
    [`FCVTZU_fix_v_${e}`]: fixed(e, false, true),
  } as Record<`${'SCVTF' | 'UCVTF' | 'FCVTZS' | 'FCVTZU'}_fix_v_${E}`, Handler>;
}

export const FP_VECTOR_ELEM_EXEC = {
  ...elemExecs(''),
  ...elemExecs('_h'),
  FMOV_v_imm_s: fmovImm(S),
  FMOV_v_imm_d: fmovImm(D),
  FMOV_v_imm_h: fmovImm(H),
  ...fixedExecs('h'),
  ...fixedExecs('s'),
  ...fixedExecs('d'),
} satisfies Record<string, Handler>;
