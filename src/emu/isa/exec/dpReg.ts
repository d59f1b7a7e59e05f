// Executors for data processing (register): shifted and extended add/subtract, logical (shifted register),
// add/subtract with carry, conditional compare and select, one- and two-source operations and multiplies.
// The handler resolves register slots (31 is XZR/WZR except where the Arm ARM says SP), shift kinds and
// amounts, conditions and inversions; the executor reads every source before writing the destination
// (Rd may equal any source). 32-bit forms write zero to the upper half. Also CRC32/CRC32C (tables in
// crc.ts) and the FEAT_FlagM flag instructions RMIF, SETF8 and SETF16.
import { I_C, I_N, I_V, I_Z, SLOT_ZR, zr, zrw } from '../../cpu/regs';
import type { Cpu } from '../../cpu/cpu';
import type { Fields } from '../pattern';
import { condHolds } from './branch';
import { CRC32_TABLE, CRC32C_TABLE, crcWord } from './crc';
import { setFlags, setLogicFlags } from './dpImm';
import type { Exec } from './types';
import {
  add32, add64, addsTo32, addsTo64, asr64, sum64, bswap32, cls32, cls64, lsl64, lsr64, mul64, mulS32, mulU32, out, rbit32, rev16x2, ror32,
  ror64, sdiv64, smulh64, udiv64, umulh64,
} from './u64';

type Shift64 = (lo: number, hi: number, s: number) => number;
const SHIFT64: readonly Shift64[] = [lsl64, lsr64, asr64, ror64];

/** A 32-bit shift by a constant amount 0..31 (ROR included). */
function shift32(v: number, kind: number, s: number): number {
  switch (kind) {
    case 0: return v << s;
    case 1: return v >>> s;
    case 2: return v >> s;
    default: return ror32(v, s);
  }
}

// ---- add/subtract (shifted register) --------------------------------------------------------------------

function addSubShifted(f: Fields, sub: boolean, flags: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const kind = f.shift;
  const amt = f.imm6;
  // a - b = a + NOT(b) + 1
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  if (!f.sf) {
    if (flags) {
      if (amt === 0) return (c) => { const r = c.r; addsTo32(r, d, r[n], r[m] ^ inv, cin); };
      return (c) => {
        const r = c.r;
        addsTo32(r, d, r[n], shift32(r[m], kind, amt) ^ inv, cin);
      };
    }
    if (amt === 0) return (c) => { const r = c.r; r[d] = (r[n] + (r[m] ^ inv) + cin) | 0; r[d + 1] = 0; };
    return (c) => {
      const r = c.r;
      r[d] = (r[n] + (shift32(r[m], kind, amt) ^ inv) + cin) | 0;
      r[d + 1] = 0;
    };
  }
  const sh = SHIFT64[kind];
  if (!flags) {
    if (amt === 0) {
      return (c) => {
        const r = c.r;
        const aLo = r[n];
        const bLo = r[m] ^ inv;
        const s = (aLo >>> 0) + (bLo >>> 0) + cin;
        r[d + 1] = (r[n + 1] + (r[m + 1] ^ inv) + (s > 0xffffffff ? 1 : 0)) | 0;
        r[d] = s | 0;
      };
    }
    return (c) => {
      const r = c.r;
      const bLo = sh(r[m], r[m + 1], amt) ^ inv;
      const lo = sum64(r[n], r[n + 1], bLo, out.hi ^ inv, cin);
      r[d] = lo;
      r[d + 1] = out.hi;
    };
  }
  if (amt === 0) {
    return (c) => {
      const r = c.r;
      addsTo64(r, d, r[n], r[n + 1], r[m] ^ inv, r[m + 1] ^ inv, cin);
    };
  }
  return (c) => {
    const r = c.r;
    const bLo = sh(r[m], r[m + 1], amt) ^ inv;
    addsTo64(r, d, r[n], r[n + 1], bLo, out.hi ^ inv, cin);
  };
}

// ---- add/subtract (extended register) -------------------------------------------------------------------

