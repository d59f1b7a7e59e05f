// The system calls the process mode implements, as a table from AArch64 syscall number (x8) to handler.
// A handler receives x0..x5 as unsigned 64-bit bigints and returns the value for x0: a result, or -errno.
// System calls are not on the hot path, so bigints are fine here. Numbers not in the table return -ENOSYS
// and are reported once by the process (see process.ts).
//
// The list is what static glibc and musl startup calls, plus the basics of the issue: see the table at the
// bottom. Choices made here, in place of a real kernel's:
//  - files: a host directory mapped read-only as "/" (files.ts, fileSyscalls.ts); fds 0, 1, 2 are character
//    devices, terminals only when the caller says so (ioctl TCGETS otherwise gives ENOTTY, so libc buffers
//    stdout fully, as when the output goes to a pipe).
//  - time is virtual: one retired instruction = 1 ns; CLOCK_REALTIME starts at REALTIME_EPOCH;
//    nanosleep advances the clocks instead of waiting.
//  - getrandom and AT_RANDOM come from a seeded generator, so every run is the same.
//  - one thread: FUTEX_WAKE wakes nobody, FUTEX_WAIT on a matching value would sleep forever and is
//    reported as a deadlock (-EAGAIN is returned); rseq is ENOSYS (glibc then does without).
//  - signals: rt_sigaction and rt_sigprocmask are accepted and recorded nowhere; kill/tgkill of ourselves
//    ends the process as the signal's default action would (exit status 128 + signal).
import type { GuestMemory } from './guestMemory';
import type { MmapArea } from './mmap';
import type { ProcessLayout } from './layout';
import { pageUp, PAGE } from './layout';
import type { FileTable } from './files';
import { FILE_SYSCALLS, mapFile, readOpenFile } from './fileSyscalls';

export const EPERM = 1;
export const ENOENT = 2;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ESPIPE = 29;
export const ENOSYS = 38;

/** CLOCK_REALTIME at instruction 0: 2024-01-01T00:00:00Z. */
export const REALTIME_EPOCH = 1_704_067_200n;

/** What handlers need from the process (implemented by LinuxProcess). */
export interface Kernel {
  readonly mem: GuestMemory;
  readonly layout: ProcessLayout;
  readonly mmap: MmapArea;
  brk: number;
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  /** Monotonic virtual time in ns. */
  nowNs(): bigint;
  /** Advances virtual time (nanosleep). */
  sleep(ns: bigint): void;
  /** Deterministic random bytes. */
  random(n: number): Uint8Array;
  /** Output on fd 1 or 2. */
  output(fd: 1 | 2, bytes: Uint8Array): void;
  /** Input on fd 0: up to max bytes, empty at end of file. */
  input(max: number): Uint8Array;
  /** Ends the process with an exit status. */
  exit(code: number): void;
  /** Ends the process by a signal's default action. */
  killed(signal: number): void;
  /** A problem to report once (deadlock, unsupported argument). */
  note(message: string): void;
  /** Open files and the mapped directory. */
  readonly files: FileTable;
  /** Whether fds 0, 1, 2 are terminals (ioctl TCGETS/TIOCGWINSZ answer only then). */
  readonly tty: readonly boolean[];
}

export type Handler = (k: Kernel, a: bigint[]) => bigint | number;

const n = (v: bigint): number => Number(v);
/** Little-endian 32-bit words. */
const u32s = (v: readonly number[]): Uint8Array => {
  const b = new Uint8Array(4 * v.length);
  v.forEach((x, i) => new DataView(b.buffer).setUint32(4 * i, x >>> 0, true));
  return b;
};
const i32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
// ---- files -------------------------------------------------------------------------------------------

function write(k: Kernel, fd: number, addr: bigint, len: bigint): number {
  const e = k.files.get(fd);
  if (!e || e.kind !== 'stdio' || e.n === 0) return -EBADF; // files are open read-only
  const data = k.mem.read(n(addr), n(len));
  if (!data) return -EFAULT;
  k.output(e.n, data);
  return data.length;
}

function read(k: Kernel, fd: number, addr: bigint, len: bigint): number {
  const fromFile = readOpenFile(k, fd, addr, len);
  if (fromFile !== undefined) return fromFile;
  const e = k.files.get(fd);
  if (!e || e.kind !== 'stdio' || e.n !== 0) return -EBADF;
  if (!k.mem.isRam(n(addr), n(len))) return -EFAULT;
  const got = k.input(Math.min(n(len), 1 << 20));
  k.mem.write(n(addr), got);
  return got.length;
}

