// The GIC/ITS panel's side of the session (protocol in gicProtocol.ts): answers a64/gicSnapshot and
// a64/msiPath from the target, and keeps the generation number — raised, with an a64/stateChanged event,
// whenever the session reports a stop or termination, answers a resume or step, or a debugger write
// succeeds. The session shows it every event and response it sends (two one-line hooks), so nothing else
// in the session needs to know about panels. Requests are answered while the guest runs too (between two
// slices), without side effects.
import { Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget, TargetMsiPath } from './debugTarget';
import { hexAddr } from './format';
import type { GicSnapshotBody, MsiPathArguments, MsiPathBody, MsiStep, PanelCpu, PanelState, StateChangedBody } from './gicProtocol';

// configurationDone starts the guest unless it stops on entry (then a stop follows at once)
const RUNS = new Set(['configurationDone', 'continue', 'next', 'stepIn', 'stepOut']);
const WRITES = new Set(['writeMemory', 'setVariable', 'setExpression']);

export const GIC_SNAPSHOT = 'a64/gicSnapshot';
export const MSI_PATH = 'a64/msiPath';
export const STATE_CHANGED = 'a64/stateChanged';

export class PanelRequests {
  private generation = 0;

  constructor(private readonly send: (e: DebugProtocol.Event) => void) {}

  /** Called with every event the session sends. */
  observeEvent(e: DebugProtocol.Event): void {
    if (e.event === 'stopped') this.changed('stopped', 'stopped');
    else if (e.event === 'terminated') this.changed('terminated', 'terminated');
  }

  /** Called with every response the session sends. */
  observeResponse(r: DebugProtocol.Response): void {
    if (!r.success) return;
    if (RUNS.has(r.command)) this.changed('running', 'running');
    else if (WRITES.has(r.command)) this.changed('write', 'stopped');
  }

  private changed(why: StateChangedBody['why'], state: PanelState): void {
    this.generation++;
    const body: StateChangedBody = { generation: this.generation, state, why };
    this.send(new Event(STATE_CHANGED, body));
  }

  handles(command: string): boolean {
    return command === GIC_SNAPSHOT || command === MSI_PATH;
  }

  /** The body answering a panel request; throws with a message for the user on bad arguments. */
  async request(command: string, args: unknown, t: DebugTarget): Promise<GicSnapshotBody | MsiPathBody> {
    if (command === GIC_SNAPSHOT) return this.snapshot(t);
    const a = (args ?? {}) as Partial<MsiPathArguments>;
    const deviceId = checkId(a.deviceId, 'deviceId', 0xffffffff);
    const eventId = checkId(a.eventId, 'eventId', 0xffffffff);
    return this.msiPath(t, deviceId, eventId);
  }

  private async snapshot(t: DebugTarget): Promise<GicSnapshotBody> {
    const state = await t.gicState();
    return { schema: 1, generation: this.generation, state: t.state, gic: state?.gic, activity: state?.activity, cpus: await cpus(t) };
  }

  private async msiPath(t: DebugTarget, deviceId: number, eventId: number): Promise<MsiPathBody> {
    const p = await t.msiPath(deviceId, eventId);
    const base = { schema: 1 as const, generation: this.generation, deviceId, eventId };
    if (!p) return { ...base, steps: [], blocked: 'the machine has no ITS' };
    const cpu = p.target ? (await cpus(t)).find((c) => c.cpu === p.target!.cpu) : undefined;
    const steps = msiSteps(p, cpu);
    const blocked = steps.find((s) => s.status === 'blocked');
    return { ...base, steps, blocked: blocked && `${blocked.name}: ${blocked.detail}`, target: p.target };
  }
}

function checkId(v: unknown, name: string, max: number): number {
  const n = typeof v === 'string' && /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(v) ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new Error(`a64/msiPath: ${name} must be an integer from 0 to 0x${max.toString(16)} (got ${JSON.stringify(v)})`);
  }
  return n;
}

async function cpus(t: DebugTarget): Promise<PanelCpu[]> {
  const out: PanelCpu[] = [];
  for (let cpu = 0; cpu < t.cpuCount; cpu++) {
    const r = await t.registers(cpu);
    const bits = (r.pstate >>> 6) & 0xf;
    const daif = ['d', 'a', 'i', 'f'].map((ch, k) => ((bits >>> (3 - k)) & 1 ? ch.toUpperCase() : ch)).join('');
    out.push({ cpu, pc: hexAddr(r.pc), el: r.el, daif, irqMasked: (bits & 2) !== 0, fiqMasked: (bits & 1) !== 0 });
  }
  return out;
}

const hex = (v: number): string => `0x${v.toString(16)}`;

/**
 * The steps of an MSI from GITS_TRANSLATER to the CPU, each ok, blocked (the first failing one) or not
 * reached. The GIC model decides (Gic.msiPath: tables, then redistributor and CPU interface); the last step,
 * PSTATE.I, comes from the CPU's registers.
 */
export function msiSteps(p: TargetMsiPath, cpu: PanelCpu | undefined): MsiStep[] {
  const names = [
    'GITS_TRANSLATER (ITS enabled)',
    'Device table: DeviceID → ITT',
    'ITT: EventID → LPI, collection',
    'Collection table: ICID → redistributor',
    'Redistributor and distributor',
    'CPU interface (group enable, ICC_PMR_EL1)',
    'CPU: PSTATE.I',
  ];
  // where the model's message stops the path
  let at = -1;
  let why = '';
  if (p.blocked) {
    why = p.blocked;
    if (!p.dte) at = /ITS disabled/.test(why) ? 0 : 1;
    else if (!p.ite) at = p.dte.valid ? 2 : 1;
    else if (!p.cte) at = p.ite.valid ? 3 : 2;
    else at = 3;
  } else if (p.delivery) {
    why = p.delivery;
    at = /ICC_/.test(why) ? 5 : 4;
  } else if (cpu?.irqMasked) {
    at = 6;
    why = `IRQs masked at CPU ${cpu.cpu} (PSTATE.DAIF = ${cpu.daif}): the LPI stays pending until the CPU unmasks IRQs or reads ICC_IAR1_EL1`;
  }
  const ok = [
    `DeviceID ${hex(p.deviceId)} writes EventID ${p.eventId}`,
    p.dte ? `DTE valid: ITT at ${hex(p.dte.ittAddress)}, ${p.dte.eventIdBits} EventID bits` : '',
    p.ite ? `ITE valid: pINTID ${p.ite.pINTID}, ICID ${p.ite.icid}` : '',
    p.cte ? `collection ${p.ite?.icid} → redistributor ${p.cte.rdbase}` : '',
    p.target ? `LPI ${p.target.intid} enabled, can be pending at redistributor ${p.target.cpu}` : '',
    p.target ? `Group 1 enabled, priority above ICC_PMR_EL1 at CPU ${p.target.cpu}` : '',
    cpu ? `IRQs unmasked (PSTATE.DAIF = ${cpu.daif}): the CPU takes the interrupt` : 'CPU state unknown',
  ];
  return names.map((name, i): MsiStep => {
    if (at < 0 || i < at) return { name, status: 'ok', detail: ok[i]! };
    if (i === at) return { name, status: 'blocked', detail: why };
    return { name, status: 'not reached', detail: '' };
  });
}
