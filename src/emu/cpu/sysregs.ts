// System registers as data: one row per register with its MRS/MSR encoding (op0, op1, CRn, CRm, op2), the
// lowest EL allowed to access it, its reset value and, for registers that are views of other state
// (NZCV, DAIF, CurrentEL, SPSel, SP_ELx, the counters), get/set hooks. Plain registers are stored as lo/hi
// pairs in the CPU's block of the StateMemory. MRS/MSR executors are specialised at decode time through
// `lookup`, so the run loop never searches this table.
//
// IMPLEMENTATION DEFINED choices: MIDR and the ID registers come from the CPU model (models.ts; default a
// Cortex-A57 r1p3); the virtual counter advances one tick per retired instruction; RNDR/RNDRRS read a
// deterministic seeded generator (rng.ts) and never fail (NZCV = 0000). A register with a `feature` exists
// only on models with that feature (MRS/MSR UNDEF otherwise).
import type { Cpu } from './cpu';
import { EC, SyncException } from './exceptions';
import { DEFAULT_RNG_SEED } from './models';
import { Rng } from './rng';
import { ICC_SYSREGS } from './iccSysregs';
import { I_DAIF, I_EL, I_FPCR, I_FPSR, I_PAN, I_SPSEL, I_SYSREG, SYSREG_SLOTS } from './regs';
import { HCR, setExceptionSlots } from './exceptions';
import { TIMER_ROWS, bindTimerSlots } from './timer';

export interface SysRegDef {
  readonly name: string;
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  /** Lowest EL that may access it. */
  readonly el: 0 | 1 | 2;
  readonly reset?: bigint | ((c: Cpu) => bigint);
  readonly readOnly?: boolean;
  /** Bits that MSR can change (others keep their value); all when absent. */
  readonly writeMask?: bigint;
  /** For views of other state. */
  readonly get?: (c: Cpu) => bigint;
  /** The same view without BigInt, for registers polled in loops: leaves the value in c.ldLo/c.ldHi. */
  readonly getPair?: (c: Cpu) => void;
  readonly set?: (c: Cpu, v: bigint) => void;
  /** Needs EL2 to exist. */
  readonly el2?: boolean;
  /** Exists only when the CPU model has this feature (models.ts). */
  readonly feature?: string;
  /**
   * Traps checked before the access (after the EL and existence checks): throws the trap's exception.
   * `iss` is the EC 0x18 syndrome of this access (Op0, Op2, Op1, CRn, Rt, CRm, Direction: 1 = MRS).
   */
  readonly access?: (c: Cpu, iss: number) => void;
}

export const r = (name: string, op0: number, op1: number, crn: number, crm: number, op2: number, el: 0 | 1 | 2, extra: Partial<SysRegDef> = {}): SysRegDef => ({
  name, op0, op1, crn, crm, op2, el, ...extra,
});

function daifGet(c: Cpu): bigint {
  return BigInt(c.r[I_DAIF] << 6);
}

/** RNDR/RNDRRS: 64 random bits; success is reported as NZCV = 0000. */
function rndr(c: Cpu): bigint {
  c.nzcv = 0;
  const lo = c.sys.rng.next32();
  const hi = c.sys.rng.next32();
  return pairToBig([lo, hi]);
}

/** DCZID_EL0: BS from the model; DZP = 1 at EL0 when SCTLR_EL1.DZE is 0 (DC ZVA would trap). */
function dczidGet(c: Cpu): bigint {
  const dze = (c.sys.getPair('SCTLR_EL1')[0] >>> 14) & 1;
  return BigInt(c.model.dczid | (c.el === 0 && !dze ? 0x10 : 0));
}

/** The virtual memory controls HCR_EL2.TVM (writes) and TRVM (reads) trap, and the other HCR/CPTR traps. */
const TVM_REGS = new Set(['SCTLR_EL1', 'TTBR0_EL1', 'TTBR1_EL1', 'TCR_EL1', 'ESR_EL1', 'FAR_EL1', 'AFSR0_EL1', 'AFSR1_EL1', 'MAIR_EL1', 'AMAIR_EL1', 'CONTEXTIDR_EL1']);
const TID3_REGS = /^ID_AA64(PFR|DFR|ISAR|MMFR|AFR)\d_EL1$/;

