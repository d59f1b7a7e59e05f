// DWARF unit headers (versions 2-5: compile, partial, skeleton and type units, 32- and 64-bit), abbreviation
// tables, and attribute values by form. A value is kept as the form gave it: numbers for constants,
// offsets and indexes, BigInt for addresses and 8-byte data, bytes for blocks and expressions, strings
// for inline and section strings. Indexed forms (strx*, addrx*, loclistx, rnglistx) stay indexes here;
// the unit resolves them against its bases (DW_AT_str_offsets_base, DW_AT_addr_base, ...) only when asked,
// because the compile unit's own DIE may use them before its bases are known.

import { DW_FORM, DW_UT } from './constants';
import { ByteReader, DwarfError, stringAt } from './reader';

export interface AbbrevAttr {
  at: number;
  form: number;
  /** DW_FORM_implicit_const: the value lives in the abbreviation. */
  implicit?: number;
}

export interface Abbrev {
  code: number;
  tag: number;
  children: boolean;
  attrs: AbbrevAttr[];
}

/** The abbreviation table at an offset of .debug_abbrev. */
export function parseAbbrevs(section: Uint8Array, offset: number): Map<number, Abbrev> {
  const r = new ByteReader(section, offset);
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = r.uleb();
    if (code === 0) return table;
    const tag = r.uleb();
    const children = r.u8() !== 0;
    const attrs: AbbrevAttr[] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      attrs.push(form === DW_FORM.implicit_const ? { at, form, implicit: r.sleb() } : { at, form });
    }
    table.set(code, { code, tag, children, attrs });
  }
}

export interface UnitHeader {
  /** Offset of the unit in .debug_info. */
  offset: number;
  /** Offset just past the unit. */
  end: number;
  /** Offset of the first DIE. */
  dieOffset: number;
  version: number;
  unitType: number;
  dwarf64: boolean;
  addressSize: number;
  abbrevOffset: number;
}

export function parseUnitHeader(r: ByteReader): UnitHeader {
  const offset = r.pos;
  const { dwarf64, end } = r.initialLength();
  const version = r.u16();
  if (version < 2 || version > 5) throw new DwarfError(`unit at 0x${offset.toString(16)}: DWARF version ${version} is not supported`);
  let unitType: number = DW_UT.compile;
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    unitType = r.u8();
    addressSize = r.u8();
    abbrevOffset = r.offset(dwarf64);
    if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) r.skip(8);
    else if (unitType === DW_UT.type || unitType === DW_UT.split_type) {
      r.skip(8);
      r.offset(dwarf64);
    }
  } else {
    abbrevOffset = r.offset(dwarf64);
    addressSize = r.u8();
  }
  if (addressSize !== 8 && addressSize !== 4) throw new DwarfError(`unit at 0x${offset.toString(16)}: address size ${addressSize}`);
  return { offset, end, dieOffset: r.pos, version, unitType, dwarf64, addressSize, abbrevOffset };
}

/** An attribute value as read (see the top of this file). */
export type FormValue =
  | { k: 'num'; v: number }
  | { k: 'sig'; v: number }
  | { k: 'big'; v: bigint }
  | { k: 'addr'; v: bigint }
  | { k: 'addrx'; v: number }
  | { k: 'str'; v: string }
  | { k: 'strx'; v: number }
  | { k: 'ref'; v: number }
  | { k: 'sec'; v: number }
  | { k: 'loclistx'; v: number }
  | { k: 'rnglistx'; v: number }
  | { k: 'block'; v: Uint8Array }
  | { k: 'expr'; v: Uint8Array }
  | { k: 'flag'; v: boolean };

