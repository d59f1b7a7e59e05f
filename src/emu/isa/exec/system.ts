// Executors for system instructions. Firmware calls (PSCI over HVC/SMC) and semihosting (HLT #0xF000) go to
// the machine through CpuHooks; when the machine does not claim them they behave architecturally.
//
// SYS (DC/IC/AT/TLBI): caches are not modelled, so cache maintenance is a no-op after its EL checks; TLB
// maintenance calls Cpu.flushTlb() (every TLBI flushes the whole soft TLB and forgets the current code
// page's VA: always correct, and the hook the MMU's finer invalidation will refine); DC ZVA zeroes the
// DCZID_EL0-sized block through the CPU's write path (so code-page invalidation and faults apply; FAR is
// the block address); AT translates through Cpu.translate (identity while the MMU is off) and writes
// PAR_EL1. Not modelled: the HCR_EL2 traps of these operations (TPC, TPU, TTLB, TVM...) and SCTLR_EL1.EnRCTX.
import { EC, SyncException, enterException } from '../../cpu/exceptions';
import { FLOW_STOP, FLOW_SYNC } from '../../cpu/flow';
import { I_C, I_DAIF, I_EL, I_N, I_SPSEL, I_V, I_Z, SLOT_SP, zr, zrw } from '../../cpu/regs';
import { SysRegFile, bigToPair, pairToBig } from '../../cpu/sysregs';
import type { Cpu } from '../../cpu/cpu';
import type { Fields } from '../pattern';
import type { Exec } from './types';
import { sysOp, type SysOp } from '../sysOps';

const nop: Exec = () => {};

const undef: Exec = (c) => c.undefined();

/** Registers whose writes change translation or interrupt masking: end the block after the write. */
const SYNC_AFTER_WRITE = new Set(['DAIF', 'SPSel', 'SCTLR_EL1', 'SCTLR_EL2', 'TCR_EL1', 'TCR_EL2', 'TTBR0_EL1', 'TTBR1_EL1', 'TTBR0_EL2', 'HCR_EL2']);

function mrs(f: Fields): Exec {
  const e = SysRegFile.lookup(f.op0, f.op1, f.CRn, f.CRm, f.op2);
  const t = 2 * zrw(f.Rt);
  if (!e) return undef;
  const { def, slot } = e;
  const minEl = def.el;
  if (def.get) {
    const get = def.get;
    return (c) => {
      if (c.el < minEl || !c.sys.exists(def)) c.undefined();
      const [lo, hi] = bigToPair(BigInt.asUintN(64, get(c)));
      c.r[t] = lo;
      c.r[t + 1] = hi;
    };
  }
  return (c) => {
    if (c.el < minEl || !c.sys.exists(def)) c.undefined();
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
  if (!def.set && def.writeMask === undefined) {
    return (c) => {
      if (c.el < minEl || !c.sys.exists(def)) c.undefined();
      c.r[slot] = c.r[t];
      c.r[slot + 1] = c.r[t + 1];
      c.flow |= sync;
    };
  }
  return (c) => {
    if (c.el < minEl || !c.sys.exists(def)) c.undefined();
    c.sys.writeDef(def, slot, pairToBig([c.r[t], c.r[t + 1]]));
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

/** PAR_EL1 for a successful stage 1 translation with the MMU off: Device-nGnRnE, outer shareable. */
const PAR_OK_LO = 0x800 | (2 << 7);

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
    case 'tlbi':
      return (c) => {
        if (c.el === 0) c.undefined();
        c.flushTlb();
        c.flow |= FLOW_SYNC;
      };
    case 'at': {
      const write = o.op.endsWith('w') || o.op.endsWith('wp');
      return (c) => {
        if (c.el === 0) c.undefined();
        const lo = c.r[t];
        const hi = c.r[t + 1];
        let parLo: number;
        let parHi: number;
        try {
          const pa = c.translate(lo, hi, write, false);
          parLo = ((pa % 0x100000000) & ~0xfff) | PAR_OK_LO;
          parHi = Math.floor(pa / 0x100000000) & 0xffff; // PA[47:32]; ATTR[63:56] = 0 (Device-nGnRnE)
        } catch (e) {
          if (!(e instanceof SyncException)) throw e;
          // F = 1, FST = the fault status code the access would have reported, stage 1, not on a walk
          parLo = 1 | ((e.iss & 0x3f) << 1) | 0x800;
          parHi = 0;
        }
        c.sys.setPair('PAR_EL1', parLo, parHi);
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
    throw new SyncException(EC.SVC64, imm, { returnNext: true, targetEl: Math.max(c.el, 1) });
  };
}

function hvc(f: Fields): Exec {
  const imm = f.imm16;
  return (c) => {
    if (c.hooks.hvc(c, imm)) return;
    // HVC is UNDEFINED at EL0 and when EL2 is not implemented (or disabled by SCR_EL3.HCE, which we fix at 1)
    if (c.el === 0 || c.opts.highestEl < 2) c.undefined();
    throw new SyncException(EC.HVC64, imm, { returnNext: true, targetEl: 2 });
  };
}

function smc(f: Fields): Exec {
  const imm = f.imm16;
  return (c) => {
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
  const r = c.r;
  r[I_N] = (spsr >>> 31) & 1;
  r[I_Z] = (spsr >>> 30) & 1;
  r[I_C] = (spsr >>> 29) & 1;
  r[I_V] = (spsr >>> 28) & 1;
  r[I_DAIF] = (spsr >>> 6) & 0xf;
  c.setElSp(target, spsel);
  c.branch(elrLo, elrHi);
  c.flow |= FLOW_SYNC;
}

function wait(c: Cpu): void {
  c.waiting = true;
  c.flow |= FLOW_STOP;
}

export const SYSTEM_EXEC = {
  NOP: () => nop,
  YIELD: () => nop,
  WFE: () => wait,
  WFI: () => wait,
  SEV: () => nop,
  SEVL: () => nop,
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
