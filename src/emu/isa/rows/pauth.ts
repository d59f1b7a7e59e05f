// Encoding table rows: the pointer authentication instructions outside the hint space (FEAT_PAuth) — the
// register forms PACIA/PACIB/PACDA/PACDB and AUTIA/.../AUTDB with their zero-modifier forms (PACIZA...),
// XPACI/XPACD, PACGA, the authenticated branches BRAA/BRAB/BLRAA/BLRAB and their zero-modifier forms
// (BRAAZ...), RETAA/RETAB, ERETAA/ERETAB, and the authenticated loads LDRAA/LDRAB. They decode and
// disassemble (objdump's spelling, binutils 2.40) on every CPU model; no model advertises FEAT_PAuth
// (ID_AA64ISAR1.APA/API/GPA/GPI = 0), so the feature gating (rowTypes.ts RowDef.feature) makes each of them
// UNDEFINED at run time, which is what a CPU without PAuth does (the hint-space forms, PACIASP and the
// like, are HINTs and stay no-ops: rows/system.ts). Their executors (exec/pauth.ts) are UNDEF too.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { xreg } from '../operands';
import type { RowDef } from '../rowTypes';

/** The key letters: instruction/data key and key A/B, with `z` for the zero-modifier forms. */
const keyName = (f: Fields): string => `${f.D ? 'd' : 'i'}${f.Z ? 'z' : ''}${f.B ? 'b' : 'a'}`;

/** PACxx/AUTxx (data processing, 1 source, opcode2 = 00001): the Z forms need Rn = 11111 (no modifier). */
const pacAut = <const I extends string>(id: I, auth: number, name: string, arm: string) => ({
  id, cls: 'dpreg', arm, feature: 'FEAT_PAuth',
  pattern: `1 1 0 11010110 00001 00 Z:1 ${auth} D:1 B:1 Rn:5 Rd:5`,
  undef: (f: Fields) => f.Z === 1 && f.Rn !== 31,
  asm: `${name}{@key} {X:Rd}{@rn}`,
  ops: { key: keyName, rn: (f: Fields) => (f.Z ? '' : `, ${xreg(f.Rn, true)}`) },
}) as const;

export const PAUTH_ROWS = [
  pacAut('PAC_reg', 0, 'pac', 'PACIA_64P_dp_1src|PACIB_64P_dp_1src|PACDA_64P_dp_1src|PACDB_64P_dp_1src|PACIZA_64Z_dp_1src|PACIZB_64Z_dp_1src|PACDZA_64Z_dp_1src|PACDZB_64Z_dp_1src'),
  pacAut('AUT_reg', 1, 'aut', 'AUTIA_64P_dp_1src|AUTIB_64P_dp_1src|AUTDA_64P_dp_1src|AUTDB_64P_dp_1src|AUTIZA_64Z_dp_1src|AUTIZB_64Z_dp_1src|AUTDZA_64Z_dp_1src|AUTDZB_64Z_dp_1src'),
  {
    id: 'XPAC', cls: 'dpreg', arm: 'XPACI_64Z_dp_1src|XPACD_64Z_dp_1src', feature: 'FEAT_PAuth',
    pattern: '1 1 0 11010110 00001 01000 D:1 11111 Rd:5',
    asm: 'xpac{@d} {X:Rd}',
    ops: { d: (f: Fields) => (f.D ? 'd' : 'i') },
  },
  {
    id: 'PACGA', cls: 'dpreg', arm: 'PACGA_64P_dp_2src', feature: 'FEAT_PAuth',
    pattern: '1 0 0 11010110 Rm:5 001100 Rn:5 Rd:5',
    asm: 'pacga {X:Rd}, {X:Rn}, {XS:Rm}',
  },
  {
    // BRAA/BRAB/BLRAA/BLRAB (R = 1: modifier Xm|SP) and BRAAZ/BRABZ/BLRAAZ/BLRABZ (R = 0: Rm must be 11111)
    id: 'BRA', cls: 'branch', feature: 'FEAT_PAuth',
    arm: 'BRAA_64P_branch_reg|BRAB_64P_branch_reg|BRAAZ_64_branch_reg|BRABZ_64_branch_reg|BLRAA_64P_branch_reg|BLRAB_64P_branch_reg|BLRAAZ_64_branch_reg|BLRABZ_64_branch_reg',
    pattern: '1101011 R:1 00 L:1 11111 00001 M:1 Rn:5 Rm:5',
    undef: (f: Fields) => f.R === 0 && f.Rm !== 31,
    asm: '{@name} {X:Rn}{@rm}',
    ops: {
      name: (f: Fields) => `${f.L ? 'blr' : 'br'}a${f.M ? 'b' : 'a'}${f.R ? '' : 'z'}`,
      rm: (f: Fields) => (f.R ? `, ${xreg(f.Rm, true)}` : ''),
    },
  },
  {
    id: 'RETA', cls: 'branch', arm: 'RETAA_64E_branch_reg|RETAB_64E_branch_reg', feature: 'FEAT_PAuth',
    pattern: '1101011 0010 11111 00001 M:1 11111 11111',
    asm: 'reta{@m}',
    ops: { m: (f: Fields) => (f.M ? 'b' : 'a') },
  },
  {
    id: 'ERETA', cls: 'system', arm: 'ERETAA_64E_branch_reg|ERETAB_64E_branch_reg', feature: 'FEAT_PAuth',
    pattern: '1101011 0100 11111 00001 M:1 11111 11111',
    asm: 'ereta{@m}',
    ops: { m: (f: Fields) => (f.M ? 'b' : 'a') },
  },
  {
    // LDRAA/LDRAB: the offset is S:imm9 (signed) times 8; W = 1 writes the address back (pre-index)
    id: 'LDRA', cls: 'ldst', arm: 'LDRAA_64_ldst_pac|LDRAA_64W_ldst_pac|LDRAB_64_ldst_pac|LDRAB_64W_ldst_pac', feature: 'FEAT_PAuth',
    pattern: '11 111 0 00 M:1 S:1 1 imm9:9 W:1 1 Rn:5 Rt:5',
    asm: 'ldra{@m} {X:Rt}, {@mem}',
    ops: {
      m: (f: Fields) => (f.M ? 'b' : 'a'),
      mem: (f: Fields) => {
        const off = sext((f.S << 9) | f.imm9, 10) * 8;
        return `[${xreg(f.Rn, true)}${off ? `, #${off}` : ''}]${f.W ? '!' : ''}`;
      },
    },
  },
] as const satisfies readonly RowDef[];
