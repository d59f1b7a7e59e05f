// The Debug Adapter Protocol session: the dispatcher that answers each DAP request from a DebugTarget and
// hands the target's events to the relay (targetEvents.ts). It owns the session's lifecycle and the
// target; what each request means lives in a file named for it: launchConfig.ts, breakpoints.ts,
// callStack.ts, registersScope.ts, evaluate.ts, memory.ts, disassembly.ts, stopEvents.ts. It never
// reaches into the emulator; numbers become strings through format.ts.
//
// Shape of a session: initialize → launch (read and load the kernel; a bad file fails the launch with the
// loader's message) → `initialized` event → breakpoints and exception filters → configurationDone (stop
// on entry, or run). One thread per CPU ("CPU 0"). With DWARF in the kernel (sourceInfo.ts), source
// breakpoints bind through the line table, frames carry source lines, and next/stepIn step by source line
// unless the request's granularity is 'instruction' (or the PC has no line info); without it, everything
// is by instruction and VS Code shows frames in its disassembly view. UART output goes to the debug console (category stdout) and as the
// custom event `a64.uart` {uart, data: base64} to the extension's terminal; the custom request
// `a64.uartInput` {uart, data: base64} (or {uart, text}) types into a UART; `a64.setStepping`
// {granularity: 'source' | 'instruction'} switches stepping granularity (the toolbar toggle sends it). The
// GIC/ITS panel's requests (a64/gicSnapshot, a64/msiPath) and a64/stateChanged events live in
// gicRequests.ts; exception filters, GIC/ITS events with conditions included, in exceptionFilters.ts.

import {
  ExitedEvent, InitializedEvent, InvalidatedEvent, LoggingDebugSession, Logger, MemoryEvent, OutputEvent, TerminatedEvent, logger,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFile } from 'node:fs/promises';
import { Breakpoints } from './breakpoints';
import { cpuOfFrame, cpuOfThread, stackTrace, targetFrameViews, threads } from './callStack';
import type { DebugTarget } from './debugTarget';
import { disassemble } from './disassembly';
import { EmuTarget } from './emuTarget';
import { evaluate } from './evaluate';
import { EXCEPTION_FILTERS, setExceptionBreakpoints } from './exceptionFilters';
import { fromBase64, hexAddr } from './format';
import { PanelRequests } from './gicRequests';
import { isLaunchProblem, launchSummary, loadKernel, parseLaunchArguments, readKernel, type A64LaunchArguments, type StepMode } from './launchConfig';
import { readMemory, writeMemory } from './memory';
import { registersScope, registerVariables, setRegisterVariable } from './registersScope';
import { SourceInfo } from './sourceInfo';
import { SourceVariables } from './sourceVariables';
import { TargetEventRelay } from './targetEvents';
import { isBl } from './unwind';

export interface A64SessionOptions {
  /** Creates the target (default: the in-process emulator). */
  createTarget?: () => DebugTarget;
  /** Reads the kernel file (default: node:fs). */
  readFile?: (path: string) => Promise<Uint8Array>;
}

export class A64DebugSession extends LoggingDebugSession {
  private readonly createTarget: () => DebugTarget;
  private readonly readKernelFile: (path: string) => Promise<Uint8Array>;
  private target?: DebugTarget;
  private source?: SourceInfo;
  private vars?: SourceVariables;
  private stopOnEntry = false;
  /** What next / step in step by unless a request says 'instruction' (launch "stepping", a64.setStepping). */
  private stepping: StepMode = 'source';
  private terminated = false;
  private readonly breakpoints = new Breakpoints();
  private readonly events = new TargetEventRelay({
    sendEvent: (e) => {
      // Frames and variable references live from one stop to the next.
      if (e.event === 'stopped' || e.event === 'continued') this.vars?.reset();
      this.sendEvent(e);
    },
    symbolize: (a) => this.target?.symbolize(a),
    hitsAt: (a) => this.breakpoints.hitsAt(a),
    finish: (exitCode) => this.finish(exitCode),
  });

  /** GIC/ITS panel requests and the state generation (gicRequests.ts); sees every event and response. */
  private readonly panel = new PanelRequests((e) => super.sendEvent(e));

  override sendEvent(event: DebugProtocol.Event): void {
    super.sendEvent(event);
    this.panel.observeEvent(event);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    super.sendResponse(response);
    this.panel.observeResponse(response);
  }

