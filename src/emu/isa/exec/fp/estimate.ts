// The reciprocal and reciprocal square root estimates and steps, as the Arm ARM defines them
// (FPRecipEstimate with RecipEstimate, FPRSqrtEstimate with RecipSqrtEstimate, FPRecipStepFused,
// FPRSqrtStepFused, FPRecpX): the estimates are 8-bit table computations on the operand's fraction, so
// every implementation gives the same bits; the steps are fused multiply-adds (2 - a*b, (3 - a*b) / 2).
import { type Fmt, INF, U1, U2, ZERO, defaultNaN, flushes, infinity, isNaNType, maxNormal, processNaN, processNaNs, unpack, zero } from './format';
import { mulAddValues } from './arith';
import { DZC, IOC, IXC, OFC, RM, RN, RP, UFC, fpst, rmode } from './state';

/** The fraction field as an integer (< 2^52) scaled to 52 bits, and the exponent field. */
let frac52 = 0;
let expField = 0;
function fields(fmt: Fmt, lo: number, hi: number): void {
  if (fmt.N === 64) {
    frac52 = (hi & 0xfffff) * 2 ** 32 + (lo >>> 0);
    expField = (hi >>> 20) & 0x7ff;
  } else if (fmt.N === 32) {
    frac52 = (lo & 0x7fffff) * 2 ** 29;
    expField = (lo >>> 23) & 0xff;
  } else {
    frac52 = (lo & 0x3ff) * 2 ** 42;
    expField = (lo >>> 10) & 0x1f;
  }
}

/** frac52<51:51-k+1> as an integer. */
const top = (k: number): number => Math.floor(frac52 / 2 ** (52 - k));
/** fraction<50:0>:'0' */
const shl = (): number => (frac52 * 2) % 2 ** 52;

function recipEstimate(a: number): number {
  a = a * 2 + 1;
  const b = Math.floor(2 ** 19 / a);
  return (b + 1) >> 1;
}

function recipSqrtEstimate(a: number): number {
  if (a < 256) a = a * 2 + 1;
  else {
    a = (a >> 1) << 1;
    a = (a + 1) * 2;
  }
  let b = 512;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  return (b + 1) >> 1;
}

/** Assembles sign : exp : fraction-from-52-bits in `fmt`. */
function assemble(fmt: Fmt, sign: number, exp: number, f52: number): number {
  if (fmt.N === 64) {
    const fh = Math.floor(f52 / 2 ** 32);
    fpst.hi = (sign << 31) | (exp << 20) | fh;
    return (f52 - fh * 2 ** 32) | 0;
  }
  fpst.hi = 0;
  if (fmt.N === 32) return (sign << 31) | (exp << 23) | Math.floor(f52 / 2 ** 29);
  return (sign << 15) | (exp << 10) | Math.floor(f52 / 2 ** 42);
}

export function fpRecipEstimate(fmt: Fmt, lo: number, hi: number): number {
  const u = unpack(fmt, lo, hi, U1);
  if (isNaNType(u.type)) return processNaN(fmt, u);
  if (u.type === INF) return zero(fmt, u.sign);
  if (u.type === ZERO) {
    fpst.flags |= DZC;
    return infinity(fmt, u.sign);
  }
  const a = Math.abs(u.value);
  const tiny = fmt.N === 16 ? 2 ** -16 : fmt.N === 32 ? 2 ** -128 : 2 ** -1024;
  if (a < tiny) {
    const m = rmode();
    const toInf = m === RN || (m === RP && !u.sign) || (m === RM && !!u.sign);
    fpst.flags |= OFC | IXC;
    return toInf ? infinity(fmt, u.sign) : maxNormal(fmt, u.sign);
  }
  const big = fmt.N === 16 ? 2 ** 14 : fmt.N === 32 ? 2 ** 126 : 2 ** 1022;
  if (flushes(fmt) && a >= big) {
    fpst.flags |= UFC;
    return zero(fmt, u.sign);
  }
  fields(fmt, lo, hi);
  let exp = expField;
  if (exp === 0) {
    if (top(1) === 0) {
      exp = -1;
      frac52 = (frac52 * 4) % 2 ** 52;
    } else frac52 = shl();
  }
  const scaled = 256 + top(8);
  let resultExp = (fmt.N === 16 ? 29 : fmt.N === 32 ? 253 : 2045) - exp;
  const est = recipEstimate(scaled);
  let f = (est & 0xff) * 2 ** 44;
  if (resultExp === 0) f = 2 ** 51 + Math.floor(f / 2);
  else if (resultExp === -1) {
    f = 2 ** 50 + Math.floor(f / 4);
    resultExp = 0;
  }
  return assemble(fmt, u.sign, resultExp, f);
}

export function fpRSqrtEstimate(fmt: Fmt, lo: number, hi: number): number {
  const u = unpack(fmt, lo, hi, U1);
  if (isNaNType(u.type)) return processNaN(fmt, u);
  if (u.type === ZERO) {
    fpst.flags |= DZC;
    return infinity(fmt, u.sign);
  }
  if (u.sign) {
    fpst.flags |= IOC;
    return defaultNaN(fmt);
  }
  if (u.type === INF) return zero(fmt, 0);
  fields(fmt, lo, hi);
  let exp = expField;
  if (exp === 0) {
    while (top(1) === 0) {
      frac52 = shl();
      exp -= 1;
    }
    frac52 = shl();
  }
  const scaled = (exp & 1) === 0 ? 256 + top(8) : 128 + top(7);
  const resultExp = Math.floor(((fmt.N === 16 ? 44 : fmt.N === 32 ? 380 : 3068) - exp) / 2);
  const est = recipSqrtEstimate(scaled);
  return assemble(fmt, 0, resultExp, (est & 0xff) * 2 ** 44);
}

/** FPRecpX: the sign, the exponent inverted (zeros and denormals: the largest finite exponent), no fraction. */
export function fpRecpX(fmt: Fmt, lo: number, hi: number): number {
  const u = unpack(fmt, lo, hi, U1);
  if (isNaNType(u.type)) return processNaN(fmt, u);
  fields(fmt, lo, hi);
  const maxExp = 2 ** fmt.E - 1;
  const exp = expField === 0 ? maxExp - 1 : ~expField & maxExp;
  return assemble(fmt, u.sign, exp, 0);
}

/**
 * FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2): a is negated first (NaNs too), an
 * infinity times a zero gives 2 or 1.5 exactly (no Invalid Operation).
 */
export function fpStepFused(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number, rsqrt: boolean): number {
  if (fmt.N === 64) aHi ^= 1 << 31;
  else aLo ^= fmt.N === 32 ? 1 << 31 : 1 << 15;
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) return processNaNs(fmt, a, b);
  const inf1 = a.type === INF;
  const inf2 = b.type === INF;
  if ((inf1 && b.type === ZERO) || (a.type === ZERO && inf2)) return mulAddValues(fmt, rsqrt ? 1.5 : 2, 0, 0, 0);
  if (inf1 || inf2) return infinity(fmt, a.sign ^ b.sign);
  if (a.type === ZERO || b.type === ZERO) return mulAddValues(fmt, rsqrt ? 1.5 : 2, 0, 0, 0);
  const r = mulAddValues(fmt, rsqrt ? 3 : 2, a.value, b.value, rsqrt ? -1 : 0);
  return r;
}

