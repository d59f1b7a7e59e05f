// The file system calls of the process mode over files.ts: openat, close, read/pread64/readv on files,
// lseek, fstat/newfstatat/statx, getdents64, readlinkat, faccessat(2), getcwd, chdir/fchdir, dup/dup3,
// fcntl, ioctl (TCGETS/TIOCGWINSZ answered as a terminal only for the standard descriptors the caller says
// are terminals), and mmap of a file (a private copy). Every path a program can name stays inside the
// mapped directory; writes answer EROFS.
import type { Kernel, Handler } from './syscalls';
import {
  EBADF, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTTY, EROFS, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_TRUNC,
  direntType, encodeStat, encodeStatx, type HostStat, type OpenFile,
} from './files';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const EFAULT = 14;
const ESPIPE = 29;

const n = (v: bigint): number => Number(v);
const i32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

/** The stat a standard descriptor shows: a character device (a pipe would be 0o010600; we say tty or not). */
function stdioStat(k: Kernel, fd: number): HostStat {
  return {
    kind: 'other', mode: 0o020620, size: 0, ino: BigInt(3 + fd), dev: 0x16n, nlink: 1, uid: k.uid, gid: k.gid,
    blocks: 0n, blksize: 1024, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n,
  };
}

/** Base directory for *at() calls: the cwd, or an open directory. */
function baseOf(k: Kernel, dirfd: number, path: string): string[] | number {
  if (path.startsWith('/') || dirfd === AT_FDCWD) return k.files.cwd;
  const f = k.files.file(dirfd);
  if (!f) return k.files.get(dirfd) ? -ENOTDIR : -EBADF;
  return f.stat.kind === 'dir' ? f.path : -ENOTDIR;
}

function openat(k: Kernel, a: bigint[]): number {
  const path = k.mem.readCString(n(a[1]));
  if (path === null) return -EFAULT;
  if (path === '') return -ENOENT;
  const flags = i32(a[2]);
  const base = baseOf(k, i32(a[0]), path);
  if (typeof base === 'number') return base;
  const r = k.files.resolve(base, path, !(flags & O_NOFOLLOW));
  if (typeof r === 'number') return r === -ENOENT && flags & O_CREAT ? -EROFS : r;
  if ((flags & O_ACCMODE) !== 0 || flags & (O_TRUNC | O_CREAT)) return r.stat.kind === 'dir' && (flags & O_ACCMODE) !== 0 ? -EISDIR : -EROFS;
  if (flags & O_DIRECTORY && r.stat.kind !== 'dir') return -ENOTDIR;
  if (r.stat.kind === 'symlink') return -40; // ELOOP: O_NOFOLLOW on a link
  const f: OpenFile = { path: r.parts, hostPath: k.files.hostPathOf(r.parts), stat: r.stat, flags: flags & ~O_CLOEXEC, pos: 0 };
  return k.files.install({ kind: 'file', f, cloexec: (flags & O_CLOEXEC) !== 0 });
}

function statOf(k: Kernel, dirfd: number, path: string, flags: number): HostStat | number {
  if (path === '' && flags & AT_EMPTY_PATH) {
    const e = k.files.get(dirfd === AT_FDCWD ? -1 : dirfd);
    if (dirfd === AT_FDCWD) {
      const r = k.files.resolve([], '/' + k.files.cwd.join('/'), true);
      return typeof r === 'number' ? r : r.stat;
    }
    if (!e) return -EBADF;
    return e.kind === 'stdio' ? stdioStat(k, e.n) : e.f.stat;
  }
  if (path === '') return -ENOENT;
  const base = baseOf(k, dirfd, path);
  if (typeof base === 'number') return base;
  const r = k.files.resolve(base, path, !(flags & AT_SYMLINK_NOFOLLOW));
  return typeof r === 'number' ? r : r.stat;
}

/** Reads from an open file at `pos` into guest memory; returns the byte count or -errno. */
function readFile(k: Kernel, f: OpenFile, addr: bigint, len: bigint, pos: number): number {
  if (f.stat.kind === 'dir') return -EISDIR;
  const data = k.files.contents(f);
  const count = Math.max(0, Math.min(n(len), data.length - pos));
  if (!k.mem.isRam(n(addr), Math.max(1, count))) return -EFAULT;
  if (count) k.mem.write(n(addr), data.subarray(pos, pos + count));
  return count;
}

