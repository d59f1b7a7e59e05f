// The one interface the DAP session talks to (DESIGN.md, "Debug adapter ↔ emulator ↔ panels"): an
// asynchronous debug target that can load a kernel, run, pause, step, hold breakpoints, and show registers,
// memory, disassembly and the call stack. Its results and events speak in CPU indexes and BigInt addresses,
// never in DAP ids or strings; the session maps them to the protocol. EmuTarget (emuTarget.ts) implements
// it over the in-process emulator; a worker-backed or GDB-backed target can implement it later without the
// session changing.

import type { Gic, GicSnapshot } from '../emu/index';
import type { EventFilterSpec, EventHit } from './eventFilters';
import type { GicActivitySnapshot } from './gicActivity';

/** How to build the machine and what to boot on it. */
export interface TargetLaunchOptions {
  /** The kernel's bytes and the name to report problems under (the user's path). */
  bytes: Uint8Array;
  fileName: string;
  machine: 'virt';
  /** Guest RAM in bytes. */
  memory: number;
  /** Exception level at entry. */
  el: 1 | 2;
  /** CPU model name (src/emu CPU_MODEL_NAMES). */
  cpu: string;
  semihosting: boolean;
  /** Load address for raw binaries and Linux Images; ELF files load at their own addresses. */
  loadAddress?: bigint;
  bootargs?: string;
}

export interface TargetLoadInfo {
  kind: 'elf' | 'image' | 'raw';
  entry: bigint;
  dtbAddress?: bigint;
  cpus: number;
  symbolCount: number;
  /** The ELF's sections with file bytes (DWARF lives there); empty for Image and raw kernels. */
  sections: TargetSection[];
}

export interface TargetSection {
  name: string;
  addr: bigint;
  data: Uint8Array;
}

/**
 * How a source-line step proceeds (the adapter builds it from the line table; the target runs it).
 * After each instruction, and after each call it stepped over, the target asks `decide` with the new PC:
 * 'step' goes on, 'stop' ends the step, 'return' (only when `enteredCall`: the instruction just run was a
 * BL/BLR) runs until that call returns, as step over would have.
 */
export interface LineStepPlan {
  /** Step over BL/BLR (next) instead of into them (step in). */
  overCalls: boolean;
  decide(pc: bigint, enteredCall: boolean): 'step' | 'stop' | 'return';
  /** A bound on single-stepped instructions; the step then ends where it is. */
  maxInstructions: number;
}

export type StepGranularity = 'instruction';

/** Why the target stopped (the session maps these to DAP stopped reasons). */
export type TargetStop =
  | { reason: 'entry'; cpu: number }
  | { reason: 'step'; cpu: number }
  | { reason: 'pause'; cpu: number }
  | { reason: 'breakpoint'; cpu: number; pc: bigint }
  | { reason: 'exception'; cpu: number; kind: 'exception'; ec: number; description: string; from: bigint }
  | { reason: 'exception'; cpu: number; kind: 'guest-error'; message: string }
  /** An event filter matched (eventFilters.ts); PC is after `cause`, the instruction that caused the event. */
  | { reason: 'exception'; cpu: number; kind: 'event'; hit: EventHit; cause: bigint }
  | { reason: 'error'; cpu: number; message: string };

export interface TargetTermination {
  reason: 'poweroff' | 'reset' | 'exit';
  exitCode: number;
}

export interface TargetGuestError {
  cpu: number;
  pc: bigint;
  icount: number;
  message: string;
}

export interface TargetEvents {
  /** The target stopped running (after continue, step, pause) and is ready for inspection. */
  stopped(e: TargetStop): void;
  /** Bytes a UART transmitted. */
  output(uart: number, data: Uint8Array): void;
  /** Semihosting console output. */
  console(data: Uint8Array, stream: 'stdout' | 'stderr'): void;
  /** The guest is gone: powered off, reset, or exited through semihosting. */
  terminated(e: TargetTermination): void;
  /** A guest-visible problem the emulator noticed (it may or may not stop the target). */
  guestError(e: TargetGuestError): void;
  /** The guest waits for an interrupt that only host input can raise (once per wait). */
  idle(cpu: number): void;
}

export interface TargetRegisters {
  /** X0..X30. */
  x: bigint[];
  sp: bigint;
  pc: bigint;
  /** PSTATE in SPSR layout. */
  pstate: number;
  el: number;
  spsel: number;
}

/** A register the debugger may write: 'x0'..'x30', 'sp', 'pc', or a PSTATE flag 'n' 'z' 'c' 'v'. */
export type RegisterName = `x${number}` | 'sp' | 'pc' | 'n' | 'z' | 'c' | 'v';

export interface TargetInstruction {
  address: bigint;
  /** null when the word cannot be read. */
  word: number | null;
  /** objdump spelling ("bl\t40080050 <c>"); '<unreadable>' when word is null. */
  text: string;
  /** Symbol starting at this address. */
  label?: string;
  /** 'sym+0x10' for this address. */
  location?: string;
}

