// A machine: CPUs, the physical bus, devices and firmware services built from one MachineSpec, plus the
// synchronous control and inspection API the debug adapter and the command line use (load, run, step,
// breakpoints, registers, memory, disassembly, UART input/output). Addresses and register values cross
// this API as BigInt; inside, everything stays in 32-bit halves.
import { Cpu, type CpuHooks, type CpuStop } from '../cpu/cpu';
import { cpuModel } from '../cpu/models';
import type { InterruptPort } from '../cpu/interrupts';
import { EC_NAMES, type SyncException } from '../cpu/exceptions';
import { I_DAIF, I_FPCR, I_FPSR, I_PC, I_SPSEL as SPSEL_INDEX, I_VREG, SLOT_SP } from '../cpu/regs';
import { SYSREGS } from '../cpu/sysregs';
import { Watchpoints, type WatchHit, type Watchpoint } from '../cpu/watchpoints';
import { disassemble } from '../isa/disasm';
import { Pl011 } from '../devices/pl011';
import { Gic, type GicEvent } from '../devices/gic/gic';
import type { GuestMemory } from '../devices/gic/itsTables';
import { Bus } from '../memory/bus';
import { StateMemory } from '../memory/stateMemory';
import { loadKernel, SymbolTable, type LoadedImage } from '../loader';
import { buildDtb } from './dtb';
import { psciCall } from './psci';
import { Semihosting, SEMIHOSTING_HLT_IMM } from './semihosting';
import type { MachineOptions, MachineSpec } from './spec';
import { virtSpec } from './virt';

/** Why Machine.run returned. */
export type StopReason =
  | { kind: 'budget' }
  | { kind: 'breakpoint'; cpu: number; pc: bigint }
  /** A watchpoint hit: PC (= hit.pc) is the accessing instruction, not yet executed (cpu/watchpoints.ts). */
  | { kind: 'watchpoint'; cpu: number; pc: bigint; hit: WatchHit }
  | { kind: 'step'; cpu: number }
  | { kind: 'poweroff' }
  | { kind: 'reset' }
  | { kind: 'exit'; code: number }
  | { kind: 'idle'; cpu: number }
  | { kind: 'exception'; cpu: number; ec: number; description: string; from: bigint }
  | { kind: 'guest-error'; cpu: number; message: string }
  /** stopAfterInstruction was called: PC is the instruction after the one that caused it. */
  | { kind: 'event'; cpu: number };

export interface GuestErrorEvent {
  cpu: number;
  pc: bigint;
  icount: number;
  message: string;
}

export interface MachineEvents {
  /** Bytes a UART transmitted (uart index, byte). */
  uartTx?(uart: number, byte: number): void;
  /** Semihosting console output. */
  console?(bytes: Uint8Array, stream: 'stdout' | 'stderr'): void;
  /** A guest-visible problem (unmapped access, undefined instruction, bad device access...). */
  guestError?(e: GuestErrorEvent): void;
  /** Legal but suspicious guest behaviour worth telling the user (e.g. a UART used before it is enabled). */
  guestWarning?(e: GuestErrorEvent): void;
  /** Interrupt controller events: interrupts asserted/acknowledged/EOI'd, ITS commands, LPIs delivered. */
  gic?(e: GicEvent): void;
}

export interface StopOptions {
  /** Stop when the guest takes a synchronous exception of one of these ESR classes (e.g. 0x00 UNDEF). */
  exceptionClasses?: Set<number>;
  /** Stop on guest errors (unmapped accesses, device misuse). */
  guestErrors?: boolean;
}

export interface LoadOptions {
  /** Load address for raw and Image kernels. */
  loadAddress?: bigint;
}

/** How Machine.run and Machine.step start. */
export interface ResumeOptions {
  /**
   * The first instruction executes even when a breakpoint or watchpoint would stop it (default true: the
   * debugger resumes from where it stopped). The GDB stub passes false: GDB steps over its own breakpoints
   * and watchpoints, as on hardware, and a slice boundary must not skip one.
   */
  skipAtPc?: boolean;
}

