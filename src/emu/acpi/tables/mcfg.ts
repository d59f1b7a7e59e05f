// MCFG (PCI Firmware Specification 3.x, section 4.1.2): 8 reserved bytes, then one 16-byte entry per PCI
// segment: the ECAM base address, the segment group and the bus range it decodes.
import type { FieldDef, TableReader } from '../reader';
import type { AcpiStruct } from '../types';

const ENTRY: readonly FieldDef[] = [
  { name: 'Base Address', kind: 'u64' },
  { name: 'PCI Segment Group Number', kind: 'u16' },
  { name: 'Start Bus Number', kind: 'u8' },
  { name: 'End Bus Number', kind: 'u8' },
  { name: 'Reserved', kind: 'u32', reserved: true },
];

export function decodeMcfg(r: TableReader, root: AcpiStruct, len: number): void {
  root.fields.push(r.field(36, { name: 'Reserved', kind: 'u64', reserved: true }));
  if ((len - 44) % 16 !== 0) r.warnings.push(`${r.where}: ${(len - 44) % 16} stray bytes after the last entry`);
  for (let o = 44, i = 0; o + 16 <= len; o += 16, i++) {
    root.children.push(r.struct(`Configuration Space ${i}`, o, 16, ENTRY));
  }
}
