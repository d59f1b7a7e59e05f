// A little-endian byte writer for building ACPI tables: fixed-size fields at the current position, an SDT
// header whose Length and Checksum are filled in by finish(), and Generic Address Structures.

export interface Gas {
  space: number;
  bitWidth: number;
  bitOffset: number;
  accessSize: number;
  address: number;
}

export class TableWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  pos = 0;

  private grow(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this { this.grow(1); this.view.setUint8(this.pos, v); this.pos += 1; return this; }
  u16(v: number): this { this.grow(2); this.view.setUint16(this.pos, v, true); this.pos += 2; return this; }
  u32(v: number): this { this.grow(4); this.view.setUint32(this.pos, v >>> 0, true); this.pos += 4; return this; }
  u64(v: number | bigint): this { this.grow(8); this.view.setBigUint64(this.pos, BigInt(v), true); this.pos += 8; return this; }
  zeros(n: number): this { this.grow(n); this.pos += n; return this; }
  bytes(b: Uint8Array): this { this.grow(b.length); this.buf.set(b, this.pos); this.pos += b.length; return this; }
  ascii(s: string, n: number): this {
    for (let i = 0; i < n; i++) this.u8(i < s.length ? s.charCodeAt(i) : 0x20);
    return this;
  }
  gas(g: Gas): this {
    return this.u8(g.space).u8(g.bitWidth).u8(g.bitOffset).u8(g.accessSize).u64(g.address);
  }
  /** Patches a u32/u16 at a known position (lengths of subtables written before their contents). */
  patch32(at: number, v: number): void { this.view.setUint32(at, v >>> 0, true); }
  patch16(at: number, v: number): void { this.view.setUint16(at, v, true); }
  patch8(at: number, v: number): void { this.view.setUint8(at, v); }

  /** SDT header with Length and Checksum left for finish(). */
  header(sig: string, revision: number, oemId: string, oemTableId: string): this {
    return this.ascii(sig, 4).u32(0).u8(revision).u8(0).ascii(oemId, 6).ascii(oemTableId, 8).u32(1).ascii('A64S', 4).u32(1);
  }

  /** The table bytes with Length and Checksum set. */
  finish(): Uint8Array {
    const t = this.buf.slice(0, this.pos);
    new DataView(t.buffer).setUint32(4, t.length, true);
    setChecksum(t, 9, 0, t.length);
    return t;
  }
}

/** Sets byte `at` so that bytes [start, end) sum to zero modulo 256. */
export function setChecksum(t: Uint8Array, at: number, start: number, end: number): void {
  t[at] = 0;
  let s = 0;
  for (let i = start; i < end; i++) s = (s + t[i]) & 0xff;
  t[at] = (0x100 - s) & 0xff;
}

export const NO_GAS: Gas = { space: 0, bitWidth: 0, bitOffset: 0, accessSize: 0, address: 0 };
