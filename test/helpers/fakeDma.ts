// A fake guest memory for PCI device tests: RAM at `base` as a Uint8Array, a DmaPort over it that throws
// outside it, and a record of every MSI write (address, data, requester ID).
import type { DmaPort } from '../../src/emu/devices/pci/function';

export interface FakeGuest {
  ram: Uint8Array;
  base: number;
  msis: { pa: number; data: number; rid: number }[];
  port(rid: number): DmaPort;
  u32(pa: number): number;
  setU32(pa: number, v: number): void;
  setU64(pa: number, v: number): void;
  setU16(pa: number, v: number): void;
  u16(pa: number): number;
}

export function fakeGuest(base = 0x4000_0000, size = 1 << 20): FakeGuest {
  const ram = new Uint8Array(size);
  const dv = new DataView(ram.buffer);
  const at = (pa: number, n: number): number => {
    const o = pa - base;
    if (o < 0 || o + n > size) throw new Error(`no memory at 0x${pa.toString(16)}`);
    return o;
  };
  const g: FakeGuest = {
    ram, base, msis: [],
    port: (rid) => ({
      read: (pa, dst) => dst.set(ram.subarray(at(pa, dst.length), at(pa, dst.length) + dst.length)),
      write: (pa, src) => ram.set(src, at(pa, src.length)),
      msiWrite: (pa, data) => g.msis.push({ pa, data, rid }),
    }),
    u32: (pa) => dv.getUint32(at(pa, 4), true),
    setU32: (pa, v) => dv.setUint32(at(pa, 4), v >>> 0, true),
    setU64: (pa, v) => {
      dv.setUint32(at(pa, 8), v % 0x1_0000_0000, true);
      dv.setUint32(at(pa, 8) + 4, Math.floor(v / 0x1_0000_0000), true);
    },
    setU16: (pa, v) => dv.setUint16(at(pa, 2), v, true),
    u16: (pa) => dv.getUint16(at(pa, 2), true),
  };
  return g;
}
