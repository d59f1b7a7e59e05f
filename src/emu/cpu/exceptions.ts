// Exceptions: the one place where ESR, FAR, ELR and SPSR are built, the target EL is chosen and the vector
// is taken. Executors and memory paths throw a SyncException; the run loop catches it and calls
// takeSyncException with the address of the faulting instruction. Asynchronous exceptions (IRQ, FIQ,
// SError, and the virtual ones HCR_EL2.VI/VF/VSE inject) are taken by takeInterrupt, which the run loop
// calls at slice boundaries and after instructions that end a block (MSR DAIF, ERET, ISB, WFI).
//
// Routing (AArch64 everywhere, no EL3, no VHE): a synchronous exception goes to max(EL, 1), or to EL2 from
// EL0 when HCR_EL2.TGE is set; IRQ/FIQ/SError go to EL2 when HCR_EL2.{IMO,FMO,AMO} (or TGE) route them
// there, where they are not masked by PSTATE at EL0/EL1, and to EL1 otherwise, where they cannot be taken
// while the CPU is at EL2. Virtual interrupts exist only with routing to EL2 and TGE clear, at EL0/EL1.
import type { Cpu } from './cpu';
import { I_DAIF, I_EL, I_PAN, I_SPSEL } from './regs';
import { FLOW_BRANCH } from './flow';

/** Exception classes (ESR_ELx.EC) that we raise. */
export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
  FP_TRAP: 0x07,
  FP_ACCESS: 0x07,
  SVC64: 0x15,
  HVC64: 0x16,
  SMC64: 0x17,
  MSR_TRAP: 0x18,
  IABT_LOWER: 0x20,
  IABT_CUR: 0x21,
  PC_ALIGN: 0x22,
  DABT_LOWER: 0x24,
  DABT_CUR: 0x25,
  SP_ALIGN: 0x26,
  SERROR: 0x2f,
  BRK64: 0x3c,
} as const;

export const EC_NAMES: Record<number, string> = {
  0x00: 'Unknown reason (undefined instruction)',
  0x01: 'WFI/WFE trapped',
  0x07: 'SIMD/floating-point access trapped (CPACR_EL1.FPEN, CPTR_EL2.TFP)',
  0x15: 'SVC from AArch64',
  0x16: 'HVC from AArch64',
  0x17: 'SMC from AArch64',
  0x18: 'MSR/MRS/system instruction trapped',
  0x20: 'Instruction abort from a lower EL',
  0x21: 'Instruction abort, same EL',
  0x22: 'PC alignment fault',
  0x24: 'Data abort from a lower EL',
  0x25: 'Data abort, same EL',
  0x26: 'SP alignment fault',
  0x2f: 'SError interrupt',
  0x3c: 'BRK from AArch64',
};

export interface SyncOptions {
  /** The exception is taken after the instruction completed (SVC, HVC, SMC): ELR is the next instruction. */
  returnNext?: boolean;
  /** Faulting virtual address for FAR_ELx. */
  far?: [number, number];
  /** Target EL; default max(current EL, 1). */
  targetEl?: number;
  /** ESR.IL; 1 (32-bit instruction) unless said otherwise. */
  il?: 0 | 1;
}

export class SyncException {
  readonly returnNext: boolean;
  readonly far?: [number, number];
  readonly targetEl?: number;
  readonly il: 0 | 1;
  constructor(readonly ec: number, readonly iss: number, o: SyncOptions = {}) {
    this.returnNext = !!o.returnNext;
    this.far = o.far;
    this.targetEl = o.targetEl;
    this.il = o.il ?? 1;
  }
  get esr(): number {
    return ((this.ec << 26) | (this.il << 25) | (this.iss & 0x1ffffff)) >>> 0;
  }
}

/** Thrown by a breakpoint slot: stop before executing the instruction. */
export const STOP = Symbol('breakpoint stop');

