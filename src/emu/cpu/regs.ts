// Layout of one CPU's block in the StateMemory, as Int32 indices relative to the block start. 64-bit values
// are pairs of 32-bit halves, low word first (lo at 2n, hi at 2n+1), never BigInt on the hot path.
//   X0..X30      general registers
//   slot 31      the *current* stack pointer (SP_EL0 or SP_ELx per PSTATE.SPSel); the banked copies live
//                in SP_EL0..SP_EL3 below and are synchronised when EL or SPSel changes
//   slot 32      ZR: always reads zero (register fields meaning XZR/WZR are pre-decoded to it for reads)
//   slot 33      SINK: writes to XZR/WZR are pre-decoded to land here and are never read
// PSTATE is kept unpacked (one int per flag) for speed, and packed only for SPSR and the debugger.

export const SLOT_SP = 31;
export const SLOT_ZR = 32;
export const SLOT_SINK = 33;

export const I_PC = 68; // lo, hi
export const I_N = 70;
export const I_Z = 71;
export const I_C = 72;
export const I_V = 73;
/** PSTATE.{D,A,I,F} as a 4-bit value, D in bit 3 (i.e. DAIF register bits [9:6] shifted down by 6). */
export const I_DAIF = 74;
export const I_EL = 75;
export const I_SPSEL = 76;
/** PSTATE.PAN (FEAT_PAN): privileged accesses to EL0-accessible pages fault. */
export const I_PAN = 77;
/** SP_EL0..SP_EL3, each a lo/hi pair. */
export const I_SP_EL = 80;
/** System register storage: SYSREG_SLOTS pairs, allocated by cpu/sysregs.ts. */
export const I_SYSREG = 128;
export const SYSREG_SLOTS = 192;

/**
 * SIMD&FP registers V0..V31: 128 bits each as four int32 words, least significant first, so Vn's word k
 * (bits [32k+31:32k]) is at I_VREG + 4n + k. Dn/Sn/Hn/Bn are the low bits of Vn; a scalar write clears the
 * upper bits of the register as the architecture requires. Being 16-byte aligned, a register can also be
 * viewed through Float64Array/Float32Array/Uint8Array at (block byte offset + 16n).
 */
export const I_VREG = I_SYSREG + 2 * SYSREG_SLOTS;
/** FPCR and FPSR, 32 bits each (the architectural registers are 64-bit with RES0 upper halves). */
export const I_FPCR = I_VREG + 128;
export const I_FPSR = I_FPCR + 1;

/** Int32 words in one CPU block (a multiple of 4, so every block stays 16-byte aligned). */
export const CPU_BLOCK_WORDS = I_FPCR + 4;

/** Soft TLB: entries per table; three tables (read, write, fetch), each entry tagLo, tagHi, hostPage. */
export const TLB_ENTRIES = 256;
export const TLB_WORDS = TLB_ENTRIES * 3;
export const TLB_READ = 0;
export const TLB_WRITE = TLB_WORDS;
export const TLB_FETCH = 2 * TLB_WORDS;
export const TLB_BLOCK_WORDS = 3 * TLB_WORDS;
/** A tag that never equals a page-aligned address: marks an invalid entry. */
export const TLB_INVALID = 1;

/** Register field value 31 read as XZR/WZR. */
export function zr(r: number): number {
  return r === 31 ? SLOT_ZR : r;
}

/** Register field value 31 written as XZR/WZR. */
export function zrw(r: number): number {
  return r === 31 ? SLOT_SINK : r;
}
