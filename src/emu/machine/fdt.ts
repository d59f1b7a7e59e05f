// Flattened Device Tree (DTB) writer and reader, from the Devicetree Specification (v0.4, chapter 5).
// The machine spec builds the tree the guest's kernel gets in x0 with FdtBuilder (nodes, typed
// properties, phandle references, memory reservations) and serialises it with toBytes(); parseFdt reads
// a DTB back into the same editable tree, for tests, for firmware that patches /chosen, and for the
// device-tree panel. Pure data code: no devices, no CPU.
//
// Blob layout written by toBytes() (all integers big-endian):
//   0x00  header, 40 bytes: magic 0xd00dfeed, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap,
//         version 17, last_comp_version 16, boot_cpuid_phys, size_dt_strings, size_dt_struct
//   0x28  memory reservation block (8-byte aligned): {u64 address, u64 size} pairs ended by {0, 0}
//   ...   structure block: FDT_BEGIN_NODE name\0 (padded to 4) / FDT_PROP len nameoff value (padded to 4)
//         / FDT_END_NODE, ..., FDT_END; a node's properties precede its subnodes
//   ...   strings block: property names, each stored once (identical names share one offset)
// Choices: property and node names are validated against the spec's character sets (node names must
// start with a letter, at most 31 characters before the '@'); reg/ranges use the spec defaults
// #address-cells = 2, #size-cells = 1 when the parent does not set them; phandles are allocated from 1
// upwards in the order nodes are first referenced, and a parsed tree continues above its highest phandle.

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_SIZE = 40;
const HEADER_SIZE_V16 = 36;

/** A malformed DTB given to parseFdt, or a misuse of the builder (bad name, value out of range). */
export class FdtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FdtError';
  }
}

/** One 32-bit cell of a property: a number, or a node standing for its phandle. */
export type FdtCell = number | FdtNode;

export interface FdtReservation {
  address: bigint;
  size: bigint;
}

/** The header fields of a DTB. */
export interface FdtHeader {
  totalSize: number;
  offDtStruct: number;
  offDtStrings: number;
  offMemRsvmap: number;
  version: number;
  lastCompVersion: number;
  bootCpuidPhys: number;
  sizeDtStrings: number;
  /** Absent (undefined) in a version 16 blob. */
  sizeDtStruct: number | undefined;
}

const NODE_NAME = /^[A-Za-z][0-9A-Za-z,._+-]{0,30}(@[0-9A-Za-z,._+-]+)?$/;
const PROP_NAME = /^[0-9A-Za-z,._+?#-]{1,31}$/;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

function checkU32(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new FdtError(`${what}: ${v} is not a 32-bit cell value`);
}

/** Splits value into n big-endian 32-bit cells (most significant first); throws if it does not fit. */
export function cells(value: bigint, n: number): number[] {
  if (value < 0n || value >= 1n << BigInt(32 * n)) {
    throw new FdtError(`0x${value.toString(16)} does not fit in ${n} cell${n === 1 ? '' : 's'}`);
  }
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((value >> BigInt(32 * i)) & 0xffffffffn));
  return out;
}

