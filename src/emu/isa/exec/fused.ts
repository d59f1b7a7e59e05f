// Fused pairs: a flag-setting compare (CMP/CMN/TST and SUBS/ADDS/ANDS, immediate or unshifted register)
// immediately followed by a B.cond to a target in the same 4 KiB page, executed by one closure in the
// compare's slot. The decode cache builds them (decodeCache.ts decodeSlot) only when the B.cond slot has no
// breakpoint; the B.cond slot keeps its own executor for branches landing on it, and a write to the B.cond
// word resets the compare's slot too. Guest-visible behaviour is that of the two instructions:
// - flags and Rd are written as by the compare (the B.cond only reads them);
// - icount advances by 2 (the executor counts the B.cond, the run loop the compare);
// - when fewer than 2 instructions of budget remain (Cpu.runEnd), the compare runs alone and the loop goes
//   on to the B.cond's own slot (single-step executes the compare only);
// - not taken, the executor sets FLOW_SKIP and the loop resumes after the B.cond; taken, it writes PC and
//   sets FLOW_BRANCH like the B.cond.
// The condition is a 16-bit table indexed by NZCV (N in bit 3): one shift and test, no switch.
import { I_C, I_N, I_PC, I_V, I_Z, SLOT_SP, SLOT_ZR, zr, zrw } from '../../cpu/regs';
import { FLOW_BRANCH, FLOW_SKIP, FLOW_SKIP3 } from '../../cpu/flow';
import type { Cpu } from '../../cpu/cpu';
import { sext, type Fields } from '../pattern';
import { logicalImm, out } from './u64';
import type { Exec } from './types';

/** ConditionHolds(cond) for flags n, z, c, v (0/1). */
function holds(cond: number, n: number, z: number, c: number, v: number): boolean {
  let res: boolean;
  switch (cond >> 1) {
    case 0: res = z === 1; break;
    case 1: res = c === 1; break;
    case 2: res = n === 1; break;
    case 3: res = v === 1; break;
    case 4: res = c === 1 && z === 0; break;
    case 5: res = n === v; break;
    case 6: res = n === v && z === 0; break;
    default: return true;
  }
  return cond & 1 ? !res : res;
}

/** Bit (n<<3 | z<<2 | c<<1 | v) set when cond holds for those flags. */
export function condMask(cond: number): number {
  let m = 0;
  for (let k = 0; k < 16; k++) if (holds(cond, (k >> 3) & 1, (k >> 2) & 1, (k >> 1) & 1, k & 1)) m |= 1 << k;
  return m;
}

/** The compares that fuse, by row id. */
const FUSABLE = new Set(['SUBS_imm', 'ADDS_imm', 'SUBS_sr', 'ADDS_sr', 'ANDS_imm', 'ANDS_sr']);

export function fusable(rowId: string, f: Fields): boolean {
  if (!FUSABLE.has(rowId)) return false;
  // shifted-register forms: only the unshifted operand
  if ((rowId === 'SUBS_sr' || rowId === 'ADDS_sr' || rowId === 'ANDS_sr') && f.imm6 !== 0) return false;
  if (rowId === 'ANDS_sr' && f.shift !== 0) return false;
  return true;
}

/**
 * The fused executor for compare `cf` (row `rowId`, at byte offset `off` in its page) followed by B.cond
 * `bf`, or null when the pair does not fuse (branch target outside the page). `single` is the compare's own
 * executor, run when only one instruction of budget remains.
 */
