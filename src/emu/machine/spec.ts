// The machine spec: one description per machine (memory map, interrupt map, devices, boot conventions) from
// which the machine creates its devices and generates what the guest is told about them (the device tree
// now, the ACPI tables with the server machine). Nothing else hard-codes an address.
import type { CpuModelName } from '../cpu/models';

export type MachineName = 'virt' | 'graviton';

export const MACHINE_NAMES: readonly MachineName[] = ['virt', 'graviton'];

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
  /** Number of CPUs (1..MAX_CPUS); CPU 0 boots, the others wait for PSCI CPU_ON. Default 1. */
  cpus?: number;
}

/** Most CPUs a machine has (Aff0 0..15 in one cluster, as QEMU's virt with a GICv3 numbers them). */
export const MAX_CPUS = 16;

/** MPIDR_EL1 affinity fields (Aff1.Aff0) of CPU `index`: 16 CPUs per cluster, as QEMU's virt does with a GICv3. */
export function cpuAffinity(index: number): number {
  return ((index >> 4) << 8) | (index & 15);
}

export interface UartSpec {
  readonly kind: 'pl011';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** GIC SPI number (interrupt ID - 32). */
  readonly spi: number;
}

/** A 16550-compatible UART: registers (1 << regShift) bytes apart, accessed 8 (shift 0) or 32 bits wide. */
export interface Ns16550Spec {
  readonly kind: 'ns16550';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly spi: number;
  readonly regShift: 0 | 2;
  /** Input clock (divisor base x 16), for the device tree's clock-frequency. */
  readonly clockHz: number;
}

/** The PL031 real-time clock. */
export interface Pl031Spec {
  readonly kind: 'pl031';
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly spi: number;
}

export type DeviceSpec = UartSpec | Ns16550Spec | Pl031Spec;

/** Seconds since 1970 the RTC holds at power on: fixed, so runs are deterministic (2026-01-01T00:00:00Z). */
export const RTC_EPOCH = 1_767_225_600;

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
