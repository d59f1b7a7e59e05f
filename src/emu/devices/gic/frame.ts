// Register maps as data for the GIC's MMIO frames (distributor, redistributor RD_base/SGI_base, ITS control
// and translation). The GIC's registers are mostly arrays (GICD_ISENABLER<n>, GICD_IPRIORITYR<n>,
// GICD_IROUTER<n>, GITS_BASER<n>) whose state lives in the model's typed arrays, so a row here names an array:
// base offset, count, width (4, or 8 for a 64-bit register reached as two 32-bit halves), access, whether
// byte accesses are allowed (GICD_IPRIORITYR, GICR_IPRIORITYR), and read/write hooks that get the element
// index and, for 64-bit registers, which half. The frame does the rest, as RegisterMap does for simple
// devices: lookup, guest-error reports (holes, read-only, write-only, bad access sizes), side-effect-free
// peeks (GIC reads never have side effects, so a peek is a read without tracing) and snapshots.
//
// Access sizes (GICv3 IHI 0069, 12.1.3): 32-bit registers take 32-bit accesses, byte-accessible ones also
// 8-bit; 64-bit registers take 64-bit accesses or 32-bit accesses to either half. A 16-bit access, or an
// 8-bit access to a word-only register, is reported as a guest error and reads as zero / is ignored
// (IHI 0069 leaves them UNPREDICTABLE).
import type { MmioDevice } from '../mmio';

export interface GicRegDef {
  readonly name: string;
  readonly offset: number;
  /** Array length; 1 for a single register. */
  readonly count?: number;
  /** 4 (default) or 8 bytes; 8-byte registers are accessed as a whole or as 32-bit halves. */
  readonly width?: 4 | 8;
  readonly access: 'rw' | 'ro' | 'wo';
  /** Byte accesses allowed (priority registers). */
  readonly bytes?: boolean;
  /** Value of element i (half 1 = bits [63:32] of a 64-bit register). Missing: reads as zero. */
  readonly read?: (i: number, half: 0 | 1) => number;
  /** Write of element i; for byte accesses `mask` says which bits the write covers. */
  readonly write?: (i: number, value: number, half: 0 | 1, mask: number) => void;
}

export interface FrameTraceEvent {
  readonly device: string;
  readonly reg: string;
  readonly write: boolean;
  readonly value: number;
}

interface Hit {
  def: GicRegDef;
  index: number;
  half: 0 | 1;
  /** Byte position inside the 32-bit word. */
  byte: number;
}

export class GicFrame implements MmioDevice {
  /** offset of each 32-bit word -> its register row (built once; frames are 64 KiB at most). */
  private readonly words = new Map<number, GicRegDef>();
  trace?: (e: FrameTraceEvent) => void;

  constructor(
    readonly name: string,
    readonly regs: readonly GicRegDef[],
    private readonly guestError: (message: string) => void,
  ) {
    for (const d of regs) {
      const bytes = (d.count ?? 1) * (d.width ?? 4);
      for (let o = d.offset; o < d.offset + bytes; o += 4) {
        if (this.words.has(o)) throw new Error(`${name}: register ${d.name} overlaps ${this.words.get(o)!.name}`);
        this.words.set(o, d);
      }
    }
  }

  private locate(offset: number): Hit | undefined {
    const word = offset & ~3;
    const def = this.words.get(word);
    if (!def) return undefined;
    const w = def.width ?? 4;
    const rel = word - def.offset;
    return { def, index: Math.floor(rel / w), half: w === 8 && rel % 8 === 4 ? 1 : 0, byte: offset & 3 };
  }

  private label(h: Hit): string {
    return (h.def.count ?? 1) > 1 ? `${h.def.name}<${h.index}>` : h.def.name;
  }

  private sizeOk(h: Hit, size: number, offset: number, write: boolean): boolean {
    if (size === 4 && h.byte === 0) return true;
    if (size === 1 && h.def.bytes) return true;
    this.guestError(`${this.name}: ${size}-byte ${write ? 'write' : 'read'} at offset 0x${offset.toString(16)} (${this.label(h)}) is not a supported access size; ${write ? 'ignored' : 'reads as 0'}`);
    return false;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const h = this.locate(offset);
    if (!h) {
      this.guestError(`${this.name}: read of ${size} bytes at unimplemented offset 0x${offset.toString(16)}`);
      return 0;
    }
    if (!this.sizeOk(h, size, offset, false)) return 0;
    if (h.def.access === 'wo') {
      this.guestError(`${this.name}: read of write-only register ${this.label(h)}`);
      return 0;
    }
    const v = (h.def.read?.(h.index, h.half) ?? 0) >>> 0;
    this.trace?.({ device: this.name, reg: this.label(h), write: false, value: v });
    return size === 4 ? v : (v >>> (8 * h.byte)) & 0xff;
  }

  peek(offset: number, size: 1 | 2 | 4): number {
    const h = this.locate(offset);
    if (!h || h.def.access === 'wo') return 0;
    const v = (h.def.read?.(h.index, h.half) ?? 0) >>> 0;
    return size === 4 ? v : (v >>> (8 * h.byte)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const h = this.locate(offset);
    if (!h) {
      this.guestError(`${this.name}: write of ${size} bytes (0x${(value >>> 0).toString(16)}) at unimplemented offset 0x${offset.toString(16)}`);
      return;
    }
    if (!this.sizeOk(h, size, offset, true)) return;
    if (h.def.access === 'ro') {
      this.guestError(`${this.name}: write of 0x${(value >>> 0).toString(16)} to read-only register ${this.label(h)} ignored`);
      return;
    }
    const shift = 8 * h.byte;
    const mask = size === 4 ? -1 : 0xff << shift;
    const v = size === 4 ? value | 0 : (value & 0xff) << shift;
    this.trace?.({ device: this.name, reg: this.label(h), write: true, value: v >>> 0 });
    h.def.write?.(h.index, v, h.half, mask);
  }

  /** Every register's value (arrays as arrays; 64-bit registers as [lo, hi]), without side effects. */
  snapshot(): Record<string, number | number[] | [number, number][]> {
    const out: Record<string, number | number[] | [number, number][]> = {};
    for (const d of this.regs) {
      if (d.access === 'wo') continue;
      const n = d.count ?? 1;
      const one = (i: number): number | [number, number] =>
        d.width === 8 ? [(d.read?.(i, 0) ?? 0) >>> 0, (d.read?.(i, 1) ?? 0) >>> 0] : (d.read?.(i, 0) ?? 0) >>> 0;
      if (n === 1) {
        const v = one(0);
        out[d.name] = Array.isArray(v) ? [v] : v;
      } else {
        out[d.name] = Array.from({ length: n }, (_, i) => one(i)) as number[] | [number, number][];
      }
    }
    return out;
  }
}

/** Replaces the bits of `old` selected by `mask` with those of `value`. */
export function merge(old: number, value: number, mask: number): number {
  return ((old & ~mask) | (value & mask)) >>> 0;
}
