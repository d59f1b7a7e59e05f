// GICv3 Interrupt Translation Service: control frame (GITS_CTLR, IIDR, TYPER, CBASER, CWRITER, CREADR,
// BASER<n>) and translation frame (GITS_TRANSLATER at +0x10040), 128 KiB at 0x0808_0000 on `virt`.
// Commands are read from the guest's queue and executed when GITS_CWRITER is written (or when the ITS is
// enabled with commands waiting); a translation maps (DeviceID, EventID) through the device table, the
// device's ITT and the collection table to an LPI at a redistributor. Table records are decoded in
// itsTables.ts, command packets in itsCommands.ts.
//
// Choices (IHI 0069 leaves them to the implementation; where QEMU chose, we chose the same):
// - GITS_TYPER as QEMU 7.2: Physical, ITT_entry_size 12 bytes, IDbits 16, Devbits 16, CIDbits 16, CIL,
//   HCC 0 (no collections held in the ITS), PTA 0 (RDbase is a processor number), SEIS 0 (no SError).
// - GITS_BASER0 is the device table, GITS_BASER1 the collection table (Entry_Size 8, Type read-only; both
//   flat and two-level (Indirect) tables), GITS_BASER2-7 RAZ/WI. Page_Size is writable (4K/16K/64K).
// - Everything completes synchronously, so GITS_CTLR.Quiescent always reads 1 and SYNC has nothing to wait
//   for. The tables are read when used, never cached; writes to GITS_CBASER/GITS_BASER<n> while Enabled is 1
//   (UNPREDICTABLE) are ignored and reported, as QEMU ignores them.
// - A command with a bad parameter (unmapped device, EventID/ICID/pINTID out of range, unmapped
//   collection) is ignored and the queue goes on (one of the CONSTRAINED UNPREDICTABLE behaviours of IHI
//   0069 5.3, QEMU's choice); the error is reported (guest error, its-command event) with a name following
//   the specification's E_<COMMAND>_<REASON> style. A packet the ITS cannot read (queue outside RAM), an
//   unknown opcode or GITS_CWRITER beyond the queue stall the queue: GITS_CREADR.Stalled = 1 until a write
//   to GITS_CWRITER with Retry = 1 (or a new GITS_CBASER).
// - DeviceID of a CPU write to GITS_TRANSLATER: 0, as QEMU (its MemTxAttrs.requester_id is 0 for CPU
//   accesses). PCI devices call msi(deviceId, eventId) with their requester ID; the write path also takes
//   an optional requester ID (MmioDevice.write's 4th argument) for bus masters.
// - Memory-wise, the ITS reads and writes guest RAM directly: no caches of DTEs, ITEs or CTEs.
import { GicFrame, type GicRegDef } from './frame';
import { idRegs } from './distributor';
import { IIDR_ARM, ID_BITS, LPI_START } from './config';
import {
  CTE_SIZE, DTE_SIZE, ITE_SIZE, decodeBaser, iteAddress, readCte, readDte, readIte, tableEntry, writeCte, writeDte,
  writeIte, type CollectionTableEntry, type DeviceTableEntry, type GuestMemory, type InterruptTranslationEntry,
  type TableDescriptor,
} from './itsTables';
import { decodeItsCommand, formatItsCommand, type ItsCommand, type ItsCommandRecord } from './itsCommands';

export const ITS_DEVBITS = 16;
export const ITS_CIDBITS = 16;
export const GITS_TRANSLATER_OFFSET = 0x10040;
const BASER_TYPES = [1, 4, 0, 0, 0, 0, 0, 0];
const BASER_ENTRY_SIZES = [DTE_SIZE, CTE_SIZE, 0, 0, 0, 0, 0, 0];
const HISTORY_LIMIT = 256;