function encodeStrings(name: string, values: readonly string[]): Uint8Array {
  const parts = values.map((s) => {
    if (s.includes('\0')) throw new FdtError(`property ${name}: string contains a NUL character`);
    return utf8Encoder.encode(s);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1;
  }
  return out;
}

/** A node of a device tree under construction (or parsed by parseFdt). */
export class FdtNode {
  readonly name: string;
  readonly parent: FdtNode | undefined;
  private readonly tree: FdtBuilder;
  private readonly propMap = new Map<string, Uint8Array>();
  private readonly childList: FdtNode[] = [];

  /** @internal Use FdtBuilder.root and FdtNode.node(). */
  constructor(tree: FdtBuilder, parent: FdtNode | undefined, name: string) {
    this.tree = tree;
    this.parent = parent;
    this.name = name;
  }

  /** The full path: '/', '/cpus/cpu@0'. */
  get path(): string {
    if (!this.parent) return '/';
    const p = this.parent.path;
    return p === '/' ? `/${this.name}` : `${p}/${this.name}`;
  }

  get children(): readonly FdtNode[] {
    return this.childList;
  }

  /** Properties in insertion order. The values are the encoded bytes. */
  get properties(): readonly { name: string; value: Uint8Array }[] {
    return [...this.propMap].map(([name, value]) => ({ name, value }));
  }

  /** Creates and returns a child node. Throws if the name is invalid or already used under this node. */
  node(name: string): FdtNode {
    if (!NODE_NAME.test(name)) {
      throw new FdtError(`invalid node name "${name}" under ${this.path} (1-31 characters [0-9A-Za-z,._+-] starting with a letter, then an optional @unit-address)`);
    }
    return this.addChild(name);
  }

  /** @internal node() without the name check, for parseFdt (real blobs have names like __symbols__). */
  addChild(name: string): FdtNode {
    if (this.child(name)) throw new FdtError(`duplicate node ${this.path === '/' ? '' : this.path}/${name}`);
    const n = new FdtNode(this.tree, this, name);
    this.childList.push(n);
    return n;
  }

  child(name: string): FdtNode | undefined {
    return this.childList.find((c) => c.name === name);
  }

  /** Removes the child called name; returns whether it existed. */
  removeNode(name: string): boolean {
    const i = this.childList.findIndex((c) => c.name === name);
    if (i >= 0) this.childList.splice(i, 1);
    return i >= 0;
  }

  /** Sets a property to raw bytes (replacing an existing value in place). All other setters end here. */
  propBytes(name: string, value: Uint8Array): this {
    if (!PROP_NAME.test(name)) {
      throw new FdtError(`invalid property name "${name}" in ${this.path} (1-31 characters [0-9A-Za-z,._+?#-])`);
    }
    return this.setProp(name, value.slice());
  }

  /** @internal propBytes() without the name check or copy, for parseFdt. */
  setProp(name: string, value: Uint8Array): this {
    this.propMap.set(name, value);
    if (name === 'phandle' && value.length === 4) {
      this.tree.notePhandle(new DataView(value.buffer, value.byteOffset, 4).getUint32(0));
    }
    return this;
  }

  /** A string (`"memory"`) or a string list (`"arm,pl011", "arm,primecell"`). */
  prop(name: string, value: string | readonly string[]): this {
    return this.propBytes(name, encodeStrings(name, typeof value === 'string' ? [value] : value));
  }

  /** An empty (boolean) property such as `interrupt-controller;`. */
  propEmpty(name: string): this {
    return this.propBytes(name, new Uint8Array(0));
  }

  /** A single 32-bit cell. */
  propU32(name: string, value: number): this {
    return this.propCells(name, [value]);
  }

  /** A 64-bit value as two cells (e.g. `linux,initrd-start`). */
  propU64(name: string, value: bigint): this {
    return this.propCells(name, cells(value, 2));
  }

  /** A list of 32-bit cells; a node in the list stands for its phandle (allocated on first use). */
  propCells(name: string, values: readonly FdtCell[]): this {
    const out = new Uint8Array(4 * values.length);
    const v = new DataView(out.buffer);
    values.forEach((c, i) => {
      let n: number;
      if (typeof c === 'number') {
        checkU32(`property ${name} in ${this.path}, cell ${i}`, c);
        n = c;
      } else {
        if (c.tree !== this.tree) throw new FdtError(`property ${name} in ${this.path}: ${c.path} belongs to another tree`);
        n = c.phandle;
      }
      v.setUint32(4 * i, n);
    });
    return this.propBytes(name, out);
  }

  /**
   * `reg`: (address, size) pairs encoded with the parent's #address-cells and #size-cells (spec
   * defaults 2 and 1 when the parent does not set them). A size-cells of 0 takes addresses alone.
   */
  propReg(regions: readonly (readonly [bigint, bigint])[], name = 'reg'): this {
    if (!this.parent) throw new FdtError(`${name} on the root node: it has no parent bus to give #address-cells`);
    const ac = this.parent.addressCells;
    const sc = this.parent.sizeCells;
    const out: number[] = [];
    for (const [addr, size] of regions) {
      out.push(...this.cellsFor(name, addr, ac), ...this.cellsFor(name, size, sc));
    }
    return this.propCells(name, out);
  }

  /**
   * `ranges` / `dma-ranges`: (child address, parent address, size) triples encoded with this node's
   * #address-cells, the parent's #address-cells and this node's #size-cells. No entries gives the empty
   * property (an identity mapping).
   */
  propRanges(entries: readonly (readonly [bigint, bigint, bigint])[], name = 'ranges'): this {
    if (!this.parent) throw new FdtError(`${name} on the root node: it has no parent bus`);
    const out: number[] = [];
    for (const [child, parentAddr, size] of entries) {
      out.push(...this.cellsFor(name, child, this.addressCells), ...this.cellsFor(name, parentAddr, this.parent.addressCells),
        ...this.cellsFor(name, size, this.sizeCells));
    }
    return this.propCells(name, out);
  }

  private cellsFor(name: string, value: bigint, n: number): number[] {
    try {
      return cells(value, n);
    } catch (e) {
      throw new FdtError(`property ${name} in ${this.path}: ${(e as Error).message}`);
    }
  }

  /** This node's #address-cells (the spec default 2 when unset): how its children's addresses are encoded. */
  get addressCells(): number {
    return this.getU32('#address-cells') ?? 2;
  }

  /** This node's #size-cells (the spec default 1 when unset). */
  get sizeCells(): number {
    return this.getU32('#size-cells') ?? 1;
  }

  /** This node's phandle: the existing `phandle` property, or a new one allocated and set now. */
  get phandle(): number {
    const have = this.getU32('phandle');
    if (have !== undefined) return have;
    const p = this.tree.allocatePhandle();
    this.propU32('phandle', p);
    return p;
  }

  deleteProp(name: string): boolean {
    return this.propMap.delete(name);
  }

  getProp(name: string): Uint8Array | undefined {
    return this.propMap.get(name);
  }

  hasProp(name: string): boolean {
    return this.propMap.has(name);
  }

  /** The property as NUL-separated strings, or undefined if absent or not a string list. */
  getStrings(name: string): string[] | undefined {
    const v = this.propMap.get(name);
    if (!v || v.length === 0 || v[v.length - 1] !== 0) return undefined;
    return utf8Decoder.decode(v.subarray(0, v.length - 1)).split('\0');
  }

  /** The property's first string. */
  getString(name: string): string | undefined {
    return this.getStrings(name)?.[0];
  }

  /** The property as 32-bit cells, or undefined if absent or not a multiple of 4 bytes. */
  getCells(name: string): number[] | undefined {
    const v = this.propMap.get(name);
    if (!v || v.length % 4 !== 0) return undefined;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    return Array.from({ length: v.length / 4 }, (_, i) => dv.getUint32(4 * i));
  }

  /** A one-cell property's value, or undefined if absent or not 4 bytes. */
  getU32(name: string): number | undefined {
    const v = this.propMap.get(name);
    return v && v.length === 4 ? new DataView(v.buffer, v.byteOffset, 4).getUint32(0) : undefined;
  }

  /** A two-cell property's value, or undefined if absent or not 8 bytes. */
  getU64(name: string): bigint | undefined {
    const v = this.propMap.get(name);
    return v && v.length === 8 ? new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0) : undefined;
  }

  /** The node at a path relative to this one ('cpus/cpu@0'); a leading '/' starts at the root. */
  find(path: string): FdtNode | undefined {
    let n: FdtNode | undefined = path.startsWith('/') ? this.tree.root : this;
    for (const part of path.split('/')) {
      if (part === '') continue;
      n = n.child(part);
      if (!n) return undefined;
    }
    return n;
  }
}