function getdents64(k: Kernel, a: bigint[]): number {
  const f = k.files.file(i32(a[0]));
  if (!f) return k.files.get(i32(a[0])) ? -ENOTDIR : -EBADF;
  if (f.stat.kind !== 'dir') return -ENOTDIR;
  const list = k.files.entries(f);
  const cap = n(a[2]);
  const out: number[] = [];
  const enc = new TextEncoder();
  while (f.pos < list.length) {
    const e = list[f.pos];
    const name = enc.encode(e.name);
    const reclen = (19 + name.length + 1 + 7) & ~7;
    if (out.length + reclen > cap) break;
    const rec = new Uint8Array(reclen);
    const dv = new DataView(rec.buffer);
    dv.setBigUint64(0, e.stat.ino, true);
    dv.setBigInt64(8, BigInt(f.pos + 1), true);
    dv.setUint16(16, reclen, true);
    rec[18] = direntType(e.stat);
    rec.set(name, 19);
    out.push(...rec);
    f.pos++;
  }
  if (!out.length && f.pos < list.length) return -EINVAL; // buffer too small for one entry
  return k.mem.write(n(a[1]), Uint8Array.from(out)) || !out.length ? out.length : -EFAULT;
}

function lseek(k: Kernel, a: bigint[]): number {
  const e = k.files.get(i32(a[0]));
  if (!e) return -EBADF;
  if (e.kind === 'stdio') return -ESPIPE;
  const f = e.f;
  const off = Number(BigInt.asIntN(64, a[1]));
  const whence = i32(a[2]);
  const size = f.stat.kind === 'dir' ? k.files.entries(f).length : f.stat.size;
  const to = whence === 0 ? off : whence === 1 ? f.pos + off : whence === 2 ? size + off : NaN;
  if (!(to >= 0)) return -EINVAL;
  f.pos = to;
  return to;
}

function ioctl(k: Kernel, a: bigint[]): number {
  const fd = i32(a[0]);
  const e = k.files.get(fd);
  if (!e) return -EBADF;
  if (e.kind !== 'stdio' || !k.tty[e.n]) return -ENOTTY;
  const req = n(a[1]) >>> 0;
  if (req === 0x5401) { // TCGETS: a cooked terminal at 38400 baud
    const t = new Uint8Array(60);
    const dv = new DataView(t.buffer);
    dv.setUint32(0, 0x500, true); // c_iflag: ICRNL | IXON
    dv.setUint32(4, 0x5, true); // c_oflag: OPOST | ONLCR
    dv.setUint32(8, 0xbf, true); // c_cflag: B38400 | CS8 | CREAD
    dv.setUint32(12, 0x8a3b, true); // c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
    return k.mem.write(n(a[2]), t) ? 0 : -EFAULT;
  }
  if (req === 0x5413) { // TIOCGWINSZ: 24 x 80
    const w = new Uint8Array(8);
    new DataView(w.buffer).setUint16(0, 24, true);
    new DataView(w.buffer).setUint16(2, 80, true);
    return k.mem.write(n(a[2]), w) ? 0 : -EFAULT;
  }
  return -ENOTTY;
}

function dup(k: Kernel, fd: number, min = 0, to?: number, cloexec = false): number {
  const e = k.files.get(fd);
  if (!e) return -EBADF;
  const copy = { ...e, cloexec };
  if (to !== undefined) {
    k.files.set(to, copy);
    return to;
  }
  return k.files.install(copy, min);
}

