// Encoding table rows: data processing (register) — shifted and extended add/subtract, logical (shifted
// register), add/subtract with carry, conditional compare and select, one- and two-source operations,
// multiply-add and long multiplies; CRC32/CRC32C (FEAT_CRC32) and the flag-manipulation instructions RMIF,
// SETF8 and SETF16 (FEAT_FlagM), gated per CPU model by their `feature` tag (see rowTypes.ts).
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';

/** Shifted-register forms: shift = ROR is reserved for add/subtract; 32-bit forms reserve imm6 >= 32. */
const addSubShiftUndef = (f: Fields): boolean => f.shift === 3 || (!f.sf && f.imm6 >= 32);
const logicalShiftUndef = (f: Fields): boolean => !f.sf && f.imm6 >= 32;

/** ADD/SUB(S) (extended register): a left shift above 4 is reserved. */
const extUndef = (f: Fields): boolean => f.imm3 > 4;

/** CSINC/CSINV/CSNEG alias conditions: both sources equal (and not ZR for cinc-style), cond not AL/NV. */
const condSetAlias = (f: Fields): boolean => f.Rn === 31 && f.Rm === 31 && f.cond < 14;
const condOpAlias = (f: Fields): boolean => f.Rn === f.Rm && f.Rn !== 31 && f.cond < 14;

const logical = <I extends string>(id: I, opc: number, n: number, name: string, arm: string) => ({
  id, cls: 'dpreg', arm,
  pattern: `sf:1 ${opc.toString(2).padStart(2, '0')} 01010 shift:2 ${n} Rm:5 imm6:6 Rn:5 Rd:5`,
  undef: logicalShiftUndef,
  asm: `${name} {R:Rd}, {R:Rn}, {R:Rm}{@shift}`,
}) as const;

/** One-source rows; `sf` is the field, or a fixed width for REV's three encodings. */
const dp1 = <I extends string>(id: I, sf: 'sf:1' | '0' | '1', opcode: number, name: string, arm: string) => {
  const r = sf === 'sf:1' ? 'R' : sf === '1' ? 'X' : 'W';
  return {
    id, cls: 'dpreg', arm,
    pattern: `${sf} 1 0 11010110 00000 ${opcode.toString(2).padStart(6, '0')} Rn:5 Rd:5`,
    asm: `${name} {${r}:Rd}, {${r}:Rn}`,
  } as const;
};

const dp2 = <I extends string>(id: I, opcode: number, name: string, alias: string | undefined, arm: string) => ({
  id, cls: 'dpreg', arm,
  pattern: `sf:1 0 0 11010110 Rm:5 ${opcode.toString(2).padStart(6, '0')} Rn:5 Rd:5`,
  asm: `${name} {R:Rd}, {R:Rn}, {R:Rm}`,
  // the shift-by-register aliases are always preferred
  ...(alias ? { aliases: [{ when: () => true, asm: `${alias} {R:Rd}, {R:Rn}, {R:Rm}` }] } : {}),
}) as const;

/** Long multiplies: 64-bit accumulator and destination, 32-bit sources; Ra = XZR selects the alias. */
const mulLong = <I extends string>(id: I, u: number, o0: number, name: string, alias: string, arm: string) => ({
  id, cls: 'dpreg', arm,
  pattern: `1 00 11011 ${u}01 Rm:5 ${o0} Ra:5 Rn:5 Rd:5`,
  asm: `${name} {X:Rd}, {W:Rn}, {W:Rm}, {X:Ra}`,
  aliases: [{ when: (f: Fields) => f.Ra === 31, asm: `${alias} {X:Rd}, {W:Rn}, {W:Rm}` }],
}) as const;

