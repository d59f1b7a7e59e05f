// EmuTarget's side of the event filters and the GIC/ITS panel: it listens to the machine's GIC events
// (MachineEvents.gic; also mmuEnabled) while the guest runs, feeds the activity tracker (gicActivity.ts) and the enabled
// event filters (eventFilters.ts), which on a match ask the machine to stop after the instruction executing
// now (Machine.stopAfterInstruction). When the run comes back with { kind: 'event' }, PC is the instruction
// after the one that caused the event — every event filtered is caused by a non-branching instruction (a
// store to a GITS_* register, an MRS/MSR of an ICC_* register or SCTLR_ELx), so that instruction is at PC - 4 and the
// stop reports it as `cause`. Snapshots and MSI paths are read here, without side effects.
import type { GicEvent, Machine, MmuEnabledEvent, StopReason } from '../emu/index';
import type { TargetGicState, TargetMsiPath, TargetStop } from './debugTarget';
import { EventStops, gicDebugEvent, mmuDebugEvent, type EventFilterSpec } from './eventFilters';
import { GicActivity } from './gicActivity';

export class EmuEventTap {
  private machine?: Machine;
  private readonly stops = new EventStops(() => this.machine?.stopAfterInstruction());
  private activity = new GicActivity();

  /** Starts following a newly built machine (its events must call onGic). */
  bind(machine: Machine): void {
    this.machine = machine;
    this.activity = new GicActivity();
    this.stops.take();
  }

  onGic(e: GicEvent): void {
    this.activity.onEvent(e);
    if (!this.stops.active) return;
    const d = gicDebugEvent(e);
    if (d) this.stops.onEvent(d);
  }

  onMmuEnabled(e: MmuEnabledEvent): void {
    if (this.stops.active) this.stops.onEvent(mmuDebugEvent(e));
  }

  setFilters(specs: readonly EventFilterSpec[]): void {
    this.stops.set(specs);
  }

  /**
   * Looks at how a run or step ended: an event stop becomes the TargetStop to report; any other result drops
   * a match whose stop another one overtook (a guest error raised by the same instruction, say).
   */
  afterRun(r: StopReason): TargetStop | undefined {
    const hit = this.stops.take();
    if (r.kind !== 'event' || !this.machine) return undefined;
    const pc = this.machine.registers(r.cpu).pc;
    const cause = pc - 4n;
    return {
      reason: 'exception', kind: 'event', cpu: r.cpu, cause,
      hit: hit ?? { filter: 'event', label: 'Event', event: { types: [], fields: {}, text: 'an event filter matched' }, more: 0 },
    };
  }

  gicState(): TargetGicState | undefined {
    const m = this.machine;
    if (!m) return undefined;
    return { gic: m.gic.snapshot(), activity: this.activity.snapshot() };
  }

  msiPath(deviceId: number, eventId: number): TargetMsiPath | undefined {
    return this.machine?.gic.msiPath(deviceId, eventId);
  }
}
