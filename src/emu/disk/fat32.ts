// FAT32 (Microsoft's "FAT: General Overview of On-Disk Format" 1.03, and the VFAT long-name extension):
// formatting a partition from a tree of files, as the UEFI System Partition of a disk image. The output is
// reproducible: fixed timestamps, a volume ID derived from the label, files laid out contiguously in a
// fixed order (directory entries sorted by name). Reading back lives in fat32Reader.ts.
//
// Geometry: 512-byte sectors, 32 reserved sectors (boot sector at 0, FSInfo at 1, their backups at 6 and
// 7), two FATs, root directory at cluster 2. One sector per cluster up to 260 MiB and 8 above (Microsoft's
// table); FAT32 needs at least 65,525 clusters, so the smallest ESP is about 33 MiB (fat32Sectors picks it).
import { shortNameFor, lfnEntries, lfnCount, packDate, packTime, type FatTree, isDirNode } from './fatNames';

export const FAT_SECTOR = 512;
const RESERVED = 32;
const NUM_FATS = 2;
const MIN_CLUSTERS = 65525;
const EOC = 0x0fffffff;
const ATTR_DIR = 0x10;
const ATTR_ARCHIVE = 0x20;
const ATTR_VOLUME = 0x08;

export interface Fat32Options {
  /** Partition size in sectors. */
  readonly sectors: number;
  /** Volume label, up to 11 characters (upper-cased). */
  readonly label?: string;
  /** The partition's first LBA on the disk (BPB_HiddSec). */
  readonly hiddenSectors?: number;
  /** Timestamp of every entry; default 2026-01-01 00:00:00. */
  readonly time?: Date;
}

interface Geometry {
  spc: number;
  fatSz: number;
  clusters: number;
  dataStart: number;
}

function geometry(sectors: number): Geometry {
  const spc = sectors <= (260 << 20) / FAT_SECTOR ? 1 : 8;
  const fatSz = Math.ceil((sectors - RESERVED) / ((256 * spc + NUM_FATS) / 2));
  const dataStart = RESERVED + NUM_FATS * fatSz;
  const clusters = Math.floor((sectors - dataStart) / spc);
  return { spc, fatSz, clusters, dataStart };
}

/** Bytes of one cluster for a partition of `sectors` sectors. */
const clusterBytes = (sectors: number) => geometry(sectors).spc * FAT_SECTOR;

/** Clusters a tree needs (its directories and files), for a given cluster size. */
function clustersNeeded(tree: FatTree, cbytes: number, root: boolean): number {
  let entries = root ? 1 : 2; // volume label, or '.' and '..'
  let n = 0;
  for (const [name, node] of Object.entries(tree)) {
    entries += 1 + lfnCount(name);
    n += isDirNode(node) ? clustersNeeded(node, cbytes, false) : Math.ceil(node.length / cbytes);
  }
  return n + Math.max(1, Math.ceil((entries * 32) / cbytes));
}

/** The smallest partition size in sectors (whole MiB, at least 34 MiB) that holds `tree` with `slackPercent` spare. */
export function fat32Sectors(tree: FatTree, slackPercent = 10): number {
  for (let mib = 34; ; mib += Math.max(1, mib >> 4)) {
    const sectors = (mib << 20) / FAT_SECTOR;
    const g = geometry(sectors);
    if (g.clusters < MIN_CLUSTERS) continue;
    if (clustersNeeded(tree, g.spc * FAT_SECTOR, true) * (1 + slackPercent / 100) <= g.clusters) return sectors;
  }
}

