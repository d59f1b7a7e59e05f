// Executors for loads and stores of the general-purpose registers. Every access happens before any
// register is written, so a fault leaves the registers as they were (the exception is precise); the
// address and the written-back base are computed from the base register's value before the instruction.
//
// Register slots: the base (Rn) reads slot 31 as SP; the data registers (Rt, Rt2) read 31 as XZR (stores)
// and write it to the sink (loads). Stores of a pair may complete the first element before the second
// faults; memory is then partly written, which the architecture allows (the locations are UNKNOWN).
//
// Choices made here:
// - CONSTRAINED UNPREDICTABLE (load with writeback, Rn == Rt, Rn != 31): the load is done, then the base
//   is written back, so Rt ends up holding the written-back address (Constraint_UNKNOWN for Rt), as QEMU
//   does (trans_LDR_i: do_gpr_ld, then op_addr_ldst_imm_post). The same order applies to LDP with
//   writeback when Rn is Rt or Rt2.
// - CONSTRAINED UNPREDICTABLE (store with writeback, Rn == Rt, Rn != 31): the value stored is Rt's value
//   before the writeback (Constraint_NONE), as QEMU does.
// - CONSTRAINED UNPREDICTABLE (LDP/LDNP with Rt == Rt2): Rt2 is written first and then Rt, so the
//   register holds the first element, the one at the lower address (Constraint_UNKNOWN), as QEMU 7.2 does
//   (disas_ldst_pair loads the second element into Rt2, then moves the first into Rt). QEMU 8.1 and later
//   extract the pair into Rt and then Rt2, which gives the second element; we follow 7.2 because it is the
//   QEMU (Debian 12's) our differential tests compare with (test/oracle/qemu-ldst.test.ts). LDPSW's
//   overlaps UNDEF instead (rows/loadStore.ts).
// - SP alignment checking (SCTLR_ELx.SA/SA0) is not done, as in QEMU, which omits it for speed.
// - LDTR/STTR (unprivileged): at EL1 with stage 1 on they run through Cpu.unprivileged, which checks
//   EL0's permissions (no FEAT_UAO, no VHE); elsewhere they are ordinary accesses.
// - Prefetches (PRFM, PRFUM) do nothing and never fault.
import type { Cpu } from '../../cpu/cpu';
import { zr, zrw } from '../../cpu/regs';
import { sext, type Fields } from '../pattern';
import { pcLo, type At, type Exec } from './types';

/** Reads one element at (lo, hi) into c.ldLo/c.ldHi, extended to 64 bits as the instruction says. */
type Load = (c: Cpu, lo: number, hi: number) => void;
/** Writes the low bytes of (vLo, vHi) at (lo, hi). */
type Store = (c: Cpu, lo: number, hi: number, vLo: number, vHi: number) => void;

const LD_B: Load = (c, lo, hi) => {
  c.ldLo = c.read8(lo, hi);
  c.ldHi = 0;
};
const LD_H: Load = (c, lo, hi) => {
  c.ldLo = c.read16(lo, hi);
  c.ldHi = 0;
};
const LD_W: Load = (c, lo, hi) => {
  c.ldLo = c.read32(lo, hi);
  c.ldHi = 0;
};
const LD_X: Load = (c, lo, hi) => c.read64(lo, hi);
/** Sign-extending loads into Wt: extended to 32 bits, then the top half of Xt is zero. */
const LD_SB_W: Load = (c, lo, hi) => {
  c.ldLo = (c.read8(lo, hi) << 24) >> 24;
  c.ldHi = 0;
};
const LD_SH_W: Load = (c, lo, hi) => {
  c.ldLo = (c.read16(lo, hi) << 16) >> 16;
  c.ldHi = 0;
};
/** Sign-extending loads into Xt. */
const LD_SB_X: Load = (c, lo, hi) => {
  const v = (c.read8(lo, hi) << 24) >> 24;
  c.ldLo = v;
  c.ldHi = v >> 31;
};
const LD_SH_X: Load = (c, lo, hi) => {
  const v = (c.read16(lo, hi) << 16) >> 16;
  c.ldLo = v;
  c.ldHi = v >> 31;
};
const LD_SW: Load = (c, lo, hi) => {
  const v = c.read32(lo, hi);
  c.ldLo = v;
  c.ldHi = v >> 31;
};

