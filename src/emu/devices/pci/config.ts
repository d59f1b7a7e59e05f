// A PCI function's configuration space (4 KiB, PCIe extended size) as bytes plus, per byte, which bits the
// guest may write and which it clears by writing 1. Type 0 header fields, BARs and capabilities are laid
// out by the builder methods below, so a device describes its header as data. BAR sizing falls out of the
// write masks: a BAR of size S keeps only the address bits above log2(S), so writing all-ones reads back
// ~(S-1) | flags, as on hardware. Listeners hear every write (the host re-maps BAR windows, MSI-X re-checks
// its masks).
//
// IMPLEMENTATION DEFINED / choices:
// - Reads past a capability or in the extended space (0x100-0xFFF) return 0 (no extended capabilities:
//   an extended header of 0 ends the list, as PCIe says).
// - The Status register's bit 4 (Capabilities List) is set when a capability exists and bit 3 (Interrupt
//   Status) follows the INTx level; other Status bits are read-only 0 (no error reporting is modelled).
// - Command: IO, Memory, Bus Master, Parity Error Response, SERR# and Interrupt Disable are writable (as
//   QEMU); the rest read 0.
export const CFG_SIZE = 0x1000;

export const PCI_VENDOR_ID = 0x00;
export const PCI_DEVICE_ID = 0x02;
export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
export const PCI_REVISION = 0x08;
export const PCI_CLASS_PROG = 0x09;
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BAR0 = 0x10;
export const PCI_SUBSYSTEM_VENDOR = 0x2c;
export const PCI_SUBSYSTEM_ID = 0x2e;
export const PCI_CAP_PTR = 0x34;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_INTERRUPT_PIN = 0x3d;

export const CMD_IO = 1 << 0;
export const CMD_MEMORY = 1 << 1;
export const CMD_BUS_MASTER = 1 << 2;
export const CMD_INTX_DISABLE = 1 << 10;
const CMD_WRITABLE = 0x0547;
const STATUS_CAP_LIST = 1 << 4;
/** Status.Interrupt Status: the function's INTx level (read-only; the host sets it). */
export const STATUS_INTERRUPT = 1 << 3;

export type BarKind = 'mem32' | 'mem64';

export interface BarDef {
  readonly index: number;
  readonly kind: BarKind;
  /** A power of two, at least 16 bytes (we use at least 4 KiB). */
  readonly size: number;
  readonly prefetchable?: boolean;
}

export interface FunctionIds {
  vendor: number;
  device: number;
  /** 24 bits: base class, subclass, programming interface. */
  classCode: number;
  revision: number;
  subsystemVendor: number;
  subsystem: number;
  /** 0: none, 1-4: INTA#-INTD#. */
  interruptPin: number;
}

export type ConfigWriteListener = (offset: number, size: number) => void;

export class ConfigSpace {
  readonly bytes = new Uint8Array(CFG_SIZE);
  private readonly wmask = new Uint8Array(CFG_SIZE);
  private readonly w1c = new Uint8Array(CFG_SIZE);
  private readonly resetBytes = new Uint8Array(CFG_SIZE);
  readonly bars: BarDef[] = [];
  private readonly listeners: ConfigWriteListener[] = [];
  /** Offset of the last capability added (new ones go to the head of the list, as QEMU links them). */
  private capHead = 0;

  constructor(ids: FunctionIds) {
    this.set16(PCI_VENDOR_ID, ids.vendor);
    this.set16(PCI_DEVICE_ID, ids.device);
    this.bytes[PCI_REVISION] = ids.revision;
    this.set32(PCI_CLASS_PROG - 1, ((ids.classCode << 8) | ids.revision) >>> 0);
    this.set16(PCI_SUBSYSTEM_VENDOR, ids.subsystemVendor);
    this.set16(PCI_SUBSYSTEM_ID, ids.subsystem);
    this.bytes[PCI_INTERRUPT_PIN] = ids.interruptPin;
    this.writable(PCI_COMMAND, 2, CMD_WRITABLE);
    this.writable(PCI_INTERRUPT_LINE, 1, 0xff);
    this.snapshotReset();
  }

