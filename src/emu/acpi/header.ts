// The 36-byte System Description Table header every ACPI table but the RSDP starts with (ACPI 6.5
// section 5.2.6), its checksum rule (all bytes of the table sum to zero modulo 256) and the table names.
import { byteSum, hex, type FieldDef, type TableReader } from './reader';
import { AcpiDecodeError, type AcpiField } from './types';

export const SDT_HEADER_LENGTH = 36;

export const SDT_HEADER: readonly FieldDef[] = [
  { name: 'Signature', kind: { ascii: 4 } },
  { name: 'Length', kind: 'u32' },
  { name: 'Revision', kind: 'u8' },
  { name: 'Checksum', kind: 'u8' },
  { name: 'OEM ID', kind: { ascii: 6 } },
  { name: 'OEM Table ID', kind: { ascii: 8 } },
  { name: 'OEM Revision', kind: 'u32' },
  { name: 'Creator ID', kind: { ascii: 4 } },
  { name: 'Creator Revision', kind: 'u32' },
];

export const TABLE_TITLES: Record<string, string> = {
  'RSD PTR ': 'Root System Description Pointer (RSDP)',
  XSDT: 'Extended System Description Table (XSDT)',
  RSDT: 'Root System Description Table (RSDT)',
  FACP: 'Fixed ACPI Description Table (FADT)',
  APIC: 'Multiple APIC Description Table (MADT)',
  GTDT: 'Generic Timer Description Table (GTDT)',
  SPCR: 'Serial Port Console Redirection Table (SPCR)',
  DBG2: 'Debug Port Table 2 (DBG2)',
  MCFG: 'PCI Express Memory-mapped Configuration (MCFG)',
  IORT: 'IO Remapping Table (IORT)',
  PPTT: 'Processor Properties Topology Table (PPTT)',
  DSDT: 'Differentiated System Description Table (DSDT)',
  SSDT: 'Secondary System Description Table (SSDT)',
  FACS: 'Firmware ACPI Control Structure (FACS)',
  SRAT: 'System Resource Affinity Table (SRAT)',
  SLIT: 'System Locality Information Table (SLIT)',
  BGRT: 'Boot Graphics Resource Table (BGRT)',
  HEST: 'Hardware Error Source Table (HEST)',
  VIOT: 'Virtual I/O Translation Table (VIOT)',
};

/** Revisions each decoder was written for; others decode with a warning. */
export const KNOWN_REVISIONS: Record<string, readonly number[]> = {
  XSDT: [1], RSDT: [1], FACP: [5, 6], APIC: [1, 2, 3, 4, 5, 6, 7], GTDT: [2, 3], SPCR: [1, 2, 3, 4],
  DBG2: [0], MCFG: [1], IORT: [0, 1, 2, 3, 4, 5, 6, 7], PPTT: [1, 2, 3], DSDT: [1, 2], SSDT: [1, 2],
};

/** Decodes the header into `out`, validates length and checksum; returns the declared length clamped to
 *  the data. */
export function decodeSdtHeader(r: TableReader, out: AcpiField[], sig: string): number {
  // ACPI signatures are four characters A-Z, 0-9, _ (acpica also tolerates '!' and lower case, with a warning).
  if (!/^[A-Za-z0-9_!]{4}$/.test(sig)) {
    throw new AcpiDecodeError(`${r.where}: not an ACPI table: signature ${JSON.stringify(sig)} is not four characters A-Z, 0-9 or _`);
  }
  if (!/^[A-Z0-9_]{4}$/.test(sig)) r.warnings.push(`${r.where}: unusual table signature ${JSON.stringify(sig)}`);
  r.fields(0, SDT_HEADER, out);
  const declared = r.u32(4);
  const have = r.bytes.length;
  if (declared < SDT_HEADER_LENGTH) {
    r.warnings.push(`${r.where}: Length field (${declared}) is smaller than the 36-byte header`);
  }
  if (declared > have) {
    r.errors.push(`${r.where}: Length field says ${declared} bytes but only ${have} are present (truncated table)`);
  } else if (declared < have) {
    r.warnings.push(`${r.where}: ${have - declared} bytes after the declared length (${declared}) are ignored`);
  }
  const len = Math.max(SDT_HEADER_LENGTH, Math.min(declared, have));
  if (declared <= have) {
    const sum = byteSum(r.bytes, 0, declared);
    if (sum !== 0) {
      const stored = r.bytes[9];
      const right = (stored - sum) & 0xff;
      r.warnings.push(`${r.where}: bad checksum ${hex(stored, 2)} (should be ${hex(right, 2)})`);
    }
  }
  const rev = r.u8(8);
  const known = KNOWN_REVISIONS[sig];
  if (known && !known.includes(rev)) {
    r.warnings.push(`${r.where}: unknown revision ${rev} of ${sig} (decoded as revision ${known[known.length - 1]})`);
  }
  return len;
}
