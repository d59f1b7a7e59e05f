// The built-in UEFI firmware: what a cloud instance's firmware does before a boot loader runs, written in
// TypeScript and reached from the guest through trap stubs. Every function pointer in the tables we hand
// the guest (System Table, Boot and Runtime Services, protocol interfaces) points at an 8-byte stub in a
// RuntimeServicesCode page:
//     hlt #(0xE000 + n)        the machine's HLT hook calls UefiFirmware.call(n) on the calling CPU
//     br  x17                  continue where the service says: normally the caller's x30 (a return)
// x16/x17 are the AAPCS64 intra-procedure scratch registers, so using x17 is invisible to callers; it lets a
// service transfer control elsewhere (StartImage enters an image, Exit unwinds to StartImage's caller,
// a waiting service re-runs its own stub). Arguments arrive in x0..x7 (then the stack, for the variadic
// Install/UninstallMultipleProtocolInterfaces); the status goes back in x0.
//
// Deviations, each deliberate:
// - Services run instantly in virtual time (Stall and timers advance it, nothing else does).
// - The boot disk is read straight from its backing bytes (BlockIO, SimpleFileSystem over the ESP's
//   FAT32), not through the emulated NVMe/virtio controller; writes are refused (EFI_WRITE_PROTECTED).
// - The MMU is left as the machine starts it (off) rather than on with an identity map; loaders that
//   turn it on themselves are unaffected.
// - Event notification functions are never called (no TPL machinery); an event with one is reported.
// Anything a loader calls that is not implemented is reported by name through FirmwareHost.report and
// returns EFI_UNSUPPORTED, never a silent success.
import { CRC32_TABLE, crcBytes } from '../../isa/exec/crc';
import { parsePe, layoutPe } from '../../loader/pe';
import { GUID, GUID_NAMES } from './guids';
import type { FirmwareHost } from './host';
import { GuestMem } from './guestMemory';
import { MemoryMap, MemType, PAGE } from './memoryMap';
import { EFI, statusName } from './status';

export const UEFI_HLT_BASE = 0xe000;
const MAX_STUBS = 1024;
const HLT = (imm: number) => (0xd4400000 | (imm << 5)) >>> 0;
const BR_X17 = 0xd61f0220;

/** A service: reads its arguments through the firmware and returns the status for x0 (or undefined for void services). */
export type Service = (fw: UefiFirmware) => bigint | undefined;

/** Where execution continues after a service: the caller (default), a new address, or the stub again. */
type Continue = { kind: 'return' } | { kind: 'jump'; to: bigint } | { kind: 'again' };

export interface BootResult {
  readonly entry: bigint;
  readonly imageHandle: number;
  readonly systemTable: number;
  readonly sp: bigint;
  /** Where efi_main returns to (a stub that reports the return). */
  readonly lr: bigint;
}

export interface LoadedImageInfo {
  readonly handle: number;
  readonly base: number;
  readonly size: number;
  readonly name: string;
  /** The caller's saved context while the image runs under StartImage. */
  startedBy?: { lr: bigint; sp: bigint; saved: bigint[] };
}

export class UefiFirmware {
  readonly mem: GuestMem;
  readonly map: MemoryMap;
  private readonly services: { name: string; fn: Service }[] = [];
  private stubBase = 0;
  /** Handle -> protocol GUID -> interface address. Handles are addresses of small firmware allocations. */
  readonly handles = new Map<number, Map<string, number>>();
  readonly images = new Map<number, LoadedImageInfo>();
  systemTable = 0;
  bootServices = 0;
  runtimeServices = 0;
  configTables: { guid: string; table: number }[] = [];
  private configArray = 0;
  private configCapacity = 0;
  exitedBootServices = false;
  /** Set by a service to redirect execution (see Continue). */
  next: Continue = { kind: 'return' };
  /** Every service call, newest last (bounded), for the debugger's firmware log. */
  readonly trace: string[] = [];
  private readonly guidCache = new Map<string, number>();

  constructor(readonly host: FirmwareHost, readonly vendor = 'A64 Studio') {
    this.mem = new GuestMem(host);
    this.map = new MemoryMap(host.ramBase, host.ramSize);
    for (const r of host.reserved ?? []) {
      if (!this.map.claim(r.base - (r.base % PAGE), Math.ceil((r.size + (r.base % PAGE)) / PAGE), r.type)) {
        host.report(`UEFI: reserved range 0x${r.base.toString(16)}+0x${r.size.toString(16)} is not inside RAM or overlaps another`);
      }
    }
    this.stubBase = this.allocPages(Math.ceil((MAX_STUBS * 8) / PAGE), MemType.RuntimeServicesCode);
  }

  // ---- memory ------------------------------------------------------------------------------------------

  allocPages(pages: number, type: number, max?: number): number {
    const a = this.map.allocate(pages, type, max);
    if (a === undefined) throw new Error(`UEFI: out of memory allocating ${pages} pages`);
    this.host.write(a, new Uint8Array(pages * PAGE));
    return a;
  }

  /** Firmware-internal allocation of `size` zeroed bytes (whole pages) of `type`. */
  alloc(size: number, type: number = MemType.BootServicesData): number {
    return this.allocPages(Math.max(1, Math.ceil(size / PAGE)), type);
  }

  /** The address of a GUID's 16 bytes in firmware memory (for tables that point at GUIDs). */
  guidAddress(guid: string): number {
    let a = this.guidCache.get(guid);
    if (a === undefined) {
      a = this.alloc(16, MemType.RuntimeServicesData);
      this.mem.wguid(a, guid);
      this.guidCache.set(guid, a);
    }
    return a;
  }

  // ---- stubs and dispatch -----------------------------------------------------------------------------

