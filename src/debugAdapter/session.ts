// The Debug Adapter Protocol session: maps DAP requests onto a DebugTarget and the target's events back onto
// DAP events. It owns the protocol's ids and strings (thread ids, frame ids, variable references, breakpoint
// ids, memory references) and never reaches into the emulator; numbers become strings through format.ts.
//
// Shape of a session: initialize → launch (read and load the kernel; a bad file fails the launch with the
// loader's message) → `initialized` event → breakpoints and exception filters → configurationDone (stop
// on entry, or run). One thread per CPU ("CPU 0"). No DWARF yet: source breakpoints are answered
// unverified, stepping is by instruction whatever granularity is asked, frames have no source and VS Code
// shows them in its disassembly view. UART output goes to the debug console (category stdout) and as the
// custom event `a64.uart` {uart, data: base64} to the extension's terminal; the custom request
// `a64.uartInput` {uart, data: base64} types into a UART.

import {
  Breakpoint, Event, ExitedEvent, InitializedEvent, InvalidatedEvent, LoggingDebugSession, Logger, MemoryEvent,
  OutputEvent, Scope, StackFrame, StoppedEvent, TerminatedEvent, Thread, logger,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { EC_NAMES, LoaderError, parseSize } from '../emu/index';
import type { DebugTarget, RegisterName, TargetGuestError, TargetStop, TargetTermination } from './debugTarget';
import { EmuTarget } from './emuTarget';
import {
  decodePstate, formatBit, formatEc, formatLocation, formatPstate, formatValue, fromBase64, hexAddr, instructionBytes,
  instructionText, parseAddress, parseInteger, registerValue, toBase64,
} from './format';

/** The `a64` launch configuration (package.json contributes its schema). */
export interface A64LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path of the kernel image (ELF, arm64 Linux Image, or raw binary with loadAddress). */
  kernel?: string;
  machine?: string;
  /** Guest RAM: '512M', '2G', or bytes. */
  memory?: string | number;
  /** Exception level at entry. */
  el?: number;
  stopOnEntry?: boolean;
  semihosting?: boolean;
  cwd?: string;
  /** Load address for a raw binary or Linux Image (hex string or number). */
  loadAddress?: string | number;
  bootargs?: string;
  /** Log the DAP traffic to the debug console. */
  trace?: boolean;
}

export interface A64SessionOptions {
  /** Creates the target (default: the in-process emulator). */
  createTarget?: () => DebugTarget;
  /** Reads the kernel file (default: node:fs). */
  readFile?: (path: string) => Promise<Uint8Array>;
}

/** Exception breakpoint filters (DAP ids). */
const FILTER_UNDEF = 'undefined-instruction';
const FILTER_GUEST_ERRORS = 'guest-errors';

/** Variable references: registers scope and PSTATE children, one pair per CPU. */
const REF_REGISTERS = 1000;
const REF_PSTATE = 2000;
/** Frame ids: cpu * FRAME_STRIDE + frame index + 1. */
const FRAME_STRIDE = 0x10000;

const MAX_READ = 1 << 20;
const MAX_DISASSEMBLE = 4096;
const MAX_GUEST_ERRORS_PER_RUN = 100;

const SOURCE_BP_MESSAGE = 'source breakpoints need DWARF line info (not yet supported); use function or instruction breakpoints';

class LaunchError extends Error {}

export class A64DebugSession extends LoggingDebugSession {
  private readonly createTarget: () => DebugTarget;
  private readonly readKernel: (path: string) => Promise<Uint8Array>;
  private target?: DebugTarget;
  private stopOnEntry = false;
  private terminated = false;
  private nextBreakpointId = 1;
  /** address -> DAP breakpoint ids, per kind. */
  private functionBps = new Map<bigint, number[]>();
  private instructionBps = new Map<bigint, number[]>();
  private exceptionFilters = new Set<string>();
  private lastStop?: TargetStop;
  private guestErrorsThisRun = 0;
  private idleNoted = false;
  private readonly decoders = new Map<number, InstanceType<typeof TextDecoder>>();

