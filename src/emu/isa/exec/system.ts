// Executors for system instructions. Firmware calls (PSCI over HVC/SMC) and semihosting (HLT #0xF000) go to
// the machine through CpuHooks; when the machine does not claim them they behave architecturally.
//
// SYS (DC/IC/AT/TLBI): caches are not modelled, so cache maintenance is a no-op after its EL checks; TLB
// maintenance calls Cpu.translationChanged() (every TLBI, whatever its scope, flushes the whole soft TLB and
// forgets the current code page's VA: always correct; see cpu.ts); HCR_EL2.TTLB traps EL1's TLBIs to EL2.
// DC ZVA zeroes the DCZID_EL0-sized block through the CPU's write path (so code-page invalidation and faults
// apply; FAR is the block address); AT walks the tables (mmu.ts) without side effects and writes PAR_EL1.
// Not modelled: the HCR_EL2 traps TPC, TPU, TSW and SCTLR_EL1.EnRCTX.
//
// WFI/WFE: a no-op when a wake-up event is already pending (as QEMU does), else trapped when SCTLR_EL1.nTWI/
// nTWE (EL0) or HCR_EL2.TWI/TWE (EL0/EL1) say so (EC 0x01, CV 1, COND 0xE, TI 0 WFI / 1 WFE), else the CPU
// waits (Cpu.waiting) until the run loop sees a wake-up event. SEV signals every CPU through the machine.
import { EC, HCR, SyncException, enterException, hcrLo, syncTargetEl, wfiWakeup } from '../../cpu/exceptions';
import { FLOW_STOP, FLOW_SYNC } from '../../cpu/flow';
import { I_C, I_DAIF, I_EL, I_N, I_PAN, I_SPSEL, I_V, I_Z, SLOT_SP, zr, zrw } from '../../cpu/regs';
import { TIMER_SYNC_REGS } from '../../cpu/timer';
import { faultStatus } from '../../cpu/mmu';
import { SysRegFile, bigToPair, pairToBig } from '../../cpu/sysregs';
import type { Cpu } from '../../cpu/cpu';
import type { Fields } from '../pattern';
import type { Exec } from './types';
import { sysOp, type SysOp } from '../sysOps';

const nop: Exec = () => {};

const undef: Exec = (c) => c.undefined();

/** Registers whose writes change translation: flush the soft TLB (and end the block). */
const TRANSLATION_REGS = new Set(['SCTLR_EL1', 'SCTLR_EL2', 'TCR_EL1', 'TCR_EL2', 'TTBR0_EL1', 'TTBR1_EL1', 'TTBR0_EL2', 'MAIR_EL1', 'MAIR_EL2', 'HCR_EL2', 'PAN']);
/** Registers whose writes change interrupt masking, routing or timer state: end the block after the write. */
const SYNC_AFTER_WRITE = new Set(['DAIF', 'SPSel', ...TRANSLATION_REGS, ...TIMER_SYNC_REGS]);

/** The EC 0x18 syndrome of an MRS (read) or MSR (write) with these fields. */
function msrIss(f: Fields, read: boolean): number {
  return (f.op0 << 20) | (f.op2 << 17) | (f.op1 << 14) | (f.CRn << 10) | (f.Rt << 5) | (f.CRm << 1) | (read ? 1 : 0);
}

