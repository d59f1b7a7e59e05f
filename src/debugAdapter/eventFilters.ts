// Device and architectural events as exception breakpoint filters (DESIGN.md: "ITS MAPTI" with
// `DeviceID == 0x10`, shown in VS Code's Breakpoints view). Three parts:
//   - EVENT_FILTERS, the table: one row per filter — its DAP id, label, the event type it stops on and the
//     fields a condition may name (eventCondition.ts). The "ITS command" rows come from the command set.
//   - normalizers: the emulator's typed events (MachineEvents.gic today) become DebugEvents — a type, the
//     numeric fields conditions read, and the text a stop shows ("ITS MAPTI DeviceID=0x0 EventID=0x3
//     pINTID=8192 ICID=0").
//   - EventStops, used by the target while the guest runs: matches each event against the enabled filters
//     and, on the first match, asks the machine to stop after the instruction that caused it.
// Adding an event source is one row plus its normalizer, as "MMU enabled" (MachineEvents.mmuEnabled, the MSR
// to SCTLR_ELx that set M) shows: its row below and mmuDebugEvent.
//
// Every event filtered here is caused by a non-branching instruction, after which the guest stops: a store
// to GITS_CWRITER (or GITS_CTLR/CBASER) runs ITS commands; a store to GITS_TRANSLATER or an INT command
// delivers an LPI; MRS ICC_IAR*_EL1 acknowledges, MSR ICC_EOIR*/DIR_EL1 ends an interrupt; MSR SCTLR_ELx
// turns the MMU on. Not offered yet: "interrupt asserted" (a device raises it from host input between
// instructions too), "interrupt taken" (the CPU takes it between instructions and clears its loop's stop
// request when it does, so the stop would land late) and "EL change" (ERET is a branch: the stop needs the
// ERET's own address, which the event does not carry).
import { formatItsCommand, type GicEvent, type ItsCommandRecord, type MmuEnabledEvent } from '../emu/index';
import { compileCondition, type CompiledCondition } from './eventCondition';

/** An event as filters see it. */
export interface DebugEvent {
  /** The filter types it belongs to, e.g. ['its-command:MAPTI'] or ['its-command:MAPTI', 'its-command-error']. */
  types: string[];
  /** The CPU it concerns, when there is one. */
  cpu?: number;
  fields: Record<string, number>;
  /** One line: what happened. */
  text: string;
  error?: string;
}

export interface EventFilterRow {
  /** The DAP filter id. */
  filter: string;
  label: string;
  description: string;
  /** DebugEvent.types value it stops on. */
  type: string;
  /** Field names a condition may use (matched case-insensitively). */
  fields: readonly string[];
}

/** ITS commands and the fields of each (itsCommands.ts decodes them under these names). */
const ITS_FIELDS: Record<ItsCommandRecord['cmd'] & string, readonly string[]> = {
  MAPD: ['DeviceID', 'Size', 'ITT_addr', 'V'],
  MAPC: ['ICID', 'RDbase', 'V'],
  MAPTI: ['DeviceID', 'EventID', 'pINTID', 'ICID'],
  MAPI: ['DeviceID', 'EventID', 'ICID'],
  MOVI: ['DeviceID', 'EventID', 'ICID'],
  INT: ['DeviceID', 'EventID'],
  CLEAR: ['DeviceID', 'EventID'],
  DISCARD: ['DeviceID', 'EventID'],
  INV: ['DeviceID', 'EventID'],
  INVALL: ['ICID'],
  SYNC: ['RDbase'],
  MOVALL: ['RDbase', 'RDbase2'],
  UNKNOWN: [],
};

/** Every field an ITS command record can carry, for the "any command error" filter. */
const ALL_ITS_FIELDS = ['DeviceID', 'EventID', 'pINTID', 'ICID', 'Size', 'ITT_addr', 'V', 'RDbase', 'RDbase2'] as const;

const ITS_ORDER = ['MAPTI', 'MAPD', 'MAPC', 'MAPI', 'INV', 'INVALL', 'SYNC', 'DISCARD', 'MOVI', 'INT', 'CLEAR', 'MOVALL'] as const;

