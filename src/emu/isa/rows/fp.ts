// Encoding table rows: scalar floating point (Arm ARM "Data Processing -- Scalar Floating-Point and
// Advanced SIMD", the scalar FP classes): one- two- and three-source arithmetic, compares, conditional
// compare and select, FMOV (register, immediate, general registers, the top half of V), conversions between
// precisions, to and from integers and fixed point, and the rounding to integral values. Each operation on
// single/double is one row with a `sz` field (ftype 00 single, 01 double); its half-precision form is a row
// of its own with ftype 11, tagged FEAT_FP16, so models without FP16 UNDEF it through the feature gating.
// The conversions between half and single/double (FCVT) are base ARMv8 and one row. Also FRECPE/FRSQRTE/
// FRECPX/FRECPS/FRSQRTS, whose scalar forms are encoded in the Advanced SIMD scalar classes. Spelling: GNU
// objdump 2.40.
import type { Fields } from '../pattern';
import { wreg, xreg } from '../operands';
import type { DisasmContext, OperandFn, RowDef } from '../rowTypes';

/** Register prefix of the row's precision: no sz field (half rows) 'h', else 's'/'d'. */
const pfx = (f: Fields): string => (f.sz === undefined ? 'h' : f.sz ? 'd' : 's');
const reg = (field: string): OperandFn => (f) => `${pfx(f)}${f[field]}`;
const REGS: Record<string, OperandFn> = { d: reg('Rd'), n: reg('Rn'), m: reg('Rm'), a: reg('Ra') };
const gpr = (field: string): OperandFn => (f) => (f.sf ? xreg(f[field], false) : wreg(f[field], false));

/** VFPExpandImm as a real: ±(16 + imm8<3:0>)/16 * 2^e, e = imm8<6> ? imm8<5:4> - 3 : imm8<5:4> + 1. */
export function fpImmValue(imm8: number): number {
  const cd = (imm8 >> 4) & 3;
  const e = imm8 & 0x40 ? cd - 3 : cd + 1;
  const v = ((16 + (imm8 & 15)) / 16) * 2 ** e;
  return imm8 & 0x80 ? -v : v;
}

