// Fused groups: a flag-setting compare (CMP/CMN/TST and SUBS/ADDS/ANDS, immediate or unshifted register)
// immediately followed by a B.cond to a target in the same 4 KiB page (a pair), optionally after one or two
// plain ADD/SUB (immediate or unshifted register) or MOV (register) (a triple or quad; not after TST/ANDS),
// executed by one closure in the group's first slot. The decode cache builds them (decodeCache.ts fuse) only
// when no later slot of the group has a breakpoint; every later slot keeps its own executor for branches
// landing on it, and a write to any word of a group resets its first slot too. Guest-visible behaviour is
// that of the separate instructions:
// - registers and flags are written as by each instruction in turn (the B.cond only reads the flags);
// - icount advances by the group's length (the executor counts all but one, the run loop the last);
// - when less budget remains than the group's length (Cpu.runEnd), the first instruction runs alone and the
//   loop goes on to the next slot's own executor (single-step executes one instruction);
// - the executor ends with FLOW_LOCAL and Cpu.jumpSlot: the B.cond's target when taken, the slot after
//   the B.cond when not (a group never ends on the page's last slot, so that slot exists).
// The condition is a 16-bit table indexed by NZCV (N in bit 3): one shift and test, no switch.
import { I_C, I_N, I_V, I_Z, SLOT_SP, SLOT_ZR, zr, zrw } from '../../cpu/regs';
import { FLOW_LOCAL } from '../../cpu/flow';
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
  const q = cmpOf(rowId, cf);
  if (q === null) return null;
  const to = off + 4 + sext(bf.imm19, 19) * 4;
  if (to < 0 || to >= 0x1000 || off + 8 >= 0x1000) return null;
  const mask = condMask(bf.cond);
  if (mask === 0xffff) return null; // AL/NV: leave to the plain pair
  const { n, rm, k, kHi, d, sf } = q;
  const ts = to >> 2;
  const ns = (off >> 2) + 2;
  switch (q.kind) {
    case 'sub32': return (c) => { if (c.runEnd - c.icount < 2) { single(c); return; } c.icount++; tailSub32(c, c.r, n, rm, k, d, mask, ts, ns); };
    case 'add32': return (c) => { if (c.runEnd - c.icount < 2) { single(c); return; } c.icount++; tailAdd32(c, c.r, n, rm, k, d, mask, ts, ns); };
    case 'sub64': return (c) => { if (c.runEnd - c.icount < 2) { single(c); return; } c.icount++; tailSub64(c, c.r, n, rm, k, d, mask, ts, ns); };
    case 'add64': return (c) => { if (c.runEnd - c.icount < 2) { single(c); return; } c.icount++; tailAdd64(c, c.r, n, rm, k, d, mask, ts, ns); };
    case 'and': return (c) => { if (c.runEnd - c.icount < 2) { single(c); return; } c.icount++; tailAnd(c, c.r, n, rm, k, kHi, sf, d, mask, ts, ns); };
  }
}

// ---- the compare and branch of every group ---------------------------------------------------------------

/** The compare of a group: kind, operand slots and constants. `rm` is ZR for an immediate `k` (kHi: ANDS). */
interface Cmp {
  kind: 'sub32' | 'add32' | 'sub64' | 'add64' | 'and';
  sf: number;
  n: number;
  rm: number;
  k: number;
  kHi: number;
  d: number;
}

