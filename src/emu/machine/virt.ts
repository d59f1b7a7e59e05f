// The `virt` machine: QEMU's memory map for `-M virt` (hw/arm/virt.c), so kernels written for QEMU run
// unchanged. This part has RAM at 0x4000_0000, the PL011 at 0x0900_0000 (SPI 1) and PSCI; the GIC, timers,
// RTC, virtio-mmio and PCIe of the same map arrive with the system-model and machine issues.
import { MAX_CPUS, MiB, type MachineOptions, type MachineSpec } from './spec';
import { cpuModel } from '../cpu/models';

export const VIRT = {
  RAM_BASE: 0x4000_0000,
  UART0: 0x0900_0000,
  UART0_SPI: 1,
  /** QEMU's virt limits RAM below the 256 GiB high-memory split; our wasm32 state caps it lower. */
  MAX_RAM: 3 * 1024 * MiB,
} as const;

export function virtSpec(o: MachineOptions): MachineSpec {
  const size = o.memory ?? 512 * MiB;
  if (size < 16 * MiB || size > VIRT.MAX_RAM || size % (64 * 1024) !== 0) {
    throw new Error(`virt: memory must be a multiple of 64 KiB between 16M and 3G (got ${size} bytes)`);
  }
  const el = o.el ?? 1;
  const cpus = o.cpus ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) throw new Error(`virt: cpus must be an integer between 1 and ${MAX_CPUS} (got ${cpus})`);
  const model = cpuModel(o.cpu);
  return {
    name: 'virt',
    compatible: ['linux,dummy-virt'],
    ram: { base: VIRT.RAM_BASE, size },
    cpus,
    cpuModel: model.name,
    cpuCompatible: model.dtCompatible,
    entryEl: el,
    psciConduit: el === 2 ? 'smc' : 'hvc',
    cntfrq: 62_500_000,
    devices: [{ kind: 'pl011', name: 'pl011', base: VIRT.UART0, size: 0x1000, spi: VIRT.UART0_SPI }],
    bootargs: o.bootargs,
    semihosting: o.semihosting ?? true,
  };
}
