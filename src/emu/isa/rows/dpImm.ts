// Encoding table rows: data processing (immediate) — add/subtract, logical, move wide, PC-relative
// addressing, bitfield and extract.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { target } from '../operands';
import type { DisasmContext, RowDef } from '../rowTypes';

const aimm = (f: Fields): string => `#0x${f.imm12.toString(16)}${f.sh ? ', lsl #12' : ''}`;
const hwShift = (f: Fields): string => (f.hw ? `, lsl #${f.hw * 16}` : '');

/** MOVZ/MOVN alias operand: the register value in hex, and objdump's '// #decimal' comment. */
function wideImm(inverted: boolean) {
  return (f: Fields, ctx: DisasmContext): string => {
    let v = BigInt(f.imm16) << BigInt(f.hw * 16);
    if (inverted) v = ~v;
    v = BigInt.asUintN(f.sf ? 64 : 32, v);
    const signed = f.sf ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v);
    ctx.comment = `#${signed}`;
    return `#0x${v.toString(16)}`;
  };
}

export const DP_IMM_ROWS = [
  {
    id: 'ADD_imm', cls: 'dpimm', arm: 'ADD_32_addsub_imm|ADD_64_addsub_imm',
    pattern: 'sf:1 0 0 100010 sh:1 imm12:12 Rn:5 Rd:5',
    asm: 'add {RS:Rd}, {RS:Rn}, {@aimm}',
    aliases: [{ when: (f: Fields) => !f.sh && !f.imm12 && (f.Rd === 31 || f.Rn === 31), asm: 'mov {RS:Rd}, {RS:Rn}' }],
    ops: { aimm },
  },
  {
    id: 'ADDS_imm', cls: 'dpimm', arm: 'ADDS_32S_addsub_imm|ADDS_64S_addsub_imm',
    pattern: 'sf:1 0 1 100010 sh:1 imm12:12 Rn:5 Rd:5',
    asm: 'adds {R:Rd}, {RS:Rn}, {@aimm}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'cmn {RS:Rn}, {@aimm}' }],
    ops: { aimm },
  },
  {
    id: 'SUB_imm', cls: 'dpimm', arm: 'SUB_32_addsub_imm|SUB_64_addsub_imm',
    pattern: 'sf:1 1 0 100010 sh:1 imm12:12 Rn:5 Rd:5',
    asm: 'sub {RS:Rd}, {RS:Rn}, {@aimm}',
    ops: { aimm },
  },
  {
    id: 'SUBS_imm', cls: 'dpimm', arm: 'SUBS_32S_addsub_imm|SUBS_64S_addsub_imm',
    pattern: 'sf:1 1 1 100010 sh:1 imm12:12 Rn:5 Rd:5',
    asm: 'subs {R:Rd}, {RS:Rn}, {@aimm}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'cmp {RS:Rn}, {@aimm}' }],
    ops: { aimm },
  },
  {
    id: 'MOVN', cls: 'dpimm', arm: 'MOVN_32_movewide|MOVN_64_movewide',
    pattern: 'sf:1 00 100101 hw:2 imm16:16 Rd:5',
    undef: (f: Fields) => !f.sf && f.hw >= 2,
    asm: 'movn {R:Rd}, {#x:imm16}{@hwShift}',
    aliases: [{ when: (f: Fields) => !(f.imm16 === 0 && f.hw !== 0) && !(!f.sf && f.imm16 === 0xffff), asm: 'mov {R:Rd}, {@wide}' }],
    ops: { hwShift, wide: wideImm(true) },
  },
  {
    id: 'MOVZ', cls: 'dpimm', arm: 'MOVZ_32_movewide|MOVZ_64_movewide',
    pattern: 'sf:1 10 100101 hw:2 imm16:16 Rd:5',
    undef: (f: Fields) => !f.sf && f.hw >= 2,
    asm: 'movz {R:Rd}, {#x:imm16}{@hwShift}',
    aliases: [{ when: (f: Fields) => !(f.imm16 === 0 && f.hw !== 0), asm: 'mov {R:Rd}, {@wide}' }],
    ops: { hwShift, wide: wideImm(false) },
  },
  {
    id: 'MOVK', cls: 'dpimm', arm: 'MOVK_32_movewide|MOVK_64_movewide',
    pattern: 'sf:1 11 100101 hw:2 imm16:16 Rd:5',
    undef: (f: Fields) => !f.sf && f.hw >= 2,
    asm: 'movk {R:Rd}, {#x:imm16}{@hwShift}',
    ops: { hwShift },
  },
  {
    id: 'ADR', cls: 'dpimm', arm: 'ADR_only_pcreladdr',
    pattern: '0 immlo:2 10000 immhi:19 Rd:5',
    asm: 'adr {X:Rd}, {@label}',
    ops: { label: (f: Fields, ctx: DisasmContext) => target(ctx, ctx.pc + BigInt(sext((f.immhi << 2) | f.immlo, 21))) },
  },
  {
    id: 'ADRP', cls: 'dpimm', arm: 'ADRP_only_pcreladdr',
    pattern: '1 immlo:2 10000 immhi:19 Rd:5',
    asm: 'adrp {X:Rd}, {@label}',
    ops: {
      label: (f: Fields, ctx: DisasmContext) =>
        target(ctx, (ctx.pc & ~0xfffn) + (BigInt(sext((f.immhi << 2) | f.immlo, 21)) << 12n)),
    },
  },
] as const satisfies readonly RowDef[];