/** Vector offsets from VBAR_ELx for the exception type. */
export const VECTOR = { SYNC: 0x000, IRQ: 0x080, FIQ: 0x100, SERROR: 0x180 } as const;

/** Bits of HCR_EL2 (low word) used for routing and traps. */
export const HCR = {
  FMO: 1 << 3, IMO: 1 << 4, AMO: 1 << 5, VF: 1 << 6, VI: 1 << 7, VSE: 1 << 8, TWI: 1 << 13, TWE: 1 << 14,
  TID3: 1 << 18, TSC: 1 << 19, TACR: 1 << 21, TTLB: 1 << 25, TVM: 1 << 26, TGE: 1 << 27, HCD: 1 << 29, TRVM: 1 << 30,
} as const;

/** Where the slots of the registers exception entry touches are, resolved once (see sysregs.ts). */
export interface ExceptionSlots {
  cpacr: number;
  cptr: number;
  elr: number[];
  spsr: number[];
  esr: number[];
  far: number[];
  vbar: number[];
  hcr: number;
  sctlr1: number;
}
let SLOTS: ExceptionSlots | null = null;
/** Called once by sysregs.ts with the slots of ELR/SPSR/ESR/FAR/VBAR_EL1/EL2, HCR_EL2 and SCTLR_EL1. */
export function setExceptionSlots(s: ExceptionSlots): void {
  SLOTS = s;
}
function slots(): ExceptionSlots {
  return SLOTS!;
}

/** HCR_EL2 (low word) as it applies now: 0 when EL2 is not implemented. */
export function hcrLo(c: Cpu): number {
  return c.opts.highestEl >= 2 ? c.r[slots().hcr] : 0;
}

/** The EL a synchronous exception from the current EL goes to (HCR_EL2.TGE sends EL0's to EL2). */
export function syncTargetEl(c: Cpu): number {
  const el = c.r[I_EL];
  if (el === 0) return hcrLo(c) & HCR.TGE ? 2 : 1;
  return el;
}

/**
 * Takes an exception of vector type `kind` to `target` EL: saves PSTATE to SPSR_ELx and the return address
 * to ELR_ELx, masks DAIF, selects SP_ELx and jumps to VBAR_ELx + offset.
 */
export function enterException(c: Cpu, target: number, kind: number, retLo: number, retHi: number): void {
  const S = slots();
  const from = c.el;
  const spsel = c.r[I_SPSEL];
  const spsr = c.packPstate();
  c.r[S.elr[target]] = retLo;
  c.r[S.elr[target] + 1] = retHi;
  c.r[S.spsr[target]] = spsr;
  c.r[S.spsr[target] + 1] = 0;
  let off = kind;
  if (from < target) off += 0x400;
  else if (spsel) off += 0x200;
  c.setElSp(target, 1);
  c.r[I_DAIF] = 0xf;
  // PSTATE.PAN is set on an exception to EL1 when SCTLR_EL1.SPAN is 0 (FEAT_PAN); EL2 (no VHE) has no PAN
  if (target === 1 && c.features.has('FEAT_PAN') && !(c.r[S.sctlr1] & (1 << 23))) c.r[I_PAN] = 1;
  const vLo = c.r[S.vbar[target]];
  const vHi = c.r[S.vbar[target] + 1];
  // VBAR is 2 KiB aligned, so adding an offset below 0x800 never carries
  c.branch((vLo & ~0x7ff) | off, vHi);
  c.flow |= FLOW_BRANCH;
}

export function takeSyncException(c: Cpu, ex: SyncException, pcLo: number, pcHi: number): void {
  const S = slots();
  const target = ex.targetEl ?? syncTargetEl(c);
  let retLo = pcLo;
  let retHi = pcHi;
  if (ex.returnNext) {
    retLo = (pcLo + 4) | 0;
    if (retLo === 0 && pcLo === -4) retHi = (pcHi + 1) | 0;
  }
  c.r[S.esr[target]] = ex.esr | 0;
  c.r[S.esr[target] + 1] = 0;
  if (ex.far) {
    c.r[S.far[target]] = ex.far[0];
    c.r[S.far[target] + 1] = ex.far[1];
  }
  enterException(c, target, VECTOR.SYNC, retLo, retHi);
}

