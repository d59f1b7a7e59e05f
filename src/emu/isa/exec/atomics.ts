// Executors for the exclusive, ordered, RCpc and LSE atomic loads and stores (rows/atomics.ts). One CPU
// runs at a time and every access is done whole, so the acquire/release orderings need nothing more; an
// atomic read-modify-write is a read then a write with nothing in between. As everywhere, all memory
// accesses happen before any register is written, so a fault leaves the registers unchanged.
//
// Alignment: these accesses must be aligned to their size (pairs: to the size of the pair) whatever
// SCTLR_ELx.A says; we do not implement FEAT_LSE2, so ordered and atomic accesses fault too. The check
// comes before any access: data abort, alignment fault (Cpu.alignmentFault).
//
// Choices made here:
// - CONSTRAINED UNPREDICTABLE (STXR/STXP with Rs == Rt, Rt2 or Rn, Rn != 31): the store uses the registers'
//   values before the instruction and the status is written last (the store happens; the status register
//   gets 0/1), as QEMU does.
// - CONSTRAINED UNPREDICTABLE (LDXP/LDAXP with Rt == Rt2): Rt then Rt2 is written, so the register holds
//   the second element (the higher address), as QEMU does (Constraint_UNKNOWN for the value).
// - Alignment faults of LSE read-modify-write atomics, SWP and CAS/CASP report WnR = 1 (the Arm ARM lets
//   atomic instructions report either; their write is the access that needs write permission).
// - A CAS whose comparison fails does not write memory and, with no MMU yet, needs no write permission.
import type { Cpu } from '../../cpu/cpu';
import { zr, zrw } from '../../cpu/regs';
import { sext, type Fields } from '../pattern';
import type { Exec } from './types';

/** High word of the last address computed by addr(). */
let aHi = 0;

/** Address (Rn|SP) + a sign-extended 32-bit offset: the low word returned, the high one in aHi. */
function addr(r: Int32Array, n: number, off: number): number {
  const lo = r[n];
  const hi = r[n + 1];
  if (off === 0) {
    aHi = hi;
    return lo;
  }
  const s = (lo >>> 0) + (off >>> 0);
  aHi = (hi + (off >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

/** Zero-extended load of 1 << lg bytes into c.ldLo/c.ldHi. */
function load(c: Cpu, lg: number, lo: number, hi: number): void {
  if (lg === 3) return c.read64(lo, hi);
  c.ldLo = lg === 0 ? c.read8(lo, hi) : lg === 1 ? c.read16(lo, hi) : c.read32(lo, hi);
  c.ldHi = 0;
}

function store(c: Cpu, lg: number, lo: number, hi: number, vLo: number, vHi: number): void {
  if (lg === 3) c.write64(lo, hi, vLo, vHi);
  else if (lg === 2) c.write32(lo, hi, vLo);
  else if (lg === 1) c.write16(lo, hi, vLo);
  else c.write8(lo, hi, vLo);
}

/** Physical address of an access already made (the monitor tags physical addresses). */
const pa = (c: Cpu, lo: number, hi: number): number => c.translate(lo, hi, false, false);

// ---- exclusives ------------------------------------------------------------------------------------

/** LDXR/LDAXR (lg = log2 size) and LDXP/LDAXP (pair: two elements of 1 << lg bytes). */
function ldxr(f: Fields, lg: number, pair: boolean): Exec {
  const n = 2 * f.Rn;
  const t = 2 * zrw(f.Rt);
  const t2 = pair ? 2 * zrw(f.Rt2) : 0;
  const bytes = 1 << lg;
  const total = pair ? 2 * bytes : bytes;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, 0);
    const hi = aHi;
    if (lo & (total - 1)) c.alignmentFault(lo, hi, false);
    load(c, lg, lo, hi);
    const aLo = c.ldLo;
    const aHi_ = c.ldHi;
    let bLo = 0;
    let bHi = 0;
    if (pair) {
      load(c, lg, (lo + bytes) | 0, hi);
      bLo = c.ldLo;
      bHi = c.ldHi;
    }
    c.monitor.mark(pa(c, lo, hi), total);
    r[t] = aLo;
    r[t + 1] = aHi_;
    if (pair) {
      r[t2] = bLo;
      r[t2 + 1] = bHi;
    }
  };
}

/** STXR/STLXR and STXP/STLXP: store when the monitor holds (address, size); Ws = 0 on success, 1 on failure. */
function stxr(f: Fields, lg: number, pair: boolean): Exec {
  const n = 2 * f.Rn;
  const s = 2 * zrw(f.Rs);
  const t = 2 * zr(f.Rt);
  const t2 = pair ? 2 * zr(f.Rt2) : 0;
  const bytes = 1 << lg;
  const total = pair ? 2 * bytes : bytes;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, 0);
    const hi = aHi;
    if (lo & (total - 1)) c.alignmentFault(lo, hi, true);
    const vLo = r[t];
    const vHi = r[t + 1];
    const wLo = r[t2];
    const wHi = r[t2 + 1];
    let status = 1;
    // watchpoints first: a hit stops before the instruction, which must not have consumed the
    // reservation (cpu/watchpoints.ts)
    if (c.watch !== null) c.watch.check(c, lo, hi, total, true);
    if (c.monitor.check(c.translate(lo, hi, true, false), total)) {
      store(c, lg, lo, hi, vLo, vHi);
      if (pair) store(c, lg, (lo + bytes) | 0, hi, wLo, wHi);
      status = 0;
    }
    r[s] = status;
    r[s + 1] = 0;
  };
}

