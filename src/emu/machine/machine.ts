// A machine: CPUs, the physical bus, devices and firmware services built from one MachineSpec, plus the
// synchronous control and inspection API the debug adapter and the command line use (load, run, step,
// breakpoints, registers, memory, disassembly, UART input/output). Addresses and register values cross
// this API as BigInt; inside, everything stays in 32-bit halves.
//
// Scheduling and time (deterministic): the CPUs run round-robin, QUANTUM instructions each per round (a
// lone CPU runs its whole budget). The machine clock (the system counter, in ticks) is set on every CPU
// at the start of a round and advances by the most instructions any CPU retired in it. When no CPU retires
// anything in a round (all wait in WFI/WFE or are off), the clock jumps straight to the next timer
// deadline; with no deadline either, the machine is idle (only host input can change anything).
import { Cpu, type CpuHooks, type CpuStop } from '../cpu/cpu';
import { cpuModel } from '../cpu/models';
import type { InterruptPort } from '../cpu/interrupts';
import { EC_NAMES, type AsyncKind, type SyncException } from '../cpu/exceptions';
import { I_DAIF, I_FPCR, I_FPSR, I_PC, I_SPSEL as SPSEL_INDEX, I_VREG, SLOT_SP } from '../cpu/regs';
import { SYSREGS } from '../cpu/sysregs';
import { Watchpoints, type WatchHit, type Watchpoint } from '../cpu/watchpoints';
import { CodeStore } from '../cpu/decodeCache';
import { SnapshotMonitor } from '../cpu/monitor';
import { ticksToNextDeadline, timerSnapshot, type TimerSnapshot } from '../cpu/timer';
import type { WalkResult } from '../cpu/mmu';
import { disassemble } from '../isa/disasm';
import { Pl011 } from '../devices/pl011';
import { Gic, type GicEvent } from '../devices/gic/gic';
import type { GuestMemory } from '../devices/gic/itsTables';
import { Bus } from '../memory/bus';
import { StateMemory } from '../memory/stateMemory';
import { loadKernel, SymbolTable, type LoadedImage } from '../loader';
import { buildDtb } from './dtb';
import { PSCI_STATUS, psciCall } from './psci';
import { Semihosting, SEMIHOSTING_HLT_IMM } from './semihosting';
import { cpuAffinity, type MachineOptions, type MachineSpec } from './spec';
import { virtSpec } from './virt';
import { gravitonSpec } from './graviton';
import { RTC_EPOCH, type DeviceSpec } from './spec';
import { Uart16550 } from '../devices/uart16550';
import { Pl031 } from '../devices/pl031';
import type { MmioDevice } from '../devices/mmio';
import { PciWiring } from './pciWiring';

/** Instructions each CPU runs per round when there are several (deterministic round-robin). */
export const QUANTUM = 4096;

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
  /** A CPU turned stage 1 translation on (SCTLR_ELx.M 0 -> 1). */
  mmuEnabled?(e: MmuEnabledEvent): void;
  /** A CPU took an IRQ, FIQ or SError (or a virtual one). */
  interruptTaken?(e: InterruptTakenEvent): void;
  /** A generic timer's output rose (its PPI is asserted). */
  timerFired?(e: TimerFiredEvent): void;
  /** A CPU took a synchronous exception (after ESR/ELR/SPSR were written; the PC is at the vector). */
  exceptionTaken?(e: ExceptionTakenEvent): void;
  /** A CPU executed ERET. */
  exceptionReturned?(e: { cpu: number; fromEl: number; toEl: number; pc: bigint; icount: number }): void;
  /** A CPU was powered on (PSCI CPU_ON) or off (CPU_OFF). */
  cpuPower?(e: { cpu: number; on: boolean; icount: number }): void;
}

export interface MmuEnabledEvent {
  cpu: number;
  regime: 'EL1&0' | 'EL2';
  /** Address of the instruction after the MSR that enabled it. */
  pc: bigint;
  icount: number;
  ttbr0: bigint;
  ttbr1?: bigint;
  tcr: bigint;
  mair: bigint;
}

