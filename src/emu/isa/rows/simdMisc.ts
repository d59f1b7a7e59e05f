// Encoding table rows: Advanced SIMD two-register miscellaneous (vector and scalar; the integer ones: the
// FP conversions and compares are the FP work's), across lanes (ADDV, SMAXV/SMINV/UMAXV/UMINV,
// SADDLV/UADDLV) and scalar pairwise ADDP. objdump's spellings: compares against zero take '#0', NOT is
// printed as its alias MVN, SHLL names its shift (#8/#16/#32), the narrowing and SHLL forms add '2' for
// the high half (Q = 1).
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { SAME_OPS, SREG, arr, vreg } from './simdCommon';

const bits = (v: number, n: number): string => v.toString(2).padStart(n, '0');

/** Which size/Q combinations a vector row allows. */
type VK = 'all' | 'no64' | 'b' | 'bh' | 'h' | 's';
const V_UNDEF: Record<VK, (f: Fields) => boolean> = {
  all: (f) => f.size === 3 && !f.Q,
  no64: (f) => f.size === 3,
  b: (f) => f.size !== 0,
  bh: (f) => f.size > 1,
  h: (f) => f.size !== 1,
  s: (f) => f.size !== 2,
};

const MISC_OPS = {
  ...SAME_OPS,
  /** Pairwise long: the destination has half as many lanes, each twice as wide. */
  pd: (f: Fields) => vreg(f.Rd, arr(f.size + 1, f.Q)),
  /** Byte arrangement for the size-is-opcode rows (RBIT). */
  bd: (f: Fields) => vreg(f.Rd, f.Q ? '16b' : '8b'),
  bn: (f: Fields) => vreg(f.Rn, f.Q ? '16b' : '8b'),
  shll: (f: Fields) => `#${8 << f.size}`,
  /** Narrowing: the scalar destination one size below the source. */
  snd: (f: Fields) => `${SREG[f.size]}${f.Rd}`,
  snn: (f: Fields) => `${SREG[f.size + 1]}${f.Rn}`,
};

const v2 = <I extends string>(id: I, u: number, opc: number, kind: VK, asm: string, sizeBits = 'size:2') => ({
  id, cls: 'simd', arm: `${id.split('_')[0]}_asimdmisc`,
  pattern: `0 Q:1 ${u} 01110 ${sizeBits} 10000 ${bits(opc, 5)} 10 Rn:5 Rd:5`,
  ...(sizeBits === 'size:2' ? { undef: V_UNDEF[kind] } : {}),
  asm, ops: MISC_OPS,
}) as const;

/** Scalar two-register misc: 'd' = 64-bit only, 'all' = every size, 'n' = narrowing (source size 1..3). */
const s2 = <I extends string>(id: I, u: number, opc: number, kind: 'd' | 'all' | 'n', asm: string) => ({
  id, cls: 'simd', arm: `${id.split('_')[0]}_asisdmisc`,
  pattern: `01 ${u} 11110 size:2 10000 ${bits(opc, 5)} 10 Rn:5 Rd:5`,
  ...(kind === 'd' ? { undef: (f: Fields) => f.size !== 3 } : kind === 'n' ? { undef: (f: Fields) => f.size === 3 } : {}),
  asm, ops: MISC_OPS,
}) as const;

const same2 = (name: string): string => `${name} {@vd}, {@vn}`;
const zero2 = (name: string): string => `${name} {@vd}, {@vn}, #0`;
const narrow = (name: string): string => `${name}{@two} {@nd}, {@wn}`;

const ACROSS_OPS = {
  sd: (f: Fields) => `${SREG[f.size]}${f.Rd}`,
  swd: (f: Fields) => `${SREG[f.size + 1]}${f.Rd}`,
  vn: (f: Fields) => vreg(f.Rn, arr(f.size, f.Q)),
};
const across = <I extends string>(id: I, u: number, opc: number, asm: string) => ({
  id, cls: 'simd', arm: `${id.split('_')[0]}_asimdall_only`,
  pattern: `0 Q:1 ${u} 01110 size:2 11000 ${bits(opc, 5)} 10 Rn:5 Rd:5`,
  undef: (f: Fields) => f.size === 3 || (f.size === 2 && !f.Q),
  asm, ops: ACROSS_OPS,
}) as const;

