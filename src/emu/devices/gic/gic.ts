// The GICv3 as a whole: distributor, one redistributor and CPU interface per CPU, and the ITS, with the
// interrupt-selection logic that joins them. It implements InterruptPort (cpu/interrupts.ts) for the
// CPUs' ICC_* registers and core PPIs, drives each CPU's IRQ/FIQ lines (CpuIrqLines) whenever its state
// changes, takes SPI lines from devices (setSpiLevel) and MSIs from bus masters (msi), publishes typed
// events (events.ts) and gives a side-effect-free snapshot for the GIC/ITS panel.
//
// Interrupt selection (IHI 0069 4.7), per CPU: among its SGIs/PPIs, the SPIs routed to it and its LPIs,
// the pending, enabled, not active interrupts whose group is enabled in GICD_CTLR and in the CPU interface
// (ICC_IGRPEN0/1_EL1), with the redistributor awake (GICR_WAKER.ProcessorSleep = 0), the one with the
// lowest priority value; ties go to the lowest INTID (IMPLEMENTATION DEFINED; QEMU does the same). It is
// signalled when its priority is below ICC_PMR_EL1 and its group priority preempts the running priority:
// Group 0 on FIQ, Group 1 on IRQ (single Security state, no EL3).
//
// SPI routing: GICD_IROUTER<n> targets the CPU whose affinity matches (none: not delivered). 1-of-N routing
// is not implemented (GICD_TYPER.No1N = 1, IRM RAZ/WI), as in QEMU.
import type { MmioDevice } from '../mmio';
import { GICR_STRIDE, INTID_SPURIOUS, LPI_START, NUM_IRQ, SPI_START } from './config';
import { CpuInterface, NO_HPPI, type CpuInterfaceCore, type CpuInterfaceSnapshot, type Hppi } from './cpuInterface';
import { Distributor } from './distributor';
import type { GicEvent, GicEventSink } from './events';
import type { IrqSnapshot } from './irqState';
import { GITS_TRANSLATER_OFFSET, Its, type TranslationPath } from './its';
import { formatItsCommand, type ItsCommandRecord } from './itsCommands';
import {
  decodePendbaser, decodePropbaser, iteAddress, readCte, readDte, readIte, tableEntry, type CollectionTableEntry,
  type DeviceTableEntry, type GuestMemory, type InterruptTranslationEntry, type LpiConfig, type TableDescriptor,
} from './itsTables';
import { Redistributor } from './redistributor';

/**
 * The IRQ/FIQ inputs of one CPU. Structurally the CpuIrqLines of cpu/interrupts.ts, restated here because
 * devices never import the CPU (DESIGN.md); the Gic likewise satisfies that file's InterruptPort
 * (readIcc, writeIcc, setPpiLevel), which the machine checks when it hands the Gic to its CPUs.
 */
export interface IrqLines {
  setIrqLine(level: boolean): void;
  setFiqLine(level: boolean): void;
}

export interface GicOptions {
  numCpus: number;
  /** Guest memory for the ITS tables and the LPI property/pending tables. */
  mem: GuestMemory;
  /** The same memory read without side effects (snapshots). */
  peekMem: GuestMemory;
  events?: GicEventSink;
  guestError: (message: string) => void;
  guestWarning: (message: string) => void;
}

