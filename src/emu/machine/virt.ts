// The `virt` machine: QEMU's memory map for `-M virt` (hw/arm/virt.c), so kernels written for QEMU run
// unchanged. This part has RAM at 0x4000_0000, the PL011 at 0x0900_0000 (SPI 1), the PL031 RTC at
// 0x0901_0000 (SPI 2), PSCI, the generic timers, and the GICv3 of
// `-M virt,gic-version=3,its=on`: distributor at 0x0800_0000, ITS at 0x0808_0000, redistributors from
// 0x080A_0000; virtio-mmio and PCIe of the same map arrive with the system-model and machine
// issues.
import { MAX_CPUS, MiB, type MachineOptions, type MachineSpec } from './spec';
import { cpuModel } from '../cpu/models';
import { virtPcie } from './pcie';

export const VIRT = {
  RAM_BASE: 0x4000_0000,
  UART0: 0x0900_0000,
  UART0_SPI: 1,
  RTC: 0x0901_0000,
  RTC_SPI: 2,
  GIC_DIST: 0x0800_0000,
  GIC_ITS: 0x0808_0000,
  GIC_REDIST: 0x080a_0000,
  /** QEMU's VIRT_GIC_REDIST window: 0x00F6_0000 bytes (123 redistributors of 128 KiB). */
  GIC_REDIST_SIZE: 0x00f6_0000,
  /** QEMU's virt limits RAM below the 256 GiB high-memory split; our wasm32 state caps it lower. */
  MAX_RAM: 3 * 1024 * MiB,
} as const;

/**
 * What every machine of ours shares, checked: RAM at 0x4000_0000 of the requested size, the CPUs and their
 * model, the entry EL with its PSCI conduit (HVC at EL1, SMC at EL2, as QEMU's virt), the 62.5 MHz counter
 * and the GICv3 + ITS at virt's addresses.
 */
export function commonSpec(name: string, o: MachineOptions, defaults: { memory: number; cpu?: string }) {
  const size = o.memory ?? defaults.memory;
  if (size < 16 * MiB || size > VIRT.MAX_RAM || size % (64 * 1024) !== 0) {
    throw new Error(`${name}: memory must be a multiple of 64 KiB between 16M and 3G (got ${size} bytes)`);
  }
  const el = o.el ?? 1;
  const cpus = o.cpus ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) throw new Error(`${name}: cpus must be an integer between 1 and ${MAX_CPUS} (got ${cpus})`);
  const model = cpuModel(o.cpu ?? defaults.cpu);
  return {
    ram: { base: VIRT.RAM_BASE, size },
    cpus,
    cpuModel: model.name,
    cpuCompatible: model.dtCompatible,
    entryEl: el,
    psciConduit: el === 2 ? 'smc' as const : 'hvc' as const,
    cntfrq: 62_500_000,
    gic: {
      version: 3 as const, distBase: VIRT.GIC_DIST, distSize: 0x10000, redistBase: VIRT.GIC_REDIST,
      redistRegionSize: VIRT.GIC_REDIST_SIZE, itsBase: VIRT.GIC_ITS, itsSize: 0x20000,
    },
    bootargs: o.bootargs,
    semihosting: o.semihosting ?? true,
  };
}

export function virtSpec(o: MachineOptions): MachineSpec {
  return {
    ...commonSpec('virt', o, { memory: 512 * MiB }),
    name: 'virt',
    compatible: ['linux,dummy-virt'],
    devices: [
      { kind: 'pl011', name: 'pl011', base: VIRT.UART0, size: 0x1000, spi: VIRT.UART0_SPI },
      { kind: 'pl031', name: 'pl031', base: VIRT.RTC, size: 0x1000, spi: VIRT.RTC_SPI },
    ],
    pcie: virtPcie(o.disks, o.virtioRng ? { seed: o.rngSeed ?? 0x5eed } : undefined, o.virtioConsole),
  };
}
