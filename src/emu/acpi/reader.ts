// Layout-driven field decoding shared by every table decoder: a table is described as a list of field
// definitions (name, kind, value names, flag bits, reserved), and TableReader turns bytes into AcpiField
// records with offsets, raw bytes, values and text. Reads past the end of the table raise AcpiDecodeError,
// which decodeTable() turns into an error on the table (never an exception out of the API).
import { AcpiDecodeError, type AcpiField, type AcpiStruct, type AcpiValue } from './types';

export interface FlagDef {
  readonly bit: number;
  readonly width?: number;
  readonly name: string;
  readonly names?: Readonly<Record<number, string>>;
}

export type FieldKind = 'u8' | 'u16' | 'u24' | 'u32' | 'u64' | 'gas' | { ascii: number } | { bytes: number };

export interface FieldDef {
  readonly name: string;
  readonly kind: FieldKind;
  /** Names of values, printed after the number. */
  readonly names?: Readonly<Record<number, string>>;
  /** Named flag bits; bits set outside them are reported as reserved. */
  readonly flags?: readonly FlagDef[];
  /** The whole field is reserved: a non-zero value is a warning. */
  readonly reserved?: boolean;
  /** Print as decimal rather than hex. */
  readonly decimal?: boolean;
}

export const ACCESS_SIZE_NAMES: Record<number, string> = { 0: 'Undefined/Legacy', 1: 'Byte', 2: 'Word', 3: 'DWord', 4: 'QWord' };
export const SPACE_ID_NAMES: Record<number, string> = {
  0: 'SystemMemory', 1: 'SystemIO', 2: 'PCI_Config', 3: 'EmbeddedControl', 4: 'SMBus', 5: 'SystemCMOS',
  6: 'PciBarTarget', 7: 'IPMI', 8: 'GeneralPurposeIo', 9: 'GenericSerialBus', 10: 'PCC', 0x7f: 'FunctionalFixedHW',
};

export function hex(v: number | bigint, digits: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(digits, '0');
}

function kindLength(kind: FieldKind): number {
  switch (kind) {
    case 'u8': return 1;
    case 'u16': return 2;
    case 'u24': return 3;
    case 'u32': return 4;
    case 'u64': return 8;
    case 'gas': return 12;
    default: return 'ascii' in kind ? kind.ascii : kind.bytes;
  }
}

export class TableReader {
  private readonly view: DataView;

  /** `limit`: the number of bytes that belong to the table (reads beyond are errors). */
  constructor(
    readonly bytes: Uint8Array,
    readonly limit: number,
    readonly warnings: string[],
    readonly where: string,
    /** Problems that leave the table not fully decodable but do not stop decoding (truncation). */
    readonly errors: string[] = warnings,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(offset: number, length: number, what: string): void {
    if (offset < 0 || offset + length > this.limit || offset + length > this.bytes.length) {
      const end = Math.min(this.limit, this.bytes.length);
      throw new AcpiDecodeError(`${this.where}: ${what} at offset ${offset} (${length} bytes) runs past the end of the data (${end} bytes)`);
    }
  }

  u8(o: number): number { this.check(o, 1, 'byte'); return this.view.getUint8(o); }
  u16(o: number): number { this.check(o, 2, 'word'); return this.view.getUint16(o, true); }
  u32(o: number): number { this.check(o, 4, 'dword'); return this.view.getUint32(o, true); }
  u64(o: number): bigint { this.check(o, 8, 'qword'); return this.view.getBigUint64(o, true); }
  ascii(o: number, n: number): string {
    this.check(o, n, 'string');
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.bytes[o + i]);
    return s;
  }
  slice(o: number, n: number): Uint8Array {
    this.check(o, n, 'bytes');
    return this.bytes.slice(o, o + n);
  }

