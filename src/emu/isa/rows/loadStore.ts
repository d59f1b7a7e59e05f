// Encoding table rows: loads and stores of the general-purpose registers — unsigned offset, pre/post-index,
// unscaled (LDUR/STUR), unprivileged (LDTR/STTR), register offset, literal, register pairs (LDP/STP/LDPSW)
// and non-temporal pairs (LDNP/STNP), plus the prefetches (PRFM, PRFUM), which decode and disassemble but
// do nothing. The SIMD&FP forms (V = 1) are in rows/fpLoadStore.ts and rows/simdLoadStore.ts; exclusives,
// acquire/release, atomics, RCpc and MTE forms in rows/atomics.ts and rows/mte.ts.
//
// Single-register rows are built by `single` from the Arm ARM's load/store register classes, which share
// one layout: size:2 111 V=0 then the class bits, opc:2 and the addressing fields. Where one row covers a W
// and an X form, the pattern names the selecting bit: 'sf' (size<0>, LDR/STR) or 'opc0' (opc<0> of the
// sign-extending loads: 0 loads into Xt, 1 into Wt). Rows set their own `ops` for the address operand.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { target, wreg, xreg } from '../operands';
import type { DisasmContext, OperandFn, RowDef } from '../rowTypes';

const base = (f: Fields): string => xreg(f.Rn, true);

/** [Xn|SP{, #imm}] with the unsigned imm12 scaled by the access size (log2 in `scale`, or 2 + sf). */
const memUoff = (scale: number | 'sf'): OperandFn => (f) => {
  const off = f.imm12 << (scale === 'sf' ? 2 + f.sf : scale);
  return off ? `[${base(f)}, #${off}]` : `[${base(f)}]`;
};
/** [Xn|SP{, #simm9}]: unscaled and unprivileged forms. */
const memU9: OperandFn = (f) => {
  const off = sext(f.imm9, 9);
  return off ? `[${base(f)}, #${off}]` : `[${base(f)}]`;
};
const memPre9: OperandFn = (f) => `[${base(f)}, #${sext(f.imm9, 9)}]!`;
const memPost9: OperandFn = (f) => `[${base(f)}], #${sext(f.imm9, 9)}`;

/** Register offset: [Xn|SP, (W|X)m{, extend {#amount}}]; S=1 shifts by the access size. */
const EXTEND = ['', '', 'uxtw', 'lsl', '', '', 'sxtw', 'sxtx'];
const memReg = (scale: number | 'sf'): OperandFn => (f) => {
  const rm = f.option & 1 ? xreg(f.Rm, false) : wreg(f.Rm, false);
  if (f.option === 3 && !f.S) return `[${base(f)}, ${rm}]`;
  const ext = EXTEND[f.option];
  return f.S ? `[${base(f)}, ${rm}, ${ext} #${scale === 'sf' ? 2 + f.sf : scale}]` : `[${base(f)}, ${rm}, ${ext}]`;
};
/** Register offset with option<1> = 0 (UXTB, UXTH, SXTB, SXTH) is reserved: UNDEFINED. */
const reservedOption = (f: Fields): boolean => (f.option & 2) === 0;

/** Sign-extending loads: opc<0> = 0 loads into Xt, 1 into Wt. */
const rtSigned: OperandFn = (f) => (f.opc0 ? wreg(f.Rt, false) : xreg(f.Rt, false));

/** PRFM's <prfop>: PLD/PLI/PST, target L1..L3, KEEP/STRM; other values as objdump's #0xNN. */
const prfop: OperandFn = (f) => {
  const type = ['pld', 'pli', 'pst'][f.Rt >> 3];
  const tgt = (f.Rt >> 1) & 3;
  if (!type || tgt === 3) return `#0x${f.Rt.toString(16).padStart(2, '0')}`;
  return `${type}l${tgt + 1}${f.Rt & 1 ? 'strm' : 'keep'}`;
};