/** CRC32{B,H,W,X} and CRC32C{...}: sf must be 1 exactly for the X (sz = 11) form; other pairs are unallocated. */
const crc = <I extends string>(id: I, c: number, name: string, arm: string) => ({
  id, cls: 'dpreg', arm, feature: 'FEAT_CRC32',
  pattern: `sf:1 0 0 11010110 Rm:5 010 ${c} sz:2 Rn:5 Rd:5`,
  undef: (f: Fields) => f.sf !== (f.sz === 3 ? 1 : 0),
  asm: `${name}{@sz} {W:Rd}, {W:Rn}, {@rm}`,
  ops: {
    sz: (f: Fields) => 'bhwx'[f.sz],
    rm: (f: Fields) => (f.sz === 3 ? (f.Rm === 31 ? 'xzr' : `x${f.Rm}`) : f.Rm === 31 ? 'wzr' : `w${f.Rm}`),
  },
}) as const;

/** SETF8/SETF16 (sz selects the width). */
const setf = <I extends string>(id: I, sz: number, name: string, arm: string) => ({
  id, cls: 'dpreg', arm, feature: 'FEAT_FlagM',
  pattern: `0 0 1 11010000 000000 ${sz} 0010 Rn:5 0 1101`,
  asm: `${name} {W:Rn}`,
}) as const;