function mrs(f: Fields): Exec {
  const e = SysRegFile.lookup(f.op0, f.op1, f.CRn, f.CRm, f.op2);
  const t = 2 * zrw(f.Rt);
  if (!e) {
    // The ID register space (op0 3, op1 0, CRn 0, CRm 1-7) reads as zero where no register is allocated
    // or implemented (Arm ARM D18.1: "reserved, RAZ"), so kernels can probe ID_AA64ZFR0_EL1 and friends.
    if (f.op0 === 3 && f.op1 === 0 && f.CRn === 0 && f.CRm >= 1 && f.CRm <= 7) {
      return (c) => {
        if (c.el === 0) c.undefined();
        c.r[t] = 0;
        c.r[t + 1] = 0;
      };
    }
    return undef;
  }
  const { def, slot } = e;
  const minEl = def.el;
  const access = def.access;
  const iss = msrIss(f, true);
  if (def.getPair) {
    const getPair = def.getPair;
    return (c) => {
      if (c.el < minEl || !c.sys.exists(def)) c.undefined();
      if (access) access(c, iss);
      getPair(c);
      c.r[t] = c.ldLo;
      c.r[t + 1] = c.ldHi;
    };
  }
  if (def.get) {
    const get = def.get;
    return (c) => {
      if (c.el < minEl || !c.sys.exists(def)) c.undefined();
      if (access) access(c, iss);
      const [lo, hi] = bigToPair(BigInt.asUintN(64, get(c)));
      c.r[t] = lo;
      c.r[t + 1] = hi;
    };
  }
  return (c) => {
    if (c.el < minEl || !c.sys.exists(def)) c.undefined();
    if (access) access(c, iss);
    c.r[t] = c.r[slot];
    c.r[t + 1] = c.r[slot + 1];
  };
}

function msrReg(f: Fields): Exec {
  const e = SysRegFile.lookup(f.op0, f.op1, f.CRn, f.CRm, f.op2);
  const t = 2 * zr(f.Rt);
  if (!e || e.def.readOnly) return undef;
  const { def, slot } = e;
  const minEl = def.el;
  const sync = SYNC_AFTER_WRITE.has(def.name) ? FLOW_SYNC : 0;
  const translation = TRANSLATION_REGS.has(def.name);
  const access = def.access;
  const iss = msrIss(f, false);
  if (!def.set && def.writeMask === undefined && !translation) {
    return (c) => {
      if (c.el < minEl || !c.sys.exists(def)) c.undefined();
      if (access) access(c, iss);
      c.r[slot] = c.r[t];
      c.r[slot + 1] = c.r[t + 1];
      c.flow |= sync;
    };
  }
  return (c) => {
    if (c.el < minEl || !c.sys.exists(def)) c.undefined();
    if (access) access(c, iss);
    c.sys.writeDef(def, slot, pairToBig([c.r[t], c.r[t + 1]]));
    if (translation) c.translationChanged();
    c.flow |= sync;
  };
}

function msrImm(f: Fields): Exec {
  const imm = f.CRm;
  switch (`${f.op1},${f.op2}`) {
    case '3,6': // DAIFSet
      return (c) => {
        if (c.el === 0) c.undefined(); // SCTLR_EL1.UMA is 0 (IMPLEMENTATION: EL0 access to DAIF not allowed)
        c.r[I_DAIF] |= imm;
        c.flow |= FLOW_SYNC;
      };
    case '3,7': // DAIFClr
      return (c) => {
        if (c.el === 0) c.undefined();
        c.r[I_DAIF] &= ~imm;
        c.flow |= FLOW_SYNC;
      };
    case '0,4': // PAN (FEAT_PAN)
      if (imm > 1) return undef;
      return (c) => {
        if (!c.features.has('FEAT_PAN') || c.el === 0) c.undefined();
        c.r[I_PAN] = imm & 1;
        c.translationChanged();
        c.flow |= FLOW_SYNC;
      };
    case '0,5': // SPSel; CRm<3:1> != 000 is unallocated (as in QEMU's decoder and binutils)
      if (imm > 1) return undef;
      return (c) => {
        if (c.el === 0) c.undefined();
        c.setElSp(c.el, imm & 1);
        c.flow |= FLOW_SYNC;
      };
    default:
      return undef;
  }
}

// ---- FEAT_FlagM / FEAT_FlagM2 -------------------------------------------------------------------------

const cfinv: Exec = (c) => {
  c.r[I_C] ^= 1;
};

