// Executors for data processing (immediate).
import { SLOT_SP, zrw } from '../../cpu/regs';
import { sext, type Fields } from '../pattern';
import { add32, add64, out } from './u64';
import { pcLo, type At, type Exec } from './types';
import { I_C, I_N, I_V, I_Z } from '../../cpu/regs';
import type { Cpu } from '../../cpu/cpu';

function setFlags(c: Cpu): void {
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
        const lo = add64(r[n], r[n + 1], bLo, bHi, cin);
        r[d] = lo;
        r[d + 1] = out.hi;
        setFlags(c);
      };
    }
    return (c) => {
      const r = c.r;
      r[d] = add64(r[n], r[n + 1], bLo, bHi, cin);
      r[d + 1] = out.hi;
    };
  }
  if (setflags) {
    return (c) => {
      const r = c.r;
      r[d] = add32(r[n], bLo, cin);
      r[d + 1] = 0;
      setFlags(c);
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
      c.r[d] = add64(pcLo(c, at), c.pageVaHi, off, off >> 31, 0);
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
      c.r[d] = add64(c.pageVaLo, c.pageVaHi, offLo, offHi, 0);
      c.r[d + 1] = out.hi;
    };
  },
};
