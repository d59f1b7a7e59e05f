// Per-interrupt state for a range of interrupt IDs, in typed arrays: what the distributor holds for the
// SPIs and each redistributor for its SGIs and PPIs (IHI 0069 4.1). Pending is the OR of a latch (edge,
// GICD_ISPENDR, an SGI) and, for level-sensitive interrupts, the input line; acknowledging clears the latch
// only (a level interrupt whose line stays high stays pending).
export class IrqBank {
  readonly group: Uint8Array;
  readonly enabled: Uint8Array;
  readonly latch: Uint8Array;
  readonly level: Uint8Array;
  readonly active: Uint8Array;
  /** 1 = edge-triggered (GICD_ICFGR Int_config<1>). */
  readonly edge: Uint8Array;
  readonly priority: Uint8Array;

  constructor(readonly size: number) {
    this.group = new Uint8Array(size);
    this.enabled = new Uint8Array(size);
    this.latch = new Uint8Array(size);
    this.level = new Uint8Array(size);
    this.active = new Uint8Array(size);
    this.edge = new Uint8Array(size);
    this.priority = new Uint8Array(size);
  }

  reset(): void {
    for (const a of [this.group, this.enabled, this.latch, this.level, this.active, this.edge, this.priority]) a.fill(0);
  }

  pending(i: number): boolean {
    return this.latch[i] !== 0 || (this.edge[i] === 0 && this.level[i] !== 0);
  }

  /** 32 bits of a 1-bit-per-interrupt field, starting at interrupt `first`. */
  bits(arr: Uint8Array | ((i: number) => boolean), first: number): number {
    let v = 0;
    for (let b = 0; b < 32; b++) {
      const i = first + b;
      if (i >= this.size) break;
      const on = typeof arr === 'function' ? arr(i) : arr[i] !== 0;
      if (on) v |= 1 << b;
    }
    return v >>> 0;
  }

  /** Applies `fn` to each interrupt whose bit is set in `value`. */
  forBits(value: number, first: number, fn: (i: number) => void): void {
    for (let b = 0; b < 32; b++) if ((value >>> b) & 1 && first + b < this.size) fn(first + b);
  }

  /** Line level of an input; returns true when that made a rising edge. */
  setLevel(i: number, level: boolean): boolean {
    const was = this.level[i] !== 0;
    this.level[i] = level ? 1 : 0;
    if (level && !was && this.edge[i]) {
      this.latch[i] = 1;
      return true;
    }
    return level && !was;
  }

  snapshotOf(i: number): IrqSnapshot {
    return {
      group: this.group[i], enabled: this.enabled[i] !== 0, pending: this.pending(i), active: this.active[i] !== 0,
      edge: this.edge[i] !== 0, level: this.level[i] !== 0, priority: this.priority[i],
    };
  }
}

export interface IrqSnapshot {
  group: number;
  enabled: boolean;
  pending: boolean;
  active: boolean;
  edge: boolean;
  level: boolean;
  priority: number;
}
