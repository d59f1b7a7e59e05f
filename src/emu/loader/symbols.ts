// Symbol lookup for the debugger and disassembler: name -> symbol, and address -> `name+0x10` the way
// objdump prints `<name+0x10>`. Built once from a loaded image's symbols into arrays sorted by address;
// each query is a binary search (O(log n)), so symbolizing every line of a disassembly view is cheap.
//
// Choices made here:
//  - Code addresses resolve to the nearest preceding function symbol (STT_FUNC, STT_GNU_IFUNC) or untyped
//    label (STT_NOTYPE: hand-written assembly often has `_start:` without `.type`, and bare-metal users
//    write a lot of it). AArch64 mapping symbols ($x, $d, $x.<n>, ...), absolute symbols, sections and
//    files are ignored. When several symbols share an address, a function beats a label, then global beats
//    weak beats local, then the larger size, then the alphabetically first name.
//  - A sized symbol (st_size > 0) only covers [value, value + size): past its end the address is not
//    attributed to it (undefined is returned), unlike objdump, which would print <name+0x...> anyway.
//    Only the nearest preceding symbol is considered, so an address past the end of a small symbol nested
//    inside a larger one is not attributed to the larger one.
//  - Data addresses (symbolizeData) resolve only into STT_OBJECT symbols with a size, never past the end.

import type { Sym } from './types';

export interface SymbolMatch {
  name: string;
  /** addr - sym.value */
  offset: bigint;
  sym: Sym;
}

const TYPE_RANK: Record<string, number> = { func: 0, ifunc: 0, object: 0, notype: 1 };
const BINDING_RANK: Record<string, number> = { global: 0, unique: 0, weak: 1, local: 2, other: 3 };
const SHN_ABS = 0xfff1;

function isMappingSymbol(name: string): boolean {
  return /^\$[adtx](\.|$)/.test(name);
}

/** Negative when a is the better symbol to show for a shared address or name. */
function compareQuality(a: Sym, b: Sym): number {
  return (TYPE_RANK[a.type] ?? 2) - (TYPE_RANK[b.type] ?? 2) ||
    (BINDING_RANK[a.binding] ?? 3) - (BINDING_RANK[b.binding] ?? 3) ||
    (a.size > b.size ? -1 : a.size < b.size ? 1 : 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Sorts by value and keeps the best symbol per address. */
function buildIndex(syms: Sym[]): { addrs: bigint[]; syms: Sym[] } {
  syms.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : compareQuality(a, b)));
  const out: Sym[] = [];
  for (const s of syms) if (out.length === 0 || out[out.length - 1]!.value !== s.value) out.push(s);
  return { addrs: out.map((s) => s.value), syms: out };
}

/** Index of the last element <= addr, or -1. */
function floorIndex(addrs: bigint[], addr: bigint): number {
  let lo = 0;
  let hi = addrs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (addrs[mid]! <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class SymbolTable {
  private readonly codeAddrs: bigint[];
  private readonly codeSyms: Sym[];
  private readonly dataAddrs: bigint[];
  private readonly dataSyms: Sym[];
  private readonly byName = new Map<string, Sym[]>();

  constructor(symbols: readonly Sym[]) {
    const code: Sym[] = [];
    const data: Sym[] = [];
    for (const s of symbols) {
      if (s.name === '' || s.type === 'file' || s.type === 'section' || isMappingSymbol(s.name)) continue;
      const list = this.byName.get(s.name);
      if (list) list.push(s);
      else this.byName.set(s.name, [s]);
      if (s.shndx === SHN_ABS) continue;
      if (s.type === 'func' || s.type === 'ifunc' || s.type === 'notype') code.push(s);
      else if (s.type === 'object' && s.size > 0n) data.push(s);
    }
    for (const list of this.byName.values()) list.sort(compareQuality);
    ({ addrs: this.codeAddrs, syms: this.codeSyms } = buildIndex(code));
    ({ addrs: this.dataAddrs, syms: this.dataSyms } = buildIndex(data));
  }

  /** Number of distinct names known. */
  get size(): number {
    return this.byName.size;
  }

  /** The symbol called name (preferring functions/objects, then global over weak over local). */
  lookup(name: string): Sym | undefined {
    return this.byName.get(name)?.[0];
  }

  /** Every symbol called name (local symbols from different files may share one), best first. */
  lookupAll(name: string): readonly Sym[] {
    return this.byName.get(name) ?? [];
  }

  /** The code symbol addr falls in: nearest preceding function or label, within its size if it has one. */
  symbolize(addr: bigint): SymbolMatch | undefined {
    return match(this.codeAddrs, this.codeSyms, addr, false);
  }

  /** The data object (STT_OBJECT with a size) that contains addr. */
  symbolizeData(addr: bigint): SymbolMatch | undefined {
    return match(this.dataAddrs, this.dataSyms, addr, true);
  }

  /** objdump-style text for a code address: `name`, `name+0x10`, or undefined when no symbol covers it. */
  format(addr: bigint): string | undefined {
    const m = this.symbolize(addr);
    if (!m) return undefined;
    return m.offset === 0n ? m.name : `${m.name}+0x${m.offset.toString(16)}`;
  }
}

function match(addrs: bigint[], syms: Sym[], addr: bigint, requireSize: boolean): SymbolMatch | undefined {
  const i = floorIndex(addrs, addr);
  if (i < 0) return undefined;
  const sym = syms[i]!;
  const offset = addr - sym.value;
  if ((sym.size > 0n || requireSize) && offset >= sym.size) return undefined;
  return { name: sym.name, offset, sym };
}
