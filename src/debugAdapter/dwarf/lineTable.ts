// .debug_line: the line-number programs (DWARF 2-5 headers, with DWARF 5's directory/file entry formats and
// .debug_line_str) run into rows, and the index over all of a file's programs that the debugger asks:
// which source line an address is on (binary search over row ranges sorted by address), whether an
// address starts a statement (is_stmt row), and which addresses a source line's statements begin at.
//
// Sequences that start at address 0 are dropped: in a linked kernel they are functions the linker
// discarded (their relocations resolved to 0), and they would otherwise shadow real code at 0.

import { ByteReader, DwarfError, stringAt } from './reader';

export interface LineRow {
  address: bigint;
  /** Index into the owning program's files (resolved paths). */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  endSequence: boolean;
}

export interface LineProgram {
  offset: number;
  version: number;
  /** File paths by file number; '' for numbers the header does not define. */
  files: string[];
  rows: LineRow[];
}

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

/** Joins a directory and a path the way DWARF means it (an absolute path stands alone). */
export function joinPath(dir: string, name: string): string {
  if (!dir || name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

interface Sections {
  line: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

/** Runs the line program at `offset`; compDir resolves relative directories (DWARF 4 directory 0). */
export function parseLineProgram(s: Sections, offset: number, compDir: string, addressSize = 8): LineProgram {
  const r = new ByteReader(s.line, offset);
  const { dwarf64, end } = r.initialLength();
  const version = r.u16();
  if (version < 2 || version > 5) throw new DwarfError(`line program at 0x${offset.toString(16)}: version ${version}`);
  if (version >= 5) {
    addressSize = r.u8();
    r.u8(); // segment selector size
  }
  const headerLength = r.offset(dwarf64);
  const programStart = r.pos + headerLength;
  const minInst = r.u8();
  const maxOps = version >= 4 ? r.u8() : 1;
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  const stdLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) stdLengths.push(r.u8());
  if (lineRange === 0) throw new DwarfError(`line program at 0x${offset.toString(16)}: line_range is 0`);

  const files: string[] = [];
  if (version >= 5) {
    const entries = (): { path: string; dir: number }[] => {
      const formats: [number, number][] = [];
      const nFormats = r.u8();
      for (let i = 0; i < nFormats; i++) formats.push([r.uleb(), r.uleb()]);
      const count = r.uleb();
      const out: { path: string; dir: number }[] = [];
      for (let i = 0; i < count; i++) {
        let path = '';
        let dir = 0;
        for (const [type, form] of formats) {
          const v = readLineForm(r, form, dwarf64, s);
          if (type === DW_LNCT_path) path = String(v);
          else if (type === DW_LNCT_directory_index) dir = Number(v);
        }
        out.push({ path, dir });
      }
      return out;
    };
    const dirs = entries().map((d) => d.path);
    const base = (dirs[0] ?? compDir) || compDir;
    const absDirs = dirs.map((d, i) => (i === 0 ? base : joinPath(base, d)));
    for (const f of entries()) files.push(joinPath(absDirs[f.dir] ?? base, f.path));
  } else {
    const dirs = [compDir];
    for (;;) {
      const d = r.cstr();
      if (!d) break;
      dirs.push(joinPath(compDir, d));
    }
    files.push('');
    for (;;) {
      const name = r.cstr();
      if (!name) break;
      const dir = r.uleb();
      r.uleb();
      r.uleb();
      files.push(joinPath(dirs[dir] ?? compDir, name));
    }
  }

  r.pos = programStart;
  const rows: LineRow[] = [];
  let seq: LineRow[] = [];
  let address = 0n;
  let opIndex = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  const reset = (): void => {
    address = 0n; opIndex = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt;
  };
  const emit = (endSequence: boolean): void => {
    seq.push({ address, file, line, column, isStmt, endSequence });
    if (endSequence) {
      if (seq[0]!.address !== 0n) for (const row of seq) rows.push(row);
      seq = [];
    }
  };
  const advance = (opAdvance: number): void => {
    if (maxOps <= 1) {
      address += BigInt(minInst * opAdvance);
    } else {
      const total = opIndex + opAdvance;
      address += BigInt(minInst * Math.floor(total / maxOps));
      opIndex = total % maxOps;
    }
  };
  while (r.pos < end) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      advance(Math.floor(adj / lineRange));
      line += lineBase + (adj % lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const next = r.pos + len;
        const sub = len ? r.u8() : 0;
        if (sub === 1) {
          emit(true);
          reset();
        } else if (sub === 2) {
          address = r.uN(Math.min(addressSize, len - 1));
          opIndex = 0;
        } else if (sub === 3 && version < 5) {
          const name = r.cstr();
          const dir = r.uleb();
          files.push(joinPath(dir === 0 ? compDir : '', name));
        }
        r.pos = next;
        break;
      }
      case 1: emit(false); break;
      case 2: advance(r.uleb()); break;
      case 3: line += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 5: column = r.uleb(); break;
      case 6: isStmt = !isStmt; break;
      case 7: break;
      case 8: advance(Math.floor((255 - opcodeBase) / lineRange)); break;
      case 9: address += BigInt(r.u16()); opIndex = 0; break;
      case 10: case 11: break;
      case 12: r.uleb(); break;
      default:
        for (let i = 0; i < (stdLengths[op] ?? 0); i++) r.uleb();
    }
  }
  return { offset, version, files, rows };
}

