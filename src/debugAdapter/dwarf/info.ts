// .debug_info: compile units and their DIE trees, with what the debugger asks of them — a DIE's name,
// type, address ranges (DW_AT_low_pc/high_pc, DW_AT_ranges in .debug_rnglists or DWARF 4 .debug_ranges),
// location lists (.debug_loclists or DWARF 4 .debug_loc) and the indexed forms resolved against the
// unit's bases (.debug_str_offsets, .debug_addr). DebugInfo (debugInfo.ts) builds its indexes on top.

import { DW_AT, DW_FORM, DW_TAG } from './constants';
import { parseAbbrevs, parseUnitHeader, readForm, type Abbrev, type FormContext, type FormValue, type UnitHeader } from './forms';
import { ByteReader, DwarfError, stringAt } from './reader';

/** The sections a reader may use; any of them may be missing. */
export interface DwarfSections {
  info?: Uint8Array;
  abbrev?: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
  line?: Uint8Array;
  strOffsets?: Uint8Array;
  addr?: Uint8Array;
  rnglists?: Uint8Array;
  loclists?: Uint8Array;
  ranges?: Uint8Array;
  loc?: Uint8Array;
  frame?: Uint8Array;
  ehFrame?: Uint8Array;
  /** Load address of .eh_frame (its pointers are PC-relative). */
  ehFrameAddr?: bigint;
}

export interface AddressRange {
  start: bigint;
  end: bigint;
}

export class Die {
  readonly children: Die[] = [];
  constructor(
    readonly unit: Unit,
    readonly offset: number,
    readonly tag: number,
    readonly attrs: Map<number, FormValue>,
    readonly parent: Die | undefined,
  ) {}

  has(at: number): boolean {
    return this.attrs.has(at);
  }

  /** A string attribute (strp, line_strp, strx...), resolved. */
  str(at: number): string | undefined {
    const v = this.attrs.get(at);
    return v ? this.unit.str(v) : undefined;
  }

  /** A constant attribute as a number (unsigned or signed forms). */
  num(at: number): number | undefined {
    const v = this.attrs.get(at);
    if (!v) return undefined;
    if (v.k === 'num' || v.k === 'sig' || v.k === 'sec') return v.v;
    if (v.k === 'big') return Number(BigInt.asIntN(64, v.v));
    if (v.k === 'flag') return v.v ? 1 : 0;
    return undefined;
  }

  flag(at: number): boolean {
    const v = this.attrs.get(at);
    return !!v && v.k === 'flag' && v.v;
  }

  /** A reference attribute: the DIE it points at. */
  ref(at: number): Die | undefined {
    const v = this.attrs.get(at);
    return v && v.k === 'ref' ? this.unit.info.dieAt(v.v) : undefined;
  }

  /** The name, looked for through DW_AT_abstract_origin and DW_AT_specification too. */
  get name(): string | undefined {
    const n = this.str(DW_AT.name);
    if (n !== undefined) return n;
    return (this.ref(DW_AT.abstract_origin) ?? this.ref(DW_AT.specification))?.name;
  }

  /** An attribute of this DIE or of its abstract origin / specification. */
  origin(at: number): Die | undefined {
    if (this.attrs.has(at)) return this;
    const o = this.ref(DW_AT.abstract_origin) ?? this.ref(DW_AT.specification);
    return o && o !== this ? o.origin(at) : undefined;
  }

  /** The type DIE (through the abstract origin); undefined means void. */
  get type(): Die | undefined {
    return this.origin(DW_AT.type)?.ref(DW_AT.type);
  }

  /** Address ranges (empty when the DIE has no code, or when its range list cannot be read: see problems). */
  ranges(): AddressRange[] {
    try {
      return this.unit.ranges(this);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.unit.info.problem(`DIE at 0x${this.offset.toString(16)}: ${e.message}`);
      return [];
    }
  }
}

export class Unit {
  root!: Die;
  strOffsetsBase = 8;
  addrBase = 8;
  rnglistsBase = 0;
  loclistsBase = 0;
  /** DW_AT_low_pc of the unit: the base of its range and location lists. */
  baseAddress = 0n;
  compDir = '';
  name = '';

  constructor(readonly info: InfoReader, readonly header: UnitHeader) {}

  private get offsetSize(): number {
    return this.header.dwarf64 ? 8 : 4;
  }

  str(v: FormValue): string | undefined {
    if (v.k === 'str') return v.v;
    if (v.k !== 'strx') return undefined;
    const s = this.info.sections;
    if (!s.strOffsets) throw new DwarfError('DW_FORM_strx without .debug_str_offsets');
    const r = new ByteReader(s.strOffsets, this.strOffsetsBase + v.v * this.offsetSize);
    return stringAt(s.str, r.offset(this.header.dwarf64), '.debug_str');
  }

