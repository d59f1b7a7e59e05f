// Where a process's memory lives. There is no MMU yet, so the program runs on an identity mapping and
// each area is its own RAM region on the bus at the guest addresses the program uses:
//
//   image + heap   [lowest PT_LOAD page, brk start + heapSize)    static non-PIE ELFs link at 0x400000;
//                  the break starts at the first page after the highest segment
//   mmap area      [MMAP_BASE, + mmapSize)                         anonymous mmap, first fit, low to high
//   stack          [STACK_TOP - stackSize, STACK_TOP)             argv/envp/auxv at the top, SP below
//
// Guest addresses may be anywhere below 2^48 (a RAM region's address costs nothing); what is limited is
// the total size, because every region is backed by the one wasm32 StateMemory (< 4 GiB, lazily
// committed by the host). Defaults: 64 MiB heap, 256 MiB mmap area, 8 MiB stack. Static PIE images
// (ET_DYN without PT_INTERP) are placed at PIE_BASE. A program whose segments overlap the mmap area or
// stack is refused.

export const PAGE = 4096;
export const PIE_BASE = 0x5555_5555_4000;
export const MMAP_BASE = 0x7f_0000_0000;
export const STACK_TOP = 0x7f_ff00_0000;

export interface ProcessLayoutOptions {
  /** Bytes the break may grow by. */
  heapSize?: number;
  /** Size of the anonymous mmap area. */
  mmapSize?: number;
  /** Size of the stack region (RLIMIT_STACK reports it). */
  stackSize?: number;
}

export interface ProcessLayout {
  imageBase: number;
  brkStart: number;
  brkMax: number;
  mmapBase: number;
  mmapEnd: number;
  stackBase: number;
  stackTop: number;
}

export const DEFAULT_HEAP = 64 << 20;
export const DEFAULT_MMAP = 256 << 20;
export const DEFAULT_STACK = 8 << 20;

export const pageDown = (a: number): number => a - (a % PAGE);
export const pageUp = (a: number): number => pageDown(a + PAGE - 1);

/** The layout for an image occupying [lo, hi). */
export function planLayout(lo: number, hi: number, o: ProcessLayoutOptions = {}): ProcessLayout {
  const heap = pageUp(o.heapSize ?? DEFAULT_HEAP);
  const mmap = pageUp(o.mmapSize ?? DEFAULT_MMAP);
  const stack = pageUp(o.stackSize ?? DEFAULT_STACK);
  const imageBase = pageDown(lo);
  const brkStart = pageUp(hi);
  const l: ProcessLayout = {
    imageBase,
    brkStart,
    brkMax: brkStart + heap,
    mmapBase: MMAP_BASE,
    mmapEnd: MMAP_BASE + mmap,
    stackBase: STACK_TOP - stack,
    stackTop: STACK_TOP,
  };
  if (l.brkMax > l.mmapBase || l.mmapEnd > l.stackBase) {
    throw new Error(`the program's segments [0x${lo.toString(16)}, 0x${hi.toString(16)}) plus its heap overlap the mmap area at 0x${MMAP_BASE.toString(16)}`);
  }
  return l;
}
