// The kernel's source-level information as the session uses it: DWARF (dwarf/debugInfo.ts) with every
// file name resolved to an absolute, normalised path (relative compilation directories are taken relative
// to the kernel file's folder, as `-ffile-prefix-map=$(CURDIR)=.` builds leave them), and the questions
// the DAP requests ask: the source line of an address, the addresses a source line binds to, where a
// function's prologue ends, and the plan of a source-line step.

import { dirname, isAbsolute, normalize, resolve } from 'node:path';
import type { LineStepPlan, TargetSection } from './debugTarget';
import { DW_AT } from './dwarf/constants';
import { DebugInfo, sectionsOf } from './dwarf/debugInfo';
import type { Die } from './dwarf/info';
import type { LineRange } from './dwarf/lineTable';

/** Instructions one source step may single-step before it gives up and stops where it is. */
const MAX_LINE_STEP = 5_000_000;

export interface SourceLine {
  path: string;
  line: number;
  column: number;
}

export class SourceInfo {
  readonly dwarf: DebugInfo;
  /** DWARF path -> absolute path, and back (breakpoints come with absolute paths). */
  private readonly toAbs = new Map<string, string>();
  private readonly fromAbs = new Map<string, string[]>();

  constructor(sections: TargetSection[], kernelPath: string) {
    this.dwarf = new DebugInfo(sectionsOf(sections));
    const base = dirname(kernelPath);
    for (const f of this.dwarf.lines.files()) {
      const abs = normalize(isAbsolute(f) ? f : resolve(base, f));
      this.toAbs.set(f, abs);
      const key = pathKey(abs);
      const list = this.fromAbs.get(key);
      if (list) list.push(f);
      else this.fromAbs.set(key, [f]);
    }
  }

  get hasLines(): boolean {
    return this.dwarf.hasLines;
  }

  /** A one-line summary for the debug console. */
  summary(): string {
    const d = this.dwarf;
    const notes = d.notes.length ? ` (problems: ${d.notes.join('; ')})` : '';
    return `DWARF: ${d.units.length} compile units, ${d.functions.length} functions, ${d.dieCount} DIEs, ${d.lines.rowCount} line rows, ${d.fdeCount} FDEs${notes}`;
  }

  absolute(dwarfPath: string): string {
    return this.toAbs.get(dwarfPath) ?? dwarfPath;
  }

  /** The line-table range at an address. */
  range(pc: bigint): LineRange | undefined {
    return this.dwarf.lines.find(pc);
  }

  lineAt(pc: bigint): SourceLine | undefined {
    const r = this.dwarf.lines.find(pc);
    if (!r || r.line === 0) return undefined;
    return { path: this.absolute(r.file), line: r.line, column: r.column };
  }