  constructor(options: A64SessionOptions = {}) {
    super();
    this.createTarget = options.createTarget ?? (() => new EmuTarget());
    this.readKernel = options.readFile ?? ((p) => readFile(p));
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  /** Runs an async handler; any failure becomes an error response instead of an unhandled rejection. */
  private guard(response: DebugProtocol.Response, body: () => Promise<void>): void {
    body().catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      this.sendErrorResponse(response, { id: 1000, format: message, showUser: e instanceof LaunchError || e instanceof LoaderError });
    });
  }

  private requireTarget(): DebugTarget {
    if (!this.target || this.target.state === 'unloaded') throw new Error('no kernel is loaded (launch first)');
    return this.target;
  }

  private cpuOfThread(threadId: number | undefined): number {
    const cpu = (threadId ?? 1) - 1;
    const n = this.target?.cpuCount ?? 1;
    return cpu >= 0 && cpu < n ? cpu : 0;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, _args: DebugProtocol.InitializeRequestArguments): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsInstructionBreakpoints: true,
      supportsDisassembleRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsSteppingGranularity: true,
      supportsSetVariable: true,
      supportsTerminateRequest: true,
      supportsRestartRequest: false,
      supportsExceptionInfoRequest: true,
      supportsEvaluateForHovers: false,
      supportsConditionalBreakpoints: false,
      exceptionBreakpointFilters: [
        {
          filter: FILTER_UNDEF,
          label: 'Undefined instruction',
          description: 'Stop when the guest takes an Undefined Instruction exception (ESR EC 0x00), at its vector.',
          default: false,
        },
        {
          filter: FILTER_GUEST_ERRORS,
          label: 'Guest errors (unmapped access, device misuse)',
          description: 'Stop when the guest accesses unmapped physical memory or misuses a device.',
          default: false,
        },
      ],
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, launchArgs: A64LaunchArguments | undefined): void {
    const args: A64LaunchArguments = launchArgs ?? {};
    this.guard(response, async () => {
      if (args.trace) logger.setup(Logger.LogLevel.Verbose, false);
      const opts = parseLaunchArguments(args);
      this.stopOnEntry = opts.stopOnEntry;
      let bytes: Uint8Array;
      try {
        bytes = await this.readKernel(opts.path);
      } catch (e) {
        const code = (e as { code?: string }).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
        throw new LaunchError(`${opts.path}: cannot read the kernel image: ${why}`);
      }
      checkKernelBytes(opts.path, bytes, opts.loadAddress !== undefined);
      const target = this.createTarget();
      this.wireTarget(target);
      let info;
      try {
        info = await target.load({
          bytes, fileName: opts.path, machine: 'virt', memory: opts.memory, el: opts.el,
          semihosting: opts.semihosting, loadAddress: opts.loadAddress, bootargs: opts.bootargs,
        });
      } catch (e) {
        target.dispose();
        if (e instanceof LoaderError) throw e;
        throw new LaunchError(e instanceof Error ? e.message : String(e));
      }
      this.target = target;
      const entry = formatLocation(info.entry, (a) => target.symbolize(a));
      this.console(`A64 Studio: ${opts.path} (${info.kind}, ${info.symbolCount} symbols) on virt, ${info.cpus} CPU, ` +
        `${opts.memoryText} RAM, entry ${hexAddr(info.entry)}${entry.startsWith('0x') ? '' : ` <${entry}>`} at EL${opts.el}` +
        `${info.dtbAddress !== undefined ? `, device tree at ${hexAddr(info.dtbAddress)}` : ''}\n`);
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, async () => {
      const target = this.requireTarget();
      this.sendResponse(response);
      if (this.stopOnEntry) {
        this.onStopped({ reason: 'entry', cpu: 0 });
        return;
      }
      // A breakpoint on the entry point itself stops before the first instruction runs.
      const pc = (await target.registers(0)).pc;
      if (this.functionBps.has(pc) || this.instructionBps.has(pc)) {
        this.onStopped({ reason: 'breakpoint', cpu: 0, pc });
        return;
      }
      this.resume();
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    this.target?.dispose();
    super.disconnectRequest(response, args);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.target?.dispose();
    this.sendResponse(response);
    this.finish();
  }

  private finish(exitCode?: number): void {
    if (this.terminated) return;
    this.terminated = true;
    if (exitCode !== undefined) this.sendEvent(new ExitedEvent(exitCode));
    this.sendEvent(new TerminatedEvent());
  }

  // ---- target events -----------------------------------------------------------------------------

  private wireTarget(t: DebugTarget): void {
    t.on('stopped', (e) => this.onStopped(e));
    t.on('output', (uart, data) => this.onUart(uart, data));
    t.on('console', (data, stream) => {
      this.sendEvent(new OutputEvent(new TextDecoder().decode(data), stream));
    });
    t.on('terminated', (e) => this.onTerminated(e));
    t.on('guestError', (e) => this.onGuestError(e));
    t.on('idle', () => {
      if (this.idleNoted) return;
      this.idleNoted = true;
      this.console('The guest waits for an interrupt (WFI) that only input can raise; it resumes when you type into its UART. Pause to inspect it.\n');
    });
  }

  private onStopped(e: TargetStop): void {
    this.lastStop = e;
    const threadId = e.cpu + 1;
    let ev: StoppedEvent;
    switch (e.reason) {
      case 'breakpoint': {
        const fn = this.functionBps.get(e.pc);
        const insn = this.instructionBps.get(e.pc);
        ev = new StoppedEvent(fn ? 'function breakpoint' : insn ? 'instruction breakpoint' : 'breakpoint', threadId);
        const ids = [...(fn ?? []), ...(insn ?? [])];
        if (ids.length) (ev.body as DebugProtocol.StoppedEvent['body']).hitBreakpointIds = ids;
        break;
      }
      case 'exception': {
        const text = e.kind === 'exception'
          ? `${EC_NAMES[e.ec] ?? `exception class ${formatEc(e.ec)}`} at ${this.where(e.from)}`
          : `guest error: ${e.message}`;
        ev = new StoppedEvent('exception', threadId, text);
        (ev.body as DebugProtocol.StoppedEvent['body']).description = e.kind === 'exception' ? 'Paused on exception' : 'Paused on guest error';
        break;
      }
      case 'error':
        this.sendEvent(new OutputEvent(`Emulator error (the guest cannot continue from here): ${e.message}\n`, 'stderr'));
        ev = new StoppedEvent('exception', threadId, 'emulator error');
        (ev.body as DebugProtocol.StoppedEvent['body']).description = 'Paused on emulator error';
        break;
      default:
        ev = new StoppedEvent(e.reason, threadId);
    }
    (ev.body as DebugProtocol.StoppedEvent['body']).allThreadsStopped = true;
    this.sendEvent(ev);
  }

  private onUart(uart: number, data: Uint8Array): void {
    let dec = this.decoders.get(uart);
    if (!dec) this.decoders.set(uart, (dec = new TextDecoder('utf-8')));
    const text = dec.decode(data, { stream: true });
    if (text) this.sendEvent(new OutputEvent(text, 'stdout'));
    this.sendEvent(new Event('a64.uart', { uart, data: toBase64(data) }));
  }

  private onGuestError(e: TargetGuestError): void {
    this.guestErrorsThisRun++;
    if (this.guestErrorsThisRun > MAX_GUEST_ERRORS_PER_RUN) {
      if (this.guestErrorsThisRun === MAX_GUEST_ERRORS_PER_RUN + 1) {
        this.sendEvent(new OutputEvent(`Guest errors: more than ${MAX_GUEST_ERRORS_PER_RUN} since the last resume; not showing more until the next one.\n`, 'stderr'));
      }
      return;
    }
    this.sendEvent(new OutputEvent(`Guest error on CPU ${e.cpu} at ${this.where(e.pc)}: ${e.message}\n`, 'stderr'));
  }

  private onTerminated(e: TargetTermination): void {
    const what = e.reason === 'poweroff' ? 'The guest powered off (PSCI SYSTEM_OFF).'
      : e.reason === 'reset' ? 'The guest asked for a system reset (PSCI SYSTEM_RESET); ending the session.'
        : `The guest exited with status ${e.exitCode} (semihosting).`;
    this.console(`${what}\n`);
    this.finish(e.exitCode);
  }

  private console(text: string): void {
    this.sendEvent(new OutputEvent(text, 'console'));
  }

  private where(pc: bigint): string {
    const s = this.target?.symbolize(pc);
    return s ? `${hexAddr(pc)} <${s}>` : hexAddr(pc);
  }

  // ---- execution control -------------------------------------------------------------------------

  private resume(): void {
    this.guestErrorsThisRun = 0;
    void this.requireTarget().continue();
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const n = Math.max(1, this.target?.cpuCount ?? 1);
    response.body = { threads: Array.from({ length: n }, (_, i) => new Thread(i + 1, `CPU ${i}`)) };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.guard(response, async () => {
      this.requireTarget();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      this.resume();
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      this.sendResponse(response);
      await t.pause();
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      this.sendResponse(response);
      this.guestErrorsThisRun = 0;
      await t.stepOver(this.cpuOfThread(args.threadId));
    });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      this.sendResponse(response);
      await t.step(this.cpuOfThread(args.threadId), 'instruction');
    });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      this.sendResponse(response);
      this.guestErrorsThisRun = 0;
      await t.stepOut(this.cpuOfThread(args.threadId));
    });
  }

  // ---- breakpoints -------------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const bps = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    response.body = {
      breakpoints: bps.map((b) => {
        const bp: DebugProtocol.Breakpoint = new Breakpoint(false, b.line);
        bp.id = this.nextBreakpointId++;
        bp.message = SOURCE_BP_MESSAGE;
        bp.reason = 'failed';
        return bp;
      }),
    };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const results = await t.setFunctionBreakpoints(args.breakpoints.map((b) => b.name));
      this.functionBps = new Map();
      response.body = {
        breakpoints: results.map((r) => {
          const bp: DebugProtocol.Breakpoint = new Breakpoint(r.verified);
          bp.id = this.nextBreakpointId++;
          if (r.address !== undefined) bp.instructionReference = hexAddr(r.address);
          if (r.message) bp.message = r.message;
          if (r.verified && r.address !== undefined) addTo(this.functionBps, r.address, bp.id);
          else bp.reason = 'failed';
          return bp;
        }),
      };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const addrs = args.breakpoints.map((b) => {
        const base = parseAddress(b.instructionReference);
        return base === undefined ? undefined : BigInt.asUintN(64, base + BigInt(b.offset ?? 0));
      });
      const valid = addrs.filter((a): a is bigint => a !== undefined);
      const results = await t.setInstructionBreakpoints(valid);
      this.instructionBps = new Map();
      let k = 0;
      response.body = {
        breakpoints: addrs.map((a, i) => {
          if (a === undefined) {
            const bp: DebugProtocol.Breakpoint = new Breakpoint(false);
            bp.message = `'${args.breakpoints[i]!.instructionReference}' is not an address`;
            bp.reason = 'failed';
            return bp;
          }
          const r = results[k++]!;
          const bp: DebugProtocol.Breakpoint = new Breakpoint(r.verified);
          bp.id = this.nextBreakpointId++;
          bp.instructionReference = hexAddr(a);
          if (r.message) bp.message = r.message;
          if (r.verified) addTo(this.instructionBps, a, bp.id);
          else bp.reason = 'failed';
          return bp;
        }),
      };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const ids = [...(args.filters ?? []), ...(args.filterOptions ?? []).map((f) => f.filterId)];
      this.exceptionFilters = new Set(ids);
      await t.setExceptionFilters({
        exceptionClasses: this.exceptionFilters.has(FILTER_UNDEF) ? [0x00] : [],
        guestErrors: this.exceptionFilters.has(FILTER_GUEST_ERRORS),
      });
      response.body = { breakpoints: ids.map(() => ({ verified: true })) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const s = this.lastStop;
    if (!s || (s.reason !== 'exception' && s.reason !== 'error')) {
      this.sendErrorResponse(response, { id: 1001, format: 'not stopped on an exception', showUser: false });
      return;
    }
    if (s.reason === 'error') {
      response.body = { exceptionId: 'emulator-error', description: 'Emulator error', breakMode: 'always', details: { message: s.message, typeName: 'Emulator error' } };
    } else if (s.kind === 'exception') {
      const name = EC_NAMES[s.ec] ?? `exception class ${formatEc(s.ec)}`;
      response.body = {
        exceptionId: `EC ${formatEc(s.ec)}`,
        description: `${name} (ESR_ELx.EC ${formatEc(s.ec)}) taken from ${this.where(s.from)}; stopped at the exception vector`,
        breakMode: 'always',
        details: { message: s.description, typeName: `ESR EC ${formatEc(s.ec)}: ${name}` },
      };
    } else {
      response.body = {
        exceptionId: 'guest-error',
        description: s.message,
        breakMode: 'always',
        details: { message: s.message, typeName: 'Guest error' },
      };
    }
    this.sendResponse(response);
  }

  // ---- stack, scopes, variables ------------------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const cpu = this.cpuOfThread(args.threadId);
      const start = args.startFrame ?? 0;
      const levels = args.levels && args.levels > 0 ? args.levels : 64;
      const frames = await t.stackFrames(cpu, Math.min(start + levels, 256));
      response.body = {
        stackFrames: frames.slice(start, start + levels).map((f, i) => {
          const sf: DebugProtocol.StackFrame = new StackFrame(cpu * FRAME_STRIDE + start + i + 1, f.location ?? hexAddr(f.pc));
          sf.instructionPointerReference = hexAddr(f.pc);
          sf.presentationHint = f.location ? 'normal' : 'subtle';
          sf.canRestart = false;
          return sf;
        }),
        totalFrames: frames.length,
      };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const cpu = Math.floor((args.frameId - 1) / FRAME_STRIDE);
    const scope: DebugProtocol.Scope = new Scope('Registers', REF_REGISTERS + cpu, false);
    scope.presentationHint = 'registers';
    scope.namedVariables = 34;
    response.body = { scopes: [scope] };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const ref = args.variablesReference;
      const vars: DebugProtocol.Variable[] = [];
      if (ref >= REF_REGISTERS && ref < REF_REGISTERS + 1000) {
        const cpu = ref - REF_REGISTERS;
        const r = await t.registers(cpu);
        const reg = (name: string, v: bigint, evaluateName: string): DebugProtocol.Variable =>
          ({ name, value: registerValue(v), variablesReference: 0, evaluateName, memoryReference: hexAddr(v) });
        r.x.forEach((v, i) => vars.push(reg(`X${i}`, v, `$x${i}`)));
        vars.push(reg('SP', r.sp, '$sp'));
        vars.push(reg('PC', r.pc, '$pc'));
        vars.push({ name: 'PSTATE', value: formatPstate(r.pstate), variablesReference: REF_PSTATE + cpu, namedVariables: 10 });
      } else if (ref >= REF_PSTATE && ref < REF_PSTATE + 1000) {
        const r = await t.registers(ref - REF_PSTATE);
        const p = decodePstate(r.pstate);
        const flag = (name: string, v: number, readOnly: boolean): DebugProtocol.Variable =>
          ({ name, value: formatBit(v), variablesReference: 0, presentationHint: readOnly ? { attributes: ['readOnly'] } : undefined });
        vars.push(flag('N', p.n, false), flag('Z', p.z, false), flag('C', p.c, false), flag('V', p.v, false));
        vars.push(flag('D', p.d, true), flag('A', p.a, true), flag('I', p.i, true), flag('F', p.f, true));
        vars.push({ name: 'EL', value: `EL${p.el}`, variablesReference: 0, presentationHint: { attributes: ['readOnly'] } });
        vars.push({ name: 'SP', value: p.sp ? `SP_EL${p.el} (h)` : 'SP_EL0 (t)', variablesReference: 0, presentationHint: { attributes: ['readOnly'] } });
      }
      response.body = { variables: vars };
      this.sendResponse(response);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const ref = args.variablesReference;
      const name = args.name.toUpperCase();
      if (ref >= REF_REGISTERS && ref < REF_REGISTERS + 1000) {
        const cpu = ref - REF_REGISTERS;
        const reg = /^X([0-9]|[12][0-9]|30)$/.test(name) || name === 'SP' || name === 'PC' ? (name.toLowerCase() as RegisterName) : undefined;
        if (!reg) throw new Error(`${args.name} cannot be written here`);
        const v = await this.evaluateValue(args.value, cpu);
        await t.setRegister(cpu, reg, v);
        response.body = { value: registerValue(BigInt.asUintN(64, v)), memoryReference: hexAddr(v) };
        this.sendResponse(response);
        if (reg === 'pc' || reg === 'sp' || reg === 'x29' || reg === 'x30') this.sendEvent(new InvalidatedEvent(['stacks']));
        return;
      }
      if (ref >= REF_PSTATE && ref < REF_PSTATE + 1000) {
        const cpu = ref - REF_PSTATE;
        if (!['N', 'Z', 'C', 'V'].includes(name)) throw new Error(`only N, Z, C and V can be written (not ${args.name})`);
        const v = parseInteger(args.value);
        if (v !== 0n && v !== 1n) throw new Error(`${args.name} is a flag: write 0 or 1`);
        await t.setRegister(cpu, name.toLowerCase() as RegisterName, v);
        response.body = { value: formatBit(v) };
        this.sendResponse(response);
        this.sendEvent(new InvalidatedEvent(['variables']));
        return;
      }
      throw new Error(`${args.name} cannot be written`);
    });
  }

  // ---- evaluate ----------------------------------------------------------------------------------

  /**
   * A small expression language for the debug console and watches: terms joined by + and -, where a term
   * is a register ($x0..$x30, $w0..$w30, $sp, $pc, $lr, $fp), a number (0x.., 0b.., decimal), or a symbol;
   * a leading '*' reads the 64-bit word at the resulting address.
   */
  private async evaluateValue(expression: string, cpu: number): Promise<bigint> {
    const t = this.requireTarget();
    let text = expression.trim();
    let deref = false;
    if (text.startsWith('*')) {
      deref = true;
      text = text.slice(1).trim();
      if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
    }
    const parts = text.split(/\s*([+-])\s*/).filter((p) => p !== '');
    if (!parts.length) throw new Error('empty expression');
    let value = 0n;
    let sign = 1n;
    let expectTerm = true;
    const regs = await t.registers(cpu);
    for (const p of parts) {
      if (p === '+' || p === '-') {
        if (p === '-') sign = -sign;
        expectTerm = true;
        continue;
      }
      if (!expectTerm) throw new Error(`cannot evaluate '${expression}'`);
      value += sign * this.term(p, regs);
      sign = 1n;
      expectTerm = false;
    }
    if (expectTerm) throw new Error(`cannot evaluate '${expression}': it ends in an operator`);
    value = BigInt.asUintN(64, value);
    if (deref) {
      const b = await t.readMemory(value, 8, cpu);
      if (b.some((x) => x === null)) throw new Error(`memory at ${hexAddr(value)} cannot be read`);
      let v = 0n;
      for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
      value = v;
    }
    return value;
  }

  private term(text: string, regs: { x: bigint[]; sp: bigint; pc: bigint }): bigint {
    const n = parseInteger(text);
    if (n !== undefined) return n;
    const sym = /^\$/.test(text) ? undefined : this.target?.lookupSymbol(text);
    if (sym !== undefined) return sym;
    const r = /^\$?([xw])([0-9]|[12][0-9]|30)$/i.exec(text);
    if (r) {
      const v = regs.x[Number(r[2])]!;
      return r[1]!.toLowerCase() === 'w' ? v & 0xffffffffn : v;
    }
    switch (text.toLowerCase()) {
      case '$sp': case 'sp': return regs.sp;
      case '$pc': case 'pc': return regs.pc;
      case '$lr': case 'lr': return regs.x[30]!;
      case '$fp': case 'fp': return regs.x[29]!;
      case '$xzr': case 'xzr': case '$wzr': case 'wzr': return 0n;
    }
    throw new Error(`unknown register or symbol '${text}'`);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const cpu = args.frameId ? Math.floor((args.frameId - 1) / FRAME_STRIDE) : 0;
      const v = await this.evaluateValue(args.expression, cpu);
      const sym = t.symbolize(v);
      const readable = (await t.readMemory(v, 1, cpu))[0] !== null;
      const result = formatValue(v, sym);
      response.body = { result, variablesReference: 0, memoryReference: readable ? hexAddr(v) : undefined };
      this.sendResponse(response);
    });
  }

  // ---- memory and disassembly --------------------------------------------------------------------

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const base = parseAddress(args.memoryReference);
      if (base === undefined) throw new Error(`'${args.memoryReference}' is not a memory reference`);
      const address = BigInt.asUintN(64, base + BigInt(args.offset ?? 0));
      const count = Math.max(0, Math.min(args.count, MAX_READ));
      const bytes = await t.readMemory(address, count);
      let n = 0;
      while (n < bytes.length && bytes[n] !== null) n++;
      let unreadable = 0;
      while (n + unreadable < bytes.length && bytes[n + unreadable] === null) unreadable++;
      const data = Uint8Array.from(bytes.slice(0, n) as number[]);
      response.body = { address: hexAddr(address), data: toBase64(data), unreadableBytes: unreadable || undefined };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const base = parseAddress(args.memoryReference);
      if (base === undefined) throw new Error(`'${args.memoryReference}' is not a memory reference`);
      const address = BigInt.asUintN(64, base + BigInt(args.offset ?? 0));
      const data = fromBase64(args.data);
      const written = await t.writeMemory(address, data);
      if (written < data.length && !args.allowPartial) {
        throw new Error(`only ${written} of ${data.length} bytes at ${hexAddr(address)} are writable RAM`);
      }
      response.body = { offset: 0, bytesWritten: written };
      this.sendResponse(response);
      if (written > 0) this.sendEvent(new MemoryEvent(args.memoryReference, args.offset ?? 0, written));
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      const base = parseAddress(args.memoryReference);
      if (base === undefined) throw new Error(`'${args.memoryReference}' is not a memory reference`);
      let start = base + BigInt(args.offset ?? 0) + 4n * BigInt(args.instructionOffset ?? 0);
      start -= BigInt.asUintN(2, start);
      const count = Math.max(0, Math.min(args.instructionCount, MAX_DISASSEMBLE));
      const lines = await t.disassemble(BigInt.asUintN(64, start), count);
      response.body = {
        instructions: lines.map((l): DebugProtocol.DisassembledInstruction => {
          if (l.word === null) {
            return { address: hexAddr(l.address), instruction: '??', presentationHint: 'invalid', symbol: l.label };
          }
          return {
            address: hexAddr(l.address),
            instructionBytes: instructionBytes(l.word),
            instruction: instructionText(l.text),
            symbol: l.label,
          };
        }),
      };
      this.sendResponse(response);
    });
  }

  // ---- custom requests ---------------------------------------------------------------------------

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === 'a64.uartInput') {
      this.guard(response, async () => {
        const a = (args ?? {}) as { uart?: number; data?: string; text?: string };
        const bytes = a.data !== undefined ? fromBase64(a.data) : new TextEncoder().encode(a.text ?? '');
        await this.requireTarget().input(a.uart ?? 0, bytes);
        this.sendResponse(response);
      });
      return;
    }
    super.customRequest(command, response, args);
  }
}

