// Encoding table rows: system — hints, barriers, PSTATE (MSR immediate), system register moves (MRS/MSR),
// exception generation (SVC/HVC/SMC/BRK/HLT), exception return and the permanently undefined UDF; the
// FEAT_FlagM/FlagM2 PSTATE instructions CFINV, XAFLAG and AXFLAG; SYS/SYSL with the DC, IC, AT and TLBI
// aliases (named from sysOps.ts, which the executor also uses).
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { sysregName } from '../sysregNames';
import { sysOp } from '../sysOps';
import { xreg } from '../operands';

const BARRIER_OPTS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'nsh', 6: 'nshst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};
/** DSB/DMB option: its name, or objdump's two-digit '#0x0c' for the unnamed values. */
const barrierOpt = (f: Fields): string => BARRIER_OPTS[f.CRm] ?? `#0x${f.CRm.toString(16).padStart(2, '0')}`;

/**
 * Names objdump gives to hints (HINT #imm, imm = CRm:op2) that have their own instructions in later
 * architecture versions: pointer authentication, BTI, ESB, PSB/TSB, CSDB, CLRBHB. Our CPU (Armv8.0)
 * executes them as the hints they are (no-ops), so they are disassembly-only aliases of HINT.
 */
const HINT_NAMES: Record<number, string> = {
  0x07: 'xpaclri', 0x08: 'pacia1716', 0x0a: 'pacib1716', 0x0c: 'autia1716', 0x0e: 'autib1716', 0x10: 'esb',
  0x11: 'psb csync', 0x12: 'tsb csync', 0x14: 'csdb', 0x16: 'clearbhb', 0x18: 'paciaz', 0x19: 'paciasp',
  0x1a: 'pacibz', 0x1b: 'pacibsp', 0x1c: 'autiaz', 0x1d: 'autiasp', 0x1e: 'autibz', 0x1f: 'autibsp',
  0x20: 'bti', 0x22: 'bti c', 0x24: 'bti j', 0x26: 'bti jc',
};
const hintImm = (f: Fields): number => (f.CRm << 3) | f.op2;

/**
 * MSR (immediate) as objdump prints it, by op1,op2: PSTATE fields with a 4-bit immediate (DAIFSet/Clr),
 * fields with a 1-bit immediate (CRm<3:1> = 000), and the FEAT_FlagM and SME instructions that live in
 * this space. Anything else is printed as a generic op0 = 0 MSR (objdump's 's0_op1_c4_cCRm_op2, xzr').
 * Execution (exec/system.ts) implements DAIFSet, DAIFClr and SPSel; the rest is UNDEFINED on our CPU.
 * CFINV, XAFLAG and AXFLAG (op1 = 0, CRm = 0, op2 = 0/1/2) are rows of their own, over MSR_imm.
 */
const PSTATE_4BIT: Record<string, string> = { '3,6': 'daifset', '3,7': 'daifclr' };
const PSTATE_1BIT: Record<string, string> = {
  '0,3': 'uao', '0,4': 'pan', '0,5': 'spsel', '1,0': 'allint', '3,1': 'ssbs', '3,2': 'dit', '3,4': 'tco',
};
const PSTATE_INSNS: Record<string, string> = {
  '3,3,2': 'smstop sm', '3,3,3': 'smstart sm', '3,3,4': 'smstop za', '3,3,5': 'smstart za', '3,3,6': 'smstop', '3,3,7': 'smstart',
};
const pstateInsn = (f: Fields): string | undefined => PSTATE_INSNS[`${f.op1},${f.op2},${f.CRm}`];
function pstateName(f: Fields): string | undefined {
  const key = `${f.op1},${f.op2}`;
  return PSTATE_4BIT[key] ?? (f.CRm < 2 ? PSTATE_1BIT[key] : undefined);
}

/**
 * DSB with the nXS qualifier (FEAT_XS: CRm<1:0> = 10, op2 = 001) sits in the op0 = 0 system space; our CPU
 * does not have it (UNDEFINED), and it is kept out of MSR (register) so it does not print as an s0_
 * register. The other later instructions of that space (WFET/WFIT, TSTART/TTEST/TCOMMIT, SB) are rows of
 * their own (rows/later.ts), declared over MSR/MRS.
 */
const msrOp0Insn = (f: Fields): boolean => f.op0 === 0 && f.op1 === 3 && f.CRn === 3 && f.Rt === 31 && (f.CRm & 3) === 2 && f.op2 === 1;

const sysreg = (write: boolean) => (f: Fields): string => sysregName(f.op0, f.op1, f.CRn, f.CRm, f.op2, write);

