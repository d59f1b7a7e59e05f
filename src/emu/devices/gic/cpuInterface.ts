// The GICv3 CPU interface of one CPU, reached through the ICC_* system registers (the CPU's MRS/MSR call
// InterruptPort.readIcc/writeIcc, cpu/interrupts.ts). It holds the priority mask, binary points, group
// enables, EOI mode and active priorities, and implements acknowledge (ICC_IAR0/1_EL1), priority drop and
// deactivation (ICC_EOIR0/1_EL1, ICC_DIR_EL1), the pending/running-priority views (ICC_HPPIR0/1_EL1,
// ICC_RPR_EL1) and SGI generation (ICC_SGI0R/SGI1R/ASGI1R_EL1). Which interrupt is highest-priority pending
// is computed by the GIC (gic.ts), which also drives the CPU's IRQ (Group 1) and FIQ (Group 0) lines.
//
// Choices: 5 priority and preemption bits (config.ts), so ICC_AP0R1-3/AP1R1-3_EL1 do not exist (UNDEFINED)
// and ICC_BPR0_EL1 >= 2, ICC_BPR1_EL1 >= 3 (writes below are raised to the minimum). ICC_SRE_EL1/EL2.SRE is
// RAO/WI (no memory-mapped GICC), DFB/DIB RAO/WI. ICC_CTLR_EL1 reads as QEMU's: A3V = 1, IDbits = 1,
// PRIbits = 4, SEIS = 0, PMHE = 0. An EOI whose group is not the group of the highest active priority, and
// ICC_DIR_EL1 while EOImode is 0, are ignored (IHI 0069 leaves them UNPREDICTABLE; QEMU ignores them too).
// Not modelled: HCR_EL2.IMO/FMO redirection to the virtual CPU interface (ICV_*), ICC_NMIAR1_EL1.
import { IDLE_PRIORITY, INTID_SPURIOUS, PRE_BITS, PRI_BITS, PRI_MASK } from './config';

/** The GIC's side, as the CPU interface needs it. */
export interface CpuInterfaceCore {
  /** Highest-priority pending interrupt for this CPU among the groups enabled here (intid 1023 if none). */
  hppi(cpu: number): Hppi;
  /** Marks an interrupt active (LPIs: clears pending). */
  activate(cpu: number, h: Hppi): void;
  deactivate(cpu: number, intid: number): void;
  /** Group (0 or 1) of an interrupt as seen by this CPU; LPIs are Group 1. */
  groupOf(cpu: number, intid: number): number;
  sendSgi(from: number, group: 'G0' | 'G1' | 'AG1', value: bigint): void;
  eoiEvent(cpu: number, intid: number, group: number, deactivated: boolean): void;
  dirEvent(cpu: number, intid: number): void;
  ackEvent(cpu: number, h: Hppi): void;
  update(): void;
  guestWarning(message: string): void;
}

export interface Hppi {
  intid: number;
  priority: number;
  group: number;
}

export const NO_HPPI: Hppi = { intid: INTID_SPURIOUS, priority: IDLE_PRIORITY, group: 0 };

const MIN_BPR0 = 7 - PRE_BITS;
const MIN_BPR1 = MIN_BPR0 + 1;
const CTLR_CBPR = 1 << 0;
const CTLR_EOIMODE = 1 << 1;
const CTLR_RO = (1 << 15) | (1 << 11) | ((PRI_BITS - 1) << 8);

export interface CpuInterfaceSnapshot {
  pmr: number;
  bpr0: number;
  bpr1: number;
  ctlr: number;
  igrpen0: boolean;
  igrpen1: boolean;
  ap0r0: number;
  ap1r0: number;
  runningPriority: number;
}

export class CpuInterface {
  pmr = 0;
  bpr0 = MIN_BPR0;
  bpr1 = MIN_BPR1;
  ctlr = 0;
  igrpen0 = false;
  igrpen1 = false;
  /** Active priorities, one bit per preemption level, per group (ICC_AP0R0_EL1, ICC_AP1R0_EL1). */
  readonly apr = [0, 0];
  sreEl2Enable = true;

  constructor(readonly cpu: number, private readonly core: CpuInterfaceCore) {}