/** objdump's %.18e: '1.000000000000000000e+00'. */
function printfE18(v: number): string {
  const [m, e] = v.toExponential(18).split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

type Prec = 'sd' | 'h';
const TYPE: Record<Prec, string> = { sd: '0 sz:1', h: '11' };
const feat = (p: Prec) => (p === 'h' ? { feature: 'FEAT_FP16' } : {});

const ARM_T: Record<Prec, string> = { sd: '_S_floatdp|_D_floatdp', h: '_H_floatdp' };

function dp1<const I extends string>(id: I, p: Prec, opcode: string, name: string, arm: string) {
  return {
    id, cls: 'fp', arm: ARM_T[p].split('|').map((s) => arm + s + '1').join('|'), ...feat(p),
    pattern: `000 11110 ${TYPE[p]} 1 ${opcode} 10000 Rn:5 Rd:5`,
    asm: `${name} {@d}, {@n}`, ops: REGS,
  } as const;
}

function dp2<const I extends string>(id: I, p: Prec, opcode: string, name: string, arm: string) {
  return {
    id, cls: 'fp', arm: ARM_T[p].split('|').map((s) => arm + s + '2').join('|'), ...feat(p),
    pattern: `000 11110 ${TYPE[p]} 1 Rm:5 ${opcode} 10 Rn:5 Rd:5`,
    asm: `${name} {@d}, {@n}, {@m}`, ops: REGS,
  } as const;
}

function dp3<const I extends string>(id: I, p: Prec, o1: number, o0: number, name: string, arm: string) {
  return {
    id, cls: 'fp', arm: `${arm}${p === 'h' ? '_H' : '_S|_D'}_floatdp3`, ...feat(p),
    pattern: `000 11111 ${TYPE[p]} ${o1} Rm:5 ${o0} Ra:5 Rn:5 Rd:5`,
    asm: `${name} {@d}, {@n}, {@m}, {@a}`, ops: REGS,
  } as const;
}

const fcmpName: OperandFn = (f) => (f.E ? 'fcmpe' : 'fcmp');
const fccmpName: OperandFn = (f) => (f.E ? 'fccmpe' : 'fccmp');

function fpRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  return [
    dp1(`FMOV_reg${s}`, p, '0000 00', 'fmov', 'FMOV'),
    dp1(`FABS${s}`, p, '0000 01', 'fabs', 'FABS'),
    dp1(`FNEG${s}`, p, '0000 10', 'fneg', 'FNEG'),
    dp1(`FSQRT${s}`, p, '0000 11', 'fsqrt', 'FSQRT'),
    dp1(`FRINTN${s}`, p, '0010 00', 'frintn', 'FRINTN'),
    dp1(`FRINTP${s}`, p, '0010 01', 'frintp', 'FRINTP'),
    dp1(`FRINTM${s}`, p, '0010 10', 'frintm', 'FRINTM'),
    dp1(`FRINTZ${s}`, p, '0010 11', 'frintz', 'FRINTZ'),
    dp1(`FRINTA${s}`, p, '0011 00', 'frinta', 'FRINTA'),
    dp1(`FRINTX${s}`, p, '0011 10', 'frintx', 'FRINTX'),
    dp1(`FRINTI${s}`, p, '0011 11', 'frinti', 'FRINTI'),
    dp2(`FMUL${s}`, p, '0000', 'fmul', 'FMUL'),
    dp2(`FDIV${s}`, p, '0001', 'fdiv', 'FDIV'),
    dp2(`FADD${s}`, p, '0010', 'fadd', 'FADD'),
    dp2(`FSUB${s}`, p, '0011', 'fsub', 'FSUB'),
    dp2(`FMAX${s}`, p, '0100', 'fmax', 'FMAX'),
    dp2(`FMIN${s}`, p, '0101', 'fmin', 'FMIN'),
    dp2(`FMAXNM${s}`, p, '0110', 'fmaxnm', 'FMAXNM'),
    dp2(`FMINNM${s}`, p, '0111', 'fminnm', 'FMINNM'),
    dp2(`FNMUL${s}`, p, '1000', 'fnmul', 'FNMUL'),
    dp3(`FMADD${s}`, p, 0, 0, 'fmadd', 'FMADD'),
    dp3(`FMSUB${s}`, p, 0, 1, 'fmsub', 'FMSUB'),
    dp3(`FNMADD${s}`, p, 1, 0, 'fnmadd', 'FNMADD'),
    dp3(`FNMSUB${s}`, p, 1, 1, 'fnmsub', 'FNMSUB'),
    {
      id: `FCMP_reg${s}`, cls: 'fp', arm: 'FCMP|FCMPE_floatcmp', ...feat(p),
      pattern: `000 11110 ${TYPE[p]} 1 Rm:5 00 1000 Rn:5 E:1 0 000`,
      asm: '{@name} {@n}, {@m}', ops: { ...REGS, name: fcmpName },
    },
    // Rm is (0)(0)(0)(0)(0) in the compare-with-zero forms: a non-zero value is CONSTRAINED UNPREDICTABLE;
    // we ignore it (the instruction executes as with zeros), as objdump and QEMU do
    {
      id: `FCMP_zero${s}`, cls: 'fp', arm: 'FCMP|FCMPE_floatcmp (zero)', ...feat(p),
      pattern: `000 11110 ${TYPE[p]} 1 Rm:5 00 1000 Rn:5 E:1 1 000`,
      asm: '{@name} {@n}, #0.0', ops: { ...REGS, name: fcmpName },
    },
    {
      id: `FCCMP${s}`, cls: 'fp', arm: 'FCCMP|FCCMPE_floatccmp', ...feat(p),
      pattern: `000 11110 ${TYPE[p]} 1 Rm:5 cond:4 01 Rn:5 E:1 nzcv:4`,
      asm: '{@name} {@n}, {@m}, #0x{@nzcv}, {@condc}',
      ops: { ...REGS, name: fccmpName, nzcv: (f: Fields) => f.nzcv.toString(16) },
    },
    {
      id: `FCSEL${s}`, cls: 'fp', arm: 'FCSEL_floatsel', ...feat(p),
      pattern: `000 11110 ${TYPE[p]} 1 Rm:5 cond:4 11 Rn:5 Rd:5`,
      asm: 'fcsel {@d}, {@n}, {@m}, {@condc}', ops: REGS,
    },
    {
      id: `FMOV_imm${s}`, cls: 'fp', arm: 'FMOV_floatimm', ...feat(p),
      pattern: `000 11110 ${TYPE[p]} 1 imm8:8 100 00000 Rd:5`,
      asm: 'fmov {@d}, #{@imm}', ops: { ...REGS, imm: (f: Fields) => printfE18(fpImmValue(f.imm8)) },
    },
    // conversions with general registers
    {
      id: `FCVT_int${s}`, cls: 'fp', arm: 'FCVTNS|FCVTNU|FCVTPS|FCVTPU|FCVTMS|FCVTMU|FCVTZS|FCVTZU_float_int', ...feat(p),
      pattern: `sf:1 00 11110 ${TYPE[p]} 1 rmode:2 00 U:1 000000 Rn:5 Rd:5`,
      asm: 'fcvt{@r} {@rd}, {@n}', ops: { ...REGS, r: (f: Fields) => 'npmz'[f.rmode] + (f.U ? 'u' : 's'), rd: gpr('Rd') },
    },
    {
      id: `FCVTA_int${s}`, cls: 'fp', arm: 'FCVTAS|FCVTAU_float_int', ...feat(p),
      pattern: `sf:1 00 11110 ${TYPE[p]} 1 00 10 U:1 000000 Rn:5 Rd:5`,
      asm: 'fcvta{@u} {@rd}, {@n}', ops: { ...REGS, u: (f: Fields) => (f.U ? 'u' : 's'), rd: gpr('Rd') },
    },
    {
      id: `CVTF_int${s}`, cls: 'fp', arm: 'SCVTF|UCVTF_float_int', ...feat(p),
      pattern: `sf:1 00 11110 ${TYPE[p]} 1 00 01 U:1 000000 Rn:5 Rd:5`,
      asm: '{@u}cvtf {@d}, {@rn}', ops: { ...REGS, u: (f: Fields) => (f.U ? 'u' : 's'), rn: gpr('Rn') },
    },
    {
      id: `FCVTZ_fix${s}`, cls: 'fp', arm: 'FCVTZS|FCVTZU_float_fix', ...feat(p),
      pattern: `sf:1 00 11110 ${TYPE[p]} 0 11 00 U:1 scale:6 Rn:5 Rd:5`,
      undef: (f: Fields) => !f.sf && f.scale < 32,
      asm: 'fcvtz{@u} {@rd}, {@n}, #{@fbits}',
      ops: { ...REGS, u: (f: Fields) => (f.U ? 'u' : 's'), rd: gpr('Rd'), fbits: (f: Fields) => String(64 - f.scale) },
    },
    {
      id: `CVTF_fix${s}`, cls: 'fp', arm: 'SCVTF|UCVTF_float_fix', ...feat(p),
      pattern: `sf:1 00 11110 ${TYPE[p]} 0 00 01 U:1 scale:6 Rn:5 Rd:5`,
      undef: (f: Fields) => !f.sf && f.scale < 32,
      asm: '{@u}cvtf {@d}, {@rn}, #{@fbits}',
      ops: { ...REGS, u: (f: Fields) => (f.U ? 'u' : 's'), rn: gpr('Rn'), fbits: (f: Fields) => String(64 - f.scale) },
    },
  ] as const;
}

