// PPTT (ACPI 6.5 section 5.2.30): the processor topology as a tree of processor hierarchy nodes (type 0,
// with parent references and private resources), cache type structures (type 1) and ID structures (type 2).
import type { FieldDef, TableReader } from '../reader';
import type { AcpiStruct } from '../types';
import { decodeSubtables } from './madt';

const PROCESSOR: readonly FieldDef[] = [
  { name: 'Type', kind: 'u8' },
  { name: 'Length', kind: 'u8' },
  { name: 'Reserved', kind: 'u16', reserved: true },
  { name: 'Flags', kind: 'u32', flags: [{ bit: 0, name: 'Physical package' }, { bit: 1, name: 'ACPI Processor ID valid' }, { bit: 2, name: 'Processor is a thread' }, { bit: 3, name: 'Node is a leaf' }, { bit: 4, name: 'Identical implementation' }] },
  { name: 'Parent', kind: 'u32' },
  { name: 'ACPI Processor ID', kind: 'u32' },
  { name: 'Private Resource Count', kind: 'u32' },
];

const CACHE: readonly FieldDef[] = [
  { name: 'Type', kind: 'u8' },
  { name: 'Length', kind: 'u8' },
  { name: 'Reserved', kind: 'u16', reserved: true },
  { name: 'Flags', kind: 'u32', flags: ['Size valid', 'Number of sets valid', 'Associativity valid', 'Allocation type valid', 'Cache type valid', 'Write policy valid', 'Line size valid', 'Cache ID valid'].map((name, bit) => ({ bit, name })) },
  { name: 'Next Level of Cache', kind: 'u32' },
  { name: 'Size', kind: 'u32' },
  { name: 'Number of Sets', kind: 'u32' },
  { name: 'Associativity', kind: 'u8' },
  { name: 'Attributes', kind: 'u8' },
  { name: 'Line Size', kind: 'u16' },
];

export function decodePptt(r: TableReader, root: AcpiStruct, len: number): void {
  decodeSubtables(r, root, 36, len, 1, (type, o, l) => {
    if (type === 0) {
      const st = r.struct('Processor Hierarchy Node', o, l, PROCESSOR);
      const n = r.u32(o + 16);
      for (let k = 0; k < n; k++) st.fields.push(r.field(o + 20 + 4 * k, { name: `Private Resource ${k}`, kind: 'u32' }));
      return st;
    }
    if (type === 1) {
      const st = r.struct('Cache Type Structure', o, l, CACHE);
      if (l >= 28) st.fields.push(r.field(o + 24, { name: 'Cache ID', kind: 'u32' }));
      return st;
    }
    const st: AcpiStruct = { name: type === 2 ? 'ID Structure' : `PPTT structure type ${type}`, offset: o, length: l, fields: [], children: [] };
    r.fields(o, [{ name: 'Type', kind: 'u8' }, { name: 'Length', kind: 'u8' }], st.fields);
    if (l > 2) st.fields.push(r.field(o + 2, { name: 'Data', kind: { bytes: l - 2 } }));
    return st;
  });
}
