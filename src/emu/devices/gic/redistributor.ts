// GICv3 redistributor, one per CPU: RD_base (GICR_CTLR, IIDR, TYPER, WAKER, PROPBASER, PENDBASER) and
// SGI_base (the CPU's SGIs and PPIs: GICR_IGROUPR0, I[SC]ENABLER0, I[SC]PENDR0, I[SC]ACTIVER0,
// IPRIORITYR<n>, ICFGR0/1) 64 KiB frames, 128 KiB per CPU, and the CPU's LPIs.
//
// Choices (IHI 0069 leaves them to the implementation):
// - GICR_WAKER.ChildrenAsleep follows ProcessorSleep at once (no power-down sequence); while ProcessorSleep
//   is 1 the redistributor forwards no interrupt to its CPU interface (IHI 0069 11.1), which QEMU does not
//   model: a kernel that never clears it gets no interrupts here (the panel shows why).
// - GICR_CTLR.EnableLPIs can be cleared again (CES = 1, as QEMU; RWP reads 0: changes take effect at once). Writes to
//   GICR_PROPBASER/GICR_PENDBASER while EnableLPIs is 1 are UNPREDICTABLE: ignored and reported, as QEMU.
// - LPI configuration is cached: a property-table byte is read the first time that LPI is needed and again
//   after an ITS INV/INVALL for it (IHI 0069 6.2.2 allows caching; software must INV after changing it).
// - LPI pending state is kept in the model and written through to the guest's pending table; when
//   EnableLPIs goes from 0 to 1 the table is scanned unless PENDBASER.PTZ said it was zero.
// - GICR_ICFGR0 (SGIs) is read-only, all edge; GICR_ICFGR1 (PPIs) is writable, as QEMU.
// - The GIC-600 power register GICR_PWRR and the DirectLPI registers are not implemented: GICR_PWRR
//   writes are ignored with a guest warning, GICR_SETLPIR/CLRLPIR and the rest are holes (guest errors).
import { GicFrame, type GicRegDef } from './frame';
import { IrqBank } from './irqState';
import { cfgWord, idRegs, priorityWord, writeCfgWord, writePriorityWord } from './distributor';
import { GICR_SGI_OFFSET, ID_BITS, IIDR_ARM, LPI_START } from './config';
import { decodeLpiConfig, decodePendbaser, decodePropbaser, type GuestMemory, type LpiConfig } from './itsTables';

/** GICR_CTLR.CES: EnableLPIs can be cleared once set (as QEMU). */
export const GICR_CTLR_CES = 1 << 1;
export const GICR_WAKER_PROCESSOR_SLEEP = 1 << 1;
export const GICR_WAKER_CHILDREN_ASLEEP = 1 << 2;

export interface RedistributorHost {
  update(): void;
  asserted(intid: number, cpu: number): void;
  numCpus: number;
  mem: GuestMemory;
  guestError(message: string): void;
  guestWarning(message: string): void;
}

export class Redistributor {
  readonly bank = new IrqBank(32);
  processorSleep = true;
  enableLpis = false;
  propbaserLo = 0;
  propbaserHi = 0;
  pendbaserLo = 0;
  pendbaserHi = 0;
  private ptz = false;
  /** Pending LPIs (interrupt IDs). */
  readonly lpiPending = new Set<number>();
  /** Cached configuration bytes, by interrupt ID (see the file comment). */
  private readonly lpiConfigCache = new Map<number, number>();
  readonly frame: GicFrame;