/** What the ITS needs from the GIC. */
export interface ItsHost {
  mem: GuestMemory;
  /** Guest memory read without side effects (snapshots, translationPath); its writes are never used. */
  peekMem: GuestMemory;
  numCpus: number;
  /** Makes an LPI pending (or not) at a redistributor; false when it does not accept it. */
  setLpiPending(cpu: number, intid: number, on: boolean): boolean;
  lpiPending(cpu: number, intid: number): boolean;
  /** INV (one LPI) / INVALL (all LPIs of a redistributor). */
  invalidate(cpu: number, intid?: number): void;
  lpiIdBits(cpu: number): number;
  commandExecuted(r: ItsCommandRecord): void;
  lpiDelivered(cpu: number, intid: number, deviceId: number, eventId: number, via: 'translater' | 'INT'): void;
  guestError(message: string): void;
  guestWarning(message: string): void;
}

class CommandError extends Error {}

/** Result of following (DeviceID, EventID) through the tables: what the panel's "MSI path" shows. */
export interface TranslationPath {
  deviceId: number;
  eventId: number;
  dte?: DeviceTableEntry;
  ite?: InterruptTranslationEntry;
  cte?: CollectionTableEntry;
  /** The redistributor (processor number) and LPI, when the path is complete. */
  target?: { cpu: number; intid: number };
  /** The first step that blocks it. */
  blocked?: string;
}

export class Its {
  enabled = false;
  cbaserLo = 0;
  cbaserHi = 0;
  cwriter = 0;
  creadr = 0;
  stalled = false;
  readonly baserLo = new Uint32Array(8);
  readonly baserHi = new Uint32Array(8);
  readonly history: ItsCommandRecord[] = [];
  private seq = 0;
  readonly frame: GicFrame;

  constructor(private readonly host: ItsHost) {
    const regs: GicRegDef[] = [
      {
        name: 'GITS_CTLR', offset: 0x0000, access: 'rw', read: () => ((this.enabled ? 1 : 0) | 0x80000000) >>> 0,
        write: (_i, v) => {
          const on = (v & 1) === 1;
          if (on === this.enabled) return;
          this.enabled = on;
          if (on) this.process();
        },
      },
      { name: 'GITS_IIDR', offset: 0x0004, access: 'ro', read: () => IIDR_ARM },
      { name: 'GITS_TYPER', offset: 0x0008, width: 8, access: 'ro', read: (_i, half) => (half ? this.typerHi() : this.typerLo()) },
      {
        name: 'GITS_CBASER', offset: 0x0080, width: 8, access: 'rw', read: (_i, half) => (half ? this.cbaserHi : this.cbaserLo),
        write: (_i, v, half) => {
          if (this.lockedWhileEnabled('GITS_CBASER')) return;
          if (half) this.cbaserHi = (v & 0xb8efffff) >>> 0;
          else this.cbaserLo = (v & 0xfffffcff) >>> 0;
          this.creadr = 0;
          this.stalled = false;
        },
      },
      {
        name: 'GITS_CWRITER', offset: 0x0088, width: 8, access: 'rw', read: (_i, half) => (half ? 0 : this.cwriter),
        write: (_i, v, half) => {
          if (half) return;
          this.cwriter = v & 0xfffe0;
          if (v & 1 && this.stalled) this.stalled = false; // Retry
          this.process();
        },
      },
      { name: 'GITS_CREADR', offset: 0x0090, width: 8, access: 'ro', read: (_i, half) => (half ? 0 : this.creadr | (this.stalled ? 1 : 0)) },
      {
        name: 'GITS_BASER', offset: 0x0100, count: 8, width: 8, access: 'rw',
        read: (i, half) => (half ? this.baserHi[i] : this.baserLo[i]),
        write: (i, v, half) => {
          if (BASER_TYPES[i] === 0 || this.lockedWhileEnabled(`GITS_BASER${i}`)) return;
          if (half) this.baserHi[i] = ((v & 0xf8e0ffff) | this.baserRoHi(i)) >>> 0;
          else this.baserLo[i] = (v & 0xffffffff) >>> 0;
        },
      },
      ...idRegs('GITS', 0x94),
      {
        name: 'GITS_TRANSLATER', offset: GITS_TRANSLATER_OFFSET, access: 'wo',
        write: (_i, v) => this.msi(0, v >>> 0),
      },
    ];
    this.frame = new GicFrame('gicv3-its', regs, host.guestError);
    this.reset();
  }