export const DP_REG_ROWS = [
  // ---- add/subtract (shifted register) ----
  {
    id: 'ADD_sr', cls: 'dpreg', arm: 'ADD_32_addsub_shift|ADD_64_addsub_shift',
    pattern: 'sf:1 0 0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5',
    undef: addSubShiftUndef,
    asm: 'add {R:Rd}, {R:Rn}, {R:Rm}{@shift}',
  },
  {
    id: 'ADDS_sr', cls: 'dpreg', arm: 'ADDS_32_addsub_shift|ADDS_64_addsub_shift',
    pattern: 'sf:1 0 1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5',
    undef: addSubShiftUndef,
    asm: 'adds {R:Rd}, {R:Rn}, {R:Rm}{@shift}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'cmn {R:Rn}, {R:Rm}{@shift}' }],
  },
  {
    id: 'SUB_sr', cls: 'dpreg', arm: 'SUB_32_addsub_shift|SUB_64_addsub_shift',
    pattern: 'sf:1 1 0 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5',
    undef: addSubShiftUndef,
    asm: 'sub {R:Rd}, {R:Rn}, {R:Rm}{@shift}',
    aliases: [{ when: (f: Fields) => f.Rn === 31, asm: 'neg {R:Rd}, {R:Rm}{@shift}' }],
  },
  {
    id: 'SUBS_sr', cls: 'dpreg', arm: 'SUBS_32_addsub_shift|SUBS_64_addsub_shift',
    pattern: 'sf:1 1 1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5',
    undef: addSubShiftUndef,
    asm: 'subs {R:Rd}, {R:Rn}, {R:Rm}{@shift}',
    aliases: [
      { when: (f: Fields) => f.Rd === 31, asm: 'cmp {R:Rn}, {R:Rm}{@shift}' },
      { when: (f: Fields) => f.Rn === 31, asm: 'negs {R:Rd}, {R:Rm}{@shift}' },
    ],
  },
  // ---- add/subtract (extended register) ----
  {
    id: 'ADD_ext', cls: 'dpreg', arm: 'ADD_32_addsub_ext|ADD_64_addsub_ext',
    pattern: 'sf:1 0 0 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5',
    undef: extUndef,
    asm: 'add {RS:Rd}, {RS:Rn}, {@extSp}',
  },
  {
    id: 'ADDS_ext', cls: 'dpreg', arm: 'ADDS_32S_addsub_ext|ADDS_64S_addsub_ext',
    pattern: 'sf:1 0 1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5',
    undef: extUndef,
    asm: 'adds {R:Rd}, {RS:Rn}, {@ext}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'cmn {RS:Rn}, {@ext}' }],
  },
  {
    id: 'SUB_ext', cls: 'dpreg', arm: 'SUB_32_addsub_ext|SUB_64_addsub_ext',
    pattern: 'sf:1 1 0 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5',
    undef: extUndef,
    asm: 'sub {RS:Rd}, {RS:Rn}, {@extSp}',
  },
  {
    id: 'SUBS_ext', cls: 'dpreg', arm: 'SUBS_32S_addsub_ext|SUBS_64S_addsub_ext',
    pattern: 'sf:1 1 1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5',
    undef: extUndef,
    asm: 'subs {R:Rd}, {RS:Rn}, {@ext}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'cmp {RS:Rn}, {@ext}' }],
  },
  // ---- logical (shifted register) ----
  logical('AND_sr', 0, 0, 'and', 'AND_32_log_shift|AND_64_log_shift'),
  logical('BIC_sr', 0, 1, 'bic', 'BIC_32_log_shift|BIC_64_log_shift'),
  {
    ...logical('ORR_sr', 1, 0, 'orr', 'ORR_32_log_shift|ORR_64_log_shift'),
    aliases: [{ when: (f: Fields) => f.Rn === 31 && f.shift === 0 && f.imm6 === 0, asm: 'mov {R:Rd}, {R:Rm}' }],
  },
  {
    ...logical('ORN_sr', 1, 1, 'orn', 'ORN_32_log_shift|ORN_64_log_shift'),
    aliases: [{ when: (f: Fields) => f.Rn === 31, asm: 'mvn {R:Rd}, {R:Rm}{@shift}' }],
  },
  logical('EOR_sr', 2, 0, 'eor', 'EOR_32_log_shift|EOR_64_log_shift'),
  logical('EON_sr', 2, 1, 'eon', 'EON_32_log_shift|EON_64_log_shift'),
  {
    ...logical('ANDS_sr', 3, 0, 'ands', 'ANDS_32_log_shift|ANDS_64_log_shift'),
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'tst {R:Rn}, {R:Rm}{@shift}' }],
  },
  logical('BICS_sr', 3, 1, 'bics', 'BICS_32_log_shift|BICS_64_log_shift'),
  // ---- add/subtract with carry ----
  {
    id: 'ADC', cls: 'dpreg', arm: 'ADC_32_addsub_carry|ADC_64_addsub_carry',
    pattern: 'sf:1 0 0 11010000 Rm:5 000000 Rn:5 Rd:5',
    asm: 'adc {R:Rd}, {R:Rn}, {R:Rm}',
  },
  {
    id: 'ADCS', cls: 'dpreg', arm: 'ADCS_32_addsub_carry|ADCS_64_addsub_carry',
    pattern: 'sf:1 0 1 11010000 Rm:5 000000 Rn:5 Rd:5',
    asm: 'adcs {R:Rd}, {R:Rn}, {R:Rm}',
  },
  {
    id: 'SBC', cls: 'dpreg', arm: 'SBC_32_addsub_carry|SBC_64_addsub_carry',
    pattern: 'sf:1 1 0 11010000 Rm:5 000000 Rn:5 Rd:5',
    asm: 'sbc {R:Rd}, {R:Rn}, {R:Rm}',
    aliases: [{ when: (f: Fields) => f.Rn === 31, asm: 'ngc {R:Rd}, {R:Rm}' }],
  },
  {
    id: 'SBCS', cls: 'dpreg', arm: 'SBCS_32_addsub_carry|SBCS_64_addsub_carry',
    pattern: 'sf:1 1 1 11010000 Rm:5 000000 Rn:5 Rd:5',
    asm: 'sbcs {R:Rd}, {R:Rn}, {R:Rm}',
    aliases: [{ when: (f: Fields) => f.Rn === 31, asm: 'ngcs {R:Rd}, {R:Rm}' }],
  },
  // ---- rotate right into flags, evaluate into flags (FEAT_FlagM) ----
  {
    id: 'RMIF', cls: 'dpreg', arm: 'RMIF_only_rmif', feature: 'FEAT_FlagM',
    pattern: '1 0 1 11010000 imm6:6 00001 Rn:5 0 mask:4',
    asm: 'rmif {X:Rn}, {#d:imm6}, {#d:mask}',
  },
  setf('SETF8', 0, 'setf8', 'SETF_only_setf'),
  setf('SETF16', 1, 'setf16', 'SETF_only_setf'),
  // ---- conditional compare ----
  {
    id: 'CCMN_reg', cls: 'dpreg', arm: 'CCMN_32_condcmp_reg|CCMN_64_condcmp_reg',
    pattern: 'sf:1 0 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4',
    asm: 'ccmn {R:Rn}, {R:Rm}, {#x:nzcv}, {@condc}',
  },
  {
    id: 'CCMP_reg', cls: 'dpreg', arm: 'CCMP_32_condcmp_reg|CCMP_64_condcmp_reg',
    pattern: 'sf:1 1 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4',
    asm: 'ccmp {R:Rn}, {R:Rm}, {#x:nzcv}, {@condc}',
  },
  {
    id: 'CCMN_imm', cls: 'dpreg', arm: 'CCMN_32_condcmp_imm|CCMN_64_condcmp_imm',
    pattern: 'sf:1 0 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4',
    asm: 'ccmn {R:Rn}, {#x:imm5}, {#x:nzcv}, {@condc}',
  },
  {
    id: 'CCMP_imm', cls: 'dpreg', arm: 'CCMP_32_condcmp_imm|CCMP_64_condcmp_imm',
    pattern: 'sf:1 1 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4',
    asm: 'ccmp {R:Rn}, {#x:imm5}, {#x:nzcv}, {@condc}',
  },
  // ---- conditional select ----
  {
    id: 'CSEL', cls: 'dpreg', arm: 'CSEL_32_condsel|CSEL_64_condsel',
    pattern: 'sf:1 0 0 11010100 Rm:5 cond:4 0 0 Rn:5 Rd:5',
    asm: 'csel {R:Rd}, {R:Rn}, {R:Rm}, {@condc}',
  },
  {
    id: 'CSINC', cls: 'dpreg', arm: 'CSINC_32_condsel|CSINC_64_condsel',
    pattern: 'sf:1 0 0 11010100 Rm:5 cond:4 0 1 Rn:5 Rd:5',
    asm: 'csinc {R:Rd}, {R:Rn}, {R:Rm}, {@condc}',
    aliases: [
      { when: condSetAlias, asm: 'cset {R:Rd}, {@ncondc}' },
      { when: condOpAlias, asm: 'cinc {R:Rd}, {R:Rn}, {@ncondc}' },
    ],
  },
  {
    id: 'CSINV', cls: 'dpreg', arm: 'CSINV_32_condsel|CSINV_64_condsel',
    pattern: 'sf:1 1 0 11010100 Rm:5 cond:4 0 0 Rn:5 Rd:5',
    asm: 'csinv {R:Rd}, {R:Rn}, {R:Rm}, {@condc}',
    aliases: [
      { when: condSetAlias, asm: 'csetm {R:Rd}, {@ncondc}' },
      { when: condOpAlias, asm: 'cinv {R:Rd}, {R:Rn}, {@ncondc}' },
    ],
  },
  {
    id: 'CSNEG', cls: 'dpreg', arm: 'CSNEG_32_condsel|CSNEG_64_condsel',
    pattern: 'sf:1 1 0 11010100 Rm:5 cond:4 0 1 Rn:5 Rd:5',
    asm: 'csneg {R:Rd}, {R:Rn}, {R:Rm}, {@condc}',
    aliases: [{ when: (f: Fields) => f.Rn === f.Rm && f.cond < 14, asm: 'cneg {R:Rd}, {R:Rn}, {@ncondc}' }],
  },
  // ---- data processing (1 source) ----
  dp1('RBIT', 'sf:1', 0, 'rbit', 'RBIT_32_dp_1src|RBIT_64_dp_1src'),
  dp1('REV16', 'sf:1', 1, 'rev16', 'REV16_32_dp_1src|REV16_64_dp_1src'),
  // REV: opcode 000010 is REV for W registers and REV32 for X registers; 000011 is REV for X registers only
  dp1('REV_32', '0', 2, 'rev', 'REV_32_dp_1src'),
  dp1('REV32', '1', 2, 'rev32', 'REV32_64_dp_1src'),
  // REV64 is an alias objdump never prints: it shows 'rev'
  dp1('REV_64', '1', 3, 'rev', 'REV_64_dp_1src'),
  dp1('CLZ', 'sf:1', 4, 'clz', 'CLZ_32_dp_1src|CLZ_64_dp_1src'),
  dp1('CLS', 'sf:1', 5, 'cls', 'CLS_32_dp_1src|CLS_64_dp_1src'),
  // ---- data processing (2 source) ----
  dp2('UDIV', 2, 'udiv', undefined, 'UDIV_32_dp_2src|UDIV_64_dp_2src'),
  dp2('SDIV', 3, 'sdiv', undefined, 'SDIV_32_dp_2src|SDIV_64_dp_2src'),
  dp2('LSLV', 8, 'lslv', 'lsl', 'LSLV_32_dp_2src|LSLV_64_dp_2src'),
  dp2('LSRV', 9, 'lsrv', 'lsr', 'LSRV_32_dp_2src|LSRV_64_dp_2src'),
  dp2('ASRV', 10, 'asrv', 'asr', 'ASRV_32_dp_2src|ASRV_64_dp_2src'),
  dp2('RORV', 11, 'rorv', 'ror', 'RORV_32_dp_2src|RORV_64_dp_2src'),
  // ---- CRC32 (data processing, 2 source, opcode 010 C sz) ----
  crc('CRC32', 0, 'crc32', 'CRC32B_32C_dp_2src|CRC32H_32C_dp_2src|CRC32W_32C_dp_2src|CRC32X_64C_dp_2src'),
  crc('CRC32C', 1, 'crc32c', 'CRC32CB_32C_dp_2src|CRC32CH_32C_dp_2src|CRC32CW_32C_dp_2src|CRC32CX_64C_dp_2src'),
  // ---- data processing (3 source) ----
  {
    id: 'MADD', cls: 'dpreg', arm: 'MADD_32A_dp_3src|MADD_64A_dp_3src',
    pattern: 'sf:1 00 11011 000 Rm:5 0 Ra:5 Rn:5 Rd:5',
    asm: 'madd {R:Rd}, {R:Rn}, {R:Rm}, {R:Ra}',
    aliases: [{ when: (f: Fields) => f.Ra === 31, asm: 'mul {R:Rd}, {R:Rn}, {R:Rm}' }],
  },
  {
    id: 'MSUB', cls: 'dpreg', arm: 'MSUB_32A_dp_3src|MSUB_64A_dp_3src',
    pattern: 'sf:1 00 11011 000 Rm:5 1 Ra:5 Rn:5 Rd:5',
    asm: 'msub {R:Rd}, {R:Rn}, {R:Rm}, {R:Ra}',
    aliases: [{ when: (f: Fields) => f.Ra === 31, asm: 'mneg {R:Rd}, {R:Rn}, {R:Rm}' }],
  },
  mulLong('SMADDL', 0, 0, 'smaddl', 'smull', 'SMADDL_64WA_dp_3src'),
  mulLong('SMSUBL', 0, 1, 'smsubl', 'smnegl', 'SMSUBL_64WA_dp_3src'),
  mulLong('UMADDL', 1, 0, 'umaddl', 'umull', 'UMADDL_64WA_dp_3src'),
  mulLong('UMSUBL', 1, 1, 'umsubl', 'umnegl', 'UMSUBL_64WA_dp_3src'),
  // SMULH/UMULH: Ra is should-be-one; other values are CONSTRAINED UNPREDICTABLE and we (like objdump and
  // QEMU) ignore the field
  {
    id: 'SMULH', cls: 'dpreg', arm: 'SMULH_64_dp_3src',
    pattern: '1 00 11011 010 Rm:5 0 Ra:5 Rn:5 Rd:5',
    asm: 'smulh {X:Rd}, {X:Rn}, {X:Rm}',
  },
  {
    id: 'UMULH', cls: 'dpreg', arm: 'UMULH_64_dp_3src',
    pattern: '1 00 11011 110 Rm:5 0 Ra:5 Rn:5 Rd:5',
    asm: 'umulh {X:Rd}, {X:Rn}, {X:Rm}',
  },
] as const satisfies readonly RowDef[];