/** XAFLAG: from the "external" float-compare format to Arm's. */
const xaflag: Exec = (c) => {
  const r = c.r;
  const cf = r[I_C];
  const z = r[I_Z];
  r[I_N] = (cf | z) ^ 1;
  r[I_Z] = z & cf;
  r[I_C] = cf | z;
  r[I_V] = (cf ^ 1) & z;
};

/** AXFLAG: from Arm's float-compare flags to the "external" format. */
const axflag: Exec = (c) => {
  const r = c.r;
  const v = r[I_V];
  r[I_N] = 0;
  r[I_Z] |= v;
  r[I_C] &= v ^ 1;
  r[I_V] = 0;
};

// ---- SYS: DC, IC, AT, TLBI --------------------------------------------------------------------------

const SCTLR_EL1 = SysRegFile.byName('SCTLR_EL1')!.slot;
/** HCR_EL2, low word (RW is its bit 31). */
const HCR_EL2_LO = SysRegFile.byName('HCR_EL2')!.slot;
const SCTLR_UCI = 1 << 26;
const SCTLR_DZE = 1 << 14;

/** ESR ISS of a trapped SYS instruction (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, Direction = 0. */
function sysTrapIss(f: Fields): number {
  return (1 << 20) | (f.op2 << 17) | (f.op1 << 14) | (f.CRn << 10) | (f.Rt << 5) | (f.CRm << 1);
}

/** EL0 access controlled by an SCTLR_EL1 enable bit: trapped to EL1 (EC 0x18) when the bit is 0. */
function el0Enabled(c: Cpu, bit: number, f: Fields): void {
  if (c.el === 0 && !(c.r[SCTLR_EL1] & bit)) throw new SyncException(EC.MSR_TRAP, sysTrapIss(f));
}

/**
 * PAR_EL1 after an AT: on success PA[47:12], ATTR[63:56] (the MAIR byte; 0, Device-nGnRnE, with stage 1
 * off), SH[8:7] (see below), NS[9] = 1 (the
 * CPU is always Non-secure: no EL3), bit 11 RES1; on a fault F = 1, FST[6:1], PTW 0, S 0 (stage 1).
 */
function parFor(c: Cpu, lo: number, hi: number, kind: 'read' | 'write', el: number): [number, number] {
  const r = c.translateAt(lo, hi, kind, el);
  if (typeof r !== 'number') return [1 | (faultStatus(r.kind, r.level) << 1) | 0x800, 0];
  const w = c.walk((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0), el);
  const attr = w.attr ?? 0;
  // SH: the descriptor's, and 0b00 with stage 1 off, as qemu-system-aarch64 7.2 (our oracle) reports it.
  // (Later Arm ARM pseudocode, PAREncodeShareability, reports 0b10 for Device and Normal Non-cacheable
  // memory; ARMv8.0 leaves it IMPLEMENTATION DEFINED. We follow the oracle.)
  const sh = w.params.enabled ? w.sh ?? 0 : 0;
  const parLo = ((r % 0x100000000) & ~0xfff) | (sh << 7) | (1 << 9) | 0x800;
  const parHi = (Math.floor(r / 0x100000000) & 0xffff) | (attr << 24);
  return [parLo | 0, parHi | 0];
}

function sys(f: Fields): Exec {
  const o = sysOp(f.op1, f.CRn, f.CRm, f.op2);
  if (!o || o.feature === 'none') return undef;
  const feature = o.feature;
  const el2 = o.el2;
  const body = sysBody(o, f);
  return (c) => {
    if (feature && !c.features.has(feature)) c.undefined();
    if (el2 && (c.opts.highestEl < 2 || c.el < 2)) c.undefined();
    body(c);
  };
}

