// LinuxProcess: a static AArch64 Linux executable running at EL0, with the emulator as its kernel — the
// way Nanos or qemu-user run Linux programs. It owns a small machine of its own: a StateMemory, a Bus with
// the process's RAM regions (layout.ts), and one Cpu whose SVC hook (CpuHooks.svc) hands system calls to
// the table in syscalls.ts without taking an exception. Exceptions the program takes (undefined
// instructions, aborts, alignment faults, BRK) end it as Linux's default signal action would: SIGILL,
// SIGSEGV, SIGBUS, SIGTRAP. Pure TypeScript: the caller passes the ELF bytes and receives output, input
// requests and reports through ProcessEvents.
import { Cpu, type CpuHooks } from '../cpu/cpu';
import { EC, EC_NAMES, type SyncException } from '../cpu/exceptions';
import { I_PC, SLOT_SP } from '../cpu/regs';
import { Bus } from '../memory/bus';
import { StateMemory } from '../memory/stateMemory';
import { loadElf, LoaderError, type LoadedImage } from '../loader';
import { executableInfo } from './executable';
import { GuestMemory } from './guestMemory';
import { detectCpuFeatures, hwcapFor, type CpuFeatures } from './hwcap';
import { planLayout, PIE_BASE, type ProcessLayout, type ProcessLayoutOptions } from './layout';
import { MmapArea } from './mmap';
import { buildInitialStack } from './stack';
import { ENOSYS, QUIET, SYSCALLS, type Kernel } from './syscalls';
import { syscallName } from './syscallNames';
import { FileTable, type HostFs } from './files';

export interface ProcessOptions extends ProcessLayoutOptions {
  /** argv, argv[0] included (default: [fileName]). */
  argv?: readonly string[];
  envp?: readonly string[];
  /** Seed for AT_RANDOM and getrandom (default 0). */
  seed?: number;
  uid?: number;
  gid?: number;
  pid?: number;
  /** CPU features advertised in AT_HWCAP (default: detected from the encoding table). */
  features?: CpuFeatures;
  /** The host directory mapped read-only as the program's "/" (none: no files beyond fds 0-2). */
  fs?: HostFs;
  /** Host path of that directory, as HostFs understands it. */
  root?: string;
  /** Which of fds 0, 1, 2 are terminals (default: none). */
  tty?: readonly boolean[];
}

export interface ProcessReport {
  /** PC when known (the run loop keeps PC implicit inside a code page; system calls report none). */
  pc?: bigint;
  icount: number;
  message: string;
}

export interface ProcessEvents {
  /** Bytes written to fd 1 or fd 2. */
  output?(fd: 1 | 2, bytes: Uint8Array): void;
  /** Input for fd 0: at most `max` bytes; an empty array means end of file (the default). */
  input?(max: number): Uint8Array;
  /** A system call number we do not implement (reported once per number; the call returns -ENOSYS). */
  unsupportedSyscall?(e: ProcessReport & { nr: number; name: string | undefined }): void;
  /** A problem worth telling the user: unmapped access, a deadlock, an unsupported argument. */
  guestError?(e: ProcessReport): void;
}

export type ProcessStop =
  | { kind: 'budget' }
  | { kind: 'exit'; code: number }
  | { kind: 'signal'; signal: number; name: string; pc: bigint; message: string };