/** A device tree under construction; toBytes() gives the DTB. */
export class FdtBuilder {
  readonly root: FdtNode;
  /** The physical ID (MPIDR affinity) of the boot CPU, for the header's boot_cpuid_phys. */
  bootCpuidPhys = 0;
  private readonly rsv: FdtReservation[] = [];
  private nextPhandle = 1;

  constructor() {
    this.root = new FdtNode(this, undefined, '');
  }

  /** Adds a /memreserve/ entry (memory the OS must not use, e.g. firmware or spin tables). */
  addReservation(address: bigint, size: bigint): this {
    if (address < 0n || address >= 1n << 64n || size < 0n || size >= 1n << 64n || (address === 0n && size === 0n)) {
      throw new FdtError(`invalid memory reservation 0x${address.toString(16)} size 0x${size.toString(16)}`);
    }
    this.rsv.push({ address, size });
    return this;
  }

  get reservations(): readonly FdtReservation[] {
    return this.rsv;
  }

  /** The node at an absolute path ('/', '/cpus/cpu@0'). */
  find(path: string): FdtNode | undefined {
    return this.root.find(path);
  }

  /** @internal The next phandle: one above every phandle set so far (used by FdtNode.phandle). */
  allocatePhandle(): number {
    if (this.nextPhandle >= 0xffffffff) throw new FdtError('out of phandles');
    return this.nextPhandle++;
  }