/**
 * FPCR bits that exist: AHP [26], DN [25], FZ [24], RMode [23:22], and FZ16 [19] with FEAT_FP16. The trap
 * enables (IDE, IXE, UFE, OFE, DZE, IOE) are RAZ/WI: trapped floating-point exceptions are not implemented
 * (IMPLEMENTATION DEFINED, as in QEMU). Len and Stride [21:16] are RES0 in AArch64; QEMU 7.2 keeps what is
 * written there, we keep them 0 (architectural; guests do not write them).
 */
const FPCR_BITS = 0x07c00000;
const FPCR_FZ16 = 1 << 19;
/** FPSR: QC [27] and the cumulative flags IDC [7], IXC [4], UFC [3], OFC [2], DZC [1], IOC [0]. */
const FPSR_BITS = 0x0800009f;

function fpcrSet(c: Cpu, v: bigint): void {
  fpTrapCheck(c);
  const mask = FPCR_BITS | (c.features.has('FEAT_FP16') ? FPCR_FZ16 : 0);
  c.r[I_FPCR] = Number(v & 0xffffffffn) & mask;
}

export const SYSREGS: readonly SysRegDef[] = [
  // SIMD&FP control and status: views of I_FPCR/I_FPSR; every access is subject to the FP traps
  r('FPCR', 3, 3, 4, 4, 0, 0, { get: (c) => (fpTrapCheck(c), BigInt(c.r[I_FPCR] >>> 0)), set: fpcrSet }),
  r('FPSR', 3, 3, 4, 4, 1, 0, {
    get: (c) => (fpTrapCheck(c), BigInt(c.r[I_FPSR] >>> 0)),
    set: (c, v) => { fpTrapCheck(c); c.r[I_FPSR] = Number(v & 0xffffffffn) & FPSR_BITS; },
  }),
  // special-purpose views of PSTATE and the stack pointers
  r('NZCV', 3, 3, 4, 2, 0, 0, { get: (c) => BigInt(c.nzcv), set: (c, v) => { c.nzcv = Number(v & 0xf0000000n); } }),
  r('DAIF', 3, 3, 4, 2, 1, 1, { get: daifGet, set: (c, v) => { c.r[I_DAIF] = Number((v >> 6n) & 0xfn); } }),
  r('CurrentEL', 3, 0, 4, 2, 2, 1, { readOnly: true, get: (c) => BigInt(c.r[I_EL] << 2) }),
  r('SPSel', 3, 0, 4, 2, 0, 1, { get: (c) => BigInt(c.r[I_SPSEL]), set: (c, v) => c.setElSp(c.el, Number(v & 1n)) }),
  r('SP_EL0', 3, 0, 4, 1, 0, 1, { get: (c) => pairToBig(c.getSpEl(0)), set: (c, v) => c.setSpEl(0, ...bigToPair(v)) }),
  r('SP_EL1', 3, 4, 4, 1, 0, 2, { el2: true, get: (c) => pairToBig(c.getSpEl(1)), set: (c, v) => c.setSpEl(1, ...bigToPair(v)) }),
  // exception state
  r('SPSR_EL1', 3, 0, 4, 0, 0, 1),
  r('ELR_EL1', 3, 0, 4, 0, 1, 1),
  r('ESR_EL1', 3, 0, 5, 2, 0, 1),
  r('FAR_EL1', 3, 0, 6, 0, 0, 1),
  r('VBAR_EL1', 3, 0, 12, 0, 0, 1, { writeMask: ~0x7ffn & 0xffffffffffffffffn }),
  r('SPSR_EL2', 3, 4, 4, 0, 0, 2, { el2: true }),
  r('ELR_EL2', 3, 4, 4, 0, 1, 2, { el2: true }),
  r('ESR_EL2', 3, 4, 5, 2, 0, 2, { el2: true }),
  r('FAR_EL2', 3, 4, 6, 0, 0, 2, { el2: true }),
  r('VBAR_EL2', 3, 4, 12, 0, 0, 2, { el2: true, writeMask: ~0x7ffn & 0xffffffffffffffffn }),
  // thread ID registers
  r('TPIDR_EL0', 3, 3, 13, 0, 2, 0),
  r('TPIDRRO_EL0', 3, 3, 13, 0, 3, 0),
  r('TPIDR_EL1', 3, 0, 13, 0, 4, 1),
  r('TPIDR_EL2', 3, 4, 13, 0, 2, 2, { el2: true }),
  r('CONTEXTIDR_EL1', 3, 0, 13, 0, 1, 1),
  // generic timer: timer.ts
  ...TIMER_ROWS,
  // identification
  // with EL2 implemented, EL1 reads of MIDR/MPIDR return VPIDR_EL2/VMPIDR_EL2
  r('MIDR_EL1', 3, 0, 0, 0, 0, 1, { readOnly: true, reset: (c) => c.model.midr, get: (c) => (c.el < 2 && c.opts.highestEl >= 2 ? c.sys.get('VPIDR_EL2') : c.model.midr) }),
  r('MPIDR_EL1', 3, 0, 0, 0, 5, 1, { readOnly: true, reset: mpidrReset, get: (c) => (c.el < 2 && c.opts.highestEl >= 2 ? c.sys.get('VMPIDR_EL2') : mpidrReset(c)) }),
  r('REVIDR_EL1', 3, 0, 0, 0, 6, 1, { readOnly: true, reset: (c) => c.model.revidr }),
  r('ID_AA64PFR0_EL1', 3, 0, 0, 4, 0, 1, { readOnly: true, reset: (c) => c.model.pfr0 | (c.opts.highestEl >= 2 ? 0x100n : 0n) }),
  r('ID_AA64PFR1_EL1', 3, 0, 0, 4, 1, 1, { readOnly: true, reset: (c) => c.model.pfr1 }),
  r('ID_AA64DFR0_EL1', 3, 0, 0, 5, 0, 1, { readOnly: true, reset: (c) => c.model.dfr0 }),
  r('ID_AA64DFR1_EL1', 3, 0, 0, 5, 1, 1, { readOnly: true }),
  r('ID_AA64ISAR0_EL1', 3, 0, 0, 6, 0, 1, { readOnly: true, reset: (c) => c.model.isar0 }),
  r('ID_AA64ISAR1_EL1', 3, 0, 0, 6, 1, 1, { readOnly: true, reset: (c) => c.model.isar1 }),
  r('ID_AA64ISAR2_EL1', 3, 0, 0, 6, 2, 1, { readOnly: true, reset: (c) => c.model.isar2 }),
  r('ID_AA64MMFR0_EL1', 3, 0, 0, 7, 0, 1, { readOnly: true, reset: (c) => c.model.mmfr0 }),
  r('ID_AA64MMFR1_EL1', 3, 0, 0, 7, 1, 1, { readOnly: true, reset: (c) => c.model.mmfr1 }),
  r('ID_AA64MMFR2_EL1', 3, 0, 0, 7, 2, 1, { readOnly: true, reset: (c) => c.model.mmfr2 }),
  r('CTR_EL0', 3, 3, 0, 0, 1, 0, { readOnly: true, reset: (c) => c.model.ctr }),
  r('DCZID_EL0', 3, 3, 0, 0, 7, 0, { readOnly: true, get: dczidGet }),
  r('CLIDR_EL1', 3, 1, 0, 0, 1, 1, { readOnly: true, reset: (c) => c.model.clidr }),
  // FEAT_LOR: the registers exist, with no LORegions (LORID_EL1 = 0), so LDLAR/STLLR act as LDAR/STLR
  r('LORSA_EL1', 3, 0, 10, 4, 0, 1, { feature: 'FEAT_LOR' }),
  r('LOREA_EL1', 3, 0, 10, 4, 1, 1, { feature: 'FEAT_LOR' }),
  r('LORN_EL1', 3, 0, 10, 4, 2, 1, { feature: 'FEAT_LOR' }),
  r('LORC_EL1', 3, 0, 10, 4, 3, 1, { feature: 'FEAT_LOR', writeMask: 1n }),
  r('LORID_EL1', 3, 0, 10, 4, 7, 1, { readOnly: true, feature: 'FEAT_LOR' }),
  // FEAT_RNG
  r('RNDR', 3, 3, 2, 4, 0, 0, { readOnly: true, feature: 'FEAT_RNG', get: rndr }),
  r('RNDRRS', 3, 3, 2, 4, 1, 0, { readOnly: true, feature: 'FEAT_RNG', get: rndr }),
  r('CSSELR_EL1', 3, 2, 0, 0, 0, 1),
  r('CCSIDR_EL1', 3, 1, 0, 0, 0, 1, { readOnly: true, reset: 0x701fe01an }),
  // control and translation (stored; their effects arrive with the system model)
  r('SCTLR_EL1', 3, 0, 1, 0, 0, 1, { reset: 0x30d00800n }),
  r('ACTLR_EL1', 3, 0, 1, 0, 1, 1),
  r('CPACR_EL1', 3, 0, 1, 0, 2, 1),
  r('TTBR0_EL1', 3, 0, 2, 0, 0, 1),
  r('TTBR1_EL1', 3, 0, 2, 0, 1, 1),
  r('TCR_EL1', 3, 0, 2, 0, 2, 1),
  r('MAIR_EL1', 3, 0, 10, 2, 0, 1),
  r('AMAIR_EL1', 3, 0, 10, 3, 0, 1),
  r('PAR_EL1', 3, 0, 7, 4, 0, 1),
  r('MDSCR_EL1', 2, 0, 0, 2, 2, 1),
  // The breakpoint and watchpoint registers ID_AA64DFR0 advertises (2 + 2): stored, but self-hosted debug
  // exceptions are not generated (the debugger's breakpoints and watchpoints are the emulator's own)
  ...[0, 1].flatMap((n) => [
    r(`DBGBVR${n}_EL1`, 2, 0, 0, n, 4, 1), r(`DBGBCR${n}_EL1`, 2, 0, 0, n, 5, 1),
    r(`DBGWVR${n}_EL1`, 2, 0, 0, n, 6, 1), r(`DBGWCR${n}_EL1`, 2, 0, 0, n, 7, 1),
  ]),
  r('OSLAR_EL1', 2, 0, 1, 0, 4, 1),
  r('OSDLR_EL1', 2, 0, 1, 3, 4, 1),
  r('SCTLR_EL2', 3, 4, 1, 0, 0, 2, { el2: true, reset: 0x30c50830n }),
  r('HCR_EL2', 3, 4, 1, 1, 0, 2, { el2: true }),
  r('MDCR_EL2', 3, 4, 1, 1, 1, 2, { el2: true }),
  r('CPTR_EL2', 3, 4, 1, 1, 2, 2, { el2: true, reset: 0x33ffn }),
  r('HSTR_EL2', 3, 4, 1, 1, 3, 2, { el2: true }),
  r('TTBR0_EL2', 3, 4, 2, 0, 0, 2, { el2: true }),
  r('TCR_EL2', 3, 4, 2, 0, 2, 2, { el2: true }),
  r('MAIR_EL2', 3, 4, 10, 2, 0, 2, { el2: true }),
  r('VPIDR_EL2', 3, 4, 0, 0, 0, 2, { el2: true, reset: (c) => c.model.midr }),
  r('VMPIDR_EL2', 3, 4, 0, 0, 5, 2, { el2: true, reset: mpidrReset }),
  r('VTTBR_EL2', 3, 4, 2, 1, 0, 2, { el2: true }),
  r('VTCR_EL2', 3, 4, 2, 1, 2, 2, { el2: true }),
  // more EL1/EL2 state kernels program on the way down from EL2 (stored; no further effect)
  r('AFSR0_EL1', 3, 0, 5, 1, 0, 1),
  r('AFSR1_EL1', 3, 0, 5, 1, 1, 1),
  r('ACTLR_EL2', 3, 4, 1, 0, 1, 2, { el2: true }),
  r('HACR_EL2', 3, 4, 1, 1, 7, 2, { el2: true }),
  r('AFSR0_EL2', 3, 4, 5, 1, 0, 2, { el2: true }),
  r('AFSR1_EL2', 3, 4, 5, 1, 1, 2, { el2: true }),
  r('HPFAR_EL2', 3, 4, 6, 0, 4, 2, { el2: true }),
  r('AMAIR_EL2', 3, 4, 10, 3, 0, 2, { el2: true }),
  r('VSESR_EL2', 3, 4, 5, 2, 3, 2, { el2: true, feature: 'FEAT_RAS' }),
  r('ID_AA64AFR0_EL1', 3, 0, 0, 5, 4, 1, { readOnly: true }),
  r('ID_AA64AFR1_EL1', 3, 0, 0, 5, 5, 1, { readOnly: true }),
  // FEAT_PAN: PSTATE.PAN as a register (MSR PAN, #imm is in exec/system.ts)
  // GICv3 CPU interface: forwarded to CpuOptions.interrupts (iccSysregs.ts)
  ...ICC_SYSREGS,
  r('PAN', 3, 0, 4, 2, 3, 1, { feature: 'FEAT_PAN', get: (c) => BigInt(c.r[I_PAN] << 22), set: (c, v) => { c.r[I_PAN] = Number((v >> 22n) & 1n); } }),
].map(withTraps);

