// GUID Partition Table (UEFI 2.10, chapter 5): writing a disk's partitioning and reading it back.
// Layout with 512-byte logical blocks: LBA 0 a protective MBR (one partition of type 0xEE covering the
// disk), LBA 1 the primary header, LBA 2..33 the 128 partition entries of 128 bytes, the partitions, then
// the backup entries and, in the last LBA, the backup header. Both headers carry CRC32s of themselves and
// of the entry array. Reading validates what a firmware validates (signature, header CRC, entry-array CRC,
// entries inside the usable range, no overlaps) and reports each problem in words.
import { CRC32_TABLE, crcBytes } from '../isa/exec/crc';
import { guidBytes, guidText } from './guid';

export const SECTOR = 512;
const ENTRIES = 128;
const ENTRY_SIZE = 128;
/** Sectors of the entry array: 128 entries x 128 bytes. */
const ENTRY_SECTORS = (ENTRIES * ENTRY_SIZE) / SECTOR;
/** First usable LBA: MBR, header, entry array. */
export const FIRST_USABLE = 2 + ENTRY_SECTORS;

export interface GptPartition {
  /** Partition type GUID (text), e.g. ESP_TYPE. */
  readonly type: string;
  /** Unique partition GUID (text). */
  readonly guid: string;
  readonly name: string;
  readonly firstLba: number;
  /** Inclusive. */
  readonly lastLba: number;
  readonly attributes?: bigint;
}

export interface GptLayout {
  /** Total sectors of the disk. */
  readonly sectors: number;
  readonly diskGuid: string;
  readonly partitions: readonly GptPartition[];
}

/** Last usable LBA of a disk of `sectors` sectors (before the backup entry array and header). */
export const lastUsable = (sectors: number): number => sectors - 2 - ENTRY_SECTORS;

/** Writes the protective MBR, both GPT headers and both entry arrays into `disk` (partition contents untouched). */
export function writeGpt(disk: Uint8Array, layout: GptLayout): void {
  const { sectors } = layout;
  if (disk.length !== sectors * SECTOR) throw new Error(`GPT: disk buffer is ${disk.length} bytes, expected ${sectors * SECTOR}`);
  if (layout.partitions.length > ENTRIES) throw new Error(`GPT: ${layout.partitions.length} partitions, at most ${ENTRIES}`);
  const bad = checkRanges(layout.partitions, sectors);
  if (bad.length) throw new Error(`GPT: ${bad.join('; ')}`);
  writeProtectiveMbr(disk, sectors);
  const entries = new Uint8Array(ENTRIES * ENTRY_SIZE);
  layout.partitions.forEach((p, i) => writeEntry(entries.subarray(i * ENTRY_SIZE), p));
  const entriesCrc = crcBytes(CRC32_TABLE, entries);
  const last = sectors - 1;
  disk.set(entries, 2 * SECTOR);
  disk.set(entries, (last - ENTRY_SECTORS) * SECTOR);
  disk.set(header(layout, 1, last, 2, entriesCrc), SECTOR);
  disk.set(header(layout, last, 1, last - ENTRY_SECTORS, entriesCrc), last * SECTOR);
}

function writeProtectiveMbr(disk: Uint8Array, sectors: number): void {
  const mbr = disk.subarray(0, SECTOR);
  mbr.fill(0);
  const dv = new DataView(mbr.buffer, mbr.byteOffset, SECTOR);
  const e = 0x1be;
  mbr.set([0x00, 0x00, 0x02, 0x00, 0xee, 0xff, 0xff, 0xff], e);
  dv.setUint32(e + 8, 1, true);
  dv.setUint32(e + 12, Math.min(sectors - 1, 0xffffffff), true);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
}

function writeEntry(b: Uint8Array, p: GptPartition): void {
  const dv = new DataView(b.buffer, b.byteOffset, ENTRY_SIZE);
  b.set(guidBytes(p.type), 0);
  b.set(guidBytes(p.guid), 16);
  dv.setBigUint64(32, BigInt(p.firstLba), true);
  dv.setBigUint64(40, BigInt(p.lastLba), true);
  dv.setBigUint64(48, p.attributes ?? 0n, true);
  if (p.name.length > 36) throw new Error(`GPT: partition name '${p.name}' is longer than 36 UTF-16 units`);
  for (let i = 0; i < p.name.length; i++) dv.setUint16(56 + 2 * i, p.name.charCodeAt(i), true);
}

function header(layout: GptLayout, my: number, alt: number, entriesLba: number, entriesCrc: number): Uint8Array {
  const h = new Uint8Array(SECTOR);
  const dv = new DataView(h.buffer);
  h.set(new TextEncoder().encode('EFI PART'), 0);
  dv.setUint32(8, 0x00010000, true);
  dv.setUint32(12, 92, true);
  dv.setBigUint64(24, BigInt(my), true);
  dv.setBigUint64(32, BigInt(alt), true);
  dv.setBigUint64(40, BigInt(FIRST_USABLE), true);
  dv.setBigUint64(48, BigInt(lastUsable(layout.sectors)), true);
  h.set(guidBytes(layout.diskGuid), 56);
  dv.setBigUint64(72, BigInt(entriesLba), true);
  dv.setUint32(80, ENTRIES, true);
  dv.setUint32(84, ENTRY_SIZE, true);
  dv.setUint32(88, entriesCrc, true);
  dv.setUint32(16, crcBytes(CRC32_TABLE, h.subarray(0, 92)), true);
  return h;
}