/**
 * ADD/SUB(S) (extended register): Rn = 31 is SP; Rd = 31 is SP without flags and XZR with; Rm = 31 is ZR.
 * The extend (UXTB..SXTX) and the left shift 0..4 are applied to Rm.
 */
function addSubExtended(f: Fields, sub: boolean, flags: boolean): Exec {
  const d = 2 * (flags ? zrw(f.Rd) : f.Rd);
  const n = 2 * f.Rn;
  const m = 2 * zr(f.Rm);
  const opt = f.option;
  const amt = f.imm3;
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  const signed = opt >= 4;
  const size = opt & 3; // 0 byte, 1 halfword, 2 word, 3 doubleword
  const lane = size === 0 ? 24 : 16; // for byte/halfword: shift the field to the top and back
  const sum = flags ? add64 : sum64;
  if (!f.sf) {
    return (c) => {
      const r = c.r;
      let b = r[m];
      if (size < 2) b = signed ? (b << lane) >> lane : (b << lane) >>> lane;
      b = (b << amt) ^ inv;
      if (flags) {
        r[d] = add32(r[n], b, cin);
        r[d + 1] = 0;
        setFlags(c);
      } else {
        r[d] = (r[n] + b + cin) | 0;
        r[d + 1] = 0;
      }
    };
  }
  return (c) => {
    const r = c.r;
    let bLo = r[m];
    let bHi: number;
    if (size === 3) bHi = r[m + 1];
    else {
      if (size < 2) bLo = signed ? (bLo << lane) >> lane : (bLo << lane) >>> lane;
      bHi = signed ? bLo >> 31 : 0;
    }
    if (amt) {
      bLo = lsl64(bLo, bHi, amt);
      bHi = out.hi;
    }
    const lo = sum(r[n], r[n + 1], bLo ^ inv, bHi ^ inv, cin);
    r[d] = lo;
    r[d + 1] = out.hi;
    if (flags) setFlags(c);
  };
}

// ---- logical (shifted register) -------------------------------------------------------------------------

type Logic = 'and' | 'orr' | 'eor' | 'ands';

/** AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS: `invert` is the N bit (the second operand is complemented). */
function logicalShifted(f: Fields, op: Logic, invert: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const kind = f.shift;
  const amt = f.imm6;
  const inv = invert ? -1 : 0;
  if (!f.sf) {
    switch (op) {
      case 'and': return (c) => { const r = c.r; r[d] = r[n] & (shift32(r[m], kind, amt) ^ inv); r[d + 1] = 0; };
      case 'orr':
        if (amt === 0) return (c) => { const r = c.r; r[d] = r[n] | (r[m] ^ inv); r[d + 1] = 0; };
        return (c) => { const r = c.r; r[d] = r[n] | (shift32(r[m], kind, amt) ^ inv); r[d + 1] = 0; };
      case 'eor': return (c) => { const r = c.r; r[d] = r[n] ^ shift32(r[m], kind, amt) ^ inv; r[d + 1] = 0; };
      case 'ands': return (c) => {
        const r = c.r;
        const v = r[n] & (shift32(r[m], kind, amt) ^ inv);
        r[d] = v;
        r[d + 1] = 0;
        setLogicFlags(c, v, v);
      };
    }
  }
  const sh = SHIFT64[kind];
  if (amt === 0) {
    switch (op) {
      case 'and': return (c) => {
        const r = c.r;
        const lo = r[n] & (r[m] ^ inv);
        const hi = r[n + 1] & (r[m + 1] ^ inv);
        r[d] = lo;
        r[d + 1] = hi;
      };
      case 'orr':
        // MOV (register): ORR Xd, XZR, Xm
        if (n === 2 * SLOT_ZR && !invert) return (c) => { const r = c.r; r[d] = r[m]; r[d + 1] = r[m + 1]; };
        return (c) => {
        const r = c.r;
        const lo = r[n] | (r[m] ^ inv);
        const hi = r[n + 1] | (r[m + 1] ^ inv);
        r[d] = lo;
        r[d + 1] = hi;
      };
      case 'eor': return (c) => {
        const r = c.r;
        const lo = r[n] ^ r[m] ^ inv;
        const hi = r[n + 1] ^ r[m + 1] ^ inv;
        r[d] = lo;
        r[d + 1] = hi;
      };
      case 'ands': return (c) => {
        const r = c.r;
        const lo = r[n] & (r[m] ^ inv);
        const hi = r[n + 1] & (r[m + 1] ^ inv);
        r[d] = lo;
        r[d + 1] = hi;
        setLogicFlags(c, lo, hi);
      };
    }
  }
  switch (op) {
    case 'and': return (c) => {
      const r = c.r;
      const bLo = sh(r[m], r[m + 1], amt) ^ inv;
      const lo = r[n] & bLo;
      const hi = r[n + 1] & (out.hi ^ inv);
      r[d] = lo;
      r[d + 1] = hi;
    };
    case 'orr': return (c) => {
      const r = c.r;
      const bLo = sh(r[m], r[m + 1], amt) ^ inv;
      const lo = r[n] | bLo;
      const hi = r[n + 1] | (out.hi ^ inv);
      r[d] = lo;
      r[d + 1] = hi;
    };
    case 'eor': return (c) => {
      const r = c.r;
      const bLo = sh(r[m], r[m + 1], amt) ^ inv;
      const lo = r[n] ^ bLo;
      const hi = r[n + 1] ^ out.hi ^ inv;
      r[d] = lo;
      r[d + 1] = hi;
    };
    case 'ands': return (c) => {
      const r = c.r;
      const bLo = sh(r[m], r[m + 1], amt) ^ inv;
      const lo = r[n] & bLo;
      const hi = r[n + 1] & (out.hi ^ inv);
      r[d] = lo;
      r[d + 1] = hi;
      setLogicFlags(c, lo, hi);
    };
  }
}