function mpidrReset(c: Cpu): bigint {
  return 0x80000000n | BigInt(c.opts.mpidr);
}

/** Throws the EC 0x18 trap of an MSR/MRS to `el`. */
export function sysregTrap(iss: number, el: number): never {
  throw new SyncException(EC.MSR_TRAP, iss, { targetEl: el });
}

/** EL1 accesses trapped to EL2 by HCR_EL2 bit `bit` (for MSR when write, MRS when read). */
function hcrTrap(readBit: number, writeBit: number): (c: Cpu, iss: number) => void {
  return (c, iss) => {
    if (c.r[I_EL] !== 1 || c.opts.highestEl < 2) return;
    const hcr = c.r[HCR_SLOT];
    if (hcr & (iss & 1 ? readBit : writeBit)) sysregTrap(iss, 2);
  };
}

function withTraps(d: SysRegDef): SysRegDef {
  if (TVM_REGS.has(d.name)) return { ...d, access: hcrTrap(HCR.TRVM, HCR.TVM) };
  if (TID3_REGS.test(d.name)) return { ...d, access: hcrTrap(HCR.TID3, 0) };
  if (d.name === 'ACTLR_EL1') return { ...d, access: hcrTrap(HCR.TACR, HCR.TACR) };
  if (d.name === 'CPACR_EL1') {
    // CPTR_EL2.TCPAC (bit 31): EL1 accesses to CPACR_EL1 trap to EL2
    return { ...d, access: (c, iss) => { if (c.r[I_EL] === 1 && c.opts.highestEl >= 2 && c.r[CPTR_SLOT] & (1 << 31)) sysregTrap(iss, 2); } };
  }
  return d;
}