  /** Declares a memory BAR (64-bit ones take two slots). */
  addBar(def: BarDef): void {
    if (def.size < 16 || (def.size & (def.size - 1)) !== 0) throw new Error(`BAR${def.index}: size must be a power of two`);
    const off = PCI_BAR0 + 4 * def.index;
    const flags = (def.kind === 'mem64' ? 4 : 0) | (def.prefetchable ? 8 : 0);
    this.set32(off, flags);
    // address bits above the size (up to bit 31 of the low dword)
    const lowMask = def.size >= 0x1_0000_0000 ? 0 : (~(def.size - 1) >>> 0) & ~0xf;
    this.writable(off, 4, lowMask >>> 0);
    if (def.kind === 'mem64') {
      const highMask = def.size > 0x1_0000_0000 ? (~(def.size / 0x1_0000_0000 - 1) >>> 0) : 0xffff_ffff;
      this.writable(off + 4, 4, highMask);
    }
    this.bars.push(def);
    this.snapshotReset();
  }

  /** Adds a capability of `length` bytes at `offset` (>= 0x40); returns the offset. */
  addCapability(offset: number, id: number, length: number): number {
    if (offset < 0x40 || offset + length > 0x100 || offset & 3) throw new Error(`capability 0x${id.toString(16)} at bad offset 0x${offset.toString(16)}`);
    this.bytes[offset] = id;
    this.bytes[offset + 1] = this.capHead;
    this.capHead = offset;
    this.bytes[PCI_CAP_PTR] = offset;
    this.set16(PCI_STATUS, this.get16(PCI_STATUS) | STATUS_CAP_LIST);
    this.snapshotReset();
    return offset;
  }

  /** Marks bits writable by the guest (little-endian `size` bytes at `offset`). */
  writable(offset: number, size: number, mask: number): void {
    for (let i = 0; i < size; i++) this.wmask[offset + i] = (mask >>> (8 * i)) & 0xff;
  }

  /** Marks bits write-1-to-clear. */
  writeOneToClear(offset: number, size: number, mask: number): void {
    for (let i = 0; i < size; i++) this.w1c[offset + i] = (mask >>> (8 * i)) & 0xff;
  }

  /** Takes the current bytes as the reset values (builders call this; devices may after their own setup). */
  snapshotReset(): void {
    this.resetBytes.set(this.bytes);
  }

  reset(): void {
    this.bytes.set(this.resetBytes);
    for (const l of this.listeners) l(0, CFG_SIZE);
  }

  onWrite(l: ConfigWriteListener): void {
    this.listeners.push(l);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | this.bytes[offset + i];
    return v >>> 0;
  }

  /** A guest write: only writable bits change; w1c bits clear where 1 is written. */
  write(offset: number, size: 1 | 2 | 4, value: number): void {
    for (let i = 0; i < size; i++) {
      const o = offset + i;
      const b = (value >>> (8 * i)) & 0xff;
      const m = this.wmask[o];
      this.bytes[o] = ((this.bytes[o] & ~m) | (b & m)) & ~(b & this.w1c[o]);
    }
    for (const l of this.listeners) l(offset, size);
  }

  get8(o: number): number {
    return this.bytes[o];
  }

  get16(o: number): number {
    return this.bytes[o] | (this.bytes[o + 1] << 8);
  }

  get32(o: number): number {
    return (this.bytes[o] | (this.bytes[o + 1] << 8) | (this.bytes[o + 2] << 16) | (this.bytes[o + 3] << 24)) >>> 0;
  }

  /** Device-side stores (not subject to write masks). */
  set8(o: number, v: number): void {
    this.bytes[o] = v & 0xff;
  }

  set16(o: number, v: number): void {
    this.bytes[o] = v & 0xff;
    this.bytes[o + 1] = (v >>> 8) & 0xff;
  }

  set32(o: number, v: number): void {
    for (let i = 0; i < 4; i++) this.bytes[o + i] = (v >>> (8 * i)) & 0xff;
  }

  get command(): number {
    return this.get16(PCI_COMMAND);
  }

  /** The address BAR `def` decodes (a JS number: at most 52 bits), or undefined when unassigned. */
  barAddress(def: BarDef): number {
    const off = PCI_BAR0 + 4 * def.index;
    const lo = this.get32(off) & ~0xf;
    const hi = def.kind === 'mem64' ? this.get32(off + 4) : 0;
    return hi * 0x1_0000_0000 + (lo >>> 0);
  }
}
