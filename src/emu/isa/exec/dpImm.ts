// Executors for data processing (immediate): add/subtract, move wide, PC-relative addresses, logical
// immediates, bitfield moves and extract. Everything that depends only on the encoding (register slots,
// the decoded bitmask, shift amounts and masks) is worked out in the handler; the executor does the data
// path only, reading all sources before writing the destination.
import { SLOT_SP, zr, zrw } from '../../cpu/regs';
import { sext, type Fields } from '../pattern';
import { addsTo32, addsTo64, asr64, logicalImm, lsl64, lsr64, out, sum64 } from './u64';
import { pcLo, type At, type Exec } from './types';
import { I_C, I_N, I_V, I_Z } from '../../cpu/regs';
import type { Cpu } from '../../cpu/cpu';

/** NZCV from the u64 `out` record (after add32/add64). */
export function setFlags(c: Cpu): void {
  const r = c.r;
  r[I_N] = out.n;
  r[I_Z] = out.z;
  r[I_C] = out.c;
  r[I_V] = out.v;
}

/** ADD/ADDS/SUB/SUBS (immediate): Rn may be SP; Rd is SP for ADD/SUB and XZR for ADDS/SUBS. */
function addSubImm(f: Fields, sub: boolean, setflags: boolean): Exec {
  const d = 2 * (setflags ? zrw(f.Rd) : f.Rd);
  const n = 2 * (f.Rn === 31 ? SLOT_SP : f.Rn);
  const imm = f.imm12 << (f.sh ? 12 : 0);
  // a - b = a + ~b + 1
  const bLo = sub ? ~imm : imm;
  const bHi = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  if (f.sf) {
    if (setflags) {
      return (c) => {
        const r = c.r;
        addsTo64(r, d, r[n], r[n + 1], bLo, bHi, cin);
      };
    }
    return (c) => {
      const r = c.r;
      r[d] = sum64(r[n], r[n + 1], bLo, bHi, cin);
      r[d + 1] = out.hi;
    };
  }
  if (setflags) {
    return (c) => {
      const r = c.r;
      addsTo32(r, d, r[n], bLo, cin);
    };
  }
  return (c) => {
    const r = c.r;
    r[d] = (r[n] + bLo + cin) | 0;
    r[d + 1] = 0;
  };
}

function moveWide(f: Fields, kind: 'z' | 'n' | 'k'): Exec {
  const d = 2 * zrw(f.Rd);
  const sh = f.hw * 16;
  const half = sh >= 32 ? 1 : 0;
  const part = (f.imm16 << (sh & 31)) | 0;
  const mask = (0xffff << (sh & 31)) | 0;
  const sf = f.sf;
  if (kind === 'k') {
    return (c) => {
      const r = c.r;
      r[d + half] = (r[d + half] & ~mask) | part;
      if (!sf) r[d + 1] = 0;
    };
  }
  let lo = half ? 0 : part;
  let hi = half ? part : 0;
  if (kind === 'n') {
    lo = ~lo;
    hi = sf ? ~hi : 0;
  }
  return (c) => {
    c.r[d] = lo;
    c.r[d + 1] = hi;
  };
}

/** NZCV of a logical result (ANDS, BICS, TST): N and Z from the value, C and V cleared. */
export function setLogicFlags(c: Cpu, lo: number, hi: number): void {
  const r = c.r;
  r[I_N] = hi >>> 31;
  r[I_Z] = (lo | hi) === 0 ? 1 : 0;
  r[I_C] = 0;
  r[I_V] = 0;
}

/** ones(k) as a 64-bit (lo, hi) pair, 0 <= k <= 64. */
function ones64(k: number): [number, number] {
  const lo = k >= 32 ? -1 : (1 << k) - 1;
  const hi = k <= 32 ? 0 : k === 64 ? -1 : (1 << (k - 32)) - 1;
  return [lo, hi];
}

/** ones(k) as an int32, 0 <= k <= 32. */
const ones32 = (k: number): number => (k >= 32 ? -1 : (1 << k) - 1);

type LogicOp = 'and' | 'orr' | 'eor' | 'ands';

