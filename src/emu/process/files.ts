// Files for the Linux process mode: a host directory mapped read-only as the program's file system, and
// the descriptor table. The host side comes in through HostFs (the CLI passes node:fs; tests can pass a
// map), so src/emu stays free of the file system. The mapped directory is the guest's "/" and its working
// directory: a relative path "data/x.txt" and "/data/x.txt" name the same host file; ".." stops at the root
// and symbolic links are followed inside it only (a link that leaves the root resolves as if the root were
// "/", as in a chroot). Everything is read-only: opening for writing answers EROFS.
//
// Stat results pass the host's values through (inode, mode, size, times), as qemu-user does, so a program
// prints the same under both; directory listings add "." and ".." as Linux does.

export interface HostStat {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  /** st_mode as the host has it (type bits included). */
  mode: number;
  size: number;
  ino: bigint;
  dev: bigint;
  nlink: number;
  uid: number;
  gid: number;
  blocks: bigint;
  blksize: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

export interface HostFs {
  /** lstat of a host path (no link following); undefined when it does not exist. */
  lstat(hostPath: string): HostStat | undefined;
  readFile(hostPath: string): Uint8Array;
  /** Names in a directory (without "." and ".."). */
  readdir(hostPath: string): string[];
  readlink(hostPath: string): string | undefined;
}

export const ENOENT = 2;
export const EBADF = 9;
export const EACCES = 13;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EMFILE = 24;
export const ENOTTY = 25;
export const EROFS = 30;
export const ELOOP = 40;
export const ENAMETOOLONG = 36;

/** open(2) flags on arm64 (arch/arm64 keeps arm's values for these). */
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_TRUNC = 0o1000;
export const O_DIRECTORY = 0o40000;
export const O_NOFOLLOW = 0o100000;
export const O_CLOEXEC = 0o2000000;

export interface OpenFile {
  /** Guest path components from the root. */
  path: string[];
  hostPath: string;
  stat: HostStat;
  flags: number;
  pos: number;
  data?: Uint8Array;
  /** Directory entries (with "." and "..") for getdents64, read at the first call. */
  entries?: { name: string; stat: HostStat }[];
}

/** A descriptor: dup'ed descriptors share one OpenFile (offset and flags), FD_CLOEXEC is per descriptor. */
export type Fd = { kind: 'stdio'; n: 0 | 1 | 2; cloexec?: boolean } | { kind: 'file'; f: OpenFile; cloexec: boolean };

export class FileTable {
  private readonly fds = new Map<number, Fd>();
  /** The working directory, as components from the root. */
  cwd: string[] = [];

  constructor(readonly fs: HostFs | undefined, readonly root: string) {
    for (const n of [0, 1, 2] as const) this.fds.set(n, { kind: 'stdio', n });
  }

  get(fd: number): Fd | undefined {
    return this.fds.get(fd);
  }

  file(fd: number): OpenFile | undefined {
    const e = this.fds.get(fd);
    return e?.kind === 'file' ? e.f : undefined;
  }

  /** The lowest free descriptor at or above `min`. */
  install(e: Fd, min = 0): number {
    let fd = min;
    while (this.fds.has(fd)) fd++;
    if (fd >= 1024) return -EMFILE;
    this.fds.set(fd, e);
    return fd;
  }

  set(fd: number, e: Fd): void {
    this.fds.set(fd, e);
  }

  close(fd: number): boolean {
    return this.fds.delete(fd);
  }

  hostPathOf(parts: string[]): string {
    return parts.length ? `${this.root}/${parts.join('/')}` : this.root;
  }

  /**
   * Resolves a guest path against a base directory (components); follows symbolic links inside the root
   * (the last component only when `follow`). Returns the components and the host stat, or -errno.
   */
  resolve(base: string[], path: string, follow: boolean): { parts: string[]; stat: HostStat } | number {
    if (!this.fs) return -ENOENT;
    if (path.length > 4095) return -ENAMETOOLONG;
    let todo = path.split('/').filter((x) => x && x !== '.');
    let parts = path.startsWith('/') ? [] : [...base];
    let links = 0;
    let stat = this.fs.lstat(this.hostPathOf(parts));
    while (todo.length) {
      const name = todo.shift()!;
      if (name === '..') {
        parts.pop();
        stat = this.fs.lstat(this.hostPathOf(parts));
        continue;
      }
      if (stat?.kind !== 'dir') return stat ? -ENOTDIR : -ENOENT;
      if (name.length > 255) return -ENAMETOOLONG;
      const next = [...parts, name];
      const st = this.fs.lstat(this.hostPathOf(next));
      if (!st) return -ENOENT;
      if (st.kind === 'symlink' && (todo.length || follow)) {
        if (++links > 40) return -ELOOP;
        const target = this.fs.readlink(this.hostPathOf(next)) ?? '';
        todo = [...target.split('/').filter((x) => x && x !== '.'), ...todo];
        if (target.startsWith('/')) parts = [];
        stat = this.fs.lstat(this.hostPathOf(parts));
        continue;
      }
      parts = next;
      stat = st;
    }
    return stat ? { parts, stat } : -ENOENT;
  }

