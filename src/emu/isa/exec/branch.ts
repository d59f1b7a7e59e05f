// Executors for branches. Taken branches write PC through Cpu.branch (which ends the page); not-taken
// branches fall through to the next slot.
import { zr } from '../../cpu/regs';
import { I_C, I_N, I_V, I_Z } from '../../cpu/regs';
import { FLOW_LOCAL } from '../../cpu/flow';
import type { Cpu } from '../../cpu/cpu';
import { sext, type Fields } from '../pattern';
import { add64, out } from './u64';
import { pcLo, type At, type Exec } from './types';

/** Condition check on the unpacked NZCV flags (ConditionHolds). */
export function condHolds(c: Cpu, cond: number): boolean {
  const r = c.r;
  let res: boolean;
  switch (cond >> 1) {
    case 0: res = r[I_Z] === 1; break;
    case 1: res = r[I_C] === 1; break;
    case 2: res = r[I_N] === 1; break;
    case 3: res = r[I_V] === 1; break;
    case 4: res = r[I_C] === 1 && r[I_Z] === 0; break;
    case 5: res = r[I_N] === r[I_V]; break;
    case 6: res = r[I_N] === r[I_V] && r[I_Z] === 0; break;
    default: return true; // AL and NV both mean always
  }
  return cond & 1 ? !res : res;
}

/** Branch to this instruction's PC + a signed byte offset. */
function jumpRel(c: Cpu, at: At, off: number): void {
  const lo = add64(pcLo(c, at), c.pageVaHi, off, off >> 31, 0);
  c.branch(lo, out.hi);
}

/**
 * A relative jump of the instruction at `at` by `off` bytes. A target within the same 4 KiB page is a slot
 * of the executing page: FLOW_LOCAL with Cpu.jumpSlot, PC written by the run loop only if it leaves.
 */
function jumper(at: At, off: number): Exec {
  const to = at.off + off;
  if (to >= 0 && to < 0x1000) {
    const slot = to >> 2;
    return (c) => {
      c.jumpSlot = slot;
      c.flow = FLOW_LOCAL;
    };
  }
  return (c) => jumpRel(c, at, off);
}

/** B.cond: one executor per condition, each testing the unpacked flags directly (ConditionHolds). */
function condBranch(cond: number, jump: Exec): Exec {
  switch (cond) {
    case 0: return (c) => { if (c.r[I_Z] === 1) jump(c); };
    case 1: return (c) => { if (c.r[I_Z] !== 1) jump(c); };
    case 2: return (c) => { if (c.r[I_C] === 1) jump(c); };
    case 3: return (c) => { if (c.r[I_C] !== 1) jump(c); };
    case 4: return (c) => { if (c.r[I_N] === 1) jump(c); };
    case 5: return (c) => { if (c.r[I_N] !== 1) jump(c); };
    case 6: return (c) => { if (c.r[I_V] === 1) jump(c); };
    case 7: return (c) => { if (c.r[I_V] !== 1) jump(c); };
    case 8: return (c) => { const r = c.r; if (r[I_C] === 1 && r[I_Z] === 0) jump(c); };
    case 9: return (c) => { const r = c.r; if (!(r[I_C] === 1 && r[I_Z] === 0)) jump(c); };
    case 10: return (c) => { const r = c.r; if (r[I_N] === r[I_V]) jump(c); };
    case 11: return (c) => { const r = c.r; if (r[I_N] !== r[I_V]) jump(c); };
    case 12: return (c) => { const r = c.r; if (r[I_N] === r[I_V] && r[I_Z] === 0) jump(c); };
    case 13: return (c) => { const r = c.r; if (!(r[I_N] === r[I_V] && r[I_Z] === 0)) jump(c); };
    default: return jump; // AL and NV both mean always
  }
}

function linkReturn(c: Cpu, at: At): void {
  c.r[60] = add64(pcLo(c, at), c.pageVaHi, 4, 0, 0);
  c.r[61] = out.hi;
}

function compareBranch(f: Fields, at: At, nonzero: boolean): Exec {
  const t = 2 * zr(f.Rt);
  const jump = jumper(at, sext(f.imm19, 19) * 4);
  if (f.sf) {
    if (nonzero) return (c) => { if ((c.r[t] | c.r[t + 1]) !== 0) jump(c); };
    return (c) => { if ((c.r[t] | c.r[t + 1]) === 0) jump(c); };
  }
  if (nonzero) return (c) => { if (c.r[t] !== 0) jump(c); };
  return (c) => { if (c.r[t] === 0) jump(c); };
}

function testBranch(f: Fields, at: At, one: boolean): Exec {
  const bit = (f.b5 << 5) | f.b40;
  const t = 2 * zr(f.Rt) + (bit >= 32 ? 1 : 0);
  const mask = 1 << (bit & 31);
  const jump = jumper(at, sext(f.imm14, 14) * 4);
  if (one) return (c) => { if ((c.r[t] & mask) !== 0) jump(c); };
  return (c) => { if ((c.r[t] & mask) === 0) jump(c); };
}

export const BRANCH_EXEC = {
  B: (f: Fields, at: At): Exec => {
    return jumper(at, sext(f.imm26, 26) * 4);
  },
  BL: (f: Fields, at: At): Exec => {
    const off = sext(f.imm26, 26) * 4;
    return (c) => {
      linkReturn(c, at);
      jumpRel(c, at, off);
    };
  },
  B_cond: (f: Fields, at: At): Exec => {
    const off = sext(f.imm19, 19) * 4;
    return condBranch(f.cond, jumper(at, off));
  },
  CBZ: (f: Fields, at: At) => compareBranch(f, at, false),
  CBNZ: (f: Fields, at: At) => compareBranch(f, at, true),
  TBZ: (f: Fields, at: At) => testBranch(f, at, false),
  TBNZ: (f: Fields, at: At) => testBranch(f, at, true),
  BR: (f: Fields): Exec => {
    const n = 2 * zr(f.Rn);
    return (c) => c.branch(c.r[n], c.r[n + 1]);
  },
  BLR: (f: Fields, at: At): Exec => {
    const n = 2 * zr(f.Rn);
    return (c) => {
      const lo = c.r[n];
      const hi = c.r[n + 1];
      linkReturn(c, at);
      c.branch(lo, hi);
    };
  },
  RET: (f: Fields): Exec => {
    const n = 2 * zr(f.Rn);
    return (c) => c.branch(c.r[n], c.r[n + 1]);
  },
};
