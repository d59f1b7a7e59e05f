// Encoding table rows: the load/store exclusive and ordered class (LDXR/STXR and their acquire/release and
// pair forms, LDAR/STLR, FEAT_LOR's LDLAR/STLLR), FEAT_LRCPC's LDAPR, FEAT_LRCPC2's LDAPUR/STLUR (with the
// sign-extending LDAPURS*), and the FEAT_LSE atomics (LDADD..LDUMIN with their ST* aliases, SWP, CAS, CASP).
// Their executors are in exec/atomics.ts, the exclusive monitor in cpu/monitor.ts.
//
// Field choices follow GNU objdump 2.40, which our disassembly must equal word for word: the Rs and Rt2
// fields that the Arm ARM marks "should be one" are ignored ('x') by LDXR, STXR (Rt2), LDXP (Rs),
// STLR/STLLR and LDLAR, as objdump (and QEMU) ignore them; LDAR, CAS and CASP require them all ones (objdump
// prints those words as undefined, so they UNDEF here: Constraint_UNDEF for the "should be one" bits),
// except LDAR's Rs<4>, which objdump 2.40 ignores for LDARB and LDAR (it prints Rs = 01111 as LDAR too, and
// no other Rs but 11111; LDARH keeps it): there we execute LDAR, as QEMU does for any Rs.
// CASP with an odd Rs or Rt is UNDEFINED (Arm ARM CASP: "if Rs<0> == '1' then UNDEFINED").
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { wreg, xreg } from '../operands';
import type { OperandFn, RowDef } from '../rowTypes';

/** objdump's size suffix for size = 0..3: b, h, none, none. */
const SZ = ['b', 'h', '', ''];
const sz: OperandFn = (f) => SZ[f.size];
/** A register named by `field`, X when size = 3 and W otherwise. */
const bySize = (field: string): OperandFn => (f) => (f.size === 3 ? xreg(f[field], false) : wreg(f[field], false));
/** The register after `field` (a CASP pair's second register; 31 is xzr/wzr). */
const next = (field: string): OperandFn => (f) => (f.sz ? xreg(f[field] + 1, false) : wreg(f[field] + 1, false));
const pairReg = (field: string): OperandFn => (f) => (f.sz ? xreg(f[field], false) : wreg(f[field], false));
const mem: OperandFn = (f) => `[${xreg(f.Rn, true)}]`;
const memU9: OperandFn = (f) => {
  const off = sext(f.imm9, 9);
  return off ? `[${xreg(f.Rn, true)}, #${off}]` : `[${xreg(f.Rn, true)}]`;
};
const COMMON = { sz, rs: bySize('Rs'), rt: bySize('Rt'), mem };

/** One row of the exclusive/ordered class: size:2 001000 o2 L o1 Rs o0 Rt2 Rn Rt, with `bits` for o2..Rt2. */
function exord<const I extends string>(id: I, bits: string, asm: string, arm: string, feature?: string) {
  return {
    id, cls: 'ldst', arm, ...(feature ? { feature } : {}),
    pattern: `size:2 001000 ${bits} Rn:5 Rt:5`, asm, ops: COMMON,
  } as const;
}

/** The eight LSE load-and-<op> rows: size 111 0 00 A R 1 Rs 0 opc 00 Rn Rt; ST<op> when A = 0 and Rt = 31. */
function lse<const I extends string>(id: I, opc: string, op: string) {
  return {
    id, cls: 'ldst', feature: 'FEAT_LSE', arm: `${id}_32_memop|${id}_64_memop|${id}B_32_memop|${id}H_32_memop`,
    pattern: `size:2 111 0 00 A:1 R:1 1 Rs:5 0 ${opc} 00 Rn:5 Rt:5`,
    asm: `ld${op}{?A:a}{?R:l}{@sz} {@rs}, {@rt}, {@mem}`,
    aliases: [{ when: (f: Fields) => f.A === 0 && f.Rt === 31, asm: `st${op}{?R:l}{@sz} {@rs}, {@mem}` }],
    ops: COMMON,
  } as const;
}

/** FEAT_LRCPC2: size 011001 opc 0 imm9 00 Rn Rt. */
function rcpc2<const I extends string>(id: I, opc: string, asm: string, undef: ((f: Fields) => boolean) | undefined, arm: string) {
  return {
    id, cls: 'ldst', feature: 'FEAT_LRCPC2', arm,
    pattern: `size:2 011001 ${opc} 0 imm9:9 00 Rn:5 Rt:5`, asm,
    ...(undef ? { undef } : {}),
    ops: { ...COMMON, mem: memU9, szs: (f: Fields) => 'bhw'[f.size] },
  } as const;
}

