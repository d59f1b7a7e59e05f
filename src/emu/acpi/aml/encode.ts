// A minimal AML encoder (ACPI 6.5 chapter 20): enough to write a DSDT that declares devices with _HID,
// _UID, _CRS resource templates, _PRT packages and simple methods that return a constant. Each function
// returns the encoded bytes of one term; callers nest them. Names are ASL paths ("\\_SB.PCI0", "COM0",
// "^PCI0"); integers pick the shortest encoding (Zero/One/Ones/Byte/Word/DWord/QWord) as iasl does.

const enc = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
export const concat = (parts: readonly Uint8Array[]): Uint8Array => enc(...parts);

/** PkgLength (section 20.2.4) for a package whose contents after the PkgLength are `bodyLength` bytes. */
export function pkgLength(bodyLength: number): Uint8Array {
  if (bodyLength + 1 <= 0x3f) return Uint8Array.of(bodyLength + 1);
  for (let n = 2; n <= 4; n++) {
    const total = bodyLength + n;
    if (total < 1 << (4 + 8 * (n - 1))) {
      const b = [((n - 1) << 6) | (total & 0xf)];
      for (let k = 1; k < n; k++) b.push((total >>> (4 + 8 * (k - 1))) & 0xff);
      return Uint8Array.from(b);
    }
  }
  throw new RangeError(`AML package too large (${bodyLength} bytes)`);
}

const withPkg = (op: number[], body: Uint8Array): Uint8Array => enc(op, pkgLength(body.length), body);

function nameSeg(seg: string): number[] {
  if (!/^[A-Z_][A-Z0-9_]{0,3}$/.test(seg)) throw new Error(`invalid AML name segment '${seg}'`);
  return Array.from(seg.padEnd(4, '_'), (c) => c.charCodeAt(0));
}

/** NameString: optional root '\\' or '^' prefixes, then one, two (DualNamePrefix) or more (MultiNamePrefix) segments. */
export function nameString(path: string): Uint8Array {
  let p = path;
  const prefix: number[] = [];
  if (p.startsWith('\\')) {
    prefix.push(0x5c);
    p = p.slice(1);
  }
  while (p.startsWith('^')) {
    prefix.push(0x5e);
    p = p.slice(1);
  }
  const segs = p === '' ? [] : p.split('.');
  const body = segs.flatMap(nameSeg);
  if (segs.length === 0) return enc(prefix, [0x00]);
  if (segs.length === 1) return enc(prefix, body);
  if (segs.length === 2) return enc(prefix, [0x2e], body);
  return enc(prefix, [0x2f, segs.length], body);
}

