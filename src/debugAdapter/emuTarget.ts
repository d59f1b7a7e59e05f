// DebugTarget over the in-process emulator (src/emu's Machine). The machine's API is synchronous, so this
// target runs the guest in slices — a few hundred thousand instructions, sized so that one slice takes a few
// tens of milliseconds — and yields to the event loop between slices (setImmediate). DAP requests, pause
// above all, are therefore answered within one slice while the guest runs. UART and semihosting output is
// gathered during a slice and emitted, in order, at its end.
//
// Stepping: a single step is Machine.step. Step over puts a temporary breakpoint after a BL/BLR with an SP
// floor of the current SP (so a recursive call of the same function does not stop early) and runs; step
// out does the same at the return address the unwinder finds, with the frame's CFA as the floor.
//
// When the machine reports `idle` (every CPU in WFI and nothing pending that the machine could raise by
// itself), the target waits for host input (UART bytes) and then resumes; a pause in that state stops at
// once. An exception thrown out of the emulator (a bug, or an instruction whose handler is still missing)
// stops the target with reason 'error' instead of killing the adapter.

import { Machine, type StopReason } from '../emu/index';
import {
  TargetEmitter,
  type BreakpointResult, type DebugTarget, type ExceptionFilters, type LineStepPlan, type RegisterName, type StepGranularity,
  type TargetEvents, type TargetFrame, type TargetInstruction, type TargetLaunchOptions, type TargetLoadInfo,
  type TargetRegisters, type TargetState, type TargetStop, type TargetGicState, type TargetMsiPath,
} from './debugTarget';
import { EmuEventTap } from './emuEvents';
import { hexAddr } from './format';
import { u32le } from './memory';
import { isBl, isBlr, unwind, type UnwindMemory } from './unwind';

export interface EmuTargetOptions {
  /** Instructions in the first slice (adapted afterwards). Default 200k. */
  sliceInstructions?: number;
  /** Bounds of the adaptive slice. Defaults 20k and 1M. */
  minSlice?: number;
  maxSlice?: number;
  /** Host time one slice should take, in ms. Default 30. */
  sliceMs?: number;
}

type OutputChunk =
  | { kind: 'uart'; uart: number; bytes: number[] }
  | { kind: 'console'; stream: 'stdout' | 'stderr'; bytes: number[] };

/**
 * What a run in progress is for: plain continue, a step that ends at a temporary breakpoint, or a source
 * line step waiting at a temporary breakpoint for a call to return (then it goes on single-stepping).
 */
type RunMode =
  | { kind: 'continue' }
  | { kind: 'step-to'; cpu: number; address: bigint }
  | { kind: 'line'; cpu: number; address: bigint; plan: LineStepPlan; steps: number };

/** Instructions a source step single-steps before yielding to the event loop (so pause stays prompt). */
const LINE_STEP_CHUNK = 20_000;

const defer: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => void setImmediate(f) : (f) => void setTimeout(f, 0);

export class EmuTarget implements DebugTarget {
  private machine?: Machine;
  private readonly emitter = new TargetEmitter();
  private _state: TargetState = 'unloaded';
  private mode: RunMode = { kind: 'continue' };
  private pauseRequested = false;
  private scheduled = false;
  private slice: number;
  private readonly minSlice: number;
  private readonly maxSlice: number;
  private readonly sliceMs: number;
  private output: OutputChunk[] = [];
  private instructionBps: bigint[] = [];
  private functionBps: bigint[] = [];
  private sourceBps: bigint[] = [];
  /** GIC events: event filters and the GIC/ITS panel (emuEvents.ts). */
  private readonly tap = new EmuEventTap();

  constructor(opts: EmuTargetOptions = {}) {
    this.slice = opts.sliceInstructions ?? 200_000;
    this.minSlice = opts.minSlice ?? 20_000;
    this.maxSlice = opts.maxSlice ?? 1_000_000;
    this.sliceMs = opts.sliceMs ?? 30;
  }

  get state(): TargetState {
    return this._state;
  }

  get cpuCount(): number {
    return this.machine?.cpus.length ?? 0;
  }

