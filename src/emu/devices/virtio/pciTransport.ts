// The virtio 1.x PCI transport, modern only (Virtio 1.1 §4.1), laid out as QEMU 7.2's virtio-pci with
// disable-legacy=on: BAR1 (4 KiB) holds the MSI-X table (at 0) and PBA (at 0x800); BAR4 (16 KiB, 64-bit,
// prefetchable) holds the common configuration (0x0000), ISR status (0x1000), device-specific configuration
// (0x2000) and notifications (0x3000, notify_off_multiplier 4, queue n's notify_off = n). Vendor capabilities
// in configuration space: common 0x40, ISR 0x50, device 0x60, notify 0x70, PCI configuration access 0x84, then
// MSI-X at 0x98 (the list runs 0x98 -> 0x84 -> 0x70 -> 0x60 -> 0x50 -> 0x40).
//
// Deviations / choices:
// - The VIRTIO_PCI_CAP_PCI_CFG access window is declared (so drivers that look for it find it) but its
//   pci_cfg_data reads 0 and ignores writes.
// - A driver feature set without VIRTIO_F_VERSION_1, or with bits the device does not offer, makes the
//   device refuse FEATURES_OK (the bit reads back clear).
// - ISR bit 0 is set on every used-buffer notification, also with MSI-X on (QEMU does the same); reading
//   ISR clears it (peek does not). Configuration changes never happen (no bit 1).
// - Without MSI-X enabled, INTA follows ISR (asserted while ISR is non-zero, released by the ISR read), as
//   the virtio PCI transport specifies.
import type { MmioDevice } from '../mmio';
import { composeBar } from '../pci/barFrame';
import { ConfigSpace } from '../pci/config';
import type { DmaPort, PciFunction } from '../pci/function';
import { MsiX } from '../pci/msix';
import { RegisterMap, type RegDef } from '../regmap';
import { VirtQueue } from './virtqueue';

export const VIRTIO_F_VERSION_1_HI = 1; // bit 32
export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_FAILED = 0x80;
const NO_VECTOR = 0xffff;

/** What a virtio device type (block, rng, console) provides to the transport. */
export interface VirtioDeviceType {
  /** Virtio device ID (2 block, 4 rng, 3 console); PCI device ID is 0x1040 + it. */
  readonly deviceId: number;
  readonly classCode: number;
  /** Offered features, bits 0-31 and 32-63 (VERSION_1 is added by the transport). */
  readonly features: readonly [number, number];
  readonly queueSizes: readonly number[];
  /** Device-specific configuration, read-only to the driver. */
  config(): Uint8Array;
  /** The driver notified queue `q`: process its chains. Returns true when a used buffer was added. */
  notify(q: VirtQueue, dma: DmaPort): boolean;
  reset(): void;
  /** Gives a device that has its own events (host input) a way to process a queue and interrupt. */
  attach?(kick: (queue: number) => void): void;
}

export interface VirtioPciOptions {
  name: string;
  guestError: (m: string) => void;
}

export class VirtioPci implements PciFunction {
  readonly name: string;
  readonly config: ConfigSpace;
  readonly msix: MsiX;
  readonly queues: VirtQueue[];
  private readonly bar1: MmioDevice;
  private readonly bar4: MmioDevice;
  private dma?: DmaPort;
  private status = 0;
  private isr = 0;
  private dfSelect = 0;
  private gfSelect = 0;
  private readonly driverFeatures = [0, 0];
  private configVector = NO_VECTOR;
  private queueSelect = 0;
  private readonly offered: [number, number];
  intx?: (level: boolean) => void;

  constructor(private readonly dev: VirtioDeviceType, private readonly o: VirtioPciOptions) {
    this.name = o.name;
    this.offered = [dev.features[0] >>> 0, (dev.features[1] | VIRTIO_F_VERSION_1_HI) >>> 0];
    this.queues = dev.queueSizes.map((s, i) => new VirtQueue(i, s));
    this.config = new ConfigSpace({
      vendor: 0x1af4, device: 0x1040 + dev.deviceId, classCode: dev.classCode, revision: 1,
      subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 1,
    });
    this.config.addBar({ index: 1, kind: 'mem32', size: 0x1000 });
    this.config.addBar({ index: 4, kind: 'mem64', size: 0x4000, prefetchable: true });
    this.vendorCap(0x40, 16, 1, 4, 0x0000, 0x1000);
    this.vendorCap(0x50, 16, 3, 4, 0x1000, 0x1000);
    this.vendorCap(0x60, 16, 4, 4, 0x2000, 0x1000);
    this.vendorCap(0x70, 20, 2, 4, 0x3000, 0x1000);
    this.config.set32(0x70 + 16, 4); // notify_off_multiplier
    this.vendorCap(0x84, 20, 5, 0, 0, 0);
    this.config.writable(0x84 + 4, 1, 0xff); // bar
    this.config.writable(0x84 + 8, 4, 0xffff_ffff); // offset
    this.config.writable(0x84 + 12, 4, 0xffff_ffff); // length
    this.config.snapshotReset();
    this.msix = new MsiX(this.config, {
      capOffset: 0x98, vectors: this.queues.length + 1, tableBar: 1, tableOffset: 0, pbaBar: 1, pbaOffset: 0x800,
    }, o.guestError);
    this.bar1 = composeBar(`${this.name}-bar1`, [
      { offset: 0, size: 0x800, device: this.msix.tableFrame },
      { offset: 0x800, size: 0x800, device: this.msix.pbaFrame },
    ], o.guestError);
    this.bar4 = composeBar(`${this.name}-bar4`, [
      { offset: 0x0000, size: 0x1000, device: this.commonFrame() },
      { offset: 0x1000, size: 0x1000, device: this.isrFrame() },
      { offset: 0x2000, size: 0x1000, device: this.deviceCfgFrame() },
      { offset: 0x3000, size: 0x1000, device: this.notifyFrame() },
    ], o.guestError);
    dev.attach?.((q) => this.deviceEvent(q));
  }