/** FRECPE, FRSQRTE, FRECPX (two-register misc, scalar) and FRECPS, FRSQRTS (three same, scalar). */
function recipRows<P extends Prec>(p: P) {
  const s = p === 'h' ? '_h' : '';
  const misc = (U: number, opcode: string) =>
    (p === 'h' ? `01 ${U} 11110 1 111100 ${opcode} 10 Rn:5 Rd:5` : `01 ${U} 11110 1 sz:1 10000 ${opcode} 10 Rn:5 Rd:5`);
  const same = (a: number) => (p === 'h' ? `01 0 11110 ${a} 10 Rm:5 00 111 1 Rn:5 Rd:5` : `01 0 11110 ${a} sz:1 1 Rm:5 11111 1 Rn:5 Rd:5`);
  const arm = p === 'h' ? '_asisdmiscfp16_R' : '_asisdmisc_R';
  return [
    { id: `FRECPE${s}`, cls: 'fp', arm: `FRECPE${arm}`, ...feat(p), pattern: misc(0, '11101'), asm: 'frecpe {@d}, {@n}', ops: REGS },
    { id: `FRSQRTE${s}`, cls: 'fp', arm: `FRSQRTE${arm}`, ...feat(p), pattern: misc(1, '11101'), asm: 'frsqrte {@d}, {@n}', ops: REGS },
    { id: `FRECPX${s}`, cls: 'fp', arm: `FRECPX${arm}`, ...feat(p), pattern: misc(0, '11111'), asm: 'frecpx {@d}, {@n}', ops: REGS },
    {
      id: `FRECPS${s}`, cls: 'fp', arm: `FRECPS_asisdsame${p === 'h' ? 'fp16' : ''}_only`, ...feat(p), pattern: same(0),
      asm: 'frecps {@d}, {@n}, {@m}', ops: REGS,
    },
    {
      id: `FRSQRTS${s}`, cls: 'fp', arm: `FRSQRTS_asisdsame${p === 'h' ? 'fp16' : ''}_only`, ...feat(p), pattern: same(1),
      asm: 'frsqrts {@d}, {@n}, {@m}', ops: REGS,
    },
  ] as const;
}

