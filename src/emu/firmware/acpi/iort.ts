// IORT: an ITS group with our one ITS (ID 0, as in the MADT ITS entry) and the PCIe root complex, whose ID
// mapping sends every requester ID (bus/device/function) to the same-numbered ITS DeviceID.
// Choice: table revision 0 (IORT issue D) and root complex node revision 1 (memory address size limit), the
// newest forms acpica 2020 decodes; "Number of IDs" is the count minus one, as the IORT defines it.
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export const IORT_ITS_GROUP_OFFSET = 48;

export function buildIort(p: AcpiPlatform): Uint8Array {
  const e = p.pcie!;
  const w = new TableWriter().header('IORT', 0, p.oemId, p.oemTableId);
  w.u32(2).u32(IORT_ITS_GROUP_OFFSET).u32(0);
  // ITS group node
  w.u8(0).u16(24).u8(0).u32(0).u32(0).u32(0);
  w.u32(1).u32(0); // one ITS, GIC ITS ID 0
  // Root complex node: header 16, memory access properties 8, ATS 4, segment 4, size limit 1 + 3 reserved
  w.u8(2).u16(36 + 20).u8(1).u32(0).u32(1).u32(36);
  w.u32(1).u8(0).u16(0).u8(3); // fully coherent; CPM and DACS set (coherent path, cacheable attributes)
  w.u32(0); // ATS not supported
  w.u32(e.segment);
  w.u8(48).zeros(3); // memory address size limit: 48 bits
  // ID mapping: RIDs 0x0000-0xFFFF -> DeviceIDs 0x0000-0xFFFF through the ITS group
  w.u32(0).u32(0xffff).u32(0).u32(IORT_ITS_GROUP_OFFSET).u32(0);
  return w.finish();
}