export interface ExceptionTakenEvent {
  cpu: number;
  ec: number;
  esr: number;
  /** EC_NAMES[ec]. */
  description: string;
  fromEl: number;
  targetEl: number;
  /** Address of the instruction that raised it, and the vector taken. */
  from: bigint;
  vector: bigint;
  far?: bigint;
  icount: number;
}

export interface InterruptTakenEvent {
  cpu: number;
  kind: AsyncKind;
  targetEl: number;
  /** The vector address the CPU went to, and the interrupted PC (ELR). */
  vector: bigint;
  from: bigint;
  icount: number;
}

export interface TimerFiredEvent {
  cpu: number;
  timer: string;
  ppi: number;
  counter: number;
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
  /** An initial RAM disk (Linux initramfs): placed after the kernel, named in /chosen (linux,initrd-start/end). */
  initrd?: Uint8Array;
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

/** What the machine needs of a UART, PL011 or 16550: host input, what waits, and its MMIO face. */
export interface ConsoleUart {
  input(bytes: Uint8Array | number[]): void;
  readonly rxWaiting: number;
  readonly mmio: MmioDevice;
  snapshot(): object;
}

export class Machine {
  readonly spec: MachineSpec;
  readonly mem: StateMemory;
  readonly bus: Bus;
  readonly cpus: Cpu[] = [];
  /** The UARTs (PL011 or 16550), in spec order: uart index 0 is the console. */
  readonly uarts: ConsoleUart[] = [];
  readonly rtcs: Pl031[] = [];
  readonly gic: Gic;
  /** The PCIe host and its functions (pciWiring.ts), when the spec has one. */
  readonly pci?: PciWiring;
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
  /** Round-robin state (see the top of this file). */
  private clock = 0;
  private rr = 0;
  private roundMax = 0;
  private roundUsed: number[] = [];
  private quantumLeft = -1;

  constructor(options: MachineOptions = {}, readonly events: MachineEvents = {}) {
    this.spec = options.machine === 'graviton' ? gravitonSpec(options) : virtSpec(options);
    const spec = this.spec;
    this.mem = new StateMemory(spec.ram.size + 16 * 1024 * 1024);
    this.bus = new Bus(this.mem);
    this.bus.addRam('ram', spec.ram.base, spec.ram.size);
    this.gic = this.createGic(spec.cpus);
    if (spec.pcie) {
      this.pci = new PciWiring(spec.pcie, {
        bus: this.bus,
        noteWrite: (pa, n) => { for (const c of this.cpus) c.code.noteWrite(pa, n); },
        guestError: (m) => this.reportGuestError(this.cpus[0], m),
        guestWarning: (m) => this.reportGuestWarning(this.cpus[0], m),
        setSpi: (spi, level) => this.gic.setSpiLevel(32 + spi, level),
        consoleOut: (bytes) => this.events.console?.(bytes, 'stdout'),
      });
    }
    for (const d of spec.devices) this.createDevice(d);
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
      sev: () => {
        for (const o of this.cpus) o.eventRegister = true;
      },
      mmuEnabled: (c, regime) => {
        if (!this.events.mmuEnabled) return;
        const g = (n: string): bigint => c.sys.get(n);
        const el2 = regime === 'EL2';
        this.events.mmuEnabled({
          cpu: c.index, regime, pc: this.pcOf(c) + 4n, icount: c.icount, ttbr0: g(el2 ? 'TTBR0_EL2' : 'TTBR0_EL1'),
          ttbr1: el2 ? undefined : g('TTBR1_EL1'), tcr: g(el2 ? 'TCR_EL2' : 'TCR_EL1'), mair: g(el2 ? 'MAIR_EL2' : 'MAIR_EL1'),
        });
      },
      interruptTaken: (c, kind, targetEl) => {
        this.events.interruptTaken?.({
          cpu: c.index, kind, targetEl, vector: this.pcOf(c), from: c.sys.get(`ELR_EL${targetEl}`), icount: c.icount,
        });
      },
      timerFired: (c, timer, ppi) => this.events.timerFired?.({ cpu: c.index, timer, ppi, counter: c.counter() }),
      exceptionReturned: (c, fromEl) => this.events.exceptionReturned?.({ cpu: c.index, fromEl, toEl: c.el, pc: this.pcOf(c), icount: c.icount }),
    };
    const codeStore = new CodeStore();
    // with several CPUs, exclusives also go through a global monitor (monitor.ts)
    const global = spec.cpus > 1 ? new SnapshotMonitor((pa, n) => this.bus.peekBytes(pa, n)) : undefined;
    for (let i = 0; i < spec.cpus; i++) {
      const c = new Cpu(i, this.mem, this.bus, hooks, {
        highestEl: spec.entryEl, cntfrq: spec.cntfrq, mpidr: cpuAffinity(i), model: cpuModel(spec.cpuModel), rngSeed: options.rngSeed,
        interrupts: this.gic satisfies InterruptPort,
        codeStore,
      });
      c.monitor.global = global;
      this.cpus.push(c);
      this.gic.connectCpu(i, c);
    }
    this.resetCpus();
  }

