// Encoding table rows: Advanced SIMD shift by immediate, vector and scalar (the integer ones; SCVTF/UCVTF
// and FCVTZS/FCVTZU fixed-point are the FP work's). immh gives the element size (its highest set bit:
// 0001 B, 001x H, 01xx S, 1xxx D) and immh:immb the amount: right shifts 2*esize - immh:immb (1..esize),
// left shifts immh:immb - esize (0..esize-1). The narrowing forms (SHRN...) name the destination size and
// the long forms (SSHLL/USHLL, printed SXTL/UXTL for a zero shift) the source size; neither has a 1xxx
// form. immh = 0000 is the modified-immediate space (rows/simdPermute.ts, declared over these rows).
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { SREG, arr, vreg } from './simdCommon';

const bits = (v: number, n: number): string => v.toString(2).padStart(n, '0');

/** Element size index 0..3 from immh (-1 for 0000). */
export const immhSize = (immh: number): number => (immh >= 8 ? 3 : immh >= 4 ? 2 : immh >= 2 ? 1 : immh === 1 ? 0 : -1);
/** Right-shift amount of a shift-by-immediate encoding. */
export const shrAmount = (f: Fields): number => (16 << immhSize(f.immh)) - ((f.immh << 3) | f.immb);
/** Left-shift amount. */
export const shlAmount = (f: Fields): number => ((f.immh << 3) | f.immb) - (8 << immhSize(f.immh));

type Kind = 'r' | 'l' | 'n' | 'w';
const SHIFT_OPS = {
  vd: (f: Fields) => vreg(f.Rd, arr(immhSize(f.immh), f.Q)),
  vn: (f: Fields) => vreg(f.Rn, arr(immhSize(f.immh), f.Q)),
  wd: (f: Fields) => vreg(f.Rd, arr(immhSize(f.immh) + 1, 1)),
  wn: (f: Fields) => vreg(f.Rn, arr(immhSize(f.immh) + 1, 1)),
  two: (f: Fields) => (f.Q ? '2' : ''),
  sd: (f: Fields) => `${SREG[immhSize(f.immh)]}${f.Rd}`,
  sn: (f: Fields) => `${SREG[immhSize(f.immh)]}${f.Rn}`,
  swn: (f: Fields) => `${SREG[immhSize(f.immh) + 1]}${f.Rn}`,
  r: (f: Fields) => `#${shrAmount(f)}`,
  l: (f: Fields) => `#${shlAmount(f)}`,
};

/** Vector: 'r' right shift, 'l' left shift, 'n' narrowing right shift, 'w' widening left shift. */
const vs = <I extends string>(id: I, u: number, opc: number, name: string, kind: Kind) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimdshf`,
  pattern: `0 Q:1 ${u} 011110 immh:4 immb:3 ${bits(opc, 5)} 1 Rn:5 Rd:5`,
  undef: kind === 'n' || kind === 'w'
    ? (f: Fields) => f.immh === 0 || f.immh >= 8
    : (f: Fields) => f.immh === 0 || (f.immh >= 8 && !f.Q),
  asm: kind === 'n' ? `${name}{@two} {@vd}, {@wn}, {@r}`
    : kind === 'w' ? `${name}{@two} {@wd}, {@vn}, {@l}`
      : `${name} {@vd}, {@vn}, {@${kind}}`,
  ops: SHIFT_OPS,
}) as const;

/** Scalar: 'd' 64-bit only, 'all' any size, 'n' narrowing. */
const ss = <I extends string>(id: I, u: number, opc: number, name: string, kind: 'd' | 'all' | 'n', dir: 'r' | 'l') => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asisdshf`,
  pattern: `01 ${u} 111110 immh:4 immb:3 ${bits(opc, 5)} 1 Rn:5 Rd:5`,
  undef: kind === 'd' ? (f: Fields) => f.immh < 8 : kind === 'n' ? (f: Fields) => f.immh === 0 || f.immh >= 8 : (f: Fields) => f.immh === 0,
  asm: kind === 'n' ? `${name} {@sd}, {@swn}, {@r}` : `${name} {@sd}, {@sn}, {@${dir}}`,
  ops: SHIFT_OPS,
}) as const;