  /** Registers a service; returns the address of its stub. */
  stub(name: string, fn: Service): number {
    const n = this.services.length;
    if (n >= MAX_STUBS) throw new Error('UEFI: too many service stubs');
    this.services.push({ name, fn });
    const code = new Uint8Array(8);
    const dv = new DataView(code.buffer);
    dv.setUint32(0, HLT(UEFI_HLT_BASE + n), true);
    dv.setUint32(4, BR_X17, true);
    this.host.write(this.stubBase + 8 * n, code);
    return this.stubBase + 8 * n;
  }

  /** A stub that reports the call by name and returns EFI_UNSUPPORTED. */
  unimplemented(name: string): number {
    return this.stub(name, (fw) => {
      fw.host.report(`UEFI: the guest called ${name}, which this firmware does not implement (returned EFI_UNSUPPORTED)`);
      return EFI.UNSUPPORTED;
    });
  }

  /** Is this HLT immediate one of ours? */
  static owns(imm: number): boolean {
    return imm >= UEFI_HLT_BASE && imm < UEFI_HLT_BASE + MAX_STUBS;
  }

  /** Runs service `imm - UEFI_HLT_BASE` for the CPU the host exposes; sets x0 (unless void) and x17. */
  call(imm: number): void {
    const n = imm - UEFI_HLT_BASE;
    const s = this.services[n];
    this.next = { kind: 'return' };
    if (!s) {
      this.host.report(`UEFI: HLT #0x${imm.toString(16)} is not a firmware service`);
      this.host.setX(17, this.host.x(30));
      return;
    }
    let status: bigint | undefined;
    try {
      status = s.fn(this);
    } catch (e) {
      this.host.report(`UEFI: ${s.name} failed inside the firmware: ${(e as Error).message}`);
      status = EFI.DEVICE_ERROR;
    }
    if (this.trace.length > 2000) this.trace.splice(0, 1000);
    this.trace.push(status === undefined ? s.name : `${s.name} -> ${statusName(status)}`);
    if (status !== undefined) this.host.setX(0, status);
    const nx = this.next as Continue;
    this.host.setX(17, nx.kind === 'return' ? this.host.x(30) : nx.kind === 'jump' ? nx.to : BigInt(this.stubBase + 8 * n));
  }

  /** Argument i of the current call (x0..x7, then the stack for variadic services). */
  arg(i: number): bigint {
    if (i < 8) return this.host.x(i);
    return this.mem.u64(Number(this.host.sp()) + 8 * (i - 8));
  }
  argN(i: number): number {
    return Number(this.arg(i));
  }

  // ---- handles and protocols ----------------------------------------------------------------------------

  newHandle(): number {
    const h = this.alloc(16);
    this.handles.set(h, new Map());
    return h;
  }

  install(handle: number, guid: string, iface: number): void {
    let m = this.handles.get(handle);
    if (!m) this.handles.set(handle, (m = new Map()));
    m.set(guid, iface);
  }

  protocol(handle: number, guid: string): number | undefined {
    return this.handles.get(handle)?.get(guid);
  }

  guidName(g: string): string {
    return GUID_NAMES[g] ?? g;
  }

  // ---- tables -------------------------------------------------------------------------------------------

  /** Writes a table header and the CRC32 over `size` bytes (with the CRC field zero while computing). */
  sealTable(addr: number, signature: bigint, size: number): void {
    this.mem.w64(addr, signature);
    this.mem.w32(addr + 8, (2 << 16) | 70); // UEFI 2.70
    this.mem.w32(addr + 12, size);
    this.mem.w32(addr + 16, 0);
    this.mem.w32(addr + 16, crcBytes(CRC32_TABLE, this.mem.bytes(addr, size)));
  }

  /** Adds, replaces or (table 0) removes a configuration table, keeping the System Table consistent. */
  setConfigTable(guid: string, table: number): void {
    const i = this.configTables.findIndex((t) => t.guid === guid);
    if (table === 0) {
      if (i >= 0) this.configTables.splice(i, 1);
    } else if (i >= 0) this.configTables[i].table = table;
    else this.configTables.push({ guid, table });
    if (this.configTables.length > this.configCapacity) {
      this.configCapacity = Math.max(16, this.configCapacity * 2);
      this.configArray = this.alloc(24 * this.configCapacity, MemType.RuntimeServicesData);
    }
    this.configTables.forEach((t, k) => {
      this.mem.wguid(this.configArray + 24 * k, t.guid);
      this.mem.w64(this.configArray + 24 * k + 16, t.table);
    });
    if (this.systemTable) {
      this.mem.w64(this.systemTable + 104, this.configTables.length);
      this.mem.w64(this.systemTable + 112, this.configArray);
      this.sealTable(this.systemTable, 0x5453595320494249n, 120);
    }
  }

  // ---- images -------------------------------------------------------------------------------------------

  /** Loads a PE32+ image into LoaderCode pages aligned to its SectionAlignment; returns its layout. */
  loadPe(bytes: Uint8Array, name: string): { base: number; size: number; entry: bigint } {
    const pe = parsePe(bytes, name);
    const align = Math.max(PAGE, pe.sectionAlignment);
    const pages = Math.ceil((pe.sizeOfImage + align) / PAGE);
    const raw = this.allocPages(pages, MemType.LoaderCode);
    const base = Math.ceil(raw / align) * align;
    const { bytes: img, entry } = layoutPe(bytes, pe, BigInt(base));
    this.host.write(base, img);
    return { base, size: pe.sizeOfImage, entry };
  }
}

/** Registers a void-returning helper as a status-less service. */
export const voidService = (fn: (fw: UefiFirmware) => void): Service => (fw) => {
  fn(fw);
  return undefined;
};

export { GUID };