  /** A device-side event on queue `index` (input arrived): process it if the driver has it ready. */
  private deviceEvent(index: number): void {
    const q = this.queues[index];
    if (q?.enabled && this.status & STATUS_DRIVER_OK && this.dma) this.runQueue(q);
  }

  private vendorCap(off: number, len: number, type: number, bar: number, offset: number, length: number): void {
    this.config.addCapability(off, 0x09, len);
    this.config.set8(off + 2, len);
    this.config.set8(off + 3, type);
    this.config.set8(off + 4, bar);
    this.config.set32(off + 8, offset);
    this.config.set32(off + 12, length);
  }

  connect(dma: DmaPort): void {
    this.dma = dma;
    this.msix.dma = dma;
  }

  bar(index: number): MmioDevice | undefined {
    return index === 1 ? this.bar1 : index === 4 ? this.bar4 : undefined;
  }

  reset(): void {
    this.config.reset();
    this.msix.reset();
    this.deviceReset();
  }

  private deviceReset(): void {
    this.status = 0;
    this.isr = 0;
    this.dfSelect = this.gfSelect = 0;
    this.driverFeatures[0] = this.driverFeatures[1] = 0;
    this.configVector = NO_VECTOR;
    this.queueSelect = 0;
    for (const q of this.queues) q.reset();
    this.dev.reset();
    this.updateIntx();
  }

  private get q(): VirtQueue | undefined {
    return this.queues[this.queueSelect];
  }

  /** The common configuration structure (§4.1.4.3) as a register map: 1-, 2- and 4-byte fields. */
  private commonFrame(): RegisterMap {
    const q = (): VirtQueue | undefined => this.q;
    const lo = (v: number): number => v % 0x1_0000_0000;
    const hi = (v: number): number => Math.floor(v / 0x1_0000_0000);
    const addr = (name: string, offset: number, field: 'desc' | 'driver' | 'device'): RegDef[] => [
      { name: `${name}_lo`, offset, access: 'rw', read: () => lo(q()?.[field] ?? 0), peek: () => lo(q()?.[field] ?? 0),
        write: (v) => { const x = q(); if (x) x[field] = hi(x[field]) * 0x1_0000_0000 + v; } },
      { name: `${name}_hi`, offset: offset + 4, access: 'rw', read: () => hi(q()?.[field] ?? 0), peek: () => hi(q()?.[field] ?? 0),
        write: (v) => { const x = q(); if (x) x[field] = v * 0x1_0000_0000 + lo(x[field]); } },
    ];
    const get = (f: () => number): Pick<RegDef, 'read' | 'peek'> => ({ read: f, peek: f });
    return new RegisterMap(`${this.name}-common`, [
      { name: 'device_feature_select', offset: 0x00, access: 'rw', ...get(() => this.dfSelect), write: (v) => { this.dfSelect = v; } },
      { name: 'device_feature', offset: 0x04, access: 'ro', ...get(() => (this.dfSelect < 2 ? this.offered[this.dfSelect] : 0)) },
      { name: 'driver_feature_select', offset: 0x08, access: 'rw', ...get(() => this.gfSelect), write: (v) => { this.gfSelect = v; } },
      { name: 'driver_feature', offset: 0x0c, access: 'rw', ...get(() => (this.gfSelect < 2 ? this.driverFeatures[this.gfSelect] : 0)),
        write: (v) => { if (this.gfSelect < 2 && !(this.status & STATUS_FEATURES_OK)) this.driverFeatures[this.gfSelect] = v >>> 0; } },
      { name: 'config_msix_vector', offset: 0x10, width: 2, access: 'rw', ...get(() => this.configVector), write: (v) => { this.configVector = v & 0xffff; } },
      { name: 'num_queues', offset: 0x12, width: 2, access: 'ro', ...get(() => this.queues.length) },
      { name: 'device_status', offset: 0x14, width: 1, access: 'rw', ...get(() => this.status), write: (v) => this.writeStatus(v & 0xff) },
      // the device configuration never changes, so its generation stays 0
      { name: 'config_generation', offset: 0x15, width: 1, access: 'ro' },
      { name: 'queue_select', offset: 0x16, width: 2, access: 'rw', ...get(() => this.queueSelect), write: (v) => { this.queueSelect = v & 0xffff; } },
      { name: 'queue_size', offset: 0x18, width: 2, access: 'rw', ...get(() => q()?.size ?? 0), write: (v) => this.setQueueSize(v) },
      { name: 'queue_msix_vector', offset: 0x1a, width: 2, access: 'rw', ...get(() => q()?.msixVector ?? NO_VECTOR),
        write: (v) => { const x = q(); if (x) x.msixVector = v & 0xffff; } },
      { name: 'queue_enable', offset: 0x1c, width: 2, access: 'rw', ...get(() => (q()?.enabled ? 1 : 0)),
        write: (v) => { const x = q(); if (x && v === 1) x.enabled = true; } },
      { name: 'queue_notify_off', offset: 0x1e, width: 2, access: 'ro', ...get(() => q()?.index ?? 0) },
      ...addr('queue_desc', 0x20, 'desc'),
      ...addr('queue_driver', 0x28, 'driver'),
      ...addr('queue_device', 0x30, 'device'),
    ], this.o.guestError);
  }