// ---- add/subtract with carry ----------------------------------------------------------------------------

function addSubCarry(f: Fields, sub: boolean, flags: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const inv = sub ? -1 : 0;
  if (!f.sf) {
    return (c) => {
      const r = c.r;
      const v = add32(r[n], r[m] ^ inv, r[I_C]);
      r[d] = v;
      r[d + 1] = 0;
      if (flags) setFlags(c);
    };
  }
  return (c) => {
    const r = c.r;
    const lo = add64(r[n], r[n + 1], r[m] ^ inv, r[m + 1] ^ inv, r[I_C]);
    r[d] = lo;
    r[d + 1] = out.hi;
    if (flags) setFlags(c);
  };
}

// ---- conditional compare --------------------------------------------------------------------------------

/** CCMN/CCMP: when cond holds, the flags of Rn + op2 (CCMN) or Rn - op2 (CCMP); otherwise #nzcv. */
function condCompare(f: Fields, sub: boolean, imm: boolean): Exec {
  const n = 2 * zr(f.Rn);
  const m = imm ? 0 : 2 * zr(f.Rm);
  const k = imm ? f.imm5 : 0;
  const cond = f.cond;
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  const fn = (f.nzcv >> 3) & 1;
  const fz = (f.nzcv >> 2) & 1;
  const fc = (f.nzcv >> 1) & 1;
  const fv = f.nzcv & 1;
  const otherwise = (c: Cpu): void => {
    const r = c.r;
    r[I_N] = fn;
    r[I_Z] = fz;
    r[I_C] = fc;
    r[I_V] = fv;
  };
  if (!f.sf) {
    return (c) => {
      if (!condHolds(c, cond)) return otherwise(c);
      const r = c.r;
      add32(r[n], (imm ? k : r[m]) ^ inv, cin);
      setFlags(c);
    };
  }
  return (c) => {
    if (!condHolds(c, cond)) return otherwise(c);
    const r = c.r;
    if (imm) add64(r[n], r[n + 1], k ^ inv, inv, cin);
    else add64(r[n], r[n + 1], r[m] ^ inv, r[m + 1] ^ inv, cin);
    setFlags(c);
  };
}

// ---- conditional select ---------------------------------------------------------------------------------

