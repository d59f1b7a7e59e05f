// Encoding table rows: data processing (immediate) — add/subtract, logical, move wide, PC-relative
// addressing, bitfield and extract.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { bitfieldLsb, logicalImmValue, movWideEncodable, target } from '../operands';
import type { DisasmContext, RowDef } from '../rowTypes';
import { logicalImmValid } from '../exec/u64';

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

/** Logical (immediate) rows share a layout; reserved bitmask encodings are UNDEF. */
const logicalImmUndef = (f: Fields): boolean => !logicalImmValid(f.sf, f.N, f.imms);

/** The top bit index of the register (31 or 63): SBFM/UBFM alias conditions compare imms with it. */
const top = (f: Fields): number => (f.sf ? 63 : 31);

/** Bitfield rows: N must equal sf; 32-bit forms with bit 5 of immr or imms set are reserved. */
const bitfieldUndef = (f: Fields): boolean => f.sf !== f.N || (!f.sf && ((f.immr | f.imms) & 0x20) !== 0);

/** '#lsb, #width' of the bitfield aliases: inserting forms (sbfiz/ubfiz/bfi/bfc), extracting forms (sbfx/ubfx/bfxil). */
const bfizOps = (f: Fields): string => `#${bitfieldLsb(f)}, #${f.imms + 1}`;
const bfxOps = (f: Fields): string => `#${f.immr}, #${f.imms - f.immr + 1}`;

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
  {
    id: 'AND_imm', cls: 'dpimm', arm: 'AND_32_log_imm|AND_64_log_imm',
    pattern: 'sf:1 00 100100 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: logicalImmUndef,
    asm: 'and {RS:Rd}, {R:Rn}, {@bimm}',
  },
  {
    id: 'ORR_imm', cls: 'dpimm', arm: 'ORR_32_log_imm|ORR_64_log_imm',
    pattern: 'sf:1 01 100100 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: logicalImmUndef,
    asm: 'orr {RS:Rd}, {R:Rn}, {@bimm}',
    // MOV (bitmask immediate): objdump prefers it when MOVZ/MOVN cannot do the same (value or SP destination)
    aliases: [{
      when: (f: Fields) => f.Rn === 31 && (f.Rd === 31 || !movWideEncodable(logicalImmValue(f), f.sf)),
      asm: 'mov {RS:Rd}, {@bimmc}',
    }],
  },
  {
    id: 'EOR_imm', cls: 'dpimm', arm: 'EOR_32_log_imm|EOR_64_log_imm',
    pattern: 'sf:1 10 100100 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: logicalImmUndef,
    asm: 'eor {RS:Rd}, {R:Rn}, {@bimm}',
  },
  {
    id: 'ANDS_imm', cls: 'dpimm', arm: 'ANDS_32S_log_imm|ANDS_64S_log_imm',
    pattern: 'sf:1 11 100100 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: logicalImmUndef,
    asm: 'ands {R:Rd}, {R:Rn}, {@bimm}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'tst {R:Rn}, {@bimm}' }],
  },
  {
    id: 'SBFM', cls: 'dpimm', arm: 'SBFM_32M_bitfield|SBFM_64M_bitfield',
    pattern: 'sf:1 00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: bitfieldUndef,
    asm: 'sbfm {R:Rd}, {R:Rn}, {#d:immr}, {#d:imms}',
    aliases: [
      { when: (f: Fields) => f.imms === top(f), asm: 'asr {R:Rd}, {R:Rn}, {#d:immr}' },
      { when: (f: Fields) => f.immr === 0 && f.imms === 7, asm: 'sxtb {R:Rd}, {W:Rn}' },
      { when: (f: Fields) => f.immr === 0 && f.imms === 15, asm: 'sxth {R:Rd}, {W:Rn}' },
      { when: (f: Fields) => f.sf === 1 && f.immr === 0 && f.imms === 31, asm: 'sxtw {R:Rd}, {W:Rn}' },
      { when: (f: Fields) => f.imms < f.immr, asm: 'sbfiz {R:Rd}, {R:Rn}, {@bfiz}' },
      { when: () => true, asm: 'sbfx {R:Rd}, {R:Rn}, {@bfx}' },
    ],
    ops: { bfiz: bfizOps, bfx: bfxOps },
  },
  {
    id: 'BFM', cls: 'dpimm', arm: 'BFM_32M_bitfield|BFM_64M_bitfield',
    pattern: 'sf:1 01 100110 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: bitfieldUndef,
    asm: 'bfm {R:Rd}, {R:Rn}, {#d:immr}, {#d:imms}',
    aliases: [
      { when: (f: Fields) => f.Rn === 31 && f.imms < f.immr, asm: 'bfc {R:Rd}, {@bfiz}' },
      { when: (f: Fields) => f.imms < f.immr, asm: 'bfi {R:Rd}, {R:Rn}, {@bfiz}' },
      { when: () => true, asm: 'bfxil {R:Rd}, {R:Rn}, {@bfx}' },
    ],
    ops: { bfiz: bfizOps, bfx: bfxOps },
  },
  {
    id: 'UBFM', cls: 'dpimm', arm: 'UBFM_32M_bitfield|UBFM_64M_bitfield',
    pattern: 'sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5',
    undef: bitfieldUndef,
    asm: 'ubfm {R:Rd}, {R:Rn}, {#d:immr}, {#d:imms}',
    aliases: [
      { when: (f: Fields) => f.imms !== top(f) && f.imms + 1 === f.immr, asm: 'lsl {R:Rd}, {R:Rn}, {@lsl}' },
      { when: (f: Fields) => f.imms === top(f), asm: 'lsr {R:Rd}, {R:Rn}, {#d:immr}' },
      { when: (f: Fields) => f.sf === 0 && f.immr === 0 && f.imms === 7, asm: 'uxtb {W:Rd}, {W:Rn}' },
      { when: (f: Fields) => f.sf === 0 && f.immr === 0 && f.imms === 15, asm: 'uxth {W:Rd}, {W:Rn}' },
      { when: (f: Fields) => f.imms < f.immr, asm: 'ubfiz {R:Rd}, {R:Rn}, {@bfiz}' },
      { when: () => true, asm: 'ubfx {R:Rd}, {R:Rn}, {@bfx}' },
    ],
    ops: { bfiz: bfizOps, bfx: bfxOps, lsl: (f: Fields) => `#${top(f) - f.imms}` },
  },
  {
    id: 'EXTR', cls: 'dpimm', arm: 'EXTR_32_extract|EXTR_64_extract',
    pattern: 'sf:1 00 100111 N:1 0 Rm:5 imms:6 Rn:5 Rd:5',
    undef: (f: Fields) => f.sf !== f.N || (!f.sf && f.imms >= 32),
    asm: 'extr {R:Rd}, {R:Rn}, {R:Rm}, {#d:imms}',
    aliases: [{ when: (f: Fields) => f.Rn === f.Rm, asm: 'ror {R:Rd}, {R:Rn}, {#d:imms}' }],
  },
] as const satisfies readonly RowDef[];
