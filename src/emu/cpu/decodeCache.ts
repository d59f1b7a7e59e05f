// Pre-decoded code pages. A physical 4 KiB page that is executed gets a CodePage: 1024 executor slots, each
// starting as a stub that decodes its word on first execution and replaces itself with the executor. Writes
// to a code page (which never take the write-TLB fast path) reset the slots they touch to stubs, so
// self-modifying code and loaders see their new instructions. A breakpoint is a slot whose executor stops
// before the instruction: breakpoints cost nothing while running. A compare + B.cond (with up to two ALU
// instructions before) is fused into one executor in its first slot (see fuse and isa/exec/fused.ts).
//
// SMP: the decoded pages and the breakpoints live in a CodeStore shared by every CPU of a machine (executors
// take the CPU as their argument and capture no per-CPU state), so a write by one CPU re-decodes the slots
// for all, and a page that becomes code drops the write-TLB entries of every CPU. Each CPU keeps its own
// DecodeCache front: the page it executes and that page's VA.
import type { Cpu } from './cpu';
import { decode } from '../isa/decoder';
import { HANDLERS } from '../isa/handlers';
import type { Exec } from '../isa/exec/types';
import type { Fields } from '../isa/pattern';
import { STOP } from './exceptions';
import { CPACR_FPEN, CPACR_SLOT, CPTR_SLOT, CPTR_TFP, fpTrapCheck } from './sysregs';
import { fusable, fuseCompareBranch, fuseQuad, fuseTriple, preOp } from '../isa/exec/fused';

export interface CodePage {
  /** Physical address of the page. */
  readonly pa: number;
  /** Host offset of the page in the StateMemory. */
  readonly host: number;
  readonly ops: Exec[];
}

const undef: Exec = (c) => c.undefined();

/** Decoded pages and breakpoints by physical address, shared by the CPUs of a machine. */
export class CodeStore {
  readonly pages = new Map<number, CodePage>();
  /** Physical addresses with a breakpoint. */
  readonly breakpoints = new Set<number>();
  /** The CPUs whose write TLBs must drop a page when it becomes code. */
  readonly cpus: Cpu[] = [];
}

/** Row classes subject to the SIMD&FP access traps (CPACR_EL1.FPEN, CPTR_EL2.TFP); 'crypto' is the class
 * the Advanced SIMD work gives the cryptographic extension's rows. */
const FP_CLASSES: ReadonlySet<string> = new Set(['fp', 'fpldst', 'simd', 'crypto']);

/**
 * The SIMD&FP access trap is decided here, in one place: an FP/SIMD executor is wrapped in a test of
 * CPACR_EL1.FPEN = 0b11 and CPTR_EL2.TFP = 0 (two loads and compares; the usual case, and the process
 * mode's), and only otherwise takes the full check (sysregs.ts fpTrapCheck), which may raise EC 0x07.
 */
function fpGuard(exec: Exec): Exec {
  return (c) => {
    const r = c.r;
    if ((r[CPACR_SLOT] & CPACR_FPEN) !== CPACR_FPEN || (r[CPTR_SLOT] & CPTR_TFP) !== 0) fpTrapCheck(c);
    exec(c);
  };
}

export class DecodeCache {
  private readonly pages: Map<number, CodePage>;
  /** The page pageFor returned last; null once translation changed (the run loop checks it). */
  current: CodePage | null = null;
  private curLo = 1;
  private curHi = 0;
  private readonly breakpoints: Set<number>;
  private readonly store: CodeStore;

  constructor(private readonly cpu: Cpu, store?: CodeStore) {
    this.store = store ?? new CodeStore();
    this.store.cpus.push(cpu);
    this.pages = this.store.pages;
    this.breakpoints = this.store.breakpoints;
  }

  /** The decoded page holding (lo, hi); throws the fetch fault when the PC cannot be fetched. */
  pageFor(lo: number, hi: number): CodePage {
    if ((lo & ~0xfff) === this.curLo && hi === this.curHi && this.current) return this.current;
    if (lo & 3) this.cpu.pcAlignmentFault(lo, hi);
    const host = this.cpu.fetchPage(lo, hi);
    const pa = this.cpu.fetchedPa;
    const ppn = pa / 4096;
    let page = this.pages.get(ppn);
    if (!page) {
      page = this.makePage(pa, host);
      this.pages.set(ppn, page);
      // the page is code now: writes to it, by any CPU, must leave the fast path
      for (const c of this.store.cpus) c.flushWriteTlb();
    }
    this.current = page;
    this.curLo = lo & ~0xfff;
    this.curHi = hi;
    return page;
  }