/** CSEL/CSINC/CSINV/CSNEG: Rd = cond ? Rn : op(Rm) with op identity, +1, NOT or negate. */
function condSelect(f: Fields, op: 'sel' | 'inc' | 'inv' | 'neg'): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const cond = f.cond;
  // op(x) = (x XOR inv) + add: +1 (inc), NOT (inv), NOT + 1 (neg)
  const inv = op === 'inv' || op === 'neg' ? -1 : 0;
  const add = op === 'inc' || op === 'neg' ? 1 : 0;
  if (!f.sf) {
    if (op === 'sel') return (c) => { const r = c.r; r[d] = condHolds(c, cond) ? r[n] : r[m]; r[d + 1] = 0; };
    return (c) => {
      const r = c.r;
      r[d] = condHolds(c, cond) ? r[n] : ((r[m] ^ inv) + add) | 0;
      r[d + 1] = 0;
    };
  }
  if (op === 'sel') {
    return (c) => {
      const r = c.r;
      const s = condHolds(c, cond) ? n : m;
      const lo = r[s];
      const hi = r[s + 1];
      r[d] = lo;
      r[d + 1] = hi;
    };
  }
  return (c) => {
    const r = c.r;
    let lo: number;
    let hi: number;
    if (condHolds(c, cond)) {
      lo = r[n];
      hi = r[n + 1];
    } else {
      lo = ((r[m] ^ inv) + add) | 0;
      hi = (r[m + 1] ^ inv) + (add && lo === 0 ? 1 : 0) | 0;
    }
    r[d] = lo;
    r[d + 1] = hi;
  };
}

// ---- data processing (1 source) ------------------------------------------------------------------------

/** A 64-bit unary operation built from 32-bit pieces: (lo, hi) -> (newLo, newHi). */
function unary64(f: Fields, lo: (lo: number, hi: number) => number, hi: (lo: number, hi: number) => number): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  return (c) => {
    const r = c.r;
    const a = r[n];
    const b = r[n + 1];
    r[d] = lo(a, b);
    r[d + 1] = hi(a, b);
  };
}

function unary32(f: Fields, op: (v: number) => number): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  return (c) => {
    c.r[d] = op(c.r[n]);
    c.r[d + 1] = 0;
  };
}

// ---- data processing (2 source) ------------------------------------------------------------------------

/** LSLV/LSRV/ASRV/RORV: the shift amount is Rm modulo the register width. */
function shiftVar(f: Fields, kind: number): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  if (!f.sf) {
    return (c) => {
      const r = c.r;
      r[d] = shift32(r[n], kind, r[m] & 31) | 0;
      r[d + 1] = 0;
    };
  }
  const sh = SHIFT64[kind];
  return (c) => {
    const r = c.r;
    const lo = sh(r[n], r[n + 1], r[m] & 63);
    r[d] = lo;
    r[d + 1] = out.hi;
  };
}

/** UDIV/SDIV: rounding toward zero; a zero divisor gives 0; INT_MIN / -1 gives INT_MIN. */
function divide(f: Fields, signed: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  if (!f.sf) {
    if (signed) {
      return (c) => {
        const r = c.r;
        const b = r[m];
        r[d] = b === 0 ? 0 : (r[n] / b) | 0;
        r[d + 1] = 0;
      };
    }
    return (c) => {
      const r = c.r;
      const b = r[m] >>> 0;
      r[d] = b === 0 ? 0 : ((r[n] >>> 0) / b) | 0;
      r[d + 1] = 0;
    };
  }
  const div = signed ? sdiv64 : udiv64;
  return (c) => {
    const r = c.r;
    const bLo = r[m];
    const bHi = r[m + 1];
    if ((bLo | bHi) === 0) {
      r[d] = 0;
      r[d + 1] = 0;
      return;
    }
    const lo = div(r[n], r[n + 1], bLo, bHi);
    r[d] = lo;
    r[d + 1] = out.hi;
  };
}

// ---- data processing (3 source) ------------------------------------------------------------------------