// Generic in the id so that the row's id stays a literal type (RowId would otherwise widen to string).
const hintRow = <const I extends string>(id: I, crm: number, op2: number, name: string) => ({
  id, cls: 'system', arm: `${name.toUpperCase()}_HI_hints`,
  pattern: `1101010100 0 00 011 0010 ${crm.toString(2).padStart(4, '0')} ${op2.toString(2).padStart(3, '0')} 11111`,
  asm: name, over: ['HINT'],
}) as const;

export const SYSTEM_ROWS = [
  hintRow('NOP', 0, 0, 'nop'),
  hintRow('YIELD', 0, 1, 'yield'),
  hintRow('WFE', 0, 2, 'wfe'),
  hintRow('WFI', 0, 3, 'wfi'),
  hintRow('SEV', 0, 4, 'sev'),
  hintRow('SEVL', 0, 5, 'sevl'),
  {
    id: 'HINT', cls: 'system', arm: 'HINT_HM_hints',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0010 CRm:4 op2:3 11111',
    asm: 'hint {@imm}',
    aliases: [{ when: (f: Fields) => HINT_NAMES[hintImm(f)] !== undefined, asm: '{@name}' }],
    ops: { imm: (f: Fields) => `#0x${hintImm(f).toString(16)}`, name: (f: Fields) => HINT_NAMES[hintImm(f)] },
  },
  {
    id: 'CLREX', cls: 'system', arm: 'CLREX_BN_barriers',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0011 CRm:4 010 11111',
    asm: 'clrex{@imm}',
    ops: { imm: (f: Fields) => (f.CRm === 15 ? '' : ` #0x${f.CRm.toString(16)}`) },
  },
  {
    id: 'DSB', cls: 'system', arm: 'DSB_BO_barriers',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0011 CRm:4 100 11111',
    asm: 'dsb {@opt}',
    aliases: [
      { when: (f: Fields) => f.CRm === 0, asm: 'ssbb' },
      { when: (f: Fields) => f.CRm === 4, asm: 'pssbb' },
    ],
    ops: { opt: barrierOpt },
  },
  {
    id: 'DMB', cls: 'system', arm: 'DMB_BO_barriers',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0011 CRm:4 101 11111',
    asm: 'dmb {@opt}',
    ops: { opt: barrierOpt },
  },
  {
    id: 'ISB', cls: 'system', arm: 'ISB_BI_barriers',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0011 CRm:4 110 11111',
    asm: 'isb{@opt}',
    ops: { opt: (f: Fields) => (f.CRm === 15 ? '' : ` #0x${f.CRm.toString(16)}`) },
  },
  {
    // Every op1/CRm/op2 decodes here so that the disassembly follows objdump; the executor UNDEFs the
    // PSTATE fields and instructions our CPU does not implement.
    id: 'MSR_imm', cls: 'system', arm: 'MSR_SI_pstate',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 op1:3 0100 CRm:4 op2:3 11111',
    asm: 'msr {@field}, {@imm}',
    aliases: [
      { when: (f: Fields) => pstateInsn(f) !== undefined, asm: '{@insn}' },
      { when: (f: Fields) => pstateName(f) === undefined, asm: 'msr {@generic}, xzr' },
    ],
    ops: {
      field: (f: Fields) => pstateName(f) ?? '',
      imm: (f: Fields) => `#0x${f.CRm.toString(16)}`,
      insn: (f: Fields) => pstateInsn(f) ?? '',
      generic: (f: Fields) => `s0_${f.op1}_c4_c${f.CRm}_${f.op2}`,
    },
  },
  // FEAT_FlagM / FEAT_FlagM2 instructions in the MSR (immediate) space
  {
    id: 'CFINV', cls: 'system', arm: 'CFINV_M_pstate', feature: 'FEAT_FlagM', over: ['MSR_imm'],
    pattern: '1101010100 0 00 000 0100 0000 000 11111', asm: 'cfinv',
  },
  {
    id: 'XAFLAG', cls: 'system', arm: 'XAFLAG_M_pstate', feature: 'FEAT_FlagM2', over: ['MSR_imm'],
    pattern: '1101010100 0 00 000 0100 0000 001 11111', asm: 'xaflag',
  },
  {
    id: 'AXFLAG', cls: 'system', arm: 'AXFLAG_M_pstate', feature: 'FEAT_FlagM2', over: ['MSR_imm'],
    pattern: '1101010100 0 00 000 0100 0000 010 11111', asm: 'axflag',
  },
  // SYS/SYSL (op0 = 1): cache, TLB and address translation maintenance. Every op1/CRn/CRm/op2 decodes, so
  // the disassembly follows objdump (the DC/IC/AT/TLBI alias when objdump names the operation, 'sys'
  // otherwise); the executor UNDEFs what the CPU model does not implement. SYSL has no defined operation.
  {
    id: 'SYS', cls: 'system', arm: 'SYS_CR_systeminstrs',
    over: ['MSR_reg'],
    pattern: '1101010100 0 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5',
    asm: 'sys {#d:op1}, {@cn}, {@cm}, {#d:op2}{@rt}',
    aliases: [{ when: (f: Fields) => sysOp(f.op1, f.CRn, f.CRm, f.op2) !== undefined, asm: '{@alias}' }],
    ops: {
      cn: (f: Fields) => `C${f.CRn}`,
      cm: (f: Fields) => `C${f.CRm}`,
      rt: (f: Fields) => (f.Rt === 31 ? '' : `, x${f.Rt}`),
      alias: (f: Fields) => {
        const o = sysOp(f.op1, f.CRn, f.CRm, f.op2)!;
        return o.reg ? `${o.group} ${o.op}, ${xreg(f.Rt, false)}` : `${o.group} ${o.op}`;
      },
    },
  },
  {
    id: 'SYSL', cls: 'system', arm: 'SYSL_RC_systeminstrs',
    over: ['MRS'],
    pattern: '1101010100 1 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5',
    asm: 'sysl {X:Rt}, {#d:op1}, {@cn}, {@cm}, {#d:op2}',
    ops: { cn: (f: Fields) => `C${f.CRn}`, cm: (f: Fields) => `C${f.CRm}` },
  },
  // MSR/MRS (register) proper have op0 = 2 or 3; op0 = 1 is SYS/SYSL above. The later-architecture
  // instructions in the op0 = 0 space are rows declared over these (rows/later.ts), or UNDEF (DSB nXS:
  // msrOp0Insn). The rest of op0 = 0, outside the rows declared over these (hints, barriers, PSTATE), is
  // unallocated; it decodes here only so that it disassembles as
  // objdump does (as a generic s0_ register) and the executor UNDEFs it: no system register has op0 = 0.
  {
    id: 'MSR_reg', cls: 'system', arm: 'MSR_SR_systemmove',
    pattern: '1101010100 0 op0:2 op1:3 CRn:4 CRm:4 op2:3 Rt:5',
    undef: msrOp0Insn,
    asm: 'msr {@sysreg}, {X:Rt}', ops: { sysreg: sysreg(true) },
  },
  {
    id: 'MRS', cls: 'system', arm: 'MRS_RS_systemmove',
    pattern: '1101010100 1 op0:2 op1:3 CRn:4 CRm:4 op2:3 Rt:5',
    asm: 'mrs {X:Rt}, {@sysreg}', ops: { sysreg: sysreg(false) },
  },
  { id: 'SVC', cls: 'system', arm: 'SVC_EX_exception', pattern: '11010100 000 imm16:16 000 01', asm: 'svc {#x:imm16}' },
  { id: 'HVC', cls: 'system', arm: 'HVC_EX_exception', pattern: '11010100 000 imm16:16 000 10', asm: 'hvc {#x:imm16}' },
  { id: 'SMC', cls: 'system', arm: 'SMC_EX_exception', pattern: '11010100 000 imm16:16 000 11', asm: 'smc {#x:imm16}' },
  { id: 'BRK', cls: 'system', arm: 'BRK_EX_exception', pattern: '11010100 001 imm16:16 000 00', asm: 'brk {#x:imm16}' },
  { id: 'HLT', cls: 'system', arm: 'HLT_EX_exception', pattern: '11010100 010 imm16:16 000 00', asm: 'hlt {#x:imm16}' },
  { id: 'ERET', cls: 'system', arm: 'ERET_64E_branch_reg', pattern: '1101011 0100 11111 000000 11111 00000', asm: 'eret' },
  // Debug state: DCPS1/2/3 and DRPS are UNDEFINED outside Debug state, which this CPU never enters
  {
    id: 'DCPS', cls: 'system', arm: 'DCPS1_DC_exception|DCPS2_DC_exception|DCPS3_DC_exception',
    pattern: '11010100 101 imm16:16 000 LL:2',
    undef: (f: Fields) => f.LL === 0,
    asm: 'dcps{@ll}{@imm}',
    ops: { ll: (f: Fields) => String(f.LL), imm: (f: Fields) => (f.imm16 ? ` #0x${f.imm16.toString(16)}` : '') },
  },
  { id: 'DRPS', cls: 'system', arm: 'DRPS_64E_branch_reg', pattern: '1101011 0101 11111 000000 11111 00000', asm: 'drps' },
  { id: 'UDF', cls: 'system', arm: 'UDF_only_perm_undef', pattern: '0000000000000000 imm16:16', asm: 'udf {#d:imm16}' },
] as const satisfies readonly RowDef[];
