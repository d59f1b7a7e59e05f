// The in-memory structures the guest gives the ITS and the redistributors, decoded into typed records in
// this one place (DESIGN.md): the model and the GIC panel both read them through these functions, so the
// panel shows exactly what the model uses.
//
//   GITS_BASER<n>      -> TableDescriptor (device table, collection table; flat or two-level)
//   device table entry -> DeviceTableEntry     (IMPLEMENTATION DEFINED layout, ours; 8 bytes)
//   collection entry   -> CollectionTableEntry (IMPLEMENTATION DEFINED layout, ours; 8 bytes)
//   ITT entry          -> InterruptTranslationEntry (IMPLEMENTATION DEFINED layout, ours; 12 bytes)
//   LPI property table -> LpiConfig (architected: one byte per LPI, bit 0 Enable, bits [7:2] Priority)
//   LPI pending table  -> one bit per interrupt ID (architected; the first 1 KiB covers IDs < 8192)
//
// The sizes of our entries are those QEMU 7.2 advertises (GITS_TYPER.ITT_entry_size = 12, GITS_BASER<n>
// Entry_Size = 8), so a guest allocates the same amounts on both; the layouts inside are our own:
//   DTE  word0: bit 0 Valid, bits [5:1] Size (EventID bits - 1); word1: ITT address >> 8 (addresses < 2^40)
//   CTE  word0: bit 0 Valid, bits [16:1] RDbase as a processor number (GITS_TYPER.PTA = 0); word1: 0
//   ITE  word0: bit 0 Valid, bits [24:1] pINTID; word1: bits [15:0] ICID; word2: 0 (the GICv4 vPE field)
// A level-1 entry of a two-level table is architected: bit 63 Valid, bits [51:12] the level-2 page.

export const DTE_SIZE = 8;
export const CTE_SIZE = 8;
export const ITE_SIZE = 12;
export const L1_ENTRY_SIZE = 8;

/** Guest physical memory as the ITS and redistributors see it; accesses throw (BusError) when unmapped. */
export interface GuestMemory {
  read32(pa: number): number;
  write32(pa: number, value: number): void;
  read8(pa: number): number;
  write8(pa: number, value: number): void;
}

export const BASER_TYPE_NAMES: Record<number, string> = { 0: 'none', 1: 'device', 2: 'vPE', 4: 'collection' };

/** A decoded GITS_BASER<n>. */
export interface TableDescriptor {
  valid: boolean;
  indirect: boolean;
  /** 1 device, 4 collection, 0 unimplemented. */
  type: number;
  entrySize: number;
  pageSize: number;
  pages: number;
  address: number;
}

const PAGE_SIZES = [0x1000, 0x4000, 0x10000, 0x10000];

export function decodeBaser(lo: number, hi: number): TableDescriptor {
  const pageSize = PAGE_SIZES[(lo >>> 8) & 3];
  let address: number;
  if (pageSize === 0x10000) {
    // 64 KiB pages: bits [47:16] are PA[47:16], bits [15:12] are PA[51:48]
    address = (hi & 0xffff) * 2 ** 32 + (lo & 0xffff0000) + ((lo >>> 12) & 0xf) * 2 ** 48;
  } else {
    address = (hi & 0xffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0);
  }
  return {
    valid: (hi >>> 31) === 1,
    indirect: ((hi >>> 30) & 1) === 1,
    type: (hi >>> 24) & 7,
    entrySize: ((hi >>> 16) & 0x1f) + 1,
    pageSize,
    pages: (lo & 0xff) + 1,
    address,
  };
}

export type TableLookup = { pa: number } | { error: 'id out of range' | 'level-2 page not valid' };