export function fuseCompareBranch(rowId: string, cf: Fields, bf: Fields, off: number, single: Exec): Exec | null {
  if (!fusable(rowId, cf)) return null;
  const to = off + 4 + sext(bf.imm19, 19) * 4;
  if (to < 0 || to >= 0x1000) return null;
  const mask = condMask(bf.cond);
  if (mask === 0xffff) return null; // AL/NV: leave to the plain pair
  const d = 2 * zrw(cf.Rd);
  const sub = rowId.startsWith('SUBS');
  if (rowId === 'SUBS_imm' || rowId === 'ADDS_imm') {
    const n = 2 * (cf.Rn === 31 ? SLOT_SP : cf.Rn); // Rn = 31 is SP
    const imm = cf.imm12 << (cf.sh ? 12 : 0);
    if (cf.sf) return add64Branch(n, -1, imm, 0, sub, d, mask, to, single);
    return add32Branch(n, -1, imm, sub, d, mask, to, single);
  }
  if (rowId === 'SUBS_sr' || rowId === 'ADDS_sr') {
    const n = 2 * zr(cf.Rn);
    const m = 2 * zr(cf.Rm);
    if (cf.sf) return add64Branch(n, m, 0, 0, sub, d, mask, to, single);
    return add32Branch(n, m, 0, sub, d, mask, to, single);
  }
  const n = 2 * zr(cf.Rn);
  if (rowId === 'ANDS_imm') {
    const iLo = logicalImm(cf.N, cf.imms, cf.immr);
    const iHi = cf.sf ? out.hi : 0;
    return andBranch(n, -1, iLo, iHi, cf.sf, d, mask, to, single);
  }
  // ANDS_sr, LSL #0, N = 0 (BICS has its own row)
  return andBranch(n, 2 * zr(cf.Rm), -1, -1, cf.sf, d, mask, to, single);
}

// In the builders below `m` < 0 means an immediate operand `k` (lo/hi); otherwise register slot m. The
// arithmetic stays in int32/uint32 (no doubles): SUBS computes a - b with C = NOT borrow (a >= b unsigned),
// ADDS a + b with C = the unsigned wrap-around.