function readLineForm(r: ByteReader, form: number, dwarf64: boolean, s: Sections): string | number {
  switch (form) {
    case 0x08: return r.cstr(); // string
    case 0x1f: return stringAt(s.lineStr, r.offset(dwarf64), '.debug_line_str'); // line_strp
    case 0x0e: return stringAt(s.str, r.offset(dwarf64), '.debug_str'); // strp
    case 0x0b: return r.u8(); // data1
    case 0x05: return r.u16(); // data2
    case 0x06: return r.u32(); // data4
    case 0x07: return r.u64n(); // data8
    case 0x0f: return r.uleb(); // udata
    case 0x1e: r.skip(16); return 0; // data16 (MD5)
    case 0x09: r.skip(r.uleb()); return 0; // block
  }
  throw new DwarfError(`line table: unsupported entry form 0x${form.toString(16)}`);
}

/** One address range of the line table: [start, end) is on `line` of `file`. */
export interface LineRange {
  start: bigint;
  end: bigint;
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
}

/** Every program's rows as ranges sorted by address, and per source file the statement starts by line. */
export class LineIndex {
  readonly ranges: LineRange[] = [];
  /** path -> line -> statement start addresses (ascending). */
  private readonly byFile = new Map<string, Map<number, bigint[]>>();
  private stmtStarts = new Set<bigint>();
  private stmts: { file: string; line: number; address: bigint }[] = [];
  rowCount = 0;

  /**
   * Adds a program's rows. Several rows at one address (GCC emits them at -O2: "line 61, line 62, then
   * line 63 not a statement", all at one PC) make one range, named by the last is_stmt row among them (or
   * the last row when none is a statement), as GDB shows it; every is_stmt row still counts as a
   * statement start of its line, so a breakpoint on any of those lines binds to that address.
   */
  add(p: LineProgram): void {
    const rows = p.rows;
    this.rowCount += rows.length;
    let i = 0;
    while (i < rows.length) {
      const first = rows[i]!;
      if (first.endSequence) {
        i++;
        continue;
      }
      let j = i;
      let pick = first;
      for (; j < rows.length && rows[j]!.address === first.address && !rows[j]!.endSequence; j++) {
        const row = rows[j]!;
        if (row.isStmt || !pick.isStmt) pick = row;
        if (row.isStmt && row.line !== 0) this.stmts.push({ file: p.files[row.file] ?? '', line: row.line, address: row.address });
      }
      const next = rows[j];
      if (next && next.address > first.address) {
        this.ranges.push({ start: first.address, end: next.address, file: p.files[pick.file] ?? '', line: pick.line, column: pick.column, isStmt: pick.isStmt });
      }
      i = j;
    }
  }

  /** Sorts the ranges and builds the per-line lookup; call once after the last add. */
  finish(): void {
    this.ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (const r of this.stmts) {
      this.stmtStarts.add(r.address);
      let lines = this.byFile.get(r.file);
      if (!lines) this.byFile.set(r.file, (lines = new Map()));
      const list = lines.get(r.line);
      if (!list) lines.set(r.line, [r.address]);
      else if (!list.includes(r.address)) list.push(r.address);
    }
    this.stmts = [];
    for (const lines of this.byFile.values()) for (const list of lines.values()) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The range covering an address, or undefined. */
  find(address: bigint): LineRange | undefined {
    const i = this.indexOf(address);
    return i < 0 ? undefined : this.ranges[i];
  }

  /** The index in `ranges` of the range covering an address, or -1. */
  indexOf(address: bigint): number {
    const rs = this.ranges;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid]!;
      if (address < r.start) hi = mid - 1;
      else if (address >= r.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** Whether an address is where an is_stmt row starts. */
  isStatementStart(address: bigint): boolean {
    return this.stmtStarts.has(address);
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  /**
   * The statement starts of `line` in `file`, or of the next line below it that has code (DAP then reports
   * the line actually bound). Undefined when no line at or after it has code.
   */
  lineAddresses(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    const lines = this.byFile.get(file);
    if (!lines) return undefined;
    let best: number | undefined;
    for (const l of lines.keys()) if (l >= line && (best === undefined || l < best)) best = l;
    return best === undefined ? undefined : { line: best, addresses: lines.get(best)! };
  }
}
