// Builds the whole ACPI table set for a platform and lays it out at a guest physical address: RSDP first
// (16-byte aligned, as UEFI and the ACPI spec want), then XSDT, FADT, DSDT, MADT, GTDT, SPCR, DBG2, and with
// PCIe MCFG and IORT, then PPTT, each 8-byte aligned. The result is one image to copy into guest memory plus
// each table's address — what the firmware hands the kernel as the RSDP pointer.
import { buildFadt } from './fadt';
import { buildMadt } from './madt';
import { buildGtdt } from './gtdt';
import { buildSpcr } from './spcr';
import { buildDbg2 } from './dbg2';
import { buildMcfg } from './mcfg';
import { buildIort } from './iort';
import { buildPptt } from './pptt';
import { buildDsdt } from './dsdt';
import { setChecksum, TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export interface BuiltTable {
  readonly signature: string;
  readonly address: number;
  readonly bytes: Uint8Array;
}

export interface AcpiImage {
  readonly base: number;
  /** Address of the RSDP (= base). */
  readonly rsdpAddress: number;
  /** Every table, RSDP first, in image order. */
  readonly tables: readonly BuiltTable[];
  /** The contiguous bytes from `base`, gaps zero-filled. */
  readonly image: Uint8Array;
}

const align = (v: number, a: number) => Math.ceil(v / a) * a;

export function buildRsdp(p: AcpiPlatform, xsdtAddress: number): Uint8Array {
  const r = new Uint8Array(36);
  const dv = new DataView(r.buffer);
  const ascii = (o: number, t: string, n: number) => { for (let i = 0; i < n; i++) r[o + i] = i < t.length ? t.charCodeAt(i) : 0x20; };
  ascii(0, 'RSD PTR ', 8);
  ascii(9, p.oemId, 6);
  r[15] = 2; // revision 2: XSDT present
  dv.setUint32(16, 0, true); // no RSDT (32-bit pointers are for ACPI 1.0 readers)
  dv.setUint32(20, 36, true);
  dv.setBigUint64(24, BigInt(xsdtAddress), true);
  setChecksum(r, 8, 0, 20);
  setChecksum(r, 32, 0, 36);
  return r;
}

function validate(p: AcpiPlatform): void {
  if (p.cpus.length < 1 || p.cpus.length > 512) throw new Error(`ACPI: ${p.cpus.length} CPUs (need 1-512)`);
  if (p.pcie && (p.pcie.prtSlots < 0 || p.pcie.prtSlots > 32)) throw new Error('ACPI: prtSlots must be 0-32');
  if (p.pcie && !(p.pcie.busStart <= p.pcie.busEnd && p.pcie.busEnd <= 255)) throw new Error('ACPI: bad PCIe bus range');
  if (p.pcie && p.gic.itsBase === undefined) throw new Error('ACPI: the IORT maps PCIe to an ITS, but the GIC has none');
}

export function buildAcpiTables(p: AcpiPlatform, base: number): AcpiImage {
  validate(p);
  const body: { sig: string; build: (addr: Map<string, number>) => Uint8Array }[] = [
    { sig: 'DSDT', build: () => buildDsdt(p) },
    { sig: 'FACP', build: (a) => buildFadt(p, a.get('DSDT')!) },
    { sig: 'APIC', build: () => buildMadt(p) },
    { sig: 'GTDT', build: () => buildGtdt(p) },
    { sig: 'SPCR', build: () => buildSpcr(p) },
    { sig: 'DBG2', build: () => buildDbg2(p) },
  ];
  if (p.pcie) body.push({ sig: 'MCFG', build: () => buildMcfg(p) }, { sig: 'IORT', build: () => buildIort(p) });
  body.push({ sig: 'PPTT', build: () => buildPptt(p) });

  const addr = new Map<string, number>();
  const built: BuiltTable[] = [];
  const rsdpAt = align(base, 16);
  const xsdtAt = align(rsdpAt + 36, 8);
  const xsdtLen = 36 + 8 * (body.length - 1); // every table but the DSDT (the FADT points at it)
  let at = align(xsdtAt + xsdtLen, 8);
  // DSDT first so the FADT can point at it; the others in order.
  for (const t of body) {
    const bytes = t.build(addr);
    addr.set(t.sig, at);
    built.push({ signature: t.sig, address: at, bytes });
    at = align(at + bytes.length, 8);
  }
  const xw = new TableWriter().header('XSDT', 1, p.oemId, p.oemTableId);
  for (const t of built) if (t.signature !== 'DSDT') xw.u64(t.address);
  const xsdt = xw.finish();
  const tables: BuiltTable[] = [
    { signature: 'RSD PTR ', address: rsdpAt, bytes: buildRsdp(p, xsdtAt) },
    { signature: 'XSDT', address: xsdtAt, bytes: xsdt },
    ...built,
  ];
  const image = new Uint8Array(at - base);
  for (const t of tables) image.set(t.bytes, t.address - base);
  return { base, rsdpAddress: rsdpAt, tables, image };
}