export interface RegisterSet {
  x: bigint[];
  sp: bigint;
  pc: bigint;
  /** PSTATE in SPSR layout. */
  pstate: number;
  el: number;
  spsel: number;
}

export interface DisassembledLine {
  address: bigint;
  word: number | null;
  text: string;
  /** Symbol naming the address when it is the first instruction of a symbol. */
  label?: string;
  /** <sym+off> of the address. */
  location?: string;
}

export class Machine {
  readonly spec: MachineSpec;
  readonly mem: StateMemory;
  readonly bus: Bus;
  readonly cpus: Cpu[] = [];
  readonly uarts: Pl011[] = [];
  readonly gic: Gic;
  symbols = new SymbolTable([]);
  image?: LoadedImage;
  dtbAddress?: bigint;
  stopOn: StopOptions = {};
  private pendingStop: StopReason | null = null;
  private readonly semihosting?: Semihosting;
  private consoleInput: number[] = [];
  /** Firmware services reached through HLT (the built-in UEFI firmware; set by uefiBoot.ts). */
  firmwareTrap?: (c: Cpu, imm: number) => boolean;
  /** Temporary breakpoints (step over / step out / run to): physical address -> SP floor condition. */
  private readonly tempBreaks = new Map<number, bigint | undefined>();

  constructor(options: MachineOptions = {}, readonly events: MachineEvents = {}) {
    this.spec = virtSpec(options);
    const spec = this.spec;
    this.mem = new StateMemory(spec.ram.size + 16 * 1024 * 1024);
    this.bus = new Bus(this.mem);
    this.bus.addRam('ram', spec.ram.base, spec.ram.size);
    this.gic = this.createGic(spec.cpus);
    spec.devices.forEach((d, i) => {
      const uart = new Pl011({
        name: `${d.name}@0x${d.base.toString(16)}`,
        onTx: (b) => this.events.uartTx?.(i, b),
        onIrq: (level) => this.gic.setSpiLevel(32 + d.spi, level),
        guestError: (m) => this.reportGuestError(this.cpus[0], m),
        guestWarning: (m) => this.reportGuestWarning(this.cpus[0], m),
      });
      this.uarts.push(uart);
      this.bus.addMmio(d.base, d.size, uart.mmio);
    });
    if (spec.semihosting) {
      this.semihosting = new Semihosting({
        write: (bytes, stream) => this.events.console?.(bytes, stream),
        read: (max) => Uint8Array.from(this.consoleInput.splice(0, max)),
        exit: (c, code) => this.stop(c, { kind: 'exit', code }),
        guestError: (c, m) => this.reportGuestError(c, m),
        ram: spec.ram,
      });
    }
    const hooks: CpuHooks = {
      hvc: (c, imm) => spec.psciConduit === 'hvc' && imm === 0 && psciCall(c, this.psciHost),
      smc: (c, imm) => spec.psciConduit === 'smc' && imm === 0 && psciCall(c, this.psciHost),
      hlt: (c, imm) => (imm === SEMIHOSTING_HLT_IMM && !!this.semihosting && this.unwatched(c, () => this.semihosting!.call(c)))
        || (!!this.firmwareTrap && this.unwatched(c, () => this.firmwareTrap!(c, imm))),
      guestError: (c, m) => this.reportGuestError(c, m),
      fatal: (c, m) => {
        this.reportGuestError(c, m);
        this.stop(c, { kind: 'guest-error', cpu: c.index, message: m });
      },
      exceptionTaken: (c, ex, from) => this.onException(c, ex, from),
    };
    for (let i = 0; i < spec.cpus; i++) {
      this.cpus.push(new Cpu(i, this.mem, this.bus, hooks, {
        highestEl: spec.entryEl, cntfrq: spec.cntfrq, mpidr: i, model: cpuModel(spec.cpuModel), rngSeed: options.rngSeed,
        interrupts: this.gic satisfies InterruptPort,
      }));
      this.gic.connectCpu(i, this.cpus[i]);
    }
    this.resetCpus();
  }

