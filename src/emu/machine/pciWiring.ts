// Puts the PCIe host of a machine spec on the bus: the ECAM and memory windows of a PciHost, the host
// bridge at 00:00.0, one function per disk (NVMe or virtio-blk, from 00:01.0 in order, as QEMU numbers
// -device's) and a virtio-rng and a virtio-console after them when asked, each with a DMA port that reads and writes guest
// memory through the bus and sends its MSI-X writes tagged with its requester ID (so GITS_TRANSLATER sees
// DeviceID = RID). Also the device tree node,
// as QEMU's `pcie@10000000` (pci-host-ecam-generic, msi-map to the ITS, interrupt-map for INTx).
import { CowDisk } from '../disk/cowDisk';
import { assignBars, type BarAssignment } from '../devices/pci/assign';
import { HostBridgeFunction } from '../devices/pci/hostBridge';
import { PciHost } from '../devices/pci/host';
import type { DmaPort, PciFunction } from '../devices/pci/function';
import { requesterId } from '../devices/pci/function';
import { NvmeController } from '../devices/nvme/controller';
import { VirtioPci } from '../devices/virtio/pciTransport';
import { VirtioBlk } from '../devices/virtio/blk';
import { VirtioRng } from '../devices/virtio/rng';
import { VirtioConsole } from '../devices/virtio/console';
import { BusError, type Bus } from '../memory/bus';
import type { FdtNode } from './fdt';
import type { PcieSpec } from './pcie';

export interface PciWiringHooks {
  bus: Bus;
  /** Tells the CPUs' decoded-code caches that DMA wrote guest memory. */
  noteWrite(pa: number, length: number): void;
  guestError(m: string): void;
  guestWarning(m: string): void;
  /** Sets the level of a GIC SPI (INTx lines: spec.intxSpi + 0..3). */
  setSpi?(spi: number, level: boolean): void;
  /** Bytes the guest wrote to the virtio console. */
  consoleOut?(bytes: Uint8Array): void;
}

export interface AttachedDisk {
  readonly devfn: number;
  readonly interface: 'nvme' | 'virtio';
  readonly disk: CowDisk;
  readonly fn: PciFunction;
}

export class PciWiring {
  readonly host: PciHost;
  readonly disks: AttachedDisk[] = [];
  /** The virtio console, when the spec has one (its input() takes host bytes). */
  readonly console?: VirtioConsole;

  constructor(readonly spec: PcieSpec, private readonly h: PciWiringHooks) {
    this.host = new PciHost({
      buses: spec.busEnd + 1, guestError: h.guestError, guestWarning: h.guestWarning,
      setIntx: (line, level) => h.setSpi?.(spec.intxSpi + line, level),
    });
    h.bus.addMmio(spec.ecam.base, (spec.busEnd + 1) * 0x10_0000, this.host.ecam);
    h.bus.addMmio(spec.mmio32.base, spec.mmio32.size, this.host.windowFrame('pcie-mmio32', spec.mmio32));
    h.bus.addMmio(spec.mmio64.base, spec.mmio64.size, this.host.windowFrame('pcie-mmio64', spec.mmio64));
    this.host.attach(0, 0, new HostBridgeFunction());
    spec.disks.forEach((d, i) => {
      const slot = i + 1;
      if (slot > 31) throw new Error('pci: at most 31 disks');
      const disk = new CowDisk(d.image, d.name ?? `disk${i}`);
      const serial = d.serial ?? 'a64';
      const name = `${d.interface ?? 'nvme'}@00:${slot.toString(16).padStart(2, '0')}.0`;
      let fn: NvmeController | VirtioPci;
      if ((d.interface ?? 'nvme') === 'nvme') fn = new NvmeController({ name, disk, serial, guestError: h.guestError });
      else fn = new VirtioPci(new VirtioBlk(disk, serial, h.guestError), { name, guestError: h.guestError });
      fn.connect(this.dmaPort(requesterId(0, slot, 0)));
      this.host.attach(slot, 0, fn);
      this.disks.push({ devfn: slot << 3, interface: d.interface ?? 'nvme', disk, fn });
    });
    if (spec.rng) {
      const slot = spec.disks.length + 1;
      const fn = new VirtioPci(new VirtioRng(spec.rng.seed), { name: `virtio-rng@00:${slot.toString(16).padStart(2, '0')}.0`, guestError: h.guestError });
      fn.connect(this.dmaPort(requesterId(0, slot, 0)));
      this.host.attach(slot, 0, fn);
    }
    if (spec.console) {
      const slot = spec.disks.length + (spec.rng ? 1 : 0) + 1;
      this.console = new VirtioConsole((b) => h.consoleOut?.(b));
      const fn = new VirtioPci(this.console, { name: `virtio-console@00:${slot.toString(16).padStart(2, '0')}.0`, guestError: h.guestError });
      fn.connect(this.dmaPort(requesterId(0, slot, 0)));
      this.host.attach(slot, 0, fn);
    }
  }

