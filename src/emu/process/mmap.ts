// The anonymous-mmap area: a first-fit allocator of page ranges inside [base, end). Mappings are kept as
// sorted, non-overlapping [start, end) page-aligned ranges; munmap may split them. New mappings are zeroed
// by the caller (the memory may have been used by an earlier mapping). There are no page permissions yet
// (no MMU), so PROT_* bits are accepted and not enforced.
import { pageUp } from './layout';

export class MmapArea {
  /** Sorted, disjoint [start, end) ranges. */
  private maps: [number, number][] = [];

  constructor(readonly base: number, readonly end: number) {}

  contains(addr: number, len: number): boolean {
    return addr >= this.base && addr + len <= this.end;
  }

  /** Places `len` bytes (rounded up to pages) at the lowest free address; null when the area is full. */
  allocate(len: number): number | null {
    const size = pageUp(len);
    let at = this.base;
    for (const [s, e] of this.maps) {
      if (s - at >= size) break;
      at = Math.max(at, e);
    }
    if (at + size > this.end) return null;
    this.insert(at, at + size);
    return at;
  }

  /** MAP_FIXED: maps [addr, addr + len), replacing what was there. False when outside the area. */
  fixed(addr: number, len: number): boolean {
    const size = pageUp(len);
    if (!this.contains(addr, size)) return false;
    this.unmap(addr, size);
    this.insert(addr, addr + size);
    return true;
  }

  /** True when any page of [addr, addr + len) is mapped (MAP_FIXED_NOREPLACE). */
  overlaps(addr: number, len: number): boolean {
    const e = addr + pageUp(len);
    return this.maps.some(([s, t]) => s < e && addr < t);
  }

  unmap(addr: number, len: number): void {
    const e = addr + pageUp(len);
    const out: [number, number][] = [];
    for (const [s, t] of this.maps) {
      if (t <= addr || s >= e) out.push([s, t]);
      else {
        if (s < addr) out.push([s, addr]);
        if (t > e) out.push([e, t]);
      }
    }
    this.maps = out;
  }

  /** Bytes currently mapped. */
  get mappedBytes(): number {
    return this.maps.reduce((n, [s, e]) => n + e - s, 0);
  }

  private insert(s: number, e: number): void {
    this.maps.push([s, e]);
    this.maps.sort((a, b) => a[0] - b[0]);
  }
}
