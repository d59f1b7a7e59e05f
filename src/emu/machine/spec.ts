// The machine spec: one description per machine (memory map, interrupt map, devices, boot conventions) from
// which the machine creates its devices and generates what the guest is told about them (the device tree
// now, the ACPI tables with the server machine). Nothing else hard-codes an address.
import type { CpuModelName } from '../cpu/models';
import type { DiskOption, PcieSpec } from './pcie';

export type MachineName = 'virt';

export interface MachineOptions {
  machine?: MachineName;
  /** Guest RAM in bytes. Default 512 MiB. */
  memory?: number;
  /** Exception level at entry: 1 (default) or 2. */
  el?: 1 | 2;
  /** Kernel command line for /chosen/bootargs. */
  bootargs?: string;
  /** Arm semihosting through HLT #0xF000. Default on. */
  semihosting?: boolean;
  /** CPU model (cpu/models.ts): 'cortex-a57' (default), 'cortex-a72', 'neoverse-n1' or 'max'. */
  cpu?: string;
  /** Seed of the RNDR/RNDRRS generator (FEAT_RNG; the 'max' model). Default: a fixed seed. */
  rngSeed?: number;
  /** Disks on the PCIe host (NVMe or virtio-blk functions, pcie.ts). */
  disks?: readonly DiskOption[];
  /** A virtio-rng-pci device (its bytes come from rngSeed). */
  virtioRng?: boolean;
  /** A virtio-console-pci device (output through MachineEvents.console). */
  virtioConsole?: boolean;
}

export interface UartSpec {
  readonly kind: 'pl011';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** GIC SPI number (interrupt ID - 32). */
  readonly spi: number;
}

export type DeviceSpec = UartSpec;

/** The interrupt controller: a GICv3 with its ITS (devices/gic/). */
export interface GicSpec {
  readonly version: 3;
  readonly distBase: number;
  readonly distSize: number;
  /** Redistributors, 128 KiB per CPU from redistBase. */
  readonly redistBase: number;
  /** Size of the redistributor window the device tree declares (QEMU's virt: room for 123 CPUs). */
  readonly redistRegionSize: number;
  readonly itsBase: number;
  readonly itsSize: number;
}

export interface MachineSpec {
  readonly name: MachineName;
  /** Root `compatible` of the device tree. */
  readonly compatible: readonly string[];
  readonly ram: { readonly base: number; readonly size: number };
  readonly cpus: number;
  readonly cpuModel: CpuModelName;
  readonly cpuCompatible: string;
  readonly entryEl: 1 | 2;
  /** SMCCC conduit for PSCI. */
  readonly psciConduit: 'hvc' | 'smc';
  readonly cntfrq: number;
  readonly devices: readonly DeviceSpec[];
  readonly gic: GicSpec;
  /** The PCIe host bridge and its functions (pcie.ts, pciWiring.ts). */
  readonly pcie?: PcieSpec;
  readonly bootargs?: string;
  readonly semihosting: boolean;
}

export const MiB = 1024 * 1024;

/** Parses '512M', '2G', '65536K' or a byte count. */
export function parseSize(text: string): number {
  const m = /^(\d+)\s*([kKmMgG]?)[iI]?[bB]?$/.exec(text.trim());
  if (!m) throw new Error(`invalid size '${text}' (expected e.g. 512M or 2G)`);
  const mult = { '': 1, k: 1024, m: MiB, g: 1024 * MiB }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}