  /** Firmware console output: to the first UART's transmit callback, as the guest's own output would go. */
  consoleOut(bytes: Uint8Array): void {
    for (const b of bytes) this.events.uartTx?.(0, b);
  }

  /** A key of host input for firmware consoles (from the first UART's receive queue), or undefined. */
  consoleKey(): number | undefined {
    const u = this.uarts[0];
    if (!u || !u.rxWaiting) return undefined;
    return u.mmio.read(0, 4) & 0xff;
  }

  /** A firmware report (an unimplemented UEFI service, a misuse): a guest error the user sees and can stop on. */
  firmwareReport(c: Cpu, message: string): void {
    this.reportGuestError(c, message);
  }

  /** Firmware-initiated power off or reset (UEFI ResetSystem). */
  firmwarePower(c: Cpu, kind: 'poweroff' | 'reset'): void {
    this.stop(c, { kind });
  }

  /** The GICv3 + ITS of the spec, mapped on the bus; its table walks read and write guest RAM. */
  private createGic(numCpus: number): Gic {
    const g = this.spec.gic;
    const bus = this.bus;
    const noteWrite = (pa: number, n: number): void => {
      for (const c of this.cpus) c.code.noteWrite(pa, n);
    };
    const mem: GuestMemory = {
      read32: (pa) => bus.read(pa, 4),
      read8: (pa) => bus.read(pa, 1),
      write32: (pa, v) => {
        bus.write(pa, 4, v);
        noteWrite(pa, 4);
      },
      write8: (pa, v) => {
        bus.write(pa, 1, v);
        noteWrite(pa, 1);
      },
    };
    const peekByte = (pa: number): number => {
      const b = bus.peekBytes(pa, 1)[0];
      if (b === null || b === undefined) throw new Error(`no memory at 0x${pa.toString(16)}`);
      return b;
    };
    const peekMem: GuestMemory = {
      read8: peekByte,
      read32: (pa) => (peekByte(pa) | (peekByte(pa + 1) << 8) | (peekByte(pa + 2) << 16) | (peekByte(pa + 3) << 24)) >>> 0,
      write32: () => { throw new Error('read-only view'); },
      write8: () => { throw new Error('read-only view'); },
    };
    const gic = new Gic({
      numCpus, mem, peekMem,
      events: (e) => this.events.gic?.(e),
      guestError: (m) => this.reportGuestError(this.cpus[0], m),
      guestWarning: (m) => this.reportGuestWarning(this.cpus[0], m),
    });
    bus.addMmio(g.distBase, g.distSize, gic.distributor.frame);
    bus.addMmio(g.redistBase, numCpus * 0x20000, gic.redistributorRegion);
    bus.addMmio(g.itsBase, g.itsSize, gic.itsRegion);
    return gic;
  }

  private readonly psciHost = {
    powerOff: (c: Cpu, kind: 'poweroff' | 'reset') => this.stop(c, { kind }),
  };

  private resetCpus(): void {
    for (const c of this.cpus) {
      c.reset();
      c.setElSp(this.spec.entryEl, 1);
    }
  }

  /** Records a stop and asks the CPU to leave its run loop after the current instruction. */
  private stop(c: Cpu, reason: StopReason): void {
    this.pendingStop ??= reason;
    c.requestStop(reason.kind);
  }

  /**
   * Ends the run after the instruction executing now (a debugger's event filter matched what it caused: a
   * store to GITS_CWRITER that ran a MAPTI, a read of ICC_IAR1_EL1...). Run and step then return
   * { kind: 'event', cpu } with PC at the next instruction. The machine does not know which CPU is executing,
   * so every CPU is asked; on a CPU that is not running the request lapses: Cpu.run clears its flow flags
   * before its first instruction (only an instruction-fetch fault at that very start would end that run
   * early, as a 'halt' that run() continues from).
   */
  stopAfterInstruction(): void {
    this.pendingStop ??= { kind: 'event', cpu: -1 };
    for (const c of this.cpus) c.requestStop('event');
  }

