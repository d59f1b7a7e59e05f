// Operand formatters shared by the rows of the encoding table (rows may add their own in `ops`). They
// reproduce GNU objdump's spelling so that our disassembly can be compared with it word for word.
import type { Fields } from './pattern';
import type { DisasmContext, OperandFn } from './rowTypes';
import { logicalImm, out } from './exec/u64';

export function xreg(n: number, sp: boolean): string {
  return n === 31 ? (sp ? 'sp' : 'xzr') : `x${n}`;
}

export function wreg(n: number, sp: boolean): string {
  return n === 31 ? (sp ? 'wsp' : 'wzr') : `w${n}`;
}

export function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

/**
 * objdump's branch-target operand: bare hex address, then <symbol+off> when known. Without a symbol table
 * (no `symbolize`, as objdump on a raw binary) objdump writes the address with a 0x prefix.
 */
export function target(ctx: DisasmContext, addr: bigint): string {
  const a = BigInt.asUintN(64, addr);
  if (!ctx.symbolize) return `0x${a.toString(16)}`;
  const sym = ctx.symbolize(a);
  return sym ? `${a.toString(16)} <${sym}>` : a.toString(16);
}

export const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

/** The other names objdump knows a condition by (SVE's among them), shown in its comment: 'eq = none'. */
const COND_ALT: Record<string, string> = {
  eq: 'none', ne: 'any', cs: 'hs, nlast', cc: 'lo, ul, last', mi: 'first', pl: 'nfrst', hi: 'pmore', ls: 'plast',
  ge: 'tcont', lt: 'tstop',
};

/** A condition operand with objdump's '// cond = alternatives' comment. */
export function condWithComment(cond: number, ctx: DisasmContext): string {
  const name = CONDITIONS[cond & 15];
  const alt = COND_ALT[name];
  if (alt) ctx.comment = `${name} = ${alt}`;
  return name;
}

export const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];
export const EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];

/** Value of a (valid) logical immediate, at the width of the register (sf). */
export function logicalImmValue(f: Fields): bigint {
  const lo = logicalImm(f.N, f.imms, f.immr);
  if (!f.sf) return BigInt(lo >>> 0);
  return (BigInt(out.hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** True when MOVZ or MOVN of the register width can build v (the MOV bitmask alias then gives way). */
export function movWideEncodable(v: bigint, sf: number): boolean {
  const bits = sf ? 64 : 32;
  const single = (x: bigint): boolean => {
    for (let sh = 0; sh < bits; sh += 16) if ((x & ~(0xffffn << BigInt(sh))) === 0n) return true;
    return false;
  };
  return single(v) || single(BigInt.asUintN(bits, ~v));
}

/** The lsb an inserting bitfield alias (sbfiz, ubfiz, bfi, bfc) names: (datasize - immr) mod datasize. */
export function bitfieldLsb(f: Fields): number {
  const size = f.sf ? 64 : 32;
  return (size - f.immr) & (size - 1);
}

/** Is the register operand of `field` the stack pointer (field 31, in a row where 31 means SP)? */
const isSp = (f: Fields, field: string | undefined): boolean => field !== undefined && f[field] === 31;

/**
 * The extended-register operand of ADD/SUB(S) (extended register): 'w2, sxtw #2'. objdump writes 'lsl' for
 * the UXTW (32-bit) or UXTX (64-bit) extend when the destination (`dSp`, if that operand may be SP) or the
 * first source is SP, and drops it entirely when the amount is then 0.
 */
function extendedReg(dSp: string | undefined) {
  return (f: Fields): string => {
    const x = f.sf === 1 && (f.option & 3) === 3;
    const reg = x ? xreg(f.Rm, false) : wreg(f.Rm, false);
    let kind = EXTENDS[f.option];
    if ((isSp(f, dSp) || f.Rn === 31) && f.option === (f.sf ? 3 : 2)) {
      if (f.imm3 === 0) return reg;
      kind = 'lsl';
    }
    return f.imm3 ? `${reg}, ${kind} #${f.imm3}` : `${reg}, ${kind}`;
  };
}

/** Operand functions available to every row as {@name}. */
export const SHARED_OPS: Record<string, OperandFn> = {
  cond: (f: Fields) => CONDITIONS[f.cond],
  /** Condition with objdump's alternative-names comment (conditional select and compare). */
  condc: (f: Fields, ctx: DisasmContext) => condWithComment(f.cond, ctx),
  /** Inverted condition with its comment (cset, cinc, cneg...). */
  ncondc: (f: Fields, ctx: DisasmContext) => condWithComment(f.cond ^ 1, ctx),
  /** Logical immediate (N, immr, imms) in hex. */
  bimm: (f: Fields) => `#0x${logicalImmValue(f).toString(16)}`,
  /** Same, with objdump's decimal comment (the MOV bitmask alias). */
  bimmc: (f: Fields, ctx: DisasmContext) => {
    const v = logicalImmValue(f);
    ctx.comment = `#${f.sf ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v)}`;
    return `#0x${v.toString(16)}`;
  },
  /** Shift of a shifted-register operand (fields shift, imm6): nothing for LSL #0. */
  shift: (f: Fields) => (f.shift === 0 && f.imm6 === 0 ? '' : `, ${SHIFTS[f.shift]} #${f.imm6}`),
  /** Extended register when Rd may be SP (ADD/SUB). */
  extSp: extendedReg('Rd'),
  /** Extended register when Rd is XZR (ADDS/SUBS and their cmn/cmp aliases). */
  ext: extendedReg(undefined),
};
