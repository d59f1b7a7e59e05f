// Encoding table rows: Advanced SIMD floating point on vectors — three same (FADD, FSUB, FMUL, FDIV,
// FMAX/FMIN(NM), FMLA/FMLS, FMULX, FABD, FCMEQ/FCMGE/FCMGT, FACGE/FACGT, FRECPS/FRSQRTS and the pairwise
// FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP), the scalar pairwise reductions of two lanes (FADDP, FMAXP... Sd/Dd
// from a two-lane vector) and the across-lanes reductions (FMAXV, FMINV, FMAXNMV, FMINNMV). Single/double
// rows have an `sz` field (the 2D arrangement needs Q = 1); FP16 forms are rows of their own (FEAT_FP16).
// Spelling: GNU objdump 2.40.
import type { Fields } from '../pattern';
import type { OperandFn, RowDef } from '../rowTypes';

type Prec = 'sd' | 'h';
const feat = (p: Prec) => (p === 'h' ? { feature: 'FEAT_FP16' } : {});

/** Arrangement of a vector row: half '4h'/'8h', single '2s'/'4s', double '2d'. */
export const arrangement = (f: Fields): string => (f.sz === undefined ? (f.Q ? '8h' : '4h') : f.sz ? '2d' : f.Q ? '4s' : '2s');
const vreg = (field: string): OperandFn => (f) => `v${f[field]}.${arrangement(f)}`;
const VREGS: Record<string, OperandFn> = { d: vreg('Rd'), n: vreg('Rn'), m: vreg('Rm') };
/** 2D needs Q = 1. */
const noD1 = (f: Fields): boolean => f.sz === 1 && !f.Q;

function same<const I extends string>(id: I, p: Prec, U: number, a: number, opcode: string, name: string) {
  return {
    id, cls: 'simd', arm: `${name.toUpperCase()}_asimdsame${p === 'h' ? 'fp16' : ''}_only`, ...feat(p),
    pattern: p === 'h' ? `0 Q:1 ${U} 01110 ${a} 10 Rm:5 00 ${opcode.slice(2)} 1 Rn:5 Rd:5` : `0 Q:1 ${U} 01110 ${a} sz:1 1 Rm:5 ${opcode} 1 Rn:5 Rd:5`,
    ...(p === 'sd' ? { undef: noD1 } : {}),
    asm: `${name} {@d}, {@n}, {@m}`, ops: VREGS,
  } as const;
}

function sameRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  return [
    same(`FMAXNM_v${s}`, p, 0, 0, '11000', 'fmaxnm'),
    same(`FMLA_v${s}`, p, 0, 0, '11001', 'fmla'),
    same(`FADD_v${s}`, p, 0, 0, '11010', 'fadd'),
    same(`FMULX_v${s}`, p, 0, 0, '11011', 'fmulx'),
    same(`FCMEQ_v${s}`, p, 0, 0, '11100', 'fcmeq'),
    same(`FMAX_v${s}`, p, 0, 0, '11110', 'fmax'),
    same(`FRECPS_v${s}`, p, 0, 0, '11111', 'frecps'),
    same(`FMINNM_v${s}`, p, 0, 1, '11000', 'fminnm'),
    same(`FMLS_v${s}`, p, 0, 1, '11001', 'fmls'),
    same(`FSUB_v${s}`, p, 0, 1, '11010', 'fsub'),
    same(`FMIN_v${s}`, p, 0, 1, '11110', 'fmin'),
    same(`FRSQRTS_v${s}`, p, 0, 1, '11111', 'frsqrts'),
    same(`FMAXNMP_v${s}`, p, 1, 0, '11000', 'fmaxnmp'),
    same(`FADDP_v${s}`, p, 1, 0, '11010', 'faddp'),
    same(`FMUL_v${s}`, p, 1, 0, '11011', 'fmul'),
    same(`FCMGE_v${s}`, p, 1, 0, '11100', 'fcmge'),
    same(`FACGE_v${s}`, p, 1, 0, '11101', 'facge'),
    same(`FMAXP_v${s}`, p, 1, 0, '11110', 'fmaxp'),
    same(`FDIV_v${s}`, p, 1, 0, '11111', 'fdiv'),
    same(`FMINNMP_v${s}`, p, 1, 1, '11000', 'fminnmp'),
    same(`FABD_v${s}`, p, 1, 1, '11010', 'fabd'),
    same(`FCMGT_v${s}`, p, 1, 1, '11100', 'fcmgt'),
    same(`FACGT_v${s}`, p, 1, 1, '11101', 'facgt'),
    same(`FMINP_v${s}`, p, 1, 1, '11110', 'fminp'),
  ] as const;
}