  reset(): void {
    this.pmr = 0;
    this.bpr0 = MIN_BPR0;
    this.bpr1 = MIN_BPR1;
    this.ctlr = 0;
    this.igrpen0 = this.igrpen1 = false;
    this.apr[0] = this.apr[1] = 0;
    this.sreEl2Enable = true;
  }

  groupEnabled(group: number): boolean {
    return group === 0 ? this.igrpen0 : this.igrpen1;
  }

  /** Mask selecting the group priority bits for a group (binary point). */
  gprioMask(group: number): number {
    let bpr: number;
    if (group === 0 || this.ctlr & CTLR_CBPR) bpr = this.bpr0;
    else bpr = this.bpr1 - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /** ICC_RPR_EL1: the highest active priority, or 0xFF when nothing is active. */
  runningPriority(): number {
    const bits = (this.apr[0] | this.apr[1]) >>> 0;
    if (bits === 0) return IDLE_PRIORITY;
    return (31 - Math.clz32(bits & -bits)) << (8 - PRE_BITS);
  }

  /** Group of the highest active priority (-1 when none). */
  private highestActiveGroup(): number {
    const p0 = this.apr[0] & -this.apr[0];
    const p1 = this.apr[1] & -this.apr[1];
    if (!p0 && !p1) return -1;
    if (!p1) return 0;
    if (!p0) return 1;
    return (p0 >>> 0) <= (p1 >>> 0) ? 0 : 1;
  }

  /** Whether h may be signalled now: below the priority mask and preempting the running priority. */
  canSignal(h: Hppi): boolean {
    if (h.intid === INTID_SPURIOUS || !this.groupEnabled(h.group)) return false;
    if (h.priority >= this.pmr) return false;
    const rprio = this.runningPriority();
    if (rprio === IDLE_PRIORITY) return true;
    const mask = this.gprioMask(h.group);
    return (h.priority & mask) < (rprio & mask);
  }

  private acknowledge(group: number): number {
    const h = this.core.hppi(this.cpu);
    if (!this.canSignal(h) || h.group !== group) return INTID_SPURIOUS;
    const bit = (h.priority & this.gprioMask(group)) >>> (8 - PRE_BITS);
    this.apr[group] = (this.apr[group] | (1 << bit)) >>> 0;
    this.core.activate(this.cpu, h);
    this.core.ackEvent(this.cpu, h);
    this.core.update();
    return h.intid;
  }

  private hppir(group: number): number {
    const h = this.core.hppi(this.cpu);
    return h.intid !== INTID_SPURIOUS && h.group === group ? h.intid : INTID_SPURIOUS;
  }

  private eoi(group: number, value: number): void {
    const intid = value & 0xffffff;
    if (intid >= 1020 && intid <= 1023) return;
    if (this.highestActiveGroup() !== group) {
      this.core.guestWarning(`GIC CPU interface ${this.cpu}: ICC_EOIR${group}_EL1 write (INTID ${intid}) while the highest active priority is not Group ${group}: ignored`);
      return;
    }
    const a = this.apr[group];
    this.apr[group] = (a & (a - 1)) >>> 0; // drop the highest active priority
    const deactivate = (this.ctlr & CTLR_EOIMODE) === 0;
    if (deactivate) this.core.deactivate(this.cpu, intid);
    this.core.eoiEvent(this.cpu, intid, group, deactivate);
    this.core.update();
  }

  private dir(value: number): void {
    const intid = value & 0xffffff;
    if (intid >= 1020 && intid <= 1023) return;
    if ((this.ctlr & CTLR_EOIMODE) === 0) {
      this.core.guestWarning(`GIC CPU interface ${this.cpu}: ICC_DIR_EL1 write (INTID ${intid}) while ICC_CTLR_EL1.EOImode is 0: ignored`);
      return;
    }
    this.core.deactivate(this.cpu, intid);
    this.core.dirEvent(this.cpu, intid);
    this.core.update();
  }

  /** MRS of an ICC_* register; undefined = the register does not exist (UNDEFINED). */
  read(name: string, el: number): bigint | undefined {
    switch (name) {
      case 'ICC_PMR_EL1': return BigInt(this.pmr);
      case 'ICC_IAR0_EL1': return BigInt(this.acknowledge(0));
      case 'ICC_IAR1_EL1': return BigInt(this.acknowledge(1));
      case 'ICC_HPPIR0_EL1': return BigInt(this.hppir(0));
      case 'ICC_HPPIR1_EL1': return BigInt(this.hppir(1));
      case 'ICC_BPR0_EL1': return BigInt(this.bpr0);
      case 'ICC_BPR1_EL1': return BigInt(this.ctlr & CTLR_CBPR ? Math.min(this.bpr0 + 1, 7) : this.bpr1);
      case 'ICC_AP0R0_EL1': return BigInt(this.apr[0]);
      case 'ICC_AP1R0_EL1': return BigInt(this.apr[1]);
      case 'ICC_RPR_EL1': return BigInt(this.runningPriority());
      case 'ICC_CTLR_EL1': return BigInt(this.ctlr | CTLR_RO);
      case 'ICC_SRE_EL1': return 7n;
      case 'ICC_SRE_EL2': return el >= 2 ? BigInt(7 | (this.sreEl2Enable ? 8 : 0)) : undefined;
      case 'ICC_IGRPEN0_EL1': return this.igrpen0 ? 1n : 0n;
      case 'ICC_IGRPEN1_EL1': return this.igrpen1 ? 1n : 0n;
      default: return undefined; // write-only (EOIR, DIR, SGI*R) and absent (AP*R1-3) registers
    }
  }

  /** Side-effect-free read (never acknowledges): IAR reads as the HPPIR would. */
  peek(name: string): bigint | undefined {
    if (name === 'ICC_IAR0_EL1' || name === 'ICC_IAR1_EL1') {
      const h = this.core.hppi(this.cpu);
      const group = name === 'ICC_IAR0_EL1' ? 0 : 1;
      return BigInt(this.canSignal(h) && h.group === group ? h.intid : INTID_SPURIOUS);
    }
    return this.read(name, 2);
  }

  /** MSR to an ICC_* register; false = the register does not exist or is read-only (UNDEFINED). */
  write(name: string, el: number, value: bigint): boolean {
    const v = Number(value & 0xffffffffn);
    switch (name) {
      case 'ICC_PMR_EL1': this.pmr = v & PRI_MASK; break;
      case 'ICC_EOIR0_EL1': this.eoi(0, v); return true;
      case 'ICC_EOIR1_EL1': this.eoi(1, v); return true;
      case 'ICC_DIR_EL1': this.dir(v); return true;
      case 'ICC_BPR0_EL1': this.bpr0 = Math.max(v & 7, MIN_BPR0); break;
      case 'ICC_BPR1_EL1':
        if (!(this.ctlr & CTLR_CBPR)) this.bpr1 = Math.max(v & 7, MIN_BPR1);
        break;
      case 'ICC_AP0R0_EL1': this.apr[0] = v >>> 0; break;
      case 'ICC_AP1R0_EL1': this.apr[1] = v >>> 0; break;
      case 'ICC_CTLR_EL1': this.ctlr = v & (CTLR_CBPR | CTLR_EOIMODE); break;
      case 'ICC_SRE_EL1': break;
      case 'ICC_SRE_EL2':
        if (el < 2) return false;
        this.sreEl2Enable = (v & 8) !== 0;
        break;
      case 'ICC_IGRPEN0_EL1': this.igrpen0 = (v & 1) === 1; break;
      case 'ICC_IGRPEN1_EL1': this.igrpen1 = (v & 1) === 1; break;
      case 'ICC_SGI0R_EL1': this.core.sendSgi(this.cpu, 'G0', value); return true;
      case 'ICC_SGI1R_EL1': this.core.sendSgi(this.cpu, 'G1', value); return true;
      case 'ICC_ASGI1R_EL1': this.core.sendSgi(this.cpu, 'AG1', value); return true;
      default: return false;
    }
    this.core.update();
    return true;
  }

  snapshot(): CpuInterfaceSnapshot {
    return {
      pmr: this.pmr, bpr0: this.bpr0, bpr1: this.bpr1, ctlr: this.ctlr | CTLR_RO, igrpen0: this.igrpen0,
      igrpen1: this.igrpen1, ap0r0: this.apr[0], ap1r0: this.apr[1], runningPriority: this.runningPriority(),
    };
  }
}
