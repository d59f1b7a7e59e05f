// Typed access to guest physical memory for the firmware: integers little-endian, 64-bit values as
// bigint (these are firmware calls, not the hot path), UTF-16 strings as UEFI uses them (CHAR16, NUL
// terminated), GUIDs in their on-disk byte order.
import { guidBytes, guidText } from '../../disk/guid';
import type { FirmwareHost } from './host';

export class GuestMem {
  constructor(private readonly h: FirmwareHost) {}

  bytes(addr: number, n: number): Uint8Array {
    return this.h.read(addr, n);
  }
  put(addr: number, b: Uint8Array): void {
    this.h.write(addr, b);
  }
  u8(addr: number): number {
    return this.h.read(addr, 1)[0];
  }
  u16(addr: number): number {
    const b = this.h.read(addr, 2);
    return b[0] | (b[1] << 8);
  }
  u32(addr: number): number {
    const b = this.h.read(addr, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
  u64(addr: number): bigint {
    return BigInt(this.u32(addr)) | (BigInt(this.u32(addr + 4)) << 32n);
  }
  w8(addr: number, v: number): void {
    this.h.write(addr, Uint8Array.of(v & 0xff));
  }
  w16(addr: number, v: number): void {
    this.h.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff));
  }
  w32(addr: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.h.write(addr, b);
  }
  w64(addr: number, v: bigint | number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    this.h.write(addr, b);
  }
  /** A NUL-terminated CHAR16 string (at most `max` units). */
  str16(addr: number, max = 4096): string {
    let s = '';
    for (let i = 0; i < max; i++) {
      const c = this.u16(addr + 2 * i);
      if (!c) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
  /** Writes a NUL-terminated CHAR16 string; returns its size in bytes including the NUL. */
  wstr16(addr: number, s: string): number {
    const b = new Uint8Array(2 * s.length + 2);
    for (let i = 0; i < s.length; i++) new DataView(b.buffer).setUint16(2 * i, s.charCodeAt(i), true);
    this.h.write(addr, b);
    return b.length;
  }
  guid(addr: number): string {
    return guidText(this.h.read(addr, 16));
  }
  wguid(addr: number, text: string): void {
    this.h.write(addr, guidBytes(text));
  }
}