function cmpOf(rowId: string, cf: Fields): Cmp | null {
  if (!fusable(rowId, cf)) return null;
  const d = 2 * zrw(cf.Rd);
  const sf = cf.sf;
  const w = ((rowId.startsWith('SUBS') ? 'sub' : 'add') + (sf ? '64' : '32')) as Cmp['kind'];
  if (rowId === 'SUBS_imm' || rowId === 'ADDS_imm') {
    // Rn = 31 is SP
    return { kind: w, sf, n: 2 * (cf.Rn === 31 ? SLOT_SP : cf.Rn), rm: 2 * SLOT_ZR, k: cf.imm12 << (cf.sh ? 12 : 0), kHi: 0, d };
  }
  if (rowId === 'SUBS_sr' || rowId === 'ADDS_sr') return { kind: w, sf, n: 2 * zr(cf.Rn), rm: 2 * zr(cf.Rm), k: 0, kHi: 0, d };
  if (rowId === 'ANDS_imm') {
    const iLo = logicalImm(cf.N, cf.imms, cf.immr);
    return { kind: 'and', sf, n: 2 * zr(cf.Rn), rm: 2 * SLOT_ZR, k: iLo, kHi: sf ? out.hi : 0, d };
  }
  // ANDS_sr, LSL #0 (BICS has its own row)
  return { kind: 'and', sf, n: 2 * zr(cf.Rn), rm: 2 * zr(cf.Rm), k: 0, kHi: 0, d };
}

// The tails: flags (and Rd) of the compare, then the branch as FLOW_LOCAL to slot ts (taken) or ns. Small
// top-level functions: V8 inlines them into each group's closure. The arithmetic stays in int32/uint32 (no
// doubles): SUBS computes a - b with C = NOT borrow (a >= b unsigned), ADDS a + b with C = the wrap-around.

