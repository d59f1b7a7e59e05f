// The debugger's view of one ELF file's DWARF: built once at launch from its sections, then asked by PC,
// by source line and by name. Indexes are sorted arrays with binary search (functions and compile units
// by address, line ranges by address, statement starts by file and line) so a kernel with thousands of
// functions answers each question in O(log n). Loading never throws: a file without DWARF or with a
// table this reader does not understand gives a DebugInfo that knows less, plus a note saying why.

import { DW_AT, DW_TAG } from './constants';
import { cfiRows, findFde, parseCfi, type CfiRow, type Fde } from './frames';
import { Die, InfoReader, type AddressRange, type DwarfSections, type Unit } from './info';
import { LineIndex, parseLineProgram } from './lineTable';

export interface FunctionEntry {
  start: bigint;
  end: bigint;
  die: Die;
}

/** ELF section name -> DwarfSections field. */
const SECTION_NAMES: Record<string, keyof DwarfSections> = {
  '.debug_info': 'info', '.debug_abbrev': 'abbrev', '.debug_str': 'str', '.debug_line_str': 'lineStr',
  '.debug_line': 'line', '.debug_str_offsets': 'strOffsets', '.debug_addr': 'addr', '.debug_rnglists': 'rnglists',
  '.debug_loclists': 'loclists', '.debug_ranges': 'ranges', '.debug_loc': 'loc', '.debug_frame': 'frame',
  '.eh_frame': 'ehFrame',
};

export interface ElfSectionBytes {
  name: string;
  addr: bigint;
  data: Uint8Array;
}

export function sectionsOf(list: ElfSectionBytes[]): DwarfSections {
  const s: DwarfSections = {};
  for (const sec of list) {
    const key = SECTION_NAMES[sec.name];
    if (!key || !sec.data.length) continue;
    (s as Record<string, unknown>)[key] = sec.data;
    if (key === 'ehFrame') s.ehFrameAddr = sec.addr;
  }
  return s;
}

export class DebugInfo {
  readonly lines = new LineIndex();
  readonly functions: FunctionEntry[] = [];
  readonly notes: string[] = [];
  private info?: InfoReader;
  private unitRanges: { start: bigint; end: bigint; unit: Unit }[] = [];
  private debugFrame: Fde[] = [];
  private ehFrame: Fde[] = [];
  private globalsByName?: Map<string, Die>;
  private readonly filesOfUnit = new Map<Unit, string[]>();
  private typesByName?: Map<string, Die>;