// ---- ordered and RCpc ------------------------------------------------------------------------------

/** LDAR, LDLAR, LDAPR, LDAPUR, LDAPURS*: `signed` is the width sign-extended to (32 or 64), or 0. */
function ldOrdered(f: Fields, lg: number, off: number, signed: 0 | 32 | 64): Exec {
  const n = 2 * f.Rn;
  const t = 2 * zrw(f.Rt);
  const bytes = 1 << lg;
  const sh = 32 - 8 * bytes;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, off);
    const hi = aHi;
    if (lo & (bytes - 1)) c.alignmentFault(lo, hi, false);
    load(c, lg, lo, hi);
    let vLo = c.ldLo;
    let vHi = c.ldHi;
    if (signed) {
      vLo = sh ? (vLo << sh) >> sh : vLo;
      vHi = signed === 64 ? vLo >> 31 : 0;
    }
    r[t] = vLo;
    r[t + 1] = vHi;
  };
}

/** STLR, STLLR, STLUR. */
function stOrdered(f: Fields, lg: number, off: number): Exec {
  const n = 2 * f.Rn;
  const t = 2 * zr(f.Rt);
  const bytes = 1 << lg;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, off);
    const hi = aHi;
    if (lo & (bytes - 1)) c.alignmentFault(lo, hi, true);
    store(c, lg, lo, hi, r[t], r[t + 1]);
  };
}

// ---- LSE -------------------------------------------------------------------------------------------

/** New value (lo returned, hi in opHi) from the old memory value (a) and the register operand (b). */
type Op = (aLo: number, aHi: number, bLo: number, bHi: number) => number;
let opHi = 0;

const ADD: Op = (aLo, aHi_, bLo, bHi) => {
  const s = (aLo >>> 0) + (bLo >>> 0);
  opHi = (aHi_ + bHi + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
};
const CLR: Op = (aLo, aHi_, bLo, bHi) => {
  opHi = aHi_ & ~bHi;
  return aLo & ~bLo;
};
const EOR: Op = (aLo, aHi_, bLo, bHi) => {
  opHi = aHi_ ^ bHi;
  return aLo ^ bLo;
};
const SET: Op = (aLo, aHi_, bLo, bHi) => {
  opHi = aHi_ | bHi;
  return aLo | bLo;
};
const SWP: Op = (_aLo, _aHi, bLo, bHi) => {
  opHi = bHi;
  return bLo;
};

/** Is a < b, for values of 1 << lg bytes held zero-extended in (lo, hi)? */
function less(lg: number, signed: boolean, aLo: number, aHi_: number, bLo: number, bHi: number): boolean {
  if (lg === 3) {
    if (aHi_ !== bHi) return signed ? aHi_ < bHi : aHi_ >>> 0 < bHi >>> 0;
    return aLo >>> 0 < bLo >>> 0;
  }
  if (!signed) return aLo >>> 0 < bLo >>> 0;
  const sh = 32 - (8 << lg);
  return (aLo << sh) >> sh < (bLo << sh) >> sh;
}

function minMax(lg: number, signed: boolean, max: boolean): Op {
  return (aLo, aHi_, bLo, bHi) => {
    const takeB = less(lg, signed, aLo, aHi_, bLo, bHi) === max;
    opHi = takeB ? bHi : aHi_;
    return takeB ? bLo : aLo;
  };
}

/** Size of the access and value mask of the register operand (B/H/W: its low bits). */
const LOW = [0xff, 0xffff, -1, -1];

/** LD<op>, ST<op> (the Rt = 31 alias is the same instruction) and SWP. */
function rmw(f: Fields, op: Op): Exec {
  const lg = f.size;
  const n = 2 * f.Rn;
  const s = 2 * zr(f.Rs);
  const t = 2 * zrw(f.Rt);
  const bytes = 1 << lg;
  const mask = LOW[lg];
  const x = lg === 3;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, 0);
    const hi = aHi;
    if (lo & (bytes - 1)) c.alignmentFault(lo, hi, true);
    const bLo = r[s] & mask;
    const bHi = x ? r[s + 1] : 0;
    load(c, lg, lo, hi);
    const oLo = c.ldLo;
    const oHi = c.ldHi;
    const nLo = op(oLo, oHi, bLo, bHi);
    store(c, lg, lo, hi, nLo, opHi);
    r[t] = oLo;
    r[t + 1] = oHi;
  };
}