  reset(): void {
    this.enabled = false;
    this.cbaserLo = this.cbaserHi = this.cwriter = this.creadr = 0;
    this.stalled = false;
    for (let i = 0; i < 8; i++) {
      this.baserLo[i] = 0;
      this.baserHi[i] = this.baserRoHi(i);
    }
    this.history.length = 0;
    this.seq = 0;
  }

  private baserRoHi(i: number): number {
    return BASER_TYPES[i] ? ((BASER_TYPES[i] << 24) | ((BASER_ENTRY_SIZES[i] - 1) << 16)) >>> 0 : 0;
  }

  typerLo(): number {
    return (1 | ((ITE_SIZE - 1) << 4) | ((ID_BITS - 1) << 8) | ((ITS_DEVBITS - 1) << 13)) >>> 0;
  }

  typerHi(): number {
    return (ITS_CIDBITS - 1) | (1 << 4); // CIDbits, CIL
  }

  private lockedWhileEnabled(name: string): boolean {
    if (!this.enabled) return false;
    this.host.guestWarning(`gicv3-its: write to ${name} while GITS_CTLR.Enabled is 1 ignored (UNPREDICTABLE)`);
    return true;
  }

  deviceTable(): TableDescriptor {
    return decodeBaser(this.baserLo[0], this.baserHi[0]);
  }

  collectionTable(): TableDescriptor {
    return decodeBaser(this.baserLo[1], this.baserHi[1]);
  }

  queueBase(): number {
    return (this.cbaserHi & 0xfffff) * 2 ** 32 + ((this.cbaserLo & 0xfffff000) >>> 0);
  }

  queueSize(): number {
    return ((this.cbaserLo & 0xff) + 1) * 0x1000;
  }

  // ---- the command queue ---------------------------------------------------------------------------

  private process(): void {
    if (!this.enabled || this.stalled || (this.cbaserHi >>> 31) === 0) return;
    const size = this.queueSize();
    if (this.cwriter >= size) {
      this.stall(`GITS_CWRITER offset 0x${this.cwriter.toString(16)} is beyond the ${size}-byte command queue`);
      return;
    }
    const base = this.queueBase();
    let budget = size / 32;
    while (this.creadr !== this.cwriter && budget-- > 0) {
      const address = base + this.creadr;
      const words: number[] = [];
      try {
        for (let k = 0; k < 8; k++) words.push(this.host.mem.read32(address + 4 * k));
      } catch {
        this.stall(`command queue entry at 0x${address.toString(16)} is not in RAM`);
        return;
      }
      const c = decodeItsCommand(words);
      const record: ItsCommandRecord = { ...c, seq: this.seq++, offset: this.creadr, address };
      if (c.cmd === 'UNKNOWN') {
        record.error = `unknown command 0x${c.code.toString(16)}: the queue stalls`;
        this.recordCommand(record, false);
        this.stall(`unknown ITS command 0x${c.code.toString(16)} at 0x${address.toString(16)}`);
        return;
      }
      try {
        this.execute(c);
      } catch (e) {
        if (e instanceof CommandError) record.error = e.message;
        else {
          record.error = 'a table it uses is not in RAM: the queue stalls';
          this.recordCommand(record, false);
          this.stall(`${formatItsCommand(c)}: a table it uses is not in RAM`);
          return;
        }
      }
      this.recordCommand(record);
      this.creadr = (this.creadr + 32) % size;
    }
  }

  private stall(why: string): void {
    this.stalled = true;
    this.host.guestError(`gicv3-its: command queue stalled (GITS_CREADR.Stalled = 1): ${why}`);
  }