function add32Branch(n: number, m: number, kLo: number, sub: boolean, d: number, mask: number, to: number, single: Exec): Exec {
  const rm = m < 0 ? 2 * SLOT_ZR : m; // ZR when immediate: reads 0, so b = 0 | k = the immediate
  if (sub) {
    return (c) => {
      if (c.runEnd - c.icount < 2) {
        single(c);
        return;
      }
      const r = c.r;
      const a = r[n];
      const b = r[rm] | kLo;
      const v = (a - b) | 0;
      r[d] = v;
      r[d + 1] = 0;
      const fn = v >>> 31;
      const fz = v === 0 ? 1 : 0;
      const fc = a >>> 0 >= b >>> 0 ? 1 : 0;
      const fv = (((a ^ b) & (a ^ v)) >>> 31) & 1;
      r[I_N] = fn;
      r[I_Z] = fz;
      r[I_C] = fc;
      r[I_V] = fv;
      c.icount++;
      if ((mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1) {
        r[I_PC] = (c.pageVaLo + to) | 0;
        r[I_PC + 1] = c.pageVaHi;
        c.flow = FLOW_BRANCH;
      } else {
        c.flow = FLOW_SKIP;
      }
    };
  }
  return (c) => {
    if (c.runEnd - c.icount < 2) {
      single(c);
      return;
    }
    const r = c.r;
    const a = r[n];
    const b = r[rm] | kLo;
    const v = (a + b) | 0;
    r[d] = v;
    r[d + 1] = 0;
    const fn = v >>> 31;
    const fz = v === 0 ? 1 : 0;
    const fc = v >>> 0 < a >>> 0 ? 1 : 0;
    const fv = ((~(a ^ b) & (a ^ v)) >>> 31) & 1;
    r[I_N] = fn;
    r[I_Z] = fz;
    r[I_C] = fc;
    r[I_V] = fv;
    c.icount++;
    if ((mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1) {
      r[I_PC] = (c.pageVaLo + to) | 0;
      r[I_PC + 1] = c.pageVaHi;
      c.flow = FLOW_BRANCH;
    } else {
      c.flow = FLOW_SKIP;
    }
  };
}

function add64Branch(n: number, m: number, kLo: number, kHi: number, sub: boolean, d: number, mask: number, to: number, single: Exec): Exec {
  const rm = m < 0 ? 2 * SLOT_ZR : m;
  if (sub) {
    return (c) => {
      if (c.runEnd - c.icount < 2) {
        single(c);
        return;
      }
      const r = c.r;
      const aLo = r[n];
      const aHi = r[n + 1];
      const bLo = r[rm] | kLo;
      const bHi = r[rm + 1] | kHi;
      const borrow = aLo >>> 0 < bLo >>> 0 ? 1 : 0;
      const lo = (aLo - bLo) | 0;
      const hi = (aHi - bHi - borrow) | 0;
      r[d] = lo;
      r[d + 1] = hi;
      const fn = hi >>> 31;
      const fz = (lo | hi) === 0 ? 1 : 0;
      const fc = aHi === bHi ? 1 - borrow : aHi >>> 0 > bHi >>> 0 ? 1 : 0;
      const fv = (((aHi ^ bHi) & (aHi ^ hi)) >>> 31) & 1;
      r[I_N] = fn;
      r[I_Z] = fz;
      r[I_C] = fc;
      r[I_V] = fv;
      c.icount++;
      if ((mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1) {
        r[I_PC] = (c.pageVaLo + to) | 0;
        r[I_PC + 1] = c.pageVaHi;
        c.flow = FLOW_BRANCH;
      } else {
        c.flow = FLOW_SKIP;
      }
    };
  }
  return (c) => {
    if (c.runEnd - c.icount < 2) {
      single(c);
      return;
    }
    const r = c.r;
    const aLo = r[n];
    const aHi = r[n + 1];
    const bLo = r[rm] | kLo;
    const bHi = r[rm + 1] | kHi;
    const lo = (aLo + bLo) | 0;
    const carry = lo >>> 0 < aLo >>> 0 ? 1 : 0;
    const hi = (aHi + bHi + carry) | 0;
    r[d] = lo;
    r[d + 1] = hi;
    const fn = hi >>> 31;
    const fz = (lo | hi) === 0 ? 1 : 0;
    const fc = carry ? (hi >>> 0 <= aHi >>> 0 ? 1 : 0) : hi >>> 0 < aHi >>> 0 ? 1 : 0;
    const fv = ((~(aHi ^ bHi) & (aHi ^ hi)) >>> 31) & 1;
    r[I_N] = fn;
    r[I_Z] = fz;
    r[I_C] = fc;
    r[I_V] = fv;
    c.icount++;
    if ((mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1) {
      r[I_PC] = (c.pageVaLo + to) | 0;
      r[I_PC + 1] = c.pageVaHi;
      c.flow = FLOW_BRANCH;
    } else {
      c.flow = FLOW_SKIP;
    }
  };
}

function andBranch(n: number, m: number, iLo: number, iHi: number, sf: number, d: number, mask: number, to: number, single: Exec): Exec {
  const rm = m < 0 ? 2 * SLOT_ZR : m;
  const oLo = m < 0 ? iLo : 0; // immediate operand = (0 | iLo); register operand = (r[m] | 0) & -1
  const oHi = m < 0 ? iHi : 0;
  const keepHi = sf ? -1 : 0;
  return (c) => {
    if (c.runEnd - c.icount < 2) {
      single(c);
      return;
    }
    const r = c.r;
    const lo = r[n] & (r[rm] | oLo);
    const hi = r[n + 1] & (r[rm + 1] | oHi) & keepHi;
    r[d] = lo;
    r[d + 1] = hi;
    const fn = (sf ? hi : lo) >>> 31;
    const fz = (lo | hi) === 0 ? 1 : 0;
    r[I_N] = fn;
    r[I_Z] = fz;
    r[I_C] = 0;
    r[I_V] = 0;
    c.icount++;
    if ((mask >>> ((fn << 3) | (fz << 2))) & 1) {
      r[I_PC] = (c.pageVaLo + to) | 0;
      r[I_PC + 1] = c.pageVaHi;
      c.flow = FLOW_BRANCH;
    } else {
      c.flow = FLOW_SKIP;
    }
  };
}

// ---- triples: a plain ADD/SUB (immediate or unshifted register) or MOV (register) before a fused pair ----
// The ALU instruction at slot i, the compare at i + 1 and the B.cond at i + 2 run as one executor in slot i
// (the compare's slot keeps its fused pair for branches landing there, the B.cond its own executor). Same
// rules as the pairs: budget < 3 runs the ALU instruction alone; not taken ends with FLOW_SKIP3.

/** The ALU instruction before a pair: r[d] = r[n] + ((r[m] | k) ^ inv) + cin, 32 or 64 bits. */
interface Pre {
  sf: number;
  d: number;
  n: number;
  m: number;
  k: number;
  inv: number;
  cin: number;
}

export function preOp(rowId: string, f: Fields): Pre | null {
  const sub = rowId.startsWith('SUB');
  if (rowId === 'ADD_imm' || rowId === 'SUB_imm') {
    // Rd and Rn = 31 are SP
    return { sf: f.sf, d: 2 * f.Rd, n: 2 * f.Rn, m: 2 * SLOT_ZR, k: f.imm12 << (f.sh ? 12 : 0), inv: sub ? -1 : 0, cin: sub ? 1 : 0 };
  }
  if ((rowId === 'ADD_sr' || rowId === 'SUB_sr') && f.shift === 0 && f.imm6 === 0) {
    return { sf: f.sf, d: 2 * zrw(f.Rd), n: 2 * zr(f.Rn), m: 2 * zr(f.Rm), k: 0, inv: sub ? -1 : 0, cin: sub ? 1 : 0 };
  }
  if (rowId === 'ORR_sr' && f.Rn === 31 && f.shift === 0 && f.imm6 === 0) {
    return { sf: f.sf, d: 2 * zrw(f.Rd), n: 2 * SLOT_ZR, m: 2 * zr(f.Rm), k: 0, inv: 0, cin: 0 };
  }
  return null;
}

function pre32(r: Int32Array, d: number, n: number, m: number, k: number, inv: number, cin: number): void {
  r[d] = (r[n] + ((r[m] | k) ^ inv) + cin) | 0;
  r[d + 1] = 0;
}

function pre64(r: Int32Array, d: number, n: number, m: number, k: number, inv: number, cin: number): void {
  const aLo = r[n];
  const lo = (aLo + ((r[m] | k) ^ inv) + cin) | 0;
  const carry = (cin ? lo >>> 0 <= aLo >>> 0 : lo >>> 0 < aLo >>> 0) ? 1 : 0;
  r[d + 1] = (r[n + 1] + (r[m + 1] ^ inv) + carry) | 0;
  r[d] = lo;
}

function go(c: Cpu, r: Int32Array, taken: number, to: number): void {
  if (taken) {
    r[I_PC] = (c.pageVaLo + to) | 0;
    r[I_PC + 1] = c.pageVaHi;
    c.flow = FLOW_BRANCH;
  } else {
    c.flow = FLOW_SKIP3;
  }
}

function tailSub32(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, to: number): void {
  const a = r[n];
  const b = r[rm] | k;
  const v = (a - b) | 0;
  r[d] = v;
  r[d + 1] = 0;
  const fn = v >>> 31;
  const fz = v === 0 ? 1 : 0;
  const fc = a >>> 0 >= b >>> 0 ? 1 : 0;
  const fv = (((a ^ b) & (a ^ v)) >>> 31) & 1;
  r[I_N] = fn;
  r[I_Z] = fz;
  r[I_C] = fc;
  r[I_V] = fv;
  go(c, r, (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1, to);
}

function tailAdd32(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, to: number): void {
  const a = r[n];
  const b = r[rm] | k;
  const v = (a + b) | 0;
  r[d] = v;
  r[d + 1] = 0;
  const fn = v >>> 31;
  const fz = v === 0 ? 1 : 0;
  const fc = v >>> 0 < a >>> 0 ? 1 : 0;
  const fv = ((~(a ^ b) & (a ^ v)) >>> 31) & 1;
  r[I_N] = fn;
  r[I_Z] = fz;
  r[I_C] = fc;
  r[I_V] = fv;
  go(c, r, (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1, to);
}

function tailSub64(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, to: number): void {
  const aLo = r[n];
  const aHi = r[n + 1];
  const bLo = r[rm] | k;
  const bHi = r[rm + 1];
  const borrow = aLo >>> 0 < bLo >>> 0 ? 1 : 0;
  const lo = (aLo - bLo) | 0;
  const hi = (aHi - bHi - borrow) | 0;
  r[d] = lo;
  r[d + 1] = hi;
  const fn = hi >>> 31;
  const fz = (lo | hi) === 0 ? 1 : 0;
  const fc = aHi === bHi ? 1 - borrow : aHi >>> 0 > bHi >>> 0 ? 1 : 0;
  const fv = (((aHi ^ bHi) & (aHi ^ hi)) >>> 31) & 1;
  r[I_N] = fn;
  r[I_Z] = fz;
  r[I_C] = fc;
  r[I_V] = fv;
  go(c, r, (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1, to);
}

function tailAdd64(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, to: number): void {
  const aLo = r[n];
  const aHi = r[n + 1];
  const bLo = r[rm] | k;
  const bHi = r[rm + 1];
  const lo = (aLo + bLo) | 0;
  const carry = lo >>> 0 < aLo >>> 0 ? 1 : 0;
  const hi = (aHi + bHi + carry) | 0;
  r[d] = lo;
  r[d + 1] = hi;
  const fn = hi >>> 31;
  const fz = (lo | hi) === 0 ? 1 : 0;
  const fc = carry ? (hi >>> 0 <= aHi >>> 0 ? 1 : 0) : hi >>> 0 < aHi >>> 0 ? 1 : 0;
  const fv = ((~(aHi ^ bHi) & (aHi ^ hi)) >>> 31) & 1;
  r[I_N] = fn;
  r[I_Z] = fz;
  r[I_C] = fc;
  r[I_V] = fv;
  go(c, r, (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1, to);
}

/** The compare of a triple: kind, operand slots and constants (as for the pairs). */
interface Cmp {
  kind: 'sub32' | 'add32' | 'sub64' | 'add64';
  n: number;
  rm: number;
  k: number;
  d: number;
}

function cmpOf(rowId: string, cf: Fields): Cmp | null {
  if (!fusable(rowId, cf)) return null;
  const d = 2 * zrw(cf.Rd);
  const w = (rowId.startsWith('SUBS') ? 'sub' : 'add') + (cf.sf ? '64' : '32');
  if (rowId === 'SUBS_imm' || rowId === 'ADDS_imm') {
    return { kind: w as Cmp['kind'], n: 2 * (cf.Rn === 31 ? SLOT_SP : cf.Rn), rm: 2 * SLOT_ZR, k: cf.imm12 << (cf.sh ? 12 : 0), d };
  }
  if (rowId === 'SUBS_sr' || rowId === 'ADDS_sr') return { kind: w as Cmp['kind'], n: 2 * zr(cf.Rn), rm: 2 * zr(cf.Rm), k: 0, d };
  return null; // ANDS/TST: pairs only
}

/**
 * The fused executor for ALU instruction `pf` (row `preRow`, at byte offset `off`), compare `cf` and B.cond
 * `bf` in the next two slots, or null when they do not fuse. `single` is the ALU instruction's own executor.
 */
export function fuseTriple(preRow: string, pf: Fields, cmpRow: string, cf: Fields, bf: Fields, off: number, single: Exec): Exec | null {
  const p = preOp(preRow, pf);
  const q = cmpOf(cmpRow, cf);
  if (p === null || q === null) return null;
  const to = off + 8 + sext(bf.imm19, 19) * 4;
  if (to < 0 || to >= 0x1000) return null;
  const mask = condMask(bf.cond);
  if (mask === 0xffff) return null;
  const { d: pd, n: pn, m: pm, k: pk, inv, cin } = p;
  const { n, rm, k, d } = q;
  if (p.sf) {
    switch (q.kind) {
      case 'sub32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub32(c, r, n, rm, k, d, mask, to); };
      case 'add32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd32(c, r, n, rm, k, d, mask, to); };
      case 'sub64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub64(c, r, n, rm, k, d, mask, to); };
      case 'add64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd64(c, r, n, rm, k, d, mask, to); };
    }
  }
  switch (q.kind) {
    case 'sub32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub32(c, r, n, rm, k, d, mask, to); };
    case 'add32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd32(c, r, n, rm, k, d, mask, to); };
    case 'sub64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub64(c, r, n, rm, k, d, mask, to); };
    case 'add64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd64(c, r, n, rm, k, d, mask, to); };
  }
}