  on<K extends keyof TargetEvents>(event: K, listener: TargetEvents[K]): void {
    this.emitter.on(event, listener);
  }

  private get m(): Machine {
    if (!this.machine) throw new Error('no kernel is loaded');
    return this.machine;
  }

  // ---- loading -----------------------------------------------------------------------------------

  async load(opts: TargetLaunchOptions): Promise<TargetLoadInfo> {
    const machine = new Machine(
      { machine: opts.machine, memory: opts.memory, el: opts.el, cpu: opts.cpu, semihosting: opts.semihosting, bootargs: opts.bootargs },
      {
        uartTx: (uart, byte) => this.queue({ kind: 'uart', uart, bytes: [byte] }),
        console: (bytes, stream) => this.queue({ kind: 'console', stream, bytes: Array.from(bytes) }),
        guestError: (e) => {
          this.flushOutput();
          this.emitter.emit('guestError', { cpu: e.cpu, pc: e.pc, icount: e.icount, message: e.message });
        },
        gic: (e) => this.tap.onGic(e),
        mmuEnabled: (e) => this.tap.onMmuEnabled(e),
      },
    );
    this.tap.bind(machine);
    const img = machine.load(opts.bytes, opts.fileName, { loadAddress: opts.loadAddress });
    this.machine = machine;
    this._state = 'stopped';
    return {
      kind: img.kind,
      entry: img.physEntry,
      dtbAddress: machine.dtbAddress,
      cpus: machine.cpus.length,
      symbolCount: machine.symbols.size,
      sections: (img.sections ?? []).map((s) => ({ name: s.name, addr: s.addr, data: s.data })),
    };
  }

  // ---- output ------------------------------------------------------------------------------------

  private queue(c: OutputChunk): void {
    const last = this.output[this.output.length - 1];
    if (last && last.kind === c.kind && (c.kind === 'uart' ? (last as typeof c).uart === c.uart : (last as typeof c).stream === c.stream)) {
      for (const b of c.bytes) last.bytes.push(b);
    } else {
      this.output.push(c);
    }
  }

  private flushOutput(): void {
    const out = this.output;
    if (!out.length) return;
    this.output = [];
    for (const c of out) {
      if (c.kind === 'uart') this.emitter.emit('output', c.uart, Uint8Array.from(c.bytes));
      else this.emitter.emit('console', Uint8Array.from(c.bytes), c.stream);
    }
  }

  // ---- running -----------------------------------------------------------------------------------

  async continue(): Promise<void> {
    if (this._state !== 'stopped') return;
    this.startRun({ kind: 'continue' });
  }

  async pause(): Promise<void> {
    if (this._state === 'running') this.pauseRequested = true;
    else if (this._state === 'idle') this.stopWith({ reason: 'pause', cpu: 0 });
  }

  async step(cpu: number, _granularity: StepGranularity): Promise<void> {
    if (this._state !== 'stopped') return;
    this.singleStep(cpu);
  }

  async stepOver(cpu: number): Promise<void> {
    if (this._state !== 'stopped') return;
    const m = this.m;
    const regs = m.registers(cpu);
    const word = u32le(m.readMemory(regs.pc, 4, cpu));
    if (word === undefined || !(isBl(word) || isBlr(word))) {
      this.singleStep(cpu);
      return;
    }
    const address = regs.pc + 4n;
    m.setTempBreakpoint(address, regs.sp);
    this.startRun({ kind: 'step-to', cpu, address });
  }

  async stepOut(cpu: number): Promise<void> {
    if (this._state !== 'stopped') return;
    const frames = this.unwindNow(cpu, 2);
    const caller = frames[1];
    if (!caller) {
      // No caller known (outermost frame, or no frame records): nothing to return to; take one step.
      this.singleStep(cpu);
      return;
    }
    this.m.setTempBreakpoint(caller.pc, frames[0]!.cfa);
    this.startRun({ kind: 'step-to', cpu, address: caller.pc });
  }

  async runTo(cpu: number, address: bigint, spFloor?: bigint): Promise<void> {
    if (this._state !== 'stopped') return;
    this.m.setTempBreakpoint(address, spFloor);
    this.startRun({ kind: 'step-to', cpu, address });
  }