export const FP_ROWS = [
  ...fpRows('sd'),
  ...fpRows('h'),
  // reciprocal estimates and steps (the Advanced SIMD scalar encodings of these scalar FP operations)
  ...recipRows('sd'),
  ...recipRows('h'),
  {
    id: 'FCVT_prec', cls: 'fp', arm: 'FCVT_float',
    pattern: '000 11110 ftype:2 1 0001 opc:2 10000 Rn:5 Rd:5',
    undef: (f: Fields) => f.ftype === 2 || f.opc === 2 || f.ftype === f.opc,
    asm: 'fcvt {@d}, {@n}',
    ops: { d: (f: Fields) => `${'sd?h'[f.opc]}${f.Rd}`, n: (f: Fields) => `${'sd?h'[f.ftype]}${f.Rn}` },
  },
  {
    id: 'FRINTTS', cls: 'fp', arm: 'FRINT32Z|FRINT32X|FRINT64Z|FRINT64X_floatdp1', feature: 'FEAT_FRINTTS',
    pattern: '000 11110 0 sz:1 1 0100 op:2 10000 Rn:5 Rd:5',
    asm: 'frint{@w} {@d}, {@n}', ops: { ...REGS, w: (f: Fields) => (f.op & 2 ? '64' : '32') + (f.op & 1 ? 'x' : 'z') },
  },
  {
    id: 'FMOV_ws', cls: 'fp', arm: 'FMOV_32S_float2int|FMOV_S32_float2int',
    pattern: '0 00 11110 00 1 00 11 toFp:1 000000 Rn:5 Rd:5',
    asm: 'fmov {@ops}', ops: { ops: (f: Fields) => (f.toFp ? `s${f.Rd}, ${wreg(f.Rn, false)}` : `${wreg(f.Rd, false)}, s${f.Rn}`) },
  },
  {
    id: 'FMOV_xd', cls: 'fp', arm: 'FMOV_64D_float2int|FMOV_D64_float2int',
    pattern: '1 00 11110 01 1 00 11 toFp:1 000000 Rn:5 Rd:5',
    asm: 'fmov {@ops}', ops: { ops: (f: Fields) => (f.toFp ? `d${f.Rd}, ${xreg(f.Rn, false)}` : `${xreg(f.Rd, false)}, d${f.Rn}`) },
  },
  {
    id: 'FMOV_top', cls: 'fp', arm: 'FMOV_64VX_float2int|FMOV_V64I_float2int',
    pattern: '1 00 11110 10 1 01 11 toFp:1 000000 Rn:5 Rd:5',
    asm: 'fmov {@ops}',
    ops: { ops: (f: Fields) => (f.toFp ? `v${f.Rd}.d[1], ${xreg(f.Rn, false)}` : `${xreg(f.Rd, false)}, v${f.Rn}.d[1]`) },
  },
  {
    id: 'FMOV_gen_h', cls: 'fp', arm: 'FMOV_32H|FMOV_64H|FMOV_H32|FMOV_H64_float2int', feature: 'FEAT_FP16',
    pattern: 'sf:1 00 11110 11 1 00 11 toFp:1 000000 Rn:5 Rd:5',
    asm: 'fmov {@ops}',
    ops: { ops: (f: Fields) => (f.toFp ? `h${f.Rd}, ${gpr('Rn')(f, {} as DisasmContext)}` : `${gpr('Rd')(f, {} as DisasmContext)}, h${f.Rn}`) },
  },
  {
    id: 'FJCVTZS', cls: 'fp', arm: 'FJCVTZS_32D_float2int', feature: 'FEAT_JSCVT',
    pattern: '0 00 11110 01 1 11 110 000000 Rn:5 Rd:5',
    asm: 'fjcvtzs {W:Rd}, d{@n}', ops: { n: (f: Fields) => String(f.Rn) },
  },
] as const satisfies readonly RowDef[];

