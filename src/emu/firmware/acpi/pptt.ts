// PPTT revision 2: one physical package node and a leaf processor node per CPU whose ACPI Processor ID
// matches the MADT GICC's UID. Caches are not described (the CPU's CLIDR/CCSIDR registers are the source).
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export function buildPptt(p: AcpiPlatform): Uint8Array {
  const w = new TableWriter().header('PPTT', 2, p.oemId, p.oemTableId);
  const pkg = w.pos;
  w.u8(0).u8(20).u16(0).u32(1 /* physical package */).u32(0).u32(0).u32(0);
  p.cpus.forEach((_, i) => {
    w.u8(0).u8(20).u16(0).u32(2 | 8 /* ACPI Processor ID valid, leaf */).u32(pkg).u32(i).u32(0);
  });
  return w.finish();
}
