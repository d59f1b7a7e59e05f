// GTDT revision 2: the generic timer PPIs, level-triggered and active-high, no memory-mapped counter or
// platform timers (CntControlBase/CntReadBase all-ones = not provided).
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export function buildGtdt(p: AcpiPlatform): Uint8Array {
  const t = p.timers;
  const flags = t.alwaysOn ? 1 << 2 : 0; // level (bit 0 clear), active high (bit 1 clear)
  const w = new TableWriter().header('GTDT', 2, p.oemId, p.oemTableId);
  w.u64(0xffff_ffff_ffff_ffffn).u32(0);
  w.u32(t.secureEl1).u32(flags);
  w.u32(t.nonSecureEl1).u32(flags);
  w.u32(t.virtualEl1).u32(flags);
  w.u32(t.el2).u32(flags);
  w.u64(0xffff_ffff_ffff_ffffn);
  w.u32(0).u32(0); // no platform timers
  return w.finish();
}
