// Encoding table rows: Advanced SIMD floating point by element (FMLA, FMLS, FMUL, FMULX; vector and
// scalar), FMOV (vector, immediate) and the fixed-point conversions of vectors by immediate (SCVTF, UCVTF,
// FCVTZS, FCVTZU). By element: half precision indexes H:L:M with Rm in v0-v15; single H:L with M:Rm;
// double H (L = 1 unallocated). The fixed-point rows are split by element size (immh 001x half, 01xx
// single, 1xxx double) so that no pattern reaches immh = 0000, the modified-immediate class. Spelling:
// GNU objdump 2.40.
import type { Fields } from '../pattern';
import type { OperandFn, RowDef } from '../rowTypes';
import { fpImmValue } from './fp';

type Prec = 'sd' | 'h';
const feat = (p: Prec) => (p === 'h' ? { feature: 'FEAT_FP16' } : {});

const esz = (f: Fields): 'h' | 's' | 'd' => (f.sz === undefined ? 'h' : f.sz ? 'd' : 's');
/** Index and register of the element operand. */
export const elemIndex = (f: Fields): number => (f.sz === undefined ? (f.H << 2) | (f.L << 1) | f.M : f.sz ? f.H : (f.H << 1) | f.L);
export const elemReg = (f: Fields): number => (f.sz === undefined ? f.Rm : (f.M << 4) | f.Rm);
const arr = (f: Fields): string => (f.sz === undefined ? (f.Q ? '8h' : '4h') : f.sz ? '2d' : f.Q ? '4s' : '2s');
const ELEM_OPS: Record<string, OperandFn> = {
  vd: (f) => `v${f.Rd}.${arr(f)}`,
  vn: (f) => `v${f.Rn}.${arr(f)}`,
  sd: (f) => `${esz(f)}${f.Rd}`,
  sn: (f) => `${esz(f)}${f.Rn}`,
  el: (f) => `v${elemReg(f)}.${esz(f)}[${elemIndex(f)}]`,
};

function elem<const I extends string>(id: I, p: Prec, scalar: boolean, U: number, opcode: string, name: string) {
  const size = p === 'h' ? '00' : '1 sz:1';
  return {
    id, cls: 'simd', arm: `${name.toUpperCase()}_${scalar ? 'asisdelem' : 'asimdelem'}_R${p === 'h' ? 'H_H' : 'SD_SD'}`, ...feat(p),
    pattern: `${scalar ? '01' : '0 Q:1'} ${U} ${scalar ? '11111' : '01111'} ${size} L:1 M:1 Rm:4 ${opcode} H:1 0 Rn:5 Rd:5`,
    ...(p === 'sd' ? { undef: (f: Fields) => (f.sz === 1 && f.L === 1) || (!scalar && f.sz === 1 && !f.Q) } : {}),
    asm: scalar ? `${name} {@sd}, {@sn}, {@el}` : `${name} {@vd}, {@vn}, {@el}`, ops: ELEM_OPS,
  } as const;
}

function elemRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  return [
    elem(`FMLA_elem${s}`, p, false, 0, '0001', 'fmla'),
    elem(`FMLS_elem${s}`, p, false, 0, '0101', 'fmls'),
    elem(`FMUL_elem${s}`, p, false, 0, '1001', 'fmul'),
    elem(`FMULX_elem${s}`, p, false, 1, '1001', 'fmulx'),
    elem(`FMLA_elem_sc${s}`, p, true, 0, '0001', 'fmla'),
    elem(`FMLS_elem_sc${s}`, p, true, 0, '0101', 'fmls'),
    elem(`FMUL_elem_sc${s}`, p, true, 0, '1001', 'fmul'),
    elem(`FMULX_elem_sc${s}`, p, true, 1, '1001', 'fmulx'),
  ] as const;
}

/** objdump's %.18e (as rows/fp.ts). */
function printfE18(v: number): string {
  const [m, e] = v.toExponential(18).split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}
export const imm8Of = (f: Fields): number => (f.abc << 5) | f.defgh;

function fmovImm<const I extends string>(id: I, op: number, o2: number, arrangement: (f: Fields) => string, feature?: string) {
  return {
    id, cls: 'simd', arm: 'FMOV_asimdimm', ...(feature ? { feature } : {}),
    pattern: `0 Q:1 ${op} 0111100000 abc:3 1111 ${o2} 1 defgh:5 Rd:5`,
    ...(op ? { undef: (f: Fields) => !f.Q } : {}),
    asm: 'fmov {@vd}, #{@imm}',
    ops: { vd: (f: Fields) => `v${f.Rd}.${arrangement(f)}`, imm: (f: Fields) => printfE18(fpImmValue(imm8Of(f))) },
  } as const;
}

/** Fixed-point by immediate, per element size: `immhl` the immh bits below the leading one. */
type Esz = 'h' | 's' | 'd';
const IMMH: Record<Esz, string> = { h: '001 immhl:1', s: '01 immhl:2', d: '1 immhl:3' };
export const FIX_ESIZE: Record<Esz, number> = { h: 16, s: 32, d: 64 };
/** fbits = 2 * esize - immh:immb, with immh = leading one : immhl. */
export const fixFbits = (e: Esz, f: Fields): number => {
  const immh = (FIX_ESIZE[e] / 8) | f.immhl;
  return 2 * FIX_ESIZE[e] - ((immh << 3) | f.immb);
};
const FIX_ARR: Record<Esz, (f: Fields) => string> = { h: (f) => (f.Q ? '8h' : '4h'), s: (f) => (f.Q ? '4s' : '2s'), d: () => '2d' };

function fixed<const I extends string>(id: I, e: Esz, U: number, opcode: string, name: string) {
  return {
    id, cls: 'simd', arm: `${name.toUpperCase()}_asimdshf_C`, ...(e === 'h' ? { feature: 'FEAT_FP16' } : {}),
    pattern: `0 Q:1 ${U} 011110 ${IMMH[e]} immb:3 ${opcode} 1 Rn:5 Rd:5`,
    ...(e === 'd' ? { undef: (f: Fields) => !f.Q } : {}),
    asm: `${name} {@vd}, {@vn}, #{@fbits}`,
    ops: {
      vd: (f: Fields) => `v${f.Rd}.${FIX_ARR[e](f)}`, vn: (f: Fields) => `v${f.Rn}.${FIX_ARR[e](f)}`, fbits: (f: Fields) => String(fixFbits(e, f)),
    },
  } as const;
}

function fixedRows<E extends Esz>(e: E) {
  return [
    fixed(`SCVTF_fix_v_${e}`, e, 0, '11100', 'scvtf'),
    fixed(`UCVTF_fix_v_${e}`, e, 1, '11100', 'ucvtf'),
    fixed(`FCVTZS_fix_v_${e}`, e, 0, '11111', 'fcvtzs'),
    fixed(`FCVTZU_fix_v_${e}`, e, 1, '11111', 'fcvtzu'),
  ] as const;
}

export const FP_VECTOR_ELEM_ROWS = [
  ...elemRows('sd'),
  ...elemRows('h'),
  fmovImm('FMOV_v_imm_s', 0, 0, (f) => (f.Q ? '4s' : '2s')),
  fmovImm('FMOV_v_imm_d', 1, 0, () => '2d'),
  fmovImm('FMOV_v_imm_h', 0, 1, (f) => (f.Q ? '8h' : '4h'), 'FEAT_FP16'),
  ...fixedRows('h'),
  ...fixedRows('s'),
  ...fixedRows('d'),
] as const satisfies readonly RowDef[];
