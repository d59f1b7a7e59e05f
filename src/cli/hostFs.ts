// The host directory the process mode maps read-only as a program's "/" (src/emu/process/files.ts), over
// node:fs: lstat with nanosecond times (bigint stats), whole-file reads, directory listings, link targets.
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { HostFs, HostStat } from '../emu';

export const nodeHostFs: HostFs = {
  lstat(p): HostStat | undefined {
    try {
      const s = lstatSync(p, { bigint: true });
      return {
        kind: s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other',
        mode: Number(s.mode), size: Number(s.size), ino: s.ino, dev: s.dev, nlink: Number(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
        blocks: s.blocks, blksize: Number(s.blksize), atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs,
      };
    } catch {
      return undefined;
    }
  },
  readFile: (p) => readFileSync(p),
  readdir: (p) => {
    try {
      return readdirSync(p);
    } catch {
      return [];
    }
  },
  readlink: (p) => {
    try {
      return readlinkSync(p);
    } catch {
      return undefined;
    }
  },
};
