// The process's view of its own memory, as the kernel side (system calls, the initial stack) reads and
// writes it: byte copies in and out of guest RAM by address. With the MMU off, a guest address is a
// physical address; a range that is not all RAM is a bad pointer (the system call returns -EFAULT).
// Writes go through the CPU's decode cache so code pages written here are decoded again.
import type { Bus } from '../memory/bus';
import type { Cpu } from '../cpu/cpu';

export class GuestMemory {
  constructor(private readonly bus: Bus, private readonly cpu: Cpu) {}

  /** True when every byte of [addr, addr + len) is RAM. */
  isRam(addr: number, len: number): boolean {
    if (!Number.isSafeInteger(addr) || addr < 0 || len < 0) return false;
    let done = 0;
    while (done < len) {
      const r = this.bus.find(addr + done);
      if (!r || r.kind !== 'ram') return false;
      done += r.base + r.size - (addr + done);
    }
    return true;
  }

  /** A copy of [addr, addr + len), or null when part of it is not RAM. */
  read(addr: number, len: number): Uint8Array | null {
    if (!this.isRam(addr, len)) return null;
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const r = this.bus.find(addr + done)!;
      const n = Math.min(len - done, r.base + r.size - (addr + done));
      if (r.kind !== 'ram') return null;
      const o = r.hostOffset + (addr + done - r.base);
      out.set(this.bus.mem.u8.subarray(o, o + n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes; false (nothing written) when part of the range is not RAM. */
  write(addr: number, data: Uint8Array): boolean {
    if (!this.isRam(addr, data.length)) return false;
    if (data.length === 0) return true;
    this.bus.writeRamBytes(addr, data);
    this.cpu.code.noteWrite(addr, data.length);
    return true;
  }

  /** Fills [addr, addr + len) with zeros (fresh anonymous memory, released heap). */
  zero(addr: number, len: number): boolean {
    const chunk = 1 << 20;
    for (let done = 0; done < len; done += chunk) {
      if (!this.write(addr + done, new Uint8Array(Math.min(chunk, len - done)))) return false;
    }
    return true;
  }

  /** A NUL-terminated string of at most `max` bytes (Latin-1 decoded), or null on a bad pointer. */
  readCString(addr: number, max = 4096): string | null {
    let s = '';
    for (let i = 0; i < max; i++) {
      const b = this.read(addr + i, 1);
      if (!b) return null;
      if (b[0] === 0) return s;
      s += String.fromCharCode(b[0]);
    }
    return s;
  }

  readU64(addr: number): bigint | null {
    const b = this.read(addr, 8);
    return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
  }

  /** Writes 64-bit little-endian values at addr, addr+8, ... */
  writeU64s(addr: number, values: readonly (bigint | number)[]): boolean {
    const b = new Uint8Array(8 * values.length);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setBigUint64(8 * i, BigInt.asUintN(64, BigInt(v)), true));
    return this.write(addr, b);
  }
}
