// Executors of the SIMD&FP loads and stores (rows/fpLoadStore.ts). The address is computed as for the
// general-purpose loads and stores (base read as SP for Rn = 31, writeback after the accesses); every
// access of an instruction happens before any register is written, so a fault leaves the registers as they
// were. A load writes the element to the low bits of Vt and clears the rest of the register. Q accesses are
// two 64-bit accesses (lower address first); the architecture makes SIMD&FP accesses of more than 8 bytes
// single-copy atomic only per 64 bits, which this satisfies.
// CONSTRAINED UNPREDICTABLE (LDP/LDNP with Rt == Rt2): the register is written with the first element and
// then the second, so it holds the second (Constraint_UNKNOWN), as QEMU 7.2 does for the vector pairs.
// Writeback with Rn == Rt does not arise: Rt names a V register.
import type { Cpu } from '../../cpu/cpu';
import { I_VREG, zr } from '../../cpu/regs';
import { sext } from '../pattern';
import { fpScale } from '../rows/fpLoadStore';
import { pcLo, type At, type Exec, type Handler } from './types';

/** High word of the last address computed. */
let aHi = 0;

function add64s(lo: number, hi: number, off: number): number {
  const s = (lo >>> 0) + (off >>> 0);
  aHi = (hi + (off >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

function add64(aLo: number, aHi_: number, bLo: number, bHi: number): number {
  const s = (aLo >>> 0) + (bLo >>> 0);
  aHi = (aHi_ + bHi + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

/** Loaded element words (up to four). */
const w = new Int32Array(4);

/** Reads 2^scale bytes at (lo, hi) into w. */
function readElem(c: Cpu, lo: number, hi: number, scale: number): void {
  switch (scale) {
    case 0: w[0] = c.read8(lo, hi); w[1] = 0; w[2] = 0; w[3] = 0; return;
    case 1: w[0] = c.read16(lo, hi); w[1] = 0; w[2] = 0; w[3] = 0; return;
    case 2: w[0] = c.read32(lo, hi); w[1] = 0; w[2] = 0; w[3] = 0; return;
    case 3: c.read64(lo, hi); w[0] = c.ldLo; w[1] = c.ldHi; w[2] = 0; w[3] = 0; return;
    default: {
      c.read64(lo, hi);
      const l0 = c.ldLo;
      const l1 = c.ldHi;
      const lo2 = add64s(lo, hi, 8);
      c.read64(lo2, aHi);
      w[0] = l0; w[1] = l1; w[2] = c.ldLo; w[3] = c.ldHi;
    }
  }
}

/** Writes the low 2^scale bytes of V[v] (its word index) at (lo, hi). */
function writeElem(c: Cpu, lo: number, hi: number, scale: number, v: number): void {
  const r = c.r;
  switch (scale) {
    case 0: c.write8(lo, hi, r[v]); return;
    case 1: c.write16(lo, hi, r[v]); return;
    case 2: c.write32(lo, hi, r[v]); return;
    case 3: c.write64(lo, hi, r[v], r[v + 1]); return;
    default: {
      c.write64(lo, hi, r[v], r[v + 1]);
      const lo2 = add64s(lo, hi, 8);
      c.write64(lo2, aHi, r[v + 2], r[v + 3]);
    }
  }
}

function putV(r: Int32Array, v: number, src: Int32Array): void {
  r[v] = src[0];
  r[v + 1] = src[1];
  r[v + 2] = src[2];
  r[v + 3] = src[3];
}

type Index = 'off' | 'pre' | 'post';

/** Immediate forms: off (unsigned offset, unscaled), pre and post index. */
function singleImm(load: boolean, index: Index, scaled: boolean): Handler {
  return (f) => {
    const scale = fpScale(f);
    const off = scaled ? f.imm12 << scale : sext(f.imm9, 9);
    const n = 2 * f.Rn;
    const v = I_VREG + 4 * f.Rt;
    return (c) => {
      const r = c.r;
      const bLo = r[n];
      const bHi = r[n + 1];
      const lo = index === 'post' ? bLo : add64s(bLo, bHi, off);
      const hi = index === 'post' ? bHi : aHi;
      if (load) readElem(c, lo, hi, scale);
      else writeElem(c, lo, hi, scale, v);
      if (load) putV(r, v, w);
      if (index !== 'off') {
        r[n] = index === 'post' ? add64s(bLo, bHi, off) : lo;
        r[n + 1] = index === 'post' ? aHi : hi;
      }
    };
  };
}

/** Register offset: base + (extended Rm << (S ? scale : 0)). */
function singleReg(load: boolean): Handler {
  return (f) => {
    const scale = fpScale(f);
    const shift = f.S ? scale : 0;
    const n = 2 * f.Rn;
    const m = 2 * zr(f.Rm);
    const v = I_VREG + 4 * f.Rt;
    const option = f.option;
    return (c) => {
      const r = c.r;
      const i = r[m];
      const ih = option & 1 ? r[m + 1] : option === 6 ? i >> 31 : 0;
      // shifts of 0..4: (ih:i) << shift
      const lo = add64(r[n], r[n + 1], i << shift, shift ? (ih << shift) | (i >>> (32 - shift)) : ih);
      const hi = aHi;
      if (load) {
        readElem(c, lo, hi, scale);
        putV(r, v, w);
      } else writeElem(c, lo, hi, scale, v);
    };
  };
}

const loadLit: Handler = (f, at: At): Exec => {
  const scale = 2 + f.opc;
  const v = I_VREG + 4 * f.Rt;
  const off = sext(f.imm19, 19) * 4;
  return (c) => {
    const lo = add64s(pcLo(c, at), c.pageVaHi, off);
    readElem(c, lo, aHi, scale);
    putV(c.r, v, w);
  };
};

const w2 = new Int32Array(4);

function pair(load: boolean, index: Index): Handler {
  return (f) => {
    const scale = 2 + f.opc;
    const bytes = 1 << scale;
    const off = sext(f.imm7, 7) * bytes;
    const n = 2 * f.Rn;
    const v1 = I_VREG + 4 * f.Rt;
    const v2 = I_VREG + 4 * f.Rt2;
    return (c) => {
      const r = c.r;
      const bLo = r[n];
      const bHi = r[n + 1];
      const lo = index === 'post' ? bLo : add64s(bLo, bHi, off);
      const hi = index === 'post' ? bHi : aHi;
      if (load) {
        readElem(c, lo, hi, scale);
        w2.set(w);
        readElem(c, add64s(lo, hi, bytes), aHi, scale);
        putV(r, v1, w2);
        putV(r, v2, w);
      } else {
        writeElem(c, lo, hi, scale, v1);
        writeElem(c, add64s(lo, hi, bytes), aHi, scale, v2);
      }
      if (index !== 'off') {
        r[n] = index === 'post' ? add64s(bLo, bHi, off) : lo;
        r[n + 1] = index === 'post' ? aHi : hi;
      }
    };
  };
}

export const FP_LOAD_STORE_EXEC = {
  STR_fp_uoff: singleImm(false, 'off', true),
  LDR_fp_uoff: singleImm(true, 'off', true),
  STR_fp_pre: singleImm(false, 'pre', false),
  LDR_fp_pre: singleImm(true, 'pre', false),
  STR_fp_post: singleImm(false, 'post', false),
  LDR_fp_post: singleImm(true, 'post', false),
  STUR_fp: singleImm(false, 'off', false),
  LDUR_fp: singleImm(true, 'off', false),
  STR_fp_reg: singleReg(false),
  LDR_fp_reg: singleReg(true),
  LDR_fp_lit: loadLit,
  STNP_fp: pair(false, 'off'),
  LDNP_fp: pair(true, 'off'),
  STP_fp_off: pair(false, 'off'),
  LDP_fp_off: pair(true, 'off'),
  STP_fp_pre: pair(false, 'pre'),
  LDP_fp_pre: pair(true, 'pre'),
  STP_fp_post: pair(false, 'post'),
  LDP_fp_post: pair(true, 'post'),
} satisfies Record<string, Handler>;