  private reportGuestError(c: Cpu | undefined, message: string): void {
    const cpu = c?.index ?? 0;
    const pc = c ? this.pcOf(c) : 0n;
    this.events.guestError?.({ cpu, pc, icount: c?.icount ?? 0, message });
    if (this.stopOn.guestErrors && c) this.stop(c, { kind: 'guest-error', cpu, message });
  }

  private reportGuestWarning(c: Cpu | undefined, message: string): void {
    this.events.guestWarning?.({ cpu: c?.index ?? 0, pc: c ? this.pcOf(c) : 0n, icount: c?.icount ?? 0, message });
  }

  private onException(c: Cpu, ex: SyncException, from: bigint): boolean {
    if (ex.ec === 0) this.reportGuestError(c, `undefined instruction at 0x${from.toString(16)}`);
    if (this.stopOn.exceptionClasses?.has(ex.ec)) {
      this.pendingStop ??= { kind: 'exception', cpu: c.index, ec: ex.ec, description: EC_NAMES[ex.ec] ?? `EC 0x${ex.ec.toString(16)}`, from };
      return true;
    }
    return false;
  }

  // ---- loading -----------------------------------------------------------------------------------

  /**
   * Loads a kernel (ELF, arm64 Linux Image, or raw binary), places the device tree and sets the boot CPU's
   * registers as QEMU's -kernel does: PC at the entry, x0 = DTB address, x1..x3 = 0.
   */
  load(bytes: Uint8Array, fileName: string, opts: LoadOptions = {}): LoadedImage {
    const ramBase = BigInt(this.spec.ram.base);
    const ramEnd = ramBase + BigInt(this.spec.ram.size);
    const img = loadKernel(bytes, fileName, { ramBase, loadAddress: opts.loadAddress });
    let top = ramBase;
    for (const s of img.segments) {
      if (s.paddr < ramBase || s.paddr + s.memsz > ramEnd) {
        throw new Error(`${fileName}: segment at 0x${s.paddr.toString(16)} (+0x${s.memsz.toString(16)}) lies outside guest RAM [0x${ramBase.toString(16)}, 0x${ramEnd.toString(16)})`);
      }
    }
    this.gic.reset();
    this.resetCpus();
    for (const c of this.cpus) c.code.clear();
    for (const s of img.segments) {
      const zeros = new Uint8Array(Number(s.memsz));
      this.bus.writeRamBytes(Number(s.paddr), zeros);
      this.bus.writeRamBytes(Number(s.paddr), s.data);
      if (s.paddr + s.memsz > top) top = s.paddr + s.memsz;
    }
    // DTB: at the start of RAM when the image leaves room there (QEMU's choice for bare-metal images),
    // otherwise after the image, 2 MiB aligned.
    const dtb = buildDtb(this.spec);
    const lowest = img.segments.reduce((m, s) => (s.paddr < m ? s.paddr : m), ramEnd);
    let dtbAddr = ramBase;
    if (lowest < ramBase + BigInt(dtb.length)) dtbAddr = (top + 0x1fffffn) & ~0x1fffffn;
    if (dtbAddr + BigInt(dtb.length) > ramEnd) throw new Error(`${fileName}: no room in guest RAM for the device tree`);
    this.bus.writeRamBytes(Number(dtbAddr), dtb);
    this.dtbAddress = dtbAddr;
    this.image = img;
    this.symbols = new SymbolTable(img.symbols);
    const boot = this.cpus[0];
    const entry = img.physEntry;
    boot.setPc(Number(entry & 0xffffffffn) | 0, Number(entry >> 32n) | 0);
    this.setX(0, 0, dtbAddr);
    this.pendingStop = null;
    return img;
  }

  // ---- running -----------------------------------------------------------------------------------

  /**
   * Runs up to `budget` instructions (all CPUs together). Stops early on a breakpoint, power off, reset,
   * semihosting exit, a requested exception class, or when every CPU waits for an interrupt that nothing
   * can raise.
   */
  run(budget: number, opts: ResumeOptions = {}): StopReason {
    const c = this.cpus[0];
    let left = budget;
    c.bpSkipAt = opts.skipAtPc === false ? -1 : c.icount;
    while (left > 0) {
      const before = c.icount;
      const stop: CpuStop = c.run(left);
      left -= c.icount - before;
      const r = this.translateStop(c, stop);
      if (r === 'continue') continue;
      return r;
    }
    return { kind: 'budget' };
  }