  /** Creates a device of the spec and maps it on the bus; its interrupt goes to the GIC SPI the spec names. */
  private createDevice(d: DeviceSpec): void {
    const name = `${d.name}@0x${d.base.toString(16)}`;
    const onIrq = (level: boolean) => this.gic.setSpiLevel(32 + d.spi, level);
    const guestError = (m: string) => this.reportGuestError(this.cpus[0], m);
    let mmio: MmioDevice;
    if (d.kind === 'pl031') {
      const rtc = new Pl031({ name, epoch: RTC_EPOCH, now: () => (this.cpus[0]?.counter() ?? 0) / this.spec.cntfrq, onIrq, guestError });
      this.rtcs.push(rtc);
      mmio = rtc.mmio;
    } else {
      const i = this.uarts.length;
      const onTx = (b: number) => this.events.uartTx?.(i, b);
      const uart = d.kind === 'pl011'
        ? new Pl011({ name, onTx, onIrq, guestError, guestWarning: (m) => this.reportGuestWarning(this.cpus[0], m) })
        : new Uart16550({ name, onTx, onIrq, guestError, regShift: d.regShift });
      this.uarts.push(uart);
      mmio = uart.mmio;
    }
    this.bus.addMmio(d.base, d.size, mmio);
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
    cpuOn: (c: Cpu, affinity: bigint, entry: bigint, context: bigint): number => {
      const t = this.cpuByAffinity(affinity);
      if (!t) return PSCI_STATUS.INVALID_PARAMETERS;
      if (!t.off) return PSCI_STATUS.ALREADY_ON;
      // the entry point is a physical address (the CPU starts with the MMU off)
      if (entry >= 1n << 48n || this.bus.ramOffset(Number(entry)) < 0) return PSCI_STATUS.INVALID_ADDRESS;
      this.powerOn(t, entry, context, c.counter());
      return PSCI_STATUS.SUCCESS;
    },
    cpuOff: (c: Cpu) => {
      c.off = true;
      c.waiting = false;
      this.events.cpuPower?.({ cpu: c.index, on: false, icount: c.icount });
      // the last CPU going off powers the machine off; otherwise just this CPU leaves its loop
      if (this.cpus.every((o) => o.off)) this.stop(c, { kind: 'poweroff' });
      else c.requestStop('cpu-off');
    },
    affinityInfo: (affinity: bigint): number => {
      const t = this.cpuByAffinity(affinity);
      return t ? (t.off ? 1 : 0) : PSCI_STATUS.INVALID_PARAMETERS;
    },
  };

  private cpuByAffinity(affinity: bigint): Cpu | undefined {
    // Aff3 [39:32], Aff2..Aff0 [23:0]
    const aff = Number(affinity & 0xffffffn) + Number((affinity >> 32n) & 0xffn) * 0x1000000;
    return this.cpus.find((c) => c.opts.mpidr === aff);
  }

