// The boot disk as the firmware presents it: EFI_BLOCK_IO_PROTOCOL on the whole disk and on the EFI
// System Partition, and EFI_SIMPLE_FILE_SYSTEM_PROTOCOL / EFI_FILE_PROTOCOL over the ESP's FAT32
// (read-only: Write, Delete and SetInfo answer EFI_WRITE_PROTECTED), with EFI_FILE_INFO and
// EFI_FILE_SYSTEM_INFO. Paths use '\' (and '/' is accepted), '.' and '..', relative to the directory the
// Open is called on; names match case-insensitively as FAT does.
import type { Fat32Reader, FatEntry } from '../../disk/fat32Reader';
import type { GptPartition } from '../../disk/gpt';
import type { UefiFirmware } from './firmware';
import { GUID } from './guids';
import { EFI } from './status';
import { concatPath, hardDriveNode, vendorNode } from './devicePath';
import { efiTime } from './runtimeServices';

const FILE_MODE_WRITE = 2n;
const ATTR_DIRECTORY = 0x10n;
/** Our boot disk controller's vendor GUID (a name for the device path; derived, not registered). */
const DISK_VENDOR = 'A64D15C0-0000-4000-8000-A64571D10000';

interface OpenFile {
  path: string[];
  entry: FatEntry;
  pos: number;
  /** Directory listing cursor. */
  listing?: FatEntry[];
  /** File contents, read on the first Read. */
  data?: Uint8Array;
}

export interface BootVolume {
  readonly diskHandle: number;
  readonly espHandle: number;
  readonly espDevicePath: Uint8Array;
}

