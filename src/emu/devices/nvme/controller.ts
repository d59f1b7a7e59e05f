// An NVMe 1.4 controller on PCI (the guest-visible identity of QEMU 7.2's `-device nvme`: 1b36:0010,
// class 01:08:02, revision 2, one 16 KiB 64-bit BAR0 holding the registers at 0, the doorbells at 0x1000,
// the 65-vector MSI-X table at 0x2000 and its PBA at 0x3000; capabilities MSI-X at 0x40 -> PCI Express at
// 0x80 -> Power Management at 0x60). One namespace (NSID 1) of 512-byte blocks over a copy-on-write disk.
// Commands run synchronously when the guest writes a submission queue tail doorbell (in virtual time, no
// delay): each is fetched, executed, and completed into its completion queue with the phase tag, then the
// completion queue's MSI-X vector fires once for the batch.
//
// Deviations from the specification / from QEMU:
// - Without MSI-X enabled, INTA is asserted while a completion queue with interrupts enabled holds entries
//   the host has not consumed (head != tail) and INTMS bit 0 is clear (pin-based mode uses that one bit);
//   MSI (single or multiple message) is not offered, as QEMU's controller does not offer it.
// - A full completion queue stops command fetching from the submission queues bound to it until the
//   guest moves that queue's head (the spec allows this back-pressure).
// - Controller Fatal Status is never set; NVM Subsystem Reset is not supported (CAP.NSSRS = 0).
// - Shutdown (CC.SHN) completes at once (CSTS.SHST = 2); the overlay of the disk is kept.
// - Power management and PCIe capability registers are stored but have no effect.
import type { CowDisk } from '../../disk/cowDisk';
import type { MmioDevice } from '../mmio';
import { RegisterMap } from '../regmap';
import { composeBar } from '../pci/barFrame';
import { ConfigSpace } from '../pci/config';
import type { DmaPort, PciFunction } from '../pci/function';
import { MsiX } from '../pci/msix';
import { addPciExpressEndpointCap, addPowerManagementCap } from '../pci/stdCaps';
import { adminCommand } from './admin';
import type { NvmeContext } from './context';
import { ioCommand } from './io';
import { prpSegments } from './prp';
import { cqFull, parseCommand, type CompletionQueue, type SubmissionQueue } from './queues';
import {
  CAP_HI, CAP_LO, CC_EN, CC_SHN_SHIFT, CSTS_RDY, CSTS_SHST_COMPLETE, DOORBELL_BASE, MAX_IO_QUEUES, MSIX_VECTORS,
  NVME_VERSION, REG_ACQ, REG_AQA, REG_ASQ, REG_CAP, REG_CC, REG_CSTS, REG_INTMC, REG_INTMS, REG_NSSR, REG_VS,
} from './regs';

export interface NvmeOptions {
  name?: string;
  disk: CowDisk;
  /** Serial number (Identify SN, up to 20 ASCII characters). */
  serial: string;
  guestError: (m: string) => void;
}

const BAR0_SIZE = 0x4000;

export class NvmeController implements PciFunction {
  readonly name: string;
  readonly config: ConfigSpace;
  readonly msix: MsiX;
  readonly regs: RegisterMap;
  private readonly bar0: MmioDevice;
  private readonly sqs = new Map<number, SubmissionQueue>();
  private readonly cqs = new Map<number, CompletionQueue>();
  private readonly features = new Map<number, number>();
  private dma?: DmaPort;
  private readonly ctx: NvmeContext;
  /** Interrupt Mask (INTMS sets, INTMC clears). */
  private intMask = 0;
  intx?: (level: boolean) => void;

