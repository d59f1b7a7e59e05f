// The one place ACPI bytes are decoded: decodeTable() turns one table (or an RSDP) into a DecodedTable,
// splitTables() cuts a file into tables (a single table, tables laid end to end, or `acpidump` text), and
// readTablesFromRsdp() follows RSDP -> XSDT -> FADT -> DSDT through a physical-memory reader (the ACPI
// viewer reads guest memory with it). Malformed input never throws out of these functions: problems end up
// in `errors`/`warnings`, each naming where the table came from.
import { decodeSdtHeader, TABLE_TITLES } from './header';
import { hexBytes, TableReader } from './reader';
import { AcpiDecodeError, type AcpiStruct, type DecodedTable } from './types';
import { decodeRsdp } from './tables/rsdp';
import { decodeXsdt } from './tables/xsdt';
import { decodeFadt } from './tables/fadt';
import { decodeMadt } from './tables/madt';
import { decodeGtdt } from './tables/gtdt';
import { decodeSpcr } from './tables/spcr';
import { decodeDbg2 } from './tables/dbg2';
import { decodeMcfg } from './tables/mcfg';
import { decodeIort } from './tables/iort';
import { decodePptt } from './tables/pptt';
import { disassembleAml } from './aml/disasm';

type BodyDecoder = (r: TableReader, root: AcpiStruct, len: number) => void;

const DECODERS: Record<string, BodyDecoder> = {
  XSDT: (r, root, len) => decodeXsdt(r, root, len, true),
  RSDT: (r, root, len) => decodeXsdt(r, root, len, false),
  FACP: decodeFadt,
  APIC: decodeMadt,
  GTDT: decodeGtdt,
  SPCR: decodeSpcr,
  DBG2: decodeDbg2,
  MCFG: decodeMcfg,
  IORT: decodeIort,
  PPTT: decodePptt,
};

function printable(sig: string): string {
  return /^[\x20-\x7e]*$/.test(sig) ? sig : JSON.stringify(sig);
}

/** Decodes one table. `where` names the source in messages (a file name, `guest 0x4000_0000`...). */
export function decodeTable(bytes: Uint8Array, where = 'table'): DecodedTable {
  const warnings: string[] = [];
  const errors: string[] = [];
  const isRsdp = bytes.length >= 8 && String.fromCharCode(...bytes.subarray(0, 8)) === 'RSD PTR ';
  const sig = isRsdp ? 'RSD PTR ' : String.fromCharCode(...bytes.subarray(0, Math.min(4, bytes.length)));
  const label = `${where}: ${isRsdp ? 'RSDP' : printable(sig)}`;
  const root: AcpiStruct = { name: TABLE_TITLES[sig] ?? `Table ${printable(sig)}`, offset: 0, length: bytes.length, fields: [], children: [] };
  let asl: string | undefined;
  let aslLineOffsets: (number | undefined)[] | undefined;
  let length = bytes.length;
  try {
    if (isRsdp) {
      const r = new TableReader(bytes, bytes.length, warnings, label);
      decodeRsdp(r, root);
      length = bytes[15] >= 2 ? Math.min(r.u32(20), bytes.length) : 20;
    } else {
      if (bytes.length < 36) throw new AcpiDecodeError(`${label}: ${bytes.length} bytes is too short for an ACPI table header (36 bytes)`);
      const hr = new TableReader(bytes, bytes.length, warnings, label, errors);
      length = decodeSdtHeader(hr, root.fields, sig);
      const r = new TableReader(bytes, length, warnings, label, errors);
      const dec = DECODERS[sig];
      if (dec) dec(r, root, length);
      else if (sig === 'DSDT' || sig === 'SSDT') {
        const d = disassembleAml(bytes.subarray(0, length));
        asl = d.asl;
        aslLineOffsets = d.lineOffsets;
        for (const e of d.errors) errors.push(`${label}: AML: ${e}`);
        root.fields.push(r.field(36, { name: 'AML', kind: { bytes: length - 36 } }));
      } else if (length > 36) {
        root.fields.push(r.field(36, { name: 'Data', kind: { bytes: length - 36 } }));
      }
    }
  } catch (e) {
    errors.push(e instanceof AcpiDecodeError ? e.message : `${label}: decoder failure: ${(e as Error).message}`);
  }
  const out: DecodedTable = {
    signature: sig, title: root.name, bytes: bytes.subarray(0, length), origin: where,
    root: { ...root, length }, warnings, errors,
  };
  return asl === undefined ? out : { ...out, asl, aslLineOffsets };
}

export interface SplitResult {
  tables: { bytes: Uint8Array; where: string }[];
  errors: string[];
}

/** Cuts a file into tables: `acpidump` text (`XXXX @ 0x...` then `0000: 44 53 ...` lines), or binary
 *  tables laid end to end (each one's Length field says where the next starts; an RSDP is 20 or 36 bytes). */
