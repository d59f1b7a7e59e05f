// Starting the built-in UEFI firmware: builds the System Table, Boot and Runtime Services, the console and
// the boot volume (the ESP of the boot disk), installs the ACPI 2.0 configuration table, loads the boot
// application (EFI/BOOT/BOOTAA64.EFI, the removable-media default path for AArch64) and says how to enter
// it. The machine then sets the CPU's registers and runs; services arrive through UefiFirmware.call.
import { openEsp } from '../../disk/diskImage';
import { readGpt } from '../../disk/gpt';
import { ESP_TYPE } from '../../disk/guid';
import { Fat32Error } from '../../disk/fat32Reader';
import { PeError } from '../../loader/pe';
import { BootServices, makeLoadedImage } from './bootServices';
import { buildConsole } from './console';
import { concatPath, filePathNode } from './devicePath';
import { buildBootVolume } from './fileSystem';
import { UefiFirmware, type BootResult } from './firmware';
import { GUID } from './guids';
import type { FirmwareHost } from './host';
import { MemType } from './memoryMap';
import { RuntimeServices } from './runtimeServices';

export { UefiFirmware, UEFI_HLT_BASE } from './firmware';
export type { FirmwareHost } from './host';

export const DEFAULT_BOOT_PATH = '\\EFI\\BOOT\\BOOTAA64.EFI';

export interface UefiOptions {
  /** The boot application's load options (its command line). */
  loadOptions?: string;
  /** Path of the boot application on the ESP. */
  bootPath?: string;
  /** Seconds since 1970 at power on, for GetTime (default 2026-01-01T00:00:00Z: deterministic). */
  epoch?: number;
  /** Name of the disk image in messages. */
  diskName?: string;
}

export class UefiBootError extends Error {}

/** Builds the firmware in guest memory and loads the boot application; throws UefiBootError for a bad disk or image. */
export function startUefi(host: FirmwareHost, o: UefiOptions = {}): { fw: UefiFirmware; boot: BootResult } {
  const diskName = o.diskName ?? 'boot disk';
  if (!host.disk) throw new UefiBootError('UEFI: no boot disk: give a disk image with an EFI System Partition');
  const esp = openEsp(host.disk, diskName);
  if (typeof esp === 'string') throw new UefiBootError(esp);
  const gpt = readGpt(host.disk);
  const espIndex = gpt.layout!.partitions.findIndex((p) => p.type === ESP_TYPE);
  const fw = new UefiFirmware(host);
  const bs = new BootServices(fw);
  const rt = new RuntimeServices(fw, o.epoch ?? Date.UTC(2026, 0, 1) / 1000);

  const st = fw.alloc(120, MemType.RuntimeServicesData);
  fw.systemTable = st;
  const vendor = fw.alloc(64, MemType.RuntimeServicesData);
  fw.mem.wstr16(vendor, fw.vendor);
  fw.bootServices = bs.build();
  fw.runtimeServices = rt.build();
  const con = buildConsole(fw, bs);
  const vol = buildBootVolume(fw, host.disk, gpt.layout!.partitions[espIndex], espIndex + 1, esp);
  bs.loadFile = (path) => {
    try {
      return esp.readFile(path.replace(/\\/g, '/'));
    } catch {
      return undefined;
    }
  };
  fw.mem.w64(st + 24, vendor);
  fw.mem.w32(st + 32, 0x00010000);
  fw.mem.w64(st + 40, con.handle);
  fw.mem.w64(st + 48, con.conIn);
  fw.mem.w64(st + 56, con.handle);
  fw.mem.w64(st + 64, con.conOut);
  fw.mem.w64(st + 72, con.handle);
  fw.mem.w64(st + 80, con.conOut);
  fw.mem.w64(st + 88, fw.runtimeServices);
  fw.mem.w64(st + 96, fw.bootServices);
  fw.setConfigTable(GUID.ACPI_20_TABLE, 0); // allocates the (empty) array and seals the table
  if (host.acpiRsdp !== undefined) fw.setConfigTable(GUID.ACPI_20_TABLE, host.acpiRsdp);
  fw.sealTable(st, 0x5453595320494249n, 120);

  // the boot application
  const bootPath = o.bootPath ?? DEFAULT_BOOT_PATH;
  let bytes: Uint8Array;
  try {
    bytes = esp.readFile(bootPath.replace(/\\/g, '/'));
  } catch (e) {
    if (e instanceof Fat32Error) throw new UefiBootError(`${diskName}: no boot application ${bootPath} on the EFI System Partition (${e.message})`);
    throw e;
  }
  let img: { base: number; size: number; entry: bigint };
  try {
    img = fw.loadPe(bytes, `${diskName}:${bootPath}`);
  } catch (e) {
    if (e instanceof PeError) throw new UefiBootError(e.message);
    throw e;
  }
  const handle = fw.newHandle();
  fw.images.set(handle, { handle, base: img.base, size: img.size, name: bootPath });
  const li = makeLoadedImage(fw, handle, 0, vol.espHandle, concatPath(filePathNode(bootPath)), o.loadOptions ?? '', img.base, img.size);
  fw.install(handle, GUID.LOADED_IMAGE, li);
  const fullPath = fw.alloc(vol.espDevicePath.length + 64 + 2 * bootPath.length);
  const devPart = vol.espDevicePath.subarray(0, vol.espDevicePath.length - 4);
  fw.mem.put(fullPath, concatPath(devPart, filePathNode(bootPath)));
  fw.install(handle, GUID.LOADED_IMAGE_DEVICE_PATH, fullPath);

  const stackPages = 256; // 1 MiB
  const stack = fw.allocPages(stackPages, MemType.BootServicesData);
  const returned = fw.stub('ImageReturned', (f) => {
    const status = f.host.x(0);
    f.host.report(`UEFI: ${bootPath} returned from its entry point with status 0x${status.toString(16)}; there is no boot manager to return to`);
    f.host.reset('shutdown', status);
    return status;
  });
  return {
    fw,
    boot: { entry: img.entry, imageHandle: handle, systemTable: st, sp: BigInt(stack + stackPages * 4096), lr: BigInt(returned) },
  };
}
