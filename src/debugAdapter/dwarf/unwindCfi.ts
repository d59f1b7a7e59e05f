// Call-stack unwinding by DWARF CFI (.debug_frame / .eh_frame through frames.ts): each frame's CFA from
// its row's rule, the caller's registers from the register rules (saved at CFA+N, in another register,
// by expression), the caller's SP = the CFA and its PC = the return-address column (X30). Works through
// functions that keep no frame record (-O2 -fomit-frame-pointer leaves). A register without a rule keeps
// its value in the caller, as GDB treats unspecified registers: the AAPCS64 would let a callee clobber
// X0-X18, but GCC's interprocedural register allocation (-fipa-ra, on at -O2) keeps a caller's value in
// such a register across a call it knows leaves it alone, and its location lists then say so.
//
// Where no FDE covers a frame's PC (hand-written assembly, an exception vector, firmware), the walk goes on
// by the AAPCS64 frame-record chain from that frame's X29, as the frame-pointer unwinder (unwind.ts) does;
// frames found that way carry no registers. A caller's PC is looked up as PC-1 (inside the call, not after
// it), except in the first frame.

import type { DebugInfo } from './debugInfo';
import { evalValue, type ExprContext } from './location';

export interface UnwoundFrame {
  pc: bigint;
  /** X0..X30 and SP (index 31) as this frame sees them; undefined = not known. */
  regs: (bigint | undefined)[];
  /** This frame's canonical frame address (its caller's SP at the call), when CFI gives it. */
  cfa?: bigint;
  how: 'pc' | 'cfi' | 'frame-record';
  /** The interrupted code of an exception (PC = ELR): a frame looked up at PC itself, without registers. */
  exception?: boolean;
}

export type ReadU64 = (address: bigint) => Promise<bigint | undefined>;

/** CFI of frame 0 exists at pc (else the caller falls back to the target's own unwinder). */
export function hasCfi(di: DebugInfo, pc: bigint): boolean {
  return di.cfiAt(pc) !== undefined;
}

export async function unwindCfi(di: DebugInfo, regs0: (bigint | undefined)[], pc0: bigint, read: ReadU64, maxFrames: number): Promise<UnwoundFrame[]> {
  const frames: UnwoundFrame[] = [{ pc: pc0, regs: regs0, how: 'pc' }];
  while (frames.length < maxFrames) {
    const f = frames[frames.length - 1]!;
    const lookup = f.how === 'pc' ? f.pc : f.pc - 1n;
    const row = f.how === 'frame-record' ? undefined : di.cfiAt(lookup);
    if (!row) {
      await followRecords(frames, read, maxFrames);
      break;
    }
    const reg = (n: number): bigint | undefined => f.regs[n];
    let cfa: bigint | undefined;
    if (row.cfa.k === 'reg') {
      const base = reg(row.cfa.reg);
      cfa = base === undefined ? undefined : BigInt.asUintN(64, base + BigInt(row.cfa.offset));
    } else {
      cfa = await evalValue(row.cfa.expr, exprContext(f.regs, read));
    }
    if (cfa === undefined) break;
    f.cfa = cfa;
    const caller: (bigint | undefined)[] = [];
    for (let n = 0; n <= 30; n++) {
      const rule = row.regs.get(n);
      if (!rule) {
        caller[n] = reg(n);
        continue;
      }
      switch (rule.k) {
        case 'undefined': caller[n] = undefined; break;
        case 'same': caller[n] = reg(n); break;
        case 'offset': caller[n] = await read(BigInt.asUintN(64, cfa + BigInt(rule.n))); break;
        case 'val_offset': caller[n] = BigInt.asUintN(64, cfa + BigInt(rule.n)); break;
        case 'register': caller[n] = reg(rule.reg); break;
        case 'expression': {
          const a = await evalValue(rule.expr, { ...exprContext(f.regs, read), initial: [cfa] });
          caller[n] = a === undefined ? undefined : await read(a);
          break;
        }
        case 'val_expression': caller[n] = await evalValue(rule.expr, { ...exprContext(f.regs, read), initial: [cfa] }); break;
      }
    }
    caller[31] = cfa;
    const ra = caller[30];
    if (ra === undefined || ra === 0n) break;
    // A frame that does not move (same PC and SP) would loop forever.
    if (ra === f.pc && cfa === f.regs[31]) break;
    frames.push({ pc: ra, regs: caller, how: 'cfi' });
  }
  return frames;
}

/** Appends frames from the frame-record chain starting at the last frame's X29. */
async function followRecords(frames: UnwoundFrame[], read: ReadU64, maxFrames: number): Promise<void> {
  const last = frames[frames.length - 1]!;
  let fp = last.regs[29];
  let floor = last.regs[31] ?? 0n;
  while (fp !== undefined && frames.length < maxFrames) {
    if (fp === 0n || (fp & 7n) !== 0n || fp < floor) return;
    const callerFp = await read(fp);
    const ra = await read(fp + 8n);
    if (callerFp === undefined || ra === undefined || ra === 0n) return;
    const regs: (bigint | undefined)[] = [];
    regs[29] = callerFp;
    regs[31] = fp + 16n;
    frames.push({ pc: ra, regs, how: 'frame-record' });
    floor = fp + 1n;
    fp = callerFp;
  }
}

function exprContext(regs: (bigint | undefined)[], read: ReadU64): ExprContext {
  return {
    reg: (n) => regs[n],
    read: async (a, size) => {
      const v = await read(a);
      return v === undefined ? undefined : size >= 8 ? v : v & ((1n << BigInt(size * 8)) - 1n);
    },
  };
}