/**
 * The SIMD&FP access traps (Arm ARM D19.2, CPACR_EL1.FPEN and CPTR_EL2.TFP): every SIMD&FP instruction, and
 * MRS/MSR of FPCR/FPSR, calls this first (the decode cache wraps the executors of the 'fp', 'fpldst' and
 * 'simd' classes, decodeCache.ts). FPEN 0b01 traps EL0 only, 0b00/0b10 EL0 and EL1, to EL1; CPTR_EL2.TFP
 * traps EL0..EL2 to EL2 when EL2 exists. ESR: EC 0x07 with ISS CV = 1, COND = 0xE (ISS 0x1E00000), as QEMU
 * reports it for AArch64 (the fields only carry meaning for AArch32). HCR_EL2.TGE routes EL0's traps to EL2.
 * Not modelled: the E2H (VHE) layout of CPTR_EL2. The fast test in FP_ENABLED_MASK form is inlined by
 * the wrapper; this is its slow path and also the full check.
 */
export function fpTrapCheck(c: Cpu): void {
  const r = c.r;
  const el = r[I_EL];
  if (el < 2) {
    const fpen = (r[CPACR_SLOT] >>> 20) & 3;
    if (fpen !== 3 && (fpen !== 1 || el === 0)) {
      const tge = el === 0 && c.opts.highestEl >= 2 && (r[HCR_SLOT] & HCR.TGE) !== 0;
      throw new SyncException(EC.FP_ACCESS, FP_TRAP_ISS, { targetEl: tge ? 2 : 1 });
    }
  }
  if (el <= 2 && c.opts.highestEl >= 2 && r[CPTR_SLOT] & CPTR_TFP) throw new SyncException(EC.FP_ACCESS, FP_TRAP_ISS, { targetEl: 2 });
}