  /** Powers a CPU on at `entry` (as PSCI CPU_ON does): reset state, entry EL, MMU off, x0 = context. */
  private powerOn(t: Cpu, entry: bigint, context: bigint, counter: number): void {
    const icount = t.icount;
    t.reset();
    t.icount = icount;
    t.setElSp(this.spec.entryEl, 1);
    t.setClock(counter);
    t.setPc(Number(entry & 0xffffffffn) | 0, Number((entry >> 32n) & 0xffffffffn) | 0);
    t.r[0] = Number(context & 0xffffffffn) | 0;
    t.r[1] = Number((context >> 32n) & 0xffffffffn) | 0;
    this.events.cpuPower?.({ cpu: t.index, on: true, icount: t.icount });
  }

  private resetCpus(): void {
    for (const c of this.cpus) {
      c.reset();
      c.setElSp(this.spec.entryEl, 1);
      // secondary CPUs wait, powered off, for PSCI CPU_ON
      c.off = c.index !== 0;
    }
    this.clock = 0;
    this.rr = 0;
    this.roundMax = 0;
    this.roundUsed = this.cpus.map(() => 0);
    this.quantumLeft = -1;
  }

  /** Raises (or withdraws) a physical SError on a CPU: taken when PSTATE.A allows (exceptions.ts). */
  raiseSError(cpu = 0, pending = true): void {
    this.cpus[cpu].setSError(pending);
  }

  /** The stage 1 walk of a VA on a CPU (each level's descriptor, the PA or the fault), without side effects. */
  translate(va: bigint, cpu = 0, el?: number): WalkResult {
    return this.cpus[cpu].walk(va, el);
  }

  /** The generic timers of a CPU (panels, debugger), read without side effects. */
  timers(cpu = 0): TimerSnapshot[] {
    return timerSnapshot(this.cpus[cpu]);
  }

  /** The system counter (CNTPCT_EL0) as the CPU that got furthest sees it now. */
  get counter(): number {
    let t = this.clock;
    for (const c of this.cpus) if (!c.off && c.counter() > t) t = c.counter();
    return t;
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
    if (this.events.exceptionTaken) {
      const target = c.el;
      this.events.exceptionTaken({
        cpu: c.index, ec: ex.ec, esr: ex.esr, description: EC_NAMES[ex.ec] ?? `EC 0x${ex.ec.toString(16)}`,
        fromEl: Number((c.sys.get(`SPSR_EL${target}`) >> 2n) & 3n), targetEl: target, from, vector: this.pcOf(c),
        far: ex.far ? c.sys.get(`FAR_EL${target}`) : undefined, icount: c.icount,
      });
    }
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
    this.pci?.reset();
    this.resetCpus();
    for (const c of this.cpus) c.code.clear();
    for (const s of img.segments) {
      const zeros = new Uint8Array(Number(s.memsz));
      this.bus.writeRamBytes(Number(s.paddr), zeros);
      this.bus.writeRamBytes(Number(s.paddr), s.data);
      if (s.paddr + s.memsz > top) top = s.paddr + s.memsz;
    }
    // initrd: 2 MiB aligned, leaving 2 MiB after the image for the device tree (the arm64 boot protocol wants
    // it in memory the kernel maps, not overlapping the image or the DTB)
    let initrd: { start: bigint; end: bigint } | undefined;
    if (opts.initrd) {
      const start = ((top + 0x1fffffn) & ~0x1fffffn) + 0x200000n;
      const end = start + BigInt(opts.initrd.length);
      if (end > ramEnd) throw new Error(`${fileName}: no room in guest RAM for the ${opts.initrd.length}-byte initrd after the kernel`);
      this.bus.writeRamBytes(Number(start), opts.initrd);
      initrd = { start, end };
    }
    // DTB: at the start of RAM when the image leaves room there (QEMU's choice for bare-metal images),
    // otherwise after the image, 2 MiB aligned.
    const dtb = buildDtb(this.spec, { initrd });
    if (dtb.length > 0x200000) throw new Error(`${fileName}: the device tree is larger than 2 MiB`);
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
    let left = budget;
    for (const c of this.cpus) c.bpSkipAt = opts.skipAtPc === false ? -1 : c.icount;
    const n = this.cpus.length;
    while (left > 0) {
      if (this.rr === 0 && this.quantumLeft < 0) {
        // a new round: every CPU's counter starts from the machine clock
        for (const c of this.cpus) c.setClock(this.clock);
        this.roundMax = 0;
        this.roundUsed.fill(0);
      }
      const c = this.cpus[this.rr];
      // a lone CPU has one endless quantum: its round ends when it waits
      const remaining = this.quantumLeft >= 0 ? this.quantumLeft : n > 1 ? QUANTUM : Infinity;
      const q = Math.min(remaining, left);
      const before = c.icount;
      const stop: CpuStop = c.off ? 'halt' : c.run(q);
      const ran = c.icount - before;
      left -= ran;
      this.roundUsed[this.rr] += ran;
      if (this.roundUsed[this.rr] > this.roundMax) this.roundMax = this.roundUsed[this.rr];
      const rest = remaining - ran;
      const r = this.translateStop(c, stop);
      if (r !== 'continue' && r.kind !== 'budget') {
        // stopped inside the quantum (breakpoint, power off, exception filter...): resume this CPU there
        if (rest > 0 && !c.off && stop !== 'wfi') this.quantumLeft = rest;
        else this.nextCpu();
        return r;
      }
      if (stop === 'budget' && rest > 0) {
        // the caller's budget ended inside this CPU's quantum
        this.quantumLeft = rest;
        continue;
      }
      const idle = this.nextCpu();
      if (idle) return idle;
    }
    return { kind: 'budget' };
  }