export interface GicSnapshot {
  schema: 1;
  distributor: {
    registers: Record<string, unknown>;
    /** SPIs by INTID (index 0 is INTID 32), with their routing target (-1: none). */
    spis: (IrqSnapshot & { intid: number; target: number })[];
  };
  cpus: {
    cpu: number;
    redistributor: Record<string, unknown>;
    /** SGIs and PPIs, INTID 0..31. */
    private: (IrqSnapshot & { intid: number })[];
    lpis: {
      enabled: boolean;
      propbase: number;
      pendbase: number;
      idBits: number;
      pending: number[];
      /**
       * Configuration of the pending LPIs and of those the ITS maps to this redistributor, by INTID: the
       * redistributor's cached copy, else the byte in the configuration table (read without side effects).
       */
      config: { intid: number; config: LpiConfig }[];
    };
    cpuInterface: CpuInterfaceSnapshot;
    /** Highest-priority pending interrupt and whether it is signalled. */
    hppi: Hppi & { signalled: boolean };
    irqLine: boolean;
    fiqLine: boolean;
  }[];
  its: {
    registers: Record<string, unknown>;
    deviceTable: TableDescriptor;
    collectionTable: TableDescriptor;
    /** Devices, events and collections named by the commands seen so far, decoded from guest memory. */
    devices: { deviceId: number; dte: DeviceTableEntry; events: { eventId: number; ite: InterruptTranslationEntry }[] }[];
    collections: { icid: number; cte: CollectionTableEntry }[];
    commands: ItsCommandRecord[];
  };
}

export class Gic implements CpuInterfaceCore {
  readonly numCpus: number;
  readonly distributor: Distributor;
  readonly redistributors: Redistributor[] = [];
  readonly cpuInterfaces: CpuInterface[] = [];
  readonly its: Its;
  /** All redistributors as one MMIO region (128 KiB per CPU). */
  readonly redistributorRegion: MmioDevice;
  /** The ITS control and translation frames (128 KiB), with requester IDs for GITS_TRANSLATER. */
  readonly itsRegion: MmioDevice;
  private readonly lines: (IrqLines | undefined)[] = [];
  private readonly irqLevel: boolean[] = [];
  private readonly fiqLevel: boolean[] = [];

  constructor(private readonly o: GicOptions) {
    this.numCpus = o.numCpus;
    this.distributor = new Distributor({
      update: () => this.update(),
      asserted: (intid, cpu) => this.emit({ kind: 'interrupt-asserted', intid, cpu }),
      numCpus: o.numCpus,
      guestError: o.guestError,
    });
    for (let i = 0; i < o.numCpus; i++) {
      this.redistributors.push(new Redistributor(i, {
        update: () => this.update(),
        asserted: (intid, cpu) => this.emit({ kind: 'interrupt-asserted', intid, cpu }),
        numCpus: o.numCpus,
        mem: o.mem,
        guestError: o.guestError,
        guestWarning: o.guestWarning,
      }));
      this.cpuInterfaces.push(new CpuInterface(i, this));
      this.irqLevel.push(false);
      this.fiqLevel.push(false);
    }
    this.its = new Its({
      mem: o.mem,
      peekMem: o.peekMem,
      numCpus: o.numCpus,
      setLpiPending: (cpu, intid, on) => this.redistributors[cpu].setLpiPending(intid, on),
      lpiPending: (cpu, intid) => this.redistributors[cpu].lpiPending.has(intid),
      invalidate: (cpu, intid) => this.redistributors[cpu].invalidateLpiConfig(intid),
      lpiIdBits: (cpu) => this.redistributors[cpu].lpiIdBits(),
      commandExecuted: (record) => this.emit({ kind: 'its-command', record }),
      lpiDelivered: (cpu, intid, deviceId, eventId, via) => this.emit({ kind: 'lpi-delivered', cpu, intid, deviceId, eventId, via }),
      guestError: o.guestError,
      guestWarning: o.guestWarning,
    });
    const redists = this.redistributors;
    const rd = (offset: number): { r: Redistributor; off: number } | undefined => {
      const r = redists[Math.floor(offset / GICR_STRIDE)];
      return r && { r, off: offset % GICR_STRIDE };
    };
    this.redistributorRegion = {
      name: 'gicv3-redistributors',
      read(offset, size) {
        const h = rd(offset);
        if (!h) {
          o.guestError(`gicv3-redistributors: read at 0x${offset.toString(16)}: no redistributor there`);
          return 0;
        }
        return h.r.frame.read(h.off, size);
      },
      write(offset, size, value) {
        const h = rd(offset);
        if (!h) o.guestError(`gicv3-redistributors: write at 0x${offset.toString(16)}: no redistributor there`);
        else h.r.frame.write(h.off, size, value);
      },
      peek(offset, size) {
        const h = rd(offset);
        return h ? h.r.frame.peek(h.off, size) : 0;
      },
    };
    const its = this.its;
    this.itsRegion = {
      name: 'gicv3-its',
      read: (offset, size) => its.frame.read(offset, size),
      peek: (offset, size) => its.frame.peek(offset, size),
      write(offset, size, value, requesterId) {
        if (requesterId !== undefined && offset === GITS_TRANSLATER_OFFSET && size !== 1) its.msi(requesterId, size === 2 ? value & 0xffff : value >>> 0);
        else its.frame.write(offset, size, value);
      },
    };
  }

