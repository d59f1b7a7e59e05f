// RSDP (ACPI 6.5 section 5.2.5.3): "RSD PTR ", the ACPI 1.0 checksum over the first 20 bytes, and for
// revision 2 the 36-byte form with the XSDT address and the extended checksum over all of it.
import { byteSum, hex, type FieldDef, type TableReader } from '../reader';
import type { AcpiStruct } from '../types';

const V1: readonly FieldDef[] = [
  { name: 'Signature', kind: { ascii: 8 } },
  { name: 'Checksum', kind: 'u8' },
  { name: 'OEM ID', kind: { ascii: 6 } },
  { name: 'Revision', kind: 'u8', names: { 0: 'ACPI 1.0', 2: 'ACPI 2.0+' } },
  { name: 'RSDT Address', kind: 'u32' },
];
const V2: readonly FieldDef[] = [
  { name: 'Length', kind: 'u32' },
  { name: 'XSDT Address', kind: 'u64' },
  { name: 'Extended Checksum', kind: 'u8' },
  { name: 'Reserved', kind: { bytes: 3 } },
];

export function decodeRsdp(r: TableReader, root: AcpiStruct): void {
  r.fields(0, V1, root.fields);
  if (byteSum(r.bytes, 0, 20) !== 0) r.warnings.push(`${r.where}: bad RSDP checksum ${hex(r.u8(8), 2)} (first 20 bytes do not sum to zero)`);
  const rev = r.u8(15);
  if (rev === 0) return;
  if (rev !== 2) r.warnings.push(`${r.where}: unknown RSDP revision ${rev} (decoded as 2)`);
  r.fields(20, V2, root.fields);
  const len = r.u32(20);
  if (len !== 36) r.warnings.push(`${r.where}: RSDP Length is ${len} (expected 36)`);
  if (len <= r.bytes.length && byteSum(r.bytes, 0, len) !== 0) {
    r.warnings.push(`${r.where}: bad RSDP extended checksum ${hex(r.u8(32), 2)}`);
  }
  if (r.bytes[33] | r.bytes[34] | r.bytes[35]) r.warnings.push(`${r.where}: reserved RSDP bytes are not zero`);
}
