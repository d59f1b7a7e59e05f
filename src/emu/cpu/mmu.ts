// VMSAv8-64 stage 1 translation for the EL1&0 and EL2 regimes (no VHE, no stage 2): the translation
// parameters decoded from SCTLR/TCR/TTBR/MAIR into one typed record, the table walk over guest physical
// memory with every descriptor decoded into typed records (WalkLevel), and the permission check. The walk has
// no side effects (no access-flag or dirty update, no TLB fill), so the debugger's "translate address" uses
// it as is; Cpu.translate calls it on a soft-TLB miss and turns a fault into the data/instruction abort.
//
// Choices made here (IMPLEMENTATION DEFINED or CONSTRAINED UNPREDICTABLE in the Arm ARM):
// - TnSZ outside [16, 39] is clamped into that range (as QEMU does).
// - A TGx value the model does not support (16K on Cortex-A57/A72) or a reserved one selects 4K.
// - The output address size is min(TCR.IPS/PS, ID_AA64MMFR0_EL1.PARange); 52-bit PAs are not implemented.
// - TTBR/table addresses: bits below the table's alignment are treated as zero; CnP is ignored.
// - The access flag is not managed by hardware (no FEAT_HAFDBS): AF = 0 gives an access flag fault.
// - The contiguous bit is a hint and ignored; nG is ignored because the soft TLB is flushed whenever the
//   ASID (TTBRn) changes, so no entry outlives its address space.
// - With stage 1 off, VA = PA, and a VA with bits at or above PARange set gives an address size fault at
//   level 0 (as QEMU does); TBI does not apply.
// - HCR_EL2.TGE set (E2H clear): the EL1&0 stage 1 is off for EL0 accesses.
import type { Cpu } from './cpu';
import { HCR, hcrLo } from './exceptions';
import { I_PAN } from './regs';

const TWO32 = 0x100000000;
const POW2 = Array.from({ length: 65 }, (_, n) => 2 ** n);
const pow2 = (n: number): number => POW2[n];

/** Fault status codes (DFSC/IFSC) without the level. */
export const FSC = { ADDRESS_SIZE: 0x00, TRANSLATION: 0x04, ACCESS_FLAG: 0x08, PERMISSION: 0x0c, EXTERNAL_WALK: 0x14 } as const;
export type FaultKind = 'address-size' | 'translation' | 'access-flag' | 'permission' | 'external-walk';
const FSC_OF: Record<FaultKind, number> = {
  'address-size': FSC.ADDRESS_SIZE, translation: FSC.TRANSLATION, 'access-flag': FSC.ACCESS_FLAG,
  permission: FSC.PERMISSION, 'external-walk': FSC.EXTERNAL_WALK,
};

/** The translation parameters of one regime and VA half, decoded from the system registers. */
export interface TranslationParams {
  regime: 'EL1&0' | 'EL2';
  /** Stage 1 enabled (SCTLR_ELx.M). */
  enabled: boolean;
  /** Which TTBR (0 or 1) serves this VA. */
  half: 0 | 1;
  /** Table base address (TTBRn BADDR) and ASID (16 bits; TCR.A1 picks which TTBR holds it). */
  ttbr: number;
  asid: number;
  /** Granule size in bits (12, 14, 16). */
  granuleBits: number;
  /** Input address size in bits (64 - TnSZ). */
  inputBits: number;
  /** Output (physical) address size in bits. */
  paBits: number;
  /** Top byte ignored for data accesses (TBI). */
  tbi: boolean;
  /** Walks disabled for this half (EPDn). */
  epd: boolean;
  /** SCTLR_ELx.WXN. */
  wxn: boolean;
  /** MAIR_ELx, as lo/hi words. */
  mairLo: number;
  mairHi: number;
}

export type DescriptorKind = 'invalid' | 'table' | 'block' | 'page' | 'reserved';

