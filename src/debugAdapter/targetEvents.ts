// Relays what the target reports to the DAP client. A stop becomes a `stopped` event (stopEvents.ts), and
// the last one is kept for exceptionInfo. UART output is decoded as UTF-8, per UART and across chunks,
// into the debug console (category stdout) and also sent raw as the custom event `a64.uart`
// {uart, data: base64} to the extension's terminal; semihosting console output goes to the debug console.
// Guest errors go to stderr, at most 100 per run (a resume or step starts a new run), then one note. The
// first time the guest idles waiting for input, a note says how it wakes. When the guest ends (power off,
// reset, semihosting exit), a console line says how, and the session finishes.

import { Event, OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointHits } from './breakpoints';
import type { DebugTarget, TargetGuestError, TargetStop, TargetTermination } from './debugTarget';
import { formatAddressSymbol, toBase64 } from './format';
import { exceptionInfo, stopEvents } from './stopEvents';

const MAX_GUEST_ERRORS_PER_RUN = 100;

/** What the relay needs of the session. */
export interface RelaySession {
  sendEvent(e: DebugProtocol.Event): void;
  /** The symbol covering an address in the loaded kernel. */
  symbolize(address: bigint): string | undefined;
  hitsAt(address: bigint): BreakpointHits;
  /** Ends the session: `exited` (when there is an exit code), then `terminated`. */
  finish(exitCode?: number): void;
}

export class TargetEventRelay {
  private lastStop?: TargetStop;
  private guestErrorsThisRun = 0;
  private idleNoted = false;
  private readonly decoders = new Map<number, InstanceType<typeof TextDecoder>>();

  constructor(private readonly session: RelaySession) {}

  wire(t: DebugTarget): void {
    t.on('stopped', (e) => this.stopped(e));
    t.on('output', (uart, data) => this.uartOutput(uart, data));
    t.on('console', (data, stream) => this.session.sendEvent(new OutputEvent(new TextDecoder().decode(data), stream)));
    t.on('terminated', (e) => this.terminated(e));
    t.on('guestError', (e) => this.guestError(e));
    t.on('idle', () => {
      if (this.idleNoted) return;
      this.idleNoted = true;
      this.console('The guest waits for an interrupt (WFI) that only input can raise; it resumes when you type into its UART. Pause to inspect it.\n');
    });
  }

  /** Reports a stop (also used by the session for stops that happen before the guest runs). */
  stopped(e: TargetStop): void {
    this.lastStop = e;
    const ctx = { where: (a: bigint) => this.where(a), hitsAt: (a: bigint) => this.session.hitsAt(a) };
    for (const ev of stopEvents(e, ctx)) this.session.sendEvent(ev);
  }

  /** The guest is about to run again: guest errors are counted afresh. */
  newRun(): void {
    this.guestErrorsThisRun = 0;
  }

  exceptionInfo(): DebugProtocol.ExceptionInfoResponse['body'] | undefined {
    return exceptionInfo(this.lastStop, (a) => this.where(a));
  }

  console(text: string): void {
    this.session.sendEvent(new OutputEvent(text, 'console'));
  }

  private where(address: bigint): string {
    return formatAddressSymbol(address, this.session.symbolize(address));
  }

  private uartOutput(uart: number, data: Uint8Array): void {
    let dec = this.decoders.get(uart);
    if (!dec) this.decoders.set(uart, (dec = new TextDecoder('utf-8')));
    const text = dec.decode(data, { stream: true });
    if (text) this.session.sendEvent(new OutputEvent(text, 'stdout'));
    this.session.sendEvent(new Event('a64.uart', { uart, data: toBase64(data) }));
  }

  private guestError(e: TargetGuestError): void {
    this.guestErrorsThisRun++;
    if (this.guestErrorsThisRun > MAX_GUEST_ERRORS_PER_RUN) {
      if (this.guestErrorsThisRun === MAX_GUEST_ERRORS_PER_RUN + 1) {
        this.session.sendEvent(new OutputEvent(`Guest errors: more than ${MAX_GUEST_ERRORS_PER_RUN} since the last resume; not showing more until the next one.\n`, 'stderr'));
      }
      return;
    }
    this.session.sendEvent(new OutputEvent(`Guest error on CPU ${e.cpu} at ${this.where(e.pc)}: ${e.message}\n`, 'stderr'));
  }

  private terminated(e: TargetTermination): void {
    const what = e.reason === 'poweroff' ? 'The guest powered off (PSCI SYSTEM_OFF).'
      : e.reason === 'reset' ? 'The guest asked for a system reset (PSCI SYSTEM_RESET); ending the session.'
        : `The guest exited with status ${e.exitCode} (semihosting).`;
    this.console(`${what}\n`);
    this.session.finish(e.exitCode);
  }
}
