// Typed events the GIC publishes (issue 5, item 7): the machine forwards them to MachineEvents.gic, where
// the debugger's exception-breakpoint filters and the GIC/ITS panel consume them. Every event names the CPU
// interface it concerns; INTIDs are architectural interrupt IDs (SGI 0-15, PPI 16-31, SPI 32-1019,
// LPI 8192+).
import type { ItsCommandRecord } from './itsCommands';

export type GicEvent =
  /** An interrupt became pending (an SPI/PPI line rose, an SGI arrived, a write to GICD_ISPENDR...). */
  | { kind: 'interrupt-asserted'; intid: number; cpu?: number }
  /** ICC_IAR0/1_EL1 returned it: it is now active (LPIs: no longer pending). */
  | { kind: 'interrupt-acknowledged'; cpu: number; intid: number; group: number; priority: number }
  /** ICC_EOIR0/1_EL1: priority drop, and deactivation unless ICC_CTLR_EL1.EOImode is 1. */
  | { kind: 'interrupt-eoi'; cpu: number; intid: number; group: number; deactivated: boolean }
  /** ICC_DIR_EL1 deactivated it. */
  | { kind: 'interrupt-deactivated'; cpu: number; intid: number }
  /** The ITS executed (or rejected) one command from its queue. */
  | { kind: 'its-command'; record: ItsCommandRecord }
  /** A translated MSI (GITS_TRANSLATER write, msi(), or an INT command) made an LPI pending at a redistributor. */
  | { kind: 'lpi-delivered'; cpu: number; intid: number; deviceId: number; eventId: number; via: 'translater' | 'INT' };

export type GicEventSink = (e: GicEvent) => void;
