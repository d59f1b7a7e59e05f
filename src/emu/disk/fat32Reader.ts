// Reading a FAT32 file system (a disk image's ESP): the boot sector's BPB, cluster chains, directories with
// VFAT long names. Used by the image inspector and by the built-in UEFI firmware's SimpleFileSystem. Bad
// images give errors that say what is wrong and where (a loop in a cluster chain, a cluster out of range,
// a BPB value no FAT32 can have); nothing here throws anything but Fat32Error.
import { LFN_OFFSETS, shortNameChecksum } from './fatNames';

export class Fat32Error extends Error {}

export interface FatEntry {
  /** The long name when present, else the short name as 8.3 text. */
  readonly name: string;
  readonly shortName: string;
  readonly dir: boolean;
  readonly size: number;
  readonly cluster: number;
}

export interface Fat32Info {
  readonly bytesPerSector: number;
  readonly sectorsPerCluster: number;
  readonly reservedSectors: number;
  readonly fats: number;
  readonly fatSectors: number;
  readonly totalSectors: number;
  readonly rootCluster: number;
  readonly clusters: number;
  readonly label: string;
  readonly volumeId: number;
}

export class Fat32Reader {
  readonly info: Fat32Info;
  private readonly dv: DataView;
  private readonly dataStart: number;

  /** `where` names the image in errors ("disk.img partition 1"). */
  constructor(private readonly bytes: Uint8Array, private readonly where = 'FAT32 volume') {
    if (bytes.length < 512) throw this.err(`${bytes.length} bytes is too small for a boot sector`);
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const dv = this.dv;
    const bps = dv.getUint16(11, true);
    const spc = bytes[13];
    const rsvd = dv.getUint16(14, true);
    const fats = bytes[16];
    const fatSz = dv.getUint32(36, true);
    const tot = dv.getUint16(19, true) || dv.getUint32(32, true);
    if (bytes[510] !== 0x55 || bytes[511] !== 0xaa) throw this.err('the boot sector has no 0x55AA signature');
    if (![512, 1024, 2048, 4096].includes(bps)) throw this.err(`bytes per sector ${bps} is not 512, 1024, 2048 or 4096`);
    if (!spc || spc & (spc - 1)) throw this.err(`sectors per cluster ${spc} is not a power of two`);
    if (!rsvd || !fats) throw this.err(`reserved sectors ${rsvd} / FAT count ${fats} must not be 0`);
    if (dv.getUint16(17, true) !== 0 || !fatSz) throw this.err('not FAT32 (root entry count set or FAT size 32 is 0): FAT12/16 volumes are not supported');
    this.dataStart = (rsvd + fats * fatSz) * bps;
    const clusters = Math.floor((tot - rsvd - fats * fatSz) / spc);
    if (clusters < 1 || this.dataStart > bytes.length) throw this.err(`the BPB describes ${tot} sectors but the volume has ${Math.floor(bytes.length / bps)}`);
    const label = new TextDecoder().decode(bytes.subarray(71, 82)).trimEnd();
    this.info = {
      bytesPerSector: bps, sectorsPerCluster: spc, reservedSectors: rsvd, fats, fatSectors: fatSz, totalSectors: tot,
      rootCluster: dv.getUint32(44, true), clusters, label, volumeId: dv.getUint32(67, true),
    };
  }

  private err(m: string): Fat32Error {
    return new Fat32Error(`${this.where}: ${m}`);
  }

  private get clusterBytes(): number {
    return this.info.bytesPerSector * this.info.sectorsPerCluster;
  }

  /** The clusters of a chain, checked for range and loops. */
  chain(first: number): number[] {
    const out: number[] = [];
    const fatOff = this.info.reservedSectors * this.info.bytesPerSector;
    const seen = new Set<number>();
    for (let c = first; c < 0x0ffffff8; ) {
      if (c < 2 || c >= this.info.clusters + 2) throw this.err(`cluster chain from ${first} reaches cluster ${c}, outside 2..${this.info.clusters + 1}`);
      if (seen.has(c)) throw this.err(`cluster chain from ${first} loops at cluster ${c}`);
      seen.add(c);
      out.push(c);
      c = this.dv.getUint32(fatOff + 4 * c, true) & 0x0fffffff;
    }
    return out;
  }