  async stepLines(cpu: number, plan: LineStepPlan): Promise<void> {
    if (this._state !== 'stopped') return;
    this._state = 'running';
    this.pauseRequested = false;
    this.mode = { kind: 'line', cpu, address: -1n, plan, steps: 0 };
    // Like every stop, the first one comes after the request's response.
    defer(() => this.lineSteps());
  }

  /** Single-steps a source step in chunks; calls are run to their return at a temporary breakpoint. */
  private lineSteps(): void {
    const mode = this.mode;
    if (this._state !== 'running' || mode.kind !== 'line') return;
    if (this.pauseRequested) {
      this.stopWith({ reason: 'pause', cpu: mode.cpu });
      return;
    }
    const m = this.m;
    const cpu = mode.cpu;
    try {
      for (let n = 0; n < LINE_STEP_CHUNK; n++) {
        if (mode.steps++ >= mode.plan.maxInstructions) {
          this.stopWith({ reason: 'step', cpu });
          return;
        }
        const before = m.registers(cpu);
        const word = u32le(m.readMemory(before.pc, 4, cpu));
        const call = word !== undefined && (isBl(word) || isBlr(word));
        if (call && mode.plan.overCalls) {
          this.runToReturn(mode, before.pc + 4n, before.sp);
          return;
        }
        const r = m.step(cpu);
        if (r.kind !== 'step' && r.kind !== 'budget' && r.kind !== 'idle') {
          this.onRunResult(r);
          return;
        }
        const d = mode.plan.decide(m.registers(cpu).pc, call);
        if (d === 'stop') {
          this.flushOutput();
          this.stopWith({ reason: 'step', cpu });
          return;
        }
        if (d === 'return' && call) {
          this.runToReturn(mode, before.pc + 4n, before.sp);
          return;
        }
      }
    } catch (e) {
      this.internalError(e, cpu);
      return;
    }
    this.flushOutput();
    defer(() => this.lineSteps());
  }

  private runToReturn(mode: Extract<RunMode, { kind: 'line' }>, address: bigint, spFloor: bigint): void {
    mode.address = address;
    this.m.setTempBreakpoint(address, spFloor);
    this.schedule();
  }

  private singleStep(cpu: number): void {
    this._state = 'running';
    this.mode = { kind: 'step-to', cpu, address: -1n };
    let r: StopReason;
    try {
      r = this.m.step(cpu);
    } catch (e) {
      this.internalError(e, cpu);
      return;
    }
    // Stop events always come after the request's response: defer them.
    defer(() => {
      if (r.kind === 'step' || r.kind === 'budget' || r.kind === 'idle') this.stopWith({ reason: 'step', cpu });
      else this.onRunResult(r);
    });
  }

  private startRun(mode: RunMode): void {
    this._state = 'running';
    this.mode = mode;
    this.pauseRequested = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    defer(() => {
      this.scheduled = false;
      this.runSlice();
    });
  }

  private runSlice(): void {
    if (this._state !== 'running') return;
    if (this.pauseRequested) {
      this.stopWith({ reason: 'pause', cpu: 0 });
      return;
    }
    const t0 = performance.now();
    let r: StopReason;
    try {
      r = this.m.run(this.slice);
    } catch (e) {
      this.internalError(e, 0);
      return;
    }
    const ms = performance.now() - t0;
    if (r.kind === 'budget') {
      if (ms < this.sliceMs / 2 && this.slice < this.maxSlice) this.slice = Math.min(this.maxSlice, this.slice * 2);
      else if (ms > this.sliceMs * 2 && this.slice > this.minSlice) this.slice = Math.max(this.minSlice, this.slice >> 1);
    }
    this.onRunResult(r);
  }