export interface TargetFrame {
  /** Frame 0 is the current PC; later frames are return addresses. */
  pc: bigint;
  /** 'sym+0x10' or undefined when no symbol covers pc. */
  location?: string;
  /** Frame pointer of this frame when known. */
  fp?: bigint;
  /** Lowest SP the caller of this frame can have once this frame returned (for step out). */
  cfa?: bigint;
  /** How this frame was found. */
  how: 'pc' | 'lr' | 'frame-record';
}

export interface BreakpointResult {
  verified: boolean;
  address?: bigint;
  message?: string;
}

export interface ExceptionFilters {
  /** ESR exception classes to stop on (0x00: undefined instruction). */
  exceptionClasses: number[];
  /** Stop on guest errors (unmapped accesses, device misuse). */
  guestErrors: boolean;
  /** Device and architectural event filters ("ITS MAPTI" with a condition), already checked. */
  events?: EventFilterSpec[];
}

export interface TargetGicState {
  gic: GicSnapshot;
  activity: GicActivitySnapshot;
}

export type TargetMsiPath = ReturnType<Gic['msiPath']>;

export type TargetState = 'unloaded' | 'stopped' | 'running' | 'idle' | 'terminated';

export interface DebugTarget {
  readonly state: TargetState;
  /** Number of CPUs (valid after load). */
  readonly cpuCount: number;

  on<K extends keyof TargetEvents>(event: K, listener: TargetEvents[K]): void;

  /** Builds the machine and loads the kernel; rejects with the loader's message (naming the file). */
  load(opts: TargetLaunchOptions): Promise<TargetLoadInfo>;
  /** Resumes all CPUs; a later `stopped` or `terminated` event says how it ended. */
  continue(): Promise<void>;
  /** Asks a running target to stop; `stopped` with reason 'pause' follows. No-op when stopped. */
  pause(): Promise<void>;
  /** One step of the given granularity on a CPU; `stopped` with reason 'step' follows. */
  step(cpu: number, granularity: StepGranularity): Promise<void>;
  /** Steps over a call (BL/BLR) at PC, otherwise one instruction. */
  stepOver(cpu: number): Promise<void>;
  /** Runs until the current function returns to its caller. */
  stepOut(cpu: number): Promise<void>;
  /** A source-level step driven by a plan; `stopped` with reason 'step' follows (or a breakpoint's). */
  stepLines(cpu: number, plan: LineStepPlan): Promise<void>;
  /** Runs until PC reaches `address` with SP >= spFloor (step out to a frame the adapter unwound). */
  runTo(cpu: number, address: bigint, spFloor?: bigint): Promise<void>;

  setInstructionBreakpoints(addresses: bigint[]): Promise<BreakpointResult[]>;
  setFunctionBreakpoints(names: string[]): Promise<BreakpointResult[]>;
  /** Replaces the breakpoints bound from source lines (all files together). */
  setSourceBreakpoints(addresses: bigint[]): Promise<BreakpointResult[]>;
  setExceptionFilters(filters: ExceptionFilters): Promise<void>;

  registers(cpu: number): Promise<TargetRegisters>;
  /** A system register as MRS reads it (name like 'VBAR_EL1', any case); undefined when there is none. */
  systemRegister(cpu: number, name: string): Promise<bigint | undefined>;
  setRegister(cpu: number, name: RegisterName, value: bigint): Promise<void>;
  /** Reads by virtual address without side effects; unreadable bytes are null. */
  readMemory(address: bigint, length: number, cpu?: number): Promise<(number | null)[]>;
  /** Writes guest RAM by virtual address; returns the number of bytes written. */
  writeMemory(address: bigint, data: Uint8Array, cpu?: number): Promise<number>;
  disassemble(address: bigint, count: number, cpu?: number): Promise<TargetInstruction[]>;
  stackFrames(cpu: number, maxFrames: number): Promise<TargetFrame[]>;

  /** Address of a symbol, or undefined. */
  lookupSymbol(name: string): bigint | undefined;
  /** 'sym+0x10' for a code address, or undefined. */
  symbolize(address: bigint): string | undefined;

  /** The GIC's state (without side effects) and its recent activity; undefined when there is no GIC. */
  gicState(): Promise<TargetGicState | undefined>;
  /** Follows an MSI (DeviceID, EventID) from GITS_TRANSLATER to its CPU; undefined when there is no ITS. */
  msiPath(deviceId: number, eventId: number): Promise<TargetMsiPath | undefined>;

  /** Host keyboard input for a UART (also wakes a target that is idle waiting for it). */
  input(uart: number, data: Uint8Array): Promise<void>;
  /** Stops running for good and releases the machine. */
  dispose(): void;
}

/** A minimal typed event hub for targets (no Node 'events', so the adapter can also run in a web worker). */
export class TargetEmitter {
  private readonly listeners = new Map<keyof TargetEvents, ((...args: never[]) => void)[]>();

  on<K extends keyof TargetEvents>(event: K, listener: TargetEvents[K]): void {
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
  }

  emit<K extends keyof TargetEvents>(event: K, ...args: Parameters<TargetEvents[K]>): void {
    for (const l of this.listeners.get(event) ?? []) (l as unknown as (...a: Parameters<TargetEvents[K]>) => void)(...args);
  }
}