const ST_B: Store = (c, lo, hi, v) => c.write8(lo, hi, v);
const ST_H: Store = (c, lo, hi, v) => c.write16(lo, hi, v);
const ST_W: Store = (c, lo, hi, v) => c.write32(lo, hi, v);
const ST_X: Store = (c, lo, hi, vLo, vHi) => c.write64(lo, hi, vLo, vHi);

/** High word of the last address computed by add64s / add64. */
let aHi = 0;

/** Low word of (lo, hi) + a sign-extended 32-bit offset; the high word in aHi. */
function add64s(lo: number, hi: number, off: number): number {
  const s = (lo >>> 0) + (off >>> 0);
  aHi = (hi + (off >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

/** Low word of (aLo, aHi_) + (bLo, bHi); the high word in aHi. */
function add64(aLo: number, aHi_: number, bLo: number, bHi: number): number {
  const s = (aLo >>> 0) + (bLo >>> 0);
  aHi = (aHi_ + bHi + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

/** Immediate addressing: offset (no writeback), pre-index or post-index (writeback). */
type Index = 'off' | 'pre' | 'post';

function loadImm(ld: Load, f: Fields, off: number, index: Index): Exec {
  const t = 2 * zrw(f.Rt);
  const n = 2 * f.Rn;
  // The hot forms get closures of their own, so their memory access is a direct (inlinable) call.
  if (index === 'off' && ld === LD_W) {
    return (c) => {
      const r = c.r;
      const v = c.read32(add64s(r[n], r[n + 1], off), aHi);
      r[t] = v;
      r[t + 1] = 0;
    };
  }
  if (index === 'off' && ld === LD_X) {
    return (c) => {
      const r = c.r;
      c.read64(add64s(r[n], r[n + 1], off), aHi);
      r[t] = c.ldLo;
      r[t + 1] = c.ldHi;
    };
  }
  if (index === 'off') {
    return (c) => {
      const r = c.r;
      const lo = add64s(r[n], r[n + 1], off);
      ld(c, lo, aHi);
      r[t] = c.ldLo;
      r[t + 1] = c.ldHi;
    };
  }
  if (index === 'pre') {
    return (c) => {
      const r = c.r;
      const lo = add64s(r[n], r[n + 1], off);
      const hi = aHi;
      ld(c, lo, hi);
      r[t] = c.ldLo;
      r[t + 1] = c.ldHi;
      r[n] = lo;
      r[n + 1] = hi;
    };
  }
  return (c) => {
    const r = c.r;
    const bLo = r[n];
    const bHi = r[n + 1];
    ld(c, bLo, bHi);
    const wLo = add64s(bLo, bHi, off);
    r[t] = c.ldLo;
    r[t + 1] = c.ldHi;
    r[n] = wLo;
    r[n + 1] = aHi;
  };
}

function storeImm(st: Store, f: Fields, off: number, index: Index): Exec {
  const t = 2 * zr(f.Rt);
  const n = 2 * f.Rn;
  if (index === 'off' && st === ST_W) {
    return (c) => {
      const r = c.r;
      c.write32(add64s(r[n], r[n + 1], off), aHi, r[t]);
    };
  }
  if (index === 'off' && st === ST_X) {
    return (c) => {
      const r = c.r;
      c.write64(add64s(r[n], r[n + 1], off), aHi, r[t], r[t + 1]);
    };
  }
  if (index === 'off') {
    return (c) => {
      const r = c.r;
      const lo = add64s(r[n], r[n + 1], off);
      st(c, lo, aHi, r[t], r[t + 1]);
    };
  }
  if (index === 'pre') {
    return (c) => {
      const r = c.r;
      const lo = add64s(r[n], r[n + 1], off);
      const hi = aHi;
      st(c, lo, hi, r[t], r[t + 1]);
      r[n] = lo;
      r[n + 1] = hi;
    };
  }
  return (c) => {
    const r = c.r;
    const bLo = r[n];
    const bHi = r[n + 1];
    st(c, bLo, bHi, r[t], r[t + 1]);
    r[n] = add64s(bLo, bHi, off);
    r[n + 1] = aHi;
  };
}

/**
 * Register offset: base + (extended Rm << shift), the low word returned and the high word in aHi.
 * option: 010 UXTW, 011 LSL (UXTX), 110 SXTW, 111 SXTX; option<1> = 0 is rejected by the rows' guard.
 */
function regAddress(f: Fields, shift: number): (r: Int32Array) => number {
  const n = 2 * f.Rn;
  const m = 2 * zr(f.Rm);
  const option = f.option;
  const hiOf = (mLo: number, mHi: number): number => (shift ? (mHi << shift) | (mLo >>> (32 - shift)) : mHi);
  if (option === 2) return (r) => add64(r[n], r[n + 1], r[m] << shift, hiOf(r[m], 0));
  if (option === 6) return (r) => add64(r[n], r[n + 1], r[m] << shift, hiOf(r[m], r[m] >> 31));
  return (r) => add64(r[n], r[n + 1], r[m] << shift, hiOf(r[m], r[m + 1]));
}

function loadReg(ld: Load, f: Fields, scale: number): Exec {
  const t = 2 * zrw(f.Rt);
  const shift = f.S ? scale : 0;
  if (ld === LD_W || ld === LD_B) {
    // The common array accesses get closures of their own, the address computed inline:
    // base + (extended Rm << shift), with Rm's high word 0 (UXTW), its sign (SXTW) or itself (LSL/SXTX).
    const n = 2 * f.Rn;
    const m = 2 * zr(f.Rm);
    const wide = (f.option & 1) === 1;
    const signed = f.option === 6;
    const rs = 32 - shift;
    if (ld === LD_W) {
      return (c) => {
        const r = c.r;
        const i = r[m];
        const ih = wide ? r[m + 1] : signed ? i >> 31 : 0;
        const v = c.read32(add64(r[n], r[n + 1], i << shift, shift ? (ih << shift) | (i >>> rs) : ih), aHi);
        r[t] = v;
        r[t + 1] = 0;
      };
    }
    return (c) => {
      const r = c.r;
      const i = r[m];
      const ih = wide ? r[m + 1] : signed ? i >> 31 : 0;
      const v = c.read8(add64(r[n], r[n + 1], i << shift, shift ? (ih << shift) | (i >>> rs) : ih), aHi);
      r[t] = v;
      r[t + 1] = 0;
    };
  }
  const addr = regAddress(f, shift);
  return (c) => {
    const r = c.r;
    const lo = addr(r);
    ld(c, lo, aHi);
    r[t] = c.ldLo;
    r[t + 1] = c.ldHi;
  };
}

function storeReg(st: Store, f: Fields, scale: number): Exec {
  const t = 2 * zr(f.Rt);
  const shift = f.S ? scale : 0;
  if (st === ST_W || st === ST_B) {
    const n = 2 * f.Rn;
    const m = 2 * zr(f.Rm);
    const wide = (f.option & 1) === 1;
    const signed = f.option === 6;
    const rs = 32 - shift;
    if (st === ST_W) {
      return (c) => {
        const r = c.r;
        const i = r[m];
        const ih = wide ? r[m + 1] : signed ? i >> 31 : 0;
        c.write32(add64(r[n], r[n + 1], i << shift, shift ? (ih << shift) | (i >>> rs) : ih), aHi, r[t]);
      };
    }
    return (c) => {
      const r = c.r;
      const i = r[m];
      const ih = wide ? r[m + 1] : signed ? i >> 31 : 0;
      c.write8(add64(r[n], r[n + 1], i << shift, shift ? (ih << shift) | (i >>> rs) : ih), aHi, r[t]);
    };
  }
  const addr = regAddress(f, shift);
  return (c) => {
    const r = c.r;
    const lo = addr(r);
    st(c, lo, aHi, r[t], r[t + 1]);
  };
}

/** Literal: PC-relative, imm19 words. */
function loadLit(ld: Load, f: Fields, at: At): Exec {
  const t = 2 * zrw(f.Rt);
  const off = sext(f.imm19, 19) * 4;
  return (c) => {
    const lo = add64s(pcLo(c, at), c.pageVaHi, off);
    ld(c, lo, aHi);
    c.r[t] = c.ldLo;
    c.r[t + 1] = c.ldHi;
  };
}

/** Pairs: the element size in bytes (4 or 8), the offset already scaled; 'off' also serves LDNP/STNP. */
function loadPair(ld: Load, f: Fields, bytes: number, index: Index): Exec {
  const t = 2 * zrw(f.Rt);
  const t2 = 2 * zrw(f.Rt2);
  const n = 2 * f.Rn;
  const off = sext(f.imm7, 7) * bytes;
  const post = index === 'post';
  const wback = index !== 'off';
  return (c) => {
    const r = c.r;
    const bLo = r[n];
    const bHi = r[n + 1];
    const lo = post ? bLo : add64s(bLo, bHi, off);
    const hi = post ? bHi : aHi;
    ld(c, lo, hi);
    const v1Lo = c.ldLo;
    const v1Hi = c.ldHi;
    ld(c, add64s(lo, hi, bytes), aHi);
    const wLo = post ? add64s(bLo, bHi, off) : lo;
    const wHi = post ? aHi : hi;
    r[t2] = c.ldLo;
    r[t2 + 1] = c.ldHi;
    r[t] = v1Lo;
    r[t + 1] = v1Hi;
    if (wback) {
      r[n] = wLo;
      r[n + 1] = wHi;
    }
  };
}

function storePair(st: Store, f: Fields, bytes: number, index: Index): Exec {
  const t = 2 * zr(f.Rt);
  const t2 = 2 * zr(f.Rt2);
  const n = 2 * f.Rn;
  const off = sext(f.imm7, 7) * bytes;
  const post = index === 'post';
  const wback = index !== 'off';
  return (c) => {
    const r = c.r;
    const bLo = r[n];
    const bHi = r[n + 1];
    const lo = post ? bLo : add64s(bLo, bHi, off);
    const hi = post ? bHi : aHi;
    const v2Lo = r[t2];
    const v2Hi = r[t2 + 1];
    st(c, lo, hi, r[t], r[t + 1]);
    st(c, add64s(lo, hi, bytes), aHi, v2Lo, v2Hi);
    if (wback) {
      r[n] = post ? add64s(bLo, bHi, off) : lo;
      r[n + 1] = post ? aHi : hi;
    }
  };
}

const nop: Exec = () => {};

// Element choice per row: by sf (size<0>) for LDR/STR, by opc<0> for the sign-extending loads.
const ldR = (f: Fields): Load => (f.sf ? LD_X : LD_W);
const stR = (f: Fields): Store => (f.sf ? ST_X : ST_W);
const ldSB = (f: Fields): Load => (f.opc0 ? LD_SB_W : LD_SB_X);
const ldSH = (f: Fields): Load => (f.opc0 ? LD_SH_W : LD_SH_X);

// Addressing forms, by the row's encoding class.
const uoffL = (ld: (f: Fields) => Load, scale: (f: Fields) => number) => (f: Fields) => loadImm(ld(f), f, f.imm12 << scale(f), 'off');
const uoffS = (st: (f: Fields) => Store, scale: (f: Fields) => number) => (f: Fields) => storeImm(st(f), f, f.imm12 << scale(f), 'off');
const imm9L = (ld: (f: Fields) => Load, index: Index) => (f: Fields) => loadImm(ld(f), f, sext(f.imm9, 9), index);
/** LDTR/STTR: the executor runs with EL0's permissions (Cpu.unprivileged). */
const unpriv = (make: (f: Fields) => Exec) => (f: Fields): Exec => {
  const e = make(f);
  return (c) => c.unprivileged(e);
};
const imm9S = (st: (f: Fields) => Store, index: Index) => (f: Fields) => storeImm(st(f), f, sext(f.imm9, 9), index);
const regL = (ld: (f: Fields) => Load, scale: (f: Fields) => number) => (f: Fields) => loadReg(ld(f), f, scale(f));
const regS = (st: (f: Fields) => Store, scale: (f: Fields) => number) => (f: Fields) => storeReg(st(f), f, scale(f));

const k = <T>(v: T) => (): T => v;
const bySf = (f: Fields): number => 2 + f.sf;
const s0 = k(0);
const s1 = k(1);
const s2 = k(2);
const B = { st: k(ST_B), ld: k(LD_B) };
const H = { st: k(ST_H), ld: k(LD_H) };

export const LOAD_STORE_EXEC = {
  // unsigned offset
  STRB_imm_uoff: uoffS(B.st, s0),
  STRH_imm_uoff: uoffS(H.st, s1),
  STR_imm_uoff: uoffS(stR, bySf),
  LDRB_imm_uoff: uoffL(B.ld, s0),
  LDRH_imm_uoff: uoffL(H.ld, s1),
  LDR_imm_uoff: uoffL(ldR, bySf),
  LDRSB_imm_uoff: uoffL(ldSB, s0),
  LDRSH_imm_uoff: uoffL(ldSH, s1),
  LDRSW_imm_uoff: uoffL(k(LD_SW), s2),
  PRFM_imm_uoff: () => nop,
  // pre-index
  STRB_imm_pre: imm9S(B.st, 'pre'),
  STRH_imm_pre: imm9S(H.st, 'pre'),
  STR_imm_pre: imm9S(stR, 'pre'),
  LDRB_imm_pre: imm9L(B.ld, 'pre'),
  LDRH_imm_pre: imm9L(H.ld, 'pre'),
  LDR_imm_pre: imm9L(ldR, 'pre'),
  LDRSB_imm_pre: imm9L(ldSB, 'pre'),
  LDRSH_imm_pre: imm9L(ldSH, 'pre'),
  LDRSW_imm_pre: imm9L(k(LD_SW), 'pre'),
  // post-index
  STRB_imm_post: imm9S(B.st, 'post'),
  STRH_imm_post: imm9S(H.st, 'post'),
  STR_imm_post: imm9S(stR, 'post'),
  LDRB_imm_post: imm9L(B.ld, 'post'),
  LDRH_imm_post: imm9L(H.ld, 'post'),
  LDR_imm_post: imm9L(ldR, 'post'),
  LDRSB_imm_post: imm9L(ldSB, 'post'),
  LDRSH_imm_post: imm9L(ldSH, 'post'),
  LDRSW_imm_post: imm9L(k(LD_SW), 'post'),
  // register offset
  STRB_reg: regS(B.st, s0),
  STRH_reg: regS(H.st, s1),
  STR_reg: regS(stR, bySf),
  LDRB_reg: regL(B.ld, s0),
  LDRH_reg: regL(H.ld, s1),
  LDR_reg: regL(ldR, bySf),
  LDRSB_reg: regL(ldSB, s0),
  LDRSH_reg: regL(ldSH, s1),
  LDRSW_reg: regL(k(LD_SW), s2),
  PRFM_reg: () => nop,
  // unscaled immediate
  STURB: imm9S(B.st, 'off'),
  STURH: imm9S(H.st, 'off'),
  STUR: imm9S(stR, 'off'),
  LDURB: imm9L(B.ld, 'off'),
  LDURH: imm9L(H.ld, 'off'),
  LDUR: imm9L(ldR, 'off'),
  LDURSB: imm9L(ldSB, 'off'),
  LDURSH: imm9L(ldSH, 'off'),
  LDURSW: imm9L(k(LD_SW), 'off'),
  PRFUM: () => nop,
  // unprivileged (see the note at the top)
  STTRB: unpriv(imm9S(B.st, 'off')),
  STTRH: unpriv(imm9S(H.st, 'off')),
  STTR: unpriv(imm9S(stR, 'off')),
  LDTRB: unpriv(imm9L(B.ld, 'off')),
  LDTRH: unpriv(imm9L(H.ld, 'off')),
  LDTR: unpriv(imm9L(ldR, 'off')),
  LDTRSB: unpriv(imm9L(ldSB, 'off')),
  LDTRSH: unpriv(imm9L(ldSH, 'off')),
  LDTRSW: unpriv(imm9L(k(LD_SW), 'off')),
  // literal
  LDR_lit: (f: Fields, at: At) => loadLit(ldR(f), f, at),
  LDRSW_lit: (f: Fields, at: At) => loadLit(LD_SW, f, at),
  PRFM_lit: () => nop,
  // pairs (LDNP/STNP: the non-temporal hint changes nothing here)
  STNP: (f: Fields) => storePair(stR(f), f, 4 << f.sf, 'off'),
  LDNP: (f: Fields) => loadPair(ldR(f), f, 4 << f.sf, 'off'),
  STP_off: (f: Fields) => storePair(stR(f), f, 4 << f.sf, 'off'),
  STP_pre: (f: Fields) => storePair(stR(f), f, 4 << f.sf, 'pre'),
  STP_post: (f: Fields) => storePair(stR(f), f, 4 << f.sf, 'post'),
  LDP_off: (f: Fields) => loadPair(ldR(f), f, 4 << f.sf, 'off'),
  LDP_pre: (f: Fields) => loadPair(ldR(f), f, 4 << f.sf, 'pre'),
  LDP_post: (f: Fields) => loadPair(ldR(f), f, 4 << f.sf, 'post'),
  LDPSW_off: (f: Fields) => loadPair(LD_SW, f, 4, 'off'),
  LDPSW_pre: (f: Fields) => loadPair(LD_SW, f, 4, 'pre'),
  LDPSW_post: (f: Fields) => loadPair(LD_SW, f, 4, 'post'),
};