  /** Executes one instruction on CPU `cpu` (breakpoints at the current PC do not stop it). */
  step(cpu = 0, opts: ResumeOptions = {}): StopReason {
    const c = this.cpus[cpu];
    c.bpSkipAt = opts.skipAtPc === false ? -1 : c.icount;
    const stop = c.run(1);
    const r = this.translateStop(c, stop);
    if (r === 'continue' || r.kind === 'budget') return { kind: 'step', cpu };
    return r;
  }

  private translateStop(c: Cpu, stop: CpuStop): StopReason | 'continue' {
    // a watchpoint stops the CPU as a breakpoint slot does (watchpoints.ts); its record says which
    const hit = stop === 'breakpoint' && c.watch !== null ? c.watch.takeHit(c.index, this.pcOf(c)) : undefined;
    if (this.pendingStop) {
      const r = this.pendingStop;
      this.pendingStop = null;
      return r.kind === 'event' ? { kind: 'event', cpu: c.index } : r;
    }
    switch (stop) {
      case 'budget':
        return { kind: 'budget' };
      case 'breakpoint': {
        const pc = this.pcOf(c);
        if (hit) return { kind: 'watchpoint', cpu: c.index, pc, hit };
        const pa = this.physical(pc);
        // a stepping breakpoint whose SP condition fails is passed, unless the user has a breakpoint there too
        if (pa !== undefined && this.tempBreaks.has(pa) && this.tempOwned.get(pa)) {
          const floor = this.tempBreaks.get(pa);
          if (floor !== undefined && this.sp(c) < floor) {
            c.bpSkipAt = c.icount;
            return 'continue';
          }
        }
        return { kind: 'breakpoint', cpu: c.index, pc };
      }
      case 'wfi':
        // No interrupt controller yet: nothing can wake the CPU except host input arriving later.
        return { kind: 'idle', cpu: c.index };
      case 'halt':
        return 'continue';
    }
  }

  // ---- breakpoints -------------------------------------------------------------------------------

  /** Physical address for a virtual one under the current translation of CPU 0; undefined if unmapped. */
  physical(va: bigint, cpu = 0): number | undefined {
    const c = this.cpus[cpu];
    try {
      return c.translate(Number(va & 0xffffffffn) | 0, Number((va >> 32n) & 0xffffffffn) | 0, false, false);
    } catch {
      return undefined;
    }
  }

  /** Sets a breakpoint at a virtual address (bound to its physical address now). */
  setBreakpoint(va: bigint): boolean {
    const pa = this.physical(va);
    if (pa === undefined) return false;
    for (const c of this.cpus) c.code.setBreakpoint(pa);
    return true;
  }

  clearBreakpoint(va: bigint): void {
    const pa = this.physical(va);
    if (pa === undefined) return;
    if (this.tempBreaks.has(pa)) return;
    for (const c of this.cpus) c.code.clearBreakpoint(pa);
  }

  clearBreakpoints(): void {
    for (const c of this.cpus) c.code.clearAllBreakpoints();
    for (const pa of this.tempBreaks.keys()) for (const c of this.cpus) c.code.setBreakpoint(pa);
  }

  /** A breakpoint for stepping: only stops when SP >= spFloor (so recursion does not stop early). */
  setTempBreakpoint(va: bigint, spFloor?: bigint): void {
    const pa = this.physical(va);
    if (pa === undefined) return;
    const had = this.cpus[0].code.hasBreakpoint(pa);
    this.tempBreaks.set(pa, spFloor);
    if (!had) for (const c of this.cpus) c.code.setBreakpoint(pa);
    this.tempOwned.set(pa, !had);
  }

  private readonly tempOwned = new Map<number, boolean>();

  clearTempBreakpoints(): void {
    for (const [pa, owned] of this.tempOwned) if (owned) for (const c of this.cpus) c.code.clearBreakpoint(pa);
    this.tempBreaks.clear();
    this.tempOwned.clear();
  }