  private onRunResult(r: StopReason): void {
    const eventStop = this.tap.afterRun(r);
    if (eventStop) return this.stopWith(eventStop);
    switch (r.kind) {
      case 'budget':
      case 'step':
        this.flushOutput();
        if (this.pauseRequested) this.stopWith({ reason: 'pause', cpu: 0 });
        else this.schedule();
        return;
      case 'breakpoint': {
        if (this.mode.kind === 'line' && this.mode.address === r.pc) {
          // A call stepped over returned: ask the plan, then go on stepping.
          const mode = this.mode;
          this.machine?.clearTempBreakpoints();
          mode.address = -1n;
          if (mode.plan.decide(r.pc, false) === 'stop') this.stopWith({ reason: 'step', cpu: r.cpu });
          else {
            this.flushOutput();
            defer(() => this.lineSteps());
          }
          return;
        }
        const stepDone = this.mode.kind === 'step-to' && this.mode.address === r.pc;
        this.stopWith(stepDone ? { reason: 'step', cpu: r.cpu } : { reason: 'breakpoint', cpu: r.cpu, pc: r.pc });
        return;
      }
      case 'idle':
        this.flushOutput();
        if (this.pauseRequested) {
          this.stopWith({ reason: 'pause', cpu: r.cpu });
          return;
        }
        this._state = 'idle';
        this.emitter.emit('idle', r.cpu);
        return;
      case 'exception':
        this.stopWith({ reason: 'exception', kind: 'exception', cpu: r.cpu, ec: r.ec, description: r.description, from: r.from });
        return;
      case 'guest-error':
        this.stopWith({ reason: 'exception', kind: 'guest-error', cpu: r.cpu, message: r.message });
        return;
      case 'poweroff':
        this.terminate('poweroff', 0);
        return;
      case 'reset':
        this.terminate('reset', 0);
        return;
      case 'exit':
        this.terminate('exit', r.code);
        return;
    }
  }

  private endRun(): void {
    this.machine?.clearTempBreakpoints();
    this.mode = { kind: 'continue' };
    this.pauseRequested = false;
    this.flushOutput();
  }

  private stopWith(stop: TargetStop): void {
    this.endRun();
    this._state = 'stopped';
    this.emitter.emit('stopped', stop);
  }

  private terminate(reason: 'poweroff' | 'reset' | 'exit', exitCode: number): void {
    this.endRun();
    this._state = 'terminated';
    this.emitter.emit('terminated', { reason, exitCode });
  }

  private internalError(e: unknown, cpu: number): void {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.endRun();
    this._state = 'stopped';
    // Deferred like every other stop, so a step's response still goes out first.
    defer(() => this.emitter.emit('stopped', { reason: 'error', cpu, message }));
  }

  // ---- breakpoints -------------------------------------------------------------------------------

  async setInstructionBreakpoints(addresses: bigint[]): Promise<BreakpointResult[]> {
    this.instructionBps = [];
    const results = addresses.map((a) => this.place(a, this.instructionBps));
    this.syncBreakpoints();
    return results;
  }

  async setFunctionBreakpoints(names: string[]): Promise<BreakpointResult[]> {
    this.functionBps = [];
    const results = names.map((name): BreakpointResult => {
      const a = this.resolveLocation(name);
      if (a === undefined) {
        const file = this.machine?.image?.fileName ?? 'the kernel';
        return { verified: false, message: `no symbol '${name.trim()}' in ${file}` };
      }
      return this.place(a, this.functionBps);
    });
    this.syncBreakpoints();
    return results;
  }