const label19: OperandFn = (f: Fields, ctx: DisasmContext) => target(ctx, ctx.pc + BigInt(sext(f.imm19, 19) * 4));

/** How Rt is printed: fixed W or X, by sf (size<0>), by opc<0> (sign-extending loads), or as a prfop. */
type RtKind = 'W' | 'X' | 'R' | 'S' | 'P';
const RT_TEXT: Record<RtKind, string> = { W: '{W:Rt}', X: '{X:Rt}', R: '{R:Rt}', S: '{@rt}', P: '{@prfop}' };

type Mode = 'uoff' | 'pre' | 'post' | 'unscaled' | 'unpriv' | 'reg';

/** Class bits between opc and the end of the pattern, per addressing mode. */
const MODE_BITS: Record<Mode, (opc: string) => string> = {
  uoff: (opc) => `01 ${opc} imm12:12 Rn:5 Rt:5`,
  unscaled: (opc) => `00 ${opc} 0 imm9:9 00 Rn:5 Rt:5`,
  post: (opc) => `00 ${opc} 0 imm9:9 01 Rn:5 Rt:5`,
  unpriv: (opc) => `00 ${opc} 0 imm9:9 10 Rn:5 Rt:5`,
  pre: (opc) => `00 ${opc} 0 imm9:9 11 Rn:5 Rt:5`,
  reg: (opc) => `00 ${opc} 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5`,
};
const ARM_SUFFIX: Record<Mode, string> = {
  uoff: 'ldst_pos', pre: 'ldst_immpre', post: 'ldst_immpost', unscaled: 'ldst_unscaled', unpriv: 'ldst_unpriv', reg: 'ldst_regoff',
};

/**
 * A single-register load/store row. `size` and `opc` are pattern text ('1 sf:1', '1 opc0:1' where a field
 * selects W/X); `scale` is log2 of the access size ('sf' when it is 2 + sf); `arm` lists Arm's encoding
 * name stems (e.g. ['LDR_32', 'LDR_64']), completed with the class suffix of `mode`.
 */
function single<const I extends string>(
  id: I, mode: Mode, size: string, opc: string, mnemonic: string, rt: RtKind, scale: number | 'sf', arm: readonly string[],
) {
  const mem: Record<Mode, OperandFn> = {
    uoff: memUoff(scale), unscaled: memU9, unpriv: memU9, pre: memPre9, post: memPost9, reg: memReg(scale),
  };
  const ops: Record<string, OperandFn> = { mem: mem[mode] };
  if (rt === 'S') ops.rt = rtSigned;
  if (rt === 'P') ops.prfop = prfop;
  return {
    id, cls: 'ldst', arm: arm.map((a) => `${a}_${ARM_SUFFIX[mode]}`).join('|'),
    pattern: `${size} 111 0 ${MODE_BITS[mode](opc)}`,
    asm: `${mnemonic} ${RT_TEXT[rt]}, {@mem}`,
    ...(mode === 'reg' ? { undef: reservedOption } : {}),
    ops,
  } as const;
}

/** Load/store pair rows: 'sf:1 0' (32/64-bit) or '01' (LDPSW), 101 V=0, then the class bits. */
type PairMode = 'off' | 'pre' | 'post' | 'nt';
const PAIR_BITS: Record<PairMode, string> = { nt: '000', post: '001', off: '010', pre: '011' };
const PAIR_SUFFIX: Record<PairMode, string> = { nt: 'ldstnapair_offs', post: 'ldstpair_post', off: 'ldstpair_off', pre: 'ldstpair_pre' };

const memPair = (mode: PairMode, scale: number | 'sf'): OperandFn => (f) => {
  const off = sext(f.imm7, 7) * (1 << (scale === 'sf' ? 2 + f.sf : scale));
  if (mode === 'post') return `[${base(f)}], #${off}`;
  if (mode === 'pre') return `[${base(f)}, #${off}]!`;
  return off ? `[${base(f)}, #${off}]` : `[${base(f)}]`;
};

