// Executors for the Advanced SIMD copy, permute, EXT, table-lookup and modified-immediate rows
// (rows/simdPermute.ts). Permutes and EXT precompute, at decode, which byte of the concatenation Vn:Vm
// each destination byte takes, so every element size shares one loop; TBL/TBX index the table registers
// byte by byte; the immediates are expanded at decode into the two words of a 64-bit pattern.
import { zr, zrw } from '../../../cpu/regs';
import type { Fields } from '../../pattern';
import { imm5Size, imm8, imm8to64 } from '../../rows/simdPermute';
import type { Exec, Handler } from '../types';
import { A, B, D, readLanes, vw, writeLanes } from './lanes';

/** A lane value of es bits replicated across a 32-bit word. */
const replicate = (v: number, es: number): number => (es === 8 ? (v & 0xff) * 0x01010101 : es === 16 ? (v & 0xffff) * 0x10001 : v) | 0;

/** Writes the 64-bit pattern (lo, hi) to Vd's two halves, or to the low half only (and zeroes the top). */
function fill(r: Int32Array, d: number, lo: number, hi: number, q: number): void {
  r[d] = lo;
  r[d + 1] = hi;
  r[d + 2] = q ? lo : 0;
  r[d + 3] = q ? hi : 0;
}

/** Lane `idx` (es <= 32) of the register at word index b, unsigned. */
const lane = (r: Int32Array, b: number, es: number, idx: number): number => {
  const bit = idx * es;
  const w = r[b + (bit >> 5)];
  return es === 32 ? w >>> 0 : (w >>> (bit & 31)) & (es === 16 ? 0xffff : 0xff);
};

/** Sets lane `idx` (es <= 32) of the register at word index b. */
const setLane = (r: Int32Array, b: number, es: number, idx: number, v: number): void => {
  const bit = idx * es;
  const k = b + (bit >> 5);
  if (es === 32) {
    r[k] = v;
    return;
  }
  const m = (es === 16 ? 0xffff : 0xff) << (bit & 31);
  r[k] = (r[k] & ~m) | ((v << (bit & 31)) & m);
};

function dupElem(f: Fields): Exec {
  const sz = imm5Size(f.imm5);
  const es = 8 << sz;
  const idx = f.imm5 >> (sz + 1);
  const n = vw(f.Rn);
  const d = vw(f.Rd);
  const q = f.Q;
  if (es === 64) return (c) => { const r = c.r; fill(r, d, r[n + 2 * idx], r[n + 2 * idx + 1], q); };
  return (c) => { const r = c.r; const v = replicate(lane(r, n, es, idx), es); fill(r, d, v, v, q); };
}

function dupGen(f: Fields): Exec {
  const es = 8 << imm5Size(f.imm5);
  const n = 2 * zr(f.Rn);
  const d = vw(f.Rd);
  const q = f.Q;
  if (es === 64) return (c) => { const r = c.r; fill(r, d, r[n], r[n + 1], q); };
  return (c) => { const r = c.r; const v = replicate(r[n], es); fill(r, d, v, v, q); };
}

function smov(f: Fields): Exec {
  const sz = imm5Size(f.imm5);
  const es = 8 << sz;
  const idx = f.imm5 >> (sz + 1);
  const n = vw(f.Rn);
  const d = 2 * zrw(f.Rd);
  const x = f.Q === 1;
  const sh = 32 - es;
  return (c) => {
    const r = c.r;
    const v = (lane(r, n, es, idx) << sh) >> sh;
    r[d] = v;
    r[d + 1] = x ? v >> 31 : 0;
  };
}

function umov(f: Fields): Exec {
  const sz = imm5Size(f.imm5);
  const es = 8 << sz;
  const idx = f.imm5 >> (sz + 1);
  const n = vw(f.Rn);
  const d = 2 * zrw(f.Rd);
  if (es === 64) return (c) => { const r = c.r; r[d] = r[n + 2 * idx]; r[d + 1] = r[n + 2 * idx + 1]; };
  return (c) => { const r = c.r; r[d] = lane(r, n, es, idx) | 0; r[d + 1] = 0; };
}

function insGen(f: Fields): Exec {
  const sz = imm5Size(f.imm5);
  const es = 8 << sz;
  const idx = f.imm5 >> (sz + 1);
  const n = 2 * zr(f.Rn);
  const d = vw(f.Rd);
  if (es === 64) return (c) => { const r = c.r; r[d + 2 * idx] = r[n]; r[d + 2 * idx + 1] = r[n + 1]; };
  return (c) => { const r = c.r; setLane(r, d, es, idx, r[n]); };
}

function insElem(f: Fields): Exec {
  const sz = imm5Size(f.imm5);
  const es = 8 << sz;
  const di = f.imm5 >> (sz + 1);
  const si = f.imm4 >> sz;
  const n = vw(f.Rn);
  const d = vw(f.Rd);
  if (es === 64) return (c) => { const r = c.r; const lo = r[n + 2 * si]; r[d + 2 * di + 1] = r[n + 2 * si + 1]; r[d + 2 * di] = lo; };
  return (c) => { const r = c.r; setLane(r, d, es, di, lane(r, n, es, si)); };
}

function dupScalar(f: Fields): Exec {
  const sz = imm5Size(f.imm5);
  const es = 8 << sz;
  const idx = f.imm5 >> (sz + 1);
  const n = vw(f.Rn);
  const d = vw(f.Rd);
  if (es === 64) return (c) => { const r = c.r; fill(r, d, r[n + 2 * idx], r[n + 2 * idx + 1], 0); };
  return (c) => { const r = c.r; fill(r, d, lane(r, n, es, idx) | 0, 0, 0); };
}

// ---- permutes by byte map ----

