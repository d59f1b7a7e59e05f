// MADT (signature APIC), revision 5: a GICC per CPU (its MPIDR, and its redistributor frame base; the GICR
// range entry is given as well), the GICD with the GIC version, and the ITS.
// The GICC is 80 bytes, the ACPI 6.0-6.4 layout. Linux 4.x accepts a GICC only if its length is exactly
// 76 (FADT revision < 6) or 80 (revision >= 6); later kernels accept any length from 76 up. With the FADT
// at revision 6 (fadt.ts) both accept ours — change the two together.
// Choice: GICC entries carry the per-CPU GICR base *and* a GICR range structure is present; Linux uses the
// GICR range when there is one and the GICC bases otherwise, so both paths see the same frames.
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export function buildMadt(p: AcpiPlatform): Uint8Array {
  const w = new TableWriter().header('APIC', 5, p.oemId, p.oemTableId);
  w.u32(0); // Local Interrupt Controller Address: none on Arm
  w.u32(0); // Flags: no PC-AT 8259s
  p.cpus.forEach((c, i) => {
    w.u8(0x0b).u8(80).u16(0);
    w.u32(0); // CPU Interface Number: unused with GICv3 system registers
    w.u32(i); // ACPI Processor UID, matching the DSDT processor device's _UID and PPTT
    w.u32(1); // Flags: Enabled; performance and maintenance interrupts level-triggered
    w.u32(0); // Parking Protocol Version: PSCI is used instead
    w.u32(c.pmuGsiv ?? 0);
    w.u64(0); // Parked Address
    w.u64(0); // Physical Base Address (GICC memory-mapped interface): not used with GICv3
    w.u64(0).u64(0); // GICV, GICH
    w.u32(p.gic.maintenanceGsiv ?? 0);
    w.u64(p.gic.redistBase + i * p.gic.redistStride);
    w.u64(c.mpidr);
    w.u8(0).u8(0).u16(0); // power efficiency class, reserved, SPE overflow interrupt
  });
  w.u8(0x0c).u8(24).u16(0).u32(0).u64(p.gic.distBase).u32(0).u8(p.gic.version).zeros(3);
  w.u8(0x0e).u8(16).u16(0).u64(p.gic.redistBase).u32(p.gic.redistLength);
  if (p.gic.itsBase !== undefined) w.u8(0x0f).u8(20).u16(0).u32(0).u64(p.gic.itsBase).u32(0);
  return w.finish();
}
