// Encoding table rows: instructions of later architecture features that no CPU model advertises, decoded
// and disassembled (objdump's spelling, binutils 2.40) on every model and UNDEFINED at run time on all of
// them through the feature gating (rowTypes.ts RowDef.feature):
//   FEAT_HBC  BC.cond, the conditional branch with a hint that it behaves consistently: B.cond with bit 4
//             set (the hint only concerns branch prediction). ID_AA64ISAR2.BC = 0 on every model.
//   FEAT_SB   SB, the speculation barrier (Linux patches it in over `dsb nsh; isb` only when
//             ID_AA64ISAR1.SB says so, which it never does here).
// Their executors (exec/later.ts) are implemented, ready for a model that sets the features.
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
] as const satisfies readonly RowDef[];