/** One level of a walk: where the descriptor was read and what it says. */
export interface WalkLevel {
  level: number;
  /** Physical address of the table, of the descriptor, its index in the table. */
  table: number;
  address: number;
  index: number;
  /** Raw descriptor (lo, hi words); null when it could not be read (not RAM). */
  lo: number;
  hi: number;
  kind: DescriptorKind;
  /** Next-level table (table) or output address (block/page). */
  output: number;
  /** Table descriptor: APTable, UXNTable (XNTable at EL2), PXNTable. */
  apTable?: number;
  xnTable?: boolean;
  pxnTable?: boolean;
  /** Block/page: AttrIndx, AP[2:1], SH, AF, nG, PXN, UXN (XN at EL2), contiguous. */
  attrIndx?: number;
  ap?: number;
  sh?: number;
  af?: boolean;
  ng?: boolean;
  pxn?: boolean;
  uxn?: boolean;
  contiguous?: boolean;
}

/** What each EL may do with a translated page (after hierarchical attributes, before PAN). */
export interface Permissions {
  el0Read: boolean;
  el0Write: boolean;
  el0Exec: boolean;
  privRead: boolean;
  privWrite: boolean;
  privExec: boolean;
}

export interface WalkResult {
  params: TranslationParams;
  levels: WalkLevel[];
  /** The physical address, when the walk found a valid leaf (the access may still fault on permissions). */
  pa?: number;
  /** Size in bytes of the block or page the leaf maps. */
  size?: number;
  /** The MAIR attribute byte of the leaf. */
  attr?: number;
  /** Shareability of the leaf (descriptor SH). */
  sh?: number;
  perms?: Permissions;
  /** A fault found by the walk itself (not a permission fault). */
  fault?: { kind: FaultKind; level: number };
}

/** Access kinds for checkPermission. */
export type AccessKind = 'read' | 'write' | 'fetch';

const PA_BITS = [32, 36, 40, 42, 44, 48, 48, 48];

/** What ID_AA64MMFR0_EL1 says about the model's MMU, decoded once per model (no BigInt on a TLB miss). */
interface MmuFeatures {
  paBits: number;
  g4: boolean;
  g16: boolean;
  g64: boolean;
}
const FEATURES = new Map<string, MmuFeatures>();

function features(c: Cpu): MmuFeatures {
  let f = FEATURES.get(c.model.name);
  if (!f) {
    const m = c.model.mmfr0;
    f = {
      paBits: PA_BITS[Number(m & 7n)],
      g4: ((m >> 28n) & 0xfn) !== 0xfn,
      g64: ((m >> 24n) & 0xfn) !== 0xfn,
      g16: ((m >> 20n) & 0xfn) !== 0n,
    };
    FEATURES.set(c.model.name, f);
  }
  return f;
}

/** ID_AA64MMFR0_EL1.PARange of the CPU, in bits. */
export function paRangeBits(c: Cpu): number {
  return features(c).paBits;
}

function granuleOk(c: Cpu, bits: number): boolean {
  const f = features(c);
  return bits === 12 ? f.g4 : bits === 16 ? f.g64 : f.g16;
}

function clampTsz(t: number): number {
  return t < 16 ? 16 : t > 39 ? 39 : t;
}

/** Register slots the walk reads (set by Cpu from SysRegFile.byName). */
export interface MmuSlots {
  sctlr1: number; tcr1: number; ttbr0_1: number; ttbr1_1: number; mair1: number;
  sctlr2: number; tcr2: number; ttbr0_2: number; mair2: number;
}

/** Which regime translates an access made at `el` (EL0/EL1: EL1&0; EL2: EL2). */
export function regimeOf(el: number): 'EL1&0' | 'EL2' {
  return el === 2 ? 'EL2' : 'EL1&0';
}

/** Stage 1 enabled for accesses at `el`. */
export function stage1Enabled(c: Cpu, s: MmuSlots, el: number): boolean {
  if (el === 2) return (c.r[s.sctlr2] & 1) !== 0;
  if (el === 0 && hcrLo(c) & HCR.TGE) return false;
  return (c.r[s.sctlr1] & 1) !== 0;
}