/**
 * CONSTRAINED UNPREDICTABLE (LDPSW with Rt == Rt2, or with writeback and Rn == Rt or Rt2, Rn != 31): we
 * choose Constraint_UNDEF, because GNU objdump refuses these words (binutils' LDPSW verifier prints them
 * as undefined) and our disassembly follows objdump. QEMU executes them instead. LDP/LDNP with the same
 * overlaps are disassembled by objdump and executed (see exec/loadStore.ts).
 */
const ldpswOverlap = (wback: boolean) => (f: Fields): boolean =>
  f.Rt === f.Rt2 || (wback && f.Rn !== 31 && (f.Rn === f.Rt || f.Rn === f.Rt2));

function pair<const I extends string>(id: I, mode: PairMode, load: boolean, signedWord: boolean, mnemonic: string, arm: readonly string[]) {
  const opc = signedWord ? '01' : 'sf:1 0';
  const regs = signedWord ? '{X:Rt}, {X:Rt2}' : '{R:Rt}, {R:Rt2}';
  return {
    id, cls: 'ldst', arm: arm.map((a) => `${a}_${PAIR_SUFFIX[mode]}`).join('|'),
    pattern: `${opc} 101 0 ${PAIR_BITS[mode]} ${load ? 1 : 0} imm7:7 Rt2:5 Rn:5 Rt:5`,
    asm: `${mnemonic} ${regs}, {@mem}`,
    ...(signedWord ? { undef: ldpswOverlap(mode === 'pre' || mode === 'post') } : {}),
    ops: { mem: memPair(mode, signedWord ? 2 : 'sf') },
  } as const;
}

