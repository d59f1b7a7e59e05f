// The exclusive monitors of LDXR/STXR (Arm ARM B2.9 "Synchronization and semaphores"). Each CPU has a local
// monitor: a load-exclusive marks the physical address and size it read (Exclusive Access state); a
// store-exclusive succeeds only when the monitor is in that state for exactly that address and size, and
// either way leaves it Open. CLREX, exception entry and exception return clear it (Cpu.setElSp, which both
// go through, and the CLREX executor).
//
// The global monitor, which SMP needs so that a store by another CPU breaks a reservation, is a hook: a
// machine with several CPUs gives each CPU's LocalMonitor the same GlobalMonitor. A store-exclusive then
// also asks it (`check`) and it is told of marks and clears. The one we use, SnapshotMonitor, compares
// values as QEMU does: the load-exclusive snapshots the marked bytes and the store-exclusive fails when
// memory no longer holds them, so a store by another CPU in between (the CPUs interleave by quanta) breaks
// the reservation without taking marked pages off the write fast path. A store that writes back the same
// value (ABA) is not seen, as in QEMU. With one CPU no other observer exists and the local monitor is exact.
//
// IMPLEMENTATION DEFINED / CONSTRAINED UNPREDICTABLE choices:
// - The reservation is the exact address and size loaded (a granule of that size), not a larger Exclusives
//   Reservation Granule; a store-exclusive to any other address or with another size fails (the Arm ARM
//   lets it be UNPREDICTABLE whether such a store succeeds; failing is one permitted outcome).
// - Ordinary stores by the same CPU do not clear the local monitor (IMPLEMENTATION DEFINED in the Arm ARM).
//   QEMU instead compares the memory value at STXR time, so a plain store that changes the marked bytes
//   makes its STXR fail; no test program here depends on that difference.
// - A store-exclusive that fails does no access, so it raises no MMU fault (only the alignment check,
//   which comes first, can fault).

/** Shared by the CPUs of an SMP machine (see the file comment). */
export interface GlobalMonitor {
  mark(cpu: number, pa: number, size: number): void;
  /** True when `cpu` still holds its reservation of (pa, size); the reservation is consumed. */
  check(cpu: number, pa: number, size: number): boolean;
  clear(cpu: number): void;
  /** An ordinary store by `cpu`: clears the other CPUs' reservations that it overlaps. */
  noteStore(cpu: number, pa: number, size: number): void;
}

export class LocalMonitor {
  /** Marked physical address, or -1 when Open. */
  private pa = -1;
  private size = 0;

  constructor(private readonly cpu: number, public global?: GlobalMonitor) {}

  /** Load-exclusive: the monitor enters Exclusive Access state for (pa, size). */
  mark(pa: number, size: number): void {
    this.pa = pa;
    this.size = size;
    this.global?.mark(this.cpu, pa, size);
  }

  /** Store-exclusive: whether it may store; the monitor is Open afterwards either way. */
  check(pa: number, size: number): boolean {
    const ok = this.pa === pa && this.size === size;
    this.pa = -1;
    const g = this.global ? this.global.check(this.cpu, pa, size) : true;
    return ok && g;
  }

  /** CLREX, exception entry and return, reset. */
  clear(): void {
    if (this.pa === -1) return;
    this.pa = -1;
    this.global?.clear(this.cpu);
  }

  /** For the debugger and tests: the marked address, or undefined when Open. */
  get marked(): { pa: number; size: number } | undefined {
    return this.pa === -1 ? undefined : { pa: this.pa, size: this.size };
  }
}

/** The global monitor of an SMP machine: reservations checked by value (see the file comment). */
export class SnapshotMonitor implements GlobalMonitor {
  private readonly marks = new Map<number, { pa: number; size: number; bytes: number[] }>();

  /** `peek` reads physical bytes without side effects (RAM; null for what is not RAM). */
  constructor(private readonly peek: (pa: number, size: number) => (number | null)[]) {}

  mark(cpu: number, pa: number, size: number): void {
    this.marks.set(cpu, { pa, size, bytes: this.peek(pa, size) as number[] });
  }

  check(cpu: number, pa: number, size: number): boolean {
    const m = this.marks.get(cpu);
    this.marks.delete(cpu);
    if (!m || m.pa !== pa || m.size !== size) return false;
    const now = this.peek(pa, size);
    return now.every((b, i) => b === m.bytes[i]);
  }

  clear(cpu: number): void {
    this.marks.delete(cpu);
  }

  noteStore(): void {}
}
