// Encoding table rows: Advanced SIMD three same (vector and scalar), bitwise three same, and three same
// (extra): SQRDMLAH/SQRDMLSH (FEAT_RDM) and SDOT/UDOT (FEAT_DotProd). One row per instruction; the size
// and Q fields give the arrangement. Reserved size/Q combinations are UNDEF guards: 64-bit lanes need
// Q = 1 in vector forms, and many operations have no 64-bit form at all ('no64'); SQDMULH-like operations
// exist for 16- and 32-bit lanes only ('hs'); PMUL for bytes only ('b'). Scalar forms exist for the
// saturating operations at every size ('all'), for the compares, ADD/SUB and the non-saturating shifts on
// 64 bits only ('d'), and for SQDMULH-like ones on 16 and 32 bits ('hs').
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { SAME_OPS } from './simdCommon';

type VKind = 'all' | 'no64' | 'hs' | 'b';
type SKind = 'all' | 'd' | 'hs';

const V_UNDEF: Record<VKind, (f: Fields) => boolean> = {
  all: (f) => f.size === 3 && !f.Q,
  no64: (f) => f.size === 3,
  hs: (f) => f.size === 0 || f.size === 3,
  b: (f) => f.size !== 0,
};
const S_UNDEF: Record<SKind, ((f: Fields) => boolean) | undefined> = {
  all: undefined,
  d: (f) => f.size !== 3,
  hs: (f) => f.size === 0 || f.size === 3,
};

const bits = (v: number, n: number): string => v.toString(2).padStart(n, '0');

/** Vector three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd. */
const v3 = <I extends string>(id: I, u: number, opc: number, name: string, kind: VKind) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimdsame_only`,
  pattern: `0 Q:1 ${u} 01110 size:2 1 Rm:5 ${bits(opc, 5)} 1 Rn:5 Rd:5`,
  undef: V_UNDEF[kind],
  asm: `${name} {@vd}, {@vn}, {@vm}`,
  ops: SAME_OPS,
}) as const;

/** Scalar three same: 01 U 11110 size 1 Rm opcode 1 Rn Rd. */
const s3 = <I extends string>(id: I, u: number, opc: number, name: string, kind: SKind) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asisdsame_only`,
  pattern: `01 ${u} 11110 size:2 1 Rm:5 ${bits(opc, 5)} 1 Rn:5 Rd:5`,
  ...(S_UNDEF[kind] ? { undef: S_UNDEF[kind] } : {}),
  asm: `${name} {@sd}, {@sn}, {@sm}`,
  ops: SAME_OPS,
}) as const;

