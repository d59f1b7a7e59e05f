// Encoding table rows: the Memory Tagging Extension (FEAT_MTE, and FEAT_MTE2 for the bulk tag accesses
// LDGM/STGM/STZGM) — tag arithmetic IRG, GMI, SUBP(S), ADDG, SUBG (data processing) and the tag loads and
// stores LDG, STG, STZG, ST2G, STZ2G, STGP, LDGM, STGM, STZGM. They decode and disassemble (objdump's
// spelling, binutils 2.40) on every CPU model; no model advertises FEAT_MTE (ID_AA64PFR1.MTE = 0), so the
// feature gating (rowTypes.ts RowDef.feature) makes every one of them UNDEFINED at run time, and their
// executors (exec/mte.ts) are UNDEF too.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { xreg } from '../operands';
import type { OperandFn, RowDef } from '../rowTypes';

/** The tag-granule offset of the tag loads/stores: imm9 (signed) times 16. */
const simm9 = (f: Fields): number => sext(f.imm9, 9) * 16;

type Mode = 'post' | 'off' | 'pre';
const MODE_BITS: Record<Mode, string> = { post: '01', off: '10', pre: '11' };
const MODE_ARM: Record<Mode, string> = { post: 'Spost', off: 'Soffset', pre: 'Spre' };

const memTag = (mode: Mode): OperandFn => (f) => {
  const n = xreg(f.Rn, true);
  const off = simm9(f);
  if (mode === 'post') return `[${n}], #${off}`;
  if (mode === 'pre') return `[${n}, #${off}]!`;
  return off ? `[${n}, #${off}]` : `[${n}]`;
};

/** STG/STZG/ST2G/STZ2G: 11011001 opc 1 imm9 op2 Rn Rt, the tag taken from Xt (31 is SP). */
function tagStore<const I extends string>(id: I, opc: string, mode: Mode, name: string, arm: string) {
  return {
    id, cls: 'ldst', arm: `${arm}_64${MODE_ARM[mode]}_ldsttags`, feature: 'FEAT_MTE',
    pattern: `11011001 ${opc} 1 imm9:9 ${MODE_BITS[mode]} Rn:5 Rt:5`,
    asm: `${name} {XS:Rt}, {@mem}`,
    ops: { mem: memTag(mode) },
  } as const;
}

/** LDGM/STGM/STZGM (FEAT_MTE2): imm9 = 0, op2 = 00, register operand Xt (31 is XZR). */
function bulk<const I extends string>(id: I, opc: string, name: string, arm: string) {
  return {
    id, cls: 'ldst', arm, feature: 'FEAT_MTE2',
    pattern: `11011001 ${opc} 1 000000000 00 Rn:5 Rt:5`,
    asm: `${name} {X:Rt}, [{XS:Rn}]`,
  } as const;
}

/** STGP: the pair space with opc = 01, L = 0; imm7 scaled by the 16-byte granule. */
function stgp<const I extends string>(id: I, mode: Mode) {
  const bits: Record<Mode, string> = { post: '001', off: '010', pre: '011' };
  return {
    id, cls: 'ldst', arm: `STGP_64_ldstpair_${mode}`, feature: 'FEAT_MTE',
    pattern: `01 101 0 ${bits[mode]} 0 imm7:7 Rt2:5 Rn:5 Rt:5`,
    asm: 'stgp {X:Rt}, {X:Rt2}, {@mem}',
    ops: {
      mem: (f: Fields) => {
        const n = xreg(f.Rn, true);
        const off = sext(f.imm7, 7) * 16;
        if (mode === 'post') return `[${n}], #${off}`;
        if (mode === 'pre') return `[${n}, #${off}]!`;
        return off ? `[${n}, #${off}]` : `[${n}]`;
      },
    },
  } as const;
}

/** ADDG/SUBG: 1 op 0 100011 0 uimm6 00 uimm4 Xn|SP Xd|SP; the offset is uimm6 granules of 16 bytes. */
function tagAddSub<const I extends string>(id: I, op: number, name: string, arm: string) {
  return {
    id, cls: 'dpimm', arm, feature: 'FEAT_MTE',
    pattern: `1 ${op} 0 100011 0 uimm6:6 00 uimm4:4 Rn:5 Rd:5`,
    asm: `${name} {XS:Rd}, {XS:Rn}, {@off}, {#x:uimm4}`,
    ops: { off: (f: Fields) => `#0x${(f.uimm6 * 16).toString(16)}` },
  } as const;
}