/** MADD/MSUB: Rd = Ra +/- Rn * Rm. */
function mulAdd(f: Fields, sub: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const a = 2 * zr(f.Ra);
  if (!f.sf) {
    if (sub) return (c) => { const r = c.r; r[d] = (r[a] - Math.imul(r[n], r[m])) | 0; r[d + 1] = 0; };
    return (c) => { const r = c.r; r[d] = (r[a] + Math.imul(r[n], r[m])) | 0; r[d + 1] = 0; };
  }
  if (f.Ra === 31 && !sub) {
    // MUL
    return (c) => {
      const r = c.r;
      const lo = mul64(r[n], r[n + 1], r[m], r[m + 1]);
      r[d] = lo;
      r[d + 1] = out.hi;
    };
  }
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  return (c) => {
    const r = c.r;
    const pLo = mul64(r[n], r[n + 1], r[m], r[m + 1]);
    const lo = sum64(r[a], r[a + 1], pLo ^ inv, out.hi ^ inv, cin);
    r[d] = lo;
    r[d + 1] = out.hi;
  };
}

/** SMADDL/SMSUBL/UMADDL/UMSUBL: Xd = Xa +/- Wn * Wm, the product signed or unsigned 32 x 32 -> 64. */
function mulAddLong(f: Fields, signed: boolean, sub: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const a = 2 * zr(f.Ra);
  const mul = signed ? mulS32 : mulU32;
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  return (c) => {
    const r = c.r;
    const pLo = mul(r[n], r[m]);
    const lo = sum64(r[a], r[a + 1], pLo ^ inv, out.hi ^ inv, cin);
    r[d] = lo;
    r[d + 1] = out.hi;
  };
}

/** SMULH/UMULH: bits [127:64] of the 128-bit product. */
function mulHigh(f: Fields, signed: boolean): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  const mulh = signed ? smulh64 : umulh64;
  return (c) => {
    const r = c.r;
    const lo = mulh(r[n], r[n + 1], r[m], r[m + 1]);
    r[d] = lo;
    r[d + 1] = out.hi;
  };
}

// ---- CRC32 / CRC32C -------------------------------------------------------------------------------------

function crc(f: Fields, t: Int32Array): Exec {
  const d = 2 * zrw(f.Rd);
  const n = 2 * zr(f.Rn);
  const m = 2 * zr(f.Rm);
  if (f.sz === 3) {
    return (c) => {
      const r = c.r;
      const hi = r[m + 1];
      r[d] = crcWord(t, crcWord(t, r[n], r[m], 4), hi, 4);
      r[d + 1] = 0;
    };
  }
  const bytes = 1 << f.sz;
  return (c) => {
    const r = c.r;
    r[d] = crcWord(t, r[n], r[m], bytes);
    r[d + 1] = 0;
  };
}

// ---- flag manipulation (FEAT_FlagM) ---------------------------------------------------------------------

/** RMIF: rotate Xn right by imm6 and copy bits 3..0 into N, Z, C, V where the mask bit is set. */
function rmif(f: Fields): Exec {
  const n = 2 * zr(f.Rn);
  const sh = f.imm6;
  const mask = f.mask;
  return (c) => {
    const r = c.r;
    // bits sh..sh+3 (mod 64) of Xn: the low nibble of ROR(Xn, sh)
    const lo = sh === 0 ? r[n] : ror64(r[n], r[n + 1], sh);
    if (mask & 8) r[I_N] = (lo >>> 3) & 1;
    if (mask & 4) r[I_Z] = (lo >>> 2) & 1;
    if (mask & 2) r[I_C] = (lo >>> 1) & 1;
    if (mask & 1) r[I_V] = lo & 1;
  };
}

/** SETF8/SETF16: N and Z from the low 8/16 bits as a signed value, V = bit(w) XOR bit(w-1); C unchanged. */
function setf(f: Fields, bits: number): Exec {
  const n = 2 * zr(f.Rn);
  const top = bits - 1;
  const low = (1 << bits) - 1;
  return (c) => {
    const r = c.r;
    const v = r[n];
    r[I_N] = (v >>> top) & 1;
    r[I_Z] = (v & low) === 0 ? 1 : 0;
    r[I_V] = ((v >>> bits) ^ (v >>> top)) & 1;
  };
}

const clz64 = (lo: number, hi: number): number => (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo));

