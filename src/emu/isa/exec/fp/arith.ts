// Floating-point arithmetic as the Arm ARM's FPAdd, FPSub, FPMul, FPDiv, FPSqrt, FPMulAdd, FPMax, FPMin,
// FPMaxNum, FPMinNum and FPCompare define it (shared/functions/float): NaN propagation and the invalid
// operations first, then the exact result rounded by roundExact (round.ts). Operands and results are words
// (fmt.N = 64: lo, hi; otherwise the low word, hi ignored); results return the low word with the high word
// in fpst.hi; flags go to fpst.flags.
import {
  type Fmt, type Unpacked, DENORM, INF, NORMAL, QNAN, SNAN, U1, U2, U3, ZERO, defaultNaN, flushes, infinity, isNaNType,
  processNaN, processNaNs, processNaNs3, unpack, zero,
} from './format';
import { err, expOf, expOut, normalise, roundExact, scaleB, twoProd, twoSum } from './round';
import { DZC, IOC, RM, fpst, rmode } from './state';


const isNum = (t: number): boolean => t === NORMAL || t === DENORM;

/** FPRound of a finite non-zero exact double value under the FPCR. */
export function roundValue(fmt: Fmt, v: number): number {
  return roundExact(fmt, v, 0, 0, 0, rmode(), flushes(fmt));
}

/** The original bits of an operand (a denormal or normal that needs no rounding), through FPRound. */
function passThrough(fmt: Fmt, u: Unpacked): number {
  return roundValue(fmt, u.value);
}

/** Operand magnitudes for which products and quotients need no scaling (their error terms stay normal). */
const SAFE_LO = 2 ** -480;
const SAFE_HI = 2 ** 480;

/** a + b, exact and non-zero after special cases: TwoSum, scaled down when the sum overflows a double. */
function addValues(fmt: Fmt, a: number, b: number): number {
  let s = twoSum(a, b);
  let scale = 0;
  if (!Number.isFinite(s)) {
    a *= 0.25;
    b *= 0.25;
    s = twoSum(a, b);
    scale = 2;
  }
  return roundExact(fmt, s, err, 0, scale, rmode(), flushes(fmt));
}

export function fpAdd(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number, negB = false): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) return processNaNs(fmt, a, b);
  const bSign = negB ? b.sign ^ 1 : b.sign;
  const bVal = negB ? -b.value : b.value;
  if (a.type === INF && b.type === INF && a.sign !== bSign) {
    fpst.flags |= IOC;
    return defaultNaN(fmt);
  }
  if (a.type === INF) return infinity(fmt, a.sign);
  if (b.type === INF) return infinity(fmt, bSign);
  if (a.type === ZERO && b.type === ZERO && a.sign === bSign) return zero(fmt, a.sign);
  return addValues(fmt, a.value, bVal);
}

export function fpSub(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number): number {
  return fpAdd(fmt, aLo, aHi, bLo, bHi, true);
}

/** The exact product of two finite non-zero values, rounded. */
function mulValues(fmt: Fmt, a: number, b: number): number {
  const aa = a < 0 ? -a : a;
  const ab = b < 0 ? -b : b;
  if (aa >= SAFE_LO && aa <= SAFE_HI && ab >= SAFE_LO && ab <= SAFE_HI) {
    // no scaling needed: TwoProduct is exact (no overflow, and its error term cannot underflow)
    const p = twoProd(a, b);
    return roundExact(fmt, p, err, 0, 0, rmode(), flushes(fmt));
  }
  const ma = normalise(a);
  const ea = expOut;
  const mb = normalise(b);
  const p = twoProd(ma, mb);
  return roundExact(fmt, p, err, 0, ea + expOut, rmode(), flushes(fmt));
}

export function fpMul(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) return processNaNs(fmt, a, b);
  if ((a.type === INF && b.type === ZERO) || (a.type === ZERO && b.type === INF)) {
    fpst.flags |= IOC;
    return defaultNaN(fmt);
  }
  if (a.type === INF || b.type === INF) return infinity(fmt, a.sign ^ b.sign);
  if (a.type === ZERO || b.type === ZERO) return zero(fmt, a.sign ^ b.sign);
  return mulValues(fmt, a.value, b.value);
}

/**
 * The remainder term of a correctly rounded quotient or square root q: the exact result lies strictly
 * within half an ulp of q (it is never a midpoint), so only the sign of the remainder matters. A quarter
 * ulp of q with that sign stands for it (the true magnitude could round to exactly half an ulp and fake a
 * tie).
 */
