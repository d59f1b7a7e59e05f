// Encoding table rows: the floating-point operations of the Advanced SIMD scalar classes — two-register
// misc (FCVT{N,M,A,P,Z}{S,U} and SCVTF/UCVTF with the integer in a SIMD&FP register of the same width,
// FCMEQ/FCMGT/FCMGE/FCMLE/FCMLT against zero, FCVTXN), three same (FMULX, FCMEQ, FCMGE, FCMGT, FACGE,
// FACGT, FABD) and shift by immediate (SCVTF/UCVTF/FCVTZS/FCVTZU with fractional bits). Single/double rows
// have an `sz` field; the FP16 forms are rows of their own (FEAT_FP16). FRECPE/FRSQRTE/FRECPX/FRECPS/
// FRSQRTS are in rows/fp.ts. Spelling: GNU objdump 2.40.
import type { Fields } from '../pattern';
import type { OperandFn, RowDef } from '../rowTypes';

const pfx = (f: Fields): string => (f.sz === undefined ? 'h' : f.sz ? 'd' : 's');
const reg = (field: string): OperandFn => (f) => `${pfx(f)}${f[field]}`;
const REGS: Record<string, OperandFn> = { d: reg('Rd'), n: reg('Rn'), m: reg('Rm') };

type Prec = 'sd' | 'h';
const feat = (p: Prec) => (p === 'h' ? { feature: 'FEAT_FP16' } : {});

function misc<const I extends string>(id: I, p: Prec, U: number, a: number, opcode: string, name: string, zero: boolean) {
  return {
    id, cls: 'fp', arm: `${name.toUpperCase()}_asisdmisc${p === 'h' ? 'fp16' : ''}_R`, ...feat(p),
    pattern: p === 'h' ? `01 ${U} 11110 ${a} 111100 ${opcode} 10 Rn:5 Rd:5` : `01 ${U} 11110 ${a} sz:1 10000 ${opcode} 10 Rn:5 Rd:5`,
    asm: zero ? `${name} {@d}, {@n}, #0.0` : `${name} {@d}, {@n}`, ops: REGS,
  } as const;
}

function same<const I extends string>(id: I, p: Prec, U: number, a: number, opcode: string, name: string) {
  return {
    id, cls: 'fp', arm: `${name.toUpperCase()}_asisdsame${p === 'h' ? 'fp16' : ''}_only`, ...feat(p),
    pattern: p === 'h' ? `01 ${U} 11110 ${a} 10 Rm:5 00 ${opcode.slice(2)} 1 Rn:5 Rd:5` : `01 ${U} 11110 ${a} sz:1 1 Rm:5 ${opcode} 1 Rn:5 Rd:5`,
    asm: `${name} {@d}, {@n}, {@m}`, ops: REGS,
  } as const;
}

function precRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  return [
    misc(`FCVTNS_sc${s}`, p, 0, 0, '11010', 'fcvtns', false),
    misc(`FCVTMS_sc${s}`, p, 0, 0, '11011', 'fcvtms', false),
    misc(`FCVTAS_sc${s}`, p, 0, 0, '11100', 'fcvtas', false),
    misc(`SCVTF_sc${s}`, p, 0, 0, '11101', 'scvtf', false),
    misc(`FCVTPS_sc${s}`, p, 0, 1, '11010', 'fcvtps', false),
    misc(`FCVTZS_sc${s}`, p, 0, 1, '11011', 'fcvtzs', false),
    misc(`FCVTNU_sc${s}`, p, 1, 0, '11010', 'fcvtnu', false),
    misc(`FCVTMU_sc${s}`, p, 1, 0, '11011', 'fcvtmu', false),
    misc(`FCVTAU_sc${s}`, p, 1, 0, '11100', 'fcvtau', false),
    misc(`UCVTF_sc${s}`, p, 1, 0, '11101', 'ucvtf', false),
    misc(`FCVTPU_sc${s}`, p, 1, 1, '11010', 'fcvtpu', false),
    misc(`FCVTZU_sc${s}`, p, 1, 1, '11011', 'fcvtzu', false),
    misc(`FCMGT_zero_sc${s}`, p, 0, 1, '01100', 'fcmgt', true),
    misc(`FCMEQ_zero_sc${s}`, p, 0, 1, '01101', 'fcmeq', true),
    misc(`FCMLT_zero_sc${s}`, p, 0, 1, '01110', 'fcmlt', true),
    misc(`FCMGE_zero_sc${s}`, p, 1, 1, '01100', 'fcmge', true),
    misc(`FCMLE_zero_sc${s}`, p, 1, 1, '01101', 'fcmle', true),
    same(`FMULX_sc${s}`, p, 0, 0, '11011', 'fmulx'),
    same(`FCMEQ_sc${s}`, p, 0, 0, '11100', 'fcmeq'),
    same(`FCMGE_sc${s}`, p, 1, 0, '11100', 'fcmge'),
    same(`FACGE_sc${s}`, p, 1, 0, '11101', 'facge'),
    same(`FABD_sc${s}`, p, 1, 1, '11010', 'fabd'),
    same(`FCMGT_sc${s}`, p, 1, 1, '11100', 'fcmgt'),
    same(`FACGT_sc${s}`, p, 1, 1, '11101', 'facgt'),
  ] as const;
}

/** Fixed-point conversions by immediate: immh 001x half, 01xx single, 1xxx double; fbits = 2 * esize - immh:immb. */
const esizeOf = (immh: number): number => (immh & 8 ? 64 : immh & 4 ? 32 : immh & 2 ? 16 : 0);
export const fixedFbits = (f: Fields): number => 2 * esizeOf(f.immh) - ((f.immh << 3) | f.immb);
const fixedReg = (field: string): OperandFn => (f) => `${'hsd'[Math.log2(esizeOf(f.immh)) - 4]}${f[field]}`;

function fixed<const I extends string>(id: I, U: number, opcode: string, name: string) {
  return {
    id, cls: 'fp', arm: `${name.toUpperCase()}_asisdshf_C`,
    pattern: `01 ${U} 111110 immh:4 immb:3 ${opcode} 1 Rn:5 Rd:5`,
    // immh 0000 is another class; 0001 (byte elements) is unallocated for these
    undef: (f: Fields) => f.immh < 2,
    asm: `${name} {@d}, {@n}, #{@fbits}`,
    ops: { d: fixedReg('Rd'), n: fixedReg('Rn'), fbits: (f: Fields) => String(fixedFbits(f)) },
  } as const;
}

export const FP_SIMD_SCALAR_ROWS = [
  ...precRows('sd'),
  ...precRows('h'),
  {
    id: 'FCVTXN_sc', cls: 'fp', arm: 'FCVTXN_asisdmisc_N',
    pattern: '01 1 11110 0 1 10000 10110 10 Rn:5 Rd:5',
    asm: 'fcvtxn s{@d}, d{@n}', ops: { d: (f: Fields) => String(f.Rd), n: (f: Fields) => String(f.Rn) },
  },
  fixed('SCVTF_fix_sc', 0, '11100', 'scvtf'),
  fixed('UCVTF_fix_sc', 1, '11100', 'ucvtf'),
  fixed('FCVTZS_fix_sc', 0, '11111', 'fcvtzs'),
  fixed('FCVTZU_fix_sc', 1, '11111', 'fcvtzu'),
] as const satisfies readonly RowDef[];
