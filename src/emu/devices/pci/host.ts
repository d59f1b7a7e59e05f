// A PCIe host bridge of the `pci-host-ecam-generic` kind (QEMU's GPEX): the ECAM window (1 MiB per bus,
// 32 KiB per device, 4 KiB per function: offset = bus << 20 | device << 15 | function << 12 | register),
// and the memory windows through which the BARs the guest programmed are reached. Bus 0 holds every
// function (no bridges). The host re-computes its BAR decoders whenever a configuration write touches a
// Command register or a BAR, so a reprogrammed BAR or a toggled Memory Space Enable takes effect at once.
//
// Deviations / choices:
// - Configuration reads of an absent function return all-ones (master abort), writes are ignored.
// - Accesses in a memory window that no enabled BAR decodes read all-ones (master abort) and ignore
//   writes; both are reported as guest warnings.
// - No I/O BARs; the PIO window is not mapped.
// - INTx: device d's pin p (1-4 = INTA-INTD) drives host line (d + p - 1) mod 4, the swizzle QEMU's virt
//   describes in its interrupt-map; lines are level-sensitive and shared (the OR of their functions).
//   Command.Interrupt Disable keeps a function off its line; Status.Interrupt Status shows its own level.
// - When two enabled BARs overlap, the first function in device order wins (real hardware is undefined).
import type { MmioDevice } from '../mmio';
import { CMD_INTX_DISABLE, CMD_MEMORY, PCI_BAR0, PCI_COMMAND, PCI_INTERRUPT_PIN, PCI_STATUS, STATUS_INTERRUPT } from './config';
import type { PciFunction } from './function';

export interface PciWindow {
  readonly base: number;
  readonly size: number;
}

interface Decoder {
  base: number;
  end: number;
  device: MmioDevice;
}

export interface PciHostOptions {
  name?: string;
  /** INTA-INTD of bus 0 (a line index 0-3 after the swizzle) change level. */
  setIntx?: (line: number, level: boolean) => void;
  /** Number of buses the ECAM covers (its size is buses MiB). */
  buses: number;
  guestError: (m: string) => void;
  guestWarning: (m: string) => void;
}

export class PciHost {
  /** Functions of bus 0 by devfn (device << 3 | function). */
  private readonly fns = new Map<number, PciFunction>();
  private decoders: Decoder[] = [];
  private dirty = true;
  /** Raw INTx level per devfn, and the lines' current levels. */
  private readonly intxRaw = new Map<number, boolean>();
  private readonly lineLevel = [false, false, false, false];

  /** The ECAM frame (buses x 1 MiB). */
  readonly ecam: MmioDevice;

  constructor(private readonly o: PciHostOptions) {
    this.ecam = this.ecamFrame(o.name ?? 'pcie-ecam');
  }

  /** Plugs a function in at bus 0, device `device`, function `fn`. */
  attach(device: number, fn: number, f: PciFunction): void {
    const devfn = (device << 3) | fn;
    if (this.fns.has(devfn)) throw new Error(`pci: 00:${device.toString(16).padStart(2, '0')}.${fn} is taken`);
    this.fns.set(devfn, f);
    f.config.onWrite((off, size) => {
      if (off < PCI_COMMAND + 2 && off + size > PCI_COMMAND) {
        this.dirty = true;
        this.updateLines();
      }
      if (off < PCI_BAR0 + 24 && off + size > PCI_BAR0) this.dirty = true;
    });
    if (f.config.get8(PCI_INTERRUPT_PIN)) {
      f.intx = (level) => {
        this.intxRaw.set(devfn, level);
        const st = f.config.get16(PCI_STATUS);
        f.config.set16(PCI_STATUS, level ? st | STATUS_INTERRUPT : st & ~STATUS_INTERRUPT);
        this.updateLines();
      };
    }
    this.dirty = true;
  }

  /** Host line (0-3: INTA-INTD after the swizzle) of a function. */
  intxLine(devfn: number): number {
    const pin = this.fns.get(devfn)?.config.get8(PCI_INTERRUPT_PIN) ?? 0;
    return ((devfn >> 3) + pin - 1) & 3;
  }

  private updateLines(): void {
    const want = [false, false, false, false];
    for (const [devfn, level] of this.intxRaw) {
      const f = this.fns.get(devfn);
      if (level && f && !(f.config.command & CMD_INTX_DISABLE)) want[this.intxLine(devfn)] = true;
    }
    want.forEach((l, i) => {
      if (l !== this.lineLevel[i]) {
        this.lineLevel[i] = l;
        this.o.setIntx?.(i, l);
      }
    });
  }

  get functions(): ReadonlyMap<number, PciFunction> {
    return this.fns;
  }

  reset(): void {
    for (const f of this.fns.values()) f.reset();
    this.intxRaw.clear();
    this.updateLines();
    this.dirty = true;
  }

  private fnAt(offset: number): { f: PciFunction | undefined; reg: number } {
    const bus = Math.floor(offset / 0x10_0000);
    const devfn = (offset >>> 12) & 0xff;
    return { f: bus === 0 ? this.fns.get(devfn) : undefined, reg: offset & 0xfff };
  }

  private ecamFrame(name: string): MmioDevice {
    return {
    name,
    read: (off, size) => {
      const { f, reg } = this.fnAt(off);
      return f ? f.config.read(reg, size) : size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
    },
    peek: (off, size) => {
      const { f, reg } = this.fnAt(off);
      return f ? f.config.read(reg, size) : size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
    },
    write: (off, size, value) => {
      const { f, reg } = this.fnAt(off);
      f?.config.write(reg, size, value);
    },
    };
  }

  /** The active BAR windows: [base, end) -> frame, by function order. */
  activeWindows(): readonly { base: number; end: number; name: string }[] {
    return this.decode().map((d) => ({ base: d.base, end: d.end, name: d.device.name }));
  }

  private decode(): Decoder[] {
    if (!this.dirty) return this.decoders;
    const out: Decoder[] = [];
    for (const devfn of [...this.fns.keys()].sort((a, b) => a - b)) {
      const f = this.fns.get(devfn)!;
      if (!(f.config.command & CMD_MEMORY)) continue;
      for (const b of f.config.bars) {
        const base = f.config.barAddress(b);
        const dev = f.bar(b.index);
        if (base === 0 || !dev) continue; // address 0 is taken as unassigned
        out.push({ base, end: base + b.size, device: dev });
      }
    }
    this.decoders = out;
    this.dirty = false;
    return out;
  }

  private route(pa: number): Decoder | undefined {
    for (const d of this.decode()) if (pa >= d.base && pa < d.end) return d;
    return undefined;
  }

  /** The MMIO frame of a memory window at `window.base`: accesses are routed to the BAR that decodes them. */
  windowFrame(name: string, window: PciWindow): MmioDevice {
    return {
      name,
      read: (off, size) => {
        const pa = window.base + off;
        const d = this.route(pa);
        if (!d) {
          this.o.guestWarning(`${name}: read at 0x${pa.toString(16)}, which no enabled BAR decodes`);
          return size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
        }
        return d.device.read(pa - d.base, size);
      },
      peek: (off, size) => {
        const pa = window.base + off;
        const d = this.route(pa);
        if (!d) return size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
        return (d.device.peek ?? (() => 0))(pa - d.base, size);
      },
      write: (off, size, value) => {
        const pa = window.base + off;
        const d = this.route(pa);
        if (!d) {
          this.o.guestWarning(`${name}: write of 0x${value.toString(16)} at 0x${pa.toString(16)}, which no enabled BAR decodes`);
          return;
        }
        d.device.write(pa - d.base, size, value);
      },
    };
  }
}