function sysBody(o: SysOp, f: Fields): Exec {
  const t = 2 * zr(f.Rt);
  switch (o.group) {
    case 'tlbi': {
      const iss = sysTrapIss(f);
      return (c) => {
        if (c.el === 0) c.undefined();
        if (c.el === 1 && hcrLo(c) & HCR.TTLB) throw c.sysregTrap(iss, 2);
        c.translationChanged();
        c.flow |= FLOW_SYNC;
      };
    }
    case 'at': {
      const write = o.op.endsWith('w') || o.op.endsWith('wp');
      // s1e0*: EL0 permissions in the EL1&0 regime; s1e1*: EL1's; s1e2*: the EL2 regime (from EL2 only)
      const atEl = o.op.startsWith('s1e0') ? 0 : o.op.startsWith('s1e2') ? 2 : 1;
      return (c) => {
        if (c.el === 0) c.undefined();
        if (atEl === 2 && c.el < 2) c.undefined();
        const [lo, hi] = parFor(c, c.r[t], c.r[t + 1], write ? 'write' : 'read', atEl);
        c.sys.setPair('PAR_EL1', lo, hi);
      };
    }
    case 'ic':
      if (o.op === 'ivau') return (c) => el0Enabled(c, SCTLR_UCI, f);
      return (c) => {
        if (c.el === 0) c.undefined();
      };
    case 'dc':
      if (o.op === 'zva') {
        return (c) => {
          el0Enabled(c, SCTLR_DZE, f);
          const size = 4 << c.model.dczid;
          const lo = c.r[t] & -size;
          const hi = c.r[t + 1];
          for (let k = 0; k < size; k += 8) c.write64(lo + k, hi, 0, 0);
        };
      }
      if (o.op === 'ivac' || o.op === 'isw' || o.op === 'csw' || o.op === 'cisw') {
        return (c) => {
          if (c.el === 0) c.undefined();
        };
      }
      return (c) => el0Enabled(c, SCTLR_UCI, f);
    default:
      return undef;
  }
}

function svc(f: Fields): Exec {
  const imm = f.imm16;
  return (c) => {
    // The Linux process mode (src/emu/process) is the guest's kernel: it handles SVC without vectoring.
    if (c.hooks.svc?.(c, imm)) return;
    throw new SyncException(EC.SVC64, imm, { returnNext: true, targetEl: syncTargetEl(c) });
  };
}

function hvc(f: Fields): Exec {
  const imm = f.imm16;
  return (c) => {
    // HVC is UNDEFINED at EL0, and when HCR_EL2.HCD disables it
    if (c.el === 0 || hcrLo(c) & HCR.HCD) c.undefined();
    if (c.hooks.hvc(c, imm)) return;
    // ... and when EL2 is not implemented (or disabled by SCR_EL3.HCE, which we fix at 1)
    if (c.opts.highestEl < 2) c.undefined();
    throw new SyncException(EC.HVC64, imm, { returnNext: true, targetEl: 2 });
  };
}

function smc(f: Fields): Exec {
  const imm = f.imm16;
  return (c) => {
    // HCR_EL2.TSC traps EL1's SMC to EL2 (preferred return: the SMC itself)
    if (c.el === 1 && hcrLo(c) & HCR.TSC) throw new SyncException(EC.SMC64, imm, { targetEl: 2 });
    if (c.el === 0) c.undefined();
    if (c.hooks.smc(c, imm)) return;
    // No EL3: SMC is UNDEFINED.
    c.undefined();
  };
}

function brk(f: Fields): Exec {
  const imm = f.imm16;
  return () => {
    throw new SyncException(EC.BRK64, imm);
  };
}

function hlt(f: Fields): Exec {
  const imm = f.imm16;
  return (c) => {
    if (c.hooks.hlt(c, imm)) return;
    // Halting debug is not enabled: HLT is UNDEFINED.
    c.undefined();
  };
}