  /** Connects CPU i's IRQ/FIQ inputs. */
  connectCpu(i: number, lines: IrqLines): void {
    this.lines[i] = lines;
    this.irqLevel[i] = this.fiqLevel[i] = false;
    lines.setIrqLine(false);
    lines.setFiqLine(false);
    this.update();
  }

  reset(): void {
    this.distributor.reset();
    for (const r of this.redistributors) r.reset();
    for (const c of this.cpuInterfaces) c.reset();
    this.its.reset();
    this.update();
  }

  private emit(e: GicEvent): void {
    this.o.events?.(e);
  }

  // ---- devices and bus masters ---------------------------------------------------------------------

  /** An SPI input line (INTID 32..255). */
  setSpiLevel(intid: number, level: boolean): void {
    this.distributor.setSpiLevel(intid, level);
  }

  /** An MSI from a bus master: DeviceID = its requester ID, EventID = the data written to GITS_TRANSLATER. */
  msi(deviceId: number, eventId: number): void {
    this.its.msi(deviceId, eventId);
  }

  // ---- InterruptPort -------------------------------------------------------------------------------

  readIcc(cpu: number, name: string, el: number): bigint | undefined {
    return this.cpuInterfaces[cpu]?.read(name, el);
  }

  writeIcc(cpu: number, name: string, el: number, value: bigint): boolean {
    return this.cpuInterfaces[cpu]?.write(name, el, value) ?? false;
  }

  setPpiLevel(cpu: number, intid: number, level: boolean): void {
    if (intid < 16 || intid >= 32) throw new Error(`GIC: PPI ${intid} out of range`);
    this.redistributors[cpu]?.setPpiLevel(intid, level);
  }

  // ---- selection -----------------------------------------------------------------------------------

  /** Target CPU of an SPI, or -1. */
  spiTarget(intid: number): number {
    const d = this.distributor;
    const lo = d.irouterLo[intid];
    if (d.irouterHi[intid] !== 0 || (lo & 0xffff00) !== 0) return -1;
    const aff0 = lo & 0xff;
    return aff0 < this.numCpus ? aff0 : -1;
  }

