// Encoding table rows: Advanced SIMD copy (DUP element/general, SMOV, UMOV, INS general/element, scalar
// DUP), permute (UZP1/2, TRN1/2, ZIP1/2), EXT, table lookup (TBL/TBX with 1-4 table registers) and the
// modified-immediate forms (MOVI, MVNI, ORR, BIC; FMOV vector immediate is the FP work's). Copy rows decode
// the element size from imm5's lowest set bit (x0000 reserved); objdump prints the preferred aliases MOV
// for INS, for UMOV of a 32/64-bit element and for scalar DUP. Modified-immediate rows split the cmode space
// by its fixed bits so no two rows overlap; `sh` is the variable cmode bits (the shift amount).
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';
import { arr, vreg } from './simdCommon';
import { SIMD_SHIFT_VECTOR_IDS } from './simdShift';

/** Element size index (0 B, 1 H, 2 S, 3 D) of a copy's imm5, or -1 when reserved. */
export const imm5Size = (imm5: number): number => (imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : -1);
const LANE = 'bhsd';
/** 'v1.s[2]': the element imm5 names. */
const elem = (n: number, imm5: number): string => {
  const sz = imm5Size(imm5);
  return `v${n}.${LANE[sz]}[${imm5 >> (sz + 1)}]`;
};
const gp = (n: number, x: boolean): string => (n === 31 ? (x ? 'xzr' : 'wzr') : `${x ? 'x' : 'w'}${n}`);

const COPY_OPS = {
  /** DUP's vector destination: the element size's arrangement with Q. */
  dupd: (f: Fields) => vreg(f.Rd, arr(imm5Size(f.imm5), f.Q)),
  en: (f: Fields) => elem(f.Rn, f.imm5),
  ed: (f: Fields) => elem(f.Rd, f.imm5),
  /** INS (element): the source index is imm4 >> size. */
  es: (f: Fields) => {
    const sz = imm5Size(f.imm5);
    return `v${f.Rn}.${LANE[sz]}[${f.imm4 >> sz}]`;
  },
  gn: (f: Fields) => gp(f.Rn, imm5Size(f.imm5) === 3),
  gd: (f: Fields) => gp(f.Rd, f.Q === 1),
  sdd: (f: Fields) => `${LANE[imm5Size(f.imm5)]}${f.Rd}`,
};

const copy = <I extends string>(id: I, q: string, op: number, imm4: string, asm: string, undef: (f: Fields) => boolean) => ({
  id, cls: 'simd', arm: `${id.split('_')[0]}_asimdins`,
  pattern: `0 ${q} ${op} 01110000 imm5:5 0 ${imm4} 1 Rn:5 Rd:5`,
  undef, asm, ops: COPY_OPS,
}) as const;

const PERM_OPS = {
  vd: (f: Fields) => vreg(f.Rd, arr(f.size, f.Q)),
  vn: (f: Fields) => vreg(f.Rn, arr(f.size, f.Q)),
  vm: (f: Fields) => vreg(f.Rm, arr(f.size, f.Q)),
};
const perm = <I extends string>(id: I, opc: string, name: string) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimdperm_only`,
  pattern: `0 Q:1 001110 size:2 0 Rm:5 0 ${opc} 10 Rn:5 Rd:5`,
  undef: (f: Fields) => f.size === 3 && !f.Q,
  asm: `${name} {@vd}, {@vn}, {@vm}`, ops: PERM_OPS,
}) as const;

const TBL_OPS = {
  bd: (f: Fields) => vreg(f.Rd, f.Q ? '16b' : '8b'),
  bm: (f: Fields) => vreg(f.Rm, f.Q ? '16b' : '8b'),
  // objdump writes three or four registers as a range unless the list wraps past v31
  list: (f: Fields) => (f.len >= 2 && f.Rn + f.len < 32
    ? `{v${f.Rn}.16b-v${f.Rn + f.len}.16b}`
    : `{${Array.from({ length: f.len + 1 }, (_, k) => `v${(f.Rn + k) % 32}.16b`).join(', ')}}`),
};
const tbl = <I extends string>(id: I, op: number, name: string) => ({
  id, cls: 'simd', arm: `${name.toUpperCase()}_asimdtbl`,
  pattern: `0 Q:1 001110 000 Rm:5 0 len:2 ${op} 00 Rn:5 Rd:5`,
  asm: `${name} {@bd}, {@list}, {@bm}`, ops: TBL_OPS,
}) as const;

/** The 8-bit immediate abc:defgh. */
export const imm8 = (f: Fields): number => (f.abc << 5) | f.defgh;
const h8 = (v: number): string => `#0x${v.toString(16)}`;
/** 64-bit MOVI: each bit of imm8 becomes a byte of ones. */
export const imm8to64 = (v: number): bigint => {
  let r = 0n;
  for (let i = 0; i < 8; i++) if ((v >> i) & 1) r |= 0xffn << BigInt(8 * i);
  return r;
};