/** ERET: restores PSTATE from SPSR_ELx and branches to ELR_ELx. */
function eret(c: Cpu): void {
  const el = c.el;
  if (el === 0) c.undefined();
  const [spsr] = c.sys.getPair(`SPSR_EL${el}`);
  const [elrLo, elrHi] = c.sys.getPair(`ELR_EL${el}`);
  const m = spsr & 0x1f;
  let target = (m >> 2) & 3;
  let spsel = m & 1;
  // Illegal exception return (AArch32 target, higher EL, unimplemented EL, EL0 with SP_ELx): stay at the
  // current EL and set PSTATE.IL. We do not model PSTATE.IL yet; report and keep the current mode.
  if (m & 0x10 || target > el || target > c.opts.highestEl || (target === 0 && spsel)) {
    c.hooks.guestError(c, `illegal exception return: SPSR_EL${el}.M = 0x${m.toString(16)}`);
    target = el;
    spsel = c.r[I_SPSEL];
  }
  // HCR_EL2.RW = 0 makes EL1 AArch32, which we do not implement: say so and carry on in AArch64
  if (target === 1 && el === 2 && !(c.r[HCR_EL2_LO] & 0x80000000)) {
    c.hooks.guestError(c, 'ERET to EL1 with HCR_EL2.RW = 0 (EL1 would be AArch32, which is not implemented); continuing in AArch64');
  }
  const r = c.r;
  r[I_N] = (spsr >>> 31) & 1;
  r[I_Z] = (spsr >>> 30) & 1;
  r[I_C] = (spsr >>> 29) & 1;
  r[I_V] = (spsr >>> 28) & 1;
  r[I_DAIF] = (spsr >>> 6) & 0xf;
  if (c.features.has('FEAT_PAN') && target >= 1) r[I_PAN] = (spsr >>> 22) & 1;
  c.setElSp(target, spsel);
  // an exception return sets the event register
  c.eventRegister = true;
  c.branch(elrLo, elrHi);
  c.flow |= FLOW_SYNC;
  c.hooks.exceptionReturned?.(c, el);
}

const SCTLR_NTWI = 1 << 16;
const SCTLR_NTWE = 1 << 18;

/** WFI (ti 0) or WFE (ti 1): wake-up already pending -> no-op; else the configured trap; else wait. */
function waitFor(ti: 0 | 1): Exec {
  return (c) => {
    if (wfiWakeup(c)) return;
    if (ti === 1 && c.eventRegister) {
      c.eventRegister = false;
      return;
    }
    const el = c.el;
    const iss = (1 << 24) | (0xe << 20) | ti;
    if (el === 0 && !(c.r[SCTLR_EL1] & (ti ? SCTLR_NTWE : SCTLR_NTWI))) {
      throw new SyncException(EC.WFX, iss, { targetEl: syncTargetEl(c) });
    }
    if (el < 2 && hcrLo(c) & (ti ? HCR.TWE : HCR.TWI)) throw new SyncException(EC.WFX, iss, { targetEl: 2 });
    c.waiting = true;
    c.waitingForEvent = ti === 1;
    c.flow |= FLOW_STOP;
  };
}

export const SYSTEM_EXEC = {
  NOP: () => nop,
  YIELD: () => nop,
  WFE: () => waitFor(1),
  WFI: () => waitFor(0),
  SEV: (): Exec => (c) => {
    c.eventRegister = true;
    c.hooks.sev?.(c);
  },
  SEVL: (): Exec => (c) => {
    c.eventRegister = true;
  },
  HINT: () => nop,
  CLREX: (): Exec => (c) => c.monitor.clear(),
  DSB: () => nop,
  DMB: () => nop,
  ISB: (): Exec => (c) => {
    c.flow |= FLOW_SYNC;
  },
  MSR_imm: msrImm,
  CFINV: () => cfinv,
  XAFLAG: () => xaflag,
  AXFLAG: () => axflag,
  SYS: sys,
  SYSL: () => undef,
  MSR_reg: msrReg,
  MRS: mrs,
  SVC: svc,
  HVC: hvc,
  SMC: smc,
  BRK: brk,
  HLT: hlt,
  ERET: () => eret,
  // Debug state is never entered: DCPS1/2/3 and DRPS are UNDEFINED in Non-debug state (Arm ARM, DCPS<n>, DRPS)
  DCPS: () => undef,
  DRPS: () => undef,
  UDF: () => undef,
};

export { enterException, I_EL, SLOT_SP };
