// XSDT (ACPI 6.5 section 5.2.8) and RSDT: the header followed by 64-bit (XSDT) or 32-bit (RSDT)
// physical addresses of the other tables.
import type { TableReader } from '../reader';
import type { AcpiStruct } from '../types';

export function decodeXsdt(r: TableReader, root: AcpiStruct, len: number, wide: boolean): void {
  const size = wide ? 8 : 4;
  if ((len - 36) % size !== 0) r.warnings.push(`${r.where}: table body (${len - 36} bytes) is not a whole number of ${size}-byte entries`);
  const n = Math.floor((len - 36) / size);
  for (let i = 0; i < n; i++) root.fields.push(r.field(36 + i * size, { name: `Entry ${i}`, kind: wide ? 'u64' : 'u32' }));
}