/** Decodes the parameters for a VA (its bit 55 picks the TTBR half in the EL1&0 regime). */
export function translationParams(c: Cpu, s: MmuSlots, el: number, hi: number): TranslationParams {
  const r = c.r;
  const model = paRangeBits(c);
  if (el === 2) {
    const tcr = r[s.tcr2];
    let g = [12, 16, 14, 12][(tcr >>> 14) & 3];
    if (!granuleOk(c, g)) g = 12;
    return {
      regime: 'EL2', enabled: (r[s.sctlr2] & 1) !== 0, half: 0,
      ttbr: (r[s.ttbr0_2 + 1] & 0xffff) * TWO32 + (r[s.ttbr0_2] >>> 0), asid: 0,
      granuleBits: g, inputBits: 64 - clampTsz(tcr & 0x3f), paBits: Math.min(PA_BITS[(tcr >>> 16) & 7], model),
      tbi: ((tcr >>> 20) & 1) !== 0, epd: false, wxn: ((r[s.sctlr2] >>> 19) & 1) !== 0, mairLo: r[s.mair2], mairHi: r[s.mair2 + 1],
    };
  }
  const lo = r[s.tcr1];
  const tcrHi = r[s.tcr1 + 1];
  const half = ((hi >>> 23) & 1) as 0 | 1;
  let g: number;
  let tsz: number;
  let epd: boolean;
  if (half === 0) {
    g = [12, 16, 14, 12][(lo >>> 14) & 3];
    tsz = lo & 0x3f;
    epd = ((lo >>> 7) & 1) !== 0;
  } else {
    g = [12, 14, 12, 16][(lo >>> 30) & 3];
    tsz = (lo >>> 16) & 0x3f;
    epd = ((lo >>> 23) & 1) !== 0;
  }
  if (!granuleOk(c, g)) g = 12;
  const ttbrSlot = half ? s.ttbr1_1 : s.ttbr0_1;
  const asidSlot = (lo >>> 22) & 1 ? s.ttbr1_1 : s.ttbr0_1;
  // 8-bit ASIDs unless TCR_EL1.AS selects 16 (and the model has them)
  const asid = (r[asidSlot + 1] >>> 16) & ((tcrHi >>> 4) & 1 ? 0xffff : 0xff);
  return {
    regime: 'EL1&0', enabled: stage1Enabled(c, s, el), half,
    ttbr: (r[ttbrSlot + 1] & 0xffff) * TWO32 + (r[ttbrSlot] >>> 0), asid,
    granuleBits: g, inputBits: 64 - clampTsz(tsz), paBits: Math.min(PA_BITS[tcrHi & 7], model),
    tbi: ((tcrHi >>> (half ? 6 : 5)) & 1) !== 0, epd, wxn: ((r[s.sctlr1] >>> 19) & 1) !== 0, mairLo: r[s.mair1], mairHi: r[s.mair1 + 1],
  };
}

/**
 * Walks the tables for the VA (lo, hi) as an access at `el` would (`fetch`: instruction fetch, where TBI
 * does not apply). Side-effect free. With stage 1 off the result is the flat mapping.
 */