export const DP_REG_EXEC = {
  ADD_sr: (f: Fields) => addSubShifted(f, false, false),
  ADDS_sr: (f: Fields) => addSubShifted(f, false, true),
  SUB_sr: (f: Fields) => addSubShifted(f, true, false),
  SUBS_sr: (f: Fields) => addSubShifted(f, true, true),
  ADD_ext: (f: Fields) => addSubExtended(f, false, false),
  ADDS_ext: (f: Fields) => addSubExtended(f, false, true),
  SUB_ext: (f: Fields) => addSubExtended(f, true, false),
  SUBS_ext: (f: Fields) => addSubExtended(f, true, true),
  AND_sr: (f: Fields) => logicalShifted(f, 'and', false),
  BIC_sr: (f: Fields) => logicalShifted(f, 'and', true),
  ORR_sr: (f: Fields) => logicalShifted(f, 'orr', false),
  ORN_sr: (f: Fields) => logicalShifted(f, 'orr', true),
  EOR_sr: (f: Fields) => logicalShifted(f, 'eor', false),
  EON_sr: (f: Fields) => logicalShifted(f, 'eor', true),
  ANDS_sr: (f: Fields) => logicalShifted(f, 'ands', false),
  BICS_sr: (f: Fields) => logicalShifted(f, 'ands', true),
  ADC: (f: Fields) => addSubCarry(f, false, false),
  ADCS: (f: Fields) => addSubCarry(f, false, true),
  SBC: (f: Fields) => addSubCarry(f, true, false),
  SBCS: (f: Fields) => addSubCarry(f, true, true),
  CCMN_reg: (f: Fields) => condCompare(f, false, false),
  CCMP_reg: (f: Fields) => condCompare(f, true, false),
  CCMN_imm: (f: Fields) => condCompare(f, false, true),
  CCMP_imm: (f: Fields) => condCompare(f, true, true),
  CSEL: (f: Fields) => condSelect(f, 'sel'),
  CSINC: (f: Fields) => condSelect(f, 'inc'),
  CSINV: (f: Fields) => condSelect(f, 'inv'),
  CSNEG: (f: Fields) => condSelect(f, 'neg'),
  RBIT: (f: Fields) => (f.sf ? unary64(f, (_l, h) => rbit32(h), (l) => rbit32(l)) : unary32(f, rbit32)),
  REV16: (f: Fields) => (f.sf ? unary64(f, (l) => rev16x2(l), (_l, h) => rev16x2(h)) : unary32(f, rev16x2)),
  REV_32: (f: Fields) => unary32(f, bswap32),
  REV32: (f: Fields) => unary64(f, (l) => bswap32(l), (_l, h) => bswap32(h)),
  REV_64: (f: Fields) => unary64(f, (_l, h) => bswap32(h), (l) => bswap32(l)),
  CLZ: (f: Fields) => (f.sf ? unary64(f, clz64, () => 0) : unary32(f, Math.clz32)),
  CLS: (f: Fields) => (f.sf ? unary64(f, cls64, () => 0) : unary32(f, cls32)),
  UDIV: (f: Fields) => divide(f, false),
  SDIV: (f: Fields) => divide(f, true),
  LSLV: (f: Fields) => shiftVar(f, 0),
  LSRV: (f: Fields) => shiftVar(f, 1),
  ASRV: (f: Fields) => shiftVar(f, 2),
  RORV: (f: Fields) => shiftVar(f, 3),
  MADD: (f: Fields) => mulAdd(f, false),
  MSUB: (f: Fields) => mulAdd(f, true),
  SMADDL: (f: Fields) => mulAddLong(f, true, false),
  SMSUBL: (f: Fields) => mulAddLong(f, true, true),
  UMADDL: (f: Fields) => mulAddLong(f, false, false),
  UMSUBL: (f: Fields) => mulAddLong(f, false, true),
  SMULH: (f: Fields) => mulHigh(f, true),
  UMULH: (f: Fields) => mulHigh(f, false),
  CRC32: (f: Fields) => crc(f, CRC32_TABLE),
  CRC32C: (f: Fields) => crc(f, CRC32C_TABLE),
  RMIF: rmif,
  SETF8: (f: Fields) => setf(f, 8),
  SETF16: (f: Fields) => setf(f, 16),
};
