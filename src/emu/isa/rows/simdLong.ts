// Encoding table rows: Advanced SIMD three different (long, wide and narrowing-high forms, vector and the
// scalar SQDMLAL/SQDMLSL/SQDMULL) and vector/scalar x indexed element (integer forms, SDOT/UDOT by element
// (FEAT_DotProd), SQRDMLAH/SQRDMLSH by element (FEAT_RDM)). PMULL of 64-bit lanes (size 11) is
// FEAT_PMULL and has its own row. By element: size 01 takes the index from H:L:M and Vm from v0-v15;
// size 10 takes H:L and M:Rm; sizes 00 and 11 are reserved for the integer forms.
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { SAME_OPS, SREG, arr, vreg } from './simdCommon';

const bits = (v: number, n: number): string => v.toString(2).padStart(n, '0');

const LONG_OPS = {
  ...SAME_OPS,
  /** PMULL 1Q: the destination is one 128-bit lane. */
  qd: (f: Fields) => vreg(f.Rd, '1q'),
};

type DKind = 'l' | 'w' | 'hn';
const diff = <I extends string>(id: I, u: number, opc: number, name: string, kind: DKind, sizes: 'bhs' | 'hs') => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimddiff_L`,
  pattern: `0 Q:1 ${u} 01110 size:2 1 Rm:5 ${bits(opc, 4)} 00 Rn:5 Rd:5`,
  undef: sizes === 'hs' ? (f: Fields) => f.size === 0 || f.size === 3 : (f: Fields) => f.size === 3,
  asm: kind === 'l' ? `${name}{@two} {@wd}, {@nn}, {@nm}`
    : kind === 'w' ? `${name}{@two} {@wd}, {@wn}, {@nm}`
      : `${name}{@two} {@nd}, {@wn}, {@wm}`,
  ops: LONG_OPS,
}) as const;

const sdiff = <I extends string>(id: I, opc: number, name: string) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asisddiff_only`,
  pattern: `01 0 11110 size:2 1 Rm:5 ${bits(opc, 4)} 00 Rn:5 Rd:5`,
  undef: (f: Fields) => f.size === 0 || f.size === 3,
  asm: `${name} {@swd}, {@sn}, {@sm}`,
  ops: LONG_OPS,
}) as const;

/** The element index and Vm of a by-element encoding. */
export const elemIndex = (f: Fields): number => (f.size === 1 ? (f.H << 2) | (f.L << 1) | f.M : (f.H << 1) | f.L);
export const elemReg = (f: Fields): number => (f.size === 1 ? f.Rm : (f.M << 4) | f.Rm);
const E = 'bhsd';

const ELEM_OPS = {
  ...SAME_OPS,
  el: (f: Fields) => `v${elemReg(f)}.${E[f.size]}[${elemIndex(f)}]`,
  /** SDOT/UDOT by element: the 4-byte group. */
  el4b: (f: Fields) => `v${(f.M << 4) | f.Rm}.4b[${(f.H << 1) | f.L}]`,
  dd: (f: Fields) => vreg(f.Rd, f.Q ? '4s' : '2s'),
};

type EKind = 'same' | 'long';
const elem = <I extends string>(id: I, u: number, opc: number, name: string, kind: EKind, feature?: string) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimdelem_R`,
  pattern: `0 Q:1 ${u} 01111 size:2 L:1 M:1 Rm:4 ${bits(opc, 4)} H:1 0 Rn:5 Rd:5`,
  undef: (f: Fields) => f.size === 0 || f.size === 3,
  asm: kind === 'same' ? `${name} {@vd}, {@vn}, {@el}` : `${name}{@two} {@wd}, {@nn}, {@el}`,
  ops: ELEM_OPS,
  ...(feature ? { feature } : {}),
}) as const;

const selem = <I extends string>(id: I, u: number, opc: number, name: string, kind: EKind, feature?: string) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asisdelem_R`,
  pattern: `01 ${u} 11111 size:2 L:1 M:1 Rm:4 ${bits(opc, 4)} H:1 0 Rn:5 Rd:5`,
  undef: (f: Fields) => f.size === 0 || f.size === 3,
  asm: kind === 'same' ? `${name} {@sd}, {@sn}, {@el}` : `${name} {@swd}, {@sn}, {@el}`,
  ops: { ...ELEM_OPS, swd: (f: Fields) => `${SREG[f.size + 1]}${f.Rd}` },
  ...(feature ? { feature } : {}),
}) as const;