export const ATOMIC_ROWS = [
  // exclusives
  exord('STXR', '0 0 0 Rs:5 o0:1 xxxxx', 'st{?o0:l}xr{@sz} {W:Rs}, {@rt}, {@mem}', 'STXRB_SR32_ldstexclr|STXRH_SR32_ldstexclr|STXR_SR32_ldstexclr|STXR_SR64_ldstexclr|STLXR*'),
  exord('LDXR', '0 1 0 xxxxx o0:1 xxxxx', 'ld{?o0:a}xr{@sz} {@rt}, {@mem}', 'LDXRB_LR32_ldstexclr|LDXRH_LR32_ldstexclr|LDXR_LR32_ldstexclr|LDXR_LR64_ldstexclr|LDAXR*'),
  {
    id: 'STXP', cls: 'ldst', arm: 'STXP_SP32_ldstexclp|STXP_SP64_ldstexclp|STLXP_SP32_ldstexclp|STLXP_SP64_ldstexclp',
    pattern: '1 sf:1 001000 0 0 1 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5', asm: 'st{?o0:l}xp {W:Rs}, {R:Rt}, {R:Rt2}, {@mem}', ops: { mem },
  },
  {
    id: 'LDXP', cls: 'ldst', arm: 'LDXP_LP32_ldstexclp|LDXP_LP64_ldstexclp|LDAXP_LP32_ldstexclp|LDAXP_LP64_ldstexclp',
    pattern: '1 sf:1 001000 0 1 1 xxxxx o0:1 Rt2:5 Rn:5 Rt:5', asm: 'ld{?o0:a}xp {R:Rt}, {R:Rt2}, {@mem}', ops: { mem },
  },
  // ordered
  exord('STLR', '1 0 0 xxxxx 1 xxxxx', 'stlr{@sz} {@rt}, {@mem}', 'STLRB_SL32_ldstord|STLRH_SL32_ldstord|STLR_SL32_ldstord|STLR_SL64_ldstord'),
  exord('STLLR', '1 0 0 xxxxx 0 xxxxx', 'stllr{@sz} {@rt}, {@mem}', 'STLLRB_SL32_ldstord|STLLRH_SL32_ldstord|STLLR_SL32_ldstord|STLLR_SL64_ldstord', 'FEAT_LOR'),
  {
    ...exord('LDAR', '1 1 0 rs4:1 1111 1 11111', 'ldar{@sz} {@rt}, {@mem}', 'LDARB_LR32_ldstord|LDARH_LR32_ldstord|LDAR_LR32_ldstord|LDAR_LR64_ldstord'),
    // objdump 2.40 ignores Rs<4> for LDARB and LDAR (W and X), not for LDARH
    undef: (f: Fields) => f.rs4 === 0 && f.size === 1,
  },
  exord('LDLAR', '1 1 0 xxxxx 0 xxxxx', 'ldlar{@sz} {@rt}, {@mem}', 'LDLARB_LR32_ldstord|LDLARH_LR32_ldstord|LDLAR_LR32_ldstord|LDLAR_LR64_ldstord', 'FEAT_LOR'),
  // compare and swap
  exord('CAS', '1 L:1 1 Rs:5 o0:1 11111', 'cas{?L:a}{?o0:l}{@sz} {@rs}, {@rt}, {@mem}', 'CAS_C32_comswap|CAS_C64_comswap|CASB_C32_comswap|CASH_C32_comswap', 'FEAT_LSE'),
  {
    id: 'CASP', cls: 'ldst', feature: 'FEAT_LSE', arm: 'CASP_CP32_comswappr|CASP_CP64_comswappr',
    pattern: '0 sz:1 001000 0 L:1 1 Rs:5 o0:1 11111 Rn:5 Rt:5',
    asm: 'casp{?L:a}{?o0:l} {@rs}, {@rs1}, {@rt}, {@rt1}, {@mem}',
    undef: (f: Fields) => ((f.Rs | f.Rt) & 1) === 1,
    ops: { mem, rs: pairReg('Rs'), rs1: next('Rs'), rt: pairReg('Rt'), rt1: next('Rt') },
  },
  // atomic memory operations
  lse('LDADD', '000', 'add'),
  lse('LDCLR', '001', 'clr'),
  lse('LDEOR', '010', 'eor'),
  lse('LDSET', '011', 'set'),
  lse('LDSMAX', '100', 'smax'),
  lse('LDSMIN', '101', 'smin'),
  lse('LDUMAX', '110', 'umax'),
  lse('LDUMIN', '111', 'umin'),
  {
    id: 'SWP', cls: 'ldst', feature: 'FEAT_LSE', arm: 'SWP_32_memop|SWP_64_memop|SWPB_32_memop|SWPH_32_memop',
    pattern: 'size:2 111 0 00 A:1 R:1 1 Rs:5 1 000 00 Rn:5 Rt:5', asm: 'swp{?A:a}{?R:l}{@sz} {@rs}, {@rt}, {@mem}', ops: COMMON,
  },
  // RCpc
  {
    id: 'LDAPR', cls: 'ldst', feature: 'FEAT_LRCPC', arm: 'LDAPR_32L_memop|LDAPR_64L_memop|LDAPRB_32L_memop|LDAPRH_32L_memop',
    pattern: 'size:2 111 0 00 1 0 1 11111 1 100 00 Rn:5 Rt:5', asm: 'ldapr{@sz} {@rt}, {@mem}', ops: COMMON,
  },
  rcpc2('STLUR', '00', 'stlur{@sz} {@rt}, {@mem}', undefined, 'STLURB_32_ldapstl_unscaled|STLURH_32_ldapstl_unscaled|STLUR_32_ldapstl_unscaled|STLUR_64_ldapstl_unscaled'),
  rcpc2('LDAPUR', '01', 'ldapur{@sz} {@rt}, {@mem}', undefined, 'LDAPURB_32_ldapstl_unscaled|LDAPURH_32_ldapstl_unscaled|LDAPUR_32_ldapstl_unscaled|LDAPUR_64_ldapstl_unscaled'),
  rcpc2('LDAPURS_X', '10', 'ldapurs{@szs} {X:Rt}, {@mem}', (f) => f.size === 3, 'LDAPURSB_64_ldapstl_unscaled|LDAPURSH_64_ldapstl_unscaled|LDAPURSW_64_ldapstl_unscaled'),
  rcpc2('LDAPURS_W', '11', 'ldapurs{@szs} {W:Rt}, {@mem}', (f) => f.size >= 2, 'LDAPURSB_32_ldapstl_unscaled|LDAPURSH_32_ldapstl_unscaled'),
] as const satisfies readonly RowDef[];

/** The ids of these rows (the load/store QEMU differential leaves them to its own test). */
export const ATOMIC_ROW_IDS: ReadonlySet<string> = new Set(ATOMIC_ROWS.map((r) => r.id));