/** Iterates an iovec array; returns [base, len] pairs or null on a bad pointer. */
function iovecs(k: Kernel, addr: bigint, count: bigint): [bigint, bigint][] | null {
  const c = n(count);
  if (c < 0 || c > 1024) return null;
  const out: [bigint, bigint][] = [];
  for (let i = 0; i < c; i++) {
    const base = k.mem.readU64(n(addr) + 16 * i);
    const len = k.mem.readU64(n(addr) + 16 * i + 8);
    if (base === null || len === null) return null;
    out.push([base, len]);
  }
  return out;
}

// ---- memory ------------------------------------------------------------------------------------------

function brk(k: Kernel, addr: bigint): number {
  const want = n(addr);
  const { brkStart, brkMax } = k.layout;
  if (want < brkStart || want > brkMax) return k.brk;
  if (want < k.brk) k.mem.zero(want, k.brk - want); // released memory is zero when it comes back
  k.brk = want;
  return k.brk;
}

const PROT_MASK = 0xf; // READ 1, WRITE 2, EXEC 4, SEM 8
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;

function mmap(k: Kernel, a: bigint[]): number {
  const [addr, len, prot] = [n(a[0]), n(a[1]), n(a[2])];
  const flags = i32(a[3]);
  const fd = i32(a[4]);
  if (len <= 0 || prot & ~PROT_MASK || addr % PAGE) return -EINVAL;
  if ((flags & (MAP_SHARED | MAP_PRIVATE)) === 0) return -EINVAL;
  const file = !(flags & MAP_ANONYMOUS);
  if (file && !k.files.file(fd)) return k.files.get(fd) ? -ENODEV : -EBADF;
  let at: number | null;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (!k.mmap.contains(addr, pageUp(len))) {
      k.note(`mmap MAP_FIXED at 0x${addr.toString(16)} (+0x${len.toString(16)}) lies outside the mmap area [0x${k.mmap.base.toString(16)}, 0x${k.mmap.end.toString(16)})`);
      return -ENOMEM;
    }
    if (flags & MAP_FIXED_NOREPLACE && k.mmap.overlaps(addr, len)) return -17; // EEXIST
    k.mmap.fixed(addr, len);
    at = addr;
  } else {
    at = k.mmap.allocate(len);
    if (at === null) return -ENOMEM;
  }
  k.mem.zero(at, pageUp(len));
  if (file) {
    if (flags & MAP_SHARED && prot & 2) return -13; // EACCES: a writable shared mapping of a read-only file
    return mapFile(k, fd, at, len, n(a[5]));
  }
  return at;
}

function munmap(k: Kernel, a: bigint[]): number {
  const [addr, len] = [n(a[0]), n(a[1])];
  if (addr % PAGE || len <= 0) return -EINVAL;
  if (k.mmap.contains(addr, pageUp(len))) k.mmap.unmap(addr, len);
  return 0;
}

// ---- time --------------------------------------------------------------------------------------------

function clockGettime(k: Kernel, clock: number, addr: bigint): number {
  if (clock < 0 || clock > 11) return -EINVAL;
  let ns = k.nowNs();
  if (clock === 0 || clock === 5 || clock === 8 || clock === 11) ns += REALTIME_EPOCH * 1_000_000_000n;
  if (addr === 0n) return 0;
  return k.mem.writeU64s(n(addr), [ns / 1_000_000_000n, ns % 1_000_000_000n]) ? 0 : -EFAULT;
}

function nanosleep(k: Kernel, req: bigint): number {
  const sec = k.mem.readU64(n(req));
  const nsec = k.mem.readU64(n(req) + 8);
  if (sec === null || nsec === null) return -EFAULT;
  if (nsec >= 1_000_000_000n) return -EINVAL;
  k.sleep(sec * 1_000_000_000n + nsec);
  return 0;
}

// ---- identity ----------------------------------------------------------------------------------------

function uname(k: Kernel, addr: bigint): number {
  const fields = ['Linux', 'a64', '6.1.0-a64', '#1 SMP a64-studio process mode', 'aarch64', '(none)'];
  const b = new Uint8Array(65 * 6);
  fields.forEach((f, i) => b.set(new TextEncoder().encode(f), 65 * i));
  return k.mem.write(n(addr), b) ? 0 : -EFAULT;
}

const RLIM_INFINITY = 0xffffffffffffffffn;
const RLIMIT_STACK = 3;
const RLIMIT_NOFILE = 7;