const FP_TRAP_ISS = 0x1e00000;
/** CPACR_EL1.FPEN [21:20] = 0b11: no trap at EL0 or EL1. */
export const CPACR_FPEN = 0x300000;
/** CPTR_EL2.TFP [10]. */
export const CPTR_TFP = 0x400;

export function sysregKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

const BY_KEY = new Map<number, number>();
const BY_NAME = new Map<string, number>();
SYSREGS.forEach((d, i) => {
  const k = sysregKey(d.op0, d.op1, d.crn, d.crm, d.op2);
  if (BY_KEY.has(k)) throw new Error(`sysregs: ${d.name} duplicates an encoding`);
  BY_KEY.set(k, i);
  BY_NAME.set(d.name, i);
});
/** Slots (lo words) of CPACR_EL1 and CPTR_EL2, for the FP trap check. */
export const CPACR_SLOT = I_SYSREG + 2 * BY_NAME.get('CPACR_EL1')!;
export const CPTR_SLOT = I_SYSREG + 2 * BY_NAME.get('CPTR_EL2')!;
if (SYSREGS.length > SYSREG_SLOTS) throw new Error('sysregs: more registers than SYSREG_SLOTS');
const slotNamed = (n: string): number => I_SYSREG + 2 * BY_NAME.get(n)!;
const HCR_SLOT = slotNamed('HCR_EL2');
bindTimerSlots(slotNamed);
setExceptionSlots({
  cpacr: slotNamed('CPACR_EL1'),
  cptr: CPTR_SLOT,
  elr: [-1, slotNamed('ELR_EL1'), slotNamed('ELR_EL2')],
  spsr: [-1, slotNamed('SPSR_EL1'), slotNamed('SPSR_EL2')],
  esr: [-1, slotNamed('ESR_EL1'), slotNamed('ESR_EL2')],
  far: [-1, slotNamed('FAR_EL1'), slotNamed('FAR_EL2')],
  vbar: [-1, slotNamed('VBAR_EL1'), slotNamed('VBAR_EL2')],
  hcr: HCR_SLOT,
  sctlr1: slotNamed('SCTLR_EL1'),
});