  constructor(readonly cpu: number, private readonly host: RedistributorHost) {
    const b = this.bank;
    const S = GICR_SGI_OFFSET;
    const bits = (name: string, offset: number, read: () => number, write: (v: number) => void): GicRegDef => ({
      name, offset: S + offset, access: 'rw', read, write: (_i, v) => {
        write(v);
        host.update();
      },
    });
    const regs: GicRegDef[] = [
      {
        name: 'GICR_CTLR', offset: 0x0000, access: 'rw', read: () => (this.enableLpis ? 1 : 0) | GICR_CTLR_CES,
        write: (_i, v) => this.setEnableLpis((v & 1) === 1),
      },
      { name: 'GICR_IIDR', offset: 0x0004, access: 'ro', read: () => IIDR_ARM },
      { name: 'GICR_TYPER', offset: 0x0008, width: 8, access: 'ro', read: (_i, half) => (half ? this.affinity() : this.typerLo()) },
      { name: 'GICR_STATUSR', offset: 0x0010, access: 'rw' },
      {
        name: 'GICR_WAKER', offset: 0x0014, access: 'rw',
        read: () => (this.processorSleep ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0),
        write: (_i, v) => {
          this.processorSleep = (v & GICR_WAKER_PROCESSOR_SLEEP) !== 0;
          host.update();
        },
      },
      {
        name: 'GICR_PWRR', offset: 0x0024, access: 'rw',
        write: (_i, v) => host.guestWarning(`gicv3-redistributor${cpu}: write of 0x${(v >>> 0).toString(16)} to GICR_PWRR (GIC-600 power register, not modelled) ignored`),
      },
      {
        name: 'GICR_PROPBASER', offset: 0x0070, width: 8, access: 'rw',
        read: (_i, half) => (half ? this.propbaserHi : this.propbaserLo),
        write: (_i, v, half) => {
          if (this.baserLocked('GICR_PROPBASER')) return;
          if (half) this.propbaserHi = v & 0x070fffff;
          else this.propbaserLo = (v & 0xffffff9f) >>> 0;
        },
      },
      {
        name: 'GICR_PENDBASER', offset: 0x0078, width: 8, access: 'rw',
        read: (_i, half) => (half ? this.pendbaserHi : this.pendbaserLo),
        write: (_i, v, half) => {
          if (this.baserLocked('GICR_PENDBASER')) return;
          if (half) {
            this.ptz = ((v >>> 30) & 1) === 1;
            this.pendbaserHi = v & 0x070fffff; // PTZ reads as 0
          } else {
            this.pendbaserLo = (v & 0xffff0f80) >>> 0;
          }
        },
      },
      ...idRegs('GICR', 0x93),
      bits('GICR_IGROUPR0', 0x0080, () => b.bits(b.group, 0), (v) => {
        for (let k = 0; k < 32; k++) b.group[k] = (v >>> k) & 1;
      }),
      bits('GICR_ISENABLER0', 0x0100, () => b.bits(b.enabled, 0), (v) => b.forBits(v, 0, (n) => (b.enabled[n] = 1))),
      bits('GICR_ICENABLER0', 0x0180, () => b.bits(b.enabled, 0), (v) => b.forBits(v, 0, (n) => (b.enabled[n] = 0))),
      bits('GICR_ISPENDR0', 0x0200, () => b.bits((n) => b.pending(n), 0), (v) => b.forBits(v, 0, (n) => {
        if (!b.pending(n)) host.asserted(n, cpu);
        b.latch[n] = 1;
      })),
      bits('GICR_ICPENDR0', 0x0280, () => b.bits((n) => b.pending(n), 0), (v) => b.forBits(v, 0, (n) => (b.latch[n] = 0))),
      bits('GICR_ISACTIVER0', 0x0300, () => b.bits(b.active, 0), (v) => b.forBits(v, 0, (n) => (b.active[n] = 1))),
      bits('GICR_ICACTIVER0', 0x0380, () => b.bits(b.active, 0), (v) => b.forBits(v, 0, (n) => (b.active[n] = 0))),
      {
        name: 'GICR_IPRIORITYR', offset: S + 0x0400, count: 8, access: 'rw', bytes: true,
        read: (i) => priorityWord(b.priority, 4 * i),
        write: (i, v, _h, mask) => {
          writePriorityWord(b.priority, 4 * i, v, mask);
          host.update();
        },
      },
      { name: 'GICR_ICFGR0', offset: S + 0x0c00, access: 'rw', read: () => cfgWord(b.edge, 0) },
      {
        name: 'GICR_ICFGR1', offset: S + 0x0c04, access: 'rw', read: () => cfgWord(b.edge, 16),
        write: (_i, v) => {
          writeCfgWord(b.edge, 16, v);
          host.update();
        },
      },
      { name: 'GICR_IGRPMODR0', offset: S + 0x0d00, access: 'rw' },
      { name: 'GICR_NSACR', offset: S + 0x0e00, access: 'rw' },
    ];
    this.frame = new GicFrame(`gicv3-redistributor${cpu}`, regs, host.guestError);
    this.reset();
  }

  reset(): void {
    this.bank.reset();
    for (let i = 0; i < 16; i++) this.bank.edge[i] = 1; // SGIs are edge-triggered
    this.processorSleep = true;
    this.enableLpis = false;
    this.propbaserLo = this.propbaserHi = this.pendbaserLo = this.pendbaserHi = 0;
    this.ptz = false;
    this.lpiPending.clear();
    this.lpiConfigCache.clear();
  }

  /** GICR_TYPER[31:0]: PLPIS, Last, Processor_Number, CommonLPIAff = 1 (as QEMU). */
  typerLo(): number {
    const last = this.cpu === this.host.numCpus - 1 ? 1 << 4 : 0;
    return (1 | last | (this.cpu << 8) | (1 << 24)) >>> 0;
  }