  /**
   * The addresses a source line binds to: the statement starts of that line (or of the next line with
   * code), one per innermost block — the lowest — as GDB picks them. An address that is a
   * function's entry moves past the prologue (GDB does the same), and the line reported is then the line
   * there.
   */
  bind(path: string, line: number): { line: number; addresses: bigint[] } | undefined {
    let best: { line: number; addresses: bigint[] } | undefined;
    for (const f of this.fromAbs.get(pathKey(normalize(path))) ?? []) {
      const r = this.dwarf.lines.lineAddresses(f, line);
      if (r && (!best || r.line < best.line)) best = { line: r.line, addresses: [...r.addresses] };
      else if (r && best && r.line === best.line) best.addresses.push(...r.addresses);
    }
    if (!best) return undefined;
    const seen = new Set<string>();
    const out: bigint[] = [];
    let boundLine = best.line;
    for (const a of best.addresses.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
      // One location per innermost block (lexical block, inlined call or function), as GDB's linespec
      // filters them.
      const scopes = this.dwarf.scopesAt(a);
      const block = scopes[scopes.length - 1];
      const key = block ? String(block.offset) : `@${a}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const past = this.stopAddress(a);
      if (past !== a) boundLine = this.range(past)?.line ?? boundLine;
      out.push(past);
    }
    return { line: boundLine, addresses: out };
  }

  /**
   * The statement ranges of the line at pc inside its function: where a step of that line runs, and
   * where stepInTargets looks for calls.
   */
  lineRanges(pc: bigint): { start: bigint; end: bigint }[] {
    const here = this.range(pc);
    const fn = this.dwarf.functionAt(pc);
    if (!here || !fn) return [];
    const out: { start: bigint; end: bigint }[] = [];
    const all = this.dwarf.lines.ranges;
    let i = this.dwarf.lines.indexOf(fn.start);
    if (i < 0) i = this.dwarf.lines.indexOf(pc);
    for (; i < all.length && all[i]!.start < fn.end; i++) {
      const r = all[i]!;
      if (r.start < fn.start || r.line !== here.line || r.file !== here.file) continue;
      const last = out[out.length - 1];
      if (last && last.end === r.start) last.end = r.end;
      else out.push({ start: r.start, end: r.end });
    }
    return out;
  }

  /** Where an inlined call was made (DW_AT_call_file / DW_AT_call_line of a DW_TAG_inlined_subroutine). */
  callSite(inl: Die): SourceLine | undefined {
    const line = inl.num(DW_AT.call_line);
    const file = inl.num(DW_AT.call_file);
    if (line === undefined || file === undefined) return undefined;
    const path = this.dwarf.unitFiles(inl.unit)[file];
    return path ? { path: this.absolute(path), line, column: inl.num(DW_AT.call_column) ?? 0 } : undefined;
  }

  /**
   * Where a breakpoint on a function's entry, or a step into it, stops: past the prologue (postPrologue),
   * except in compile units with location lists, whose variables are described at every instruction —
   * GDB (symtab.c, "locations_valid") does not skip prologues there either, and neither do we.
   */
  stopAddress(entry: bigint): bigint {
    const fn = this.dwarf.functionAt(entry);
    if (!fn || fn.start !== entry || this.dwarf.unitHasLocationLists(fn.die.unit)) return entry;
    return this.postPrologue(entry) ?? entry;
  }

  /** The name of the function at pc (DWARF), innermost inlined call first. */
  functionName(pc: bigint): string | undefined {
    return this.dwarf.functionAt(pc)?.die.name;
  }

  /**
   * Where a function's prologue ends: the first statement start inside it whose line differs from its
   * entry's (GDB's rule without prologue_end markers); undefined when there is none.
   */
  postPrologue(entry: bigint): bigint | undefined {
    const fn = this.dwarf.functionAt(entry);
    if (!fn || fn.start !== entry) return undefined;
    const first = this.dwarf.lines.find(entry);
    if (!first) return undefined;
    const ranges = this.dwarf.lines.ranges;
    let i = this.dwarf.lines.indexOf(entry);
    for (i++; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (r.start >= fn.end) return undefined;
      if (r.isStmt && r.line !== 0 && r.line !== first.line) return r.start;
    }
    return undefined;
  }

  /**
   * The plan of a source-line step from pc (see LineStepPlan): it stops at the first statement start of
   * a different line (or of the same line in another function, for recursion), steps over calls when
   * `over`, and when a step in enters a function it stops after that function's prologue, or runs the
   * call to its return when the function has no line information.
   */
  stepPlan(pc: bigint, over: boolean, into?: bigint): LineStepPlan {
    const start = this.range(pc);
    const startFn = this.dwarf.functionAt(pc);
    let prologueEnd: bigint | undefined;
    let prologueFn: { start: bigint; end: bigint } | undefined;
    const lines = this.dwarf.lines;
    return {
      overCalls: over,
      maxInstructions: MAX_LINE_STEP,
      decide: (at, enteredCall) => {
        if (prologueEnd !== undefined) {
          if (at === prologueEnd) return 'stop';
          if (prologueFn && at >= prologueFn.start && at < prologueFn.end) return 'step';
          prologueEnd = undefined;
        }
        const r = lines.find(at);
        if (!r || r.line === 0) return enteredCall ? 'return' : 'step';
        if (enteredCall) {
          // Step into a chosen target (stepInTargets): any other call runs to its return.
          if (into !== undefined && at !== into) return 'return';
          const p = this.stopAddress(at);
          if (p === at) return 'stop';
          prologueEnd = p;
          prologueFn = this.dwarf.functionAt(at);
          return 'step';
        }
        const sameFn = this.dwarf.functionAt(at) === startFn;
        if (start && sameFn && r.file === start.file && r.line === start.line) return 'step';
        return lines.isStatementStart(at) ? 'stop' : 'step';
      },
    };
  }
}

/** Paths compare case-insensitively on Windows and macOS file systems' usual settings; exactly elsewhere. */
function pathKey(p: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p;
}