/** Kinds of asynchronous exception, in priority order when several are pending (IMPLEMENTATION DEFINED). */
export type AsyncKind = 'serror' | 'fiq' | 'irq' | 'vserror' | 'vfiq' | 'virq';

/**
 * The asynchronous exception to take now, with its target EL, or null. PSTATE.{A,I,F} mask an interrupt
 * whose target is the current EL; one routed to a higher EL is taken regardless, one whose target is lower
 * than the current EL waits.
 */
export function pendingAsync(c: Cpu): { kind: AsyncKind; target: number } | null {
  const el = c.r[I_EL];
  const daif = c.r[I_DAIF];
  const hcr = hcrLo(c);
  const tge = (hcr & HCR.TGE) !== 0;
  const pick = (route: number, mask: number): number => {
    if (hcr & route || tge) return el < 2 || !(daif & mask) ? 2 : -1;
    return el < 2 && !(daif & mask) ? 1 : -1;
  };
  let t: number;
  if (c.serrorPending && (t = pick(HCR.AMO, 4)) >= 0) return { kind: 'serror', target: t };
  if (c.fiqLine && (t = pick(HCR.FMO, 1)) >= 0) return { kind: 'fiq', target: t };
  if (c.irqLine && (t = pick(HCR.IMO, 2)) >= 0) return { kind: 'irq', target: t };
  if (el < 2 && !tge) {
    if (hcr & HCR.VSE && hcr & HCR.AMO && !(daif & 4)) return { kind: 'vserror', target: 1 };
    if (hcr & HCR.VF && hcr & HCR.FMO && !(daif & 1)) return { kind: 'vfiq', target: 1 };
    if (hcr & HCR.VI && hcr & HCR.IMO && !(daif & 2)) return { kind: 'virq', target: 1 };
  }
  return null;
}

/** Whether something would wake a WFI: any interrupt that could be taken at some EL, masks aside. */
export function wfiWakeup(c: Cpu): boolean {
  if (c.irqLine || c.fiqLine || c.serrorPending) return true;
  const hcr = hcrLo(c);
  return c.r[I_EL] < 2 && !(hcr & HCR.TGE) && ((hcr & HCR.VI && hcr & HCR.IMO) || (hcr & HCR.VF && hcr & HCR.FMO) || (hcr & HCR.VSE && hcr & HCR.AMO)) !== 0;
}

/**
 * Takes the pending asynchronous exception, if any (the PC is the next instruction to execute, which is
 * the preferred return address). Returns true when one was taken.
 */
export function takeInterrupt(c: Cpu, pcLo: number, pcHi: number): boolean {
  const p = pendingAsync(c);
  if (!p) return false;
  const S = slots();
  let kind: number = VECTOR.IRQ;
  if (p.kind === 'fiq' || p.kind === 'vfiq') kind = VECTOR.FIQ;
  else if (p.kind === 'serror' || p.kind === 'vserror') {
    kind = VECTOR.SERROR;
    // ESR for an SError: EC 0x2F, IL 1; ISS 0 (IDS 0, uncategorized) for a physical one, VSESR_EL2's ISS
    // (we keep none: 0) for a virtual one. HCR_EL2.VSE is cleared when the virtual SError is taken.
    c.r[S.esr[p.target]] = ((EC.SERROR << 26) | (1 << 25)) | 0;
    c.r[S.esr[p.target] + 1] = 0;
    if (p.kind === 'serror') c.serrorPending = false;
    else c.r[S.hcr] &= ~HCR.VSE;
  }
  enterException(c, p.target, kind, pcLo, pcHi);
  c.hooks.interruptTaken?.(c, p.kind, p.target);
  return true;
}
