// The physical address space: RAM regions backed by the StateMemory and MMIO regions backed by devices.
// The CPU's soft TLB caches RAM translations (guest page -> host offset); everything else comes here on the
// slow path. Addresses are JS numbers: physical addresses are at most 52 bits, so they are exact.
import type { AccessSize, MmioDevice } from '../devices/mmio';
import type { StateMemory } from './stateMemory';

export interface RamRegion {
  readonly kind: 'ram';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** Byte offset of the region in the StateMemory. */
  readonly hostOffset: number;
}

export interface MmioRegion {
  readonly kind: 'mmio';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

export type Region = RamRegion | MmioRegion;

/** Thrown (as a value, not an Error) when a physical access hits nothing; the CPU turns it into an abort. */
export class BusError {
  /** Set when the access was an instruction fetch. */
  fetch = false;
  constructor(readonly pa: number, readonly write: boolean, readonly size: number) {}
}

export class Bus {
  private regions: Region[] = [];

  constructor(readonly mem: StateMemory) {}

  addRam(name: string, base: number, size: number): RamRegion {
    const hostOffset = this.mem.alloc(size, 0x10000);
    const r: RamRegion = { kind: 'ram', name, base, size, hostOffset };
    this.insert(r);
    return r;
  }

  addMmio(base: number, size: number, device: MmioDevice): MmioRegion {
    const r: MmioRegion = { kind: 'mmio', name: device.name, base, size, device };
    this.insert(r);
    return r;
  }

  private insert(r: Region): void {
    for (const o of this.regions) {
      if (r.base < o.base + o.size && o.base < r.base + r.size) {
        throw new Error(`bus: ${r.name} [0x${r.base.toString(16)}, +0x${r.size.toString(16)}) overlaps ${o.name}`);
      }
    }
    this.regions.push(r);
    this.regions.sort((a, b) => a.base - b.base);
  }

  get allRegions(): readonly Region[] {
    return this.regions;
  }

  find(pa: number): Region | undefined {
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (pa < r.base) hi = mid - 1;
      else if (pa >= r.base + r.size) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  /** Host offset of a RAM byte, or -1 when `pa` is not RAM. */
  ramOffset(pa: number): number {
    const r = this.find(pa);
    return r && r.kind === 'ram' ? r.hostOffset + (pa - r.base) : -1;
  }

  /** A physical read of 1, 2 or 4 bytes (zero-extended), little-endian. Throws BusError when unmapped. */
  read(pa: number, size: 1 | 2 | 4): number {
    const r = this.find(pa);
    if (r && pa + size <= r.base + r.size) {
      if (r.kind === 'ram') {
        const o = r.hostOffset + (pa - r.base);
        const dv = this.mem.dv;
        return size === 4 ? dv.getUint32(o, true) : size === 2 ? dv.getUint16(o, true) : dv.getUint8(o);
      }
      return r.device.read(pa - r.base, size) >>> 0;
    }
    throw new BusError(pa, false, size);
  }

  /** A physical write; `requesterId` names a non-CPU bus master (PCI DMA, MSI), see MmioDevice.write. */
  write(pa: number, size: 1 | 2 | 4, value: number, requesterId?: number): void {
    const r = this.find(pa);
    if (r && pa + size <= r.base + r.size) {
      if (r.kind === 'ram') {
        const o = r.hostOffset + (pa - r.base);
        const dv = this.mem.dv;
        if (size === 4) dv.setUint32(o, value >>> 0, true);
        else if (size === 2) dv.setUint16(o, value & 0xffff, true);
        else dv.setUint8(o, value & 0xff);
        return;
      }
      r.device.write(pa - r.base, size, size === 4 ? value >>> 0 : value & (size === 2 ? 0xffff : 0xff), requesterId);
      return;
    }
    throw new BusError(pa, true, size);
  }

  /** 8-byte physical read as two 32-bit halves [lo, hi]. */
  read64(pa: number): [number, number] {
    const r = this.find(pa);
    if (r && r.kind === 'mmio' && r.device.read64 && pa + 8 <= r.base + r.size) {
      const v = r.device.read64(pa - r.base);
      return [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0];
    }
    return [this.read(pa, 4) | 0, this.read(pa + 4, 4) | 0];
  }

  write64(pa: number, lo: number, hi: number): void {
    const r = this.find(pa);
    if (r && r.kind === 'mmio' && r.device.write64 && pa + 8 <= r.base + r.size) {
      r.device.write64(pa - r.base, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
      return;
    }
    this.write(pa, 4, lo);
    this.write(pa + 4, 4, hi);
  }

  /** Side-effect-free read for debuggers: RAM bytes, or a device's peek; null where nothing can be read. */
  peekBytes(pa: number, length: number): (number | null)[] {
    const out: (number | null)[] = [];
    for (let i = 0; i < length; i++) {
      const a = pa + i;
      const r = this.find(a);
      if (!r) out.push(null);
      else if (r.kind === 'ram') out.push(this.mem.u8[r.hostOffset + (a - r.base)]);
      else if (r.device.peek) out.push(r.device.peek(a - r.base, 1) & 0xff);
      else out.push(null);
    }
    return out;
  }

  /** Copies bytes into RAM (loaders, debugger writes). Throws if any byte is not RAM. */
  writeRamBytes(pa: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const r = this.find(pa + done);
      if (!r || r.kind !== 'ram') throw new BusError(pa + done, true, 1);
      const n = Math.min(data.length - done, r.base + r.size - (pa + done));
      this.mem.u8.set(data.subarray(done, done + n), r.hostOffset + (pa + done - r.base));
      done += n;
    }
  }
}

export type { AccessSize };