/** Where entry `id` of a table lives, following a level-1 entry for a two-level table. */
export function tableEntry(mem: GuestMemory, t: TableDescriptor, id: number, idLimit: number): TableLookup {
  if (id >= idLimit) return { error: 'id out of range' };
  const size = t.pages * t.pageSize;
  if (!t.indirect) {
    if (id >= size / t.entrySize) return { error: 'id out of range' };
    return { pa: t.address + id * t.entrySize };
  }
  const perPage = t.pageSize / t.entrySize;
  const l1 = Math.floor(id / perPage);
  if (l1 >= size / L1_ENTRY_SIZE) return { error: 'id out of range' };
  const l1pa = t.address + l1 * L1_ENTRY_SIZE;
  const lo = mem.read32(l1pa);
  const hi = mem.read32(l1pa + 4);
  if ((hi >>> 31) === 0) return { error: 'level-2 page not valid' };
  const l2 = (hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0);
  const page = l2 - (l2 % t.pageSize);
  return { pa: page + (id % perPage) * t.entrySize };
}

export interface DeviceTableEntry {
  valid: boolean;
  /** Number of EventID bits (MAPD Size + 1). */
  eventIdBits: number;
  ittAddress: number;
}

export function readDte(mem: GuestMemory, pa: number): DeviceTableEntry {
  const w0 = mem.read32(pa);
  const w1 = mem.read32(pa + 4);
  return { valid: (w0 & 1) === 1, eventIdBits: ((w0 >>> 1) & 0x1f) + 1, ittAddress: (w1 >>> 0) * 256 };
}

export function writeDte(mem: GuestMemory, pa: number, e: DeviceTableEntry): void {
  mem.write32(pa, e.valid ? 1 | (((e.eventIdBits - 1) & 0x1f) << 1) : 0);
  mem.write32(pa + 4, e.valid ? Math.floor(e.ittAddress / 256) >>> 0 : 0);
}

export interface CollectionTableEntry {
  valid: boolean;
  /** Target redistributor as a processor number (GICR_TYPER.Processor_Number). */
  rdbase: number;
}

export function readCte(mem: GuestMemory, pa: number): CollectionTableEntry {
  const w0 = mem.read32(pa);
  return { valid: (w0 & 1) === 1, rdbase: (w0 >>> 1) & 0xffff };
}

export function writeCte(mem: GuestMemory, pa: number, e: CollectionTableEntry): void {
  mem.write32(pa, e.valid ? (1 | ((e.rdbase & 0xffff) << 1)) >>> 0 : 0);
  mem.write32(pa + 4, 0);
}

export interface InterruptTranslationEntry {
  valid: boolean;
  pINTID: number;
  icid: number;
}

export function iteAddress(dte: DeviceTableEntry, eventId: number): number {
  return dte.ittAddress + eventId * ITE_SIZE;
}

export function readIte(mem: GuestMemory, pa: number): InterruptTranslationEntry {
  const w0 = mem.read32(pa);
  const w1 = mem.read32(pa + 4);
  return { valid: (w0 & 1) === 1, pINTID: (w0 >>> 1) & 0xffffff, icid: w1 & 0xffff };
}

export function writeIte(mem: GuestMemory, pa: number, e: InterruptTranslationEntry): void {
  mem.write32(pa, e.valid ? (1 | ((e.pINTID & 0xffffff) << 1)) >>> 0 : 0);
  mem.write32(pa + 4, e.valid ? e.icid & 0xffff : 0);
  mem.write32(pa + 8, 0);
}

/** One byte of the LPI configuration (property) table. */
export interface LpiConfig {
  enabled: boolean;
  priority: number;
}

export function decodeLpiConfig(byte: number): LpiConfig {
  return { enabled: (byte & 1) === 1, priority: byte & 0xfc };
}

/** GICR_PROPBASER: table address and the number of interrupt ID bits it covers. */
export interface PropBase {
  address: number;
  idBits: number;
}

export function decodePropbaser(lo: number, hi: number): PropBase {
  return { address: (hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0), idBits: (lo & 0x1f) + 1 };
}

/** GICR_PENDBASER: table address (64 KiB aligned). */
export function decodePendbaser(lo: number, hi: number): number {
  return (hi & 0xfffff) * 2 ** 32 + ((lo & 0xffff0000) >>> 0);
}