  constructor(options: A64SessionOptions = {}) {
    super();
    this.createTarget = options.createTarget ?? (() => new EmuTarget());
    this.readKernelFile = options.readFile ?? ((p) => readFile(p));
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  /** Runs an async handler; any failure becomes an error response instead of an unhandled rejection. */
  private guard(response: DebugProtocol.Response, body: () => Promise<void>): void {
    body().catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      this.sendErrorResponse(response, { id: 1000, format: message, showUser: isLaunchProblem(e) });
    });
  }

  /** Answers a request that needs the loaded target with the body `compute` gives. */
  private answer<R extends DebugProtocol.Response>(response: R, compute: (t: DebugTarget) => Promise<R['body']>): void {
    this.guard(response, async () => {
      response.body = await compute(this.requireTarget());
      this.sendResponse(response);
    });
  }

  /**
   * Answers an execution request at once, then lets the target go (a `stopped` event follows). `newRun`:
   * whether guest errors are counted afresh (step over and step out may run for long; pause and a
   * single step do not).
   */
  private go(response: DebugProtocol.Response, run: (t: DebugTarget) => Promise<void>, newRun: boolean): void {
    this.guard(response, async () => {
      const t = this.requireTarget();
      this.sendResponse(response);
      if (newRun) this.events.newRun();
      await run(t);
    });
  }

  private requireTarget(): DebugTarget {
    if (!this.target || this.target.state === 'unloaded') throw new Error('no kernel is loaded (launch first)');
    return this.target;
  }

  private cpuOf(threadId: number | undefined): number {
    return cpuOfThread(threadId, this.target?.cpuCount);
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
      supportsEvaluateForHovers: true,
      supportsStepInTargetsRequest: true,
      supportsConditionalBreakpoints: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
      supportsExceptionFilterOptions: true,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, launchArgs: A64LaunchArguments | undefined): void {
    const args: A64LaunchArguments = launchArgs ?? {};
    this.guard(response, async () => {
      if (args.trace) logger.setup(Logger.LogLevel.Verbose, false);
      const opts = parseLaunchArguments(args);
      this.stopOnEntry = opts.stopOnEntry;
      this.stepping = opts.stepping;
      const bytes = await readKernel(this.readKernelFile, opts);
      const target = this.createTarget();
      this.events.wire(target);
      const info = await loadKernel(target, opts, bytes);
      this.target = target;
      this.events.console(launchSummary(opts, info, (a) => target.symbolize(a)));
      if (info.sections.some((sec) => sec.name.startsWith('.debug_'))) {
        this.source = new SourceInfo(info.sections, opts.path);
        this.vars = new SourceVariables(target, this.source);
        this.events.console(`${this.source.summary()}\n`);
      }
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, async () => {
      const target = this.requireTarget();
      this.sendResponse(response);
      if (this.stopOnEntry) {
        this.events.stopped({ reason: 'entry', cpu: 0 });
        return;
      }
      // A breakpoint on the entry point itself stops before the first instruction runs.
      const pc = (await target.registers(0)).pc;
      if (this.breakpoints.has(pc)) {
        this.events.stopped({ reason: 'breakpoint', cpu: 0, pc });
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

  // ---- execution control -------------------------------------------------------------------------

  private resume(): void {
    this.events.newRun();
    void this.requireTarget().continue();
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: threads(this.target?.cpuCount) };
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
    this.go(response, (t) => t.pause(), false);
  }

  /** A source-line step when the kernel has line info at PC and the granularity allows it; else undefined. */
  private async lineStep(t: DebugTarget, cpu: number, granularity: DebugProtocol.SteppingGranularity | undefined, over: boolean, into?: bigint): Promise<boolean> {
    if (granularity === 'instruction' || this.stepping === 'instruction' || !this.source?.hasLines) return false;
    const pc = (await t.registers(cpu)).pc;
    if (!this.source.lineAt(pc)) return false;
    await t.stepLines(cpu, this.source.stepPlan(pc, over, into));
    return true;
  }

  /** stepInTargets: the functions the current line calls directly (BL), by the order of the calls. */
  private stepTargets = new Map<number, bigint>();

  protected override stepInTargetsRequest(response: DebugProtocol.StepInTargetsResponse, args: DebugProtocol.StepInTargetsArguments): void {
    this.answer(response, async (t) => {
      this.stepTargets.clear();
      const source = this.source;
      if (!source) return { targets: [] };
      const cpu = cpuOfFrame(args.frameId);
      const pc = (await t.registers(cpu)).pc;
      const targets: DebugProtocol.StepInTarget[] = [];
      for (const r of source.lineRanges(pc)) {
        const n = Number((r.end - r.start) / 4n);
        for (const insn of await t.disassemble(r.start, Math.min(n, 4096), cpu)) {
          if (insn.word === null || !isBl(insn.word)) continue;
          const imm = insn.word & 0x3ffffff;
          const to = BigInt.asUintN(64, insn.address + BigInt((imm & 0x2000000 ? imm - 0x4000000 : imm) * 4));
          const id = targets.length + 1;
          this.stepTargets.set(id, to);
          const line = source.lineAt(insn.address);
          targets.push({ id, label: source.functionName(to) ?? t.symbolize(to) ?? hexAddr(to), line: line?.line, column: line?.column || undefined });
        }
      }
      return { targets };
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    const cpu = this.cpuOf(args.threadId);
    this.go(response, async (t) => {
      if (!(await this.lineStep(t, cpu, args.granularity, true))) await t.stepOver(cpu);
    }, true);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    const cpu = this.cpuOf(args.threadId);
    this.go(response, async (t) => {
      const into = args.targetId !== undefined ? this.stepTargets.get(args.targetId) : undefined;
      if (!(await this.lineStep(t, cpu, args.granularity, false, into))) await t.step(cpu, 'instruction');
    }, true);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    const cpu = this.cpuOf(args.threadId);
    this.go(response, async (t) => {
      // With CFI at PC the caller's return address and CFA come from it (leaf functions without a frame
      // record included); otherwise the target's frame-pointer unwinder decides.
      const vars = this.vars;
      if (vars && this.source?.dwarf.cfiAt((await t.registers(cpu)).pc)) {
        const frames = await vars.frames(cpu, 2);
        const caller = frames[1];
        if (caller && frames[0]!.cfa !== undefined) {
          await t.runTo(cpu, caller.pc, frames[0]!.cfa);
          return;
        }
      }
      await t.stepOut(cpu);
    }, true);
  }

  // ---- breakpoints -------------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, async () => {
      response.body = { breakpoints: await this.breakpoints.sourceBreakpoints(this.target, this.source, args) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.answer(response, async (t) => ({ breakpoints: await this.breakpoints.setFunctionBreakpoints(t, args) }));
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.answer(response, async (t) => ({ breakpoints: await this.breakpoints.setInstructionBreakpoints(t, args) }));
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.answer(response, async (t) => ({ breakpoints: await setExceptionBreakpoints(t, args, (m) => this.sendEvent(new OutputEvent(m, 'stderr'))) }));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const body = this.events.exceptionInfo();
    if (!body) {
      this.sendErrorResponse(response, { id: 1001, format: 'not stopped on an exception', showUser: false });
      return;
    }
    response.body = body;
    this.sendResponse(response);
  }

  // ---- stack, scopes, variables, evaluate --------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.answer(response, (t) => stackTrace(this.cpuOf(args.threadId), args,
      (c, n) => (this.vars ? this.vars.frameViews(c, n) : targetFrameViews(t, c, n, this.source))));
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.answer(response, async () => {
      const source = this.vars ? await this.vars.scopes(args.frameId) : [];
      return { scopes: [...source, registersScope(cpuOfFrame(args.frameId))] };
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.answer(response, async (t) => {
      if (this.vars?.owns(args.variablesReference)) {
        const all = await this.vars.variables(args.variablesReference);
        const start = args.start ?? 0;
        return { variables: args.count ? all.slice(start, start + args.count) : all.slice(start) };
      }
      return { variables: await registerVariables(t, args.variablesReference) };
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, async () => {
      if (this.vars?.owns(args.variablesReference)) {
        response.body = await this.vars.setVariable(args);
        this.sendResponse(response);
        this.sendEvent(new InvalidatedEvent(['variables']));
        return;
      }
      const write = await setRegisterVariable(this.requireTarget(), args);
      this.vars?.reset();
      response.body = write.body;
      this.sendResponse(response);
      if (write.invalidated) this.sendEvent(new InvalidatedEvent([write.invalidated]));
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.answer(response, async (t) => {
      if (!this.vars) return evaluate(t, args);
      // C over the frame's variables first; the register/symbol evaluator (evaluate.ts) when that fails.
      try {
        return await this.vars.evaluate(args.frameId, args.expression);
      } catch (e) {
        try {
          return await evaluate(t, args);
        } catch {
          throw e;
        }
      }
    });
  }

  // ---- memory and disassembly --------------------------------------------------------------------

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.answer(response, (t) => readMemory(t, args));
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, async () => {
      const body = await writeMemory(this.requireTarget(), args);
      this.vars?.reset();
      response.body = body;
      this.sendResponse(response);
      if (body.bytesWritten > 0) this.sendEvent(new MemoryEvent(args.memoryReference, args.offset ?? 0, body.bytesWritten));
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.answer(response, (t) => disassemble(t, args, this.source));
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
    if (this.panel.handles(command)) {
      this.answer(response, (t) => this.panel.request(command, args, t));
      return;
    }
    if (command === 'a64.setStepping') {
      // {granularity: 'source' | 'instruction'} switches what next / step in step by; {} just asks.
      const g = (args as { granularity?: string } | undefined)?.granularity;
      if (g !== undefined && g !== 'source' && g !== 'instruction') {
        this.sendErrorResponse(response, { id: 1002, format: `stepping granularity '${g}' is not 'source' or 'instruction'`, showUser: false });
        return;
      }
      if (g) this.stepping = g;
      response.body = { granularity: this.stepping, sourceAvailable: !!this.source?.hasLines };
      this.sendResponse(response);
      return;
    }
    super.customRequest(command, response, args);
  }
}
