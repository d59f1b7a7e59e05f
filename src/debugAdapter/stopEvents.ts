// How a stop of the target reads in DAP: the `stopped` event (its reason, the breakpoints it hit, the text
// of an exception or guest error; every stop stops all threads) and, for the last stop, the answer to
// exceptionInfo (the ESR exception class with its name and where it was taken from, the guest error, or
// the emulator error). An emulator error is also written to the debug console, since the guest cannot
// continue from it. An event filter's stop (eventFilters.ts: "ITS MAPTI" ...) shows the event and the
// instruction that caused it; the guest is stopped after that instruction.

import { OutputEvent, StoppedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EC_NAMES } from '../emu/index';
import type { BreakpointHits } from './breakpoints';
import type { TargetStop } from './debugTarget';
import { formatEc } from './format';

/** How the session names a code address (with its symbol) and the breakpoints at one. */
export interface StopContext {
  where(address: bigint): string;
  hitsAt(address: bigint): BreakpointHits;
}

function ecName(ec: number): string {
  return EC_NAMES[ec] ?? `exception class ${formatEc(ec)}`;
}

/** The events that report a stop, in order: a console line for an emulator error, then `stopped`. */
export function stopEvents(stop: TargetStop, ctx: StopContext): DebugProtocol.Event[] {
  const events: DebugProtocol.Event[] = [];
  let reason: string = stop.reason;
  let text: string | undefined;
  let description: string | undefined;
  let hitBreakpointIds: number[] | undefined;
  switch (stop.reason) {
    case 'breakpoint': {
      const hits = ctx.hitsAt(stop.pc);
      reason = hits.reason;
      if (hits.ids.length) hitBreakpointIds = hits.ids;
      break;
    }
    case 'exception':
      if (stop.kind === 'event') {
        // VS Code shows the description in the Call Stack view: what happened and which instruction did it
        text = stop.hit.label;
        description = `${stop.hit.event.text}, caused by the instruction at ${ctx.where(stop.cause)}`;
        break;
      }
      text = stop.kind === 'exception' ? `${ecName(stop.ec)} at ${ctx.where(stop.from)}` : `guest error: ${stop.message}`;
      description = stop.kind === 'exception' ? 'Paused on exception' : 'Paused on guest error';
      break;
    case 'error':
      events.push(new OutputEvent(`Emulator error (the guest cannot continue from here): ${stop.message}\n`, 'stderr'));
      reason = 'exception';
      text = 'emulator error';
      description = 'Paused on emulator error';
      break;
  }
  const ev = new StoppedEvent(reason, stop.cpu + 1, text);
  const body = ev.body as DebugProtocol.StoppedEvent['body'];
  if (hitBreakpointIds) body.hitBreakpointIds = hitBreakpointIds;
  if (description) body.description = description;
  body.allThreadsStopped = true;
  events.push(ev);
  return events;
}

/** The exceptionInfo answer for the last stop; undefined when it was not an exception or error. */
export function exceptionInfo(stop: TargetStop | undefined, where: (address: bigint) => string): DebugProtocol.ExceptionInfoResponse['body'] | undefined {
  if (!stop || (stop.reason !== 'exception' && stop.reason !== 'error')) return undefined;
  if (stop.reason === 'error') {
    return { exceptionId: 'emulator-error', description: 'Emulator error', breakMode: 'always', details: { message: stop.message, typeName: 'Emulator error' } };
  }
  if (stop.kind === 'event') return eventInfo(stop, where);
  if (stop.kind === 'exception') {
    const name = ecName(stop.ec);
    return {
      exceptionId: `EC ${formatEc(stop.ec)}`,
      description: `${name} (ESR_ELx.EC ${formatEc(stop.ec)}) taken from ${where(stop.from)}; stopped at the exception vector`,
      breakMode: 'always',
      details: { message: stop.description, typeName: `ESR EC ${formatEc(stop.ec)}: ${name}` },
    };
  }
  return {
    exceptionId: 'guest-error',
    description: stop.message,
    breakMode: 'always',
    details: { message: stop.message, typeName: 'Guest error' },
  };
}

/** Event fields shown in hexadecimal (as formatItsCommand shows them); the others are counts and numbers. */
const HEX_FIELDS = new Set(['DeviceID', 'EventID', 'ITT_addr', 'Code', 'Priority']);

/** exceptionInfo for an event filter's stop: the event, its fields, the filter and the causing instruction. */
function eventInfo(stop: Extract<TargetStop, { kind: 'event' }>, where: (address: bigint) => string): DebugProtocol.ExceptionInfoResponse['body'] {
  const { hit, cause } = stop;
  const fields = Object.entries(hit.event.fields).filter(([, v]) => v >= 0)
    .map(([k, v]) => `${k}=${HEX_FIELDS.has(k) ? `0x${v.toString(16)}` : v}`).join(' ');
  const lines = [
    hit.event.text,
    `Caused by the instruction at ${where(cause)}; the guest stopped after it (PC is the next instruction).`,
    `Filter: ${hit.label}${hit.condition ? ` if ${hit.condition}` : ''}.`,
    `Fields: ${fields}`,
  ];
  if (hit.more > 0) lines.push(`The same instruction matched ${hit.more} more time${hit.more > 1 ? 's' : ''} (see the GIC/ITS panel's command history).`);
  return {
    exceptionId: hit.label,
    description: lines.join('\n'),
    breakMode: 'always',
    details: { message: hit.event.text, typeName: hit.label, stackTrace: `at ${where(cause)}` },
  };
}