  /** GICR_TYPER[63:32]: the CPU's MPIDR affinity (Aff0 = CPU index on our machines). */
  affinity(): number {
    return this.cpu & 0xff;
  }

  private baserLocked(name: string): boolean {
    if (!this.enableLpis) return false;
    this.host.guestWarning(`gicv3-redistributor${this.cpu}: write to ${name} while GICR_CTLR.EnableLPIs is 1 ignored (UNPREDICTABLE)`);
    return true;
  }

  private setEnableLpis(on: boolean): void {
    if (on === this.enableLpis) return;
    this.enableLpis = on;
    this.lpiConfigCache.clear();
    this.lpiPending.clear();
    if (on && !this.ptz) this.scanPendingTable();
    this.host.update();
  }

  /** Number of interrupt ID bits LPIs may use: the smaller of GICR_PROPBASER.IDbits and GICD_TYPER.IDbits. */
  lpiIdBits(): number {
    return Math.min(decodePropbaser(this.propbaserLo, this.propbaserHi).idBits, ID_BITS);
  }

  /** Whether `intid` is an LPI this redistributor's tables can hold. */
  lpiInRange(intid: number): boolean {
    return intid >= LPI_START && intid < 2 ** this.lpiIdBits();
  }

  private scanPendingTable(): void {
    const base = decodePendbaser(this.pendbaserLo, this.pendbaserHi);
    const end = 2 ** this.lpiIdBits() / 8;
    try {
      for (let byte = LPI_START / 8; byte < end; byte++) {
        const v = this.host.mem.read8(base + byte);
        if (v) for (let k = 0; k < 8; k++) if ((v >>> k) & 1) this.lpiPending.add(byte * 8 + k);
      }
    } catch {
      this.host.guestError(`gicv3-redistributor${this.cpu}: LPI pending table at 0x${base.toString(16)} is not in RAM`);
    }
  }

  /** The configuration of an LPI (cached; see the file comment). Undefined when the table is unreadable. */
  lpiConfig(intid: number): LpiConfig | undefined {
    let byte = this.lpiConfigCache.get(intid);
    if (byte === undefined) {
      const prop = decodePropbaser(this.propbaserLo, this.propbaserHi);
      try {
        byte = this.host.mem.read8(prop.address + (intid - LPI_START));
      } catch {
        this.host.guestError(`gicv3-redistributor${this.cpu}: LPI ${intid} configuration at 0x${(prop.address + intid - LPI_START).toString(16)} is not in RAM`);
        return undefined;
      }
      this.lpiConfigCache.set(intid, byte);
    }
    return decodeLpiConfig(byte);
  }

  /** The property byte the model holds for an LPI, without reading guest memory (panels). */
  cachedLpiConfig(intid: number): LpiConfig | undefined {
    const b = this.lpiConfigCache.get(intid);
    return b === undefined ? undefined : decodeLpiConfig(b);
  }

  /** INV/INVALL: forget cached configuration (one LPI, or all). */
  invalidateLpiConfig(intid?: number): void {
    if (intid === undefined) this.lpiConfigCache.clear();
    else this.lpiConfigCache.delete(intid);
    this.host.update();
  }

  /**
   * Sets or clears an LPI's pending state, writing the pending-table bit through. Returns false when the
   * interrupt ID is beyond the tables or LPIs are disabled here (GICR_CTLR.EnableLPIs = 0: not accepted).
   */
  setLpiPending(intid: number, on: boolean): boolean {
    if (!this.lpiInRange(intid) || (on && !this.enableLpis)) return false;
    if (on) this.lpiPending.add(intid);
    else this.lpiPending.delete(intid);
    if (this.enableLpis) {
      const pa = decodePendbaser(this.pendbaserLo, this.pendbaserHi) + (intid >>> 3);
      try {
        const old = this.host.mem.read8(pa);
        this.host.mem.write8(pa, on ? old | (1 << (intid & 7)) : old & ~(1 << (intid & 7)));
      } catch {
        this.host.guestError(`gicv3-redistributor${this.cpu}: LPI pending table byte 0x${pa.toString(16)} is not in RAM`);
      }
    }
    this.host.update();
    return true;
  }

  /** A PPI driven by the core (timers, PMU): level-sensitive unless GICR_ICFGR1 says edge. */
  setPpiLevel(intid: number, level: boolean): void {
    const b = this.bank;
    const was = b.pending(intid);
    b.setLevel(intid, level);
    if (!was && b.pending(intid)) this.host.asserted(intid, this.cpu);
    this.host.update();
  }

  /** SGI arrival (from any CPU's ICC_SGI*R_EL1). */
  sendSgi(intid: number): void {
    if (!this.bank.pending(intid)) this.host.asserted(intid, this.cpu);
    this.bank.latch[intid] = 1;
  }
}

