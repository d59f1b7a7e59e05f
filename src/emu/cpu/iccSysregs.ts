// The GICv3 CPU interface's system registers (ICC_*_EL1, ICC_SRE_EL2) as rows of the system-register
// table (sysregs.ts). They hold no state in the CPU: each access goes to the machine's interrupt controller
// through CpuOptions.interrupts (cpu/interrupts.ts), and is UNDEFINED when there is none (a bare CPU) or when
// the controller does not have the register (e.g. ICC_AP1R1_EL1 with 5 priority bits, a read of a
// write-only register). Every MSR, and a read of ICC_IAR0/1_EL1 (which changes the running priority), ends
// the block (FLOW_SYNC) so the CPU samples its IRQ/FIQ lines before the next instruction.
//
// Encodings from the Arm ARM (op0 = 3); objdump's names agree (isa/sysregNameTable.ts).
// Not modelled: the HCR_EL2.IMO/FMO redirection of EL1 accesses to the virtual interface (ICV_*), and the
// ICH_* hypervisor registers.
import type { Cpu } from './cpu';
import { FLOW_SYNC } from './flow';
import type { SysRegDef } from './sysregs';

type Kind = 'rw' | 'ro' | 'wo';

function icc(name: string, op1: number, crn: number, crm: number, op2: number, kind: Kind, el: 1 | 2 = 1): SysRegDef {
  const syncOnRead = name === 'ICC_IAR0_EL1' || name === 'ICC_IAR1_EL1';
  return {
    name, op0: 3, op1, crn, crm, op2, el,
    el2: el === 2 ? true : undefined,
    readOnly: kind === 'ro' ? true : undefined,
    get: (c: Cpu) => {
      const v = kind === 'wo' ? undefined : c.opts.interrupts?.readIcc(c.index, name, c.el);
      if (v === undefined) c.undefined();
      if (syncOnRead) c.flow |= FLOW_SYNC;
      return v;
    },
    set: (c: Cpu, v: bigint) => {
      if (!c.opts.interrupts?.writeIcc(c.index, name, c.el, v)) c.undefined();
      c.flow |= FLOW_SYNC;
    },
  };
}

export const ICC_SYSREGS: readonly SysRegDef[] = [
  icc('ICC_PMR_EL1', 0, 4, 6, 0, 'rw'),
  icc('ICC_IAR0_EL1', 0, 12, 8, 0, 'ro'),
  icc('ICC_EOIR0_EL1', 0, 12, 8, 1, 'wo'),
  icc('ICC_HPPIR0_EL1', 0, 12, 8, 2, 'ro'),
  icc('ICC_BPR0_EL1', 0, 12, 8, 3, 'rw'),
  ...[0, 1, 2, 3].map((n) => icc(`ICC_AP0R${n}_EL1`, 0, 12, 8, 4 + n, 'rw')),
  ...[0, 1, 2, 3].map((n) => icc(`ICC_AP1R${n}_EL1`, 0, 12, 9, n, 'rw')),
  icc('ICC_DIR_EL1', 0, 12, 11, 1, 'wo'),
  icc('ICC_RPR_EL1', 0, 12, 11, 3, 'ro'),
  icc('ICC_SGI1R_EL1', 0, 12, 11, 5, 'wo'),
  icc('ICC_ASGI1R_EL1', 0, 12, 11, 6, 'wo'),
  icc('ICC_SGI0R_EL1', 0, 12, 11, 7, 'wo'),
  icc('ICC_IAR1_EL1', 0, 12, 12, 0, 'ro'),
  icc('ICC_EOIR1_EL1', 0, 12, 12, 1, 'wo'),
  icc('ICC_HPPIR1_EL1', 0, 12, 12, 2, 'ro'),
  icc('ICC_BPR1_EL1', 0, 12, 12, 3, 'rw'),
  icc('ICC_CTLR_EL1', 0, 12, 12, 4, 'rw'),
  icc('ICC_SRE_EL1', 0, 12, 12, 5, 'rw'),
  icc('ICC_IGRPEN0_EL1', 0, 12, 12, 6, 'rw'),
  icc('ICC_IGRPEN1_EL1', 0, 12, 12, 7, 'rw'),
  icc('ICC_SRE_EL2', 4, 12, 9, 5, 'rw', 2),
];
