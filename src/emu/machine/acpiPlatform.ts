// The ACPI description of a machine, from its spec (DESIGN.md: one spec makes the devices, the device tree
// and the ACPI tables): CPUs by MPIDR, the GICv3 and ITS, the generic timer PPIs, the PSCI conduit, the
// console UART (PL011, or a 16550 with its register spacing, which the SPCR must state exactly), the RTC
// and, once the machine has one, the PCIe host. Tables describe only what exists: no PCIe host, no MCFG.
import type { AcpiPlatform, AcpiUart } from '../firmware/acpi/platform';
import { cpuAffinity, type MachineSpec } from './spec';

export function acpiPlatformFor(spec: MachineSpec): AcpiPlatform {
  const console = spec.devices.find((d) => d.kind === 'pl011' || d.kind === 'ns16550');
  if (!console || (console.kind !== 'pl011' && console.kind !== 'ns16550')) throw new Error(`${spec.name}: no console UART to describe in the SPCR`);
  const uart: AcpiUart = console.kind === 'pl011'
    ? { kind: 'pl011', base: console.base, size: console.size, gsiv: 32 + console.spi, baud: 115200, clockHz: 24_000_000 }
    : {
      kind: '16550', base: console.base, size: console.size, gsiv: 32 + console.spi, baud: 115200,
      regShift: console.regShift, regWidth: console.regShift === 2 ? 32 : 8, clockHz: console.clockHz,
    };
  const rtc = spec.devices.find((d) => d.kind === 'pl031');
  const g = spec.gic;
  return {
    oemId: 'A64STU',
    oemTableId: spec.name === 'graviton' ? 'A64GRAVI' : 'A64VIRT',
    cpus: Array.from({ length: spec.cpus }, (_, i) => ({ mpidr: cpuAffinity(i), pmuGsiv: 23 })),
    gic: {
      version: 3, distBase: g.distBase, redistBase: g.redistBase, redistLength: g.redistRegionSize, redistStride: 0x2_0000,
      itsBase: g.itsBase, maintenanceGsiv: 25,
    },
    // PPIs as INTIDs: secure EL1 29, non-secure EL1 30, virtual 27, EL2 26 (timer.ts raises the same)
    timers: { secureEl1: 29, nonSecureEl1: 30, virtualEl1: 27, el2: 26, alwaysOn: true },
    psci: spec.psciConduit,
    uart,
    rtc: rtc ? { kind: 'pl031', base: rtc.base, size: rtc.size, gsiv: 32 + rtc.spi } : undefined,
  };
}