export const SIMD_MISC_ROWS = [
  v2('REV64_v', 0, 0b00000, 'no64', same2('rev64')),
  v2('REV16_v', 0, 0b00001, 'b', same2('rev16')),
  v2('REV32_v', 1, 0b00000, 'bh', same2('rev32')),
  v2('SADDLP_v', 0, 0b00010, 'no64', 'saddlp {@pd}, {@vn}'),
  v2('UADDLP_v', 1, 0b00010, 'no64', 'uaddlp {@pd}, {@vn}'),
  v2('SUQADD_v', 0, 0b00011, 'all', same2('suqadd')),
  v2('USQADD_v', 1, 0b00011, 'all', same2('usqadd')),
  v2('CLS_v', 0, 0b00100, 'no64', same2('cls')),
  v2('CLZ_v', 1, 0b00100, 'no64', same2('clz')),
  v2('CNT_v', 0, 0b00101, 'b', same2('cnt')),
  {
    ...v2('NOT_v', 1, 0b00101, 'b', 'not {@bd}, {@bn}', '00'),
    aliases: [{ when: () => true, asm: 'mvn {@bd}, {@bn}' }],
  },
  v2('RBIT_v', 1, 0b00101, 'b', 'rbit {@bd}, {@bn}', '01'),
  v2('SADALP_v', 0, 0b00110, 'no64', 'sadalp {@pd}, {@vn}'),
  v2('UADALP_v', 1, 0b00110, 'no64', 'uadalp {@pd}, {@vn}'),
  v2('SQABS_v', 0, 0b00111, 'all', same2('sqabs')),
  v2('SQNEG_v', 1, 0b00111, 'all', same2('sqneg')),
  v2('CMGT0_v', 0, 0b01000, 'all', zero2('cmgt')),
  v2('CMGE0_v', 1, 0b01000, 'all', zero2('cmge')),
  v2('CMEQ0_v', 0, 0b01001, 'all', zero2('cmeq')),
  v2('CMLE0_v', 1, 0b01001, 'all', zero2('cmle')),
  v2('CMLT0_v', 0, 0b01010, 'all', zero2('cmlt')),
  v2('ABS_v', 0, 0b01011, 'all', same2('abs')),
  v2('NEG_v', 1, 0b01011, 'all', same2('neg')),
  v2('XTN_v', 0, 0b10010, 'no64', narrow('xtn')),
  v2('SQXTUN_v', 1, 0b10010, 'no64', narrow('sqxtun')),
  v2('SHLL_v', 1, 0b10011, 'no64', 'shll{@two} {@wd}, {@nn}, {@shll}'),
  v2('SQXTN_v', 0, 0b10100, 'no64', narrow('sqxtn')),
  v2('UQXTN_v', 1, 0b10100, 'no64', narrow('uqxtn')),
  v2('URECPE_v', 0, 0b11100, 's', same2('urecpe')),
  v2('URSQRTE_v', 1, 0b11100, 's', same2('ursqrte')),

  s2('SUQADD_s', 0, 0b00011, 'all', 'suqadd {@sd}, {@sn}'),
  s2('USQADD_s', 1, 0b00011, 'all', 'usqadd {@sd}, {@sn}'),
  s2('SQABS_s', 0, 0b00111, 'all', 'sqabs {@sd}, {@sn}'),
  s2('SQNEG_s', 1, 0b00111, 'all', 'sqneg {@sd}, {@sn}'),
  s2('CMGT0_s', 0, 0b01000, 'd', 'cmgt {@sd}, {@sn}, #0'),
  s2('CMGE0_s', 1, 0b01000, 'd', 'cmge {@sd}, {@sn}, #0'),
  s2('CMEQ0_s', 0, 0b01001, 'd', 'cmeq {@sd}, {@sn}, #0'),
  s2('CMLE0_s', 1, 0b01001, 'd', 'cmle {@sd}, {@sn}, #0'),
  s2('CMLT0_s', 0, 0b01010, 'd', 'cmlt {@sd}, {@sn}, #0'),
  s2('ABS_s', 0, 0b01011, 'd', 'abs {@sd}, {@sn}'),
  s2('NEG_s', 1, 0b01011, 'd', 'neg {@sd}, {@sn}'),
  s2('SQXTUN_s', 1, 0b10010, 'n', 'sqxtun {@snd}, {@snn}'),
  s2('SQXTN_s', 0, 0b10100, 'n', 'sqxtn {@snd}, {@snn}'),
  s2('UQXTN_s', 1, 0b10100, 'n', 'uqxtn {@snd}, {@snn}'),

  across('SADDLV', 0, 0b00011, 'saddlv {@swd}, {@vn}'),
  across('UADDLV', 1, 0b00011, 'uaddlv {@swd}, {@vn}'),
  across('SMAXV', 0, 0b01010, 'smaxv {@sd}, {@vn}'),
  across('UMAXV', 1, 0b01010, 'umaxv {@sd}, {@vn}'),
  across('SMINV', 0, 0b11010, 'sminv {@sd}, {@vn}'),
  across('UMINV', 1, 0b11010, 'uminv {@sd}, {@vn}'),
  across('ADDV', 0, 0b11011, 'addv {@sd}, {@vn}'),
  {
    id: 'ADDP_s', cls: 'simd', arm: 'ADDP_asisdpair_only',
    pattern: '01 0 11110 size:2 11000 11011 10 Rn:5 Rd:5',
    undef: (f: Fields) => f.size !== 3,
    asm: 'addp {@sd}, {@vn}', ops: { ...ACROSS_OPS, vn: (f: Fields) => vreg(f.Rn, '2d') },
  },
] as const satisfies readonly RowDef[];