function addTo(map: Map<bigint, number[]>, address: bigint, id: number): void {
  const list = map.get(address);
  if (list) list.push(id);
  else map.set(address, [id]);
}

interface LaunchOptions {
  path: string;
  memory: number;
  memoryText: string;
  el: 1 | 2;
  stopOnEntry: boolean;
  semihosting: boolean;
  loadAddress?: bigint;
  bootargs?: string;
}

/** Validates the launch configuration; every problem is a LaunchError naming the attribute. */
export function parseLaunchArguments(args: A64LaunchArguments): LaunchOptions {
  const bad = (what: string): never => { throw new LaunchError(`launch configuration: ${what}`); };
  if (typeof args.kernel !== 'string' || args.kernel.trim() === '') {
    bad('"kernel" is required: the path of the kernel image to boot (an ELF file, an arm64 Linux Image, or a raw binary)');
  }
  const machine = args.machine ?? 'virt';
  if (machine !== 'virt') bad(`"machine": '${machine}' is not supported (supported: 'virt')`);
  const memoryText = args.memory === undefined ? '512M' : String(args.memory);
  let memory = 0;
  try {
    memory = typeof args.memory === 'number' ? args.memory : parseSize(memoryText);
  } catch (e) {
    bad(`"memory": ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(memory >= 1 << 20) || memory > 4 * 1024 ** 3) bad(`"memory": ${memoryText} is outside 1M..4G`);
  const el = args.el ?? 1;
  if (el !== 1 && el !== 2) bad(`"el": ${String(el)} is not 1 or 2`);
  let loadAddress: bigint | undefined;
  if (args.loadAddress !== undefined) {
    loadAddress = parseInteger(String(args.loadAddress));
    if (loadAddress === undefined || loadAddress < 0n) bad(`"loadAddress": '${String(args.loadAddress)}' is not an address`);
  }
  const cwd = args.cwd ?? process.cwd();
  return {
    path: resolvePath(cwd, args.kernel!),
    memory,
    memoryText,
    el: el as 1 | 2,
    stopOnEntry: !!args.stopOnEntry,
    semihosting: args.semihosting ?? true,
    loadAddress,
    bootargs: args.bootargs,
  };
}

/**
 * Catches files that are certainly not kernels before the loader would boot them as raw binaries: empty
 * files, text files, and `.elf` files without the ELF magic. (The loader itself rejects malformed ELF
 * files, compressed kernels, uImages and PE files with messages naming the file.)
 */
export function checkKernelBytes(path: string, bytes: Uint8Array, rawAllowed: boolean): void {
  if (bytes.length === 0) throw new LaunchError(`${path}: the file is empty`);
  const elf = bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  const image = bytes.length >= 0x40 && bytes[0x38] === 0x41 && bytes[0x39] === 0x52 && bytes[0x3a] === 0x4d && bytes[0x3b] === 0x64;
  if (elf || image) return;
  if (/\.(elf|axf|out)$/i.test(path)) {
    throw new LaunchError(`${path}: not an ELF file (it does not start with the ELF magic 7f 45 4c 46)`);
  }
  if (!rawAllowed && looksLikeText(bytes)) {
    throw new LaunchError(`${path}: this is a text file, not a kernel image (expected an ELF file, an arm64 Linux Image, or a raw binary with "loadAddress")`);
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return false;
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13 || b >= 0x80) printable++;
  }
  return printable / n > 0.95;
}