  private dmaPort(rid: number): DmaPort {
    const { bus, noteWrite } = this.h;
    const port: DmaPort = {
      read(pa, dst) {
        for (let i = 0; i < dst.length;) {
          const r = bus.find(pa + i);
          if (r && r.kind === 'ram') {
            const o = r.hostOffset + (pa + i - r.base);
            const n = Math.min(dst.length - i, r.base + r.size - (pa + i));
            dst.set(bus.mem.u8.subarray(o, o + n), i);
            i += n;
          } else {
            dst[i] = bus.read(pa + i, 1);
            i++;
          }
        }
      },
      write(pa, src) {
        for (let i = 0; i < src.length;) {
          const r = bus.find(pa + i);
          if (r && r.kind === 'ram') {
            const n = Math.min(src.length - i, r.base + r.size - (pa + i));
            bus.mem.u8.set(src.subarray(i, i + n), r.hostOffset + (pa + i - r.base));
            noteWrite(pa + i, n);
            i += n;
          } else {
            bus.write(pa + i, 1, src[i], rid);
            i++;
          }
        }
      },
      msiWrite(pa, data) {
        bus.write(pa, 4, data, rid);
      },
    };
    // the bus throws BusError values; devices get Errors that name the address
    const wrap = <A extends unknown[]>(f: (...a: A) => void) => (...a: A): void => {
      try {
        f(...a);
      } catch (e) {
        if (e instanceof BusError) throw new Error(`no memory at 0x${e.pa.toString(16)} (DMA ${e.write ? 'write' : 'read'})`);
        throw e;
      }
    };
    return { read: wrap(port.read), write: wrap(port.write), msiWrite: wrap(port.msiWrite) };
  }

  reset(): void {
    this.host.reset();
  }

  /** Assigns every BAR as firmware does (for firmware boot paths that hand over an enumerated bus). */
  assignBars(): BarAssignment[] {
    return assignBars(this.host.functions, this.spec.mmio32, this.spec.mmio64);
  }
}

/** The device tree node of the host bridge (after QEMU's create_pcie()). */
export function addPcieNode(root: FdtNode, p: PcieSpec, intc: FdtNode, its: FdtNode): FdtNode {
  const n = root.node(`pcie@${p.mmio32.base.toString(16)}`);
  const hi = (v: number): number => Math.floor(v / 0x1_0000_0000);
  const lo = (v: number): number => v % 0x1_0000_0000;
  n.prop('compatible', 'pci-host-ecam-generic');
  n.prop('device_type', 'pci');
  n.propU32('#address-cells', 3);
  n.propU32('#size-cells', 2);
  n.propU32('linux,pci-domain', 0);
  n.propCells('bus-range', [0, p.busEnd]);
  n.propEmpty('dma-coherent');
  n.propCells('msi-map', [0, its, 0, 0x10000]);
  n.propCells('reg', [hi(p.ecam.base), lo(p.ecam.base), 0, (p.busEnd + 1) * 0x10_0000]);
  n.propCells('ranges', [
    0x0100_0000, 0, 0, hi(p.pio.base), lo(p.pio.base), hi(p.pio.size), lo(p.pio.size),
    0x0200_0000, hi(p.mmio32.base), lo(p.mmio32.base), hi(p.mmio32.base), lo(p.mmio32.base), hi(p.mmio32.size), lo(p.mmio32.size),
    0x0300_0000, hi(p.mmio64.base), lo(p.mmio64.base), hi(p.mmio64.base), lo(p.mmio64.base), hi(p.mmio64.size), lo(p.mmio64.size),
  ]);
  n.propU32('#interrupt-cells', 1);
  const map: (number | FdtNode)[] = [];
  for (let slot = 0; slot < 4; slot++) {
    for (let pin = 1; pin <= 4; pin++) {
      const spi = p.intxSpi + ((slot + pin - 1) % 4);
      map.push(slot << 11, 0, 0, pin, intc, 0, 0, 0, spi, 4);
    }
  }
  n.propCells('interrupt-map', map);
  n.propCells('interrupt-map-mask', [0x1800, 0, 0, 7]);
  return n;
}