  /** One field at `offset`. */
  field(offset: number, def: FieldDef): AcpiField {
    const len = kindLength(def.kind);
    this.check(offset, len, `field '${def.name}'`);
    const raw = this.bytes.slice(offset, offset + len);
    const k = def.kind;
    if (k === 'gas') return this.gas(offset, def.name);
    if (typeof k === 'object') {
      if ('ascii' in k) {
        const s = this.ascii(offset, k.ascii);
        return { name: def.name, offset, length: len, raw, value: s, text: JSON.stringify(s) };
      }
      return { name: def.name, offset, length: len, raw, value: hexBytes(raw), text: hexBytes(raw) };
    }
    let value: AcpiValue;
    if (k === 'u64') value = this.u64(offset);
    else if (k === 'u24') value = this.u16(offset) | (this.u8(offset + 2) << 16);
    else value = k === 'u8' ? this.u8(offset) : k === 'u16' ? this.u16(offset) : this.u32(offset);
    let text = def.decimal ? String(value) : hex(value, len * 2);
    const num = typeof value === 'bigint' ? value : BigInt(value);
    if (def.names && typeof value === 'number') text += ` (${def.names[value] ?? 'unknown'})`;
    let children: AcpiField[] | undefined;
    if (def.flags) {
      children = [];
      let known = 0n;
      for (const f of def.flags) {
        const w = f.width ?? 1;
        const mask = (1n << BigInt(w)) - 1n;
        known |= mask << BigInt(f.bit);
        const v = Number((num >> BigInt(f.bit)) & mask);
        const t = f.names ? `${v} (${f.names[v] ?? 'unknown'})` : String(v);
        children.push({ name: f.name, offset, length: len, raw, value: v, text: t, bits: [f.bit, w] });
      }
      const extra = num & ~known;
      if (extra !== 0n) this.warnings.push(`${this.where}: ${def.name} at offset ${offset} has reserved bits set (${hex(extra, len * 2)})`);
    }
    if (def.reserved && num !== 0n) this.warnings.push(`${this.where}: reserved field '${def.name}' at offset ${offset} is not zero (${hex(num, len * 2)})`);
    return children ? { name: def.name, offset, length: len, raw, value, text, children } : { name: def.name, offset, length: len, raw, value, text };
  }

  /** A Generic Address Structure (12 bytes): space, bit width, bit offset, access size, address. */
  gas(offset: number, name: string): AcpiField {
    this.check(offset, 12, `Generic Address Structure '${name}'`);
    const space = this.field(offset, { name: 'Space ID', kind: 'u8', names: SPACE_ID_NAMES });
    const width = this.field(offset + 1, { name: 'Bit Width', kind: 'u8' });
    const bitOff = this.field(offset + 2, { name: 'Bit Offset', kind: 'u8' });
    const access = this.field(offset + 3, { name: 'Access Size', kind: 'u8', names: ACCESS_SIZE_NAMES });
    const addr = this.field(offset + 4, { name: 'Address', kind: 'u64' });
    const a = addr.value as bigint;
    const text = `${SPACE_ID_NAMES[space.value as number] ?? 'space ' + String(space.value)} ${hex(a, 16)}, ${String(width.value)} bits at bit ${String(bitOff.value)}, ${ACCESS_SIZE_NAMES[access.value as number] ?? 'unknown'} access`;
    return { name, offset, length: 12, raw: this.bytes.slice(offset, offset + 12), value: a, text, children: [space, width, bitOff, access, addr] };
  }

  /** Consecutive fields from `offset`; returns them and the offset after the last. */
  fields(offset: number, defs: readonly FieldDef[], out: AcpiField[]): number {
    let o = offset;
    for (const d of defs) {
      out.push(this.field(o, d));
      o += kindLength(d.kind);
    }
    return o;
  }

  /** A subtable decoded from field definitions, with its length checked against the data. */
  struct(name: string, offset: number, length: number, defs: readonly FieldDef[]): AcpiStruct {
    this.check(offset, length, name);
    const fields: AcpiField[] = [];
    const end = this.fields(offset, defs, fields);
    if (end > offset + length) {
      throw new AcpiDecodeError(`${this.where}: ${name} at offset ${offset} declares ${length} bytes but its fields need ${end - offset}`);
    }
    return { name, offset, length, fields, children: [] };
  }
}

export function fieldsLength(defs: readonly FieldDef[]): number {
  return defs.reduce((n, d) => n + kindLength(d.kind), 0);
}

export function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** Byte sum modulo 256 (a valid ACPI table sums to 0). */
export function byteSum(b: Uint8Array, start = 0, end = b.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + b[i]) & 0xff;
  return s;
}