function lse(opFor: (lg: number) => Op) {
  return (f: Fields): Exec => rmw(f, opFor(f.size));
}

/** CAS: compare Rs with memory, store Rt when equal; Rs gets the old value. */
function cas(f: Fields): Exec {
  const lg = f.size;
  const n = 2 * f.Rn;
  const sr = 2 * zr(f.Rs);
  const sw = 2 * zrw(f.Rs);
  const t = 2 * zr(f.Rt);
  const bytes = 1 << lg;
  const mask = LOW[lg];
  const x = lg === 3;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, 0);
    const hi = aHi;
    if (lo & (bytes - 1)) c.alignmentFault(lo, hi, true);
    const cLo = r[sr] & mask;
    const cHi = x ? r[sr + 1] : 0;
    load(c, lg, lo, hi);
    const oLo = c.ldLo;
    const oHi = c.ldHi;
    if (oLo === cLo && oHi === cHi) store(c, lg, lo, hi, r[t], r[t + 1]);
    r[sw] = oLo;
    r[sw + 1] = oHi;
  };
}

/** CASP: pairs (Rs, Rs+1) and (Rt, Rt+1) of W or X registers; Rs and Rt even (the row UNDEFs odd ones). */
function casp(f: Fields): Exec {
  const lg = 2 + f.sz;
  const x = f.sz === 1;
  const n = 2 * f.Rn;
  const s0r = 2 * zr(f.Rs);
  const s1r = 2 * zr(f.Rs + 1);
  const s0w = 2 * zrw(f.Rs);
  const s1w = 2 * zrw(f.Rs + 1);
  const t0 = 2 * zr(f.Rt);
  const t1 = 2 * zr(f.Rt + 1);
  const bytes = 1 << lg;
  return (c) => {
    const r = c.r;
    const lo = addr(r, n, 0);
    const hi = aHi;
    if (lo & (2 * bytes - 1)) c.alignmentFault(lo, hi, true);
    const lo2 = (lo + bytes) | 0;
    load(c, lg, lo, hi);
    const aLo = c.ldLo;
    const aH = c.ldHi;
    load(c, lg, lo2, hi);
    const bLo = c.ldLo;
    const bH = c.ldHi;
    const eq = aLo === r[s0r] && bLo === r[s1r] && (!x || (aH === r[s0r + 1] && bH === r[s1r + 1]));
    if (eq) {
      store(c, lg, lo, hi, r[t0], r[t0 + 1]);
      store(c, lg, lo2, hi, r[t1], r[t1 + 1]);
    }
    r[s0w] = aLo;
    r[s0w + 1] = aH;
    r[s1w] = bLo;
    r[s1w + 1] = bH;
  };
}

const k = <T>(v: T) => (): T => v;
const lgOf = (f: Fields): number => f.size;

export const ATOMIC_EXEC = {
  STXR: (f: Fields) => stxr(f, lgOf(f), false),
  LDXR: (f: Fields) => ldxr(f, lgOf(f), false),
  STXP: (f: Fields) => stxr(f, 2 + f.sf, true),
  LDXP: (f: Fields) => ldxr(f, 2 + f.sf, true),
  STLR: (f: Fields) => stOrdered(f, lgOf(f), 0),
  STLLR: (f: Fields) => stOrdered(f, lgOf(f), 0),
  LDAR: (f: Fields) => ldOrdered(f, lgOf(f), 0, 0),
  LDLAR: (f: Fields) => ldOrdered(f, lgOf(f), 0, 0),
  CAS: cas,
  CASP: casp,
  LDADD: lse(k(ADD)),
  LDCLR: lse(k(CLR)),
  LDEOR: lse(k(EOR)),
  LDSET: lse(k(SET)),
  LDSMAX: lse((lg) => minMax(lg, true, true)),
  LDSMIN: lse((lg) => minMax(lg, true, false)),
  LDUMAX: lse((lg) => minMax(lg, false, true)),
  LDUMIN: lse((lg) => minMax(lg, false, false)),
  SWP: lse(k(SWP)),
  LDAPR: (f: Fields) => ldOrdered(f, lgOf(f), 0, 0),
  STLUR: (f: Fields) => stOrdered(f, lgOf(f), sext(f.imm9, 9)),
  LDAPUR: (f: Fields) => ldOrdered(f, lgOf(f), sext(f.imm9, 9), 0),
  LDAPURS_X: (f: Fields) => ldOrdered(f, lgOf(f), sext(f.imm9, 9), 64),
  LDAPURS_W: (f: Fields) => ldOrdered(f, lgOf(f), sext(f.imm9, 9), 32),
};