/** Bitwise three same: 0 Q U 01110 opc2 1 Rm 00011 1 Rn Rd (size is part of the opcode). */
const logic = <I extends string>(id: I, u: number, opc2: number, name: string) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimdsame_only`,
  pattern: `0 Q:1 ${u} 01110 ${bits(opc2, 2)} 1 Rm:5 00011 1 Rn:5 Rd:5`,
  asm: `${name} {@bd}, {@bn}, {@bm}`,
  ops: SAME_OPS,
}) as const;

export const SIMD_THREE_SAME_ROWS = [
  v3('SHADD_v', 0, 0b00000, 'shadd', 'no64'), v3('UHADD_v', 1, 0b00000, 'uhadd', 'no64'),
  v3('SQADD_v', 0, 0b00001, 'sqadd', 'all'), v3('UQADD_v', 1, 0b00001, 'uqadd', 'all'),
  v3('SRHADD_v', 0, 0b00010, 'srhadd', 'no64'), v3('URHADD_v', 1, 0b00010, 'urhadd', 'no64'),
  v3('SHSUB_v', 0, 0b00100, 'shsub', 'no64'), v3('UHSUB_v', 1, 0b00100, 'uhsub', 'no64'),
  v3('SQSUB_v', 0, 0b00101, 'sqsub', 'all'), v3('UQSUB_v', 1, 0b00101, 'uqsub', 'all'),
  v3('CMGT_v', 0, 0b00110, 'cmgt', 'all'), v3('CMHI_v', 1, 0b00110, 'cmhi', 'all'),
  v3('CMGE_v', 0, 0b00111, 'cmge', 'all'), v3('CMHS_v', 1, 0b00111, 'cmhs', 'all'),
  v3('SSHL_v', 0, 0b01000, 'sshl', 'all'), v3('USHL_v', 1, 0b01000, 'ushl', 'all'),
  v3('SQSHL_v', 0, 0b01001, 'sqshl', 'all'), v3('UQSHL_v', 1, 0b01001, 'uqshl', 'all'),
  v3('SRSHL_v', 0, 0b01010, 'srshl', 'all'), v3('URSHL_v', 1, 0b01010, 'urshl', 'all'),
  v3('SQRSHL_v', 0, 0b01011, 'sqrshl', 'all'), v3('UQRSHL_v', 1, 0b01011, 'uqrshl', 'all'),
  v3('SMAX_v', 0, 0b01100, 'smax', 'no64'), v3('UMAX_v', 1, 0b01100, 'umax', 'no64'),
  v3('SMIN_v', 0, 0b01101, 'smin', 'no64'), v3('UMIN_v', 1, 0b01101, 'umin', 'no64'),
  v3('SABD_v', 0, 0b01110, 'sabd', 'no64'), v3('UABD_v', 1, 0b01110, 'uabd', 'no64'),
  v3('SABA_v', 0, 0b01111, 'saba', 'no64'), v3('UABA_v', 1, 0b01111, 'uaba', 'no64'),
  v3('ADD_v', 0, 0b10000, 'add', 'all'), v3('SUB_v', 1, 0b10000, 'sub', 'all'),
  v3('CMTST_v', 0, 0b10001, 'cmtst', 'all'), v3('CMEQ_v', 1, 0b10001, 'cmeq', 'all'),
  v3('MLA_v', 0, 0b10010, 'mla', 'no64'), v3('MLS_v', 1, 0b10010, 'mls', 'no64'),
  v3('MUL_v', 0, 0b10011, 'mul', 'no64'), v3('PMUL_v', 1, 0b10011, 'pmul', 'b'),
  v3('SMAXP_v', 0, 0b10100, 'smaxp', 'no64'), v3('UMAXP_v', 1, 0b10100, 'umaxp', 'no64'),
  v3('SMINP_v', 0, 0b10101, 'sminp', 'no64'), v3('UMINP_v', 1, 0b10101, 'uminp', 'no64'),
  v3('SQDMULH_v', 0, 0b10110, 'sqdmulh', 'hs'), v3('SQRDMULH_v', 1, 0b10110, 'sqrdmulh', 'hs'),
  v3('ADDP_v', 0, 0b10111, 'addp', 'all'),

  s3('SQADD_s', 0, 0b00001, 'sqadd', 'all'), s3('UQADD_s', 1, 0b00001, 'uqadd', 'all'),
  s3('SQSUB_s', 0, 0b00101, 'sqsub', 'all'), s3('UQSUB_s', 1, 0b00101, 'uqsub', 'all'),
  s3('CMGT_s', 0, 0b00110, 'cmgt', 'd'), s3('CMHI_s', 1, 0b00110, 'cmhi', 'd'),
  s3('CMGE_s', 0, 0b00111, 'cmge', 'd'), s3('CMHS_s', 1, 0b00111, 'cmhs', 'd'),
  s3('SSHL_s', 0, 0b01000, 'sshl', 'd'), s3('USHL_s', 1, 0b01000, 'ushl', 'd'),
  s3('SQSHL_s', 0, 0b01001, 'sqshl', 'all'), s3('UQSHL_s', 1, 0b01001, 'uqshl', 'all'),
  s3('SRSHL_s', 0, 0b01010, 'srshl', 'd'), s3('URSHL_s', 1, 0b01010, 'urshl', 'd'),
  s3('SQRSHL_s', 0, 0b01011, 'sqrshl', 'all'), s3('UQRSHL_s', 1, 0b01011, 'uqrshl', 'all'),
  s3('ADD_s', 0, 0b10000, 'add', 'd'), s3('SUB_s', 1, 0b10000, 'sub', 'd'),
  s3('CMTST_s', 0, 0b10001, 'cmtst', 'd'), s3('CMEQ_s', 1, 0b10001, 'cmeq', 'd'),
  s3('SQDMULH_s', 0, 0b10110, 'sqdmulh', 'hs'), s3('SQRDMULH_s', 1, 0b10110, 'sqrdmulh', 'hs'),

  logic('AND_v', 0, 0, 'and'), logic('BIC_v', 0, 1, 'bic'),
  {
    ...logic('ORR_v', 0, 2, 'orr'),
    aliases: [{ when: (f: Fields) => f.Rn === f.Rm, asm: 'mov {@bd}, {@bn}' }],
  },
  logic('ORN_v', 0, 3, 'orn'), logic('EOR_v', 1, 0, 'eor'), logic('BSL_v', 1, 1, 'bsl'), logic('BIT_v', 1, 2, 'bit'),
  logic('BIF_v', 1, 3, 'bif'),

  // ---- three same (extra) ----
  {
    id: 'SQRDMLAH_v', cls: 'simd', arm: 'SQRDMLAH_asimdsame2_only', feature: 'FEAT_RDM',
    pattern: '0 Q:1 1 01110 size:2 0 Rm:5 1 0000 1 Rn:5 Rd:5', undef: V_UNDEF.hs,
    asm: 'sqrdmlah {@vd}, {@vn}, {@vm}', ops: SAME_OPS,
  },
  {
    id: 'SQRDMLSH_v', cls: 'simd', arm: 'SQRDMLSH_asimdsame2_only', feature: 'FEAT_RDM',
    pattern: '0 Q:1 1 01110 size:2 0 Rm:5 1 0001 1 Rn:5 Rd:5', undef: V_UNDEF.hs,
    asm: 'sqrdmlsh {@vd}, {@vn}, {@vm}', ops: SAME_OPS,
  },
  {
    id: 'SQRDMLAH_s', cls: 'simd', arm: 'SQRDMLAH_asisdsame2_only', feature: 'FEAT_RDM',
    pattern: '01 1 11110 size:2 0 Rm:5 1 0000 1 Rn:5 Rd:5', undef: S_UNDEF.hs,
    asm: 'sqrdmlah {@sd}, {@sn}, {@sm}', ops: SAME_OPS,
  },
  {
    id: 'SQRDMLSH_s', cls: 'simd', arm: 'SQRDMLSH_asisdsame2_only', feature: 'FEAT_RDM',
    pattern: '01 1 11110 size:2 0 Rm:5 1 0001 1 Rn:5 Rd:5', undef: S_UNDEF.hs,
    asm: 'sqrdmlsh {@sd}, {@sn}, {@sm}', ops: SAME_OPS,
  },
  {
    id: 'SDOT_v', cls: 'simd', arm: 'SDOT_asimdsame2_D', feature: 'FEAT_DotProd',
    pattern: '0 Q:1 0 01110 10 0 Rm:5 1 0010 1 Rn:5 Rd:5',
    asm: 'sdot {@dd}, {@bn}, {@bm}', ops: { ...SAME_OPS, dd: (f: Fields) => `v${f.Rd}.${f.Q ? '4s' : '2s'}` },
  },
  {
    id: 'UDOT_v', cls: 'simd', arm: 'UDOT_asimdsame2_D', feature: 'FEAT_DotProd',
    pattern: '0 Q:1 1 01110 10 0 Rm:5 1 0010 1 Rn:5 Rd:5',
    asm: 'udot {@dd}, {@bn}, {@bm}', ops: { ...SAME_OPS, dd: (f: Fields) => `v${f.Rd}.${f.Q ? '4s' : '2s'}` },
  },
] as const satisfies readonly RowDef[];
