// The custom DAP requests and events the GIC/ITS panel uses (types only: the extension imports them with
// `import type`). DESIGN.md: panels read state through versioned snapshots — `schema` says the layout,
// `generation` rises on every stop, resume and debugger write, so a client caches a snapshot until the
// generation moves (while the guest runs, state changes without it: the client re-reads, throttled).
//
//   request  a64/gicSnapshot  {}                      -> GicSnapshotBody
//   request  a64/msiPath      { deviceId, eventId }   -> MsiPathBody
//   event    a64/stateChanged                         StateChangedBody
// Every read is free of side effects (no ICC_IAR acknowledge, no read-to-clear, no table writes).
import type { GicSnapshot } from '../emu/index';
import type { GicActivitySnapshot } from './gicActivity';

export type PanelState = 'stopped' | 'running' | 'idle' | 'terminated' | 'unloaded';

export interface StateChangedBody {
  generation: number;
  /** What the guest is doing now. */
  state: PanelState;
  /** What moved the generation: a stop, a resume or step, a debugger write. */
  why: 'stopped' | 'running' | 'write' | 'terminated';
}

/** Per CPU, what the panel shows beside the GIC: where it is and whether IRQs are masked. */
export interface PanelCpu {
  cpu: number;
  pc: string;
  el: number;
  /** PSTATE.DAIF as four letters, masked ones upper case ("dAIf"). */
  daif: string;
  irqMasked: boolean;
  fiqMasked: boolean;
}

export interface GicSnapshotBody {
  schema: 1;
  generation: number;
  state: PanelState;
  /** Absent when the machine has no GIC. */
  gic?: GicSnapshot;
  activity?: GicActivitySnapshot;
  cpus: PanelCpu[];
}

export interface MsiPathArguments {
  deviceId: number;
  eventId: number;
}

/** One step of an MSI's way from GITS_TRANSLATER to the CPU. */
export interface MsiStep {
  name: string;
  status: 'ok' | 'blocked' | 'not reached';
  detail: string;
}

export interface MsiPathBody {
  schema: 1;
  generation: number;
  deviceId: number;
  eventId: number;
  steps: MsiStep[];
  /** The first step that blocks, in words; absent when the LPI would be taken. */
  blocked?: string;
  target?: { cpu: number; intid: number };
}
