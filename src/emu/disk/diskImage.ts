// A bootable disk image as the cloud expects one: GPT with an EFI System Partition (FAT32 holding
// EFI/BOOT/BOOTAA64.EFI and whatever else the config names) and optional further partitions (a FAT32 data
// volume, or raw bytes such as a unikernel's own file system). Partitions start on 1 MiB boundaries, as
// partitioning tools align them. Everything is derived from the inputs, so the same inputs give the same
// image byte for byte. `inspectDisk` reads an image back for the CLI and the tree view.
import { fat32Sectors, formatFat32, FAT_SECTOR } from './fat32';
import { Fat32Error, Fat32Reader, type FatEntry } from './fat32Reader';
import type { FatTree } from './fatNames';
import { ESP_TYPE, LINUX_DATA_TYPE, BASIC_DATA_TYPE, guidFromName } from './guid';
import { readGpt, writeGpt, SECTOR, type GptPartition } from './gpt';

const ALIGN = (1 << 20) / SECTOR;

export type PartitionSpec =
  | { kind: 'esp'; name?: string; label?: string; files: FatTree; sizeMiB?: number }
  | { kind: 'fat32'; name: string; label?: string; files: FatTree; sizeMiB?: number }
  | { kind: 'raw'; name: string; data: Uint8Array; type?: string; sizeMiB?: number };

export interface DiskSpec {
  /** Seeds the disk and partition GUIDs (e.g. the config file's name). */
  readonly id: string;
  readonly partitions: readonly PartitionSpec[];
  /** Extra free space at the end of the disk, MiB. */
  readonly spareMiB?: number;
}

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

function sectorsOf(p: PartitionSpec): number {
  const want = p.sizeMiB !== undefined ? (p.sizeMiB << 20) / SECTOR : 0;
  const need = p.kind === 'raw' ? Math.ceil(p.data.length / SECTOR) : fat32Sectors(p.files);
  if (want && want < need) throw new Error(`partition '${p.name ?? 'ESP'}': sizeMiB ${p.sizeMiB} is too small, it needs ${Math.ceil((need * SECTOR) / (1 << 20))} MiB`);
  return alignUp(Math.max(want, need));
}

/** Builds the whole disk image. */
export function buildDisk(spec: DiskSpec): Uint8Array {
  let lba = ALIGN;
  const placed = spec.partitions.map((p, i) => {
    const sectors = sectorsOf(p);
    const first = lba;
    lba += sectors;
    const name = p.name ?? (p.kind === 'esp' ? 'EFI System Partition' : `part${i + 1}`);
    const type = p.kind === 'esp' ? ESP_TYPE : p.kind === 'fat32' ? BASIC_DATA_TYPE : p.type ?? LINUX_DATA_TYPE;
    return { p, part: { type, guid: guidFromName(`${spec.id}/partition/${i}/${name}`), name, firstLba: first, lastLba: first + sectors - 1 } as GptPartition };
  });
  const total = lba + alignUp(((spec.spareMiB ?? 0) << 20) / SECTOR) + ALIGN;
  const disk = new Uint8Array(total * SECTOR);
  for (const { p, part } of placed) {
    const sectors = part.lastLba - part.firstLba + 1;
    const bytes = p.kind === 'raw' ? p.data : formatFat32(p.files, { sectors: sectors * (SECTOR / FAT_SECTOR), label: p.label ?? (p.kind === 'esp' ? 'ESP' : p.name.slice(0, 11)), hiddenSectors: part.firstLba });
    disk.set(bytes, part.firstLba * SECTOR);
  }
  writeGpt(disk, { sectors: total, diskGuid: guidFromName(`${spec.id}/disk`), partitions: placed.map((x) => x.part) });
  return disk;
}

export interface InspectedPartition extends GptPartition {
  readonly index: number;
  readonly sizeBytes: number;
  /** Files of a FAT32 partition, or why it could not be read. */
  readonly files?: { path: string; entry: FatEntry }[];
  readonly fatError?: string;
}

/** Reads an image back: its partitions and, for FAT32 ones, their files. `where` names the image in errors. */
export function inspectDisk(disk: Uint8Array, where: string): { partitions: InspectedPartition[]; errors: string[] } {
  const g = readGpt(disk);
  const errors = g.errors.map((e) => `${where}: ${e}`);
  const partitions = (g.layout?.partitions ?? []).map((p, i): InspectedPartition => {
    const base = { ...p, index: i + 1, sizeBytes: (p.lastLba - p.firstLba + 1) * SECTOR };
    const bytes = disk.subarray(p.firstLba * SECTOR, Math.min(disk.length, (p.lastLba + 1) * SECTOR));
    if (bytes[82] !== 0x46 /* 'F' of "FAT32   " */ || bytes[510] !== 0x55) return base;
    try {
      return { ...base, files: new Fat32Reader(bytes, `${where} partition ${i + 1}`).walk() };
    } catch (e) {
      if (e instanceof Fat32Error) return { ...base, fatError: e.message };
      throw e;
    }
  });
  return { partitions, errors };
}

/** The FAT32 reader for the EFI System Partition of a disk image, or an error message. */
export function openEsp(disk: Uint8Array, where: string): Fat32Reader | string {
  const g = readGpt(disk);
  const esp = g.layout?.partitions.find((p) => p.type === ESP_TYPE);
  if (!esp) return `${where}: no EFI System Partition${g.errors.length ? ` (${g.errors.join('; ')})` : ''}`;
  try {
    return new Fat32Reader(disk.subarray(esp.firstLba * SECTOR, (esp.lastLba + 1) * SECTOR), `${where} ESP`);
  } catch (e) {
    if (e instanceof Fat32Error) return e.message;
    throw e;
  }
}
