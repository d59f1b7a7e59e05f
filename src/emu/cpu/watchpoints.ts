// Watchpoints (data breakpoints): stop a CPU when an instruction reads or writes a watched byte range. Used
// by the GDB stub (Z2/Z3/Z4) and the debug adapter's data breakpoints, through Machine.setWatchpoints.
//
// Zero cost for code that does not touch a watched page: a page holding a read (or access) watchpoint is
// never entered in the CPU's read TLB table, one holding a write (or access) watchpoint never in its write
// table (Cpu.fill asks `blocksFill`), so every access to such a page takes the slow path, and only the slow
// paths call `check`. The run loop and the fast paths are unchanged; accesses to other pages stay on the
// fast path. The check is done per 4 KiB page with in-page offsets (plain numbers, no BigInt).
//
// When the stop happens: BEFORE the accessing instruction retires, as Arm hardware watchpoints do and as
// QEMU's gdbstub behaves (measured with QEMU 7.2 and gdb-multiarch 13: the T05 watch stop arrives with PC at
// the store, its destination register not yet written). `check` throws the STOP sentinel ahead of the
// access that hits, so memory still holds the old value, PC is the accessing instruction and icount has not
// moved. GDB's AArch64 target expects exactly this (its watchpoints are "non-steppable": it removes them,
// single-steps the instruction, reinserts them and compares old and new values); the debug adapter shows
// the writing instruction itself. Resuming re-executes the instruction whole; Machine.run/step skip the
// watchpoints of the first instruction they execute (Cpu.bpSkipAt, as breakpoints do) unless told not to.
// Consequences of "before", all CONSTRAINED to this debugger feature (the guest cannot observe them):
// - an instruction with several accesses (LDP/STP, DC ZVA, LSE atomics, pages crossed) may have made its
//   earlier accesses before the one that hits; they are made again when it is re-executed. For RAM that is
//   invisible (same values are stored again, reads have no side effects); a watchpoint on a device page may
//   repeat a device access (documented limitation).
// - a store-exclusive (STXR/STXP) probes its watchpoints before it consults the exclusive monitor
//   (isa/exec/atomics.ts), so a hit does not consume the reservation and the re-executed STXR succeeds.
//
// Addresses are virtual, compared with the address the instruction computes, after the alignment check
// and before translation: an alignment fault of the access is taken first, a watchpoint before any MMU
// fault of the same access (the order of the Arm ARM's prioritization of synchronous exceptions). With the MMU (system-model work) physical watchpoints will be a second table of
// the same shape keyed by physical page: `blocksFill` then also receives the PA the fill translated to and
// `check` runs after translation on the slow path; virtual ones stay as they are, and the TLB must be
// flushed whenever the watch list changes (Machine.setWatchpoints does it now).
import type { Cpu } from './cpu';
import { STOP } from './exceptions';

export type WatchKind = 'read' | 'write' | 'access';

export interface Watchpoint {
  /** First watched byte (virtual address). */
  readonly address: bigint;
  /** Bytes watched, 1 or more. */
  readonly length: number;
  readonly kind: WatchKind;
}

/** What a CPU was doing when a watchpoint stopped it. */
export interface WatchHit {
  /** The watchpoint, as it was set. */
  readonly watch: Watchpoint;
  /** The first watched byte the access touches (GDB reports this address in its stop reply). */
  readonly address: bigint;
  /** Start and size of the access itself. */
  readonly accessAddress: bigint;
  readonly accessSize: number;
  readonly access: 'read' | 'write';
  /** Address of the accessing instruction (not retired: PC is still there). */
  readonly pc: bigint;
}

const READ = 1;
const WRITE = 2;
const MASK: Record<WatchKind, number> = { read: READ, write: WRITE, access: READ | WRITE };

/** One watchpoint's share of one page: byte offsets [start, end) within the page. */
interface Segment {
  readonly start: number;
  readonly end: number;
  readonly mask: number;
  readonly watch: Watchpoint;
  /** Virtual address of the page (for reporting). */
  readonly page: bigint;
}

/** Exact key of a 4 KiB virtual page: VA >> 12 (< 2^52, so a double holds it exactly). */
function pageKey(lo: number, hi: number): number {
  return (hi >>> 0) * 0x100000 + (lo >>> 12);
}

const PAGE_LIMIT = 1 << 16;