/** AND/ORR/EOR (immediate) write SP for Rd = 31, ANDS writes XZR; Rn = 31 is XZR. */
function logicalImmExec(f: Fields, op: LogicOp): Exec {
  const d = 2 * (op === 'ands' ? zrw(f.Rd) : f.Rd);
  const n = 2 * zr(f.Rn);
  const iLo = logicalImm(f.N, f.imms, f.immr);
  const iHi = f.sf ? out.hi : 0;
  if (!f.sf) {
    switch (op) {
      case 'and': return (c) => { c.r[d] = c.r[n] & iLo; c.r[d + 1] = 0; };
      case 'orr': return (c) => { c.r[d] = c.r[n] | iLo; c.r[d + 1] = 0; };
      case 'eor': return (c) => { c.r[d] = c.r[n] ^ iLo; c.r[d + 1] = 0; };
      case 'ands': return (c) => {
        const v = c.r[n] & iLo;
        c.r[d] = v;
        c.r[d + 1] = 0;
        setLogicFlags(c, v, v);
      };
    }
  }
  switch (op) {
    case 'and': return (c) => { const r = c.r; const lo = r[n] & iLo; const hi = r[n + 1] & iHi; r[d] = lo; r[d + 1] = hi; };
    case 'orr': return (c) => { const r = c.r; const lo = r[n] | iLo; const hi = r[n + 1] | iHi; r[d] = lo; r[d + 1] = hi; };
    case 'eor': return (c) => { const r = c.r; const lo = r[n] ^ iLo; const hi = r[n + 1] ^ iHi; r[d] = lo; r[d + 1] = hi; };
    case 'ands': return (c) => {
      const r = c.r;
      const lo = r[n] & iLo;
      const hi = r[n + 1] & iHi;
      r[d] = lo;
      r[d + 1] = hi;
      setLogicFlags(c, lo, hi);
    };
  }
}

/**
 * SBFM/BFM/UBFM. With R = immr and S = imms, the Arm ARM's wmask/tmask formulation reduces to two shapes:
 * S >= R extracts bits [S:R] of Rn to the bottom (sbfx/ubfx/bfxil, asr/lsr); S < R inserts bits [S:0] of
 * Rn at bit datasize - R (sbfiz/ubfiz/bfi, lsl). SBFM sign-extends above the field, UBFM zero-extends,
 * BFM keeps the other bits of Rd.
 */
function bitfield(f: Fields, kind: 's' | 'b' | 'u'): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const R = f.immr;
  const S = f.imms;
  if (!f.sf) {
    if (S >= R) {
      const mask = ones32(S - R + 1);
      if (kind === 'u') return (c) => { c.r[d] = (c.r[n] >>> R) & mask; c.r[d + 1] = 0; };
      if (kind === 's') {
        const up = 31 - S;
        const down = 31 - S + R;
        return (c) => { c.r[d] = (c.r[n] << up) >> down; c.r[d + 1] = 0; };
      }
      return (c) => { c.r[d] = (c.r[d] & ~mask) | ((c.r[n] >>> R) & mask); c.r[d + 1] = 0; };
    }
    const at = 32 - R;
    const field = ones32(S + 1);
    if (kind === 'u') return (c) => { c.r[d] = (c.r[n] & field) << at; c.r[d + 1] = 0; };
    if (kind === 's') {
      const up = 31 - S;
      return (c) => { c.r[d] = ((c.r[n] << up) >> up) << at; c.r[d + 1] = 0; };
    }
    const mask = field << at;
    return (c) => { c.r[d] = (c.r[d] & ~mask) | ((c.r[n] << at) & mask); c.r[d + 1] = 0; };
  }
  if (S >= R) {
    const [mLo, mHi] = ones64(S - R + 1);
    if (kind === 'u') {
      return (c) => {
        const lo = lsr64(c.r[n], c.r[n + 1], R) & mLo;
        const hi = out.hi & mHi;
        c.r[d] = lo;
        c.r[d + 1] = hi;
      };
    }
    if (kind === 's') {
      const up = 63 - S;
      const down = 63 - S + R;
      return (c) => {
        const t = lsl64(c.r[n], c.r[n + 1], up);
        const lo = asr64(t, out.hi, down);
        c.r[d] = lo;
        c.r[d + 1] = out.hi;
      };
    }
    return (c) => {
      const r = c.r;
      const fLo = lsr64(r[n], r[n + 1], R) & mLo;
      const fHi = out.hi & mHi;
      const lo = (r[d] & ~mLo) | fLo;
      const hi = (r[d + 1] & ~mHi) | fHi;
      r[d] = lo;
      r[d + 1] = hi;
    };
  }
  const at = 64 - R;
  const [fLo, fHi] = ones64(S + 1);
  if (kind === 'u') {
    return (c) => {
      const lo = lsl64(c.r[n] & fLo, c.r[n + 1] & fHi, at);
      c.r[d] = lo;
      c.r[d + 1] = out.hi;
    };
  }
  if (kind === 's') {
    const up = 63 - S;
    return (c) => {
      let lo = lsl64(c.r[n], c.r[n + 1], up);
      lo = asr64(lo, out.hi, up);
      lo = lsl64(lo, out.hi, at);
      c.r[d] = lo;
      c.r[d + 1] = out.hi;
    };
  }
  const mLo = lsl64(fLo, fHi, at);
  const mHi = out.hi;
  return (c) => {
    const r = c.r;
    const vLo = lsl64(r[n], r[n + 1], at) & mLo;
    const vHi = out.hi & mHi;
    const lo = (r[d] & ~mLo) | vLo;
    const hi = (r[d + 1] & ~mHi) | vHi;
    r[d] = lo;
    r[d + 1] = hi;
  };
}