  /** Contents of an open regular file (read once, on first use). */
  contents(f: OpenFile): Uint8Array {
    f.data ??= this.fs!.readFile(f.hostPath);
    return f.data;
  }

  /** Directory entries of an open directory, "." and ".." first, then the host's names in sorted order. */
  entries(f: OpenFile): { name: string; stat: HostStat }[] {
    if (!f.entries) {
      const parent = this.fs!.lstat(this.hostPathOf(f.path.slice(0, -1))) ?? f.stat;
      const list = [{ name: '.', stat: f.stat }, { name: '..', stat: f.path.length ? parent : f.stat }];
      for (const name of this.fs!.readdir(f.hostPath).sort()) {
        const st = this.fs!.lstat(`${f.hostPath}/${name}`);
        if (st) list.push({ name, stat: st });
      }
      f.entries = list;
    }
    return f.entries;
  }
}

const S_IFMT = 0o170000;

/** struct stat of the generic arm64 layout (128 bytes). */
export function encodeStat(s: HostStat): Uint8Array {
  const b = new Uint8Array(128);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, s.dev, true);
  dv.setBigUint64(8, s.ino, true);
  dv.setUint32(16, s.mode, true);
  dv.setUint32(20, s.nlink, true);
  dv.setUint32(24, s.uid, true);
  dv.setUint32(28, s.gid, true);
  dv.setBigInt64(48, BigInt(s.size), true);
  dv.setInt32(56, s.blksize, true);
  dv.setBigInt64(64, s.blocks, true);
  const t = (off: number, ns: bigint) => {
    dv.setBigInt64(off, ns / 1_000_000_000n, true);
    dv.setBigUint64(off + 8, ns % 1_000_000_000n, true);
  };
  t(72, s.atimeNs);
  t(88, s.mtimeNs);
  t(104, s.ctimeNs);
  return b;
}

/** struct statx (256 bytes) with STATX_BASIC_STATS. */
export function encodeStatx(s: HostStat): Uint8Array {
  const b = new Uint8Array(256);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x7ff, true); // STATX_BASIC_STATS
  dv.setUint32(4, s.blksize, true);
  dv.setUint32(16, s.nlink, true);
  dv.setUint32(20, s.uid, true);
  dv.setUint32(24, s.gid, true);
  dv.setUint16(28, s.mode, true);
  dv.setBigUint64(32, s.ino, true);
  dv.setBigUint64(40, BigInt(s.size), true);
  dv.setBigUint64(48, s.blocks, true);
  const t = (off: number, ns: bigint) => {
    dv.setBigInt64(off, ns / 1_000_000_000n, true);
    dv.setUint32(off + 8, Number(ns % 1_000_000_000n), true);
  };
  t(64, s.atimeNs);
  t(96, s.ctimeNs);
  t(112, s.mtimeNs);
  // device numbers: Linux's new_encode_dev split (major = bits 8..19, minor = low 8 bits and 20..31)
  const dev = Number(s.dev & 0xffffffffn);
  dv.setUint32(136, (dev >>> 8) & 0xfff, true);
  dv.setUint32(140, (dev & 0xff) | ((dev >>> 12) & 0xfff00), true);
  return b;
}

/** d_type for a stat. */
export function direntType(s: HostStat): number {
  switch (s.mode & S_IFMT) {
    case 0o040000:
      return 4; // DT_DIR
    case 0o100000:
      return 8; // DT_REG
    case 0o120000:
      return 10; // DT_LNK
    case 0o020000:
      return 2; // DT_CHR
    default:
      return 0; // DT_UNKNOWN
  }
}