export function splitTables(data: Uint8Array, name: string): SplitResult {
  const errors: string[] = [];
  const head = String.fromCharCode(...data.subarray(0, Math.min(64, data.length)));
  if (/^\s*[A-Za-z0-9_ ]{4}\s+@\s+0x[0-9a-fA-F]+/.test(head) || /^\s*[A-Za-z0-9_]{4} @/m.test(head)) {
    return splitAcpidump(new TextDecoder().decode(data), name);
  }
  const tables: SplitResult['tables'] = [];
  let o = 0;
  while (o < data.length) {
    const rest = data.length - o;
    let len: number;
    if (rest >= 8 && String.fromCharCode(...data.subarray(o, o + 8)) === 'RSD PTR ') {
      len = rest >= 36 && data[o + 15] >= 2 ? 36 : 20;
    } else if (rest < 36) {
      errors.push(`${name}: ${rest} stray bytes at offset ${o} (too short for a table header)`);
      break;
    } else {
      len = new DataView(data.buffer, data.byteOffset + o, 8).getUint32(4, true);
      if (len < 36) {
        errors.push(`${name}: table at offset ${o} has Length ${len} (< 36): cannot find the tables after it`);
        len = rest;
      }
    }
    const end = Math.min(o + len, data.length);
    tables.push({ bytes: data.slice(o, end), where: o === 0 && end === data.length ? name : `${name}+0x${o.toString(16)}` });
    o = end;
  }
  return { tables, errors };
}

function splitAcpidump(text: string, name: string): SplitResult {
  const tables: SplitResult['tables'] = [];
  const errors: string[] = [];
  let cur: number[] | null = null;
  let label = '';
  const flush = () => {
    if (cur) tables.push({ bytes: Uint8Array.from(cur), where: `${name}: ${label}` });
    cur = null;
  };
  text.split(/\r?\n/).forEach((line, i) => {
    let m: RegExpExecArray | null;
    if ((m = /^\s*(\S{4}|RSD PTR)\s*@\s*(0x[0-9a-fA-F]+)/.exec(line))) {
      flush();
      cur = [];
      label = `${m[1]} @ ${m[2]}`;
    } else if ((m = /^\s*([0-9a-fA-F]+):((?:\s[0-9a-fA-F]{2}){1,16})/.exec(line))) {
      if (!cur) {
        errors.push(`${name}:${i + 1}: hex line before any 'XXXX @ 0x...' table header`);
        return;
      }
      for (const b of m[2].trim().split(/\s+/)) cur.push(parseInt(b, 16));
    }
  });
  flush();
  if (!tables.length) errors.push(`${name}: no tables found in acpidump text`);
  return { tables, errors };
}

/** Reads physical memory for readTablesFromRsdp(); returns null where nothing is mapped. */
export type PhysReader = (addr: bigint, length: number) => Uint8Array | null;

/** Follows RSDP -> XSDT -> each table (and FADT -> X_DSDT), decoding each from memory. */
export function readTablesFromRsdp(read: PhysReader, rsdpAddr: bigint): { tables: DecodedTable[]; errors: string[] } {
  const errors: string[] = [];
  const tables: DecodedTable[] = [];
  const at = (a: bigint) => `guest 0x${a.toString(16)}`;
  const fetchTable = (addr: bigint): DecodedTable | null => {
    const head = read(addr, 36);
    if (!head) {
      errors.push(`${at(addr)}: table address is not in guest memory`);
      return null;
    }
    const len = new DataView(head.buffer, head.byteOffset, 36).getUint32(4, true);
    const body = len >= 36 && len <= 16 * 1024 * 1024 ? read(addr, len) : null;
    const t = decodeTable(body ?? head, at(addr));
    tables.push(t);
    return t;
  };
  const rsdpBytes = read(rsdpAddr, 36);
  if (!rsdpBytes) return { tables, errors: [`${at(rsdpAddr)}: RSDP address is not in guest memory`] };
  const rsdp = decodeTable(rsdpBytes, at(rsdpAddr));
  tables.push(rsdp);
  const xsdtField = rsdp.root.fields.find((f) => f.name === 'XSDT Address');
  if (!xsdtField) return { tables, errors: [...errors, `${at(rsdpAddr)}: RSDP has no XSDT address (revision < 2)`] };
  const xsdt = fetchTable(xsdtField.value as bigint);
  if (!xsdt) return { tables, errors };
  for (const f of xsdt.root.fields.filter((x) => x.name.startsWith('Entry '))) {
    const t = fetchTable(f.value as bigint);
    if (t?.signature === 'FACP') {
      const x = t.root.fields.find((g) => g.name === 'X_DSDT');
      const d = t.root.fields.find((g) => g.name === 'DSDT');
      const addr = x && x.value !== 0n ? (x.value as bigint) : d ? BigInt(d.value as number) : 0n;
      if (addr) fetchTable(addr);
    }
  }
  return { tables, errors };
}

/** The hex dump of a table's bytes used when no decoder knows it. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) lines.push(`${o.toString(16).toUpperCase().padStart(4, '0')}: ${hexBytes(bytes.subarray(o, o + 16))}`);
  return lines.join('\n');
}
