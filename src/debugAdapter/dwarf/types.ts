// C types and values: a DWARF type DIE spelled as C ("struct shape *", "const int [5]", "u32_t"), its size,
// and a variable's bytes (read from memory through the caller's reader, or taken from a register, a
// computed value or literal bytes) turned into the text the Variables view shows — integers by encoding,
// chars with their character, bools, floats, enums by enumerator name, pointers in hex (char pointers with
// the string they point at), bitfields extracted from their storage — and into children: struct and union
// members, array elements, and the pointee of a pointer. Values become strings here and nowhere else in
// dwarf/ (format.ts does the same for registers).

import { DW_AT, DW_ATE, DW_TAG } from './constants';
import type { Die } from './info';
import type { Location } from './location';

/** Where a C value lives and what it is. `bitOffset`/`bitSize` describe a bitfield inside `loc`. */
export interface CValue {
  type: Die | undefined;
  loc: Location;
  bitOffset?: number;
  bitSize?: number;
}

export interface ValueReader {
  /** Bytes of memory, null where unreadable. */
  memory(address: bigint, length: number): Promise<(number | null)[]>;
  /** A register of the selected frame (DWARF number), undefined when unknown. */
  register(n: number): bigint | undefined;
}

const CV_TAGS = new Set<number>([DW_TAG.typedef, DW_TAG.const_type, DW_TAG.volatile_type, DW_TAG.restrict_type, DW_TAG.atomic_type]);

/** The type under typedefs and qualifiers. */
export function resolveType(t: Die | undefined): Die | undefined {
  let d = t;
  for (let i = 0; d && CV_TAGS.has(d.tag) && i < 64; i++) d = d.ref(DW_AT.type);
  return d;
}

export function typeSize(t: Die | undefined): number {
  const d = resolveType(t);
  if (!d) return 0;
  const bs = d.num(DW_AT.byte_size);
  if (bs !== undefined) return bs;
  if (d.tag === DW_TAG.pointer_type || d.tag === DW_TAG.reference_type) return 8;
  if (d.tag === DW_TAG.array_type) {
    return arrayDims(d).reduce((a, b) => a * b, 1) * typeSize(d.ref(DW_AT.type));
  }
  return 0;
}

/** The element counts of an array type's dimensions (0 for an unknown bound). */
export function arrayDims(arr: Die): number[] {
  return arr.children.filter((c) => c.tag === DW_TAG.subrange_type).map((c) => {
    const count = c.num(DW_AT.count);
    if (count !== undefined) return count;
    const ub = c.num(DW_AT.upper_bound);
    return ub === undefined ? 0 : ub + 1;
  });
}

/** The C spelling of a type. */
export function typeName(t: Die | undefined): string {
  // A qualifier GCC puts both on an array and on its elements is said once.
  return spell(t, '').trim().replace(/\b(const|volatile) (?=\1\b)/g, '');
}

