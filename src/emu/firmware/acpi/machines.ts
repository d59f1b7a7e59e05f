// Built-in platform descriptions for `a64 acpi dump --machine virt|graviton`, until the machine spec is
// mapped onto AcpiPlatform (machine/spec.ts is being reworked in parallel; the mapping belongs there).
// virt follows QEMU's hw/arm/virt.c memory map and interrupt map; graviton is an SBSA-style map of our own
// choosing with a 16550 whose 32-bit registers are 4 bytes apart, GICv3 with ITS and a PCIe ECAM host.
import type { AcpiPlatform } from './platform';

const cpus = (n: number) => Array.from({ length: n }, (_, i) => ({ mpidr: i, pmuGsiv: 23 }));

// QEMU virt: GICv3 distributor 0x0800_0000, ITS 0x0808_0000, redistributors 0x080A_0000 (0xF6_0000 bytes),
// PL011 0x0900_0000 SPI 1, PL031 0x0901_0000 SPI 2, PCIe ECAM 0x3F00_0000 (16 buses, the low ECAM),
// MMIO 0x1000_0000-0x3EFE_FFFF, PIO 0x3EFF_0000 (64 KiB), high MMIO 0x80_0000_0000 (512 GiB), INTx SPIs 3-6.
// Timer PPIs 13 (secure), 14 (non-secure), 11 (virtual), 10 (EL2); maintenance PPI 9; PMU PPI 7.
export function virtPlatform(ncpus = 1): AcpiPlatform {
  return {
    oemId: 'A64STU', oemTableId: 'A64VIRT',
    cpus: cpus(ncpus),
    gic: { version: 3, distBase: 0x0800_0000, redistBase: 0x080a_0000, redistLength: 0x00f6_0000, redistStride: 0x2_0000, itsBase: 0x0808_0000, maintenanceGsiv: 25 },
    timers: { secureEl1: 29, nonSecureEl1: 30, virtualEl1: 27, el2: 26, alwaysOn: true },
    psci: 'hvc',
    uart: { kind: 'pl011', base: 0x0900_0000, size: 0x1000, gsiv: 33, baud: 115200, clockHz: 24_000_000 },
    rtc: { kind: 'pl031', base: 0x0901_0000, size: 0x1000, gsiv: 34 },
    pcie: {
      segment: 0, ecamBase: 0x3f00_0000, busStart: 0, busEnd: 15,
      mmio32: { base: 0x1000_0000, size: 0x2eff_0000 },
      mmio64: { base: 0x80_0000_0000, size: 0x80_0000_0000 },
      pio: { base: 0x3eff_0000, size: 0x1_0000 },
      intx: [35, 36, 37, 38], prtSlots: 32,
    },
  };
}

// graviton (ours): GICD 0x0800_0000, ITS 0x0808_0000, GICR 0x080A_0000 as on virt (the SBSA does not fix
// them); the 16550 at 0x0900_0000 with registers 4 bytes apart (32-bit accesses), SPI 1; PL031 RTC at
// 0x0901_0000, SPI 2; PCIe ECAM at 0x3F00_0000 buses 0-15, 32-bit window 0x1000_0000, 64-bit window at
// 0x80_0000_0000, no I/O port window (an SBSA server needs none), INTx SPIs 3-6.
export function gravitonPlatform(ncpus = 2): AcpiPlatform {
  const v = virtPlatform(ncpus);
  return {
    ...v,
    oemId: 'A64STU', oemTableId: 'A64GRAVI',
    // PSCI through HVC, as for a Graviton instance (a VM under Nitro) and as our machines do when the kernel
    // enters at EL1; the machine spec's psciConduit replaces this at the merge (SMC when entering at EL2).
    psci: 'hvc',
    uart: { kind: '16550', base: 0x0900_0000, size: 0x1000, gsiv: 33, baud: 115200, regShift: 2, regWidth: 32, clockHz: 1_843_200 },
    pcie: { ...v.pcie!, pio: undefined },
  };
}

export const BUILTIN_PLATFORMS: Record<string, (ncpus?: number) => AcpiPlatform> = {
  virt: virtPlatform,
  graviton: gravitonPlatform,
};
