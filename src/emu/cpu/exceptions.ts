// Synchronous exceptions: the one place where ESR, FAR, ELR and SPSR are built and the vector is taken.
// Executors and memory paths throw a SyncException; the run loop catches it and calls takeSyncException
// with the address of the faulting instruction.
import type { Cpu } from './cpu';
import { I_DAIF, I_SPSEL } from './regs';
import { FLOW_BRANCH } from './flow';

/** Exception classes (ESR_ELx.EC) that we raise. */
export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
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

/**
 * Takes an exception of vector type `kind` to `target` EL: saves PSTATE to SPSR_ELx and the return address
 * to ELR_ELx, masks DAIF, selects SP_ELx and jumps to VBAR_ELx + offset.
 */
export function enterException(c: Cpu, target: number, kind: number, retLo: number, retHi: number): void {
  const from = c.el;
  const spsel = c.r[I_SPSEL];
  const spsr = c.packPstate();
  c.sys.setPair(`ELR_EL${target}`, retLo, retHi);
  c.sys.setPair(`SPSR_EL${target}`, spsr, 0);
  let off = kind;
  if (from < target) off += 0x400;
  else if (spsel) off += 0x200;
  c.setElSp(target, 1);
  c.r[I_DAIF] = 0xf;
  const [vLo, vHi] = c.sys.getPair(`VBAR_EL${target}`);
  // VBAR is 2 KiB aligned, so adding an offset below 0x800 never carries
  c.branch((vLo & ~0x7ff) | off, vHi);
  c.flow |= FLOW_BRANCH;
}

export function takeSyncException(c: Cpu, ex: SyncException, pcLo: number, pcHi: number): void {
  const target = ex.targetEl ?? Math.max(c.el, 1);
  let retLo = pcLo;
  let retHi = pcHi;
  if (ex.returnNext) {
    retLo = (pcLo + 4) | 0;
    if (retLo === 0 && pcLo === -4) retHi = (pcHi + 1) | 0;
  }
  c.sys.setPair(`ESR_EL${target}`, ex.esr, 0);
  if (ex.far) c.sys.setPair(`FAR_EL${target}`, ex.far[0], ex.far[1]);
  enterException(c, target, VECTOR.SYNC, retLo, retHi);
}
