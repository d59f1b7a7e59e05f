// Booting a machine through the built-in UEFI firmware (firmware/uefi): the FirmwareHost over this machine
// (guest RAM through the bus, the calling CPU's registers, the console UART, virtual time from the
// retired-instruction count), the HLT trap that reaches the firmware's services, and the boot CPU set up to
// enter the boot application as a UEFI firmware would: x0 = ImageHandle, x1 = SystemTable, SP on a
// firmware stack, x30 at a stub that reports a return from the entry point.
import type { Cpu } from '../cpu/cpu';
import { SLOT_SP } from '../cpu/regs';
import { startUefi, UefiFirmware, type UefiOptions } from '../firmware/uefi';
import type { FirmwareHost } from '../firmware/uefi/host';
import type { Machine } from './machine';
import { buildAcpiTables } from '../firmware/acpi/build';
import { acpiPlatformFor } from './acpiPlatform';
import { MemType } from '../firmware/uefi/memoryMap';
import { readGpt } from '../disk/gpt';

export interface UefiBootOptions extends UefiOptions {
  /** The boot disk's bytes. */
  disk: Uint8Array;
  /** Where the machine placed the ACPI RSDP, and the ranges its tables occupy (kept out of the allocator). */
  acpiRsdp?: number;
  reserved?: { base: number; size: number; type: number }[];
  /** Console output; defaults to the machine's first UART. */
  console?: (text: string) => void;
}

const pair = (c: Cpu, slot: number): bigint => (BigInt(c.r[2 * slot + 1] >>> 0) << 32n) | BigInt(c.r[2 * slot] >>> 0);
const setPair = (c: Cpu, slot: number, v: bigint): void => {
  v = BigInt.asUintN(64, v);
  c.r[2 * slot] = Number(v & 0xffffffffn) | 0;
  c.r[2 * slot + 1] = Number(v >> 32n) | 0;
};

/** Sets up the firmware and the boot CPU; the machine then runs as usual. Returns the firmware (for panels and tests). */
export function bootUefi(m: Machine, o: UefiBootOptions): UefiFirmware {
  let current: Cpu = m.cpus[0];
  const ram = m.spec.ram;
  const enc = new TextEncoder();
  const host: FirmwareHost = {
    ramBase: ram.base,
    ramSize: ram.size,
    read: (addr, n) => {
      const off = m.bus.ramOffset(addr);
      if (off >= 0 && m.bus.ramOffset(addr + n - 1) === off + n - 1) return m.mem.u8.slice(off, off + n);
      return Uint8Array.from(m.bus.peekBytes(addr, n).map((b) => b ?? 0));
    },
    write: (addr, bytes) => {
      m.bus.writeRamBytes(addr, bytes);
      // addresses can exceed 2^31: page arithmetic without bitwise operators
      for (let a = addr; a < addr + bytes.length; a = a - (a % 4096) + 4096) {
        const n = Math.min(addr + bytes.length, a - (a % 4096) + 4096) - a;
        for (const c of m.cpus) c.code.noteWrite(a, n);
      }
    },
    x: (n) => pair(current, n),
    setX: (n, v) => setPair(current, n, v),
    sp: () => pair(current, SLOT_SP),
    setSp: (v) => setPair(current, SLOT_SP, v),
    console: o.console ?? ((text) => m.consoleOut(enc.encode(text))),
    readKey: () => m.consoleKey(),
    disk: o.disk,
    acpiRsdp: o.acpiRsdp,
    reserved: o.reserved,
    seconds: () => current.icount / m.spec.cntfrq,
    report: (message) => m.firmwareReport(current, message),
    reset: (kind) => m.firmwarePower(current, kind === 'shutdown' ? 'poweroff' : 'reset'),
  };
  const { fw, boot } = startUefi(host, o);
  m.firmwareTrap = (c, imm) => {
    if (!UefiFirmware.owns(imm)) return false;
    current = c;
    fw.call(imm);
    return true;
  };
  const c = m.cpus[0];
  for (const cpu of m.cpus) cpu.code.clear();
  c.setPc(Number(boot.entry & 0xffffffffn) | 0, Number(boot.entry >> 32n) | 0);
  setPair(c, 0, BigInt(boot.imageHandle));
  setPair(c, 1, BigInt(boot.systemTable));
  setPair(c, 30, boot.lr);
  setPair(c, SLOT_SP, boot.sp);
  return fw;
}

/** Does `bytes` look like a GPT disk image (protective MBR and an 'EFI PART' header at LBA 1)? */
export function isGptDisk(bytes: Uint8Array): boolean {
  return bytes.length >= 1024 && bytes[510] === 0x55 && bytes[511] === 0xaa && new TextDecoder().decode(bytes.subarray(512, 520)) === 'EFI PART';
}

/** Bytes reserved for the ACPI tables, 1 MiB below the top of RAM (the firmware allocates below them). */
const ACPI_AREA = 0x10_0000;

/**
 * Boots a disk image the way a cloud instance does: ACPI tables for this machine placed in RAM (ACPI
 * reclaim memory), then the built-in UEFI firmware with the RSDP in its configuration table. Throws
 * UefiBootError (from startUefi) for a disk without an ESP or boot application.
 */
export function bootDiskUefi(m: Machine, disk: Uint8Array, o: { loadOptions?: string; diskName?: string } = {}): UefiFirmware {
  const gpt = readGpt(disk);
  if (!gpt.layout) throw new Error(`${o.diskName ?? 'disk'}: not a GPT disk: ${gpt.errors.join('; ')}`);
  const platform = acpiPlatformFor(m.spec);
  const base = m.spec.ram.base + m.spec.ram.size - ACPI_AREA;
  const acpi = buildAcpiTables(platform, base);
  if (acpi.image.length > ACPI_AREA) throw new Error(`ACPI tables (${acpi.image.length} bytes) do not fit their ${ACPI_AREA}-byte area`);
  m.bus.writeRamBytes(base, acpi.image);
  // A firmware leaves its console UART running (EDK2 does): 115200 8N1 with FIFOs, transmitter and receiver on.
  const uart = m.spec.devices.find((d) => d.kind === 'pl011');
  const ns = m.spec.devices.find((d) => d.kind === 'ns16550');
  if (ns && ns.kind === 'ns16550') {
    const reg = (i: number, v: number) => m.bus.write(ns.base + (i << ns.regShift), ns.regShift === 2 ? 4 : 1, v);
    reg(3, 0x83); // LCR: DLAB, 8N1
    reg(0, Math.round(ns.clockHz / 16 / 115200)); // DLL
    reg(1, 0); // DLM
    reg(3, 0x03); // LCR: 8N1
    reg(2, 0x07); // FCR: FIFOs on and cleared
    reg(4, 0x03); // MCR: DTR, RTS
  }
  if (uart) {
    m.bus.write(uart.base + 0x24, 4, 13); // UARTIBRD: 24 MHz / (16 x 115200) = 13.02
    m.bus.write(uart.base + 0x28, 4, 1); // UARTFBRD
    m.bus.write(uart.base + 0x2c, 4, 0x70); // UARTLCR_H: WLEN 8 bits, FEN
    m.bus.write(uart.base + 0x30, 4, 0x301); // UARTCR: UARTEN, TXE, RXE
  }
  return bootUefi(m, {
    disk, loadOptions: o.loadOptions, diskName: o.diskName, acpiRsdp: acpi.rsdpAddress,
    reserved: [{ base, size: ACPI_AREA, type: MemType.AcpiReclaim }],
  });
}