export class Watchpoints {
  private readonly pages = new Map<number, Segment[]>();
  /** Pages kept off the read / write TLB tables. */
  private readonly readPages = new Set<number>();
  private readonly writePages = new Set<number>();
  /** Last hit per CPU index, taken by the machine when it translates the stop. */
  private readonly hits = new Map<number, WatchHit>();
  readonly list: readonly Watchpoint[];
  /**
   * Set while the machine accesses guest memory on the guest's behalf (semihosting calls): those accesses
   * do not hit, as in QEMU, whose semihosting reads guest memory through its debug path. A hit there
   * would also repeat the call's host side effects (console input consumed) when the HLT re-executes.
   */
  suspended = false;

  constructor(list: readonly Watchpoint[]) {
    for (const w of list) {
      if (!Number.isInteger(w.length) || w.length < 1) throw new Error(`watchpoint at 0x${w.address.toString(16)}: length must be a positive integer (got ${w.length})`);
      if (!(w.kind in MASK)) throw new Error(`watchpoint at 0x${w.address.toString(16)}: kind must be read, write or access (got ${String(w.kind)})`);
      if (w.address < 0n || w.address + BigInt(w.length) > 1n << 64n) throw new Error(`watchpoint at 0x${w.address.toString(16)}: range outside the 64-bit address space`);
      const first = w.address >> 12n;
      const last = (w.address + BigInt(w.length) - 1n) >> 12n;
      if (last - first >= BigInt(PAGE_LIMIT)) throw new Error(`watchpoint at 0x${w.address.toString(16)}: ${w.length} bytes is too large (at most ${PAGE_LIMIT} pages)`);
      const mask = MASK[w.kind];
      for (let p = first; p <= last; p++) {
        const base = p << 12n;
        const start = p === first ? Number(w.address - base) : 0;
        const end = p === last ? Number(w.address + BigInt(w.length) - base) : 4096;
        const key = Number(p);
        let segs = this.pages.get(key);
        if (!segs) this.pages.set(key, (segs = []));
        segs.push({ start, end, mask, watch: w, page: base });
        if (mask & READ) this.readPages.add(key);
        if (mask & WRITE) this.writePages.add(key);
      }
    }
    this.list = list.slice();
  }

  get empty(): boolean {
    return this.pages.size === 0;
  }

  /** Whether the page of (lo, hi) must stay out of the read (write = false) or write TLB table. */
  blocksFill(lo: number, hi: number, write: boolean): boolean {
    return (write ? this.writePages : this.readPages).has(pageKey(lo, hi));
  }

  /**
   * Called by the slow paths before an access of `size` bytes at (lo, hi). Throws STOP (the run loop stops
   * with PC at the instruction) when the access touches a watched byte, unless this instruction resumes
   * from a stop (cpu.icount === cpu.bpSkipAt).
   */
  check(cpu: Cpu, lo: number, hi: number, size: number, write: boolean): void {
    if (this.suspended) return;
    const set = write ? this.writePages : this.readPages;
    const off = lo & 0xfff;
    const key = pageKey(lo, hi);
    let hit = set.has(key) ? this.match(key, off, Math.min(off + size, 4096), write) : undefined;
    if (!hit && off + size > 4096) {
      // the access crosses into the next page
      const lo2 = ((lo & ~0xfff) + 0x1000) | 0;
      const hi2 = (hi + (lo2 === 0 ? 1 : 0)) | 0;
      const key2 = pageKey(lo2, hi2);
      if (set.has(key2)) hit = this.match(key2, 0, off + size - 4096, write);
    }
    if (!hit || cpu.icount === cpu.bpSkipAt) return;
    const accessAddress = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    this.hits.set(cpu.index, {
      watch: hit.watch,
      address: hit.address,
      accessAddress,
      accessSize: size,
      access: write ? 'write' : 'read',
      pc: 0n, // filled in by takeHit from the stopped CPU's PC
    });
    throw STOP;
  }

  /** The segment of page `key` that [start, end) overlaps for this access direction, and the first byte. */
  private match(key: number, start: number, end: number, write: boolean): { watch: Watchpoint; address: bigint } | undefined {
    const need = write ? WRITE : READ;
    for (const s of this.pages.get(key)!) {
      if ((s.mask & need) && s.start < end && start < s.end) {
        return { watch: s.watch, address: s.page + BigInt(Math.max(s.start, start)) };
      }
    }
    return undefined;
  }

  /** The hit that stopped CPU `index`, if its last stop was a watchpoint (consumed); pc is the CPU's PC. */
  takeHit(index: number, pc: bigint): WatchHit | undefined {
    const h = this.hits.get(index);
    if (!h) return undefined;
    this.hits.delete(index);
    return { ...h, pc };
  }
}