/** Formats a FAT32 file system holding `tree`; returns the partition's bytes. */
export function formatFat32(tree: FatTree, o: Fat32Options): Uint8Array {
  const g = geometry(o.sectors);
  if (g.clusters < MIN_CLUSTERS) throw new Error(`FAT32: ${o.sectors} sectors give ${g.clusters} clusters; FAT32 needs at least ${MIN_CLUSTERS} (about 33 MiB)`);
  const cbytes = g.spc * FAT_SECTOR;
  const need = clustersNeeded(tree, cbytes, true);
  if (need > g.clusters) throw new Error(`FAT32: the files need ${need} clusters of ${cbytes} bytes; the partition has ${g.clusters}`);
  const out = new Uint8Array(o.sectors * FAT_SECTOR);
  const fat = new Uint32Array(g.clusters + 2);
  fat[0] = 0x0ffffff8;
  fat[1] = EOC;
  let next = 2;
  const time = o.time ?? new Date(Date.UTC(2026, 0, 1));
  const date = packDate(time);
  const tm = packTime(time);
  const clusterOffset = (c: number) => (g.dataStart + (c - 2) * g.spc) * FAT_SECTOR;

  const alloc = (bytes: number): number => {
    const n = Math.max(1, Math.ceil(bytes / cbytes));
    const first = next;
    for (let k = 0; k < n; k++) fat[first + k] = k === n - 1 ? EOC : first + k + 1;
    next += n;
    return first;
  };
  const entry = (short: Uint8Array, attr: number, cluster: number, size: number): Uint8Array => {
    const e = new Uint8Array(32);
    const dv = new DataView(e.buffer);
    e.set(short, 0);
    e[11] = attr;
    dv.setUint16(14, tm, true);
    dv.setUint16(16, date, true);
    dv.setUint16(18, date, true);
    dv.setUint16(20, cluster >>> 16, true);
    dv.setUint16(22, tm, true);
    dv.setUint16(24, date, true);
    dv.setUint16(26, cluster & 0xffff, true);
    dv.setUint32(28, size, true);
    return e;
  };
  const dot = (name: string) => new TextEncoder().encode(name.padEnd(11, ' '));
  const label = (o.label ?? 'NO NAME').toUpperCase().slice(0, 11);

  const writeDir = (node: FatTree, self: number, parent: number): void => {
    const entries: Uint8Array[] = [];
    if (self === 2) entries.push(entry(dot(label), ATTR_VOLUME, 0, 0));
    else entries.push(entry(dot('.'), ATTR_DIR, self, 0), entry(dot('..'), ATTR_DIR, parent === 2 ? 0 : parent, 0));
    const names = Object.keys(node).sort();
    const used = new Set<string>();
    const children: [FatTree, number][] = [];
    // Allocation order: this directory's clusters were taken by the caller; children follow in name order.
    const sizes = names.map((n) => {
      const c = node[n];
      return isDirNode(c) ? dirBytes(c, false) : c.length;
    });
    const firsts = names.map((n, i) => (isDirNode(node[n]) || sizes[i] > 0 ? alloc(sizes[i]) : 0));
    names.forEach((name, i) => {
      const child = node[name];
      const short = shortNameFor(name, used);
      entries.push(...lfnEntries(name, short), entry(new TextEncoder().encode(short), isDirNode(child) ? ATTR_DIR : ATTR_ARCHIVE, firsts[i], isDirNode(child) ? 0 : child.length));
      if (isDirNode(child)) children.push([child, firsts[i]]);
      else if (child.length) out.set(child, clusterOffset(firsts[i]));
    });
    let off = clusterOffset(self);
    let c = self;
    let inCluster = 0;
    for (const e of entries) {
      if (inCluster === cbytes) {
        c = fat[c];
        off = clusterOffset(c);
        inCluster = 0;
      }
      out.set(e, off + inCluster);
      inCluster += 32;
    }
    for (const [child, first] of children) writeDir(child, first, self);
  };
  const dirBytes = (node: FatTree, root: boolean): number =>
    32 * ((root ? 1 : 2) + Object.keys(node).reduce((n, name) => n + 1 + lfnCount(name), 0));

  const root = alloc(dirBytes(tree, true));
  writeDir(tree, root, 0);

  writeBootSector(out, o, g, label);
  out.set(out.subarray(0, FAT_SECTOR), 6 * FAT_SECTOR);
  const free = g.clusters - (next - 2);
  writeFsInfo(out.subarray(FAT_SECTOR, 2 * FAT_SECTOR), free, next);
  out.set(out.subarray(FAT_SECTOR, 2 * FAT_SECTOR), 7 * FAT_SECTOR);
  const fatBytes = new Uint8Array(fat.buffer, 0, Math.min(fat.byteLength, g.fatSz * FAT_SECTOR));
  for (let k = 0; k < NUM_FATS; k++) out.set(fatBytes, (RESERVED + k * g.fatSz) * FAT_SECTOR);
  return out;
}

function writeBootSector(out: Uint8Array, o: Fat32Options, g: Geometry, label: string): void {
  const b = out.subarray(0, FAT_SECTOR);
  const dv = new DataView(b.buffer, b.byteOffset, FAT_SECTOR);
  const enc = new TextEncoder();
  b.set([0xeb, 0x58, 0x90], 0);
  b.set(enc.encode('A64STUDI'), 3);
  dv.setUint16(11, FAT_SECTOR, true);
  b[13] = g.spc;
  dv.setUint16(14, RESERVED, true);
  b[16] = NUM_FATS;
  b[21] = 0xf8;
  dv.setUint16(24, 63, true);
  dv.setUint16(26, 255, true);
  dv.setUint32(28, o.hiddenSectors ?? 0, true);
  dv.setUint32(32, o.sectors, true);
  dv.setUint32(36, g.fatSz, true);
  dv.setUint32(44, 2, true);
  dv.setUint16(48, 1, true);
  dv.setUint16(50, 6, true);
  b[64] = 0x80;
  b[66] = 0x29;
  // A volume ID derived from the label and size keeps images reproducible.
  let id = 0x811c9dc5;
  for (const ch of `${label}/${o.sectors}`) id = Math.imul(id ^ ch.charCodeAt(0), 0x01000193);
  dv.setUint32(67, id >>> 0, true);
  b.set(enc.encode(label.padEnd(11, ' ')), 71);
  b.set(enc.encode('FAT32   '), 82);
  b[510] = 0x55;
  b[511] = 0xaa;
}

function writeFsInfo(s: Uint8Array, free: number, nextFree: number): void {
  const dv = new DataView(s.buffer, s.byteOffset, FAT_SECTOR);
  dv.setUint32(0, 0x41615252, true);
  dv.setUint32(484, 0x61417272, true);
  dv.setUint32(488, free, true);
  dv.setUint32(492, nextFree, true);
  dv.setUint32(508, 0xaa550000, true);
}

export { clusterBytes };