  private readChain(first: number, size?: number): Uint8Array {
    const cb = this.clusterBytes;
    const clusters = this.chain(first);
    if (size !== undefined && clusters.length * cb < size) throw this.err(`a file of ${size} bytes has only ${clusters.length} clusters (${clusters.length * cb} bytes)`);
    const out = new Uint8Array(size ?? clusters.length * cb);
    clusters.forEach((c, i) => {
      const off = this.dataStart + (c - 2) * cb;
      const n = Math.min(cb, out.length - i * cb);
      if (n > 0) {
        if (off + n > this.bytes.length) throw this.err(`cluster ${c} lies past the end of the volume`);
        out.set(this.bytes.subarray(off, off + n), i * cb);
      }
    });
    return out;
  }

  /** Entries of the directory at `cluster` (the root by default), without '.', '..' and the volume label. */
  list(cluster = this.info.rootCluster): FatEntry[] {
    const data = this.readChain(cluster);
    const out: FatEntry[] = [];
    let lfn: { sum: number; parts: string[] } | undefined;
    for (let off = 0; off + 32 <= data.length; off += 32) {
      const e = data.subarray(off, off + 32);
      if (e[0] === 0) break;
      if (e[0] === 0xe5) {
        lfn = undefined;
        continue;
      }
      const attr = e[11];
      if (attr === 0x0f) {
        const ord = e[0] & 0x1f;
        if (e[0] & 0x40) lfn = { sum: e[13], parts: [] };
        if (!lfn || lfn.sum !== e[13]) {
          lfn = undefined;
          continue;
        }
        let s = '';
        for (const o of LFN_OFFSETS) {
          const ch = e[o] | (e[o + 1] << 8);
          if (ch === 0 || ch === 0xffff) break;
          s += String.fromCharCode(ch);
        }
        lfn.parts[ord - 1] = s;
        continue;
      }
      const short = new TextDecoder('latin1').decode(e.subarray(0, 11));
      const long = lfn && lfn.sum === shortNameChecksum(e.subarray(0, 11)) ? lfn.parts.join('') : undefined;
      lfn = undefined;
      if (attr & 0x08 || short === '.          ' || short === '..         ') continue;
      const base = short.slice(0, 8).trimEnd();
      const ext = short.slice(8).trimEnd();
      const dv = new DataView(e.buffer, e.byteOffset, 32);
      out.push({
        name: long ?? (ext ? `${base}.${ext}` : base), shortName: short, dir: (attr & 0x10) !== 0,
        size: dv.getUint32(28, true), cluster: (dv.getUint16(20, true) << 16) | dv.getUint16(26, true),
      });
    }
    return out;
  }

  /** The entry at a '/'-separated path, matched case-insensitively as UEFI and FAT do; undefined when absent. */
  lookup(path: string): FatEntry | undefined {
    const parts = path.split(/[/\\]+/).filter(Boolean);
    let dir = this.info.rootCluster;
    let found: FatEntry | undefined;
    for (const [i, p] of parts.entries()) {
      found = this.list(dir).find((x) => x.name.toUpperCase() === p.toUpperCase() || x.shortName.replace(/ +/, '.').replace(/[ .]+$/, '') === p.toUpperCase());
      if (!found) return undefined;
      if (i < parts.length - 1) {
        if (!found.dir) return undefined;
        dir = found.cluster;
      }
    }
    return found ?? { name: '/', shortName: '', dir: true, size: 0, cluster: this.info.rootCluster };
  }

  /** A file's contents by path; a Fat32Error when it is missing or a directory. */
  readFile(path: string): Uint8Array {
    const e = this.lookup(path);
    if (!e) throw this.err(`no file ${path}`);
    if (e.dir) throw this.err(`${path} is a directory`);
    return e.size ? this.readChain(e.cluster, e.size) : new Uint8Array(0);
  }

  /** Every file and directory, depth first, with '/'-separated paths. */
  walk(cluster = this.info.rootCluster, prefix = ''): { path: string; entry: FatEntry }[] {
    return this.list(cluster).flatMap((e) => {
      const path = `${prefix}/${e.name}`;
      return [{ path, entry: e }, ...(e.dir ? this.walk(e.cluster, path) : [])];
    });
  }
}
