// The floating-point unit's scratch state, shared by the scalar FP (and later the vector FP) executors and
// the arithmetic in this folder: the FPCR the operation runs under, the FPSR cumulative flags it raised, and
// the high word of a 64-bit result. An executor sets `fpcr`, clears `flags`, calls an operation (which
// returns the result's low word and leaves the high word in `hi`) and ORs `flags` into FPSR. Values are
// passed as int32 words: half and single in the low word, double as (lo, hi); never BigInt.

export const fpst = { fpcr: 0, flags: 0, hi: 0 };

/** FPSR cumulative exception flags. */
export const IOC = 1;
export const DZC = 2;
export const OFC = 4;
export const UFC = 8;
export const IXC = 16;
export const IDC = 128;

/** FPCR fields. */
export const FPCR_AHP = 1 << 26;
export const FPCR_DN = 1 << 25;
export const FPCR_FZ = 1 << 24;
export const FPCR_FZ16 = 1 << 19;

/** Rounding modes, as FPCR.RMode encodes the first four; TIEAWAY only from the instruction. */
export const RN = 0;
export const RP = 1;
export const RM = 2;
export const RZ = 3;
export const RA = 4;
/** Round to odd (FCVTXN): truncate, then set the lowest bit when inexact. */
export const RO = 5;

/** The FPCR rounding mode. */
export function rmode(): number {
  return (fpst.fpcr >>> 22) & 3;
}
