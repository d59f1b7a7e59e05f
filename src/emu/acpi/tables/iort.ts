// IORT (Arm's IO Remapping Table, DEN0049): nodes describing how a device's requester ID becomes an ITS
// DeviceID (or an SMMU stream ID). Decoded: ITS group nodes, root complex nodes with their memory access
// properties, named component nodes, and every node's ID mappings (input range -> output base, output
// reference to the target node). Other node types decode as header, mappings and hex.
import { fieldsLength, type FieldDef, type TableReader } from '../reader';
import { AcpiDecodeError, type AcpiStruct } from '../types';

export const IORT_NODE_TYPES: Record<number, string> = {
  0: 'ITS Group', 1: 'Named Component', 2: 'Root Complex', 3: 'SMMUv1/v2', 4: 'SMMUv3', 5: 'PMCG', 6: 'Memory Range',
};

const NODE_HEAD: readonly FieldDef[] = [
  { name: 'Type', kind: 'u8', names: IORT_NODE_TYPES },
  { name: 'Length', kind: 'u16' },
  { name: 'Revision', kind: 'u8' },
  { name: 'Identifier', kind: 'u32' },
  { name: 'Mapping Count', kind: 'u32' },
  { name: 'Mapping Offset', kind: 'u32' },
];

const MEMORY_PROPS: readonly FieldDef[] = [
  { name: 'Cache Coherency', kind: 'u32', names: { 0: 'not coherent', 1: 'fully coherent' } },
  { name: 'Allocation Hints', kind: 'u8' },
  { name: 'Reserved', kind: 'u16', reserved: true },
  { name: 'Memory Access Flags', kind: 'u8', flags: [{ bit: 0, name: 'Coherent path to memory' }, { bit: 1, name: 'Device attributes are cacheable and inner shareable' }] },
];

const ROOT_COMPLEX: readonly FieldDef[] = [
  ...MEMORY_PROPS,
  { name: 'ATS Attribute', kind: 'u32', flags: [{ bit: 0, name: 'ATS supported' }, { bit: 1, name: 'PRI supported' }, { bit: 2, name: 'PASID forwarding supported' }] },
  { name: 'PCI Segment Number', kind: 'u32' },
  { name: 'Memory Address Size Limit', kind: 'u8', decimal: true },
];

const MAPPING: readonly FieldDef[] = [
  { name: 'Input Base', kind: 'u32' },
  { name: 'ID Count', kind: 'u32' },
  { name: 'Output Base', kind: 'u32' },
  { name: 'Output Reference', kind: 'u32' },
  { name: 'Flags', kind: 'u32', flags: [{ bit: 0, name: 'Single Mapping' }] },
];

export function decodeIort(r: TableReader, root: AcpiStruct, len: number): void {
  r.fields(36, [
    { name: 'Node Count', kind: 'u32' },
    { name: 'Node Offset', kind: 'u32' },
    { name: 'Reserved', kind: 'u32', reserved: true },
  ], root.fields);
  const count = r.u32(36);
  let o = r.u32(40);
  for (let i = 0; i < count; i++) {
    r.check(o, 16, `IORT node ${i}`);
    const type = r.u8(o);
    const l = r.u16(o + 1);
    if (l < 16) throw new AcpiDecodeError(`${r.where}: IORT node ${i} at offset ${o} has length ${l} (< 16)`);
    if (o + l > len) throw new AcpiDecodeError(`${r.where}: IORT node ${i} at offset ${o} has length ${l}, past the end of the table (${len})`);
    const st: AcpiStruct = { name: IORT_NODE_TYPES[type] ?? `Node type ${type}`, offset: o, length: l, fields: [], children: [] };
    r.fields(o, NODE_HEAD, st.fields);
    const nmap = r.u32(o + 8);
    const mapAt = r.u32(o + 12);
    const bodyEnd = nmap > 0 ? Math.min(mapAt, l) : l;
    if (type === 0) {
      const n = r.u32(o + 16);
      st.fields.push(r.field(o + 16, { name: 'ITS Count', kind: 'u32' }));
      for (let k = 0; k < n; k++) st.fields.push(r.field(o + 20 + 4 * k, { name: `ITS ID ${k}`, kind: 'u32' }));
    } else if (type === 2 || type === 1) {
      const defs = type === 2 ? ROOT_COMPLEX : [{ name: 'Node Flags', kind: 'u32' } as FieldDef, ...MEMORY_PROPS, { name: 'Memory Address Size Limit', kind: 'u8', decimal: true } as FieldDef];
      let p = o + 16;
      for (const d of defs) {
        const n = fieldsLength([d]);
        if (p + n > o + bodyEnd) break;
        st.fields.push(r.field(p, d));
        p += n;
      }
      if (type === 1) {
        let end = p;
        while (end < o + bodyEnd && r.u8(end) !== 0) end++;
        st.fields.push(r.field(p, { name: 'Device Object Name', kind: { ascii: end - p } }));
      } else if (p < o + bodyEnd) {
        st.fields.push(r.field(p, { name: 'Remaining Fields', kind: { bytes: o + bodyEnd - p } }));
      }
    } else if (bodyEnd > 16) {
      st.fields.push(r.field(o + 16, { name: 'Data', kind: { bytes: bodyEnd - 16 } }));
    }
    for (let k = 0; k < nmap; k++) {
      const m = r.struct(`ID Mapping ${k}`, o + mapAt + 20 * k, 20, MAPPING);
      if (o + mapAt + 20 * (k + 1) > o + l) throw new AcpiDecodeError(`${r.where}: ID mapping ${k} of IORT node ${i} runs past the node`);
      st.children.push(m);
    }
    root.children.push(st);
    o += l;
  }
}