export interface FormContext {
  header: UnitHeader;
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

/** Reads one attribute value of `form` (refs become .debug_info offsets). */
export function readForm(r: ByteReader, form: number, ctx: FormContext, implicit?: number): FormValue {
  const h = ctx.header;
  switch (form) {
    case DW_FORM.addr: return { k: 'addr', v: r.uN(h.addressSize) };
    case DW_FORM.data1: return { k: 'num', v: r.u8() };
    case DW_FORM.data2: return { k: 'num', v: r.u16() };
    case DW_FORM.data4: return { k: 'num', v: r.u32() };
    case DW_FORM.data8: return { k: 'big', v: r.u64() };
    case DW_FORM.data16: return { k: 'block', v: r.block(16) };
    case DW_FORM.sdata: return { k: 'sig', v: r.sleb() };
    case DW_FORM.udata: return { k: 'num', v: r.uleb() };
    case DW_FORM.implicit_const: return { k: 'sig', v: implicit ?? 0 };
    case DW_FORM.string: return { k: 'str', v: r.cstr() };
    case DW_FORM.strp: return { k: 'str', v: stringAt(ctx.str, r.offset(h.dwarf64), '.debug_str') };
    case DW_FORM.line_strp: return { k: 'str', v: stringAt(ctx.lineStr, r.offset(h.dwarf64), '.debug_line_str') };
    case DW_FORM.strp_sup: case DW_FORM.GNU_strp_alt: r.offset(h.dwarf64); return { k: 'str', v: '<alt>' };
    case DW_FORM.strx: case DW_FORM.GNU_str_index: return { k: 'strx', v: r.uleb() };
    case DW_FORM.strx1: return { k: 'strx', v: r.u8() };
    case DW_FORM.strx2: return { k: 'strx', v: r.u16() };
    case DW_FORM.strx3: return { k: 'strx', v: r.u16() | (r.u8() << 16) };
    case DW_FORM.strx4: return { k: 'strx', v: r.u32() };
    case DW_FORM.addrx: case DW_FORM.GNU_addr_index: return { k: 'addrx', v: r.uleb() };
    case DW_FORM.addrx1: return { k: 'addrx', v: r.u8() };
    case DW_FORM.addrx2: return { k: 'addrx', v: r.u16() };
    case DW_FORM.addrx3: return { k: 'addrx', v: r.u16() | (r.u8() << 16) };
    case DW_FORM.addrx4: return { k: 'addrx', v: r.u32() };
    case DW_FORM.ref1: return { k: 'ref', v: h.offset + r.u8() };
    case DW_FORM.ref2: return { k: 'ref', v: h.offset + r.u16() };
    case DW_FORM.ref4: return { k: 'ref', v: h.offset + r.u32() };
    case DW_FORM.ref8: return { k: 'ref', v: h.offset + r.u64n() };
    case DW_FORM.ref_udata: return { k: 'ref', v: h.offset + r.uleb() };
    case DW_FORM.ref_addr: return { k: 'ref', v: h.version <= 2 ? Number(r.uN(h.addressSize)) : r.offset(h.dwarf64) };
    case DW_FORM.ref_sig8: r.skip(8); return { k: 'num', v: 0 };
    case DW_FORM.ref_sup4: r.skip(4); return { k: 'num', v: 0 };
    case DW_FORM.ref_sup8: case DW_FORM.GNU_ref_alt: r.skip(h.dwarf64 || form === DW_FORM.ref_sup8 ? 8 : 4); return { k: 'num', v: 0 };
    case DW_FORM.sec_offset: return { k: 'sec', v: r.offset(h.dwarf64) };
    case DW_FORM.loclistx: return { k: 'loclistx', v: r.uleb() };
    case DW_FORM.rnglistx: return { k: 'rnglistx', v: r.uleb() };
    case DW_FORM.exprloc: return { k: 'expr', v: r.block(r.uleb()) };
    case DW_FORM.block1: return { k: 'block', v: r.block(r.u8()) };
    case DW_FORM.block2: return { k: 'block', v: r.block(r.u16()) };
    case DW_FORM.block4: return { k: 'block', v: r.block(r.u32()) };
    case DW_FORM.block: return { k: 'block', v: r.block(r.uleb()) };
    case DW_FORM.flag: return { k: 'flag', v: r.u8() !== 0 };
    case DW_FORM.flag_present: return { k: 'flag', v: true };
    case DW_FORM.indirect: return readForm(r, r.uleb(), ctx);
  }
  throw new DwarfError(`unit at 0x${h.offset.toString(16)}: unknown attribute form 0x${form.toString(16)}`);
}
