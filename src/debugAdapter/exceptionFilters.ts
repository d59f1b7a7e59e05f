// The exception breakpoint filters VS Code lists in its Breakpoints view, and what setExceptionBreakpoints
// makes of the user's choice. Three kinds:
//   - synchronous exceptions: "Undefined instruction" (ESR EC 0x00) and "Exception taken" with a condition
//     over EC (`EC == 0x15 || EC == 0x24`), both stopping at the exception vector. The condition reads only
//     EC, so it is turned into the set of classes it accepts (all 64 tried) and the machine filters by set;
//   - guest errors (unmapped accesses, device misuse);
//   - device and architectural events (eventFilters.ts: "ITS MAPTI" with `DeviceID == 0x8 && EventID == 0`,
//     "LPI delivered", "Interrupt acknowledged"...), stopping after the instruction that caused them.
// A malformed condition never reaches the target: its breakpoint comes back unverified with the parser's
// message (VS Code shows it on the filter) and the same message goes to the debug console.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './debugTarget';
import { compileCondition } from './eventCondition';
import { EVENT_FILTERS, checkEventFilter, filterRow, type EventFilterSpec } from './eventFilters';

const FILTER_UNDEF = 'undefined-instruction';
const FILTER_EXCEPTION = 'exception';
const FILTER_GUEST_ERRORS = 'guest-errors';
const EC_COUNT = 64;

/** The exception breakpoint filters (initialize response). */
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: FILTER_UNDEF,
    label: 'Undefined instruction',
    description: 'Stop when the guest takes an Undefined Instruction exception (ESR EC 0x00), at its vector.',
    default: false,
  },
  {
    filter: FILTER_EXCEPTION,
    label: 'Exception taken (synchronous)',
    description: 'Stop when the guest takes a synchronous exception (SVC, HVC, aborts, traps...), at its vector.',
    default: false,
    supportsCondition: true,
    conditionDescription: 'Over the ESR exception class, e.g. EC == 0x15 (SVC) || EC == 0x24 (data abort from a lower EL)',
  },
  {
    filter: FILTER_GUEST_ERRORS,
    label: 'Guest errors (unmapped access, device misuse)',
    description: 'Stop when the guest accesses unmapped physical memory or misuses a device.',
    default: false,
  },
  ...EVENT_FILTERS.map((r): DebugProtocol.ExceptionBreakpointsFilter => ({
    filter: r.filter,
    label: r.label,
    description: r.description,
    default: false,
    supportsCondition: true,
    conditionDescription: `e.g. ${exampleCondition(r.fields)} (fields: ${r.fields.join(', ')}; ==, !=, <, <=, >, >=, &&, ||, !, parentheses; 0x hex)`,
  })),
];

function exampleCondition(fields: readonly string[]): string {
  const [a, b] = fields;
  if (a && b && b !== 'Error') return `${a} == 0x8 && ${b} == 0`;
  return a ? `${a} == 0` : 'Error';
}

/** The exception classes an "Exception taken" condition accepts. */
function classesFor(condition: string | undefined): number[] {
  if (!condition?.trim()) return Array.from({ length: EC_COUNT }, (_, i) => i);
  const c = compileCondition(condition, ['EC']);
  return Array.from({ length: EC_COUNT }, (_, i) => i).filter((ec) => c.test({ EC: ec }));
}

/**
 * Sets the target's filters from the DAP request (`filters` and `filterOptions` with conditions). Answers one
 * breakpoint per filter, in request order; `report` writes a problem to the debug console.
 */
export async function setExceptionBreakpoints(
  t: DebugTarget, args: DebugProtocol.SetExceptionBreakpointsArguments, report: (message: string) => void = () => {},
): Promise<DebugProtocol.Breakpoint[]> {
  const options: { filterId: string; condition?: string }[] = [
    ...(args.filters ?? []).map((filterId) => ({ filterId })),
    ...(args.filterOptions ?? []),
  ];
  const classes = new Set<number>();
  const events: EventFilterSpec[] = [];
  let guestErrors = false;
  const answers = options.map(({ filterId, condition }): DebugProtocol.Breakpoint => {
    let problem: string | undefined;
    if (filterId === FILTER_UNDEF) classes.add(0x00);
    else if (filterId === FILTER_GUEST_ERRORS) guestErrors = true;
    else if (filterId === FILTER_EXCEPTION) {
      try {
        for (const ec of classesFor(condition)) classes.add(ec);
      } catch (e) {
        problem = `Exception taken condition '${condition}': ${(e as Error).message}`;
      }
    } else if (filterRow(filterId)) {
      const spec = { filter: filterId, condition };
      problem = checkEventFilter(spec);
      if (!problem) events.push(spec);
    } else {
      problem = `unknown exception filter '${filterId}'`;
    }
    if (!problem) return { verified: true };
    report(`${problem}\n`);
    return { verified: false, message: problem, reason: 'failed' };
  });
  await t.setExceptionFilters({ exceptionClasses: [...classes], guestErrors, events });
  return answers;
}