export const LOAD_STORE_ROWS = [
  // unsigned offset
  single('STRB_imm_uoff', 'uoff', '00', '00', 'strb', 'W', 0, ['STRB_32']),
  single('STRH_imm_uoff', 'uoff', '01', '00', 'strh', 'W', 1, ['STRH_32']),
  single('STR_imm_uoff', 'uoff', '1 sf:1', '00', 'str', 'R', 'sf', ['STR_32', 'STR_64']),
  single('LDRB_imm_uoff', 'uoff', '00', '01', 'ldrb', 'W', 0, ['LDRB_32']),
  single('LDRH_imm_uoff', 'uoff', '01', '01', 'ldrh', 'W', 1, ['LDRH_32']),
  single('LDR_imm_uoff', 'uoff', '1 sf:1', '01', 'ldr', 'R', 'sf', ['LDR_32', 'LDR_64']),
  single('LDRSB_imm_uoff', 'uoff', '00', '1 opc0:1', 'ldrsb', 'S', 0, ['LDRSB_64', 'LDRSB_32']),
  single('LDRSH_imm_uoff', 'uoff', '01', '1 opc0:1', 'ldrsh', 'S', 1, ['LDRSH_64', 'LDRSH_32']),
  single('LDRSW_imm_uoff', 'uoff', '10', '10', 'ldrsw', 'X', 2, ['LDRSW_64']),
  single('PRFM_imm_uoff', 'uoff', '11', '10', 'prfm', 'P', 3, ['PRFM_P']),
  // pre-index
  single('STRB_imm_pre', 'pre', '00', '00', 'strb', 'W', 0, ['STRB_32']),
  single('STRH_imm_pre', 'pre', '01', '00', 'strh', 'W', 1, ['STRH_32']),
  single('STR_imm_pre', 'pre', '1 sf:1', '00', 'str', 'R', 'sf', ['STR_32', 'STR_64']),
  single('LDRB_imm_pre', 'pre', '00', '01', 'ldrb', 'W', 0, ['LDRB_32']),
  single('LDRH_imm_pre', 'pre', '01', '01', 'ldrh', 'W', 1, ['LDRH_32']),
  single('LDR_imm_pre', 'pre', '1 sf:1', '01', 'ldr', 'R', 'sf', ['LDR_32', 'LDR_64']),
  single('LDRSB_imm_pre', 'pre', '00', '1 opc0:1', 'ldrsb', 'S', 0, ['LDRSB_64', 'LDRSB_32']),
  single('LDRSH_imm_pre', 'pre', '01', '1 opc0:1', 'ldrsh', 'S', 1, ['LDRSH_64', 'LDRSH_32']),
  single('LDRSW_imm_pre', 'pre', '10', '10', 'ldrsw', 'X', 2, ['LDRSW_64']),
  // post-index
  single('STRB_imm_post', 'post', '00', '00', 'strb', 'W', 0, ['STRB_32']),
  single('STRH_imm_post', 'post', '01', '00', 'strh', 'W', 1, ['STRH_32']),
  single('STR_imm_post', 'post', '1 sf:1', '00', 'str', 'R', 'sf', ['STR_32', 'STR_64']),
  single('LDRB_imm_post', 'post', '00', '01', 'ldrb', 'W', 0, ['LDRB_32']),
  single('LDRH_imm_post', 'post', '01', '01', 'ldrh', 'W', 1, ['LDRH_32']),
  single('LDR_imm_post', 'post', '1 sf:1', '01', 'ldr', 'R', 'sf', ['LDR_32', 'LDR_64']),
  single('LDRSB_imm_post', 'post', '00', '1 opc0:1', 'ldrsb', 'S', 0, ['LDRSB_64', 'LDRSB_32']),
  single('LDRSH_imm_post', 'post', '01', '1 opc0:1', 'ldrsh', 'S', 1, ['LDRSH_64', 'LDRSH_32']),
  single('LDRSW_imm_post', 'post', '10', '10', 'ldrsw', 'X', 2, ['LDRSW_64']),
  // register offset
  single('STRB_reg', 'reg', '00', '00', 'strb', 'W', 0, ['STRB_32B', 'STRB_32BL']),
  single('STRH_reg', 'reg', '01', '00', 'strh', 'W', 1, ['STRH_32']),
  single('STR_reg', 'reg', '1 sf:1', '00', 'str', 'R', 'sf', ['STR_32', 'STR_64']),
  single('LDRB_reg', 'reg', '00', '01', 'ldrb', 'W', 0, ['LDRB_32B', 'LDRB_32BL']),
  single('LDRH_reg', 'reg', '01', '01', 'ldrh', 'W', 1, ['LDRH_32']),
  single('LDR_reg', 'reg', '1 sf:1', '01', 'ldr', 'R', 'sf', ['LDR_32', 'LDR_64']),
  single('LDRSB_reg', 'reg', '00', '1 opc0:1', 'ldrsb', 'S', 0, ['LDRSB_64B', 'LDRSB_64BL', 'LDRSB_32B', 'LDRSB_32BL']),
  single('LDRSH_reg', 'reg', '01', '1 opc0:1', 'ldrsh', 'S', 1, ['LDRSH_64', 'LDRSH_32']),
  single('LDRSW_reg', 'reg', '10', '10', 'ldrsw', 'X', 2, ['LDRSW_64']),
  single('PRFM_reg', 'reg', '11', '10', 'prfm', 'P', 3, ['PRFM_P']),
  // unscaled immediate
  single('STURB', 'unscaled', '00', '00', 'sturb', 'W', 0, ['STURB_32']),
  single('STURH', 'unscaled', '01', '00', 'sturh', 'W', 1, ['STURH_32']),
  single('STUR', 'unscaled', '1 sf:1', '00', 'stur', 'R', 'sf', ['STUR_32', 'STUR_64']),
  single('LDURB', 'unscaled', '00', '01', 'ldurb', 'W', 0, ['LDURB_32']),
  single('LDURH', 'unscaled', '01', '01', 'ldurh', 'W', 1, ['LDURH_32']),
  single('LDUR', 'unscaled', '1 sf:1', '01', 'ldur', 'R', 'sf', ['LDUR_32', 'LDUR_64']),
  single('LDURSB', 'unscaled', '00', '1 opc0:1', 'ldursb', 'S', 0, ['LDURSB_64', 'LDURSB_32']),
  single('LDURSH', 'unscaled', '01', '1 opc0:1', 'ldursh', 'S', 1, ['LDURSH_64', 'LDURSH_32']),
  single('LDURSW', 'unscaled', '10', '10', 'ldursw', 'X', 2, ['LDURSW_64']),
  single('PRFUM', 'unscaled', '11', '10', 'prfum', 'P', 3, ['PRFUM_P']),
  // unprivileged
  single('STTRB', 'unpriv', '00', '00', 'sttrb', 'W', 0, ['STTRB_32']),
  single('STTRH', 'unpriv', '01', '00', 'sttrh', 'W', 1, ['STTRH_32']),
  single('STTR', 'unpriv', '1 sf:1', '00', 'sttr', 'R', 'sf', ['STTR_32', 'STTR_64']),
  single('LDTRB', 'unpriv', '00', '01', 'ldtrb', 'W', 0, ['LDTRB_32']),
  single('LDTRH', 'unpriv', '01', '01', 'ldtrh', 'W', 1, ['LDTRH_32']),
  single('LDTR', 'unpriv', '1 sf:1', '01', 'ldtr', 'R', 'sf', ['LDTR_32', 'LDTR_64']),
  single('LDTRSB', 'unpriv', '00', '1 opc0:1', 'ldtrsb', 'S', 0, ['LDTRSB_64', 'LDTRSB_32']),
  single('LDTRSH', 'unpriv', '01', '1 opc0:1', 'ldtrsh', 'S', 1, ['LDTRSH_64', 'LDTRSH_32']),
  single('LDTRSW', 'unpriv', '10', '10', 'ldtrsw', 'X', 2, ['LDTRSW_64']),
  // literal
  {
    id: 'LDR_lit', cls: 'ldst', arm: 'LDR_32_loadlit|LDR_64_loadlit',
    pattern: '0 sf:1 011 0 00 imm19:19 Rt:5', asm: 'ldr {R:Rt}, {@label}', ops: { label: label19 },
  },
  {
    id: 'LDRSW_lit', cls: 'ldst', arm: 'LDRSW_64_loadlit',
    pattern: '10 011 0 00 imm19:19 Rt:5', asm: 'ldrsw {X:Rt}, {@label}', ops: { label: label19 },
  },
  {
    id: 'PRFM_lit', cls: 'ldst', arm: 'PRFM_P_loadlit',
    pattern: '11 011 0 00 imm19:19 Rt:5', asm: 'prfm {@prfop}, {@label}', ops: { label: label19, prfop },
  },
  // pairs
  pair('STNP', 'nt', false, false, 'stnp', ['STNP_32', 'STNP_64']),
  pair('LDNP', 'nt', true, false, 'ldnp', ['LDNP_32', 'LDNP_64']),
  pair('STP_off', 'off', false, false, 'stp', ['STP_32', 'STP_64']),
  pair('STP_pre', 'pre', false, false, 'stp', ['STP_32', 'STP_64']),
  pair('STP_post', 'post', false, false, 'stp', ['STP_32', 'STP_64']),
  pair('LDP_off', 'off', true, false, 'ldp', ['LDP_32', 'LDP_64']),
  pair('LDP_pre', 'pre', true, false, 'ldp', ['LDP_32', 'LDP_64']),
  pair('LDP_post', 'post', true, false, 'ldp', ['LDP_32', 'LDP_64']),
  pair('LDPSW_off', 'off', true, true, 'ldpsw', ['LDPSW_64']),
  pair('LDPSW_pre', 'pre', true, true, 'ldpsw', ['LDPSW_64']),
  pair('LDPSW_post', 'post', true, true, 'ldpsw', ['LDPSW_64']),
] as const satisfies readonly RowDef[];
