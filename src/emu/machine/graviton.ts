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
// 0x080A_0000, 16550 0x0900_0000 (SPI 1), PL031 0x0901_0000 (SPI 2), PCIe ECAM 0x3F00_0000 (pcie.ts).
import { MiB, type MachineOptions, type MachineSpec } from './spec';
import { commonSpec } from './virt';
import { gravitonPcie } from './pcie';

export const GRAVITON = {
  UART: 0x0900_0000,
  UART_SPI: 1,
  /** 1.8432 MHz: divisor 1 gives 115200 baud. */
  UART_CLOCK: 1_843_200,
  RTC: 0x0901_0000,
  RTC_SPI: 2,
} as const;

export function gravitonSpec(o: MachineOptions): MachineSpec {
  return {
    ...commonSpec('graviton', o, { memory: 2048 * MiB, cpu: 'neoverse-n1' }),
    name: 'graviton',
    compatible: ['a64studio,graviton'],
    devices: [
      { kind: 'ns16550', name: 'serial', base: GRAVITON.UART, size: 0x1000, spi: GRAVITON.UART_SPI, regShift: 0, clockHz: GRAVITON.UART_CLOCK },
      { kind: 'pl031', name: 'rtc', base: GRAVITON.RTC, size: 0x1000, spi: GRAVITON.RTC_SPI },
    ],
    // PCIe host with the disks as NVMe functions (as on an instance); virtio only when asked for
    pcie: gravitonPcie((o.disks ?? []).map((d) => ({ ...d, interface: d.interface ?? 'nvme' }))),
  };
}
