// GUIDs as UEFI stores them: 16 bytes whose first three fields (32, 16 and 16 bits) are little-endian and
// the last 8 bytes in order; written as text 8-4-4-4-12 hex digits. Disk images must be reproducible, so
// the GUIDs we create are derived from a name (a deterministic hash), never random.
import { CRC32_TABLE, crcBytes } from '../isa/exec/crc';

export const ESP_TYPE = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
export const LINUX_DATA_TYPE = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
export const BASIC_DATA_TYPE = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';

const TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 16 on-disk bytes of a GUID written as text. */
export function guidBytes(text: string): Uint8Array {
  if (!TEXT.test(text)) throw new Error(`'${text}' is not a GUID (expected 8-4-4-4-12 hex digits)`);
  const h = text.replace(/-/g, '');
  const b = Uint8Array.from({ length: 16 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

/** The text form of 16 on-disk GUID bytes (upper case, as UEFI tools print them). */
export function guidText(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A version-4-shaped GUID derived from `name`: the same name always gives the same GUID. */
export function guidFromName(name: string): string {
  const enc = new TextEncoder();
  const words = [0, 1, 2, 3].map((k) => crcBytes(CRC32_TABLE, enc.encode(`${k}:${name}`)));
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  words.forEach((w, k) => dv.setUint32(4 * k, w));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