export const FILE_SYSCALLS: [number, Handler][] = [
  [17, (k, a) => { // getcwd
    const cwd = `/${k.files.cwd.join('/')}`;
    const b = new TextEncoder().encode(`${cwd}\0`);
    if (b.length > n(a[1])) return -34; // ERANGE
    return k.mem.write(n(a[0]), b) ? b.length : -EFAULT;
  }],
  [23, (k, a) => dup(k, i32(a[0]))], // dup
  [24, (k, a) => { // dup3
    if (i32(a[0]) === i32(a[1])) return -EINVAL;
    return dup(k, i32(a[0]), 0, i32(a[1]), (i32(a[2]) & O_CLOEXEC) !== 0);
  }],
  [25, (k, a) => { // fcntl
    const fd = i32(a[0]);
    const e = k.files.get(fd);
    if (!e) return -EBADF;
    switch (i32(a[1])) {
      case 0: return dup(k, fd, i32(a[2])); // F_DUPFD
      case 1030: return dup(k, fd, i32(a[2]), undefined, true); // F_DUPFD_CLOEXEC
      case 1: return e.cloexec ? 1 : 0; // F_GETFD
      case 2: e.cloexec = (i32(a[2]) & 1) !== 0; return 0; // F_SETFD
      case 3: return e.kind === 'file' ? e.f.flags : e.n === 0 ? 0 : 1; // F_GETFL
      case 4: return 0; // F_SETFL: O_NONBLOCK/O_APPEND accepted and ignored
      default: return -EINVAL;
    }
  }],
  [29, (k, a) => ioctl(k, a)],
  [48, (k, a) => faccessat(k, a, 0)], // faccessat
  [439, (k, a) => faccessat(k, a, i32(a[3]))], // faccessat2
  [49, (k, a) => { // chdir
    const path = k.mem.readCString(n(a[0]));
    if (path === null) return -EFAULT;
    const r = k.files.resolve(k.files.cwd, path, true);
    if (typeof r === 'number') return r;
    if (r.stat.kind !== 'dir') return -ENOTDIR;
    k.files.cwd = r.parts;
    return 0;
  }],
  [50, (k, a) => { // fchdir
    const f = k.files.file(i32(a[0]));
    if (!f) return -EBADF;
    if (f.stat.kind !== 'dir') return -ENOTDIR;
    k.files.cwd = f.path;
    return 0;
  }],
  [56, (k, a) => openat(k, a)],
  [57, (k, a) => (k.files.close(i32(a[0])) ? 0 : -EBADF)], // close
  [61, (k, a) => getdents64(k, a)],
  [62, (k, a) => lseek(k, a)],
  [67, (k, a) => { // pread64
    const e = k.files.get(i32(a[0]));
    if (!e) return -EBADF;
    if (e.kind === 'stdio') return -ESPIPE;
    const pos = Number(BigInt.asIntN(64, a[3]));
    return pos < 0 ? -EINVAL : readFile(k, e.f, a[1], a[2], pos);
  }],
  [78, (k, a) => { // readlinkat
    const path = k.mem.readCString(n(a[1]));
    if (path === null) return -EFAULT;
    const base = baseOf(k, i32(a[0]), path);
    if (typeof base === 'number') return base;
    const r = k.files.resolve(base, path, false);
    if (typeof r === 'number') return r;
    if (r.stat.kind !== 'symlink') return -EINVAL;
    const target = new TextEncoder().encode(k.files.fs!.readlink(k.files.hostPathOf(r.parts)) ?? '');
    const count = Math.min(target.length, n(a[3]));
    return k.mem.write(n(a[2]), target.subarray(0, count)) ? count : -EFAULT;
  }],
  [79, (k, a) => { // newfstatat
    const path = k.mem.readCString(n(a[1]));
    if (path === null) return -EFAULT;
    const s = statOf(k, i32(a[0]), path, i32(a[3]));
    if (typeof s === 'number') return s;
    return k.mem.write(n(a[2]), encodeStat(s)) ? 0 : -EFAULT;
  }],
  [80, (k, a) => { // fstat
    const e = k.files.get(i32(a[0]));
    if (!e) return -EBADF;
    return k.mem.write(n(a[1]), encodeStat(e.kind === 'stdio' ? stdioStat(k, e.n) : e.f.stat)) ? 0 : -EFAULT;
  }],
  [291, (k, a) => { // statx
    const path = k.mem.readCString(n(a[1]));
    if (path === null) return -EFAULT;
    const s = statOf(k, i32(a[0]), path, i32(a[2]));
    if (typeof s === 'number') return s;
    return k.mem.write(n(a[4]), encodeStatx(s)) ? 0 : -EFAULT;
  }],
];

function faccessat(k: Kernel, a: bigint[], flags: number): number {
  const path = k.mem.readCString(n(a[1]));
  if (path === null) return -EFAULT;
  const s = statOf(k, i32(a[0]), path, flags);
  if (typeof s === 'number') return s;
  if (i32(a[2]) & 2) return -EROFS; // W_OK
  return 0;
}

/** read(2) on a descriptor that is an open file (the stdio cases stay in syscalls.ts). */
export function readOpenFile(k: Kernel, fd: number, addr: bigint, len: bigint): number | undefined {
  const f = k.files.file(fd);
  if (!f) return undefined;
  const r = readFile(k, f, addr, len, f.pos);
  if (r > 0) f.pos += r;
  return r;
}

/** mmap of an open file: a private copy of its bytes from `offset` into freshly mapped memory at `at`. */
export function mapFile(k: Kernel, fd: number, at: number, len: number, offset: number): number {
  const f = k.files.file(fd);
  if (!f) return -EBADF;
  if (f.stat.kind !== 'file') return -19; // ENODEV
  const data = k.files.contents(f);
  const part = data.subarray(Math.min(offset, data.length), Math.min(offset + len, data.length));
  return k.mem.write(at, part) ? at : -EFAULT;
}