  /** @internal Records a phandle set on some node so allocation stays above it. */
  notePhandle(p: number): void {
    if (p >= this.nextPhandle && p !== 0xffffffff) this.nextPhandle = p + 1;
  }

  /** Serialises the tree as a version 17 DTB. */
  toBytes(): Uint8Array {
    const strings = new ByteWriter();
    const stringOffsets = new Map<string, number>();
    const nameOff = (name: string): number => {
      let off = stringOffsets.get(name);
      if (off === undefined) {
        off = strings.length;
        stringOffsets.set(name, off);
        strings.bytes(utf8Encoder.encode(name));
        strings.u8(0);
      }
      return off;
    };

    const struct = new ByteWriter();
    const emit = (n: FdtNode) => {
      struct.u32(FDT_BEGIN_NODE);
      struct.bytes(utf8Encoder.encode(n.name));
      struct.u8(0);
      struct.align(4);
      for (const { name, value } of n.properties) {
        struct.u32(FDT_PROP);
        struct.u32(value.length);
        struct.u32(nameOff(name));
        struct.bytes(value);
        struct.align(4);
      }
      n.children.forEach(emit);
      struct.u32(FDT_END_NODE);
    };
    emit(this.root);
    struct.u32(FDT_END);

    const offRsv = HEADER_SIZE; // 40: already 8-byte aligned
    const rsvSize = 16 * (this.rsv.length + 1);
    const offStruct = offRsv + rsvSize;
    const offStrings = offStruct + struct.length;
    const total = offStrings + strings.length;

    const out = new Uint8Array(total);
    const v = new DataView(out.buffer);
    v.setUint32(0, FDT_MAGIC);
    v.setUint32(4, total);
    v.setUint32(8, offStruct);
    v.setUint32(12, offStrings);
    v.setUint32(16, offRsv);
    v.setUint32(20, FDT_VERSION);
    v.setUint32(24, FDT_LAST_COMP_VERSION);
    v.setUint32(28, this.bootCpuidPhys >>> 0);
    v.setUint32(32, strings.length);
    v.setUint32(36, struct.length);
    this.rsv.forEach((r, i) => {
      v.setBigUint64(offRsv + 16 * i, r.address);
      v.setBigUint64(offRsv + 16 * i + 8, r.size);
    });
    out.set(struct.result(), offStruct);
    out.set(strings.result(), offStrings);
    return out;
  }
}

