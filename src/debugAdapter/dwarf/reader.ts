// The byte-level reader under every DWARF table: a cursor over one section with the fixed-size reads
// (little-endian; AArch64 ELF files are), unsigned and signed LEB128, NUL-terminated strings and the
// "initial length" that picks 32- or 64-bit DWARF. Values that may exceed 2**53 (addresses, 64-bit
// constants) are read as BigInt; counts and offsets as numbers. A read past the end throws a DwarfError,
// which the loader turns into "no debug info" with the reason instead of a crash.

export class DwarfError extends Error {}

export class ByteReader {
  readonly view: DataView;
  pos: number;

  constructor(readonly bytes: Uint8Array, pos = 0, readonly end = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.end) throw new DwarfError(`read of ${n} bytes at offset 0x${p.toString(16)} runs past the end (0x${this.end.toString(16)})`);
    this.pos = p + n;
    return p;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }

  i8(): number {
    return this.view.getInt8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  /** 8-byte value as a number (offsets and lengths; exact below 2**53). */
  u64n(): number {
    return Number(this.u64());
  }

  /** An unsigned value of `size` bytes (1, 2, 4 or 8) as BigInt. */
  uN(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.u8());
      case 2: return BigInt(this.u16());
      case 4: return BigInt(this.u32());
      case 8: return this.u64();
    }
    throw new DwarfError(`unsupported value size ${size}`);
  }

  /** A signed value of `size` bytes as BigInt. */
  iN(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.i8());
      case 2: return BigInt(this.i16());
      case 4: return BigInt(this.i32());
      case 8: return this.i64();
    }
    throw new DwarfError(`unsupported value size ${size}`);
  }

  /** An offset into another section: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF. */
  offset(dwarf64: boolean): number {
    return dwarf64 ? this.u64n() : this.u32();
  }

  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (!(b & 0x80)) return result;
      scale *= 128;
    }
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return b & 0x40 ? result - scale : result;
    }
  }

  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return result;
    }
  }

  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return b & 0x40 ? result - (1n << shift) : result;
    }
  }

  cstr(): string {
    const start = this.pos;
    let p = start;
    while (p < this.end && this.bytes[p] !== 0) p++;
    if (p >= this.end) throw new DwarfError(`string at offset 0x${start.toString(16)} has no terminating NUL`);
    this.pos = p + 1;
    return decodeUtf8(this.bytes.subarray(start, p));
  }

  block(n: number): Uint8Array {
    const p = this.need(n);
    return this.bytes.subarray(p, p + n);
  }

  skip(n: number): void {
    this.need(n);
  }

  /**
   * An initial length: the unit's byte length and whether it is 64-bit DWARF (0xffffffff escape). Returns
   * the offset just past the unit.
   */
  initialLength(): { length: number; dwarf64: boolean; end: number } {
    let length = this.u32();
    let dwarf64 = false;
    if (length === 0xffffffff) {
      dwarf64 = true;
      length = this.u64n();
    } else if (length >= 0xfffffff0) {
      throw new DwarfError(`reserved initial length 0x${length.toString(16)}`);
    }
    const end = this.pos + length;
    if (end > this.end) throw new DwarfError(`unit at 0x${this.pos.toString(16)} claims ${length} bytes, past the end of its section`);
    return { length, dwarf64, end };
  }
}

const utf8 = new TextDecoder('utf-8');

export function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}

/** The NUL-terminated string at an offset of a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, offset: number, what: string): string {
  if (!section || offset >= section.length) throw new DwarfError(`${what} offset 0x${offset.toString(16)} is outside its section`);
  return new ByteReader(section, offset).cstr();
}