  /** Keeps the command in the history and publishes it; `report` = a guest error for an ignored command. */
  private recordCommand(r: ItsCommandRecord, report = true): void {
    this.history.push(r);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    if (r.error && report) this.host.guestError(`gicv3-its: ${formatItsCommand(r)} ignored: ${r.error}`);
    this.host.commandExecuted(r);
  }

  // ---- table access --------------------------------------------------------------------------------

  private dtePa(deviceId: number, cmd: string): number {
    const t = this.deviceTable();
    if (!t.valid) throw new CommandError(`E_${cmd}_DEVICE_OOR: GITS_BASER0 (device table) is not valid`);
    const r = tableEntry(this.host.mem, t, deviceId, 2 ** ITS_DEVBITS);
    if ('error' in r) throw new CommandError(`E_${cmd}_DEVICE_OOR: DeviceID 0x${deviceId.toString(16)}: ${r.error} of the device table`);
    return r.pa;
  }

  private ctePa(icid: number, cmd: string): number {
    const t = this.collectionTable();
    if (!t.valid) throw new CommandError(`E_${cmd}_COLLECTION_OOR: GITS_BASER1 (collection table) is not valid`);
    const r = tableEntry(this.host.mem, t, icid, 2 ** ITS_CIDBITS);
    if ('error' in r) throw new CommandError(`E_${cmd}_COLLECTION_OOR: ICID ${icid}: ${r.error} of the collection table`);
    return r.pa;
  }

  /** The mapped device, or a command error. */
  private device(deviceId: number, cmd: string): DeviceTableEntry {
    const dte = readDte(this.host.mem, this.dtePa(deviceId, cmd));
    if (!dte.valid) throw new CommandError(`E_${cmd}_UNMAPPED_DEVICE: DeviceID 0x${deviceId.toString(16)} is not mapped (no MAPD)`);
    return dte;
  }

  private checkEvent(dte: DeviceTableEntry, eventId: number, cmd: string): void {
    if (eventId >= 2 ** dte.eventIdBits) {
      throw new CommandError(`E_${cmd}_ID_OOR: EventID 0x${eventId.toString(16)} is beyond the device's ${dte.eventIdBits} EventID bits`);
    }
  }

  private mappedIte(dte: DeviceTableEntry, eventId: number, cmd: string): InterruptTranslationEntry {
    this.checkEvent(dte, eventId, cmd);
    const ite = readIte(this.host.mem, iteAddress(dte, eventId));
    if (!ite.valid) throw new CommandError(`E_${cmd}_UNMAPPED_INTERRUPT: EventID 0x${eventId.toString(16)} is not mapped (no MAPTI/MAPI)`);
    return ite;
  }

  private collection(icid: number, cmd: string): CollectionTableEntry {
    const cte = readCte(this.host.mem, this.ctePa(icid, cmd));
    if (!cte.valid) throw new CommandError(`E_${cmd}_UNMAPPED_COLLECTION: ICID ${icid} is not mapped (no MAPC)`);
    return cte;
  }

  private checkRd(rd: number, cmd: string): void {
    if (rd >= this.host.numCpus) throw new CommandError(`E_${cmd}_RDBASE_OOR: RDbase ${rd} is not a redistributor (${this.host.numCpus} CPUs)`);
  }

  // ---- commands ------------------------------------------------------------------------------------

