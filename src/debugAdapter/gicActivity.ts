// What the GIC did recently, followed from its events for the GIC/ITS panel: per CPU, the interrupts
// acknowledged and not yet deactivated (the GIC's own snapshot holds active bits for SGIs, PPIs and SPIs,
// but an LPI has no active state — after ICC_IAR it is only a running priority — so "LPI 8192 active"
// comes from here), the count of LPIs delivered, and the last events as text. Fed synchronously by the
// target while the guest runs: it stores the raw events and formats them only when asked.
import type { GicEvent } from '../emu/index';
import { gicDebugEvent } from './eventFilters';

const RECENT = 64;
const LPI_START = 8192;

export interface ActiveInterrupt {
  cpu: number;
  intid: number;
  group: number;
  priority: number;
  /** Its priority was dropped by ICC_EOIR with EOImode = 1; ICC_DIR deactivates it. */
  dropped: boolean;
}

export interface GicActivitySnapshot {
  /** Acknowledged and not yet deactivated, oldest first. */
  active: ActiveInterrupt[];
  lpisDelivered: number;
  /** The last events (up to 64), oldest first; seq counts every event since the machine was loaded. */
  recent: { seq: number; kind: GicEvent['kind']; cpu?: number; text: string }[];
}

export class GicActivity {
  private active: ActiveInterrupt[] = [];
  private delivered = 0;
  private seq = 0;
  private readonly ring: { seq: number; e: GicEvent }[] = [];

  onEvent(e: GicEvent): void {
    this.seq++;
    this.ring.push({ seq: this.seq, e });
    if (this.ring.length > RECENT) this.ring.shift();
    switch (e.kind) {
      case 'lpi-delivered':
        this.delivered++;
        break;
      case 'interrupt-acknowledged':
        this.active.push({ cpu: e.cpu, intid: e.intid, group: e.group, priority: e.priority, dropped: false });
        break;
      case 'interrupt-eoi': {
        // EOI ends the most recent acknowledgement of that INTID on that CPU; an LPI has no active state,
        // so its EOI always ends it (ICC_DIR has nothing to deactivate).
        const i = this.findLast(e.cpu, e.intid, (a) => !a.dropped);
        if (i < 0) break;
        if (e.deactivated || e.intid >= LPI_START) this.active.splice(i, 1);
        else this.active[i]!.dropped = true;
        break;
      }
      case 'interrupt-deactivated': {
        const i = this.findLast(e.cpu, e.intid, () => true);
        if (i >= 0) this.active.splice(i, 1);
        break;
      }
      default:
        break;
    }
  }

  private findLast(cpu: number, intid: number, ok: (a: ActiveInterrupt) => boolean): number {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const a = this.active[i]!;
      if (a.cpu === cpu && a.intid === intid && ok(a)) return i;
    }
    return -1;
  }

  snapshot(): GicActivitySnapshot {
    return {
      active: this.active.map((a) => ({ ...a })),
      lpisDelivered: this.delivered,
      recent: this.ring.map(({ seq, e }) => ({ seq, kind: e.kind, cpu: 'cpu' in e ? e.cpu : undefined, text: eventText(e) })),
    };
  }
}

function eventText(e: GicEvent): string {
  if (e.kind === 'interrupt-asserted') return `Interrupt ${e.intid} asserted${e.cpu !== undefined ? ` at CPU ${e.cpu}` : ''}`;
  return gicDebugEvent(e)?.text ?? e.kind;
}