  hppi(cpu: number): Hppi {
    const r = this.redistributors[cpu];
    const ci = this.cpuInterfaces[cpu];
    if (!r || r.processorSleep) return NO_HPPI;
    const en = this.distributor.enables;
    const g0 = (en & 1) !== 0 && ci.igrpen0;
    const g1 = (en & 2) !== 0 && ci.igrpen1;
    if (!g0 && !g1) return NO_HPPI;
    let bestId = INTID_SPURIOUS;
    let bestPrio = 0x100;
    let bestGroup = 0;
    const bank = r.bank;
    for (let i = 0; i < 32; i++) {
      if (!bank.enabled[i] || bank.active[i] || !bank.pending(i)) continue;
      const g = bank.group[i];
      if (!(g ? g1 : g0)) continue;
      if (bank.priority[i] < bestPrio) {
        bestPrio = bank.priority[i];
        bestId = i;
        bestGroup = g;
      }
    }
    const d = this.distributor.bank;
    for (let i = SPI_START; i < NUM_IRQ; i++) {
      if (!d.enabled[i] || d.active[i] || !d.pending(i) || d.priority[i] >= bestPrio) continue;
      const g = d.group[i];
      if (!(g ? g1 : g0) || this.spiTarget(i) !== cpu) continue;
      bestPrio = d.priority[i];
      bestId = i;
      bestGroup = g;
    }
    if (g1 && r.enableLpis) {
      for (const intid of r.lpiPending) {
        const cfg = r.lpiConfig(intid);
        if (!cfg || !cfg.enabled) continue;
        if (cfg.priority < bestPrio || (cfg.priority === bestPrio && intid < bestId)) {
          bestPrio = cfg.priority;
          bestId = intid;
          bestGroup = 1;
        }
      }
    }
    return bestId === INTID_SPURIOUS ? NO_HPPI : { intid: bestId, priority: bestPrio, group: bestGroup };
  }

  /** Recomputes every CPU's IRQ and FIQ lines. */
  update(): void {
    for (let c = 0; c < this.numCpus; c++) {
      const h = this.hppi(c);
      const sig = this.cpuInterfaces[c].canSignal(h);
      const irq = sig && h.group === 1;
      const fiq = sig && h.group === 0;
      const lines = this.lines[c];
      if (irq !== this.irqLevel[c]) {
        this.irqLevel[c] = irq;
        lines?.setIrqLine(irq);
      }
      if (fiq !== this.fiqLevel[c]) {
        this.fiqLevel[c] = fiq;
        lines?.setFiqLine(fiq);
      }
    }
  }

  // ---- CpuInterfaceCore ----------------------------------------------------------------------------

  activate(cpu: number, h: Hppi): void {
    if (h.intid < 32) {
      const b = this.redistributors[cpu].bank;
      b.active[h.intid] = 1;
      b.latch[h.intid] = 0;
    } else if (h.intid < NUM_IRQ) {
      const b = this.distributor.bank;
      b.active[h.intid] = 1;
      b.latch[h.intid] = 0;
    } else if (h.intid >= LPI_START) {
      this.redistributors[cpu].setLpiPending(h.intid, false);
    }
  }

  deactivate(cpu: number, intid: number): void {
    if (intid < 32) this.redistributors[cpu].bank.active[intid] = 0;
    else if (intid < NUM_IRQ) this.distributor.bank.active[intid] = 0;
  }

  groupOf(cpu: number, intid: number): number {
    if (intid < 32) return this.redistributors[cpu].bank.group[intid];
    if (intid < NUM_IRQ) return this.distributor.bank.group[intid];
    return 1;
  }

  /**
   * ICC_SGI0R/SGI1R/ASGI1R_EL1: TargetList [15:0], Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40],
   * RS [47:44], Aff3 [55:48]. An SGI is set pending at a target only if it is configured there in the group
   * the register generates: SGI0R Group 0, SGI1R Group 1; ASGI1R (the other Security state's Group 1) with
   * GICD_CTLR.DS = 1 reaches SGIs configured as Group 0, as QEMU does.
   */
  sendSgi(from: number, kind: 'G0' | 'G1' | 'AG1', value: bigint): void {
    const lo = Number(value & 0xffffffffn);
    const hi = Number((value >> 32n) & 0xffffffffn);
    const intid = (lo >>> 24) & 0xf;
    const irm = (hi >>> 8) & 1;
    const aff1 = (lo >>> 16) & 0xff;
    const aff2 = hi & 0xff;
    const aff3 = (hi >>> 16) & 0xff;
    const rs = (hi >>> 12) & 0xf;
    const wantGroup = kind === 'G1' ? 1 : 0;
    for (let c = 0; c < this.numCpus; c++) {
      let hit: boolean;
      if (irm) hit = c !== from;
      else {
        const aff0 = c & 0xff; // our CPUs: MPIDR Aff0 = index, Aff1-3 = 0
        hit = aff1 === 0 && aff2 === 0 && aff3 === 0 && aff0 >> 4 === rs && ((lo >>> (aff0 & 15)) & 1) === 1;
      }
      if (!hit) continue;
      const r = this.redistributors[c];
      if (r.bank.group[intid] === wantGroup) r.sendSgi(intid);
    }
    this.update();
  }