  /** Forget the VA of the current page (translation changed). */
  forgetCurrent(): void {
    this.current = null;
    this.curLo = 1;
  }

  isCodePage(ppn: number): boolean {
    return this.pages.has(ppn);
  }

  /** A write of `size` bytes at physical `pa` reached the slow path: re-decode the slots it touches. */
  noteWrite(pa: number, size: number): void {
    const page = this.pages.get(Math.floor(pa / 4096));
    if (!page) return;
    const first = (pa % 4096) >>> 2;
    const last = Math.min(1023, ((pa % 4096) + size - 1) >>> 2);
    // the three slots before may head a fused group (isa/exec/fused.ts) that takes in the first slot:
    // re-decode them too
    for (let i = first > 3 ? first - 3 : 0; i <= last; i++) page.ops[i] = this.stub(page, i);
  }

  /** Drops every decoded page (e.g. after loading a new image). */
  clear(): void {
    this.pages.clear();
    this.forgetCurrent();
  }

  setBreakpoint(pa: number): void {
    this.breakpoints.add(pa);
    this.noteWrite(pa, 4);
  }

  clearBreakpoint(pa: number): void {
    this.breakpoints.delete(pa);
    this.noteWrite(pa, 4);
  }

  clearAllBreakpoints(): void {
    const all = [...this.breakpoints];
    this.breakpoints.clear();
    for (const pa of all) this.noteWrite(pa, 4);
  }

  hasBreakpoint(pa: number): boolean {
    return this.breakpoints.has(pa);
  }

  private makePage(pa: number, host: number): CodePage {
    const page: CodePage = { pa, host, ops: new Array<Exec>(1024) };
    for (let i = 0; i < 1024; i++) page.ops[i] = this.stub(page, i);
    return page;
  }

  private stub(page: CodePage, i: number): Exec {
    return (c) => {
      const op = this.decodeSlot(page, i);
      page.ops[i] = op;
      op(c);
    };
  }

  /**
   * Fused groups (isa/exec/fused.ts): a flag-setting compare and a B.cond in the next slot, with one or two
   * plain ADD/SUB/MOV before it, run as one executor in the group's first slot, when no later slot of the
   * group has a breakpoint. Every later slot keeps its own executor for branches landing there; noteWrite
   * re-decodes the three slots before a written one.
   */
  private fuse(page: CodePage, i: number, rowId: string, f: Fields, exec: Exec): Exec {
    const word = (k: number) => (i + k < 1024 ? decode(this.cpu.dv.getUint32(page.host + (i + k) * 4, true)) : null);
    const clear = (k: number) => !this.breakpoints.has(page.pa + (i + k) * 4);
    if (fusable(rowId, f)) {
      const br = word(1);
      if (br === null || br.row.id !== 'B_cond' || !clear(1)) return exec;
      return fuseCompareBranch(rowId, f, br.f, i * 4, exec) ?? exec;
    }
    if (preOp(rowId, f) === null) return exec;
    const w1 = word(1);
    if (w1 === null || !clear(1)) return exec;
    const w2 = word(2);
    if (w2 === null || !clear(2)) return exec;
    if (preOp(w1.row.id, w1.f) !== null) {
      const w3 = word(3);
      if (w3 === null || w3.row.id !== 'B_cond' || !clear(3) || !fusable(w2.row.id, w2.f)) return exec;
      return fuseQuad(rowId, f, w1.row.id, w1.f, w2.row.id, w2.f, w3.f, i * 4, exec) ?? exec;
    }
    if (w2.row.id !== 'B_cond' || !fusable(w1.row.id, w1.f)) return exec;
    return fuseTriple(rowId, f, w1.row.id, w1.f, w2.f, i * 4, exec) ?? exec;
  }

  private decodeSlot(page: CodePage, i: number): Exec {
    const word = this.cpu.dv.getUint32(page.host + i * 4, true);
    const d = decode(word);
    // Feature gating: a row of a feature the CPU model lacks is UNDEFINED on this CPU (rowTypes.ts).
    const ok = d !== null && (d.row.feature === undefined || this.cpu.features.has(d.row.feature));
    let exec = ok ? HANDLERS[d.row.id](d.f, { off: i * 4 }) : undef;
    if (ok && FP_CLASSES.has(d.row.cls)) exec = fpGuard(exec);
    else if (ok) exec = this.fuse(page, i, d.row.id, d.f, exec);
    if (!this.breakpoints.has(page.pa + i * 4)) return exec;
    return (c) => {
      if (c.icount !== c.bpSkipAt) throw STOP;
      exec(c);
    };
  }
}