export function integer(v: number | bigint): Uint8Array {
  const x = BigInt(v);
  if (x < 0n || x > 0xffff_ffff_ffff_ffffn) throw new RangeError(`AML integer out of range: ${v}`);
  if (x === 0n) return Uint8Array.of(0x00);
  if (x === 1n) return Uint8Array.of(0x01);
  if (x === 0xffff_ffff_ffff_ffffn) return Uint8Array.of(0xff);
  const le = (n: number) => Array.from({ length: n }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
  if (x <= 0xffn) return enc([0x0a], le(1));
  if (x <= 0xffffn) return enc([0x0b], le(2));
  if (x <= 0xffff_ffffn) return enc([0x0c], le(4));
  return enc([0x0e], le(8));
}

/** A DWordConst regardless of size (iasl keeps 32-bit constants such as EisaId values in this form). */
export function dword(v: number): Uint8Array {
  return enc([0x0c], [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
}

export function string(s: string): Uint8Array {
  if (!/^[\x01-\x7f]*$/.test(s)) throw new Error(`AML strings are ASCII without NUL: ${JSON.stringify(s)}`);
  return enc([0x0d], Array.from(s, (c) => c.charCodeAt(0)), [0x00]);
}

/** EISA ID compression of "PNP0A08" into a 32-bit integer (as ASL's EisaId()). */
export function eisaId(id: string): Uint8Array {
  if (!/^[A-Z]{3}[0-9A-F]{4}$/.test(id)) throw new Error(`invalid EISA ID '${id}'`);
  const c = (i: number) => id.charCodeAt(i) - 0x40;
  const b0 = (c(0) << 2) | (c(1) >> 3);
  const b1 = ((c(1) & 7) << 5) | c(2);
  const h = parseInt(id.slice(3), 16);
  return dword(b0 | (b1 << 8) | ((h >> 8) << 16) | ((h & 0xff) << 24));
}

export function buffer(bytes: Uint8Array): Uint8Array {
  return withPkg([0x11], enc(integer(bytes.length), bytes));
}

export function pkg(elements: readonly Uint8Array[]): Uint8Array {
  if (elements.length > 255) throw new RangeError('Package with more than 255 elements needs VarPackage');
  return withPkg([0x12], enc([elements.length], ...elements));
}

export function name(path: string, value: Uint8Array): Uint8Array {
  return enc([0x08], nameString(path), value);
}

export function scope(path: string, terms: readonly Uint8Array[]): Uint8Array {
  return withPkg([0x10], enc(nameString(path), ...terms));
}

export function device(path: string, terms: readonly Uint8Array[]): Uint8Array {
  return withPkg([0x5b, 0x82], enc(nameString(path), ...terms));
}

export function method(path: string, argCount: number, serialized: boolean, terms: readonly Uint8Array[]): Uint8Array {
  const flags = (argCount & 7) | (serialized ? 8 : 0);
  return withPkg([0x14], enc(nameString(path), [flags], ...terms));
}

export function ret(value: Uint8Array): Uint8Array {
  return enc([0xa4], value);
}

// Expressions and statements for simple method bodies. A `target` is a name, local or arg term.
export const arg = (n: number): Uint8Array => Uint8Array.of(0x68 + n);
export const local = (n: number): Uint8Array => Uint8Array.of(0x60 + n);
export const ref = (path: string): Uint8Array => nameString(path);
export const store = (src: Uint8Array, target: Uint8Array): Uint8Array => enc([0x70], src, target);
export const and = (a: Uint8Array, b: Uint8Array, target: Uint8Array): Uint8Array => enc([0x7b], a, b, target);
export const or = (a: Uint8Array, b: Uint8Array, target: Uint8Array): Uint8Array => enc([0x7d], a, b, target);
export const lEqual = (a: Uint8Array, b: Uint8Array): Uint8Array => enc([0x93], a, b);
export const lNot = (a: Uint8Array): Uint8Array => enc([0x92], a);
export const lNotEqual = (a: Uint8Array, b: Uint8Array): Uint8Array => lNot(lEqual(a, b));
export const createDWordField = (source: Uint8Array, byteIndex: Uint8Array, fieldName: string): Uint8Array =>
  enc([0x8a], source, byteIndex, nameString(fieldName));
export const ifOp = (predicate: Uint8Array, terms: readonly Uint8Array[]): Uint8Array => withPkg([0xa0], enc(predicate, ...terms));
export const elseOp = (terms: readonly Uint8Array[]): Uint8Array => withPkg([0xa1], enc(...terms));

/** ASL ToUUID(): a 16-byte Buffer, the first three groups stored little-endian. */
export function toUuid(uuid: string): Uint8Array {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(uuid);
  if (!m) throw new Error(`invalid UUID '${uuid}'`);
  const hexBytes = (h: string) => Array.from({ length: h.length / 2 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));
  return buffer(Uint8Array.from([...hexBytes(m[1]).reverse(), ...hexBytes(m[2]).reverse(), ...hexBytes(m[3]).reverse(), ...hexBytes(m[4]), ...hexBytes(m[5])]));
}

/** A complete definition block: SDT header (checksum filled) followed by the AML. */
export function definitionBlock(sig: 'DSDT' | 'SSDT', rev: number, oemId: string, oemTableId: string, oemRev: number, terms: readonly Uint8Array[]): Uint8Array {
  const body = enc(...terms);
  const t = new Uint8Array(36 + body.length);
  const dv = new DataView(t.buffer);
  const ascii = (o: number, s: string, n: number) => { for (let i = 0; i < n; i++) t[o + i] = i < s.length ? s.charCodeAt(i) : 0x20; };
  ascii(0, sig, 4);
  dv.setUint32(4, t.length, true);
  t[8] = rev;
  ascii(10, oemId, 6);
  ascii(16, oemTableId, 8);
  dv.setUint32(24, oemRev, true);
  ascii(28, 'A64S', 4);
  dv.setUint32(32, 1, true);
  t.set(body, 36);
  let s = 0;
  for (const b of t) s = (s + b) & 0xff;
  t[9] = (0x100 - s) & 0xff;
  return t;
}