export function buildBootVolume(fw: UefiFirmware, disk: Uint8Array, esp: GptPartition, espIndex: number, fat: Fat32Reader): BootVolume {
  const files = new Map<number, OpenFile>();
  const epochSeconds = Date.UTC(2026, 0, 1) / 1000;

  // ---- BlockIO: whole disk and ESP ----
  const blockIo = (first: number, sectors: number, logical: boolean, name: string): number => {
    const media = fw.alloc(64);
    fw.mem.w32(media, 1);
    fw.mem.w8(media + 5, 1); // MediaPresent
    fw.mem.w8(media + 6, logical ? 1 : 0);
    fw.mem.w8(media + 7, 1); // ReadOnly
    fw.mem.w32(media + 12, 512);
    fw.mem.w32(media + 16, 8);
    fw.mem.w64(media + 24, sectors - 1);
    const p = fw.alloc(48);
    fw.mem.w64(p, 0x00020001);
    fw.mem.w64(p + 8, media);
    fw.mem.w64(p + 16, fw.stub(`${name}->Reset`, () => EFI.SUCCESS));
    fw.mem.w64(p + 24, fw.stub(`${name}->ReadBlocks`, (f) => {
      const lba = Number(f.arg(2));
      const size = f.argN(3);
      if (size % 512) return EFI.BAD_BUFFER_SIZE;
      if (lba + size / 512 > sectors) return EFI.INVALID_PARAMETER;
      const from = (first + lba) * 512;
      f.mem.put(f.argN(4), disk.subarray(from, from + size));
      return EFI.SUCCESS;
    }));
    fw.mem.w64(p + 32, fw.stub(`${name}->WriteBlocks`, () => EFI.WRITE_PROTECTED));
    fw.mem.w64(p + 40, fw.stub(`${name}->FlushBlocks`, () => EFI.SUCCESS));
    return p;
  };

  const diskHandle = fw.newHandle();
  const diskPath = concatPath(vendorNode(DISK_VENDOR));
  const espPath = concatPath(vendorNode(DISK_VENDOR), hardDriveNode(espIndex, esp.firstLba, esp.lastLba - esp.firstLba + 1, esp.guid));
  const putPath = (p: Uint8Array) => {
    const a = fw.alloc(p.length);
    fw.mem.put(a, p);
    return a;
  };
  fw.install(diskHandle, GUID.BLOCK_IO, blockIo(0, disk.length / 512, false, 'DiskBlockIo'));
  fw.install(diskHandle, GUID.DEVICE_PATH, putPath(diskPath));
  const espHandle = fw.newHandle();
  fw.install(espHandle, GUID.BLOCK_IO, blockIo(esp.firstLba, esp.lastLba - esp.firstLba + 1, true, 'EspBlockIo'));
  fw.install(espHandle, GUID.DEVICE_PATH, putPath(espPath));

  // ---- files ----
  const resolve = (base: string[], name: string): { path: string[]; entry: FatEntry } | undefined => {
    const parts = name.startsWith('\\') || name.startsWith('/') ? [] : [...base];
    for (const p of name.split(/[\\/]+/).filter((x) => x && x !== '.')) {
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    if (!parts.length) return { path: [], entry: { name: '\\', shortName: '', dir: true, size: 0, cluster: fat.info.rootCluster } };
    const e = fat.lookup(parts.join('/'));
    return e ? { path: parts, entry: e } : undefined;
  };
  const fileInfo = (e: FatEntry, name: string): Uint8Array => {
    const size = 80 + 2 * name.length + 2;
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, BigInt(size), true);
    dv.setBigUint64(8, BigInt(e.size), true);
    dv.setBigUint64(16, BigInt(Math.ceil(e.size / 512) * 512), true);
    const t = efiTime(epochSeconds);
    b.set(t, 24);
    b.set(t, 40);
    b.set(t, 56);
    dv.setBigUint64(72, e.dir ? ATTR_DIRECTORY : 0x20n, true);
    for (let i = 0; i < name.length; i++) dv.setUint16(80 + 2 * i, name.charCodeAt(i), true);
    return b;
  };
  const fileProto = fw.alloc(8 * 11);
  const openFile = (of: OpenFile): number => {
    // Each open file is its own EFI_FILE_PROTOCOL copy, so `This` identifies it.
    const p = fw.alloc(8 * 11);
    fw.mem.put(p, fw.mem.bytes(fileProto, 8 * 11));
    files.set(p, of);
    return p;
  };
  const self = (f: UefiFirmware) => files.get(f.argN(0));
  const fns: [string, (f: UefiFirmware) => bigint][] = [
    ['Open', (f) => {
      const me = self(f);
      if (!me || !f.argN(1)) return EFI.INVALID_PARAMETER;
      if (f.arg(3) & FILE_MODE_WRITE) return EFI.WRITE_PROTECTED;
      const r = resolve(me.path, f.mem.str16(f.argN(2)));
      if (!r) return EFI.NOT_FOUND;
      f.mem.w64(f.argN(1), openFile({ ...r, pos: 0 }));
      return EFI.SUCCESS;
    }],
    ['Close', (f) => (files.delete(f.argN(0)) ? EFI.SUCCESS : EFI.INVALID_PARAMETER)],
    ['Delete', (f) => {
      files.delete(f.argN(0));
      return EFI.WARN_DELETE_FAILURE;
    }],
    ['Read', (f) => {
      const me = self(f);
      if (!me) return EFI.INVALID_PARAMETER;
      const sizeP = f.argN(1);
      const have = Number(f.mem.u64(sizeP));
      if (me.entry.dir) {
        me.listing ??= me.path.length ? fat.list(me.entry.cluster) : fat.list();
        const e = me.listing[me.pos];
        if (!e) {
          f.mem.w64(sizeP, 0);
          return EFI.SUCCESS;
        }
        const info = fileInfo(e, e.name);
        f.mem.w64(sizeP, info.length);
        if (have < info.length) return EFI.BUFFER_TOO_SMALL;
        f.mem.put(f.argN(2), info);
        me.pos++;
        return EFI.SUCCESS;
      }
      const data = (me.data ??= fat.readFile(me.path.join('/')));
      const n = Math.max(0, Math.min(have, data.length - me.pos));
      if (n) f.mem.put(f.argN(2), data.subarray(me.pos, me.pos + n));
      me.pos += n;
      f.mem.w64(sizeP, n);
      return EFI.SUCCESS;
    }],
    ['Write', () => EFI.WRITE_PROTECTED],
    ['GetPosition', (f) => {
      const me = self(f);
      if (!me) return EFI.INVALID_PARAMETER;
      if (me.entry.dir) return EFI.UNSUPPORTED;
      f.mem.w64(f.argN(1), me.pos);
      return EFI.SUCCESS;
    }],
    ['SetPosition', (f) => {
      const me = self(f);
      if (!me) return EFI.INVALID_PARAMETER;
      const p = f.arg(1);
      if (me.entry.dir) {
        if (p !== 0n) return EFI.UNSUPPORTED;
        me.pos = 0;
        me.listing = undefined;
      } else me.pos = p === 0xffffffffffffffffn ? me.entry.size : Number(p);
      return EFI.SUCCESS;
    }],
    ['GetInfo', (f) => {
      const me = self(f);
      if (!me) return EFI.INVALID_PARAMETER;
      const type = f.mem.guid(f.argN(1));
      let info: Uint8Array;
      if (type === GUID.FILE_INFO) info = fileInfo(me.entry, me.path.length ? me.entry.name : '');
      else if (type === GUID.FILE_SYSTEM_INFO) {
        const label = fat.info.label;
        info = new Uint8Array(36 + 2 * label.length + 2);
        const dv = new DataView(info.buffer);
        dv.setBigUint64(0, BigInt(info.length), true);
        info[8] = 1;
        dv.setBigUint64(16, BigInt(fat.info.totalSectors * fat.info.bytesPerSector), true);
        dv.setUint32(32, fat.info.bytesPerSector * fat.info.sectorsPerCluster, true);
        for (let i = 0; i < label.length; i++) dv.setUint16(36 + 2 * i, label.charCodeAt(i), true);
      } else {
        f.host.report(`UEFI: File->GetInfo for information type ${f.guidName(type)} is not implemented`);
        return EFI.UNSUPPORTED;
      }
      const have = Number(f.mem.u64(f.argN(2)));
      f.mem.w64(f.argN(2), info.length);
      if (have < info.length) return EFI.BUFFER_TOO_SMALL;
      f.mem.put(f.argN(3), info);
      return EFI.SUCCESS;
    }],
    ['SetInfo', () => EFI.WRITE_PROTECTED],
    ['Flush', () => EFI.SUCCESS],
  ];
  fw.mem.w64(fileProto, 0x00010000);
  fns.forEach(([name, fn], i) => fw.mem.w64(fileProto + 8 + 8 * i, fw.stub(`File->${name}`, fn)));

  const sfs = fw.alloc(16);
  fw.mem.w64(sfs, 0x00010000);
  fw.mem.w64(sfs + 8, fw.stub('SimpleFileSystem->OpenVolume', (f) => {
    f.mem.w64(f.argN(1), openFile({ path: [], entry: { name: '\\', shortName: '', dir: true, size: 0, cluster: fat.info.rootCluster }, pos: 0 }));
    return EFI.SUCCESS;
  }));
  fw.install(espHandle, GUID.SIMPLE_FILE_SYSTEM, sfs);
  return { diskHandle, espHandle, espDevicePath: espPath };
}