function getrlimit(k: Kernel, resource: number, addr: bigint): number {
  if (resource < 0 || resource > 15) return -EINVAL;
  if (addr === 0n) return 0;
  let lim: [bigint, bigint] = [RLIM_INFINITY, RLIM_INFINITY];
  if (resource === RLIMIT_STACK) lim = [BigInt(k.layout.stackTop - k.layout.stackBase), RLIM_INFINITY];
  if (resource === RLIMIT_NOFILE) lim = [1024n, 4096n];
  return k.mem.writeU64s(n(addr), lim) ? 0 : -EFAULT;
}

// ---- the table ---------------------------------------------------------------------------------------

const zeroOut = (k: Kernel, addr: bigint, bytes: number): number =>
  addr === 0n || k.mem.write(n(addr), new Uint8Array(bytes)) ? 0 : -EFAULT;

export const SYSCALLS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [63, (k, a) => read(k, i32(a[0]), a[1], a[2])], // read
  [64, (k, a) => write(k, i32(a[0]), a[1], a[2])], // write
  [65, (k, a) => { // readv
    const v = iovecs(k, a[1], a[2]);
    if (!v) return -EFAULT;
    let total = 0;
    for (const [base, len] of v) {
      const r = read(k, i32(a[0]), base, len);
      if (r < 0) return total || r;
      total += r;
      if (r < n(len)) break;
    }
    return total;
  }],
  [66, (k, a) => { // writev
    const v = iovecs(k, a[1], a[2]);
    if (!v) return -EFAULT;
    let total = 0;
    for (const [base, len] of v) {
      const r = write(k, i32(a[0]), base, len);
      if (r < 0) return total || r;
      total += r;
    }
    return total;
  }],
  [93, (k, a) => { k.exit(i32(a[0]) & 0xff); return 0; }], // exit
  [94, (k, a) => { k.exit(i32(a[0]) & 0xff); return 0; }], // exit_group
  [96, (k) => k.pid], // set_tid_address
  [98, (k, a) => { // futex
    const op = i32(a[1]) & 0x7f; // without FUTEX_PRIVATE_FLAG / FUTEX_CLOCK_REALTIME
    if (op === 1 /* WAKE */) return 0;
    if (op === 0 || op === 9 /* WAIT, WAIT_BITSET */) {
      const cur = k.mem.read(n(a[0]), 4);
      if (!cur) return -EFAULT;
      if (new DataView(cur.buffer).getInt32(0, true) !== i32(a[2])) return -EAGAIN;
      k.note('futex wait with no other thread to wake it: a deadlock in a single-threaded process');
      return -EAGAIN;
    }
    k.note(`futex op ${op} is not supported`);
    return -ENOSYS;
  }],
  [99, () => 0], // set_robust_list
  [101, (k, a) => nanosleep(k, a[0])], // nanosleep
  [113, (k, a) => clockGettime(k, i32(a[0]), a[1])], // clock_gettime
  [114, (k, a) => (a[1] === 0n || k.mem.writeU64s(n(a[1]), [0n, 1n]) ? 0 : -EFAULT)], // clock_getres: 1 ns
  [115, (k, a) => { // clock_nanosleep (relative; TIMER_ABSTIME sleeps until the time)
    if (i32(a[1]) & 1) {
      const sec = k.mem.readU64(n(a[2]));
      const nsec = k.mem.readU64(n(a[2]) + 8);
      if (sec === null || nsec === null) return -EFAULT;
      let now = k.nowNs();
      if (i32(a[0]) === 0) now += REALTIME_EPOCH * 1_000_000_000n;
      const until = sec * 1_000_000_000n + nsec;
      if (until > now) k.sleep(until - now);
      return 0;
    }
    return nanosleep(k, a[2]);
  }],
  [123, (k, a) => { // sched_getaffinity: one CPU
    const size = n(a[1]);
    if (size < 8) return -EINVAL;
    const b = new Uint8Array(8);
    b[0] = 1;
    return k.mem.write(n(a[2]), b) ? 8 : -EFAULT;
  }],
  [124, () => 0], // sched_yield
  [129, (k, a) => { if (n(a[0]) === k.pid && i32(a[1]) !== 0) k.killed(i32(a[1])); return 0; }], // kill
  [130, (k, a) => { if (n(a[0]) === k.pid && i32(a[1]) !== 0) k.killed(i32(a[1])); return 0; }], // tkill
  [131, (k, a) => { if (n(a[1]) === k.pid && i32(a[2]) !== 0) k.killed(i32(a[2])); return 0; }], // tgkill
  [132, (k, a) => zeroOut(k, a[1], 24)], // sigaltstack: none installed
  [134, (k, a) => zeroOut(k, a[2], 32)], // rt_sigaction: old action SIG_DFL
  [135, (k, a) => zeroOut(k, a[2], 8)], // rt_sigprocmask: old mask empty
  [153, (k, a) => { // times
    const ticks = k.nowNs() / 10_000_000n;
    if (a[0] !== 0n && !k.mem.writeU64s(n(a[0]), [ticks, 0n, 0n, 0n])) return -EFAULT;
    return ticks;
  }],
  [160, (k, a) => uname(k, a[0])], // uname
  [163, (k, a) => getrlimit(k, i32(a[0]), a[1])], // getrlimit
  [164, () => 0], // setrlimit
  [166, () => 0o022], // umask
  [167, () => -EINVAL], // prctl
  [169, (k, a) => { // gettimeofday
    if (a[0] === 0n) return 0;
    const ns = k.nowNs() + REALTIME_EPOCH * 1_000_000_000n;
    return k.mem.writeU64s(n(a[0]), [ns / 1_000_000_000n, (ns % 1_000_000_000n) / 1000n]) ? 0 : -EFAULT;
  }],
  // Credentials: one user. Setting the ids we already have succeeds (programs drop privileges that way);
  // anything else is refused as for an unprivileged process.
  ...[143, 144, 145, 146, 147, 149].map((nr): [number, Handler] => [nr, (k, a) => {
    const want = nr === 144 || nr === 143 || nr === 149 ? k.gid : k.uid;
    const args = nr === 144 || nr === 146 ? [a[0]] : nr === 147 || nr === 149 ? [a[0], a[1], a[2]] : [a[0], a[1]];
    return args.every((v) => i32(v) === -1 || i32(v) === want) ? 0 : -EPERM;
  }]), // setregid, setgid, setreuid, setuid, setresuid, setresgid
  [148, (k, a) => (k.mem.write(n(a[0]), u32s([k.uid])) && k.mem.write(n(a[1]), u32s([k.uid])) && k.mem.write(n(a[2]), u32s([k.uid])) ? 0 : -EFAULT)], // getresuid
  [150, (k, a) => (k.mem.write(n(a[0]), u32s([k.gid])) && k.mem.write(n(a[1]), u32s([k.gid])) && k.mem.write(n(a[2]), u32s([k.gid])) ? 0 : -EFAULT)], // getresgid
  [158, (k, a) => (n(a[0]) === 0 ? 1 : k.mem.write(n(a[1]), u32s([k.gid])) ? 1 : -EFAULT)], // getgroups: our one group
  [159, () => -EPERM], // setgroups
  [179, (k, a) => { // sysinfo: virtual uptime, no load, the process's memory as the machine's, one process
    const b = new Uint8Array(112);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, k.nowNs() / 1_000_000_000n, true);
    const total = BigInt(k.layout.mmapEnd - k.layout.mmapBase + (k.layout.brkMax - k.layout.brkStart));
    dv.setBigUint64(32, total, true); // totalram
    dv.setBigUint64(40, total / 2n, true); // freeram
    dv.setUint16(80, 1, true); // procs
    dv.setUint32(104, 1, true); // mem_unit
    return k.mem.write(n(a[0]), b) ? 0 : -EFAULT;
  }],
  [172, (k) => k.pid], // getpid
  [173, () => 0], // getppid
  [174, (k) => k.uid], // getuid
  [175, (k) => k.uid], // geteuid
  [176, (k) => k.gid], // getgid
  [177, (k) => k.gid], // getegid
  [178, (k) => k.pid], // gettid
  [214, (k, a) => brk(k, a[0])], // brk
  [215, (k, a) => munmap(k, a)], // munmap
  [222, (k, a) => mmap(k, a)], // mmap
  [226, (_k, a) => (n(a[0]) % PAGE ? -EINVAL : 0)], // mprotect: no MMU, protections are not enforced
  [233, () => 0], // madvise
  [261, (k, a) => { // prlimit64 (this process only)
    const pid = n(a[0]);
    if (pid !== 0 && pid !== k.pid) return -3; // ESRCH
    return getrlimit(k, i32(a[1]), a[3]);
  }],
  [278, (k, a) => { // getrandom
    const len = Math.min(n(a[1]), 1 << 20);
    return k.mem.write(n(a[0]), k.random(len)) ? len : -EFAULT;
  }],
  [293, () => -ENOSYS], // rseq: glibc registers it if it can, and does without
  ...FILE_SYSCALLS,
]);

/** Numbers that return an error deliberately and are not worth reporting. */
export const QUIET: ReadonlySet<number> = new Set([293]);