const IMM_OPS = {
  v32: (f: Fields) => vreg(f.Rd, f.Q ? '4s' : '2s'),
  v16: (f: Fields) => vreg(f.Rd, f.Q ? '8h' : '4h'),
  v8: (f: Fields) => vreg(f.Rd, f.Q ? '16b' : '8b'),
  i8: (f: Fields) => h8(imm8(f)),
  lsl32: (f: Fields) => (f.sh ? `, lsl #${8 * f.sh}` : ''),
  lsl16: (f: Fields) => (f.sh ? ', lsl #8' : ''),
  msl: (f: Fields) => `, msl #${f.sh ? 16 : 8}`,
  d64: (f: Fields) => (f.Q ? `v${f.Rd}.2d` : `d${f.Rd}`),
  i64: (f: Fields) => `#0x${imm8to64(imm8(f)).toString(16)}`,
};
const modImm = <I extends string>(id: I, op: number, cmode: string, asm: string, q = 'Q:1') => ({
  id, cls: 'simd', arm: `${id.split('_')[0]}_asimdimm`,
  pattern: `0 ${q} ${op} 0111100000 abc:3 ${cmode} 0 1 defgh:5 Rd:5`,
  asm, ops: IMM_OPS, over: SIMD_SHIFT_VECTOR_IDS,
}) as const;

export const SIMD_PERMUTE_ROWS = [
  copy('DUP_elem', 'Q:1', 0, '0000', 'dup {@dupd}, {@en}', (f) => imm5Size(f.imm5) < 0 || (imm5Size(f.imm5) === 3 && !f.Q)),
  copy('DUP_gen', 'Q:1', 0, '0001', 'dup {@dupd}, {@gn}', (f) => imm5Size(f.imm5) < 0 || (imm5Size(f.imm5) === 3 && !f.Q)),
  copy('SMOV', 'Q:1', 0, '0101', 'smov {@gd}, {@en}', (f) => {
    const s = imm5Size(f.imm5);
    return s < 0 || s === 3 || (s === 2 && !f.Q);
  }),
  {
    ...copy('UMOV', 'Q:1', 0, '0111', 'umov {@gd}, {@en}', (f) => {
      const s = imm5Size(f.imm5);
      return s < 0 || (f.Q ? s !== 3 : s === 3);
    }),
    aliases: [{ when: (f: Fields) => imm5Size(f.imm5) >= 2, asm: 'mov {@gd}, {@en}' }],
  },
  {
    ...copy('INS_gen', '1', 0, '0011', 'ins {@ed}, {@gn}', (f) => imm5Size(f.imm5) < 0),
    aliases: [{ when: () => true, asm: 'mov {@ed}, {@gn}' }],
  },
  {
    id: 'INS_elem', cls: 'simd', arm: 'INS_asimdins_IV_v',
    pattern: '0 1 1 01110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5',
    undef: (f: Fields) => imm5Size(f.imm5) < 0,
    asm: 'ins {@ed}, {@es}',
    aliases: [{ when: () => true, asm: 'mov {@ed}, {@es}' }],
    ops: COPY_OPS,
  },
  {
    id: 'DUP_scalar', cls: 'simd', arm: 'DUP_asisdone_only',
    pattern: '01 0 11110000 imm5:5 0 0000 1 Rn:5 Rd:5',
    undef: (f: Fields) => imm5Size(f.imm5) < 0,
    asm: 'dup {@sdd}, {@en}',
    aliases: [{ when: () => true, asm: 'mov {@sdd}, {@en}' }],
    ops: COPY_OPS,
  },

  perm('UZP1', '001', 'uzp1'), perm('TRN1', '010', 'trn1'), perm('ZIP1', '011', 'zip1'),
  perm('UZP2', '101', 'uzp2'), perm('TRN2', '110', 'trn2'), perm('ZIP2', '111', 'zip2'),
  {
    id: 'EXT', cls: 'simd', arm: 'EXT_asimdext_only',
    pattern: '0 Q:1 101110 00 0 Rm:5 0 imm4:4 0 Rn:5 Rd:5',
    undef: (f: Fields) => !f.Q && f.imm4 >= 8,
    asm: 'ext {@bd}, {@bn}, {@bm}, #{@idx}',
    ops: {
      bd: (f: Fields) => vreg(f.Rd, f.Q ? '16b' : '8b'),
      bn: (f: Fields) => vreg(f.Rn, f.Q ? '16b' : '8b'),
      bm: (f: Fields) => vreg(f.Rm, f.Q ? '16b' : '8b'),
      idx: (f: Fields) => String(f.imm4),
    },
  },
  tbl('TBL', 0, 'tbl'), tbl('TBX', 1, 'tbx'),

  modImm('MOVI_s32', 0, '0 sh:2 0', 'movi {@v32}, {@i8}{@lsl32}'),
  modImm('ORR_s32', 0, '0 sh:2 1', 'orr {@v32}, {@i8}{@lsl32}'),
  modImm('MOVI_s16', 0, '10 sh:1 0', 'movi {@v16}, {@i8}{@lsl16}'),
  modImm('ORR_s16', 0, '10 sh:1 1', 'orr {@v16}, {@i8}{@lsl16}'),
  modImm('MOVI_msl', 0, '110 sh:1', 'movi {@v32}, {@i8}{@msl}'),
  modImm('MOVI_b', 0, '1110', 'movi {@v8}, {@i8}'),
  modImm('MVNI_s32', 1, '0 sh:2 0', 'mvni {@v32}, {@i8}{@lsl32}'),
  modImm('BIC_s32', 1, '0 sh:2 1', 'bic {@v32}, {@i8}{@lsl32}'),
  modImm('MVNI_s16', 1, '10 sh:1 0', 'mvni {@v16}, {@i8}{@lsl16}'),
  modImm('BIC_s16', 1, '10 sh:1 1', 'bic {@v16}, {@i8}{@lsl16}'),
  modImm('MVNI_msl', 1, '110 sh:1', 'mvni {@v32}, {@i8}{@msl}'),
  modImm('MOVI_d', 1, '1110', 'movi {@d64}, {@i64}'),
] as const satisfies readonly RowDef[];