  // ---- watchpoints -------------------------------------------------------------------------------

  /**
   * Replaces the watchpoints of every CPU (virtual addresses; see cpu/watchpoints.ts for when they stop and
   * how physical ones will work with the MMU). An empty list removes them. Throws on a malformed entry.
   */
  setWatchpoints(list: readonly Watchpoint[]): void {
    const w = list.length ? new Watchpoints(list) : null;
    for (const c of this.cpus) {
      c.watch = w;
      c.flushTlb(); // watched pages must leave the fast-path tables; unwatched ones may come back
    }
  }

  /** Runs a firmware service that reads or writes guest memory for the guest, with watchpoints suspended. */
  private unwatched<T>(c: Cpu, f: () => T): T {
    const w = c.watch;
    if (w === null) return f();
    w.suspended = true;
    try {
      return f();
    } finally {
      w.suspended = false;
    }
  }

  /** The watchpoints set now. */
  get watchpoints(): readonly Watchpoint[] {
    return this.cpus[0].watch?.list ?? [];
  }

  // ---- registers ---------------------------------------------------------------------------------

  pcOf(c: Cpu): bigint {
    return (BigInt(c.r[I_PC + 1] >>> 0) << 32n) | BigInt(c.r[I_PC] >>> 0);
  }

  private sp(c: Cpu): bigint {
    return (BigInt(c.r[2 * SLOT_SP + 1] >>> 0) << 32n) | BigInt(c.r[2 * SLOT_SP] >>> 0);
  }

  registers(cpu = 0): RegisterSet {
    const c = this.cpus[cpu];
    const x: bigint[] = [];
    for (let i = 0; i < 31; i++) x.push((BigInt(c.r[2 * i + 1] >>> 0) << 32n) | BigInt(c.r[2 * i] >>> 0));
    return { x, sp: this.sp(c), pc: this.pcOf(c), pstate: c.packPstate(), el: c.el, spsel: c.r[SPSEL_INDEX] };
  }

  /** Writes X0..X30 (n 0..30), SP (31) or PC (32). */
  setX(cpu: number, n: number, v: bigint): void {
    const c = this.cpus[cpu];
    v = BigInt.asUintN(64, v);
    const lo = Number(v & 0xffffffffn) | 0;
    const hi = Number(v >> 32n) | 0;
    if (n === 32) {
      c.setPc(lo, hi);
      return;
    }
    c.r[2 * n] = lo;
    c.r[2 * n + 1] = hi;
  }

  /** A system register as MRS reads it, by name (ESR_EL1, VBAR_EL2...); undefined when there is none. */
  sysreg(cpu: number, name: string): bigint | undefined {
    if (name.startsWith('ICC_')) return this.gic.peekIcc(cpu, name); // never acknowledges
    try {
      return this.cpus[cpu].sys.get(name);
    } catch {
      return undefined;
    }
  }

  setPstateFlags(cpu: number, nzcv: number): void {
    this.cpus[cpu].nzcv = nzcv;
  }

  /** Names of the system registers CPU `cpu` implements (those `sysreg` can read), in table order. */
  sysregNames(cpu = 0): string[] {
    const c = this.cpus[cpu];
    return SYSREGS.filter((d) => c.sys.exists(d)).map((d) => d.name);
  }

  /**
   * Writes a system register as MSR would (write masks and views applied; read-only ones are written, as
   * a debugger may). Returns false when the CPU has no such register.
   */
  setSysreg(cpu: number, name: string, v: bigint): boolean {
    const c = this.cpus[cpu];
    const d = SYSREGS.find((x) => x.name === name);
    if (!d || !c.sys.exists(d)) return false;
    c.sys.set(name, v);
    if (name.startsWith('SCTLR_')) c.updateAlignCheck();
    c.flushTlb();
    return true;
  }