function tailSub32(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, ts: number, ns: number): void {
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
  c.jumpSlot = (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1 ? ts : ns;
  c.flow = FLOW_LOCAL;
}

function tailAdd32(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, ts: number, ns: number): void {
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
  c.jumpSlot = (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1 ? ts : ns;
  c.flow = FLOW_LOCAL;
}

function tailSub64(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, ts: number, ns: number): void {
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
  c.jumpSlot = (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1 ? ts : ns;
  c.flow = FLOW_LOCAL;
}

function tailAdd64(c: Cpu, r: Int32Array, n: number, rm: number, k: number, d: number, mask: number, ts: number, ns: number): void {
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
  c.jumpSlot = (mask >>> ((fn << 3) | (fz << 2) | (fc << 1) | fv)) & 1 ? ts : ns;
  c.flow = FLOW_LOCAL;
}

function tailAnd(c: Cpu, r: Int32Array, n: number, rm: number, k: number, kHi: number, sf: number, d: number, mask: number, ts: number, ns: number): void {
  const lo = r[n] & (r[rm] | k);
  const hi = sf ? r[n + 1] & (r[rm + 1] | kHi) : 0;
  r[d] = lo;
  r[d + 1] = hi;
  const fn = (sf ? hi : lo) >>> 31;
  const fz = (lo | hi) === 0 ? 1 : 0;
  r[I_N] = fn;
  r[I_Z] = fz;
  r[I_C] = 0;
  r[I_V] = 0;
  c.jumpSlot = (mask >>> ((fn << 3) | (fz << 2))) & 1 ? ts : ns;
  c.flow = FLOW_LOCAL;
}

// ---- triples and quads: plain ADD/SUB (immediate or unshifted register) or MOV (register) before a pair --
// One or two ALU instructions at slot i (and i + 1), then the compare and the B.cond, run as one executor in
// slot i (every later slot keeps its own executor, itself a smaller group, for branches landing there). Same
// rules as the pairs: less budget than the group runs the first ALU instruction alone.

/** An ALU instruction before a pair: r[d] = r[n] + ((r[m] | k) ^ inv) + cin, 32 or 64 bits. */
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

function preAny(r: Int32Array, sf: number, d: number, n: number, m: number, k: number, inv: number, cin: number): void {
  if (sf) pre64(r, d, n, m, k, inv, cin);
  else pre32(r, d, n, m, k, inv, cin);
}

/**
 * The fused executor for ALU instruction `pf` (row `preRow`, at byte offset `off`), compare `cf` and B.cond
 * `bf` in the next two slots, or null when they do not fuse. `single` is the ALU instruction's own executor.
 */
export function fuseTriple(preRow: string, pf: Fields, cmpRow: string, cf: Fields, bf: Fields, off: number, single: Exec): Exec | null {
  const p = preOp(preRow, pf);
  const q = cmpOf(cmpRow, cf);
  if (p === null || q === null || q.kind === 'and') return null;
  const to = off + 8 + sext(bf.imm19, 19) * 4;
  if (to < 0 || to >= 0x1000 || off + 12 >= 0x1000) return null;
  const mask = condMask(bf.cond);
  if (mask === 0xffff) return null;
  const { d: pd, n: pn, m: pm, k: pk, inv, cin } = p;
  const { n, rm, k, d } = q;
  const ts = to >> 2;
  const ns = (off >> 2) + 3;
  if (p.sf) {
    switch (q.kind) {
      case 'sub32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub32(c, r, n, rm, k, d, mask, ts, ns); };
      case 'add32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd32(c, r, n, rm, k, d, mask, ts, ns); };
      case 'sub64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub64(c, r, n, rm, k, d, mask, ts, ns); };
      case 'add64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre64(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd64(c, r, n, rm, k, d, mask, ts, ns); };
    }
  }
  switch (q.kind) {
    case 'sub32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub32(c, r, n, rm, k, d, mask, ts, ns); };
    case 'add32': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd32(c, r, n, rm, k, d, mask, ts, ns); };
    case 'sub64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailSub64(c, r, n, rm, k, d, mask, ts, ns); };
    case 'add64': return (c) => { if (c.runEnd - c.icount < 3) { single(c); return; } const r = c.r; pre32(r, pd, pn, pm, pk, inv, cin); c.icount += 2; tailAdd64(c, r, n, rm, k, d, mask, ts, ns); };
  }
  return null;
}

/** Two ALU instructions (`af` at byte offset `off`, then `pf`), a compare and a B.cond: one executor. */
export function fuseQuad(aRow: string, af: Fields, preRow: string, pf: Fields, cmpRow: string, cf: Fields, bf: Fields, off: number, single: Exec): Exec | null {
  const a = preOp(aRow, af);
  const p = preOp(preRow, pf);
  const q = cmpOf(cmpRow, cf);
  if (a === null || p === null || q === null || q.kind === 'and') return null;
  const to = off + 12 + sext(bf.imm19, 19) * 4;
  if (to < 0 || to >= 0x1000 || off + 16 >= 0x1000) return null;
  const mask = condMask(bf.cond);
  if (mask === 0xffff) return null;
  const { sf: asf, d: ad, n: an, m: am, k: ak, inv: ainv, cin: acin } = a;
  const { sf: psf, d: pd, n: pn, m: pm, k: pk, inv, cin } = p;
  const { n, rm, k, d } = q;
  const ts = to >> 2;
  const ns = (off >> 2) + 4;
  switch (q.kind) {
    case 'sub32': return (c) => { if (c.runEnd - c.icount < 4) { single(c); return; } const r = c.r; preAny(r, asf, ad, an, am, ak, ainv, acin); preAny(r, psf, pd, pn, pm, pk, inv, cin); c.icount += 3; tailSub32(c, r, n, rm, k, d, mask, ts, ns); };
    case 'add32': return (c) => { if (c.runEnd - c.icount < 4) { single(c); return; } const r = c.r; preAny(r, asf, ad, an, am, ak, ainv, acin); preAny(r, psf, pd, pn, pm, pk, inv, cin); c.icount += 3; tailAdd32(c, r, n, rm, k, d, mask, ts, ns); };
    case 'sub64': return (c) => { if (c.runEnd - c.icount < 4) { single(c); return; } const r = c.r; preAny(r, asf, ad, an, am, ak, ainv, acin); preAny(r, psf, pd, pn, pm, pk, inv, cin); c.icount += 3; tailSub64(c, r, n, rm, k, d, mask, ts, ns); };
    case 'add64': return (c) => { if (c.runEnd - c.icount < 4) { single(c); return; } const r = c.r; preAny(r, asf, ad, an, am, ak, ainv, acin); preAny(r, psf, pd, pn, pm, pk, inv, cin); c.icount += 3; tailAdd64(c, r, n, rm, k, d, mask, ts, ns); };
  }
  return null;
}
