// Firmware-side BAR assignment (what UEFI's PCI bus driver or U-Boot does before an OS runs): every memory
// BAR of every function on bus 0 gets a naturally aligned address from the 32-bit window (64-bit BARs too,
// as long as the window has room; then from the 64-bit window), largest first so that alignment wastes
// little, and Memory Space Enable and Bus Master Enable are set. Works on the configuration spaces
// directly (the firmware runs host-side), through the same guest-visible write path.
import { CMD_BUS_MASTER, CMD_MEMORY, PCI_BAR0, PCI_COMMAND } from './config';
import type { PciFunction } from './function';
import type { PciWindow } from './host';

export interface BarAssignment {
  devfn: number;
  bar: number;
  base: number;
  size: number;
}

export function assignBars(fns: ReadonlyMap<number, PciFunction>, mmio32: PciWindow, mmio64?: PciWindow): BarAssignment[] {
  const wanted: { devfn: number; f: PciFunction; index: number; size: number; kind: string }[] = [];
  for (const [devfn, f] of fns) for (const b of f.config.bars) wanted.push({ devfn, f, index: b.index, size: b.size, kind: b.kind });
  wanted.sort((a, b) => b.size - a.size || a.devfn - b.devfn || a.index - b.index);
  let next32 = mmio32.base;
  let next64 = mmio64?.base ?? 0;
  const out: BarAssignment[] = [];
  for (const w of wanted) {
    let base = Math.ceil(next32 / w.size) * w.size;
    if (base + w.size <= mmio32.base + mmio32.size) next32 = base + w.size;
    else if (w.kind === 'mem64' && mmio64) {
      base = Math.ceil(next64 / w.size) * w.size;
      if (base + w.size > mmio64.base + mmio64.size) throw new Error(`pci: no room for BAR${w.index} of ${w.f.name}`);
      next64 = base + w.size;
    } else throw new Error(`pci: no room for BAR${w.index} of ${w.f.name} in the 32-bit window`);
    const off = PCI_BAR0 + 4 * w.index;
    w.f.config.write(off, 4, base % 0x1_0000_0000);
    if (w.kind === 'mem64') w.f.config.write(off + 4, 4, Math.floor(base / 0x1_0000_0000));
    out.push({ devfn: w.devfn, bar: w.index, base, size: w.size });
  }
  for (const f of fns.values()) {
    if (f.config.bars.length) f.config.write(PCI_COMMAND, 2, f.config.command | CMD_MEMORY | CMD_BUS_MASTER);
  }
  return out;
}