  addr(v: FormValue): bigint | undefined {
    if (v.k === 'addr') return v.v;
    if (v.k !== 'addrx') return undefined;
    return this.addrIndex(v.v);
  }

  addrIndex(index: number): bigint {
    const s = this.info.sections;
    if (!s.addr) throw new DwarfError('DW_FORM_addrx without .debug_addr');
    return new ByteReader(s.addr, this.addrBase + index * this.header.addressSize).uN(this.header.addressSize);
  }

  ranges(d: Die): AddressRange[] {
    const lowV = d.attrs.get(DW_AT.low_pc);
    const highV = d.attrs.get(DW_AT.high_pc);
    if (lowV && highV) {
      const low = this.addr(lowV)!;
      const high = highV.k === 'addr' || highV.k === 'addrx' ? this.addr(highV)! : low + BigInt(d.num(DW_AT.high_pc) ?? 0);
      return high > low ? [{ start: low, end: high }] : [];
    }
    const rv = d.attrs.get(DW_AT.ranges);
    if (!rv) return [];
    if (this.header.version >= 5) {
      const off = rv.k === 'rnglistx' ? this.listIndex(this.info.sections.rnglists, this.rnglistsBase, rv.v) : Number(rv.v);
      return this.rnglist(off);
    }
    return this.debugRanges(Number(rv.v));
  }

  /** Offset of entry `index` of a DWARF 5 offsets table (rnglistx / loclistx). */
  private listIndex(section: Uint8Array | undefined, base: number, index: number): number {
    if (!section) throw new DwarfError('list index without its section');
    return base + new ByteReader(section, base + index * this.offsetSize).offset(this.header.dwarf64);
  }

  private rnglist(offset: number): AddressRange[] {
    const s = this.info.sections.rnglists;
    if (!s) throw new DwarfError('DW_AT_ranges without .debug_rnglists');
    const r = new ByteReader(s, offset);
    const out: AddressRange[] = [];
    let base = this.baseAddress;
    const as = this.header.addressSize;
    for (;;) {
      const kind = r.u8();
      switch (kind) {
        case 0: return out.filter((x) => x.end > x.start);
        case 1: base = this.addrIndex(r.uleb()); break;
        case 2: { const a = this.addrIndex(r.uleb()); out.push({ start: a, end: this.addrIndex(r.uleb()) }); break; }
        case 3: { const a = this.addrIndex(r.uleb()); out.push({ start: a, end: a + BigInt(r.uleb()) }); break; }
        case 4: { const a = r.uleb(); out.push({ start: base + BigInt(a), end: base + BigInt(r.uleb()) }); break; }
        case 5: base = r.uN(as); break;
        case 6: { const a = r.uN(as); out.push({ start: a, end: r.uN(as) }); break; }
        case 7: { const a = r.uN(as); out.push({ start: a, end: a + BigInt(r.uleb()) }); break; }
        default: throw new DwarfError(`.debug_rnglists at 0x${offset.toString(16)}: unknown entry kind ${kind}`);
      }
    }
  }

  private debugRanges(offset: number): AddressRange[] {
    const s = this.info.sections.ranges;
    if (!s) throw new DwarfError('DW_AT_ranges without .debug_ranges');
    const r = new ByteReader(s, offset);
    const as = this.header.addressSize;
    const max = as === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    const out: AddressRange[] = [];
    let base = this.baseAddress;
    for (;;) {
      const a = r.uN(as);
      const b = r.uN(as);
      if (a === 0n && b === 0n) return out.filter((x) => x.end > x.start);
      if (a === max) base = b;
      else out.push({ start: base + a, end: base + b });
    }
  }