  private execute(c: ItsCommand): void {
    const mem = this.host.mem;
    switch (c.cmd) {
      case 'MAPD': {
        const pa = this.dtePa(c.DeviceID!, 'MAPD');
        if (!c.V) {
          writeDte(mem, pa, { valid: false, eventIdBits: 1, ittAddress: 0 });
          return;
        }
        if (c.Size! + 1 > ID_BITS) throw new CommandError(`E_MAPD_ITTSIZE_OOR: Size ${c.Size} (${c.Size! + 1} EventID bits) exceeds GITS_TYPER.IDbits (${ID_BITS})`);
        if (c.ITT_addr! >= 2 ** 40) throw new CommandError(`E_MAPD_ITTADDR: ITT address 0x${c.ITT_addr!.toString(16)} is beyond our 40-bit device-table format`);
        writeDte(mem, pa, { valid: true, eventIdBits: c.Size! + 1, ittAddress: c.ITT_addr! });
        return;
      }
      case 'MAPC': {
        const pa = this.ctePa(c.ICID!, 'MAPC');
        if (c.V) this.checkRd(c.RDbase!, 'MAPC');
        writeCte(mem, pa, { valid: c.V === 1, rdbase: c.V ? c.RDbase! : 0 });
        return;
      }
      case 'MAPTI':
      case 'MAPI': {
        const dte = this.device(c.DeviceID!, c.cmd);
        this.checkEvent(dte, c.EventID!, c.cmd);
        this.ctePa(c.ICID!, c.cmd); // ICID within the collection table
        const pintid = c.cmd === 'MAPI' ? c.EventID! : c.pINTID!;
        if (pintid < LPI_START || pintid >= 2 ** ID_BITS) {
          throw new CommandError(`E_${c.cmd}_PHYSICALID_OOR: pINTID ${pintid} is not an LPI ID (8192..${2 ** ID_BITS - 1})`);
        }
        writeIte(mem, iteAddress(dte, c.EventID!), { valid: true, pINTID: pintid, icid: c.ICID! });
        return;
      }
      case 'MOVI': {
        const dte = this.device(c.DeviceID!, 'MOVI');
        const ite = this.mappedIte(dte, c.EventID!, 'MOVI');
        const from = this.collection(ite.icid, 'MOVI');
        const to = this.collection(c.ICID!, 'MOVI');
        writeIte(mem, iteAddress(dte, c.EventID!), { ...ite, icid: c.ICID! });
        // the pending state moves with the interrupt
        if (from.rdbase !== to.rdbase && from.rdbase < this.host.numCpus && this.host.lpiPending(from.rdbase, ite.pINTID)) {
          this.host.setLpiPending(from.rdbase, ite.pINTID, false);
          if (to.rdbase < this.host.numCpus) this.host.setLpiPending(to.rdbase, ite.pINTID, true);
        }
        return;
      }
      case 'INT':
        this.translate(c.DeviceID!, c.EventID!, 'INT');
        return;
      case 'CLEAR':
      case 'DISCARD': {
        const dte = this.device(c.DeviceID!, c.cmd);
        const ite = this.mappedIte(dte, c.EventID!, c.cmd);
        const cte = this.collection(ite.icid, c.cmd);
        if (cte.rdbase < this.host.numCpus) this.host.setLpiPending(cte.rdbase, ite.pINTID, false);
        if (c.cmd === 'DISCARD') writeIte(mem, iteAddress(dte, c.EventID!), { valid: false, pINTID: 0, icid: 0 });
        return;
      }
      case 'INV': {
        const dte = this.device(c.DeviceID!, 'INV');
        const ite = this.mappedIte(dte, c.EventID!, 'INV');
        const cte = this.collection(ite.icid, 'INV');
        if (cte.rdbase < this.host.numCpus) this.host.invalidate(cte.rdbase, ite.pINTID);
        return;
      }
      case 'INVALL': {
        const cte = this.collection(c.ICID!, 'INVALL');
        if (cte.rdbase < this.host.numCpus) this.host.invalidate(cte.rdbase);
        return;
      }
      case 'SYNC':
        this.checkRd(c.RDbase!, 'SYNC');
        return;
      case 'MOVALL': {
        this.checkRd(c.RDbase!, 'MOVALL');
        this.checkRd(c.RDbase2!, 'MOVALL');
        if (c.RDbase === c.RDbase2) return;
        const bits = this.host.lpiIdBits(c.RDbase!);
        for (let intid = LPI_START; intid < 2 ** bits; intid++) {
          if (this.host.lpiPending(c.RDbase!, intid)) {
            this.host.setLpiPending(c.RDbase!, intid, false);
            this.host.setLpiPending(c.RDbase2!, intid, true);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  /** INT and GITS_TRANSLATER: (DeviceID, EventID) -> LPI pending at the collection's redistributor. */
  private translate(deviceId: number, eventId: number, via: 'translater' | 'INT'): void {
    const cmd = via === 'INT' ? 'INT' : 'TRANSLATE';
    const dte = this.device(deviceId, cmd);
    const ite = this.mappedIte(dte, eventId, cmd);
    const cte = this.collection(ite.icid, cmd);
    if (cte.rdbase >= this.host.numCpus) throw new CommandError(`E_${cmd}_RDBASE_OOR: collection ${ite.icid} targets RDbase ${cte.rdbase}, which does not exist`);
    if (!this.host.setLpiPending(cte.rdbase, ite.pINTID, true)) {
      throw new CommandError(`E_${cmd}_LPI_NOT_ACCEPTED: redistributor ${cte.rdbase} does not accept LPI ${ite.pINTID} (GICR_CTLR.EnableLPIs = 0, or the ID is beyond GICR_PROPBASER.IDbits)`);
    }
    this.host.lpiDelivered(cte.rdbase, ite.pINTID, deviceId, eventId, via);
  }

  /**
   * An MSI: a write of `eventId` to GITS_TRANSLATER by the device `deviceId` (a PCI requester ID). Dropped,
   * and reported, when the ITS is disabled or the translation fails (IHI 0069: the write is ignored).
   */
  msi(deviceId: number, eventId: number): void {
    if (!this.enabled) {
      this.host.guestWarning(`gicv3-its: MSI (DeviceID 0x${deviceId.toString(16)}, EventID 0x${eventId.toString(16)}) dropped: GITS_CTLR.Enabled is 0`);
      return;
    }
    try {
      this.translate(deviceId, eventId, 'translater');
    } catch (e) {
      const why = e instanceof CommandError ? e.message : 'a table it uses is not in RAM';
      this.host.guestError(`gicv3-its: MSI (DeviceID 0x${deviceId.toString(16)}, EventID 0x${eventId.toString(16)}) dropped: ${why}`);
    }
  }

  /** Follows (DeviceID, EventID) through the tables without side effects; names the first blocking step. */
  translationPath(deviceId: number, eventId: number): TranslationPath {
    const p: TranslationPath = { deviceId, eventId };
    const mem = this.host.peekMem;
    try {
      if (!this.enabled) return { ...p, blocked: 'ITS disabled (GITS_CTLR.Enabled = 0)' };
      const dt = this.deviceTable();
      if (!dt.valid) return { ...p, blocked: 'no device table (GITS_BASER0.Valid = 0)' };
      const d = tableEntry(mem, dt, deviceId, 2 ** ITS_DEVBITS);
      if ('error' in d) return { ...p, blocked: `DeviceID: ${d.error}` };
      p.dte = readDte(mem, d.pa);
      if (!p.dte.valid) return { ...p, blocked: 'unmapped device (no MAPD)' };
      if (eventId >= 2 ** p.dte.eventIdBits) return { ...p, blocked: 'EventID out of range for the device' };
      p.ite = readIte(mem, iteAddress(p.dte, eventId));
      if (!p.ite.valid) return { ...p, blocked: 'unmapped event (no MAPTI/MAPI)' };
      const ct = this.collectionTable();
      if (!ct.valid) return { ...p, blocked: 'no collection table (GITS_BASER1.Valid = 0)' };
      const c = tableEntry(mem, ct, p.ite.icid, 2 ** ITS_CIDBITS);
      if ('error' in c) return { ...p, blocked: `ICID: ${c.error}` };
      p.cte = readCte(mem, c.pa);
      if (!p.cte.valid) return { ...p, blocked: `unmapped collection ${p.ite.icid} (no MAPC)` };
      p.target = { cpu: p.cte.rdbase, intid: p.ite.pINTID };
    } catch {
      p.blocked = 'a table is not in RAM';
    }
    return p;
  }
}