export const MTE_ROWS = [
  // ---- tag arithmetic (data processing, two source and immediate) ----
  {
    id: 'IRG', cls: 'dpreg', arm: 'IRG_64I_dp_2src', feature: 'FEAT_MTE',
    pattern: '1 0 0 11010110 Rm:5 000100 Rn:5 Rd:5',
    // the exclusion register operand is left out when it is XZR
    asm: 'irg {XS:Rd}, {XS:Rn}{@rm}',
    ops: { rm: (f: Fields) => (f.Rm === 31 ? '' : `, x${f.Rm}`) },
  },
  {
    id: 'GMI', cls: 'dpreg', arm: 'GMI_64G_dp_2src', feature: 'FEAT_MTE',
    pattern: '1 0 0 11010110 Rm:5 000101 Rn:5 Rd:5',
    asm: 'gmi {X:Rd}, {XS:Rn}, {X:Rm}',
  },
  {
    id: 'SUBP', cls: 'dpreg', arm: 'SUBP_64S_dp_2src', feature: 'FEAT_MTE',
    pattern: '1 0 0 11010110 Rm:5 000000 Rn:5 Rd:5',
    asm: 'subp {X:Rd}, {XS:Rn}, {XS:Rm}',
  },
  {
    id: 'SUBPS', cls: 'dpreg', arm: 'SUBPS_64S_dp_2src', feature: 'FEAT_MTE',
    pattern: '1 0 1 11010110 Rm:5 000000 Rn:5 Rd:5',
    asm: 'subps {X:Rd}, {XS:Rn}, {XS:Rm}',
    aliases: [{ when: (f: Fields) => f.Rd === 31, asm: 'cmpp {XS:Rn}, {XS:Rm}' }],
  },
  tagAddSub('ADDG', 0, 'addg', 'ADDG_64_addsub_immtags'),
  tagAddSub('SUBG', 1, 'subg', 'SUBG_64_addsub_immtags'),
  // ---- tag loads and stores ----
  bulk('STZGM', '00', 'stzgm', 'STZGM_64bulk_ldsttags'),
  tagStore('STG_post', '00', 'post', 'stg', 'STG'),
  tagStore('STG_off', '00', 'off', 'stg', 'STG'),
  tagStore('STG_pre', '00', 'pre', 'stg', 'STG'),
  {
    id: 'LDG', cls: 'ldst', arm: 'LDG_64Loffset_ldsttags', feature: 'FEAT_MTE',
    pattern: '11011001 01 1 imm9:9 00 Rn:5 Rt:5',
    asm: 'ldg {X:Rt}, {@mem}',
    ops: { mem: memTag('off') },
  },
  tagStore('STZG_post', '01', 'post', 'stzg', 'STZG'),
  tagStore('STZG_off', '01', 'off', 'stzg', 'STZG'),
  tagStore('STZG_pre', '01', 'pre', 'stzg', 'STZG'),
  bulk('STGM', '10', 'stgm', 'STGM_64bulk_ldsttags'),
  tagStore('ST2G_post', '10', 'post', 'st2g', 'ST2G'),
  tagStore('ST2G_off', '10', 'off', 'st2g', 'ST2G'),
  tagStore('ST2G_pre', '10', 'pre', 'st2g', 'ST2G'),
  bulk('LDGM', '11', 'ldgm', 'LDGM_64bulk_ldsttags'),
  tagStore('STZ2G_post', '11', 'post', 'stz2g', 'STZ2G'),
  tagStore('STZ2G_off', '11', 'off', 'stz2g', 'STZ2G'),
  tagStore('STZ2G_pre', '11', 'pre', 'stz2g', 'STZ2G'),
  stgp('STGP_post', 'post'),
  stgp('STGP_off', 'off'),
  stgp('STGP_pre', 'pre'),
] as const satisfies readonly RowDef[];