  ackEvent(cpu: number, h: Hppi): void {
    this.emit({ kind: 'interrupt-acknowledged', cpu, intid: h.intid, group: h.group, priority: h.priority });
  }

  eoiEvent(cpu: number, intid: number, group: number, deactivated: boolean): void {
    this.emit({ kind: 'interrupt-eoi', cpu, intid, group, deactivated });
  }

  dirEvent(cpu: number, intid: number): void {
    this.emit({ kind: 'interrupt-deactivated', cpu, intid });
  }

  guestWarning(message: string): void {
    this.o.guestWarning(message);
  }

  // ---- inspection ----------------------------------------------------------------------------------

  /** ICC_* registers without side effects (IAR reads never acknowledge). */
  peekIcc(cpu: number, name: string): bigint | undefined {
    return this.cpuInterfaces[cpu]?.peek(name);
  }

  /** Follows (DeviceID, EventID) from GITS_TRANSLATER to the CPU, naming the first step that blocks it. */
  msiPath(deviceId: number, eventId: number): TranslationPath & { delivery?: string } {
    const p = this.its.translationPath(deviceId, eventId);
    if (p.blocked || !p.target) return p;
    const { cpu, intid } = p.target;
    const r = this.redistributors[cpu];
    const ci = this.cpuInterfaces[cpu];
    let delivery: string | undefined;
    if (!r) delivery = `RDbase ${cpu} is not a redistributor`;
    else if (!r.enableLpis) delivery = `LPIs disabled at redistributor ${cpu} (GICR_CTLR.EnableLPIs = 0)`;
    else if (!r.lpiInRange(intid)) delivery = `LPI ${intid} beyond GICR_PROPBASER.IDbits`;
    else {
      const cfg = r.cachedLpiConfig(intid) ?? this.peekLpiConfig(cpu, intid);
      if (!cfg?.enabled) delivery = `LPI ${intid} disabled in the LPI configuration table`;
      else if (!(this.distributor.enables & 2)) delivery = 'Group 1 disabled in GICD_CTLR';
      else if (r.processorSleep) delivery = `redistributor ${cpu} asleep (GICR_WAKER.ProcessorSleep = 1)`;
      else if (!ci.igrpen1) delivery = `Group 1 disabled at CPU ${cpu} (ICC_IGRPEN1_EL1 = 0)`;
      else if (cfg.priority >= ci.pmr) delivery = `priority 0x${cfg.priority.toString(16)} masked by ICC_PMR_EL1 = 0x${ci.pmr.toString(16)}`;
    }
    return { ...p, delivery };
  }

  private peekLpiConfig(cpu: number, intid: number): LpiConfig | undefined {
    const r = this.redistributors[cpu];
    const prop = decodePropbaser(r.propbaserLo, r.propbaserHi);
    try {
      const b = this.o.peekMem.read8(prop.address + intid - LPI_START);
      return { enabled: (b & 1) === 1, priority: b & 0xfc };
    } catch {
      return undefined;
    }
  }

