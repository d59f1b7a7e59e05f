// ITS command packets (IHI 0069 5.3): 32 bytes, four little-endian doublewords, read from the command
// queue in guest memory. decodeItsCommand turns one into a typed record with the architectural field names
// (DeviceID, EventID, pINTID, ICID, ...) that the model executes and the events, the debugger's "ITS
// command" breakpoints and the panel's command history show. Field positions:
//   DW0 [7:0] command, [63:32] DeviceID
//   DW1 [31:0] EventID (MAPTI/MAPI/MOVI/INT/CLEAR/DISCARD/INV), [63:32] pINTID (MAPTI), [4:0] Size (MAPD)
//   DW2 [15:0] ICID (MAPC/MAPTI/MAPI/MOVI/INVALL), [51:8] ITT_addr (MAPD), [51:16] RDbase (MAPC/SYNC/
//       MOVALL), [63] V (MAPD/MAPC)
//   DW3 [51:16] RDbase2 (MOVALL)
// With GITS_TYPER.PTA = 0, RDbase fields hold a processor number (GICR_TYPER.Processor_Number).

export const ITS_COMMAND_CODES = {
  MOVI: 0x01, INT: 0x03, CLEAR: 0x04, SYNC: 0x05, MAPD: 0x08, MAPC: 0x09, MAPTI: 0x0a, MAPI: 0x0b,
  INV: 0x0c, INVALL: 0x0d, MOVALL: 0x0e, DISCARD: 0x0f,
} as const;

export type ItsCommandName = keyof typeof ITS_COMMAND_CODES;

const NAME_OF = new Map<number, ItsCommandName>(Object.entries(ITS_COMMAND_CODES).map(([k, v]) => [v, k as ItsCommandName]));

/** A decoded command: only the fields the command has are present. */
export interface ItsCommand {
  /** Command name, or 'UNKNOWN' for an opcode the GICv3 physical ITS does not have (e.g. GICv4 VMAPP). */
  cmd: ItsCommandName | 'UNKNOWN';
  code: number;
  DeviceID?: number;
  EventID?: number;
  pINTID?: number;
  ICID?: number;
  /** MAPD: number of EventID bits minus one. */
  Size?: number;
  ITT_addr?: number;
  V?: number;
  RDbase?: number;
  RDbase2?: number;
}

/** A command as executed: where it was in the queue, and the error that made the ITS ignore it, if any. */
export interface ItsCommandRecord extends ItsCommand {
  /** Sequence number since reset. */
  seq: number;
  /** Byte offset in the command queue (GITS_CREADR before it). */
  offset: number;
  /** Physical address of the packet. */
  address: number;
  /** Architectural error name (E_MAPTI_UNMAPPED_DEVICE...) and explanation; absent on success. */
  error?: string;
}

const rdbase = (lo: number, hi: number): number => (hi & 0xfffff) * 0x10000 + (lo >>> 16);

/** Decodes the eight 32-bit words of a packet (little-endian order: DW0 lo, DW0 hi, DW1 lo...). */
export function decodeItsCommand(w: readonly number[]): ItsCommand {
  const code = w[0] & 0xff;
  const name = NAME_OF.get(code);
  const c: ItsCommand = { cmd: name ?? 'UNKNOWN', code };
  const deviceId = w[1] >>> 0;
  const eventId = w[2] >>> 0;
  const icid = w[4] & 0xffff;
  switch (name) {
    case 'MAPD':
      Object.assign(c, { DeviceID: deviceId, Size: w[2] & 0x1f, ITT_addr: (w[5] & 0xfffff) * 2 ** 32 + ((w[4] & 0xffffff00) >>> 0), V: w[5] >>> 31 });
      break;
    case 'MAPC':
      Object.assign(c, { ICID: icid, RDbase: rdbase(w[4], w[5]), V: w[5] >>> 31 });
      break;
    case 'MAPTI':
      Object.assign(c, { DeviceID: deviceId, EventID: eventId, pINTID: w[3] >>> 0, ICID: icid });
      break;
    case 'MAPI':
      Object.assign(c, { DeviceID: deviceId, EventID: eventId, ICID: icid });
      break;
    case 'MOVI':
      Object.assign(c, { DeviceID: deviceId, EventID: eventId, ICID: icid });
      break;
    case 'INT':
    case 'CLEAR':
    case 'DISCARD':
    case 'INV':
      Object.assign(c, { DeviceID: deviceId, EventID: eventId });
      break;
    case 'INVALL':
      c.ICID = icid;
      break;
    case 'SYNC':
      c.RDbase = rdbase(w[4], w[5]);
      break;
    case 'MOVALL':
      Object.assign(c, { RDbase: rdbase(w[4], w[5]), RDbase2: rdbase(w[6], w[7]) });
      break;
    default:
      break;
  }
  return c;
}

/** "MAPTI DeviceID=0x8 EventID=0x0 pINTID=8192 ICID=0" — how stops and logs show a command. */
export function formatItsCommand(c: ItsCommand): string {
  const parts: string[] = [c.cmd === 'UNKNOWN' ? `UNKNOWN(0x${c.code.toString(16)})` : c.cmd];
  const hex = (v: number): string => `0x${v.toString(16)}`;
  if (c.DeviceID !== undefined) parts.push(`DeviceID=${hex(c.DeviceID)}`);
  if (c.EventID !== undefined) parts.push(`EventID=${hex(c.EventID)}`);
  if (c.pINTID !== undefined) parts.push(`pINTID=${c.pINTID}`);
  if (c.ICID !== undefined) parts.push(`ICID=${c.ICID}`);
  if (c.Size !== undefined) parts.push(`Size=${c.Size}`);
  if (c.ITT_addr !== undefined) parts.push(`ITT_addr=${hex(c.ITT_addr)}`);
  if (c.RDbase !== undefined) parts.push(`RDbase=${c.RDbase}`);
  if (c.RDbase2 !== undefined) parts.push(`RDbase2=${c.RDbase2}`);
  if (c.V !== undefined) parts.push(`V=${c.V}`);
  return parts.join(' ');
}
