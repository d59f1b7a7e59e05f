// 64-bit lane operations on the two int32 words of each lane (lo, hi), for the executors' common 64-bit
// forms (compares, register shifts, NEG/ABS, compares against zero) so that they need no BigInt. Each
// writes its result lane to dst[at], dst[at + 1]; the caller passes every source word as a value, so the
// destination may be a source.
import { asr64, lsl64, lsr64, out } from '../u64';

export type Word2 = (aLo: number, aHi: number, bLo: number, bHi: number, dst: Int32Array, at: number) => void;
export type Word1 = (aLo: number, aHi: number, dst: Int32Array, at: number) => void;

const gtS = (aLo: number, aHi: number, bLo: number, bHi: number): boolean => (aHi !== bHi ? aHi > bHi : aLo >>> 0 > bLo >>> 0);
const gtU = (aLo: number, aHi: number, bLo: number, bHi: number): boolean =>
  aHi !== bHi ? aHi >>> 0 > bHi >>> 0 : aLo >>> 0 > bLo >>> 0;

const mask = (t: boolean, dst: Int32Array, at: number): void => {
  const v = t ? -1 : 0;
  dst[at] = v;
  dst[at + 1] = v;
};

export const CMP64: Record<string, Word2> = {
  CMGT: (aLo, aHi, bLo, bHi, dst, at) => mask(gtS(aLo, aHi, bLo, bHi), dst, at),
  CMGE: (aLo, aHi, bLo, bHi, dst, at) => mask(!gtS(bLo, bHi, aLo, aHi), dst, at),
  CMHI: (aLo, aHi, bLo, bHi, dst, at) => mask(gtU(aLo, aHi, bLo, bHi), dst, at),
  CMHS: (aLo, aHi, bLo, bHi, dst, at) => mask(!gtU(bLo, bHi, aLo, aHi), dst, at),
  CMEQ: (aLo, aHi, bLo, bHi, dst, at) => mask(aLo === bLo && aHi === bHi, dst, at),
  CMTST: (aLo, aHi, bLo, bHi, dst, at) => mask(((aLo & bLo) | (aHi & bHi)) !== 0, dst, at),
};

/** SSHL/USHL of a 64-bit lane: the signed low byte of Vm's lane shifts left, or right when negative. */
export function shl64(signed: boolean): Word2 {
  return (aLo, aHi, bLo, _bHi, dst, at) => {
    const s = (bLo << 24) >> 24;
    let lo: number;
    let hi: number;
    if (s >= 64) { lo = 0; hi = 0; } else if (s >= 0) { lo = lsl64(aLo, aHi, s); hi = out.hi; } else if (s <= -64) {
      hi = signed ? aHi >> 31 : 0;
      lo = hi;
    } else {
      lo = signed ? asr64(aLo, aHi, -s) : lsr64(aLo, aHi, -s);
      hi = out.hi;
    }
    dst[at] = lo;
    dst[at + 1] = hi;
  };
}

const neg = (aLo: number, aHi: number, dst: Int32Array, at: number): void => {
  dst[at] = (~aLo + 1) | 0;
  dst[at + 1] = (~aHi + (aLo === 0 ? 1 : 0)) | 0;
};

export const UNARY64: Record<string, Word1> = {
  NEG: neg,
  ABS: (aLo, aHi, dst, at) => {
    if (aHi < 0) neg(aLo, aHi, dst, at);
    else { dst[at] = aLo; dst[at + 1] = aHi; }
  },
  CMGT0: (aLo, aHi, dst, at) => mask(aHi > 0 || (aHi === 0 && aLo !== 0), dst, at),
  CMGE0: (_aLo, aHi, dst, at) => mask(aHi >= 0, dst, at),
  CMEQ0: (aLo, aHi, dst, at) => mask((aLo | aHi) === 0, dst, at),
  CMLE0: (aLo, aHi, dst, at) => mask(!(aHi > 0 || (aHi === 0 && aLo !== 0)), dst, at),
  CMLT0: (_aLo, aHi, dst, at) => mask(aHi < 0, dst, at),
};