  constructor(readonly sections: DwarfSections) {
    const step = (what: string, f: () => void): void => {
      try {
        f();
      } catch (e) {
        this.notes.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    step('.debug_info', () => {
      this.info = new InfoReader(sections);
    });
    for (const unit of this.info?.units ?? []) {
      step(`unit at 0x${unit.header.offset.toString(16)}`, () => this.indexUnit(unit));
    }
    this.lines.finish();
    const byStart = (a: { start: bigint }, b: { start: bigint }): number => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
    this.functions.sort(byStart);
    this.unitRanges.sort(byStart);
    if (sections.frame) step('.debug_frame', () => { this.debugFrame = parseCfi(sections.frame!, false); });
    if (sections.ehFrame) step('.eh_frame', () => { this.ehFrame = parseCfi(sections.ehFrame!, true, sections.ehFrameAddr ?? 0n); });
  }

  get hasLines(): boolean {
    return this.lines.ranges.length > 0;
  }

  get units(): Unit[] {
    return this.info?.units ?? [];
  }

  get dieCount(): number {
    return this.info?.dieCount ?? 0;
  }

  get fdeCount(): number {
    return this.debugFrame.length + this.ehFrame.length;
  }

  private indexUnit(unit: Unit): void {
    const root = unit.root;
    if (!root) return;
    for (const r of root.ranges()) this.unitRanges.push({ ...r, unit });
    const stmt = root.num(DW_AT.stmt_list);
    if (stmt !== undefined && this.sections.line) {
      const program = parseLineProgram({ line: this.sections.line, str: this.sections.str, lineStr: this.sections.lineStr }, stmt, unit.compDir, unit.header.addressSize);
      this.filesOfUnit.set(unit, program.files);
      this.lines.add(program);
    }
    const walk = (d: Die): void => {
      for (const c of d.children) {
        if (c.tag === DW_TAG.subprogram) {
          for (const r of c.ranges()) this.functions.push({ start: r.start, end: r.end, die: c });
        } else if (c.tag === DW_TAG.namespace || c.tag === DW_TAG.lexical_block) walk(c);
      }
    };
    walk(root);
  }

  private readonly locListUnits = new Map<Unit, boolean>();

  /** Whether any variable or parameter of a unit has a location list (GCC emits them when optimising). */
  unitHasLocationLists(unit: Unit): boolean {
    let v = this.locListUnits.get(unit);
    if (v === undefined) {
      v = false;
      const stack = [unit.root];
      while (stack.length && !v) {
        const d = stack.pop()!;
        const loc = d.attrs.get(DW_AT.location);
        if (loc && (loc.k === 'sec' || loc.k === 'loclistx')) v = true;
        for (const c of d.children) stack.push(c);
      }
      this.locListUnits.set(unit, v);
    }
    return v;
  }

  /** The file names of a unit's line program, by file number (DW_AT_decl_file, DW_AT_call_file). */
  unitFiles(unit: Unit): string[] {
    return this.filesOfUnit.get(unit) ?? [];
  }

  /** The (outermost, not inlined) function whose code covers pc. */
  functionAt(pc: bigint): FunctionEntry | undefined {
    return search(this.functions, pc);
  }

  unitAt(pc: bigint): Unit | undefined {
    return search(this.unitRanges, pc)?.unit ?? this.functionAt(pc)?.die.unit;
  }

  /**
   * The chain of scopes at pc, outermost first: the function, then each lexical block and inlined call
   * (DW_TAG_inlined_subroutine) whose ranges cover pc.
   */
  scopesAt(pc: bigint): Die[] {
    const fn = this.functionAt(pc);
    if (!fn) return [];
    const chain = [fn.die];
    let d = fn.die;
    for (;;) {
      const inner = d.children.find((c) => (c.tag === DW_TAG.lexical_block || c.tag === DW_TAG.inlined_subroutine) && covers(c.ranges(), pc));
      if (!inner) return chain;
      chain.push(inner);
      d = inner;
    }
  }

  /** The CFI row at pc (from .debug_frame, else .eh_frame), or undefined where no FDE covers pc. */
  cfiAt(pc: bigint): CfiRow | undefined {
    const fde = findFde(this.debugFrame, pc) ?? findFde(this.ehFrame, pc);
    return fde ? cfiRows(fde, pc)[0] : undefined;
  }

  /** Every FDE (tests compare them with readelf). */
  allFdes(): Fde[] {
    return [...this.debugFrame, ...this.ehFrame];
  }

  /** A global (CU-level) variable by name, preferring the unit that covers `pc`. */
  globalVariable(name: string, pc?: bigint): Die | undefined {
    const unit = pc !== undefined ? this.unitAt(pc) : undefined;
    if (unit) {
      const d = unit.root.children.find((c) => c.tag === DW_TAG.variable && c.name === name && hasLocation(c));
      if (d) return d;
    }
    if (!this.globalsByName) {
      this.globalsByName = new Map();
      for (const u of this.units) {
        for (const c of u.root?.children ?? []) {
          if (c.tag !== DW_TAG.variable || !hasLocation(c)) continue;
          const n = c.name;
          if (n && !this.globalsByName.has(n)) this.globalsByName.set(n, c);
        }
      }
    }
    return this.globalsByName.get(name);
  }

  /** The variables of a compile unit that have storage (the Globals scope). */
  unitVariables(unit: Unit): Die[] {
    return (unit.root?.children ?? []).filter((c) => c.tag === DW_TAG.variable && hasLocation(c) && c.name !== undefined);
  }

  /** A type by its C spelling: 'int', 'uint32_t', 'struct point', 'union word', 'enum color'. */
  typeByName(spelled: string): Die | undefined {
    if (!this.typesByName) {
      this.typesByName = new Map();
      const prefix: Record<number, string> = {
        [DW_TAG.structure_type]: 'struct ', [DW_TAG.union_type]: 'union ', [DW_TAG.enumeration_type]: 'enum ',
        [DW_TAG.base_type]: '', [DW_TAG.typedef]: '',
      };
      for (const u of this.units) {
        for (const c of u.root?.children ?? []) {
          const p = prefix[c.tag];
          const n = c.str(DW_AT.name);
          if (p === undefined || n === undefined || c.flag(DW_AT.declaration)) continue;
          const key = p + n;
          if (!this.typesByName.has(key)) this.typesByName.set(key, c);
        }
      }
    }
    return this.typesByName.get(spelled.replace(/\s+/g, ' ').trim());
  }
}

function hasLocation(d: Die): boolean {
  return d.has(DW_AT.location) || d.has(DW_AT.const_value) || !!d.ref(DW_AT.specification);
}

export function covers(ranges: AddressRange[], pc: bigint): boolean {
  return ranges.some((r) => pc >= r.start && pc < r.end);
}

function search<T extends { start: bigint; end: bigint }>(list: T[], pc: bigint): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start <= pc) lo = mid + 1;
    else hi = mid - 1;
  }
  const e = list[hi];
  return e && pc < e.end ? e : undefined;
}
