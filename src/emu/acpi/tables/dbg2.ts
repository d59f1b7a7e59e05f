// DBG2 (Microsoft's Debug Port Table 2): an array of debug device information structures, each with
// port type/subtype, one or more Generic Address Structures with their sizes, and an ACPI namespace path.
import { fieldsLength, type FieldDef, type TableReader } from '../reader';
import type { AcpiStruct } from '../types';
import { DBG2_PORT_TYPES, SERIAL_SUBTYPES } from './serialTypes';

const DEVICE: readonly FieldDef[] = [
  { name: 'Revision', kind: 'u8' },
  { name: 'Length', kind: 'u16' },
  { name: 'Register Count', kind: 'u8' },
  { name: 'Namepath Length', kind: 'u16' },
  { name: 'Namepath Offset', kind: 'u16' },
  { name: 'OEM Data Length', kind: 'u16' },
  { name: 'OEM Data Offset', kind: 'u16' },
  { name: 'Port Type', kind: 'u16', names: DBG2_PORT_TYPES },
  { name: 'Port Subtype', kind: 'u16' },
  { name: 'Reserved', kind: 'u16', reserved: true },
  { name: 'Base Address Offset', kind: 'u16' },
  { name: 'Address Size Offset', kind: 'u16' },
];

export function decodeDbg2(r: TableReader, root: AcpiStruct, len: number): void {
  r.fields(36, [{ name: 'Info Offset', kind: 'u32' }, { name: 'Info Count', kind: 'u32' }], root.fields);
  let o = r.u32(36);
  const count = r.u32(40);
  for (let i = 0; i < count; i++) {
    r.check(o, fieldsLength(DEVICE), `debug device ${i}`);
    const l = r.u16(o + 1);
    if (o + l > len) r.check(o, l, `debug device ${i} (length ${l})`);
    const st: AcpiStruct = { name: `Debug Device Information ${i}`, offset: o, length: l, fields: [], children: [] };
    r.fields(o, DEVICE, st.fields);
    if (r.u16(o + 12) === 0x8000) {
      const sub = r.u16(o + 14);
      const f = st.fields[8];
      st.fields[8] = { ...f, text: `${f.text} (${SERIAL_SUBTYPES[sub] ?? 'unknown'})` };
    }
    const regs = r.u8(o + 3);
    const base = r.u16(o + 18);
    const sizes = r.u16(o + 20);
    for (let k = 0; k < regs; k++) st.fields.push(r.gas(o + base + 12 * k, `Base Address Register ${k}`));
    for (let k = 0; k < regs; k++) st.fields.push(r.field(o + sizes + 4 * k, { name: `Address Size ${k}`, kind: 'u32' }));
    const nl = r.u16(o + 4);
    if (nl > 0) st.fields.push(r.field(o + r.u16(o + 6), { name: 'Namepath', kind: { ascii: nl } }));
    const dl = r.u16(o + 8);
    if (dl > 0) st.fields.push(r.field(o + r.u16(o + 10), { name: 'OEM Data', kind: { bytes: dl } }));
    root.children.push(st);
    o += l;
  }
}