export const SIMD_LONG_ROWS = [
  diff('SADDL', 0, 0b0000, 'saddl', 'l', 'bhs'), diff('UADDL', 1, 0b0000, 'uaddl', 'l', 'bhs'),
  diff('SADDW', 0, 0b0001, 'saddw', 'w', 'bhs'), diff('UADDW', 1, 0b0001, 'uaddw', 'w', 'bhs'),
  diff('SSUBL', 0, 0b0010, 'ssubl', 'l', 'bhs'), diff('USUBL', 1, 0b0010, 'usubl', 'l', 'bhs'),
  diff('SSUBW', 0, 0b0011, 'ssubw', 'w', 'bhs'), diff('USUBW', 1, 0b0011, 'usubw', 'w', 'bhs'),
  diff('ADDHN', 0, 0b0100, 'addhn', 'hn', 'bhs'), diff('RADDHN', 1, 0b0100, 'raddhn', 'hn', 'bhs'),
  diff('SABAL', 0, 0b0101, 'sabal', 'l', 'bhs'), diff('UABAL', 1, 0b0101, 'uabal', 'l', 'bhs'),
  diff('SUBHN', 0, 0b0110, 'subhn', 'hn', 'bhs'), diff('RSUBHN', 1, 0b0110, 'rsubhn', 'hn', 'bhs'),
  diff('SABDL', 0, 0b0111, 'sabdl', 'l', 'bhs'), diff('UABDL', 1, 0b0111, 'uabdl', 'l', 'bhs'),
  diff('SMLAL', 0, 0b1000, 'smlal', 'l', 'bhs'), diff('UMLAL', 1, 0b1000, 'umlal', 'l', 'bhs'),
  diff('SQDMLAL_v', 0, 0b1001, 'sqdmlal', 'l', 'hs'),
  diff('SMLSL', 0, 0b1010, 'smlsl', 'l', 'bhs'), diff('UMLSL', 1, 0b1010, 'umlsl', 'l', 'bhs'),
  diff('SQDMLSL_v', 0, 0b1011, 'sqdmlsl', 'l', 'hs'),
  diff('SMULL', 0, 0b1100, 'smull', 'l', 'bhs'), diff('UMULL', 1, 0b1100, 'umull', 'l', 'bhs'),
  diff('SQDMULL_v', 0, 0b1101, 'sqdmull', 'l', 'hs'),
  {
    id: 'PMULL_8', cls: 'simd', arm: 'PMULL_asimddiff_L',
    pattern: '0 Q:1 0 01110 00 1 Rm:5 1110 00 Rn:5 Rd:5',
    asm: 'pmull{@two} {@wd}, {@nn}, {@nm}', ops: { ...LONG_OPS, wd: (f: Fields) => vreg(f.Rd, '8h'), nn: (f: Fields) => vreg(f.Rn, arr(0, f.Q)), nm: (f: Fields) => vreg(f.Rm, arr(0, f.Q)) },
  },
  {
    id: 'PMULL_64', cls: 'simd', arm: 'PMULL_asimddiff_L', feature: 'FEAT_PMULL',
    pattern: '0 Q:1 0 01110 11 1 Rm:5 1110 00 Rn:5 Rd:5',
    asm: 'pmull{@two} {@qd}, {@dn}, {@dm}',
    ops: { ...LONG_OPS, dn: (f: Fields) => vreg(f.Rn, f.Q ? '2d' : '1d'), dm: (f: Fields) => vreg(f.Rm, f.Q ? '2d' : '1d') },
  },
  sdiff('SQDMLAL_s', 0b1001, 'sqdmlal'), sdiff('SQDMLSL_s', 0b1011, 'sqdmlsl'), sdiff('SQDMULL_s', 0b1101, 'sqdmull'),

  elem('MLA_elem', 1, 0b0000, 'mla', 'same'), elem('MLS_elem', 1, 0b0100, 'mls', 'same'),
  elem('MUL_elem', 0, 0b1000, 'mul', 'same'),
  elem('SQDMULH_elem_v', 0, 0b1100, 'sqdmulh', 'same'), elem('SQRDMULH_elem_v', 0, 0b1101, 'sqrdmulh', 'same'),
  elem('SQRDMLAH_elem_v', 1, 0b1101, 'sqrdmlah', 'same', 'FEAT_RDM'), elem('SQRDMLSH_elem_v', 1, 0b1111, 'sqrdmlsh', 'same', 'FEAT_RDM'),
  elem('SMLAL_elem', 0, 0b0010, 'smlal', 'long'), elem('UMLAL_elem', 1, 0b0010, 'umlal', 'long'),
  elem('SMLSL_elem', 0, 0b0110, 'smlsl', 'long'), elem('UMLSL_elem', 1, 0b0110, 'umlsl', 'long'),
  elem('SMULL_elem', 0, 0b1010, 'smull', 'long'), elem('UMULL_elem', 1, 0b1010, 'umull', 'long'),
  elem('SQDMLAL_elem_v', 0, 0b0011, 'sqdmlal', 'long'), elem('SQDMLSL_elem_v', 0, 0b0111, 'sqdmlsl', 'long'),
  elem('SQDMULL_elem_v', 0, 0b1011, 'sqdmull', 'long'),
  {
    id: 'SDOT_elem', cls: 'simd', arm: 'SDOT_asimdelem_D', feature: 'FEAT_DotProd',
    pattern: '0 Q:1 0 01111 10 L:1 M:1 Rm:4 1110 H:1 0 Rn:5 Rd:5',
    asm: 'sdot {@dd}, {@bn}, {@el4b}', ops: ELEM_OPS,
  },
  {
    id: 'UDOT_elem', cls: 'simd', arm: 'UDOT_asimdelem_D', feature: 'FEAT_DotProd',
    pattern: '0 Q:1 1 01111 10 L:1 M:1 Rm:4 1110 H:1 0 Rn:5 Rd:5',
    asm: 'udot {@dd}, {@bn}, {@el4b}', ops: ELEM_OPS,
  },
  selem('SQDMLAL_elem_s', 0, 0b0011, 'sqdmlal', 'long'), selem('SQDMLSL_elem_s', 0, 0b0111, 'sqdmlsl', 'long'),
  selem('SQDMULL_elem_s', 0, 0b1011, 'sqdmull', 'long'),
  selem('SQDMULH_elem_s', 0, 0b1100, 'sqdmulh', 'same'), selem('SQRDMULH_elem_s', 0, 0b1101, 'sqrdmulh', 'same'),
  selem('SQRDMLAH_elem_s', 1, 0b1101, 'sqrdmlah', 'same', 'FEAT_RDM'), selem('SQRDMLSH_elem_s', 1, 0b1111, 'sqrdmlsh', 'same', 'FEAT_RDM'),
] as const satisfies readonly RowDef[];
