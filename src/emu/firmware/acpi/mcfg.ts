// MCFG: the PCIe host's ECAM window for its segment and bus range.
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export function buildMcfg(p: AcpiPlatform): Uint8Array {
  const e = p.pcie!;
  const w = new TableWriter().header('MCFG', 1, p.oemId, p.oemTableId);
  w.u64(0);
  w.u64(e.ecamBase).u16(e.segment).u8(e.busStart).u8(e.busEnd).u32(0);
  return w.finish();
}