  constructor(private readonly o: NvmeOptions) {
    if (!/^[\x20-\x7e]{0,20}$/.test(o.serial)) throw new Error(`nvme: serial '${o.serial}' must be at most 20 printable ASCII characters`);
    this.name = o.name ?? 'nvme';
    this.config = new ConfigSpace({
      vendor: 0x1b36, device: 0x0010, classCode: 0x010802, revision: 0x02,
      subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 1,
    });
    this.config.addBar({ index: 0, kind: 'mem64', size: BAR0_SIZE });
    addPowerManagementCap(this.config, 0x60);
    addPciExpressEndpointCap(this.config, 0x80);
    this.msix = new MsiX(this.config, { capOffset: 0x40, vectors: MSIX_VECTORS, tableBar: 0, tableOffset: 0x2000, pbaBar: 0, pbaOffset: 0x3000 }, o.guestError);
    this.config.onWrite(() => this.updateIntx());
    this.regs = new RegisterMap(`${this.name}-regs`, [
      { name: 'CAP_LO', offset: REG_CAP, access: 'ro', reset: CAP_LO },
      { name: 'CAP_HI', offset: REG_CAP + 4, access: 'ro', reset: CAP_HI },
      { name: 'VS', offset: REG_VS, access: 'ro', reset: NVME_VERSION },
      { name: 'INTMS', offset: REG_INTMS, access: 'rw', read: () => this.intMask, peek: () => this.intMask,
        write: (v) => { this.intMask = (this.intMask | v) >>> 0; this.updateIntx(); } },
      { name: 'INTMC', offset: REG_INTMC, access: 'rw', read: () => this.intMask, peek: () => this.intMask,
        write: (v) => { this.intMask = (this.intMask & ~v) >>> 0; this.updateIntx(); } },
      { name: 'CC', offset: REG_CC, access: 'rw', write: (v, old) => this.writeCc(v, old) },
      { name: 'CSTS', offset: REG_CSTS, access: 'ro' },
      { name: 'NSSR', offset: REG_NSSR, access: 'rw', unmodelled: 0xffff_ffff },
      { name: 'AQA', offset: REG_AQA, access: 'rw' },
      { name: 'ASQ_LO', offset: REG_ASQ, access: 'rw' },
      { name: 'ASQ_HI', offset: REG_ASQ + 4, access: 'rw' },
      { name: 'ACQ_LO', offset: REG_ACQ, access: 'rw' },
      { name: 'ACQ_HI', offset: REG_ACQ + 4, access: 'rw' },
      // no Controller Memory Buffer, Boot Partitions or Persistent Memory Region (CAP.CMBS/BPS/PMRS = 0):
      // drivers read their registers anyway (Linux reads CMBSZ), so they exist and read 0
      { name: 'CMBLOC', offset: 0x38, access: 'ro' },
      { name: 'CMBSZ', offset: 0x3c, access: 'ro' },
      { name: 'BPINFO', offset: 0x40, access: 'ro' },
      { name: 'BPRSEL', offset: 0x44, access: 'ro' },
      { name: 'BPMBL_LO', offset: 0x48, access: 'ro' },
      { name: 'BPMBL_HI', offset: 0x4c, access: 'ro' },
      { name: 'CMBMSC_LO', offset: 0x50, access: 'ro' },
      { name: 'CMBMSC_HI', offset: 0x54, access: 'ro' },
      { name: 'CMBSTS', offset: 0x58, access: 'ro' },
      { name: 'PMRCAP', offset: 0xe00, access: 'ro' },
    ], o.guestError);
    const doorbells: MmioDevice = {
      name: `${this.name}-doorbells`,
      read: () => 0, // doorbells read as 0 (their value is not defined to be readable)
      peek: () => 0,
      write: (off, size, value) => this.doorbell(off, size, value),
    };
    this.bar0 = composeBar(`${this.name}-bar0`, [
      { offset: 0, size: 0x1000, device: this.regs },
      { offset: DOORBELL_BASE, size: 8 * (MAX_IO_QUEUES + 1), device: doorbells },
      { offset: 0x2000, size: 16 * MSIX_VECTORS, device: this.msix.tableFrame },
      { offset: 0x3000, size: this.msix.pba.length, device: this.msix.pbaFrame },
    ], o.guestError);
    const pageSize = (): number => this.pageSize;
    this.ctx = {
      disk: o.disk, serial: o.serial, sqs: this.sqs, cqs: this.cqs, features: this.features,
      get pageSize() { return pageSize(); },
      toHost: (p1, p2, data) => {
        let done = 0;
        for (const s of prpSegments(this.port(), p1, p2, data.length, this.pageSize)) {
          this.port().write(s.pa, data.subarray(done, done + s.len));
          done += s.len;
        }
      },
      fromHost: (p1, p2, length) => {
        const out = new Uint8Array(length);
        let done = 0;
        for (const s of prpSegments(this.port(), p1, p2, length, this.pageSize)) {
          this.port().read(s.pa, out.subarray(done, done + s.len));
          done += s.len;
        }
        return out;
      },
      guestError: o.guestError,
    };
  }

  /** Connects the function's bus-master port (the host does this when it plugs the function in). */
  connect(dma: DmaPort): void {
    this.dma = dma;
    this.msix.dma = dma;
  }

  private port(): DmaPort {
    if (!this.dma) throw new Error(`${this.name}: not connected to a bus`);
    return this.dma;
  }

  bar(index: number): MmioDevice | undefined {
    return index === 0 ? this.bar0 : undefined;
  }

  reset(): void {
    this.config.reset();
    this.msix.reset();
    this.regs.reset();
    this.controllerReset();
  }

  private controllerReset(): void {
    this.sqs.clear();
    this.cqs.clear();
    this.features.clear();
    this.intMask = 0;
    this.updateIntx();
  }

  /** INTA: pin-based mode (MSI-X off), an interrupting completion queue with unconsumed entries, not masked. */
  private updateIntx(): void {
    if (!this.intx) return;
    let level = false;
    if (!this.msix.enabled && !(this.intMask & 1)) {
      for (const cq of this.cqs.values()) if (cq.interrupts && cq.head !== cq.tail) level = true;
    }
    this.intx(level);
  }