  /** The whole GIC as plain data, without side effects. */
  snapshot(): GicSnapshot {
    const d = this.distributor;
    const mappings = this.itsMappings();
    // LPIs the ITS translates to, per target redistributor (the panel shows their configuration bytes)
    const targetOf = new Map(mappings.collections.map((c) => [c.icid, c.cte.valid ? c.cte.rdbase : -1]));
    const mapped: Set<number>[] = this.redistributors.map(() => new Set());
    for (const dev of mappings.devices) {
      for (const e of dev.events) if (e.ite.valid) mapped[targetOf.get(e.ite.icid) ?? -1]?.add(e.ite.pINTID);
    }
    const spis = [];
    for (let i = SPI_START; i < NUM_IRQ; i++) spis.push({ intid: i, ...d.bank.snapshotOf(i), target: this.spiTarget(i) });
    const cpus = this.redistributors.map((r, cpu) => {
      const h = this.hppi(cpu);
      const ci = this.cpuInterfaces[cpu];
      const prop = decodePropbaser(r.propbaserLo, r.propbaserHi);
      const pending = [...r.lpiPending].sort((a, b) => a - b);
      return {
        cpu,
        redistributor: r.frame.snapshot(),
        private: Array.from({ length: 32 }, (_, i) => ({ intid: i, ...r.bank.snapshotOf(i) })),
        lpis: {
          enabled: r.enableLpis, propbase: prop.address, pendbase: decodePendbaser(r.pendbaserLo, r.pendbaserHi),
          idBits: r.lpiIdBits(), pending,
          config: [...new Set([...pending, ...mapped[cpu]!])].sort((a, b) => a - b).flatMap((intid) => {
            const config = r.cachedLpiConfig(intid) ?? this.peekLpiConfig(cpu, intid);
            return config ? [{ intid, config }] : [];
          }),
        },
        cpuInterface: ci.snapshot(),
        hppi: { ...h, signalled: ci.canSignal(h) },
        irqLine: this.irqLevel[cpu],
        fiqLine: this.fiqLevel[cpu],
      };
    });
    return {
      schema: 1,
      distributor: { registers: d.frame.snapshot(), spis },
      cpus,
      its: { registers: this.its.frame.snapshot(), ...mappings, commands: this.its.history.map((c) => ({ ...c })) },
    };
  }

  /** Decodes the devices, events and collections the command history names (cheap: no table scan). */
  private itsMappings(): Pick<GicSnapshot['its'], 'deviceTable' | 'collectionTable' | 'devices' | 'collections'> {
    const its = this.its;
    const mem = this.o.peekMem;
    const dt = its.deviceTable();
    const ct = its.collectionTable();
    const events = new Map<number, Set<number>>();
    const icids = new Set<number>();
    for (const c of its.history) {
      if (c.DeviceID !== undefined && !events.has(c.DeviceID)) events.set(c.DeviceID, new Set());
      if (c.DeviceID !== undefined && c.EventID !== undefined) events.get(c.DeviceID)!.add(c.EventID);
      if (c.ICID !== undefined) icids.add(c.ICID);
    }
    const devices: GicSnapshot['its']['devices'] = [];
    const collections: GicSnapshot['its']['collections'] = [];
    try {
      if (dt.valid) {
        for (const [deviceId, evs] of [...events].sort((a, b) => a[0] - b[0])) {
          const e = tableEntry(mem, dt, deviceId, 2 ** 16);
          if ('error' in e) continue;
          const dte = readDte(mem, e.pa);
          const list = dte.valid
            ? [...evs].sort((a, b) => a - b).filter((ev) => ev < 2 ** dte.eventIdBits).map((eventId) => ({ eventId, ite: readIte(mem, iteAddress(dte, eventId)) }))
            : [];
          devices.push({ deviceId, dte, events: list });
        }
      }
      if (ct.valid) {
        for (const icid of [...icids].sort((a, b) => a - b)) {
          const e = tableEntry(mem, ct, icid, 2 ** 16);
          if (!('error' in e)) collections.push({ icid, cte: readCte(mem, e.pa) });
        }
      }
    } catch {
      // a table outside RAM: report what was decoded
    }
    return { deviceTable: dt, collectionTable: ct, devices, collections };
  }
}

export { formatItsCommand };
export type { GicEvent, ItsCommandRecord };
