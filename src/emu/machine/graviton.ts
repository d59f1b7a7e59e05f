// The `graviton` machine: an SBSA-style server of our own layout shaped like an AWS Graviton instance, for
// kernels that must boot the way they will in the cloud: through UEFI and ACPI (bootDiskUefi), or with a
// device tree for direct boots. What makes it different from `virt` is what users meet on Graviton:
// - the console is a 16550-compatible UART, not a PL011. Its registers are byte-spaced and accessed 8 bits
//   wide, as the SPCR of a real instance says (interface type 16550, GAS bit width 8, byte access; an iasl
//   dump from an instance is quoted in coreos/fedora-coreos-tracker#920). A driver that assumes 32-bit
//   spacing prints nothing here, as it would there.
// - a PL031 RTC, a GICv3 with an ITS (as virt), PSCI, and no virtio unless asked; the CPU model defaults
//   to neoverse-n1 (Graviton2).
// Addresses (ours; the SBSA fixes none of them): RAM 0x4000_0000, GICD 0x0800_0000, ITS 0x0808_0000, GICR
// 0x080A_0000, 16550 0x0900_0000 (SPI 1), PL031 0x0901_0000 (SPI 2); PCIe arrives with the PCI work.
import { cpuModel } from '../cpu/models';
import { MAX_CPUS, MiB, type MachineOptions, type MachineSpec } from './spec';
import { VIRT } from './virt';

export const GRAVITON = {
  RAM_BASE: 0x4000_0000,
  UART: 0x0900_0000,
  UART_SPI: 1,
  /** 1.8432 MHz: divisor 1 gives 115200 baud. */
  UART_CLOCK: 1_843_200,
  RTC: 0x0901_0000,
  RTC_SPI: 2,
} as const;

export function gravitonSpec(o: MachineOptions): MachineSpec {
  const size = o.memory ?? 2048 * MiB;
  if (size < 16 * MiB || size > VIRT.MAX_RAM || size % (64 * 1024) !== 0) {
    throw new Error(`graviton: memory must be a multiple of 64 KiB between 16M and 3G (got ${size} bytes)`);
  }
  const cpus = o.cpus ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) throw new Error(`graviton: cpus must be 1..${MAX_CPUS} (got ${cpus})`);
  const el = o.el ?? 1;
  const model = cpuModel(o.cpu ?? 'neoverse-n1');
  return {
    name: 'graviton',
    compatible: ['a64studio,graviton'],
    ram: { base: GRAVITON.RAM_BASE, size },
    cpus,
    cpuModel: model.name,
    cpuCompatible: model.dtCompatible,
    entryEl: el,
    psciConduit: el === 2 ? 'smc' : 'hvc',
    cntfrq: 62_500_000,
    devices: [
      { kind: 'ns16550', name: 'serial', base: GRAVITON.UART, size: 0x1000, spi: GRAVITON.UART_SPI, regShift: 0, clockHz: GRAVITON.UART_CLOCK },
      { kind: 'pl031', name: 'rtc', base: GRAVITON.RTC, size: 0x1000, spi: GRAVITON.RTC_SPI },
    ],
    gic: {
      version: 3, distBase: VIRT.GIC_DIST, distSize: 0x10000, redistBase: VIRT.GIC_REDIST,
      redistRegionSize: VIRT.GIC_REDIST_SIZE, itsBase: VIRT.GIC_ITS, itsSize: 0x20000,
    },
    bootargs: o.bootargs,
    semihosting: o.semihosting ?? true,
  };
}