export function walk(c: Cpu, s: MmuSlots, lo: number, hi: number, el: number, fetch: boolean): WalkResult {
  const p = translationParams(c, s, el, hi);
  const levels: WalkLevel[] = [];
  if (!p.enabled) {
    const pa = (hi >>> 0) * TWO32 + (lo >>> 0);
    const bits = paRangeBits(c);
    if (hi >>> 0 >= pow2(bits - 32)) return { params: p, levels, fault: { kind: 'address-size', level: 0 } };
    return { params: p, levels, pa, size: 4096, attr: 0, sh: 2, perms: ALL };
  }
  // VA range: bits [63:inputBits] (bits [55:inputBits] under TBI) must all equal the half's bit 55
  const tbi = p.tbi && !fetch;
  const top16 = hi >>> 16;
  const topMask = tbi ? 0xff : 0xffff;
  const sel = p.regime === 'EL2' ? 0 : p.half;
  const low48 = (hi & 0xffff) * TWO32 + (lo >>> 0);
  const span = pow2(p.inputBits);
  const upper = Math.floor(low48 / span);
  const expect = sel ? pow2(48 - p.inputBits) - 1 : 0;
  if ((top16 & topMask) !== (sel ? topMask : 0) || upper !== expect || p.epd) {
    return { params: p, levels, fault: { kind: 'translation', level: 0 } };
  }
  const off = low48 % span;
  const g = p.granuleBits;
  const stride = g - 3;
  const startLevel = 4 - Math.ceil((p.inputBits - g) / stride);
  const paLimit = pow2(p.paBits);
  let bits = p.inputBits - (g + stride * (3 - startLevel));
  const tableBytes = Math.max(8 * pow2(bits), 64);
  let table = p.ttbr - (p.ttbr % tableBytes);
  if (table >= paLimit) return { params: p, levels, fault: { kind: 'address-size', level: startLevel } };
  let apTable = 0;
  let xnTable = false;
  let pxnTable = false;
  const el2 = p.regime === 'EL2';
  for (let level = startLevel; level <= 3; level++) {
    const shift = g + stride * (3 - level);
    const index = Math.floor(off / pow2(shift)) % pow2(bits);
    const address = table + index * 8;
    const host = c.bus.ramOffset(address);
    const lv: WalkLevel = { level, table, address, index, lo: 0, hi: 0, kind: 'invalid', output: 0 };
    levels.push(lv);
    if (host < 0) return { params: p, levels, fault: { kind: 'external-walk', level } };
    const dlo = c.dv.getInt32(host, true);
    const dhi = c.dv.getInt32(host + 4, true);
    lv.lo = dlo;
    lv.hi = dhi;
    if (!(dlo & 1)) return { params: p, levels, fault: { kind: 'translation', level } };
    const oaFull = (dhi & 0xffff) * TWO32 + (dlo >>> 0);
    if (level < 3 && dlo & 2) {
      lv.kind = 'table';
      lv.output = oaFull - (oaFull % pow2(g));
      lv.apTable = (dhi >>> 29) & 3;
      lv.xnTable = ((dhi >>> 28) & 1) !== 0;
      lv.pxnTable = ((dhi >>> 27) & 1) !== 0;
      // at EL2 (one privilege level) APTable[0] and PXNTable are RES0: ignored
      apTable |= el2 ? lv.apTable & 2 : lv.apTable;
      xnTable ||= lv.xnTable;
      if (!el2) pxnTable ||= lv.pxnTable;
      if (lv.output >= paLimit) return { params: p, levels, fault: { kind: 'address-size', level } };
      table = lv.output;
      bits = stride;
      continue;
    }
    const blockOk = level === 3 ? (dlo & 2) !== 0 : (dlo & 2) === 0 && (g === 12 ? level >= 1 : level === 2);
    if (!blockOk) {
      lv.kind = 'reserved';
      return { params: p, levels, fault: { kind: 'translation', level } };
    }
    lv.kind = level === 3 ? 'page' : 'block';
    const size = pow2(shift);
    lv.output = oaFull - (oaFull % size);
    lv.attrIndx = (dlo >>> 2) & 7;
    lv.ap = (dlo >>> 6) & 3;
    lv.sh = (dlo >>> 8) & 3;
    lv.af = ((dlo >>> 10) & 1) !== 0;
    lv.ng = ((dlo >>> 11) & 1) !== 0;
    lv.contiguous = ((dhi >>> 20) & 1) !== 0;
    lv.pxn = ((dhi >>> 21) & 1) !== 0;
    lv.uxn = ((dhi >>> 22) & 1) !== 0;
    if (lv.output >= paLimit) return { params: p, levels, fault: { kind: 'address-size', level } };
    const attr = (lv.attrIndx < 4 ? p.mairLo >>> (8 * lv.attrIndx) : p.mairHi >>> (8 * (lv.attrIndx - 4))) & 0xff;
    const res: WalkResult = { params: p, levels, pa: lv.output + (off % size), size, attr, sh: lv.sh };
    if (!lv.af) {
      res.fault = { kind: 'access-flag', level };
      return res;
    }
    res.perms = permissions(p, lv, apTable, xnTable, pxnTable);
    return res;
  }
  throw new Error('mmu: walk fell off the last level');
}

const ALL: Permissions = { el0Read: true, el0Write: true, el0Exec: true, privRead: true, privWrite: true, privExec: true };