  /** 'sym', 'sym+0x10' or 'sym+16', or a number. */
  private resolveLocation(text: string): bigint | undefined {
    const t = text.trim();
    const m = /^([A-Za-z_.$][\w.$@]*)\s*(?:\+\s*(0x[0-9a-f]+|\d+))?$/i.exec(t);
    if (m) {
      const sym = this.machine?.symbols.lookup(m[1]!);
      if (sym) return sym.value + (m[2] ? BigInt(m[2]) : 0n);
    }
    if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) return BigInt(t);
    return undefined;
  }

  async setSourceBreakpoints(addresses: bigint[]): Promise<BreakpointResult[]> {
    this.sourceBps = [];
    const results = addresses.map((a) => this.place(a, this.sourceBps));
    this.syncBreakpoints();
    return results;
  }

  private place(address: bigint, into: bigint[]): BreakpointResult {
    if (!this.machine) return { verified: false, address, message: 'no kernel is loaded' };
    if (this.machine.physical(address) === undefined) {
      return { verified: false, address, message: `address ${hexAddr(address)} is not mapped` };
    }
    if ((address & 3n) !== 0n) return { verified: false, address, message: `address ${hexAddr(address)} is not 4-byte aligned` };
    into.push(address);
    return { verified: true, address };
  }

  private syncBreakpoints(): void {
    const m = this.machine;
    if (!m) return;
    m.clearBreakpoints();
    for (const a of new Set([...this.instructionBps, ...this.functionBps, ...this.sourceBps])) m.setBreakpoint(a);
  }

  async setExceptionFilters(filters: ExceptionFilters): Promise<void> {
    this.m.stopOn = { exceptionClasses: new Set(filters.exceptionClasses), guestErrors: filters.guestErrors };
    this.tap.setFilters(filters.events ?? []);
  }

  // ---- inspection --------------------------------------------------------------------------------

  async registers(cpu: number): Promise<TargetRegisters> {
    const r = this.m.registers(cpu);
    return { x: r.x, sp: r.sp, pc: r.pc, pstate: r.pstate, el: r.el, spsel: r.spsel };
  }

  async systemRegister(cpu: number, name: string): Promise<bigint | undefined> {
    return this.machine?.sysreg(cpu, name.toUpperCase());
  }

  async setRegister(cpu: number, name: RegisterName, value: bigint): Promise<void> {
    const m = this.m;
    const flag = ['n', 'z', 'c', 'v'].indexOf(name);
    if (flag >= 0) {
      const bit = 31 - flag;
      const nzcv = m.registers(cpu).pstate & 0xf0000000;
      m.setPstateFlags(cpu, (value & 1n ? nzcv | (1 << bit) : nzcv & ~(1 << bit)) >>> 0);
      return;
    }
    if (name === 'sp') m.setX(cpu, 31, value);
    else if (name === 'pc') m.setX(cpu, 32, value);
    else {
      const n = Number(name.slice(1));
      if (!(n >= 0 && n <= 30)) throw new Error(`no register ${name}`);
      m.setX(cpu, n, value);
    }
  }

  async readMemory(address: bigint, length: number, cpu = 0): Promise<(number | null)[]> {
    return this.m.readMemory(address, length, cpu);
  }

  async writeMemory(address: bigint, data: Uint8Array, cpu = 0): Promise<number> {
    return this.m.writeMemory(address, data, cpu);
  }

  async disassemble(address: bigint, count: number, cpu = 0): Promise<TargetInstruction[]> {
    return this.m.disassemble(address, count, cpu).map((l) => ({
      address: l.address, word: l.word, text: l.text, label: l.label, location: l.location,
    }));
  }

  async stackFrames(cpu: number, maxFrames: number): Promise<TargetFrame[]> {
    return this.unwindNow(cpu, maxFrames);
  }

  private unwindNow(cpu: number, maxFrames: number): TargetFrame[] {
    const m = this.m;
    const mem: UnwindMemory = {
      read: (a, n) => m.readMemory(a, n, cpu),
      symbolize: (a) => {
        const s = m.symbols.symbolize(a);
        return s && { name: s.name, start: s.sym.value, offset: s.offset };
      },
    };
    return unwind(m.registers(cpu), mem, maxFrames);
  }

  lookupSymbol(name: string): bigint | undefined {
    return this.machine?.symbols.lookup(name)?.value;
  }

  symbolize(address: bigint): string | undefined {
    return this.machine?.symbols.format(address);
  }

  async gicState(): Promise<TargetGicState | undefined> {
    return this.tap.gicState();
  }

  async msiPath(deviceId: number, eventId: number): Promise<TargetMsiPath | undefined> {
    return this.tap.msiPath(deviceId, eventId);
  }

  // ---- input -------------------------------------------------------------------------------------

  async input(uart: number, data: Uint8Array): Promise<void> {
    const m = this.machine;
    if (!m || this._state === 'terminated') return;
    m.input(uart, data);
    // Resume what was running when the guest went idle (a continue, or a step over a call that waits).
    if (this._state === 'idle') this.startRun(this.mode);
  }

  dispose(): void {
    this._state = 'terminated';
    this.pauseRequested = false;
    this.machine = undefined;
  }
}
