// Encoding table rows: the common short sequence compression instructions (FEAT_CSSC) — ABS, CNT and CTZ
// (data processing, 1 source), SMAX/SMIN/UMAX/UMIN with a register (2 source) and with an 8-bit immediate
// (signed for SMAX/SMIN, unsigned for UMAX/UMIN). Spelled as objdump 2.40 prints them. Gated by the
// FEAT_CSSC tag (rowTypes.ts RowDef.feature): only the 'max' model has it (cpu/models.ts). Executors in
// exec/cssc.ts.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import type { RowDef } from '../rowTypes';

const one = <const I extends string>(id: I, opcode: number, name: string) => ({
  id, cls: 'dpreg', arm: `${id}_32_dp_1src|${id}_64_dp_1src`, feature: 'FEAT_CSSC',
  pattern: `sf:1 1 0 11010110 00000 ${opcode.toString(2).padStart(6, '0')} Rn:5 Rd:5`,
  asm: `${name} {R:Rd}, {R:Rn}`,
}) as const;

const minMaxReg = <const I extends string>(id: I, opc: string, name: string) => ({
  id, cls: 'dpreg', arm: `${name.toUpperCase()}_32_dp_2src|${name.toUpperCase()}_64_dp_2src`, feature: 'FEAT_CSSC',
  pattern: `sf:1 0 0 11010110 Rm:5 0110 ${opc} Rn:5 Rd:5`,
  asm: `${name} {R:Rd}, {R:Rn}, {R:Rm}`,
}) as const;

/** The immediate forms: sf 0 0 1000111 opc imm8 Rn Rd, opc<0> = unsigned, opc<1> = min. */
const minMaxImm = <const I extends string>(id: I, opc: string, name: string, signed: boolean) => ({
  id, cls: 'dpimm', arm: `${name.toUpperCase()}_32_minmax_imm|${name.toUpperCase()}_64_minmax_imm`, feature: 'FEAT_CSSC',
  pattern: `sf:1 0 0 1000111 00 ${opc} imm8:8 Rn:5 Rd:5`,
  asm: `${name} {R:Rd}, {R:Rn}, {@imm}`,
  ops: { imm: (f: Fields) => `#${signed ? sext(f.imm8, 8) : f.imm8}` },
}) as const;

export const CSSC_ROWS = [
  one('CTZ', 6, 'ctz'),
  one('CNT', 7, 'cnt'),
  one('ABS', 8, 'abs'),
  minMaxReg('SMAX_reg', '00', 'smax'),
  minMaxReg('UMAX_reg', '01', 'umax'),
  minMaxReg('SMIN_reg', '10', 'smin'),
  minMaxReg('UMIN_reg', '11', 'umin'),
  minMaxImm('SMAX_imm', '00', 'smax', true),
  minMaxImm('UMAX_imm', '01', 'umax', false),
  minMaxImm('SMIN_imm', '10', 'smin', true),
  minMaxImm('UMIN_imm', '11', 'umin', false),
] as const satisfies readonly RowDef[];