function permissions(p: TranslationParams, lv: WalkLevel, apTable: number, xnTable: boolean, pxnTable: boolean): Permissions {
  const ap = lv.ap!;
  let readOnly = (ap & 2) !== 0;
  let el0 = (ap & 1) !== 0;
  if (apTable & 2) readOnly = true;
  if (apTable & 1) el0 = false;
  if (p.regime === 'EL2') {
    // one privilege level: AP[1] is ignored (RES1), XN is bit 54
    const xn = lv.uxn! || xnTable || (p.wxn && !readOnly);
    return { el0Read: false, el0Write: false, el0Exec: false, privRead: true, privWrite: !readOnly, privExec: !xn };
  }
  const el0Write = el0 && !readOnly;
  const privWrite = !readOnly;
  const uxn = lv.uxn! || xnTable || (p.wxn && el0Write);
  // EL1 cannot execute what EL0 can write
  const pxn = lv.pxn! || pxnTable || el0Write || (p.wxn && privWrite);
  return { el0Read: el0, el0Write, el0Exec: !uxn, privRead: true, privWrite, privExec: !pxn };
}

/**
 * Whether an access of `kind` at `el` is permitted by `perms`; PAN (PSTATE.PAN at EL1) forbids privileged
 * data accesses to EL0-accessible pages.
 */
export function permitted(perms: Permissions, kind: AccessKind, el: number, pan: boolean): boolean {
  if (el === 0) return kind === 'read' ? perms.el0Read : kind === 'write' ? perms.el0Write : perms.el0Exec;
  if (kind === 'fetch') return perms.privExec;
  if (pan && el === 1 && (perms.el0Read || perms.el0Write)) return false;
  return kind === 'read' ? perms.privRead : perms.privWrite;
}

/** The fault status code (DFSC/IFSC) for a fault kind at a level. */
export function faultStatus(kind: FaultKind, level: number): number {
  return FSC_OF[kind] | (level & 3);
}

/**
 * Translates for an access; returns the PA, or the fault (kind and level). `el` is the EL whose
 * permissions apply (0 for unprivileged and AT S1E0*). Side-effect free. The same walk as `walk` and the
 * same check as `permitted`, without building the typed records (this runs on every soft-TLB miss);
 * test/unit/sys-mmu.test.ts checks the two agree.
 */
