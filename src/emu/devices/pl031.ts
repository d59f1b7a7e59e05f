// Arm PrimeCell real-time clock (PL031), r1p0 as QEMU's `virt` has it at 0x0901_0000 (SPI 2). One 4 KiB
// MMIO frame; one interrupt line (RTCINTR, the match interrupt); backend: a clock giving seconds of
// *virtual* time, so a run is deterministic (DESIGN.md: nothing guest-visible reads the host clock). The
// machine decides the value at reset (`epoch`, seconds since 1970; a fixed date unless the user asks for
// the host's time).
//
// RTCDR = the value last loaded into RTCLR (or `epoch`) plus the virtual seconds elapsed since the load.
// The match interrupt is raised when the counter reaches RTCMR; the machine calls `poll()` at slice
// boundaries, and `secondsToMatch()` tells an idle machine how far to advance time.
//
// Deviations: RTCCR.RTCStart reads as 1 from reset (the counter always runs, as on QEMU); writing 0 has no
// effect, as on hardware once started. The 1 Hz clock is ideal (no trimming).
import { RegisterMap, type RegDef } from './regmap';

export interface Pl031Options {
  name?: string;
  /** Seconds of virtual time since the machine started (may be fractional). */
  now: () => number;
  /** Counter value at reset, seconds since 1970-01-01. */
  epoch: number;
  onIrq?: (level: boolean) => void;
  guestError: (message: string) => void;
}

export class Pl031 {
  readonly regs: RegisterMap;
  /** Counter value at `loadedAt` (virtual seconds). */
  private base = 0;
  private loadedAt = 0;
  private ris = 0;
  private irqLevel = false;

  constructor(private readonly o: Pl031Options) {
    const defs: RegDef[] = [
      { name: 'RTCDR', offset: 0x000, access: 'ro', read: () => this.counter(), peek: () => this.counter() },
      { name: 'RTCMR', offset: 0x004, access: 'rw', write: () => this.poll() },
      { name: 'RTCLR', offset: 0x008, access: 'rw', write: (v) => this.load(v) },
      { name: 'RTCCR', offset: 0x00c, access: 'rw', reset: 1, write: () => this.regs.set('RTCCR', 1) },
      { name: 'RTCIMSC', offset: 0x010, access: 'rw', write: () => this.update() },
      { name: 'RTCRIS', offset: 0x014, access: 'ro', read: () => this.ris, peek: () => this.ris },
      { name: 'RTCMIS', offset: 0x018, access: 'ro', read: () => this.mis(), peek: () => this.mis() },
      { name: 'RTCICR', offset: 0x01c, access: 'wo', write: (v) => this.clear(v) },
      ...[0x31, 0x10, 0x14, 0x00].map((v, i): RegDef => ({ name: `RTCPeriphID${i}`, offset: 0xfe0 + 4 * i, access: 'ro', reset: v })),
      ...[0x0d, 0xf0, 0x05, 0xb1].map((v, i): RegDef => ({ name: `RTCPCellID${i}`, offset: 0xff0 + 4 * i, access: 'ro', reset: v })),
    ];
    this.regs = new RegisterMap(o.name ?? 'pl031', defs, o.guestError);
    this.reset();
  }

  get mmio(): RegisterMap {
    return this.regs;
  }

  reset(): void {
    this.regs.reset();
    this.base = this.o.epoch >>> 0;
    this.loadedAt = this.o.now();
    this.ris = 0;
    this.update();
  }

  /** The counter now (RTCDR), a 32-bit seconds value. */
  counter(): number {
    return (this.base + Math.floor(this.o.now() - this.loadedAt)) >>> 0;
  }

  private load(v: number): void {
    this.base = v >>> 0;
    this.loadedAt = this.o.now();
    this.poll();
  }

  /** Raises the match interrupt when the counter has reached RTCMR; call at slice boundaries. */
  poll(): void {
    if (this.secondsToMatch() === 0) this.ris = 1;
    this.update();
  }

  /**
   * Virtual seconds until the counter equals RTCMR (0 when it does now); the counter wraps at 2^32, so a
   * match behind the counter is 2^32 - distance seconds away.
   */
  secondsToMatch(): number {
    const d = (this.regs.get('RTCMR') - this.counter()) >>> 0;
    if (d === 0) return 0;
    const elapsed = this.o.now() - this.loadedAt;
    return d - (elapsed - Math.floor(elapsed));
  }

  private clear(v: number): void {
    if (v & 1) this.ris = 0;
    this.update();
  }

  private mis(): number {
    return this.ris & this.regs.get('RTCIMSC') & 1;
  }

  private update(): void {
    const level = this.mis() !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.o.onIrq?.(level);
    }
  }

  snapshot(): Record<string, number> {
    return { ...this.regs.snapshot(), counter: this.counter(), irq: this.irqLevel ? 1 : 0 };
  }
}