function sticky(q: number, sign: number): number {
  if (sign === 0) return 0;
  const u = scaleB(1, expOf(q) - 54);
  return sign > 0 ? u : -u;
}

export function fpDiv(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) return processNaNs(fmt, a, b);
  if ((a.type === INF && b.type === INF) || (a.type === ZERO && b.type === ZERO)) {
    fpst.flags |= IOC;
    return defaultNaN(fmt);
  }
  const sign = a.sign ^ b.sign;
  if (a.type === INF || b.type === ZERO) {
    if (a.type !== INF) fpst.flags |= DZC;
    return infinity(fmt, sign);
  }
  if (a.type === ZERO || b.type === INF) return zero(fmt, sign);
  const aa = a.value < 0 ? -a.value : a.value;
  const ab = b.value < 0 ? -b.value : b.value;
  if (aa >= SAFE_LO && aa <= SAFE_HI && ab >= SAFE_LO && ab <= SAFE_HI) {
    const q0 = a.value / b.value;
    const p0 = twoProd(q0, b.value);
    const r0 = a.value - p0 - err;
    return roundExact(fmt, q0, sticky(q0, r0 * b.value), 0, 0, rmode(), flushes(fmt));
  }
  const ma = normalise(a.value);
  const ea = expOut;
  const mb = normalise(b.value);
  const q = ma / mb;
  // the remainder ma - q*mb is exact (it is representable and computed without rounding)
  const p = twoProd(q, mb);
  const r = ma - p - err;
  return roundExact(fmt, q, sticky(q, r * mb), 0, ea - expOut, rmode(), flushes(fmt));
}

export function fpSqrt(fmt: Fmt, aLo: number, aHi: number): number {
  const a = unpack(fmt, aLo, aHi, U1);
  if (isNaNType(a.type)) return processNaN(fmt, a);
  if (a.type === ZERO) return zero(fmt, a.sign);
  if (a.sign) {
    fpst.flags |= IOC;
    return defaultNaN(fmt);
  }
  if (a.type === INF) return infinity(fmt, 0);
  let m = normalise(a.value);
  let e = expOut;
  if (e & 1) {
    m *= 2;
    e -= 1;
  }
  const q = Math.sqrt(m);
  const p = twoProd(q, q);
  const r = m - p - err;
  return roundExact(fmt, q, sticky(q, r), 0, e / 2, rmode(), flushes(fmt));
}

/**
 * FPMulAdd: addend + op1 * op2 with one rounding. `negA`/`negP` negate the addend / op1 first (FMSUB,
 * FNMADD, FNMSUB: the Arm ARM negates the operands, NaNs included, before FPMulAdd).
 */
export function fpMulAdd(
  fmt: Fmt, cLo: number, cHi: number, aLo: number, aHi: number, bLo: number, bHi: number, negA: boolean, negP: boolean,
): number {
  const signBit = fmt.N === 32 ? 1 << 31 : 1 << 15;
  if (negA) {
    if (fmt.N === 64) cHi ^= 1 << 31;
    else cLo ^= signBit;
  }
  if (negP) {
    if (fmt.N === 64) aHi ^= 1 << 31;
    else aLo ^= signBit;
  }
  const c = unpack(fmt, cLo, cHi, U3);
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  const infZero = (a.type === INF && b.type === ZERO) || (a.type === ZERO && b.type === INF);
  if (isNaNType(a.type) || isNaNType(b.type) || isNaNType(c.type)) {
    const r = processNaNs3(fmt, c, a, b);
    if (c.type === QNAN && infZero) {
      fpst.flags |= IOC;
      return defaultNaN(fmt);
    }
    return r;
  }
  const signP = a.sign ^ b.sign;
  const infP = a.type === INF || b.type === INF;
  const zeroP = a.type === ZERO || b.type === ZERO;
  if (infZero || (c.type === INF && infP && c.sign !== signP)) {
    fpst.flags |= IOC;
    return defaultNaN(fmt);
  }
  if (c.type === INF) return infinity(fmt, c.sign);
  if (infP) return infinity(fmt, signP);
  if (c.type === ZERO && zeroP) return zero(fmt, c.sign === signP ? c.sign : rmode() === RM ? 1 : 0);
  if (zeroP) return roundValue(fmt, c.value);
  return mulAddValues(fmt, c.type === ZERO ? 0 : c.value, a.value, b.value, 0);
}

/**
 * (c + a * b) * 2^extraScale rounded once, for finite values with a and b non-zero (c may be 0; with a or
 * b zero the product is dropped: then c must be non-zero). An exact zero result has the rounding mode's
 * sign.
 */
