// Resource descriptors (ACPI 6.5 section 6.4) for _CRS buffers: encoders for the ones our DSDT uses
// (Memory32Fixed, Extended Interrupt, Word/DWord/QWord address spaces, End Tag) and a decoder that turns a
// resource template back into records the disassembler prints as ASL resource macros.

export interface AddressSpace {
  /** 0 memory, 1 I/O, 2 bus number. */
  type: 0 | 1 | 2;
  producer: boolean;
  minFixed: boolean;
  maxFixed: boolean;
  subtractive?: boolean;
  /** Type-specific flags byte (memory: bit 0 read-write, bits 1-2 cacheability; I/O: range). */
  typeFlags: number;
  granularity: bigint;
  min: bigint;
  max: bigint;
  translation: bigint;
  length: bigint;
}

function le(v: bigint, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}

export function memory32Fixed(readWrite: boolean, base: number, length: number): Uint8Array {
  return Uint8Array.from([0x86, 9, 0, readWrite ? 1 : 0, ...le(BigInt(base), 4), ...le(BigInt(length), 4)]);
}

export interface InterruptDesc {
  consumer?: boolean;
  edge: boolean;
  activeLow: boolean;
  shared?: boolean;
  wake?: boolean;
  gsivs: readonly number[];
}

export function extendedInterrupt(d: InterruptDesc): Uint8Array {
  const flags = ((d.consumer ?? true) ? 1 : 0) | (d.edge ? 2 : 0) | (d.activeLow ? 4 : 0) | (d.shared ? 8 : 0) | (d.wake ? 16 : 0);
  const len = 2 + 4 * d.gsivs.length;
  return Uint8Array.from([0x89, len & 0xff, len >> 8, flags, d.gsivs.length, ...d.gsivs.flatMap((g) => le(BigInt(g), 4))]);
}

export function addressSpace(size: 2 | 4 | 8, a: AddressSpace): Uint8Array {
  const tag = size === 2 ? 0x88 : size === 4 ? 0x87 : 0x8a;
  const gflags = (a.producer ? 0 : 1) | (a.subtractive ? 2 : 0) | (a.minFixed ? 4 : 0) | (a.maxFixed ? 8 : 0);
  const body = [a.type, gflags, a.typeFlags, ...[a.granularity, a.min, a.max, a.translation, a.length].flatMap((v) => le(v, size))];
  return Uint8Array.from([tag, body.length & 0xff, body.length >> 8, ...body]);
}

export function endTag(): Uint8Array {
  return Uint8Array.of(0x79, 0x00);
}

export function resourceTemplate(descs: readonly Uint8Array[]): Uint8Array {
  const n = descs.reduce((s, d) => s + d.length, 0) + 2;
  const out = new Uint8Array(n);
  let o = 0;
  for (const d of descs) {
    out.set(d, o);
    o += d.length;
  }
  out.set(endTag(), o);
  return out;
}

export interface ResourceDescriptor {
  tag: number;
  /** Name of the descriptor as in ASL (Memory32Fixed, Interrupt, DWordMemory...). */
  kind: string;
  offset: number;
  bytes: Uint8Array;
}

/** Splits a buffer into resource descriptors; returns null if it is not a well-formed template ending in
 *  an End Tag (the disassembler then prints it as a plain Buffer, as iasl does). */
export function splitResources(b: Uint8Array): ResourceDescriptor[] | null {
  const out: ResourceDescriptor[] = [];
  let o = 0;
  while (o < b.length) {
    const t = b[o];
    let len: number;
    let tag: number;
    if (t & 0x80) {
      if (o + 3 > b.length) return null;
      tag = t;
      len = 3 + (b[o + 1] | (b[o + 2] << 8));
    } else {
      tag = (t >> 3) & 0x0f;
      len = 1 + (t & 7);
    }
    if (o + len > b.length) return null;
    const kind = RESOURCE_KINDS[tag];
    if (!kind) return null;
    out.push({ tag, kind, offset: o, bytes: b.subarray(o, o + len) });
    o += len;
    if (tag === 0x0f) return o === b.length ? out : null;
  }
  return null;
}

const RESOURCE_KINDS: Record<number, string> = {
  0x04: 'IRQ', 0x05: 'DMA', 0x06: 'StartDependentFn', 0x07: 'EndDependentFn', 0x08: 'IO', 0x09: 'FixedIO',
  0x0a: 'FixedDMA', 0x0e: 'VendorShort', 0x0f: 'EndTag',
  0x81: 'Memory24', 0x82: 'Register', 0x84: 'VendorLong', 0x85: 'Memory32', 0x86: 'Memory32Fixed',
  0x87: 'DWordSpace', 0x88: 'WordSpace', 0x89: 'Interrupt', 0x8a: 'QWordSpace', 0x8b: 'ExtendedSpace',
  0x8c: 'GpioInt', 0x8e: 'SerialBus',
};