function checkRanges(parts: readonly GptPartition[], sectors: number): string[] {
  const errors: string[] = [];
  const sorted = [...parts].sort((a, b) => a.firstLba - b.firstLba);
  sorted.forEach((p, i) => {
    if (p.firstLba < FIRST_USABLE || p.lastLba > lastUsable(sectors) || p.lastLba < p.firstLba) {
      errors.push(`partition '${p.name}' (LBA ${p.firstLba}..${p.lastLba}) is outside the usable range ${FIRST_USABLE}..${lastUsable(sectors)}`);
    }
    const next = sorted[i + 1];
    if (next && next.firstLba <= p.lastLba) errors.push(`partitions '${p.name}' and '${next.name}' overlap`);
  });
  return errors;
}

export interface GptReadResult {
  readonly layout?: GptLayout;
  /** Problems found; the layout is present when the primary (or, failing that, the backup) header is usable. */
  readonly errors: string[];
}

/** Reads and validates the GPT of a disk image. Never throws on bad data: problems come back as errors. */
export function readGpt(disk: Uint8Array): GptReadResult {
  const errors: string[] = [];
  if (disk.length < (2 * (1 + ENTRY_SECTORS) + 2) * SECTOR || disk.length % SECTOR) {
    return { errors: [`${disk.length} bytes is too small (or not a whole number of 512-byte sectors) for a GPT disk`] };
  }
  const sectors = disk.length / SECTOR;
  if (disk[510] !== 0x55 || disk[511] !== 0xaa) errors.push('LBA 0 has no MBR signature 0x55AA (no protective MBR)');
  else if (disk[0x1be + 4] !== 0xee) errors.push(`the MBR's first partition has type 0x${disk[0x1be + 4].toString(16)}, not 0xEE (protective)`);
  for (const [where, lba] of [['primary', 1], ['backup', sectors - 1]] as const) {
    const r = readHeader(disk, lba, sectors);
    if (typeof r === 'string') {
      errors.push(`${where} GPT header at LBA ${lba}: ${r}`);
      continue;
    }
    errors.push(...checkRanges(r.partitions, sectors));
    return { layout: r, errors };
  }
  return { errors };
}

function readHeader(disk: Uint8Array, lba: number, sectors: number): GptLayout | string {
  const h = disk.subarray(lba * SECTOR, (lba + 1) * SECTOR);
  const dv = new DataView(h.buffer, h.byteOffset, SECTOR);
  if (new TextDecoder().decode(h.subarray(0, 8)) !== 'EFI PART') return "no 'EFI PART' signature";
  const size = dv.getUint32(12, true);
  if (size < 92 || size > SECTOR) return `header size ${size} is not in 92..512`;
  const copy = Uint8Array.from(h.subarray(0, size));
  new DataView(copy.buffer).setUint32(16, 0, true);
  if (crcBytes(CRC32_TABLE, copy) !== dv.getUint32(16, true)) return 'header CRC32 does not match';
  const entriesLba = Number(dv.getBigUint64(72, true));
  const count = dv.getUint32(80, true);
  const esize = dv.getUint32(84, true);
  if (esize < 128 || esize % 8 || count > 4096) return `unsupported entry array (${count} entries of ${esize} bytes)`;
  const start = entriesLba * SECTOR;
  if (entriesLba < 2 || start + count * esize > disk.length) return `entry array at LBA ${entriesLba} lies outside the disk`;
  const arr = disk.subarray(start, start + count * esize);
  if (crcBytes(CRC32_TABLE, arr) !== dv.getUint32(88, true)) return 'partition entry array CRC32 does not match';
  const partitions: GptPartition[] = [];
  for (let i = 0; i < count; i++) {
    const e = arr.subarray(i * esize, i * esize + esize);
    if (e.subarray(0, 16).every((x) => x === 0)) continue;
    const edv = new DataView(e.buffer, e.byteOffset, esize);
    let name = '';
    for (let k = 0; k < 36; k++) {
      const c = edv.getUint16(56 + 2 * k, true);
      if (!c) break;
      name += String.fromCharCode(c);
    }
    partitions.push({
      type: guidText(e.subarray(0, 16)), guid: guidText(e.subarray(16, 32)), name,
      firstLba: Number(edv.getBigUint64(32, true)), lastLba: Number(edv.getBigUint64(40, true)), attributes: edv.getBigUint64(48, true),
    });
  }
  return { sectors, diskGuid: guidText(h.subarray(56, 72)), partitions };
}