  /**
   * The location list a DW_AT_location / DW_AT_frame_base value names: [start, end) -> expression. A plain
   * expression (exprloc/block) comes back as one entry covering every address.
   */
  locationList(v: FormValue): { start: bigint; end: bigint; expr: Uint8Array }[] {
    if (v.k === 'expr' || v.k === 'block') return [{ start: 0n, end: 0xffffffffffffffffn, expr: v.v }];
    const as = this.header.addressSize;
    const out: { start: bigint; end: bigint; expr: Uint8Array }[] = [];
    let base = this.baseAddress;
    if (this.header.version >= 5) {
      const s = this.info.sections.loclists;
      if (!s) throw new DwarfError('location list without .debug_loclists');
      const off = v.k === 'loclistx' ? this.listIndex(s, this.loclistsBase, v.v) : Number(v.v);
      const r = new ByteReader(s, off);
      for (;;) {
        const kind = r.u8();
        let start = 0n;
        let end = 0n;
        switch (kind) {
          case 0: return out;
          case 1: base = this.addrIndex(r.uleb()); continue;
          case 2: start = this.addrIndex(r.uleb()); end = this.addrIndex(r.uleb()); break;
          case 3: start = this.addrIndex(r.uleb()); end = start + BigInt(r.uleb()); break;
          case 4: start = base + BigInt(r.uleb()); end = base + BigInt(r.uleb()); break;
          case 5: start = 0n; end = 0xffffffffffffffffn; break;
          case 6: base = r.uN(as); continue;
          case 7: start = r.uN(as); end = r.uN(as); break;
          case 8: start = r.uN(as); end = start + BigInt(r.uleb()); break;
          default: throw new DwarfError(`.debug_loclists at 0x${off.toString(16)}: unknown entry kind ${kind}`);
        }
        out.push({ start, end, expr: r.block(r.uleb()) });
      }
    }
    const s = this.info.sections.loc;
    if (!s) throw new DwarfError('location list without .debug_loc');
    const r = new ByteReader(s, Number(v.v));
    const max = as === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    for (;;) {
      const a = r.uN(as);
      const b = r.uN(as);
      if (a === 0n && b === 0n) return out;
      if (a === max) {
        base = b;
        continue;
      }
      out.push({ start: base + a, end: base + b, expr: r.block(r.u16()) });
    }
  }
}

/** Reads every unit of .debug_info into DIE trees. */
export class InfoReader {
  readonly units: Unit[] = [];
  private readonly dies = new Map<number, Die>();
  dieCount = 0;

  constructor(readonly sections: DwarfSections) {
    const info = sections.info;
    if (!info || !sections.abbrev) return;
    const r = new ByteReader(info);
    const abbrevCache = new Map<number, Map<number, Abbrev>>();
    while (!r.done) {
      const header = parseUnitHeader(r);
      let abbrevs = abbrevCache.get(header.abbrevOffset);
      if (!abbrevs) abbrevCache.set(header.abbrevOffset, (abbrevs = parseAbbrevs(sections.abbrev, header.abbrevOffset)));
      const unit = new Unit(this, header);
      this.readDies(unit, abbrevs, new ByteReader(info, header.dieOffset, header.end));
      this.units.push(unit);
      r.pos = header.end;
    }
  }

  /** Problems met while reading lazily (range lists); the first few are kept. */
  readonly problems: string[] = [];

  problem(message: string): void {
    if (this.problems.length < 20) this.problems.push(message);
  }

  dieAt(offset: number): Die | undefined {
    return this.dies.get(offset);
  }

  private readDies(unit: Unit, abbrevs: Map<number, Abbrev>, r: ByteReader): void {
    const ctx: FormContext = { header: unit.header, str: this.sections.str, lineStr: this.sections.lineStr };
    const stack: Die[] = [];
    while (!r.done) {
      const offset = r.pos;
      const code = r.uleb();
      if (code === 0) {
        stack.pop();
        if (!stack.length) return;
        continue;
      }
      const ab = abbrevs.get(code);
      if (!ab) throw new DwarfError(`DIE at 0x${offset.toString(16)}: abbreviation ${code} is not defined`);
      const attrs = new Map<number, FormValue>();
      for (const a of ab.attrs) attrs.set(a.at, readForm(r, a.form, ctx, a.implicit));
      const parent = stack[stack.length - 1];
      const die = new Die(unit, offset, ab.tag, attrs, parent);
      this.dies.set(offset, die);
      this.dieCount++;
      if (parent) parent.children.push(die);
      else {
        unit.root = die;
        this.setBases(unit, die);
      }
      if (ab.children) stack.push(die);
      else if (!parent) return;
    }
  }

  private setBases(unit: Unit, cu: Die): void {
    const num = (at: number): number | undefined => cu.num(at);
    unit.strOffsetsBase = num(DW_AT.str_offsets_base) ?? unit.strOffsetsBase;
    unit.addrBase = num(DW_AT.addr_base) ?? num(DW_AT.GNU_addr_base) ?? unit.addrBase;
    unit.rnglistsBase = num(DW_AT.rnglists_base) ?? 0;
    unit.loclistsBase = num(DW_AT.loclists_base) ?? 0;
    const low = cu.attrs.get(DW_AT.low_pc);
    unit.baseAddress = (low && unit.addr(low)) ?? 0n;
    unit.compDir = cu.str(DW_AT.comp_dir) ?? '';
    unit.name = cu.str(DW_AT.name) ?? '';
  }
}

export function isType(tag: number): boolean {
  return tag === DW_TAG.base_type || tag === DW_TAG.typedef || tag === DW_TAG.structure_type || tag === DW_TAG.union_type ||
    tag === DW_TAG.enumeration_type || tag === DW_TAG.pointer_type || tag === DW_TAG.array_type || tag === DW_TAG.const_type ||
    tag === DW_TAG.volatile_type;
}

export { DW_FORM };