  private setQueueSize(v: number): void {
    const q = this.q;
    if (q && v >= 1 && v <= q.maxSize && (v & (v - 1)) === 0) q.size = v;
    else this.o.guestError(`${this.name}: queue_size ${v} for queue ${this.queueSelect} (must be a power of two up to ${q?.maxSize ?? 0})`);
  }

  private writeStatus(v: number): void {
    if (v === 0) {
      this.deviceReset();
      return;
    }
    if (v & STATUS_FEATURES_OK && !(this.status & STATUS_FEATURES_OK)) {
      const [lo, hi] = this.driverFeatures;
      const acceptable = (hi & VIRTIO_F_VERSION_1_HI) !== 0 && (lo & ~this.offered[0]) === 0 && (hi & ~this.offered[1]) === 0;
      if (!acceptable) {
        this.o.guestError(`${this.name}: driver features 0x${hi.toString(16)}_${lo.toString(16).padStart(8, '0')} refused (VERSION_1 is required; offered 0x${this.offered[1].toString(16)}_${this.offered[0].toString(16).padStart(8, '0')})`);
        v &= ~STATUS_FEATURES_OK;
      }
    }
    this.status = v;
  }

  /** Device status, features and queues, without side effects (for panels and tests). */
  snapshot(): { status: number; isr: number; offered: number[]; driver: number[]; queues: { index: number; size: number; enabled: boolean; desc: number; driver: number; device: number; msixVector: number }[] } {
    return {
      status: this.status, isr: this.isr, offered: [...this.offered], driver: [...this.driverFeatures],
      queues: this.queues.map((q) => ({ index: q.index, size: q.size, enabled: q.enabled, desc: q.desc, driver: q.driver, device: q.device, msixVector: q.msixVector })),
    };
  }

  /** Features both sides agreed on (valid after FEATURES_OK). */
  get negotiated(): [number, number] {
    return [this.driverFeatures[0], this.driverFeatures[1]];
  }

  private isrFrame(): MmioDevice {
    return {
      name: `${this.name}-isr`,
      read: () => {
        const v = this.isr;
        this.isr = 0;
        this.updateIntx();
        return v;
      },
      peek: () => this.isr,
      write: () => this.o.guestError(`${this.name}: write to the read-only ISR status`),
    };
  }

  private deviceCfgFrame(): MmioDevice {
    const read = (off: number, size: number): number => {
      const c = this.dev.config();
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = (v << 8) | (c[off + i] ?? 0);
      return v >>> 0;
    };
    return {
      name: `${this.name}-device-config`,
      read,
      peek: read,
      write: (off) => this.o.guestError(`${this.name}: write to read-only device configuration at +0x${off.toString(16)}`),
    };
  }

  private notifyFrame(): MmioDevice {
    return {
      name: `${this.name}-notify`,
      read: () => 0,
      peek: () => 0,
      write: (off) => this.notify(off >>> 2),
    };
  }

  private notify(index: number): void {
    const q = this.queues[index];
    if (!q || !q.enabled || !(this.status & STATUS_DRIVER_OK) || !this.dma) {
      this.o.guestError(`${this.name}: notification of queue ${index}, which is not ready`);
      return;
    }
    this.runQueue(q);
  }

  private runQueue(q: VirtQueue): void {
    const index = q.index;
    if (!this.dma) return;
    let used: boolean;
    try {
      used = this.dev.notify(q, this.dma);
    } catch (e) {
      this.o.guestError(`${this.name}: queue ${index}: ${(e as Error).message}; the device needs a reset`);
      this.status |= 0x40; // DEVICE_NEEDS_RESET
      return;
    }
    if (used && !q.noInterrupt(this.dma)) {
      this.isr |= 1;
      if (q.msixVector !== NO_VECTOR) this.msix.notify(q.msixVector);
      this.updateIntx();
    }
  }

  private updateIntx(): void {
    this.intx?.(!this.msix.enabled && this.isr !== 0);
  }
}