/** A growable big-endian byte buffer. */
class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }

  u8(x: number): void {
    this.reserve(1);
    this.buf[this.length++] = x;
  }

  u32(x: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, x);
    this.length += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  align(n: number): void {
    while (this.length % n !== 0) this.u8(0);
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Reads and validates the header of a DTB. `source` names the blob in error messages. */
export function readFdtHeader(bytes: Uint8Array, source = 'DTB'): FdtHeader {
  const fail = (problem: string): never => { throw new FdtError(`${source}: ${problem}`); };
  if (bytes.length < HEADER_SIZE_V16) fail(`too short for a device tree header (${bytes.length} bytes)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(0);
  if (magic !== FDT_MAGIC) fail(`bad magic 0x${magic.toString(16)} (expected 0xd00dfeed)`);
  const h: FdtHeader = {
    totalSize: v.getUint32(4),
    offDtStruct: v.getUint32(8),
    offDtStrings: v.getUint32(12),
    offMemRsvmap: v.getUint32(16),
    version: v.getUint32(20),
    lastCompVersion: v.getUint32(24),
    bootCpuidPhys: v.getUint32(28),
    sizeDtStrings: v.getUint32(32),
    sizeDtStruct: undefined,
  };
  if (h.version < 16) fail(`version ${h.version} is too old (16 or later is supported)`);
  if (h.lastCompVersion > FDT_VERSION) fail(`last_comp_version ${h.lastCompVersion} is newer than version 17`);
  if (h.version >= 17) {
    if (bytes.length < HEADER_SIZE) fail(`too short for a version ${h.version} header (${bytes.length} bytes)`);
    h.sizeDtStruct = v.getUint32(36);
  }
  if (h.totalSize > bytes.length) fail(`totalsize ${h.totalSize} is larger than the ${bytes.length} bytes given`);
  const headerSize = h.version >= 17 ? HEADER_SIZE : HEADER_SIZE_V16;
  if (h.totalSize < headerSize) fail(`totalsize ${h.totalSize} is smaller than the header`);
  const within = (what: string, off: number, size: number) => {
    if (off < headerSize || off + size > h.totalSize) {
      fail(`${what} (offset ${off}, size ${size}) lies outside the blob (header ${headerSize} bytes, totalsize ${h.totalSize})`);
    }
  };
  if (h.offMemRsvmap % 8 !== 0) fail(`memory reservation block offset ${h.offMemRsvmap} is not 8-byte aligned`);
  if (h.offDtStruct % 4 !== 0) fail(`structure block offset ${h.offDtStruct} is not 4-byte aligned`);
  within('memory reservation block', h.offMemRsvmap, 16);
  within('structure block', h.offDtStruct, h.sizeDtStruct ?? 4);
  within('strings block', h.offDtStrings, h.sizeDtStrings);
  return h;
}

/** Parses a DTB into an editable tree. Throws FdtError, naming `source`, for a malformed blob. */
export function parseFdt(bytes: Uint8Array, source = 'DTB'): FdtBuilder {
  const fail = (problem: string): never => { throw new FdtError(`${source}: ${problem}`); };
  const h = readFdtHeader(bytes, source);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tree = new FdtBuilder();
  tree.bootCpuidPhys = h.bootCpuidPhys;

  for (let at = h.offMemRsvmap; ; at += 16) {
    if (at + 16 > h.totalSize) fail('memory reservation block is not terminated');
    const address = v.getBigUint64(at);
    const size = v.getBigUint64(at + 8);
    if (address === 0n && size === 0n) break;
    tree.addReservation(address, size);
  }

  const strEnd = h.offDtStrings + h.sizeDtStrings;
  const structEnd = h.sizeDtStruct !== undefined ? h.offDtStruct + h.sizeDtStruct : h.totalSize;
  const cstring = (at: number, end: number, what: string): [string, number] => {
    const nul = bytes.indexOf(0, at);
    if (nul < 0 || nul >= end) fail(`${what} at offset ${at} is not NUL-terminated`);
    return [utf8Decoder.decode(bytes.subarray(at, nul)), nul + 1];
  };
  const u32 = (at: number): number => {
    if (at + 4 > structEnd) fail(`structure block ends inside a token (offset ${at})`);
    return v.getUint32(at);
  };

  let at = h.offDtStruct;
  let token = u32(at);
  while (token === FDT_NOP) token = u32((at += 4));
  if (token !== FDT_BEGIN_NODE) fail(`structure block does not start with FDT_BEGIN_NODE (token ${token} at offset ${at})`);
  const [rootName, afterRoot] = cstring(at + 4, structEnd, 'root node name');
  if (rootName !== '') fail(`root node has a name ("${rootName}")`);
  at = (afterRoot + 3) & ~3;
  const stack: FdtNode[] = [tree.root];
  for (;;) {
    const t = u32(at);
    at += 4;
    if (t === FDT_NOP) continue;
    if (t === FDT_PROP) {
      const len = u32(at);
      const off = u32(at + 4);
      at += 8;
      if (at + len > structEnd) fail(`property at offset ${at - 12} runs past the structure block`);
      if (off >= h.sizeDtStrings) fail(`property name offset ${off} is outside the strings block (size ${h.sizeDtStrings})`);
      const [name] = cstring(h.offDtStrings + off, strEnd, 'property name');
      if (stack.length === 0) fail(`property "${name}" after the root node closed`);
      stack[stack.length - 1]!.setProp(name, bytes.slice(at, at + len));
      at = (at + len + 3) & ~3;
    } else if (t === FDT_BEGIN_NODE) {
      if (stack.length === 0) fail(`node after the root node closed (offset ${at - 4})`);
      const [name, next] = cstring(at, structEnd, 'node name');
      try {
        stack.push(stack[stack.length - 1]!.addChild(name));
      } catch (e) {
        fail((e as Error).message); // a duplicate node name
      }
      at = (next + 3) & ~3;
    } else if (t === FDT_END_NODE) {
      if (stack.length === 0) fail(`unbalanced FDT_END_NODE at offset ${at - 4}`);
      stack.pop();
    } else if (t === FDT_END) {
      if (stack.length !== 0) fail(`FDT_END at offset ${at - 4} inside node ${stack[stack.length - 1]!.path}`);
      break;
    } else {
      fail(`unknown token 0x${t.toString(16)} at offset ${at - 4}`);
    }
  }
  return tree;
}
