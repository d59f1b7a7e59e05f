// Encoding table rows: system — hints, barriers, PSTATE (MSR immediate), system register moves (MRS/MSR),
// exception generation (SVC/HVC/SMC/BRK/HLT), exception return and the permanently undefined UDF.
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { sysregName } from '../sysregNames';

const BARRIER_OPTS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'nsh', 6: 'nshst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};
const barrierOpt = (f: Fields): string => BARRIER_OPTS[f.CRm] ?? `#0x${f.CRm.toString(16)}`;

const PSTATE_FIELDS: Record<string, string> = { '3,6': 'daifset', '3,7': 'daifclr', '0,5': 'spsel' };
const pstateField = (f: Fields): string | undefined => PSTATE_FIELDS[`${f.op1},${f.op2}`];

const sysreg = (f: Fields): string => sysregName(2 + f.o0, f.op1, f.CRn, f.CRm, f.op2);

const hintRow = (id: string, crm: number, op2: number, name: string) => ({
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
    pattern: '1101010100 0 00 011 0010 CRm:4 op2:3 11111',
    asm: 'hint {@imm}',
    ops: { imm: (f: Fields) => `#0x${((f.CRm << 3) | f.op2).toString(16)}` },
  },
  {
    id: 'CLREX', cls: 'system', arm: 'CLREX_BN_barriers',
    pattern: '1101010100 0 00 011 0011 CRm:4 010 11111',
    asm: 'clrex{@imm}',
    ops: { imm: (f: Fields) => (f.CRm === 15 ? '' : ` #${f.CRm}`) },
  },
  {
    id: 'DSB', cls: 'system', arm: 'DSB_BO_barriers',
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
    pattern: '1101010100 0 00 011 0011 CRm:4 101 11111',
    asm: 'dmb {@opt}',
    ops: { opt: barrierOpt },
  },
  {
    id: 'ISB', cls: 'system', arm: 'ISB_BI_barriers',
    pattern: '1101010100 0 00 011 0011 CRm:4 110 11111',
    asm: 'isb{@opt}',
    ops: { opt: (f: Fields) => (f.CRm === 15 ? '' : ` #0x${f.CRm.toString(16)}`) },
  },
  {
    id: 'MSR_imm', cls: 'system', arm: 'MSR_SI_pstate',
    pattern: '1101010100 0 00 op1:3 0100 CRm:4 op2:3 11111',
    undef: (f: Fields) => pstateField(f) === undefined,
    asm: 'msr {@field}, {@imm}',
    ops: { field: (f: Fields) => pstateField(f) ?? '?', imm: (f: Fields) => `#0x${f.CRm.toString(16)}` },
  },
  {
    id: 'MSR_reg', cls: 'system', arm: 'MSR_SR_systemmove',
    pattern: '1101010100 0 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5',
    asm: 'msr {@sysreg}, {X:Rt}', ops: { sysreg },
  },
  {
    id: 'MRS', cls: 'system', arm: 'MRS_RS_systemmove',
    pattern: '1101010100 1 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5',
    asm: 'mrs {X:Rt}, {@sysreg}', ops: { sysreg },
  },
  { id: 'SVC', cls: 'system', arm: 'SVC_EX_exception', pattern: '11010100 000 imm16:16 000 01', asm: 'svc {#x:imm16}' },
  { id: 'HVC', cls: 'system', arm: 'HVC_EX_exception', pattern: '11010100 000 imm16:16 000 10', asm: 'hvc {#x:imm16}' },
  { id: 'SMC', cls: 'system', arm: 'SMC_EX_exception', pattern: '11010100 000 imm16:16 000 11', asm: 'smc {#x:imm16}' },
  { id: 'BRK', cls: 'system', arm: 'BRK_EX_exception', pattern: '11010100 001 imm16:16 000 00', asm: 'brk {#x:imm16}' },
  { id: 'HLT', cls: 'system', arm: 'HLT_EX_exception', pattern: '11010100 010 imm16:16 000 00', asm: 'hlt {#x:imm16}' },
  { id: 'ERET', cls: 'system', arm: 'ERET_64E_branch_reg', pattern: '1101011 0100 11111 000000 11111 00000', asm: 'eret' },
  { id: 'UDF', cls: 'system', arm: 'UDF_only_perm_undef', pattern: '0000000000000000 imm16:16', asm: 'udf {#d:imm16}' },
] as const satisfies readonly RowDef[];
