// Call-stack unwinding by the AAPCS64 frame-pointer chain. Until we read DWARF CFI this is the whole
// unwinder: a frame record is two words at x29, [x29] = the caller's x29 and [x29+8] = the return address,
// and each function's prologue (`stp x29, x30, [sp, #-N]!; mov x29, sp`) links a new record into the chain.
//
// Windows where the chain does not describe the current function yet (or any more):
//  - PC at a function's first instruction (before the `stp`), or right after `stp x29, x30, [sp, #-N]!`
//    but before `mov x29, sp`: x29 still is the caller's frame, and the return address is in LR (x30).
//  - PC at a `ret` (after the epilogue's `ldp x29, x30, …`): same, x29 is the caller's and LR is live.
// In those windows frame 1 comes from LR and x29; afterwards the walk follows the records.
//
// The walk stops at a null frame pointer or return address, unreadable memory, a frame pointer that does
// not increase (the stack grows down, so callers' records lie higher), a misaligned frame pointer, or the
// depth limit. Code built with -fomit-frame-pointer gives short or wrong stacks; that is the price of
// having no CFI yet.

import type { TargetFrame, TargetRegisters } from './debugTarget';
import { formatSymbolOffset } from './format';
import { u32le, u64le } from './memory';

export interface UnwindMemory {
  /** Reads bytes without side effects; null for unreadable ones. */
  read(address: bigint, length: number): (number | null)[];
  /** Symbol covering an address: its name, start address and the offset into it. */
  symbolize(address: bigint): { name: string; start: bigint; offset: bigint } | undefined;
}

/** `stp x29, x30, [sp, #imm]!` (64-bit, pre-index), any imm. */
export function isFrameRecordPush(w: number): boolean {
  return ((w & 0xffc07fff) >>> 0) === 0xa9807bfd;
}

/** The byte offset of `stp x29, x30, [sp, #imm]!` (negative: the frame size). */
export function framePushOffset(w: number): number {
  const imm7 = (w >>> 15) & 0x7f;
  return (imm7 & 0x40 ? imm7 - 0x80 : imm7) * 8;
}

/** `mov x29, sp` (add x29, sp, #0). */
export const MOV_X29_SP = 0x910003fd;
/** `ret` (ret x30). */
export const RET = 0xd65f03c0;

export function isBl(w: number): boolean {
  return ((w & 0xfc000000) >>> 0) === 0x94000000;
}

export function isBlr(w: number): boolean {
  return ((w & 0xfffffc1f) >>> 0) === 0xd63f0000;
}

function readU64(mem: UnwindMemory, address: bigint): bigint | undefined {
  return u64le(mem.read(address, 8));
}

function readU32(mem: UnwindMemory, address: bigint): number | undefined {
  return u32le(mem.read(address, 4));
}

/** Where the current function is in its prologue/epilogue, i.e. LR and x29 still describe the caller. */
function linkWindow(regs: TargetRegisters, mem: UnwindMemory): { cfa: bigint } | undefined {
  const pc = regs.pc;
  const here = readU32(mem, pc);
  if (here === RET) return { cfa: regs.sp };
  const sym = mem.symbolize(pc);
  if (!sym) return undefined;
  if (sym.offset === 0n) return { cfa: regs.sp };
  if (sym.offset === 4n) {
    const first = readU32(mem, sym.start);
    if (first !== undefined && isFrameRecordPush(first) && here === MOV_X29_SP) {
      return { cfa: regs.sp - BigInt(framePushOffset(first)) };
    }
  }
  return undefined;
}

/**
 * Walks the stack of one CPU. Frame 0 is PC; every later frame's pc is a return address. `cfa` of frame 0
 * is the lowest SP its caller can have after it returns (used as the SP floor of step out).
 */
export function unwind(regs: TargetRegisters, mem: UnwindMemory, maxFrames = 64): TargetFrame[] {
  const name = (a: bigint): string | undefined => {
    const s = mem.symbolize(a);
    if (!s) return undefined;
    return formatSymbolOffset(s.name, s.offset);
  };
  const frames: TargetFrame[] = [];
  const fp0 = regs.x[29]!;
  const window = linkWindow(regs, mem);
  frames.push({ pc: regs.pc, location: name(regs.pc), fp: window ? undefined : fp0, cfa: window ? window.cfa : fp0 + 16n, how: 'pc' });
  if (maxFrames <= 1) return frames;

  if (window) {
    const lr = regs.x[30]!;
    if (lr === 0n) return frames;
    frames.push({ pc: lr, location: name(lr), fp: fp0 === 0n ? undefined : fp0, cfa: fp0 === 0n ? undefined : fp0 + 16n, how: 'lr' });
  }
  // Follow the records from x29: the record at fp gives the return address into the next frame out, and
  // that frame's own frame pointer. Records lie at or above SP, each caller's above its callee's.
  let fp = fp0;
  let lastFp = regs.sp - 1n;
  while (frames.length < maxFrames) {
    if (fp === 0n || (fp & 7n) !== 0n || fp <= lastFp) break;
    const callerFp = readU64(mem, fp);
    const ra = readU64(mem, fp + 8n);
    if (callerFp === undefined || ra === undefined || ra === 0n) break;
    frames.push({ pc: ra, location: name(ra), fp: callerFp === 0n ? undefined : callerFp, cfa: callerFp === 0n ? undefined : callerFp + 16n, how: 'frame-record' });
    lastFp = fp;
    fp = callerFp;
  }
  return frames;
}