/** Runs a byte map: destination byte j takes byte map[j] of Vn:Vm (0..15 from Vn, 16..31 from Vm). */
export function byMap(f: Fields, map: number[]): Exec {
  const n = f.Rn;
  const m = f.Rm;
  const d = f.Rd;
  const bytes = map.length;
  return (c) => {
    const r = c.r;
    readLanes(r, n, 8, false, A);
    readLanes(r, m, 8, false, B);
    for (let j = 0; j < bytes; j++) {
      const k = map[j];
      D[j] = k < 16 ? A[k] : B[k - 16];
    }
    writeLanes(r, d, 8, D, bytes);
  };
}

type ElemMap = (i: number, cnt: number) => [src: number, elem: number];

function permute(which: ElemMap): Handler {
  return (f: Fields): Exec => {
    const eb = 1 << f.size;
    const bytes = f.Q ? 16 : 8;
    const cnt = bytes / eb;
    const map: number[] = [];
    for (let i = 0; i < cnt; i++) {
      const [src, e] = which(i, cnt);
      for (let b = 0; b < eb; b++) map.push(16 * src + e * eb + b);
    }
    return byMap(f, map);
  };
}

/** Element k of Vn:Vm (k < cnt from Vn). */
const cat = (k: number, cnt: number): [number, number] => (k < cnt ? [0, k] : [1, k - cnt]);

function ext(f: Fields): Exec {
  const bytes = f.Q ? 16 : 8;
  const map: number[] = [];
  for (let j = 0; j < bytes; j++) {
    const k = f.imm4 + j;
    map.push(k < bytes ? k : 16 + k - bytes);
  }
  return byMap(f, map);
}

function tbl(tbx: boolean): Handler {
  return (f: Fields): Exec => {
    const regs = f.len + 1;
    const n = f.Rn;
    const m = f.Rm;
    const d = f.Rd;
    const bytes = f.Q ? 16 : 8;
    const table: number[] = new Array(16 * regs).fill(0);
    const T: number[] = new Array(16).fill(0);
    return (c) => {
      const r = c.r;
      for (let k = 0; k < regs; k++) {
        readLanes(r, (n + k) % 32, 8, false, T);
        for (let j = 0; j < 16; j++) table[16 * k + j] = T[j];
      }
      readLanes(r, m, 8, false, B);
      readLanes(r, d, 8, false, D);
      for (let j = 0; j < bytes; j++) {
        const i = B[j];
        if (i < 16 * regs) D[j] = table[i];
        else if (!tbx) D[j] = 0;
      }
      writeLanes(r, d, 8, D, bytes);
    };
  };
}

// ---- modified immediate ----

type ImmKind = 's32' | 's16' | 'msl' | 'b' | 'd';

/** The 64-bit pattern (lo, hi words) of a modified immediate. */
function immPattern(f: Fields, kind: ImmKind): [number, number] {
  const v = imm8(f);
  switch (kind) {
    case 's32': { const w = (v << (8 * f.sh)) | 0; return [w, w]; }
    case 's16': { const w = replicate(v << (8 * f.sh), 16); return [w, w]; }
    case 'msl': { const w = f.sh ? (v << 16) | 0xffff : (v << 8) | 0xff; return [w, w]; }
    case 'b': { const w = replicate(v, 8); return [w, w]; }
    default: {
      const x = imm8to64(v);
      return [Number(x & 0xffffffffn) | 0, Number(x >> 32n) | 0];
    }
  }
}

function movi(kind: ImmKind, invert: boolean): Handler {
  return (f: Fields): Exec => {
    let [lo, hi] = immPattern(f, kind);
    if (invert) { lo = ~lo; hi = ~hi; }
    const d = vw(f.Rd);
    const q = f.Q;
    return (c) => fill(c.r, d, lo, hi, q);
  };
}

function orrBic(kind: ImmKind, bic: boolean): Handler {
  return (f: Fields): Exec => {
    const [lo, hi] = immPattern(f, kind);
    const d = vw(f.Rd);
    const q = f.Q;
    const a = bic ? ~lo : -1;
    const b = bic ? ~hi : -1;
    const o = bic ? 0 : lo;
    const p = bic ? 0 : hi;
    return (c) => {
      const r = c.r;
      r[d] = (r[d] & a) | o;
      r[d + 1] = (r[d + 1] & b) | p;
      r[d + 2] = q ? (r[d + 2] & a) | o : 0;
      r[d + 3] = q ? (r[d + 3] & b) | p : 0;
    };
  };
}

export const SIMD_PERMUTE_EXEC = {
  DUP_elem: dupElem, DUP_gen: dupGen, SMOV: smov, UMOV: umov, INS_gen: insGen, INS_elem: insElem, DUP_scalar: dupScalar,
  UZP1: permute((i, cnt) => cat(2 * i, cnt)),
  UZP2: permute((i, cnt) => cat(2 * i + 1, cnt)),
  TRN1: permute((i) => [i & 1, i & ~1]),
  TRN2: permute((i) => [i & 1, (i & ~1) + 1]),
  ZIP1: permute((i) => [i & 1, i >> 1]),
  ZIP2: permute((i, cnt) => [i & 1, (cnt >> 1) + (i >> 1)]),
  EXT: ext,
  TBL: tbl(false), TBX: tbl(true),
  MOVI_s32: movi('s32', false), ORR_s32: orrBic('s32', false), MOVI_s16: movi('s16', false), ORR_s16: orrBic('s16', false),
  MOVI_msl: movi('msl', false), MOVI_b: movi('b', false), MVNI_s32: movi('s32', true), BIC_s32: orrBic('s32', true),
  MVNI_s16: movi('s16', true), BIC_s16: orrBic('s16', true), MVNI_msl: movi('msl', true), MOVI_d: movi('d', false),
};