export function mulAddValues(fmt: Fmt, cv: number, av: number, bv: number, extraScale: number): number {
  if (av === 0 || bv === 0) return roundExact(fmt, cv, 0, 0, extraScale, rmode(), flushes(fmt));
  const ma = normalise(av);
  const ea = expOut;
  const mb = normalise(bv);
  const sp = ea + expOut;
  const p = twoProd(ma, mb);
  const pe = err;
  if (cv === 0) return roundExact(fmt, p, pe, 0, sp + extraScale, rmode(), flushes(fmt));
  const mc = normalise(cv);
  const ec = expOut;
  let x1: number;
  let x2: number;
  let x3: number;
  let scale: number;
  if (ec - sp > 110) {
    // the product only decides the direction (a sticky bit) below the addend
    x1 = mc;
    x2 = p > 0 ? 2 ** -200 : -(2 ** -200);
    x3 = 0;
    scale = ec;
  } else {
    x1 = p;
    x2 = pe;
    x3 = ec - sp < -110 ? (mc > 0 ? 2 ** -300 : -(2 ** -300)) : scaleB(mc, ec - sp);
    scale = sp;
  }
  // an exact zero sum (x1 + x2 + x3 = 0) comes back as the rounding mode's zero
  return roundExact(fmt, x1, x2, x3, scale + extraScale, rmode(), flushes(fmt));
}

/** FPMax / FPMin (max = true for FPMax). */
export function fpMax(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number, max: boolean): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) return processNaNs(fmt, a, b);
  return maxOf(fmt, a, b, max);
}

function maxOf(fmt: Fmt, a: Unpacked, b: Unpacked, max: boolean): number {
  const pickA = max ? a.value > b.value : a.value < b.value;
  const u = pickA ? a : b;
  if (u.type === INF) return infinity(fmt, u.sign);
  if (u.type === ZERO) return zero(fmt, max ? a.sign & b.sign : a.sign | b.sign);
  return passThrough(fmt, u);
}

/** FPMaxNum / FPMinNum: a single quiet NaN gives way to the other operand. */
export function fpMaxNum(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number, max: boolean): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (a.type === QNAN && b.type !== QNAN) {
    a.type = INF;
    a.sign = max ? 1 : 0;
    a.value = max ? -Infinity : Infinity;
  } else if (a.type !== QNAN && b.type === QNAN) {
    b.type = INF;
    b.sign = max ? 1 : 0;
    b.value = max ? -Infinity : Infinity;
  }
  if (isNaNType(a.type) || isNaNType(b.type)) return processNaNs(fmt, a, b);
  return maxOf(fmt, a, b, max);
}

/** FPCompare: NZCV in bits 31:28. `signalAll`: FCMPE (any NaN raises IOC). */
export function fpCompare(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number, signalAll: boolean): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) {
    if (signalAll || a.type === SNAN || b.type === SNAN) fpst.flags |= IOC;
    return 0x30000000;
  }
  if (a.value === b.value) return 0x60000000;
  return a.value < b.value ? 0x80000000 | 0 : 0x20000000;
}

export { isNum };

/**
 * FPCompareEQ (kind 0; IOC only for a signalling NaN), FPCompareGE (1) and FPCompareGT (2) (IOC for any
 * NaN); `abs` compares magnitudes (FACGE/FACGT: FPAbs of both first). False when unordered.
 */
export function fpCompareOp(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number, kind: number, abs: boolean): boolean {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (isNaNType(a.type) || isNaNType(b.type)) {
    if (kind !== 0 || a.type === SNAN || b.type === SNAN) fpst.flags |= IOC;
    return false;
  }
  const x = abs && a.value < 0 ? -a.value : a.value;
  const y = abs && b.value < 0 ? -b.value : b.value;
  return kind === 0 ? x === y : kind === 1 ? x >= y : x > y;
}

/** FPMulX: FPMul, except that infinity times zero is 2.0 with the sign of the product. */
export function fpMulX(fmt: Fmt, aLo: number, aHi: number, bLo: number, bHi: number): number {
  const a = unpack(fmt, aLo, aHi, U1);
  const b = unpack(fmt, bLo, bHi, U2);
  if (!isNaNType(a.type) && !isNaNType(b.type) && ((a.type === INF && b.type === ZERO) || (a.type === ZERO && b.type === INF))) {
    return roundExact(fmt, a.sign ^ b.sign ? -2 : 2, 0, 0, 0, rmode(), false);
  }
  return fpMul(fmt, aLo, aHi, bLo, bHi);
}
