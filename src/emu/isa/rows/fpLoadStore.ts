// Encoding table rows: loads and stores of the SIMD&FP registers (V = 1): LDR/STR of B, H, S, D and Q
// registers (unsigned offset, pre/post-index, unscaled LDUR/STUR, register offset), LDR (literal) of S, D
// and Q, and the pairs LDP/STP/LDNP/STNP of S, D and Q. The element size comes from size and opc<1>:
// size 00..11 with opc<1> = 0 are B, H, S, D; size 00 with opc<1> = 1 is Q (other sizes with opc<1> = 1
// are unallocated). Pairs and literals: opc 00 S, 01 D, 10 Q (11 unallocated). Spelling: GNU objdump.
import type { Fields } from '../pattern';
import { sext } from '../pattern';
import { target, wreg, xreg } from '../operands';
import type { DisasmContext, OperandFn, RowDef } from '../rowTypes';

const base = (f: Fields): string => xreg(f.Rn, true);
/** log2 of the access size in bytes of a single-register row. */
export const fpScale = (f: Fields): number => (f.o1 ? 4 : f.size);
const PREFIX = 'bhsdq';
const rt: OperandFn = (f) => `${PREFIX[fpScale(f)]}${f.Rt}`;
const badSize = (f: Fields): boolean => f.o1 === 1 && f.size !== 0;

const memUoff: OperandFn = (f) => {
  const off = f.imm12 << fpScale(f);
  return off ? `[${base(f)}, #${off}]` : `[${base(f)}]`;
};
const memU9: OperandFn = (f) => {
  const off = sext(f.imm9, 9);
  return off ? `[${base(f)}, #${off}]` : `[${base(f)}]`;
};
const memPre9: OperandFn = (f) => `[${base(f)}, #${sext(f.imm9, 9)}]!`;
const memPost9: OperandFn = (f) => `[${base(f)}], #${sext(f.imm9, 9)}`;
const EXTEND = ['', '', 'uxtw', 'lsl', '', '', 'sxtw', 'sxtx'];
const memReg: OperandFn = (f) => {
  const rm = f.option & 1 ? xreg(f.Rm, false) : wreg(f.Rm, false);
  if (f.option === 3 && !f.S) return `[${base(f)}, ${rm}]`;
  const ext = EXTEND[f.option];
  return f.S ? `[${base(f)}, ${rm}, ${ext} #${fpScale(f)}]` : `[${base(f)}, ${rm}, ${ext}]`;
};

type Mode = 'uoff' | 'pre' | 'post' | 'unscaled' | 'reg';
const MODE_BITS: Record<Mode, string> = {
  uoff: '01 o1:1 L imm12:12 Rn:5 Rt:5',
  unscaled: '00 o1:1 L 0 imm9:9 00 Rn:5 Rt:5',
  post: '00 o1:1 L 0 imm9:9 01 Rn:5 Rt:5',
  pre: '00 o1:1 L 0 imm9:9 11 Rn:5 Rt:5',
  reg: '00 o1:1 L 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5',
};
const MEM: Record<Mode, OperandFn> = { uoff: memUoff, pre: memPre9, post: memPost9, unscaled: memU9, reg: memReg };
const ARM_SUFFIX: Record<Mode, string> = {
  uoff: 'ldst_pos', pre: 'ldst_immpre', post: 'ldst_immpost', unscaled: 'ldst_unscaled', reg: 'ldst_regoff',
};

function single<const I extends string>(id: I, mode: Mode, load: boolean) {
  const name = mode === 'unscaled' ? (load ? 'ldur' : 'stur') : load ? 'ldr' : 'str';
  return {
    id, cls: 'fpldst', arm: ['B', 'H', 'S', 'D', 'Q'].map((s) => `${name.toUpperCase()}_${s}_${ARM_SUFFIX[mode]}`).join('|'),
    pattern: `size:2 111 1 ${MODE_BITS[mode].replace(' L ', load ? ' 1 ' : ' 0 ')}`,
    // register offset: option<1> = 0 is reserved
    undef: mode === 'reg' ? (f: Fields) => badSize(f) || (f.option & 2) === 0 : badSize,
    asm: `${name} {@rt}, {@mem}`,
    ops: { rt, mem: MEM[mode] },
  } as const;
}

const PAIR_PREFIX = 'sdq';
type PairMode = 'off' | 'pre' | 'post' | 'nt';
const PAIR_BITS: Record<PairMode, string> = { nt: '000', post: '001', off: '010', pre: '011' };
const PAIR_SUFFIX: Record<PairMode, string> = { nt: 'ldstnapair_offs', post: 'ldstpair_post', off: 'ldstpair_off', pre: 'ldstpair_pre' };
const memPair = (mode: PairMode): OperandFn => (f) => {
  const off = sext(f.imm7, 7) * (4 << f.opc);
  if (mode === 'post') return `[${base(f)}], #${off}`;
  if (mode === 'pre') return `[${base(f)}, #${off}]!`;
  return off ? `[${base(f)}, #${off}]` : `[${base(f)}]`;
};

function pair<const I extends string>(id: I, mode: PairMode, load: boolean) {
  const name = mode === 'nt' ? (load ? 'ldnp' : 'stnp') : load ? 'ldp' : 'stp';
  return {
    id, cls: 'fpldst', arm: ['S', 'D', 'Q'].map((s) => `${name.toUpperCase()}_${s}_${PAIR_SUFFIX[mode]}`).join('|'),
    pattern: `opc:2 101 1 ${PAIR_BITS[mode]} ${load ? 1 : 0} imm7:7 Rt2:5 Rn:5 Rt:5`,
    undef: (f: Fields) => f.opc === 3,
    asm: `${name} {@t1}, {@t2}, {@mem}`,
    ops: {
      t1: (f: Fields) => `${PAIR_PREFIX[f.opc]}${f.Rt}`, t2: (f: Fields) => `${PAIR_PREFIX[f.opc]}${f.Rt2}`, mem: memPair(mode),
    },
  } as const;
}

export const FP_LOAD_STORE_ROWS = [
  single('STR_fp_uoff', 'uoff', false),
  single('LDR_fp_uoff', 'uoff', true),
  single('STR_fp_pre', 'pre', false),
  single('LDR_fp_pre', 'pre', true),
  single('STR_fp_post', 'post', false),
  single('LDR_fp_post', 'post', true),
  single('STUR_fp', 'unscaled', false),
  single('LDUR_fp', 'unscaled', true),
  single('STR_fp_reg', 'reg', false),
  single('LDR_fp_reg', 'reg', true),
  {
    id: 'LDR_fp_lit', cls: 'fpldst', arm: 'LDR_S_loadlit|LDR_D_loadlit|LDR_Q_loadlit',
    pattern: 'opc:2 011 1 00 imm19:19 Rt:5', undef: (f: Fields) => f.opc === 3,
    asm: 'ldr {@t}, {@label}',
    ops: {
      t: (f: Fields) => `${PAIR_PREFIX[f.opc]}${f.Rt}`,
      label: (f: Fields, ctx: DisasmContext) => target(ctx, ctx.pc + BigInt(sext(f.imm19, 19) * 4)),
    },
  },
  pair('STNP_fp', 'nt', false),
  pair('LDNP_fp', 'nt', true),
  pair('STP_fp_off', 'off', false),
  pair('LDP_fp_off', 'off', true),
  pair('STP_fp_pre', 'pre', false),
  pair('LDP_fp_pre', 'pre', true),
  pair('STP_fp_post', 'post', false),
  pair('LDP_fp_post', 'post', true),
] as const satisfies readonly RowDef[];