  /**
   * Writes PSTATE from its SPSR layout (the debugger's CPSR): NZCV, DAIF, and the EL and SPSel of M[3:0]
   * when they name an implemented EL (others are ignored).
   */
  setPstate(cpu: number, v: number): void {
    const c = this.cpus[cpu];
    c.nzcv = v >>> 0;
    c.r[I_DAIF] = (v >>> 6) & 0xf;
    const el = (v >>> 2) & 3;
    if (el <= c.opts.highestEl && (el !== c.el || (v & 1) !== c.r[SPSEL_INDEX])) c.setElSp(el, v & 1);
  }

  /** SIMD&FP register Vn as a 128-bit value (all zero until FP/SIMD instructions exist). */
  vreg(cpu: number, n: number): bigint {
    const r = this.cpus[cpu].r;
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(r[I_VREG + 4 * n + k] >>> 0);
    return v;
  }

  setVreg(cpu: number, n: number, v: bigint): void {
    const r = this.cpus[cpu].r;
    for (let k = 0; k < 4; k++) r[I_VREG + 4 * n + k] = Number((v >> BigInt(32 * k)) & 0xffffffffn) | 0;
  }

  /** FPSR and FPCR (32-bit views). */
  fpStatus(cpu = 0): { fpsr: number; fpcr: number } {
    const r = this.cpus[cpu].r;
    return { fpsr: r[I_FPSR] >>> 0, fpcr: r[I_FPCR] >>> 0 };
  }

  setFpStatus(cpu: number, fpsr: number, fpcr: number): void {
    const r = this.cpus[cpu].r;
    r[I_FPSR] = fpsr | 0;
    r[I_FPCR] = fpcr | 0;
  }

  // ---- memory ------------------------------------------------------------------------------------

  /** Reads guest memory by virtual address without side effects; unreadable bytes are null. */
  readMemory(va: bigint, length: number, cpu = 0): (number | null)[] {
    const out: (number | null)[] = [];
    let i = 0;
    while (i < length) {
      const a = va + BigInt(i);
      const n = Math.min(length - i, 4096 - Number(a & 0xfffn));
      const pa = this.physical(a, cpu);
      if (pa === undefined) for (let k = 0; k < n; k++) out.push(null);
      else out.push(...this.bus.peekBytes(pa, n));
      i += n;
    }
    return out;
  }

  /** Writes guest RAM by virtual address (the debugger's memory edits); returns bytes written. */
  writeMemory(va: bigint, data: Uint8Array, cpu = 0): number {
    let done = 0;
    while (done < data.length) {
      const a = va + BigInt(done);
      const n = Math.min(data.length - done, 4096 - Number(a & 0xfffn));
      const pa = this.physical(a, cpu);
      if (pa === undefined || this.bus.ramOffset(pa) < 0) break;
      this.bus.writeRamBytes(pa, data.subarray(done, done + n));
      for (const c of this.cpus) c.code.noteWrite(pa, n);
      done += n;
    }
    return done;
  }

  /**
   * Disassembles `count` instructions from `va` (objdump spelling, symbolized targets). Unreadable words
   * give a line with word null.
   */
  disassemble(va: bigint, count: number, cpu = 0): DisassembledLine[] {
    const out: DisassembledLine[] = [];
    const sym = (a: bigint): string | undefined => this.symbols.format(a);
    for (let i = 0; i < count; i++) {
      const address = BigInt.asUintN(64, va + BigInt(4 * i));
      const b = this.readMemory(address, 4, cpu);
      const location = sym(address);
      const m = this.symbols.symbolize(address);
      const label = m && m.offset === 0n ? m.name : undefined;
      if (b.some((x) => x === null)) {
        out.push({ address, word: null, text: '<unreadable>', label, location });
        continue;
      }
      const word = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
      out.push({ address, word, text: disassemble(word, address, sym).text, label, location });
    }
    return out;
  }

  // ---- input -------------------------------------------------------------------------------------

  /** Host keyboard input for UART `uart` (also feeds semihosting console reads). */
  input(uart: number, bytes: Uint8Array): void {
    this.uarts[uart]?.input(bytes);
    if (uart === 0) this.consoleInput.push(...bytes);
  }

  /** Virtual time: instructions retired by all CPUs. */
  get icount(): number {
    return this.cpus.reduce((s, c) => s + c.icount, 0);
  }
}