  /** Moves to the next CPU; at the end of a round advances the clock. Returns an idle stop when nothing can run. */
  private nextCpu(): StopReason | null {
    this.quantumLeft = -1;
    if (++this.rr < this.cpus.length) return null;
    this.rr = 0;
    // WFE: a CPU waiting for an event also wakes when another CPU ran in the round (it may have released
    // the lock the waiter watches: we do not model the global exclusive monitor's event, and a WFE may
    // always end early)
    if (this.cpus.length > 1) {
      for (const c of this.cpus) {
        if (c.waiting && c.waitingForEvent && this.roundUsed.some((n, i) => n > 0 && i !== c.index)) c.eventRegister = true;
      }
    }
    if (this.roundMax > 0) {
      // the clock follows the CPU that got furthest (counters only move forward, also across single steps)
      let t = this.clock;
      for (const c of this.cpus) if (!c.off && c.counter() > t) t = c.counter();
      this.clock = t;
      return null;
    }
    // Nobody ran: every CPU waits or is off. Jump to the next timer deadline, if any.
    let ticks = Infinity;
    for (const c of this.cpus) if (!c.off) ticks = Math.min(ticks, ticksToNextDeadline(c));
    if (ticks !== Infinity) {
      this.clock += Math.max(ticks, 1);
      return null;
    }
    const waiting = this.cpus.find((c) => !c.off && c.waiting) ?? this.cpus[0];
    return { kind: 'idle', cpu: waiting.index };
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
        // the CPU waits: the round goes on; Machine.nextCpu decides whether the machine is idle
        return 'continue';
      case 'halt':
        return 'continue';
    }
  }

  // ---- breakpoints -------------------------------------------------------------------------------

  /**
   * Physical address for a virtual one under the current translation of a CPU (its current EL's regime);
   * undefined if unmapped. Permissions are not checked: the debugger may read what the guest may not.
   */
  physical(va: bigint, cpu = 0): number | undefined {
    // a page whose access flag is clear still has its PA (the walk reports both)
    return this.cpus[cpu].walk(va).pa;
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
    // Host input is a wake-up event for a CPU waiting in WFI/WFE (IMPLEMENTATION DEFINED; a WFI may end at
    // any time): without an interrupt line from the UART, polling guests still see their input.
    for (const c of this.cpus) c.waiting = false;
  }

  /** Virtual time: instructions retired by all CPUs. */
  get icount(): number {
    return this.cpus.reduce((s, c) => s + c.icount, 0);
  }
}

