// Encoding table rows: instructions of later architecture features that no CPU model advertises, decoded
// and disassembled (objdump's spelling, binutils 2.40) on every model and UNDEFINED at run time on all of
// them through the feature gating (rowTypes.ts RowDef.feature):
//   FEAT_HBC  BC.cond, the conditional branch with a hint that it behaves consistently: B.cond with bit 4
//             set (the hint only concerns branch prediction). ID_AA64ISAR2.BC = 0 on every model.
//   FEAT_SB   SB, the speculation barrier (Linux patches it in over `dsb nsh; isb` only when
//             ID_AA64ISAR1.SB says so, which it never does here).
//   FEAT_WFxT WFET/WFIT, wait for event/interrupt with a timeout (ID_AA64ISAR2.WFxT = 0).
//   FEAT_TME  TSTART, TTEST, TCOMMIT, TCANCEL, transactional memory (ID_AA64ISAR0.TME = 0).
//   FEAT_LS64 LD64B/ST64B, and ST64BV (FEAT_LS64_V), ST64BV0 (FEAT_LS64_ACCDATA): single-copy atomic
//             64-byte loads and stores (ID_AA64ISAR1.LS64 = 0).
// The executors of BC.cond and SB (exec/later.ts) are implemented, ready for a model that sets the
// features; those of WFxT, TME and LS64 are UNDEF (not implemented).
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { CONDITIONS, target } from '../operands';
import type { DisasmContext, RowDef } from '../rowTypes';
import { ALT_COND } from './branch';

export const LATER_ROWS = [
  {
    id: 'BC_cond', cls: 'branch', arm: 'BC_only_condbranch', feature: 'FEAT_HBC',
    pattern: '0101010 0 imm19:19 1 cond:4',
    asm: 'bc.{@cond} {@label}',
    ops: {
      label: (f: Fields, ctx: DisasmContext) => {
        // objdump's comment names the other spellings with the bc. prefix: 'bc.cs ... // bc.hs, bc.nlast'
        const alt = ALT_COND[CONDITIONS[f.cond]];
        if (alt) ctx.comment = alt.replace(/\bb\./g, 'bc.');
        return target(ctx, ctx.pc + (BigInt(sext(f.imm19, 19)) << 2n));
      },
    },
  },
  {
    id: 'SB', cls: 'system', arm: 'SB_only_barriers', feature: 'FEAT_SB',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0011 0000 111 11111',
    asm: 'sb',
  },
  // FEAT_WFxT: the timeout is an absolute CNTVCT_EL0 value in Xt (Rd)
  {
    id: 'WFET', cls: 'system', arm: 'WFET_only_systeminstrswithreg', feature: 'FEAT_WFxT',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0001 0000 000 Rd:5',
    asm: 'wfet {X:Rd}',
  },
  {
    id: 'WFIT', cls: 'system', arm: 'WFIT_only_systeminstrswithreg', feature: 'FEAT_WFxT',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0001 0000 001 Rd:5',
    asm: 'wfit {X:Rd}',
  },
  // FEAT_TME: TSTART/TTEST in the MRS space, TCOMMIT in the MSR space, TCANCEL with the exceptions
  {
    id: 'TSTART', cls: 'system', arm: 'TSTART_BR_systemresult', feature: 'FEAT_TME',
    over: ['MRS'],
    pattern: '1101010100 1 00 011 0011 0000 011 Rt:5',
    asm: 'tstart {X:Rt}',
  },
  {
    id: 'TTEST', cls: 'system', arm: 'TTEST_BR_systemresult', feature: 'FEAT_TME',
    over: ['MRS'],
    pattern: '1101010100 1 00 011 0011 0001 011 Rt:5',
    asm: 'ttest {X:Rt}',
  },
  {
    id: 'TCOMMIT', cls: 'system', arm: 'TCOMMIT_only_barriers', feature: 'FEAT_TME',
    over: ['MSR_reg'],
    pattern: '1101010100 0 00 011 0011 0000 011 11111',
    asm: 'tcommit',
  },
  {
    id: 'TCANCEL', cls: 'system', arm: 'TCANCEL_EX_exception', feature: 'FEAT_TME',
    pattern: '11010100 011 imm16:16 000 00',
    asm: 'tcancel {#d:imm16}',
  },
  // FEAT_LS64 (the atomic memory operation space with o3 = 1 and opcodes SWP/LDAPR do not use)
  {
    id: 'LD64B', cls: 'ldst', arm: 'LD64B_64L_memop', feature: 'FEAT_LS64',
    pattern: '11 111 0 00 0 0 1 11111 1 101 00 Rn:5 Rt:5',
    asm: 'ld64b {X:Rt}, [{XS:Rn}]',
  },
  {
    id: 'ST64B', cls: 'ldst', arm: 'ST64B_64L_memop', feature: 'FEAT_LS64',
    pattern: '11 111 0 00 0 0 1 11111 1 001 00 Rn:5 Rt:5',
    asm: 'st64b {X:Rt}, [{XS:Rn}]',
  },
  {
    id: 'ST64BV', cls: 'ldst', arm: 'ST64BV_64_memop', feature: 'FEAT_LS64_V',
    pattern: '11 111 0 00 0 0 1 Rs:5 1 011 00 Rn:5 Rt:5',
    asm: 'st64bv {X:Rs}, {X:Rt}, [{XS:Rn}]',
  },
  {
    id: 'ST64BV0', cls: 'ldst', arm: 'ST64BV0_64_memop', feature: 'FEAT_LS64_ACCDATA',
    pattern: '11 111 0 00 0 0 1 Rs:5 1 010 00 Rn:5 Rt:5',
    asm: 'st64bv0 {X:Rs}, {X:Rt}, [{XS:Rn}]',
  },
] as const satisfies readonly RowDef[];