export const EVENT_FILTERS: readonly EventFilterRow[] = [
  ...ITS_ORDER.map((cmd): EventFilterRow => ({
    filter: `its-${cmd.toLowerCase()}`,
    label: `ITS ${cmd}`,
    description: `Stop after the instruction that made the ITS execute a ${cmd} command (the write to GITS_CWRITER).`,
    type: `its-command:${cmd}`,
    fields: [...ITS_FIELDS[cmd], 'Error'],
  })),
  {
    filter: 'its-command-error',
    label: 'ITS command error',
    description: 'Stop after the instruction that made the ITS ignore a command (unmapped device, EventID or pINTID out of range, bad ICID) or stall its queue.',
    type: 'its-command-error',
    fields: ['Code', ...ALL_ITS_FIELDS],
  },
  {
    filter: 'lpi-delivered',
    label: 'LPI delivered',
    description: 'Stop after the instruction that made an LPI pending at a redistributor (a write to GITS_TRANSLATER, or an INT command).',
    type: 'lpi-delivered',
    fields: ['INTID', 'DeviceID', 'EventID', 'CPU'],
  },
  {
    filter: 'interrupt-acknowledged',
    label: 'Interrupt acknowledged (ICC_IAR)',
    description: 'Stop after a read of ICC_IAR0/1_EL1 that acknowledged an interrupt (the interrupt taken by the handler).',
    type: 'interrupt-acknowledged',
    fields: ['INTID', 'CPU', 'Group', 'Priority'],
  },
  {
    filter: 'interrupt-eoi',
    label: 'Interrupt EOI (ICC_EOIR)',
    description: 'Stop after a write to ICC_EOIR0/1_EL1 (priority drop, and deactivation unless EOImode = 1).',
    type: 'interrupt-eoi',
    fields: ['INTID', 'CPU', 'Group', 'Deactivated'],
  },
  {
    filter: 'interrupt-deactivated',
    label: 'Interrupt deactivated (ICC_DIR)',
    description: 'Stop after a write to ICC_DIR_EL1 that deactivated an interrupt.',
    type: 'interrupt-deactivated',
    fields: ['INTID', 'CPU'],
  },
  {
    filter: 'mmu-enabled',
    label: 'MMU enabled',
    description: 'Stop after the MSR to SCTLR_EL1/SCTLR_EL2 that turned stage 1 translation on (SCTLR_ELx.M 0 -> 1).',
    type: 'mmu-enabled',
    fields: ['CPU', 'EL'],
  },
];

const hex = (v: number): string => `0x${v.toString(16)}`;

function itsCommandEvent(r: ItsCommandRecord): DebugEvent {
  const fields: Record<string, number> = { Error: r.error ? 1 : 0, Code: r.code };
  for (const f of ALL_ITS_FIELDS) fields[f] = r[f] ?? -1;
  const types = [`its-command:${r.cmd}`];
  if (r.error) types.push('its-command-error');
  const text = `ITS ${formatItsCommand(r)}${r.error ? ` (ignored: ${r.error})` : ''}`;
  return { types, fields, text, error: r.error };
}

/** The DebugEvent for a GIC event; undefined for events no filter stops on. */
export function gicDebugEvent(e: GicEvent): DebugEvent | undefined {
  switch (e.kind) {
    case 'its-command':
      return itsCommandEvent(e.record);
    case 'lpi-delivered':
      return {
        types: ['lpi-delivered'], cpu: e.cpu,
        fields: { INTID: e.intid, DeviceID: e.deviceId, EventID: e.eventId, CPU: e.cpu },
        text: `LPI ${e.intid} delivered to CPU ${e.cpu} (DeviceID=${hex(e.deviceId)} EventID=${hex(e.eventId)}, ${e.via === 'INT' ? 'INT command' : 'GITS_TRANSLATER'})`,
      };
    case 'interrupt-acknowledged':
      return {
        types: ['interrupt-acknowledged'], cpu: e.cpu,
        fields: { INTID: e.intid, CPU: e.cpu, Group: e.group, Priority: e.priority },
        text: `Interrupt ${e.intid} acknowledged by CPU ${e.cpu} (ICC_IAR${e.group}_EL1, priority ${hex(e.priority)})`,
      };
    case 'interrupt-eoi':
      return {
        types: ['interrupt-eoi'], cpu: e.cpu,
        fields: { INTID: e.intid, CPU: e.cpu, Group: e.group, Deactivated: e.deactivated ? 1 : 0 },
        text: `Interrupt ${e.intid} EOI by CPU ${e.cpu} (ICC_EOIR${e.group}_EL1${e.deactivated ? ', deactivated' : ', priority drop only'})`,
      };
    case 'interrupt-deactivated':
      return {
        types: ['interrupt-deactivated'], cpu: e.cpu,
        fields: { INTID: e.intid, CPU: e.cpu },
        text: `Interrupt ${e.intid} deactivated by CPU ${e.cpu} (ICC_DIR_EL1)`,
      };
    case 'interrupt-asserted':
      return undefined;
  }
}