export function pairToBig([lo, hi]: [number, number]): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function bigToPair(v: bigint): [number, number] {
  return [Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0];
}

/** The system registers of one CPU. */
export class SysRegFile {
  /** The FEAT_RNG generator (RNDR/RNDRRS), reseeded on reset. */
  readonly rng = new Rng();

  constructor(private readonly cpu: Cpu) {}

  static lookup(op0: number, op1: number, crn: number, crm: number, op2: number): { def: SysRegDef; slot: number } | undefined {
    const i = BY_KEY.get(sysregKey(op0, op1, crn, crm, op2));
    return i === undefined ? undefined : { def: SYSREGS[i], slot: I_SYSREG + 2 * i };
  }

  static byName(name: string): { def: SysRegDef; slot: number } | undefined {
    const i = BY_NAME.get(name);
    return i === undefined ? undefined : { def: SYSREGS[i], slot: I_SYSREG + 2 * i };
  }

  /** Whether the register exists on this CPU (EL2 registers need EL2; feature registers their feature). */
  exists(def: SysRegDef): boolean {
    return (!def.el2 || this.cpu.opts.highestEl >= 2) && (def.feature === undefined || this.cpu.features.has(def.feature));
  }

  reset(): void {
    const c = this.cpu;
    this.rng.seed(c.opts.rngSeed ?? DEFAULT_RNG_SEED, c.index);
    SYSREGS.forEach((d, i) => {
      const v = typeof d.reset === 'function' ? d.reset(c) : d.reset ?? 0n;
      const [lo, hi] = bigToPair(v);
      c.r[I_SYSREG + 2 * i] = lo;
      c.r[I_SYSREG + 2 * i + 1] = hi;
    });
  }

  private slotOf(name: string): number {
    const i = BY_NAME.get(name);
    if (i === undefined) throw new Error(`no system register ${name}`);
    return I_SYSREG + 2 * i;
  }

  /** Raw stored pair of a plain register (no hooks). */
  getPair(name: string): [number, number] {
    const s = this.slotOf(name);
    return [this.cpu.r[s], this.cpu.r[s + 1]];
  }

  setPair(name: string, lo: number, hi: number): void {
    const s = this.slotOf(name);
    this.cpu.r[s] = lo;
    this.cpu.r[s + 1] = hi;
  }

  /** Value as MRS would read it (hooks applied). */
  get(name: string): bigint {
    const i = BY_NAME.get(name);
    if (i === undefined) throw new Error(`no system register ${name}`);
    return this.readDef(SYSREGS[i], I_SYSREG + 2 * i);
  }

  /** Writes as MSR would (hooks and write mask applied; read-only registers are written anyway: debugger). */
  set(name: string, v: bigint): void {
    const i = BY_NAME.get(name);
    if (i === undefined) throw new Error(`no system register ${name}`);
    this.writeDef(SYSREGS[i], I_SYSREG + 2 * i, v);
  }

  readDef(def: SysRegDef, slot: number): bigint {
    if (def.get) return BigInt.asUintN(64, def.get(this.cpu));
    return pairToBig([this.cpu.r[slot], this.cpu.r[slot + 1]]);
  }

  writeDef(def: SysRegDef, slot: number, v: bigint): void {
    v = BigInt.asUintN(64, v);
    if (def.set) return def.set(this.cpu, v);
    if (def.writeMask !== undefined) v = (v & def.writeMask) | (pairToBig([this.cpu.r[slot], this.cpu.r[slot + 1]]) & ~def.writeMask);
    const [lo, hi] = bigToPair(v);
    this.cpu.r[slot] = lo;
    this.cpu.r[slot + 1] = hi;
  }
}
