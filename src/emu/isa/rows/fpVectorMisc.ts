// Encoding table rows: Advanced SIMD two-register miscellaneous, the floating-point ones on vectors —
// rounding to integral (FRINTN/M/P/Z/A/X/I, FRINT32/64Z/X), conversions to and from integers of the lane
// width (FCVT{N,M,A,P,Z}{S,U}, SCVTF/UCVTF), compares with zero (FCMGT/FCMEQ/FCMLT/FCMGE/FCMLE #0.0), FABS,
// FNEG, FSQRT, FRECPE, FRSQRTE, and the precision changes FCVTN(2), FCVTL(2), FCVTXN(2). Single/double rows
// have `sz` (2D needs Q = 1); FP16 forms are rows of their own (FEAT_FP16). Spelling: GNU objdump 2.40.
import type { Fields } from '../pattern';
import type { OperandFn, RowDef } from '../rowTypes';
import { arrangement } from './fpVector';

type Prec = 'sd' | 'h';
const feat = (p: Prec) => (p === 'h' ? { feature: 'FEAT_FP16' } : {});
const vreg = (field: string): OperandFn => (f) => `v${f[field]}.${arrangement(f)}`;
const VREGS: Record<string, OperandFn> = { d: vreg('Rd'), n: vreg('Rn') };
const noD1 = (f: Fields): boolean => f.sz === 1 && !f.Q;

function misc<const I extends string>(id: I, p: Prec, U: number, a: number, opcode: string, name: string, zero = false, feature?: string) {
  return {
    id, cls: 'simd', arm: `${name.toUpperCase()}_asimdmisc${p === 'h' ? 'fp16' : ''}_R`,
    ...(feature ? { feature } : feat(p)),
    pattern: p === 'h' ? `0 Q:1 ${U} 01110 ${a} 111100 ${opcode} 10 Rn:5 Rd:5` : `0 Q:1 ${U} 01110 ${a} sz:1 10000 ${opcode} 10 Rn:5 Rd:5`,
    ...(p === 'sd' ? { undef: noD1 } : {}),
    asm: zero ? `${name} {@d}, {@n}, #0.0` : `${name} {@d}, {@n}`, ops: VREGS,
  } as const;
}

function miscRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  return [
    misc(`FRINTN_v${s}`, p, 0, 0, '11000', 'frintn'),
    misc(`FRINTM_v${s}`, p, 0, 0, '11001', 'frintm'),
    misc(`FCVTNS_v${s}`, p, 0, 0, '11010', 'fcvtns'),
    misc(`FCVTMS_v${s}`, p, 0, 0, '11011', 'fcvtms'),
    misc(`FCVTAS_v${s}`, p, 0, 0, '11100', 'fcvtas'),
    misc(`SCVTF_v${s}`, p, 0, 0, '11101', 'scvtf'),
    misc(`FCMGT_zero_v${s}`, p, 0, 1, '01100', 'fcmgt', true),
    misc(`FCMEQ_zero_v${s}`, p, 0, 1, '01101', 'fcmeq', true),
    misc(`FCMLT_zero_v${s}`, p, 0, 1, '01110', 'fcmlt', true),
    misc(`FABS_v${s}`, p, 0, 1, '01111', 'fabs'),
    misc(`FRINTP_v${s}`, p, 0, 1, '11000', 'frintp'),
    misc(`FRINTZ_v${s}`, p, 0, 1, '11001', 'frintz'),
    misc(`FCVTPS_v${s}`, p, 0, 1, '11010', 'fcvtps'),
    misc(`FCVTZS_v${s}`, p, 0, 1, '11011', 'fcvtzs'),
    misc(`FRECPE_v${s}`, p, 0, 1, '11101', 'frecpe'),
    misc(`FRINTA_v${s}`, p, 1, 0, '11000', 'frinta'),
    misc(`FRINTX_v${s}`, p, 1, 0, '11001', 'frintx'),
    misc(`FCVTNU_v${s}`, p, 1, 0, '11010', 'fcvtnu'),
    misc(`FCVTMU_v${s}`, p, 1, 0, '11011', 'fcvtmu'),
    misc(`FCVTAU_v${s}`, p, 1, 0, '11100', 'fcvtau'),
    misc(`UCVTF_v${s}`, p, 1, 0, '11101', 'ucvtf'),
    misc(`FCMGE_zero_v${s}`, p, 1, 1, '01100', 'fcmge', true),
    misc(`FCMLE_zero_v${s}`, p, 1, 1, '01101', 'fcmle', true),
    misc(`FNEG_v${s}`, p, 1, 1, '01111', 'fneg'),
    misc(`FRINTI_v${s}`, p, 1, 1, '11001', 'frinti'),
    misc(`FCVTPU_v${s}`, p, 1, 1, '11010', 'fcvtpu'),
    misc(`FCVTZU_v${s}`, p, 1, 1, '11011', 'fcvtzu'),
    misc(`FRSQRTE_v${s}`, p, 1, 1, '11101', 'frsqrte'),
    misc(`FSQRT_v${s}`, p, 1, 1, '11111', 'fsqrt'),
  ] as const;
}

const two = (f: Fields): string => (f.Q ? '2' : '');
/** FCVTN/FCVTXN: narrow (sz: 0 single to half, 1 double to single) into the lower or (2) upper half. */
const narrow = (name: string): OperandFn => (f) =>
  `${name}${two(f)} v${f.Rd}.${f.sz ? (f.Q ? '4s' : '2s') : f.Q ? '8h' : '4h'}, v${f.Rn}.${f.sz ? '2d' : '4s'}`;
/** FCVTL: widen the lower or (2) upper half (sz: 0 half to single, 1 single to double). */
const widen: OperandFn = (f) => `fcvtl${two(f)} v${f.Rd}.${f.sz ? '2d' : '4s'}, v${f.Rn}.${f.sz ? (f.Q ? '4s' : '2s') : f.Q ? '8h' : '4h'}`;

export const FP_VECTOR_MISC_ROWS = [
  ...miscRows('sd'),
  ...miscRows('h'),
  misc('FRINT32Z_v', 'sd', 0, 0, '11110', 'frint32z', false, 'FEAT_FRINTTS'),
  misc('FRINT64Z_v', 'sd', 0, 0, '11111', 'frint64z', false, 'FEAT_FRINTTS'),
  misc('FRINT32X_v', 'sd', 1, 0, '11110', 'frint32x', false, 'FEAT_FRINTTS'),
  misc('FRINT64X_v', 'sd', 1, 0, '11111', 'frint64x', false, 'FEAT_FRINTTS'),
  {
    id: 'FCVTN_v', cls: 'simd', arm: 'FCVTN_asimdmisc_N', pattern: '0 Q:1 0 01110 0 sz:1 10000 10110 10 Rn:5 Rd:5',
    asm: '{@ops}', ops: { ops: narrow('fcvtn') },
  },
  {
    id: 'FCVTL_v', cls: 'simd', arm: 'FCVTL_asimdmisc_L', pattern: '0 Q:1 0 01110 0 sz:1 10000 10111 10 Rn:5 Rd:5',
    asm: '{@ops}', ops: { ops: widen },
  },
  {
    id: 'FCVTXN_v', cls: 'simd', arm: 'FCVTXN_asimdmisc_N', pattern: '0 Q:1 1 01110 0 1 10000 10110 10 Rn:5 Rd:5',
    asm: '{@ops}', ops: { ops: (f: Fields) => narrow('fcvtxn')({ ...f, sz: 1 }, {} as never) },
  },
] as const satisfies readonly RowDef[];
