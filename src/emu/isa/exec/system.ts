// Executors for system instructions. Firmware calls (PSCI over HVC/SMC) and semihosting (HLT #0xF000) go to
// the machine through CpuHooks; when the machine does not claim them they behave architecturally.
import { EC, SyncException, enterException } from '../../cpu/exceptions';
import { FLOW_STOP, FLOW_SYNC } from '../../cpu/flow';
import { I_C, I_DAIF, I_EL, I_N, I_SPSEL, I_V, I_Z, SLOT_SP, zr, zrw } from '../../cpu/regs';
import { SysRegFile, bigToPair, pairToBig } from '../../cpu/sysregs';
import type { Cpu } from '../../cpu/cpu';
import type { Fields } from '../pattern';
import type { Exec } from './types';

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
  MSR_reg: msrReg,
  MRS: mrs,
  SVC: svc,
  HVC: hvc,
  SMC: smc,
  BRK: brk,
  HLT: hlt,
  ERET: () => eret,
  UDF: () => undef,
};

export { enterException, I_EL, SLOT_SP };