/** EXTR: bits [lsb + datasize - 1 : lsb] of Rn:Rm. */
function extr(f: Fields): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const lsb = f.imms;
  if (!f.sf) {
    if (lsb === 0) return (c) => { c.r[d] = c.r[m]; c.r[d + 1] = 0; };
    const back = 32 - lsb;
    return (c) => { c.r[d] = (c.r[m] >>> lsb) | (c.r[n] << back); c.r[d + 1] = 0; };
  }
  if (lsb === 0) return (c) => { const lo = c.r[m]; const hi = c.r[m + 1]; c.r[d] = lo; c.r[d + 1] = hi; };
  if (lsb === 32) return (c) => { const lo = c.r[m + 1]; const hi = c.r[n]; c.r[d] = lo; c.r[d + 1] = hi; };
  if (lsb < 32) {
    const back = 32 - lsb;
    return (c) => {
      const r = c.r;
      const lo = (r[m] >>> lsb) | (r[m + 1] << back);
      const hi = (r[m + 1] >>> lsb) | (r[n] << back);
      r[d] = lo;
      r[d + 1] = hi;
    };
  }
  const s = lsb - 32;
  const back = 32 - s;
  return (c) => {
    const r = c.r;
    const lo = (r[m + 1] >>> s) | (r[n] << back);
    const hi = (r[n] >>> s) | (r[n + 1] << back);
    r[d] = lo;
    r[d + 1] = hi;
  };
}

export const DP_IMM_EXEC = {
  ADD_imm: (f: Fields) => addSubImm(f, false, false),
  ADDS_imm: (f: Fields) => addSubImm(f, false, true),
  SUB_imm: (f: Fields) => addSubImm(f, true, false),
  SUBS_imm: (f: Fields) => addSubImm(f, true, true),
  MOVN: (f: Fields) => moveWide(f, 'n'),
  MOVZ: (f: Fields) => moveWide(f, 'z'),
  MOVK: (f: Fields) => moveWide(f, 'k'),
  ADR: (f: Fields, at: At): Exec => {
    const d = 2 * zrw(f.Rd);
    const off = sext((f.immhi << 2) | f.immlo, 21);
    return (c) => {
      c.r[d] = sum64(pcLo(c, at), c.pageVaHi, off, off >> 31, 0);
      c.r[d + 1] = out.hi;
    };
  },
  ADRP: (f: Fields): Exec => {
    const d = 2 * zrw(f.Rd);
    // imm21 << 12 as a 64-bit value: bits [32:12] of a 33-bit signed quantity
    const imm = sext((f.immhi << 2) | f.immlo, 21);
    const offLo = imm << 12;
    const offHi = imm >> 20;
    return (c) => {
      c.r[d] = sum64(c.pageVaLo, c.pageVaHi, offLo, offHi, 0);
      c.r[d + 1] = out.hi;
    };
  },
  AND_imm: (f: Fields) => logicalImmExec(f, 'and'),
  ORR_imm: (f: Fields) => logicalImmExec(f, 'orr'),
  EOR_imm: (f: Fields) => logicalImmExec(f, 'eor'),
  ANDS_imm: (f: Fields) => logicalImmExec(f, 'ands'),
  SBFM: (f: Fields) => bitfield(f, 's'),
  BFM: (f: Fields) => bitfield(f, 'b'),
  UBFM: (f: Fields) => bitfield(f, 'u'),
  EXTR: (f: Fields) => extr(f),
};
