// The UEFI memory map and page allocator of the built-in firmware (UEFI 2.10 section 7.2). RAM starts as
// EfiConventionalMemory; the machine's reserved ranges (ACPI tables...) and the firmware's own structures
// are carved out with their types; AllocatePages takes pages top-down as EDK2 does (AnyPages, MaxAddress)
// or at an exact address; adjacent ranges of one type merge, so the map stays short. The map key changes
// with every change, which ExitBootServices checks.

export const PAGE = 4096;

export const MemType = {
  Reserved: 0, LoaderCode: 1, LoaderData: 2, BootServicesCode: 3, BootServicesData: 4, RuntimeServicesCode: 5,
  RuntimeServicesData: 6, Conventional: 7, Unusable: 8, AcpiReclaim: 9, AcpiNvs: 10, Mmio: 11,
} as const;

export const MEMORY_TYPE_NAMES = ['Reserved', 'LoaderCode', 'LoaderData', 'BootServicesCode', 'BootServicesData', 'RuntimeServicesCode',
  'RuntimeServicesData', 'Conventional', 'Unusable', 'ACPIReclaim', 'ACPINVS', 'MMIO'];

/** Cacheability RAM supports (UC | WC | WT | WB), and the runtime flag. */
export const ATTR_RAM = 0xfn;
export const ATTR_RUNTIME = 1n << 63n;

export interface MemRange {
  base: number;
  pages: number;
  type: number;
  attr: bigint;
}

export class MemoryMap {
  ranges: MemRange[];
  key = 1;

  constructor(base: number, size: number) {
    this.ranges = [{ base, pages: Math.floor(size / PAGE), type: MemType.Conventional, attr: ATTR_RAM }];
  }

  private static attrFor(type: number): bigint {
    return type === MemType.RuntimeServicesCode || type === MemType.RuntimeServicesData ? ATTR_RAM | ATTR_RUNTIME : ATTR_RAM;
  }

  /** Sets [base, base + pages) to `type`; the pages must all be `from` (default Conventional). False otherwise. */
  claim(base: number, pages: number, type: number, from: number = MemType.Conventional): boolean {
    const end = base + pages * PAGE;
    const covering = this.ranges.find((r) => r.base <= base && end <= r.base + r.pages * PAGE);
    if (!covering || covering.type !== from || base % PAGE) return false;
    const out: MemRange[] = [];
    for (const r of this.ranges) {
      if (r !== covering) {
        out.push(r);
        continue;
      }
      const rEnd = r.base + r.pages * PAGE;
      if (base > r.base) out.push({ ...r, pages: (base - r.base) / PAGE });
      out.push({ base, pages, type, attr: MemoryMap.attrFor(type) });
      if (end < rEnd) out.push({ ...r, base: end, pages: (rEnd - end) / PAGE });
    }
    this.ranges = merge(out);
    this.key++;
    return true;
  }

  /** Top-down: the highest free run of `pages` pages ending at or below `max` (exclusive end). */
  allocate(pages: number, type: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const r = this.ranges[i];
      if (r.type !== MemType.Conventional) continue;
      const top = Math.min(r.base + r.pages * PAGE, Math.floor(max / PAGE) * PAGE);
      const base = top - pages * PAGE;
      if (base >= r.base) {
        this.claim(base, pages, type);
        return base;
      }
    }
    return undefined;
  }

  /** FreePages: back to conventional memory; false when the range was not allocated. */
  free(base: number, pages: number): boolean {
    const r = this.ranges.find((x) => x.base <= base && base + pages * PAGE <= x.base + x.pages * PAGE);
    if (!r || r.type === MemType.Conventional) return false;
    return this.claim(base, pages, MemType.Conventional, r.type);
  }

  /** The type of the page holding `addr`. */
  typeAt(addr: number): number | undefined {
    return this.ranges.find((r) => r.base <= addr && addr < r.base + r.pages * PAGE)?.type;
  }
}

function merge(rs: MemRange[]): MemRange[] {
  const out: MemRange[] = [];
  for (const r of rs.filter((x) => x.pages > 0).sort((a, b) => a.base - b.base)) {
    const last = out[out.length - 1];
    if (last && last.type === r.type && last.attr === r.attr && last.base + last.pages * PAGE === r.base) last.pages += r.pages;
    else out.push({ ...r });
  }
  return out;
}