const SIGNAL_NAMES: Record<number, string> = { 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

/** The signal Linux sends for an exception the program takes at EL0. */
function signalFor(ec: number): number {
  switch (ec) {
    case EC.IABT_LOWER:
    case EC.DABT_LOWER:
    case EC.IABT_CUR:
    case EC.DABT_CUR:
      return 11;
    case EC.PC_ALIGN:
    case EC.SP_ALIGN:
      return 7;
    case EC.BRK64:
      return 5;
    default:
      return 4;
  }
}

export class LinuxProcess implements Kernel {
  readonly stateMemory: StateMemory;
  readonly bus: Bus;
  readonly cpu: Cpu;
  readonly mem: GuestMemory;
  readonly layout: ProcessLayout;
  readonly mmap: MmapArea;
  readonly image: LoadedImage;
  /** Initial SP and auxiliary vector, as built. */
  readonly initialSp: number;
  readonly auxv: [number, bigint][];
  brk: number;
  readonly files: FileTable;
  readonly tty: readonly boolean[];
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  /** System calls made, by number (for --stats and for finding out what a libc needs). */
  readonly syscallCounts = new Map<number, number>();
  private ended: ProcessStop | null = null;
  private sleptNs = 0n;
  private rng: bigint;
  private readonly reported = new Set<string>();

  constructor(bytes: Uint8Array, readonly fileName: string, opts: ProcessOptions = {}, readonly events: ProcessEvents = {}) {
    const img = loadElf(bytes, fileName);
    const info = executableInfo(bytes, fileName);
    const bias = info.pie ? BigInt(PIE_BASE) : 0n;
    if (bias) {
      img.segments = img.segments.map((s) => ({ ...s, vaddr: s.vaddr + bias, paddr: s.vaddr + bias }));
      img.entry += bias;
      img.physEntry = img.entry;
      img.symbols = img.symbols.map((s) => ({ ...s, value: s.value + bias }));
    }
    this.image = img;
    if (!img.segments.length) throw new LoaderError(fileName, 'no loadable segments');
    const lo = Number(img.segments.reduce((m, s) => (s.vaddr < m ? s.vaddr : m), img.segments[0].vaddr));
    const hi = Number(img.segments.reduce((m, s) => (s.vaddr + s.memsz > m ? s.vaddr + s.memsz : m), 0n));
    if (hi - lo > 1 << 30) throw new LoaderError(fileName, `the loadable segments span ${((hi - lo) / 2 ** 20).toFixed(0)} MiB; the process mode places them in one region of at most 1 GiB`);
    try {
      this.layout = planLayout(lo, hi, opts);
    } catch (e) {
      throw new LoaderError(fileName, (e as Error).message);
    }
    const L = this.layout;
    const ramBytes = L.brkMax - L.imageBase + (L.mmapEnd - L.mmapBase) + (L.stackTop - L.stackBase);
    this.stateMemory = new StateMemory(ramBytes + 4 * 0x10000 + (1 << 20));
    this.bus = new Bus(this.stateMemory);
    this.bus.addRam('image+heap', L.imageBase, L.brkMax - L.imageBase);
    this.bus.addRam('mmap', L.mmapBase, L.mmapEnd - L.mmapBase);
    this.bus.addRam('stack', L.stackBase, L.stackTop - L.stackBase);
    this.mmap = new MmapArea(L.mmapBase, L.mmapEnd);
    this.brk = L.brkStart;
    this.files = new FileTable(opts.fs, opts.root ?? '.');
    this.tty = opts.tty ?? [false, false, false];
    this.pid = opts.pid ?? 1000;
    this.uid = opts.uid ?? 1000;
    this.gid = opts.gid ?? 1000;
    this.rng = BigInt.asUintN(64, BigInt(opts.seed ?? 0) ^ 0x5851f42d4c957f2dn);

    const hooks: CpuHooks = {
      svc: (c) => {
        this.syscall(c);
        return true;
      },
      hvc: () => false,
      smc: () => false,
      hlt: () => false,
      guestError: (_c, m) => this.report(m),
      fatal: (c, m) => this.end(c, { kind: 'signal', signal: 11, name: 'SIGSEGV', pc: this.pc(), message: m }),
      exceptionTaken: (c, ex, from) => this.onException(c, ex, from),
    };
    // CNTFRQ 1 GHz: the virtual counter ticks once per instruction, as clock_gettime's nanoseconds do
    this.cpu = new Cpu(0, this.stateMemory, this.bus, hooks, { highestEl: 1, cntfrq: 1_000_000_000, mpidr: 0 });
    this.mem = new GuestMemory(this.bus, this.cpu);
    for (const s of img.segments) {
      if (!this.mem.write(Number(s.vaddr), s.data)) throw new LoaderError(fileName, `segment at 0x${s.vaddr.toString(16)} could not be placed`);
    }

    const features = opts.features ?? detectCpuFeatures();
    const { hwcap, hwcap2 } = hwcapFor(features);
    const argv = opts.argv ?? [fileName];
    const { sp, auxv } = buildInitialStack(this.mem, L.stackTop, {
      argv,
      envp: opts.envp ?? [],
      execfn: argv[0],
      phdr: info.phdr + bias,
      phent: info.phent,
      phnum: info.phnum,
      entry: img.entry,
      hwcap,
      hwcap2,
      uid: this.uid,
      gid: this.gid,
      random: this.random(16),
    });
    this.initialSp = sp;
    this.auxv = auxv;

    // EL0, SP_EL0; SCTLR_EL1 as Linux sets it for user space: EL0 may use DC ZVA (DZE), read CTR_EL0 (UCT),
    // clean caches (UCI) and execute WFI/WFE (nTWI, nTWE); no alignment checking (A = 0).
    const c = this.cpu;
    const sctlr = Number(c.sys.get('SCTLR_EL1')) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 18) | (1 << 26);
    c.sys.setPair('SCTLR_EL1', sctlr, 0);
    // SIMD&FP enabled at EL0 and EL1 (CPACR_EL1.FPEN = 0b11), as Linux runs a task that uses them
    c.sys.setPair('CPACR_EL1', 3 << 20, 0);
    c.setElSp(0, 0);
    c.r[2 * SLOT_SP] = sp % 2 ** 32 | 0;
    c.r[2 * SLOT_SP + 1] = Math.floor(sp / 2 ** 32) | 0;
    c.setPc(Number(img.entry & 0xffffffffn) | 0, Number(img.entry >> 32n) | 0);
  }

  // ---- running -------------------------------------------------------------------------------------

  /** Runs up to `budget` instructions; returns early when the process exits or is killed. */
  run(budget: number): ProcessStop {
    if (this.ended) return this.ended;
    const c = this.cpu;
    const end = c.icount + budget;
    while (c.icount < end) {
      const before = c.icount;
      c.run(end - c.icount);
      if (this.ended) return this.ended;
      // WFI/WFE at EL0: under Linux the timer tick (WFI) or the event stream (WFE) ends the wait within
      // microseconds, so for the program they are no-ops (as on qemu-user): wake the CPU and go on.
      if (c.waiting) {
        c.waiting = false;
        c.waitingForEvent = false;
        c.eventRegister = false;
        continue;
      }
      if (c.icount === before && !this.ended) break;
    }
    return this.ended ?? { kind: 'budget' };
  }

  /** Virtual time: instructions retired by the process. */
  get icount(): number {
    return this.cpu.icount;
  }

  /** Set once the process has exited or been killed. */
  get stopped(): ProcessStop | null {
    return this.ended;
  }

  pc(): bigint {
    const r = this.cpu.r;
    return (BigInt(r[I_PC + 1] >>> 0) << 32n) | BigInt(r[I_PC] >>> 0);
  }

  // ---- the kernel side -------------------------------------------------------------------------------

  private syscall(c: Cpu): void {
    const r = c.r;
    const nr = r[16];
    const args: bigint[] = [];
    for (let i = 0; i < 6; i++) args.push((BigInt(r[2 * i + 1] >>> 0) << 32n) | BigInt(r[2 * i] >>> 0));
    this.syscallCounts.set(nr, (this.syscallCounts.get(nr) ?? 0) + 1);
    const h = SYSCALLS.get(nr);
    let ret: bigint | number;
    if (h) ret = h(this, args);
    else {
      ret = -ENOSYS;
      if (!QUIET.has(nr) && !this.reported.has(`nr${nr}`)) {
        this.reported.add(`nr${nr}`);
        this.events.unsupportedSyscall?.({ nr, name: syscallName(nr), icount: c.icount, message: `unsupported system call ${nr} (${syscallName(nr) ?? 'unknown'}): returned -ENOSYS` });
      }
    }
    const v = BigInt.asUintN(64, BigInt(ret));
    r[0] = Number(v & 0xffffffffn) | 0;
    r[1] = Number(v >> 32n) | 0;
    if (this.ended) c.requestStop('exit');
  }

  nowNs(): bigint {
    return BigInt(this.cpu.icount) + this.sleptNs;
  }

  sleep(ns: bigint): void {
    this.sleptNs += ns;
  }

  /** splitmix64 from the seed: deterministic AT_RANDOM and getrandom bytes. */
  random(len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i += 8) {
      this.rng = BigInt.asUintN(64, this.rng + 0x9e3779b97f4a7c15n);
      let z = this.rng;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
      z ^= z >> 31n;
      for (let k = 0; k < 8 && i + k < len; k++) out[i + k] = Number((z >> BigInt(8 * k)) & 0xffn);
    }
    return out;
  }

  output(fd: 1 | 2, bytes: Uint8Array): void {
    this.events.output?.(fd, bytes);
  }

  input(max: number): Uint8Array {
    return this.events.input?.(max) ?? new Uint8Array(0);
  }

  exit(code: number): void {
    this.ended ??= { kind: 'exit', code };
  }

  killed(signal: number): void {
    const name = SIGNAL_NAMES[signal] ?? `signal ${signal}`;
    this.ended ??= { kind: 'signal', signal, name, pc: this.pc(), message: `killed by ${name}` };
  }

  note(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.report(message);
  }

  private report(message: string): void {
    this.events.guestError?.({ icount: this.cpu.icount, message });
  }

  private end(c: Cpu, stop: ProcessStop): void {
    this.ended ??= stop;
    c.requestStop('exit');
  }

  private onException(c: Cpu, ex: SyncException, from: bigint): boolean {
    const signal = signalFor(ex.ec);
    const name = SIGNAL_NAMES[signal]!;
    const what = EC_NAMES[ex.ec] ?? `exception class 0x${ex.ec.toString(16)}`;
    this.end(c, { kind: 'signal', signal, name, pc: from, message: `${name}: ${what} at pc 0x${from.toString(16)}` });
    return true;
  }
}