export const SIMD_SHIFT_ROWS = [
  vs('SSHR_v', 0, 0b00000, 'sshr', 'r'), vs('USHR_v', 1, 0b00000, 'ushr', 'r'),
  vs('SSRA_v', 0, 0b00010, 'ssra', 'r'), vs('USRA_v', 1, 0b00010, 'usra', 'r'),
  vs('SRSHR_v', 0, 0b00100, 'srshr', 'r'), vs('URSHR_v', 1, 0b00100, 'urshr', 'r'),
  vs('SRSRA_v', 0, 0b00110, 'srsra', 'r'), vs('URSRA_v', 1, 0b00110, 'ursra', 'r'),
  vs('SRI_v', 1, 0b01000, 'sri', 'r'),
  vs('SHL_v', 0, 0b01010, 'shl', 'l'), vs('SLI_v', 1, 0b01010, 'sli', 'l'),
  vs('SQSHLU_v', 1, 0b01100, 'sqshlu', 'l'),
  vs('SQSHL_imm_v', 0, 0b01110, 'sqshl', 'l'), vs('UQSHL_imm_v', 1, 0b01110, 'uqshl', 'l'),
  vs('SHRN_v', 0, 0b10000, 'shrn', 'n'), vs('SQSHRUN_v', 1, 0b10000, 'sqshrun', 'n'),
  vs('RSHRN_v', 0, 0b10001, 'rshrn', 'n'), vs('SQRSHRUN_v', 1, 0b10001, 'sqrshrun', 'n'),
  vs('SQSHRN_v', 0, 0b10010, 'sqshrn', 'n'), vs('UQSHRN_v', 1, 0b10010, 'uqshrn', 'n'),
  vs('SQRSHRN_v', 0, 0b10011, 'sqrshrn', 'n'), vs('UQRSHRN_v', 1, 0b10011, 'uqrshrn', 'n'),
  {
    ...vs('SSHLL_v', 0, 0b10100, 'sshll', 'w'),
    aliases: [{ when: (f: Fields) => shlAmount(f) === 0, asm: 'sxtl{@two} {@wd}, {@vn}' }],
  },
  {
    ...vs('USHLL_v', 1, 0b10100, 'ushll', 'w'),
    aliases: [{ when: (f: Fields) => shlAmount(f) === 0, asm: 'uxtl{@two} {@wd}, {@vn}' }],
  },

  ss('SSHR_s', 0, 0b00000, 'sshr', 'd', 'r'), ss('USHR_s', 1, 0b00000, 'ushr', 'd', 'r'),
  ss('SSRA_s', 0, 0b00010, 'ssra', 'd', 'r'), ss('USRA_s', 1, 0b00010, 'usra', 'd', 'r'),
  ss('SRSHR_s', 0, 0b00100, 'srshr', 'd', 'r'), ss('URSHR_s', 1, 0b00100, 'urshr', 'd', 'r'),
  ss('SRSRA_s', 0, 0b00110, 'srsra', 'd', 'r'), ss('URSRA_s', 1, 0b00110, 'ursra', 'd', 'r'),
  ss('SRI_s', 1, 0b01000, 'sri', 'd', 'r'),
  ss('SHL_s', 0, 0b01010, 'shl', 'd', 'l'), ss('SLI_s', 1, 0b01010, 'sli', 'd', 'l'),
  ss('SQSHLU_s', 1, 0b01100, 'sqshlu', 'all', 'l'),
  ss('SQSHL_imm_s', 0, 0b01110, 'sqshl', 'all', 'l'), ss('UQSHL_imm_s', 1, 0b01110, 'uqshl', 'all', 'l'),
  ss('SQSHRUN_s', 1, 0b10000, 'sqshrun', 'n', 'r'), ss('SQRSHRUN_s', 1, 0b10001, 'sqrshrun', 'n', 'r'),
  ss('SQSHRN_s', 0, 0b10010, 'sqshrn', 'n', 'r'), ss('UQSHRN_s', 1, 0b10010, 'uqshrn', 'n', 'r'),
  ss('SQRSHRN_s', 0, 0b10011, 'sqrshrn', 'n', 'r'), ss('UQRSHRN_s', 1, 0b10011, 'uqrshrn', 'n', 'r'),
] as const satisfies readonly RowDef[];

/** The vector shift rows, whose immh = 0000 words belong to the modified-immediate rows. */
export const SIMD_SHIFT_VECTOR_IDS = SIMD_SHIFT_ROWS.filter((r) => r.id.endsWith('_v')).map((r) => r.id);