function spell(t: Die | undefined, inner: string): string {
  if (!t) return `void${inner}`;
  const name = t.str(DW_AT.name);
  switch (t.tag) {
    case DW_TAG.base_type: case DW_TAG.typedef: case DW_TAG.unspecified_type: return `${name ?? '?'}${inner}`;
    case DW_TAG.structure_type: return `struct ${name ?? '<anonymous>'}${inner}`;
    case DW_TAG.union_type: return `union ${name ?? '<anonymous>'}${inner}`;
    case DW_TAG.enumeration_type: return `enum ${name ?? '<anonymous>'}${inner}`;
    case DW_TAG.const_type: return qualified('const', t, inner);
    case DW_TAG.volatile_type: return qualified('volatile', t, inner);
    case DW_TAG.restrict_type: return spell(t.ref(DW_AT.type), ` *restrict${inner.replace(/^ \*/, '')}`);
    case DW_TAG.atomic_type: return qualified('_Atomic', t, inner);
    case DW_TAG.pointer_type: case DW_TAG.reference_type: {
      const to = t.ref(DW_AT.type);
      const target = resolveType(to);
      const wrap = target && (target.tag === DW_TAG.array_type || target.tag === DW_TAG.subroutine_type) ? `(*${inner})` : ` *${inner.trimStart()}`;
      return spell(to, wrap);
    }
    case DW_TAG.array_type: return spell(t.ref(DW_AT.type), `${inner} ${arrayDims(t).map((n) => `[${n || ''}]`).join('')}`.replace(/^ +\[/, ' ['));
    case DW_TAG.subroutine_type: {
      const params = t.children.filter((c) => c.tag === DW_TAG.formal_parameter).map((c) => typeName(c.ref(DW_AT.type)));
      return spell(t.ref(DW_AT.type), `${inner}(${params.join(', ') || 'void'})`);
    }
  }
  return `${name ?? '?'}${inner}`;
}

function qualified(q: string, t: Die, inner: string): string {
  const under = t.ref(DW_AT.type);
  const r = resolveType(under);
  // "const char *" reads better than "char const *" for qualified base types.
  if (!inner.startsWith(' *') && r && r.tag !== DW_TAG.pointer_type) return `${q} ${spell(under, inner)}`;
  return spell(under, ` ${q}${inner}`);
}

/** The value's bytes, or a reason they cannot be had. */
export async function valueBytes(v: CValue, size: number, rd: ValueReader): Promise<Uint8Array | string> {
  const loc = v.loc;
  switch (loc.k) {
    case 'unavailable': return `<${loc.why}>`;
    case 'memory': {
      const raw = await rd.memory(loc.address, size);
      if (raw.some((b) => b === null)) return `<memory at 0x${loc.address.toString(16)} cannot be read>`;
      return Uint8Array.from(raw as number[]);
    }
    case 'register': {
      const r = rd.register(loc.reg);
      if (r === undefined) return '<register not saved in this frame>';
      return leBytes(r, size);
    }
    case 'value': return leBytes(loc.value, size);
    case 'bytes': return loc.bytes.length >= size ? loc.bytes.subarray(0, size) : pad(loc.bytes, size);
    case 'pieces': {
      const out = new Uint8Array(size);
      let at = 0;
      for (const p of loc.pieces) {
        const b = await valueBytes({ type: undefined, loc: p.loc }, p.size, rd);
        if (typeof b === 'string') return b;
        out.set(b.subarray(0, Math.max(0, Math.min(p.size, size - at))), at);
        at += p.size;
      }
      return out;
    }
  }
}

function pad(b: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(b.subarray(0, size));
  return out;
}

export function leBytes(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < size && i < 8; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function leValue(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** A scalar's integer value (bitfields extracted and sign-extended by the type's encoding). */
export async function scalarValue(v: CValue, rd: ValueReader): Promise<bigint | string> {
  const t = resolveType(v.type);
  const size = typeSize(t) || 8;
  if (v.bitSize !== undefined) {
    const first = Math.floor((v.bitOffset ?? 0) / 8);
    const span = Math.ceil(((v.bitOffset ?? 0) % 8 + v.bitSize) / 8);
    const loc = v.loc.k === 'memory' ? { k: 'memory' as const, address: v.loc.address + BigInt(first) } : v.loc;
    const b = await valueBytes({ type: t, loc }, v.loc.k === 'memory' ? span : first + span, rd);
    if (typeof b === 'string') return b;
    const bytes = v.loc.k === 'memory' ? b : b.subarray(first);
    const raw = (leValue(bytes) >> BigInt((v.bitOffset ?? 0) % 8)) & ((1n << BigInt(v.bitSize)) - 1n);
    return isSigned(t) ? BigInt.asIntN(v.bitSize, raw) : raw;
  }
  const b = await valueBytes(v, size, rd);
  if (typeof b === 'string') return b;
  const raw = leValue(b);
  return isSigned(t) ? BigInt.asIntN(size * 8, raw) : raw;
}

export function isSigned(t: Die | undefined): boolean {
  const d = resolveType(t);
  if (!d) return false;
  if (d.tag === DW_TAG.enumeration_type) {
    const under = d.ref(DW_AT.type);
    if (under) return isSigned(under);
    return d.children.some((c) => (c.num(DW_AT.const_value) ?? 0) < 0);
  }
  const enc = d.num(DW_AT.encoding);
  return enc === DW_ATE.signed || enc === DW_ATE.signed_char;
}

/** Whether a type is shown as one value (no children). */
export function isScalar(t: Die | undefined): boolean {
  const d = resolveType(t);
  return !!d && (d.tag === DW_TAG.base_type || d.tag === DW_TAG.enumeration_type || d.tag === DW_TAG.pointer_type);
}

/** The text of a value. */
export async function formatCValue(v: CValue, rd: ValueReader): Promise<string> {
  const t = resolveType(v.type);
  if (!t) return 'void';
  switch (t.tag) {
    case DW_TAG.base_type: {
      const enc = t.num(DW_AT.encoding);
      const size = typeSize(t);
      if (enc === DW_ATE.float && v.bitSize === undefined) {
        const b = await valueBytes(v, size, rd);
        if (typeof b === 'string') return b;
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        return size === 4 ? String(dv.getFloat32(0, true)) : size === 8 ? String(dv.getFloat64(0, true)) : `<${size}-byte float>`;
      }
      const x = await scalarValue(v, rd);
      if (typeof x === 'string') return x;
      if (enc === DW_ATE.boolean) return x ? 'true' : 'false';
      if ((enc === DW_ATE.signed_char || enc === DW_ATE.unsigned_char) && size === 1) return `${x} ${charLiteral(Number(BigInt.asUintN(8, x)))}`;
      return x.toString();
    }
    case DW_TAG.enumeration_type: {
      const x = await scalarValue(v, rd);
      if (typeof x === 'string') return x;
      const e = t.children.find((c) => c.tag === DW_TAG.enumerator && BigInt(c.num(DW_AT.const_value) ?? NaN) === x);
      return e ? e.name ?? x.toString() : `${x.toString()} (not an enumerator)`;
    }
    case DW_TAG.pointer_type: case DW_TAG.reference_type: {
      const x = await scalarValue(v, rd);
      if (typeof x === 'string') return x;
      const hex = `0x${x.toString(16)}`;
      const to = resolveType(t.ref(DW_AT.type));
      if (x !== 0n && to?.tag === DW_TAG.base_type && typeSize(to) === 1) {
        const s = await cString(x, rd);
        if (s !== undefined) return `${hex} ${s}`;
      }
      return hex;
    }
    case DW_TAG.array_type: {
      const el = resolveType(t.ref(DW_AT.type));
      const n = arrayDims(t)[0] ?? 0;
      if (el?.tag === DW_TAG.base_type && typeSize(el) === 1 && v.loc.k === 'memory') {
        const s = await cString(v.loc.address, rd, n);
        if (s !== undefined) return s;
      }
      return typeName(v.type);
    }
    case DW_TAG.structure_type: case DW_TAG.union_type:
      return `{${typeName(v.type)}}`;
  }
  return `<${typeName(v.type)}>`;
}

/** The children of a value: members, elements (at most `limit`), or the pointee. */
export async function childValues(v: CValue, rd: ValueReader, limit = 1000): Promise<{ name: string; value: CValue }[]> {
  const t = resolveType(v.type);
  if (!t) return [];
  if (t.tag === DW_TAG.structure_type || t.tag === DW_TAG.union_type) {
    return t.children.filter((c) => c.tag === DW_TAG.member).map((m) => ({ name: m.name ?? '<anonymous>', value: memberValue(v, m) }));
  }
  if (t.tag === DW_TAG.array_type) {
    const dims = arrayDims(t);
    const elType = dims.length > 1 ? undefined : t.ref(DW_AT.type);
    const elSize = dims.length > 1 ? typeSize(t) / (dims[0] || 1) : typeSize(elType);
    const n = Math.min(dims[0] ?? 0, limit);
    const out: { name: string; value: CValue }[] = [];
    for (let i = 0; i < n; i++) {
      out.push({ name: `[${i}]`, value: { type: dims.length > 1 ? subArray(t) : elType, loc: offsetLocation(v.loc, i * elSize) } });
    }
    return out;
  }
  if (t.tag === DW_TAG.pointer_type) {
    const to = t.ref(DW_AT.type);
    const target = resolveType(to);
    if (!target || target.tag === DW_TAG.subroutine_type) return [];
    const x = await scalarValue(v, rd);
    if (typeof x === 'string' || x === 0n) return [];
    return [{ name: '*', value: { type: to, loc: { k: 'memory', address: x } } }];
  }
  return [];
}

/** The same array type minus its first dimension (a synthetic view: dimensions are read from the DIE). */
function subArray(t: Die): Die {
  const subs = t.children.filter((c) => c.tag === DW_TAG.subrange_type);
  const view = Object.create(t) as Die;
  Object.defineProperty(view, 'children', { value: subs.slice(1) });
  return view;
}

export function memberValue(v: CValue, m: Die): CValue {
  const off = m.num(DW_AT.data_member_location) ?? 0;
  const bitSize = m.num(DW_AT.bit_size);
  let bitOffset: number | undefined;
  if (bitSize !== undefined) {
    const dbo = m.num(DW_AT.data_bit_offset);
    if (dbo !== undefined) bitOffset = dbo;
    else {
      // DWARF 2-4 DW_AT_bit_offset counts from the storage unit's most significant bit.
      const storage = (m.num(DW_AT.byte_size) ?? typeSize(m.ref(DW_AT.type))) * 8;
      bitOffset = off * 8 + storage - (m.num(DW_AT.bit_offset) ?? 0) - bitSize;
    }
    return { type: m.ref(DW_AT.type), loc: v.loc, bitOffset: (v.bitOffset ?? 0) + bitOffset, bitSize };
  }
  return { type: m.ref(DW_AT.type), loc: offsetLocation(v.loc, off) };
}

/** A location `offset` bytes further on (member or element of an aggregate). */
export function offsetLocation(loc: Location, offset: number): Location {
  switch (loc.k) {
    case 'memory': return { k: 'memory', address: loc.address + BigInt(offset) };
    case 'bytes': return { k: 'bytes', bytes: loc.bytes.subarray(offset) };
    case 'value': return { k: 'value', value: loc.value >> BigInt(offset * 8) };
    case 'register': return offset === 0 ? loc : { k: 'unavailable', why: 'part of a register' };
    case 'pieces': {
      let at = 0;
      for (const p of loc.pieces) {
        if (offset < at + p.size) return offsetLocation(p.loc, offset - at);
        at += p.size;
      }
      return { k: 'unavailable', why: 'outside its pieces' };
    }
    case 'unavailable': return loc;
  }
}

async function cString(address: bigint, rd: ValueReader, max = 64): Promise<string | undefined> {
  const raw = await rd.memory(address, Math.min(max, 64));
  let s = '';
  for (const b of raw) {
    if (b === null) return s ? `"${s}"...` : undefined;
    if (b === 0) return `"${s}"`;
    s += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"...`;
}

function charLiteral(c: number): string {
  if (c >= 0x20 && c < 0x7f) return c === 0x27 || c === 0x5c ? `'\\${String.fromCharCode(c)}'` : `'${String.fromCharCode(c)}'`;
  return `'\\x${c.toString(16).padStart(2, '0')}'`;
}