/** Scalar pairwise: `01 U 11110 a sz 11000 opcode 10` (FP16: U = 0, sz = 0). */
function pairwise<const I extends string>(id: I, p: Prec, a: number, opcode: string, name: string) {
  const U = p === 'h' ? 0 : 1;
  return {
    id, cls: 'simd', arm: `${name.toUpperCase()}_asisdpair_only${p === 'h' ? '_H' : '_SD'}`, ...feat(p),
    pattern: p === 'h' ? `01 0 11110 ${a} 0 11000 ${opcode} 10 Rn:5 Rd:5` : `01 ${U} 11110 ${a} sz:1 11000 ${opcode} 10 Rn:5 Rd:5`,
    asm: `${name} {@d}, {@n}`,
    ops: {
      d: (f: Fields) => `${f.sz === undefined ? 'h' : f.sz ? 'd' : 's'}${f.Rd}`,
      n: (f: Fields) => `v${f.Rn}.${f.sz === undefined ? '2h' : f.sz ? '2d' : '2s'}`,
    },
  } as const;
}

/** Across lanes: `0 Q U 01110 a sz 11000 opcode 10`; single precision needs Q = 1 and sz = 0 (4S only). */
function across<const I extends string>(id: I, p: Prec, a: number, opcode: string, name: string) {
  return {
    id, cls: 'simd', arm: `${name.toUpperCase()}_asimdall_only${p === 'h' ? '_H' : '_SD'}`, ...feat(p),
    pattern: p === 'h' ? `0 Q:1 0 01110 ${a} 0 11000 ${opcode} 10 Rn:5 Rd:5` : `0 Q:1 1 01110 ${a} sz:1 11000 ${opcode} 10 Rn:5 Rd:5`,
    ...(p === 'sd' ? { undef: (f: Fields) => f.sz === 1 || !f.Q } : {}),
    asm: `${name} {@d}, {@n}`,
    ops: { d: (f: Fields) => `${f.sz === undefined ? 'h' : 's'}${f.Rd}`, n: vreg('Rn') },
  } as const;
}

function reduceRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  return [
    pairwise(`FMAXNMP_p${s}`, p, 0, '01100', 'fmaxnmp'),
    pairwise(`FADDP_p${s}`, p, 0, '01101', 'faddp'),
    pairwise(`FMAXP_p${s}`, p, 0, '01111', 'fmaxp'),
    pairwise(`FMINNMP_p${s}`, p, 1, '01100', 'fminnmp'),
    pairwise(`FMINP_p${s}`, p, 1, '01111', 'fminp'),
    across(`FMAXNMV${s}`, p, 0, '01100', 'fmaxnmv'),
    across(`FMAXV${s}`, p, 0, '01111', 'fmaxv'),
    across(`FMINNMV${s}`, p, 1, '01100', 'fminnmv'),
    across(`FMINV${s}`, p, 1, '01111', 'fminv'),
  ] as const;
}

export const FP_VECTOR_ROWS = [
  ...sameRows('sd'),
  ...sameRows('h'),
  ...reduceRows('sd'),
  ...reduceRows('h'),
] as const satisfies readonly RowDef[];
