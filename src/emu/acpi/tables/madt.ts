// MADT, signature APIC (ACPI 6.5 section 5.2.12): the GIC interrupt-controller structures Arm uses — GICC
// (one per CPU, with its MPIDR and GICR base), GICD, GIC MSI frame, GICR range and GIC ITS. Other
// structure types decode as type, length and hex.
import { fieldsLength, type FieldDef, type TableReader } from '../reader';
import { AcpiDecodeError } from '../types';
import type { AcpiStruct } from '../types';

const HEAD: readonly FieldDef[] = [{ name: 'Type', kind: 'u8' }, { name: 'Length', kind: 'u8' }];

const GICC: readonly FieldDef[] = [
  { name: 'Reserved', kind: 'u16', reserved: true },
  { name: 'CPU Interface Number', kind: 'u32' },
  { name: 'ACPI Processor UID', kind: 'u32' },
  { name: 'Flags', kind: 'u32', flags: [{ bit: 0, name: 'Enabled' }, { bit: 1, name: 'Performance Interrupt Mode' }, { bit: 2, name: 'VGIC Maintenance Interrupt Mode' }, { bit: 3, name: 'Online Capable' }] },
  { name: 'Parking Protocol Version', kind: 'u32' },
  { name: 'Performance Interrupt GSIV', kind: 'u32' },
  { name: 'Parked Address', kind: 'u64' },
  { name: 'Physical Base Address', kind: 'u64' },
  { name: 'GICV', kind: 'u64' },
  { name: 'GICH', kind: 'u64' },
  { name: 'VGIC Maintenance Interrupt', kind: 'u32' },
  { name: 'GICR Base Address', kind: 'u64' },
  { name: 'MPIDR', kind: 'u64' },
  { name: 'Processor Power Efficiency Class', kind: 'u8' },
  { name: 'Reserved', kind: 'u8', reserved: true },
  { name: 'SPE Overflow Interrupt', kind: 'u16' },
  { name: 'TRBE Interrupt', kind: 'u16' },
];

const SUBTABLES: Record<number, { name: string; defs: readonly FieldDef[] }> = {
  0x0b: { name: 'GIC CPU Interface (GICC)', defs: GICC },
  0x0c: {
    name: 'GIC Distributor (GICD)', defs: [
      { name: 'Reserved', kind: 'u16', reserved: true }, { name: 'GIC ID', kind: 'u32' },
      { name: 'Physical Base Address', kind: 'u64' }, { name: 'System Vector Base', kind: 'u32', reserved: true },
      { name: 'GIC Version', kind: 'u8', names: { 0: 'from hardware', 1: 'GICv1', 2: 'GICv2', 3: 'GICv3', 4: 'GICv4' } },
      { name: 'Reserved', kind: { bytes: 3 } },
    ],
  },
  0x0d: {
    name: 'GIC MSI Frame', defs: [
      { name: 'Reserved', kind: 'u16', reserved: true }, { name: 'GIC MSI Frame ID', kind: 'u32' },
      { name: 'Physical Base Address', kind: 'u64' },
      { name: 'Flags', kind: 'u32', flags: [{ bit: 0, name: 'SPI Count/Base Select' }] },
      { name: 'SPI Count', kind: 'u16' }, { name: 'SPI Base', kind: 'u16' },
    ],
  },
  0x0e: {
    name: 'GIC Redistributor (GICR)', defs: [
      { name: 'Reserved', kind: 'u16', reserved: true }, { name: 'Discovery Range Base Address', kind: 'u64' },
      { name: 'Discovery Range Length', kind: 'u32' },
    ],
  },
  0x0f: {
    name: 'GIC Interrupt Translation Service (ITS)', defs: [
      { name: 'Reserved', kind: 'u16', reserved: true }, { name: 'GIC ITS ID', kind: 'u32' },
      { name: 'Physical Base Address', kind: 'u64' }, { name: 'Reserved', kind: 'u32', reserved: true },
    ],
  },
};

export function decodeMadt(r: TableReader, root: AcpiStruct, len: number): void {
  r.fields(36, [
    { name: 'Local Interrupt Controller Address', kind: 'u32' },
    { name: 'Flags', kind: 'u32', flags: [{ bit: 0, name: 'PCAT_COMPAT' }] },
  ], root.fields);
  decodeSubtables(r, root, 44, len, 1, (type, o, l) => {
    const known = SUBTABLES[type];
    const st: AcpiStruct = { name: known?.name ?? `Interrupt Controller Structure type ${type}`, offset: o, length: l, fields: [], children: [] };
    r.fields(o, HEAD, st.fields);
    if (!known) {
      if (l > 2) st.fields.push(r.field(o + 2, { name: 'Data', kind: { bytes: l - 2 } }));
      return st;
    }
    let p = o + 2;
    for (const d of known.defs) {
      const n = fieldsLength([d]);
      if (p + n > o + l) break; // older, shorter revisions of the structure (GICC of ACPI 5.x/6.0-6.4)
      st.fields.push(r.field(p, d));
      p += n;
    }
    return st;
  });
}

/** Walks type/length subtables from `start` to `end`; `lenSize` is 1 (MADT/PPTT-style u8) or 2. */
export function decodeSubtables(
  r: TableReader, root: AcpiStruct, start: number, end: number, lenSize: 1 | 2,
  decodeOne: (type: number, offset: number, length: number) => AcpiStruct,
): void {
  let o = start;
  while (o < end) {
    if (o + 1 + lenSize > end) {
      r.warnings.push(`${r.where}: ${end - o} stray bytes at offset ${o} after the last subtable`);
      break;
    }
    const type = r.u8(o);
    const l = lenSize === 1 ? r.u8(o + 1) : r.u16(o + 1);
    if (l < 1 + lenSize) {
      r.warnings.push(`${r.where}: subtable at offset ${o} has length ${l}: stopping`);
      break;
    }
    if (o + l > end) {
      throw new AcpiDecodeError(`${r.where}: subtable type ${type} at offset ${o} has length ${l}, past the end of the table (${end})`);
    }
    root.children.push(decodeOne(type, o, l));
    o += l;
  }
}
