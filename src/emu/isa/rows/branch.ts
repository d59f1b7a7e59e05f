// Encoding table rows: branches — unconditional immediate and register, compare-and-branch,
// test-and-branch, conditional.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { CONDITIONS, target, xreg, wreg } from '../operands';
import type { DisasmContext, RowDef } from '../rowTypes';

const rel = (field: string, bits: number) => (f: Fields, ctx: DisasmContext): string =>
  target(ctx, ctx.pc + (BigInt(sext(f[field], bits)) << 2n));

/** objdump appends the alternative condition names as a comment: 'b.cs ... // b.hs, b.nlast'. */
export const ALT_COND: Record<string, string> = {
  eq: 'b.none', ne: 'b.any', cs: 'b.hs, b.nlast', cc: 'b.lo, b.ul, b.last', mi: 'b.first', pl: 'b.nfrst',
  hi: 'b.pmore', ls: 'b.plast', ge: 'b.tcont', lt: 'b.tstop',
};

export const BRANCH_ROWS = [
  {
    id: 'B', cls: 'branch', arm: 'B_only_branch_imm',
    pattern: '0 00101 imm26:26', asm: 'b {@label}', ops: { label: rel('imm26', 26) },
  },
  {
    id: 'BL', cls: 'branch', arm: 'BL_only_branch_imm',
    pattern: '1 00101 imm26:26', asm: 'bl {@label}', ops: { label: rel('imm26', 26) },
  },
  {
    id: 'B_cond', cls: 'branch', arm: 'B_only_condbranch',
    pattern: '0101010 0 imm19:19 0 cond:4',
    asm: 'b.{@cond} {@label}',
    ops: {
      label: (f: Fields, ctx: DisasmContext) => {
        const alt = ALT_COND[CONDITIONS[f.cond]];
        if (alt) ctx.comment = alt;
        return rel('imm19', 19)(f, ctx);
      },
    },
  },
  {
    id: 'CBZ', cls: 'branch', arm: 'CBZ_32_compbranch|CBZ_64_compbranch',
    pattern: 'sf:1 011010 0 imm19:19 Rt:5', asm: 'cbz {R:Rt}, {@label}', ops: { label: rel('imm19', 19) },
  },
  {
    id: 'CBNZ', cls: 'branch', arm: 'CBNZ_32_compbranch|CBNZ_64_compbranch',
    pattern: 'sf:1 011010 1 imm19:19 Rt:5', asm: 'cbnz {R:Rt}, {@label}', ops: { label: rel('imm19', 19) },
  },
  {
    id: 'TBZ', cls: 'branch', arm: 'TBZ_only_testbranch',
    pattern: 'b5:1 011011 0 b40:5 imm14:14 Rt:5', asm: 'tbz {@rt}, #{@bit}, {@label}',
    ops: {
      rt: (f: Fields) => (f.b5 ? xreg(f.Rt, false) : wreg(f.Rt, false)),
      bit: (f: Fields) => String((f.b5 << 5) | f.b40),
      label: rel('imm14', 14),
    },
  },
  {
    id: 'TBNZ', cls: 'branch', arm: 'TBNZ_only_testbranch',
    pattern: 'b5:1 011011 1 b40:5 imm14:14 Rt:5', asm: 'tbnz {@rt}, #{@bit}, {@label}',
    ops: {
      rt: (f: Fields) => (f.b5 ? xreg(f.Rt, false) : wreg(f.Rt, false)),
      bit: (f: Fields) => String((f.b5 << 5) | f.b40),
      label: rel('imm14', 14),
    },
  },
  {
    id: 'BR', cls: 'branch', arm: 'BR_64_branch_reg',
    pattern: '1101011 0000 11111 000000 Rn:5 00000', asm: 'br {X:Rn}',
  },
  {
    id: 'BLR', cls: 'branch', arm: 'BLR_64_branch_reg',
    pattern: '1101011 0001 11111 000000 Rn:5 00000', asm: 'blr {X:Rn}',
  },
  {
    id: 'RET', cls: 'branch', arm: 'RET_64R_branch_reg',
    pattern: '1101011 0010 11111 000000 Rn:5 00000', asm: 'ret{@rn}',
    ops: { rn: (f: Fields) => (f.Rn === 30 ? '' : ` ${xreg(f.Rn, false)}`) },
  },
] as const satisfies readonly RowDef[];