/** The DebugEvent for MachineEvents.mmuEnabled. */
export function mmuDebugEvent(e: MmuEnabledEvent): DebugEvent {
  const h64 = (v: bigint): string => `0x${v.toString(16)}`;
  const el = e.regime === 'EL2' ? 2 : 1;
  return {
    types: ['mmu-enabled'], cpu: e.cpu, fields: { CPU: e.cpu, EL: el },
    text: `MMU enabled on CPU ${e.cpu} (SCTLR_EL${el}.M, ${e.regime} regime: TTBR0 ${h64(e.ttbr0)}${e.ttbr1 !== undefined ? ` TTBR1 ${h64(e.ttbr1)}` : ''} TCR ${h64(e.tcr)} MAIR ${h64(e.mair)})`,
  };
}

export function filterRow(filter: string): EventFilterRow | undefined {
  return EVENT_FILTERS.find((r) => r.filter === filter);
}

/** A filter the user enabled, as the target receives it. */
export interface EventFilterSpec {
  filter: string;
  /** The condition as typed in the Breakpoints view; empty or absent: always. */
  condition?: string;
}

/** Checks a spec; returns the problem for the user, or undefined when it is fine. */
export function checkEventFilter(spec: EventFilterSpec): string | undefined {
  const row = filterRow(spec.filter);
  if (!row) return `unknown exception filter '${spec.filter}'`;
  if (!spec.condition?.trim()) return undefined;
  try {
    compileCondition(spec.condition, row.fields);
    return undefined;
  } catch (e) {
    return `${row.label} condition '${spec.condition}': ${(e as Error).message}`;
  }
}

/** The match that stops the guest. */
export interface EventHit {
  filter: string;
  label: string;
  condition?: string;
  event: DebugEvent;
  /** Further matches caused by the same instruction (one write to GITS_CWRITER can run many commands). */
  more: number;
}

export class EventStops {
  private byType = new Map<string, { row: EventFilterRow; cond?: CompiledCondition }[]>();
  private hit?: EventHit;

  /** `requestStop` asks the machine to stop after the instruction executing now. */
  constructor(private readonly requestStop: () => void) {}

  /** Replaces the enabled filters; a spec that does not check (checkEventFilter) is left out. */
  set(specs: readonly EventFilterSpec[]): void {
    this.byType = new Map();
    for (const s of specs) {
      if (checkEventFilter(s) !== undefined) continue;
      const row = filterRow(s.filter)!;
      const cond = s.condition?.trim() ? compileCondition(s.condition, row.fields) : undefined;
      const list = this.byType.get(row.type);
      if (list) list.push({ row, cond });
      else this.byType.set(row.type, [{ row, cond }]);
    }
  }

  /** Whether any filter is enabled (the target skips building DebugEvents otherwise). */
  get active(): boolean {
    return this.byType.size > 0;
  }

  /** Matches one event; the first match asks for a stop, later ones (same instruction) are counted. */
  onEvent(e: DebugEvent): void {
    for (const t of e.types) {
      for (const f of this.byType.get(t) ?? []) {
        if (f.cond && !f.cond.test(e.fields)) continue;
        if (this.hit) this.hit.more++;
        else {
          this.hit = { filter: f.row.filter, label: f.row.label, condition: f.cond?.source, event: e, more: 0 };
          this.requestStop();
        }
        return;
      }
    }
  }

  /** The hit that made the machine stop (consumed). */
  take(): EventHit | undefined {
    const h = this.hit;
    this.hit = undefined;
    return h;
  }
}