export function translateVa(c: Cpu, s: MmuSlots, lo: number, hi: number, kind: AccessKind, el: number): number | { kind: FaultKind; level: number } {
  const r = c.r;
  const fetch = kind === 'fetch';
  const write = kind === 'write';
  if (!stage1Enabled(c, s, el)) {
    if (hi >>> 0 >= pow2(paRangeBits(c) - 32)) return { kind: 'address-size', level: 0 };
    return (hi >>> 0) * TWO32 + (lo >>> 0);
  }
  const el2 = el === 2;
  let g: number;
  let tsz: number;
  let tbi: boolean;
  let epd = false;
  let ttbrSlot: number;
  let ips: number;
  let wxn: boolean;
  let sel = 0;
  if (el2) {
    const tcr = r[s.tcr2];
    g = TG0_BITS[(tcr >>> 14) & 3];
    tsz = tcr & 0x3f;
    tbi = ((tcr >>> 20) & 1) !== 0;
    ttbrSlot = s.ttbr0_2;
    ips = (tcr >>> 16) & 7;
    wxn = ((r[s.sctlr2] >>> 19) & 1) !== 0;
  } else {
    const tcr = r[s.tcr1];
    const tcrHi = r[s.tcr1 + 1];
    sel = (hi >>> 23) & 1;
    if (sel === 0) {
      g = TG0_BITS[(tcr >>> 14) & 3];
      tsz = tcr & 0x3f;
      epd = ((tcr >>> 7) & 1) !== 0;
      ttbrSlot = s.ttbr0_1;
    } else {
      g = TG1_BITS[(tcr >>> 30) & 3];
      tsz = (tcr >>> 16) & 0x3f;
      epd = ((tcr >>> 23) & 1) !== 0;
      ttbrSlot = s.ttbr1_1;
    }
    tbi = ((tcrHi >>> (sel ? 6 : 5)) & 1) !== 0;
    ips = tcrHi & 7;
    wxn = ((r[s.sctlr1] >>> 19) & 1) !== 0;
  }
  if (!granuleOk(c, g)) g = 12;
  const inputBits = 64 - clampTsz(tsz);
  const paBits = Math.min(PA_BITS[ips], paRangeBits(c));
  const topMask = tbi && !fetch ? 0xff : 0xffff;
  const low48 = (hi & 0xffff) * TWO32 + (lo >>> 0);
  const span = pow2(inputBits);
  if (((hi >>> 16) & topMask) !== (sel ? topMask : 0) || Math.floor(low48 / span) !== (sel ? pow2(48 - inputBits) - 1 : 0) || epd) {
    return { kind: 'translation', level: 0 };
  }
  const off = low48 % span;
  const stride = g - 3;
  const startLevel = 4 - Math.ceil((inputBits - g) / stride);
  const paLimit = pow2(paBits);
  let bits = inputBits - (g + stride * (3 - startLevel));
  const ttbr = (r[ttbrSlot + 1] & 0xffff) * TWO32 + (r[ttbrSlot] >>> 0);
  const tableBytes = Math.max(8 * pow2(bits), 64);
  let table = ttbr - (ttbr % tableBytes);
  if (table >= paLimit) return { kind: 'address-size', level: startLevel };
  let apTable = 0;
  let xnTable = false;
  let pxnTable = false;
  const dv = c.dv;
  for (let level = startLevel; level <= 3; level++) {
    const shift = g + stride * (3 - level);
    const address = table + (Math.floor(off / pow2(shift)) % pow2(bits)) * 8;
    const host = c.bus.ramOffset(address);
    if (host < 0) return { kind: 'external-walk', level };
    const dlo = dv.getInt32(host, true);
    const dhi = dv.getInt32(host + 4, true);
    if (!(dlo & 1)) return { kind: 'translation', level };
    const oaFull = (dhi & 0xffff) * TWO32 + (dlo >>> 0);
    if (level < 3 && dlo & 2) {
      const ap = (dhi >>> 29) & 3;
      apTable |= el2 ? ap & 2 : ap;
      if ((dhi >>> 28) & 1) xnTable = true;
      if (!el2 && (dhi >>> 27) & 1) pxnTable = true;
      table = oaFull - (oaFull % pow2(g));
      if (table >= paLimit) return { kind: 'address-size', level };
      bits = stride;
      continue;
    }
    const blockOk = level === 3 ? (dlo & 2) !== 0 : (dlo & 2) === 0 && (g === 12 ? level >= 1 : level === 2);
    if (!blockOk) return { kind: 'translation', level };
    const size = pow2(shift);
    const out = oaFull - (oaFull % size);
    if (out >= paLimit) return { kind: 'address-size', level };
    if (!((dlo >>> 10) & 1)) return { kind: 'access-flag', level };
    // permissions (as `permissions` and `permitted`)
    const readOnly = ((dlo >>> 7) & 1) !== 0 || (apTable & 2) !== 0;
    const uxnBit = ((dhi >>> 22) & 1) !== 0;
    let ok: boolean;
    if (el2) {
      ok = fetch ? !(uxnBit || xnTable || (wxn && !readOnly)) : !write || !readOnly;
    } else {
      const el0 = ((dlo >>> 6) & 1) !== 0 && !(apTable & 1);
      const el0Write = el0 && !readOnly;
      if (el === 0) {
        ok = fetch ? !(uxnBit || xnTable || (wxn && el0Write)) : write ? el0Write : el0;
      } else if (fetch) {
        ok = !(((dhi >>> 21) & 1) !== 0 || pxnTable || el0Write || (wxn && !readOnly));
      } else {
        ok = !(r[I_PAN] !== 0 && el0) && (!write || !readOnly);
      }
    }
    if (!ok) return { kind: 'permission', level };
    return out + (off % size);
  }
  throw new Error('mmu: walk fell off the last level');
}

const TG0_BITS = [12, 16, 14, 12];
const TG1_BITS = [12, 14, 12, 16];

/** The record-building translation (walk + permitted): the reference translateVa is checked against. */
export function translateVaSlow(c: Cpu, s: MmuSlots, lo: number, hi: number, kind: AccessKind, el: number): number | { kind: FaultKind; level: number } {
  const w = walk(c, s, lo, hi, el, kind === 'fetch');
  if (w.fault) return w.fault;
  if (!permitted(w.perms!, kind, el, c.r[I_PAN] !== 0)) return { kind: 'permission', level: w.levels.length ? w.levels[w.levels.length - 1].level : 0 };
  return w.pa!;
}