  /** Registers, queues and MSI-X state, without side effects (for panels and tests). */
  snapshot(): { regs: Record<string, number>; sqs: SubmissionQueue[]; cqs: CompletionQueue[]; msix: { enabled: boolean; functionMasked: boolean }; dirtyBlocks: number } {
    return {
      regs: this.regs.snapshot(),
      sqs: [...this.sqs.values()].map((q) => ({ ...q })),
      cqs: [...this.cqs.values()].map((q) => ({ ...q })),
      msix: { enabled: this.msix.enabled, functionMasked: this.msix.functionMasked },
      dirtyBlocks: this.o.disk.dirtyBlocks().length,
    };
  }

  get pageSize(): number {
    return 4096 << ((this.regs.get('CC') >>> 7) & 0xf);
  }

  private writeCc(v: number, old: number): void {
    let csts = this.regs.get('CSTS');
    if (v & CC_EN && !(old & CC_EN)) {
      const aqa = this.regs.get('AQA');
      const asq = this.regs.get('ASQ_HI') * 0x1_0000_0000 + (this.regs.get('ASQ_LO') & ~0xfff);
      const acq = this.regs.get('ACQ_HI') * 0x1_0000_0000 + (this.regs.get('ACQ_LO') & ~0xfff);
      const sqSize = (aqa & 0xfff) + 1;
      const cqSize = ((aqa >>> 16) & 0xfff) + 1;
      if (sqSize < 2 || cqSize < 2 || asq === 0 || acq === 0) {
        this.o.guestError(`${this.name}: CC.EN set with AQA=0x${aqa.toString(16)}, ASQ=0x${asq.toString(16)}, ACQ=0x${acq.toString(16)}: the controller stays disabled`);
        return;
      }
      this.controllerReset();
      this.sqs.set(0, { qid: 0, base: asq, size: sqSize, cqid: 0, head: 0, tail: 0 });
      this.cqs.set(0, { qid: 0, base: acq, size: cqSize, vector: 0, interrupts: true, head: 0, tail: 0, phase: 1 });
      csts |= CSTS_RDY;
    } else if (!(v & CC_EN) && old & CC_EN) {
      this.controllerReset();
      csts &= ~(CSTS_RDY | (3 << 2));
    }
    if ((v >>> CC_SHN_SHIFT) & 3) csts = (csts & ~(3 << 2)) | CSTS_SHST_COMPLETE;
    else csts &= ~(3 << 2);
    this.regs.set('CSTS', csts);
  }

  private doorbell(off: number, size: number, value: number): void {
    if (size !== 4 || off & 3) {
      this.o.guestError(`${this.name}: doorbell write of ${size} bytes at 0x${(DOORBELL_BASE + off).toString(16)} (must be 32-bit)`);
      return;
    }
    if (!(this.regs.get('CSTS') & CSTS_RDY)) {
      this.o.guestError(`${this.name}: doorbell write while the controller is not ready`);
      return;
    }
    const qid = off >>> 3;
    if (off & 4) {
      const cq = this.cqs.get(qid);
      if (!cq || value >= cq.size) {
        this.o.guestError(`${this.name}: completion queue ${qid} head doorbell ${value} is invalid`);
        return;
      }
      cq.head = value;
      for (const sq of this.sqs.values()) if (sq.cqid === qid) this.process(sq);
      this.updateIntx();
    } else {
      const sq = this.sqs.get(qid);
      if (!sq || value >= sq.size) {
        this.o.guestError(`${this.name}: submission queue ${qid} tail doorbell ${value} is invalid`);
        return;
      }
      sq.tail = value;
      this.process(sq);
    }
  }

  /** Fetches and runs the commands between head and tail of `sq`. */
  private process(sq: SubmissionQueue): void {
    const cq = this.cqs.get(sq.cqid);
    if (!cq) return;
    let posted = false;
    const entry = new Uint8Array(64);
    while (sq.head !== sq.tail && this.sqs.get(sq.qid) === sq && !cqFull(cq)) {
      try {
        this.port().read(sq.base + sq.head * 64, entry);
      } catch {
        this.o.guestError(`${this.name}: submission queue ${sq.qid} entry at 0x${(sq.base + sq.head * 64).toString(16)} is not in memory`);
        return;
      }
      sq.head = (sq.head + 1) % sq.size;
      const cmd = parseCommand(entry);
      const done = sq.qid === 0 ? adminCommand(this.ctx, cmd) : ioCommand(this.ctx, cmd);
      if (!done) continue;
      const cqe = new Uint8Array(16);
      const dv = new DataView(cqe.buffer);
      dv.setUint32(0, done.result >>> 0, true);
      dv.setUint32(8, (sq.head | (sq.qid << 16)) >>> 0, true);
      dv.setUint32(12, (cmd.cid | (cq.phase << 16) | (done.status << 17)) >>> 0, true);
      try {
        this.port().write(cq.base + cq.tail * 16, cqe);
      } catch {
        this.o.guestError(`${this.name}: completion queue ${cq.qid} entry at 0x${(cq.base + cq.tail * 16).toString(16)} is not in memory`);
      }
      cq.tail = (cq.tail + 1) % cq.size;
      if (cq.tail === 0) cq.phase ^= 1;
      posted = true;
    }
    if (posted && cq.interrupts) this.msix.notify(cq.vector);
    this.updateIntx();
  }
}
