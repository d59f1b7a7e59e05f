// The generic timer of one CPU: the system counter as this CPU sees it (CNTPCT_EL0, and CNTVCT_EL0 =
// CNTPCT_EL0 - CNTVOFF_EL2), and the EL1 physical (CNTP_*), EL1 virtual (CNTV_*) and EL2 hypervisor
// (CNTHP_*) timers, each with CTL (ENABLE, IMASK, ISTATUS), CVAL and the TVAL view. The register rows live
// here (TIMER_ROWS, spliced into sysregs.ts); the CTL and CVAL values are stored in the CPU's register block.
//
// Time is virtual and deterministic: the counter is Cpu.counter() (the machine's clock at the start of the
// CPU's current quantum plus the instructions it has retired since: one tick per instruction at CNTFRQ_EL0,
// 62.5 MHz unless the machine says otherwise). A timer's output (ENABLE && ISTATUS && !IMASK) drives its PPI
// through the InterruptPort: 30 (CNTP), 27 (CNTV), 26 (CNTHP), as QEMU's virt wires them. Outputs are
// re-evaluated by updateTimers at every sync point of the run loop (slice start, after an MSR to a timer
// register, at the next deadline, which the run loop stops at). Nothing reads the host clock.
//
// Traps: CNTKCTL_EL1.{EL0PCTEN, EL0VCTEN, EL0PTEN, EL0VTEN} gate EL0 accesses (trap to EL1, or EL2 with
// HCR_EL2.TGE), CNTHCTL_EL2.{EL1PCTEN, EL1PCEN} gate EL0/EL1 accesses to the physical counter and timer
// (trap to EL2). CNTFRQ_EL0 is writable only at the highest implemented EL (UNDEFINED below it).
// Not modelled: the event stream (CNTKCTL_EL1.EVNTEN), the secure timer CNTPS_*, FEAT_ECV.
import type { Cpu } from './cpu';
import { HCR, hcrLo } from './exceptions';
import { I_EL } from './regs';
import type { SysRegDef } from './sysregs';

/** PPI INTIDs of the timers (QEMU virt / SBSA). */
export const TIMER_PPI = { CNTP: 30, CNTV: 27, CNTHP: 26 } as const;

const row = (name: string, op0: number, op1: number, crn: number, crm: number, op2: number, el: 0 | 1 | 2, extra: Partial<SysRegDef> = {}): SysRegDef => ({
  name, op0, op1, crn, crm, op2, el, ...extra,
});

/** One timer: which registers hold its state, its PPI, and whether it compares against the virtual count. */
interface TimerDef {
  readonly name: 'CNTP' | 'CNTV' | 'CNTHP';
  readonly ppi: number;
  readonly virtual: boolean;
  ctlSlot: number;
  cvalSlot: number;
}

const TIMERS: TimerDef[] = [
  { name: 'CNTP', ppi: TIMER_PPI.CNTP, virtual: false, ctlSlot: -1, cvalSlot: -1 },
  { name: 'CNTV', ppi: TIMER_PPI.CNTV, virtual: true, ctlSlot: -1, cvalSlot: -1 },
  { name: 'CNTHP', ppi: TIMER_PPI.CNTHP, virtual: false, ctlSlot: -1, cvalSlot: -1 },
];
let cntvoffSlot = -1;
let cntkctlSlot = -1;
let cnthctlSlot = -1;

/** Called by sysregs.ts once the register slots are known. */
export function bindTimerSlots(slotOf: (name: string) => number): void {
  for (const t of TIMERS) {
    t.ctlSlot = slotOf(`${t.name}_CTL_${t.name === 'CNTHP' ? 'EL2' : 'EL0'}`);
    t.cvalSlot = slotOf(`${t.name}_CVAL_${t.name === 'CNTHP' ? 'EL2' : 'EL0'}`);
  }
  cntvoffSlot = slotOf('CNTVOFF_EL2');
  cntkctlSlot = slotOf('CNTKCTL_EL1');
  cnthctlSlot = slotOf('CNTHCTL_EL2');
}

const TWO32 = 0x100000000;

// Counts and compare values are 64-bit and wrap (CNTVCT = CNTPCT - CNTVOFF modulo 2^64): the comparisons
// work on exact (lo, hi) uint32 pairs, never on doubles above 2^53.

/** The count a timer compares against, as a uint32 pair in `out`. */
function countPair(c: Cpu, t: TimerDef, out: number[]): void {
  const n = c.counter();
  let lo = n % TWO32;
  let hi = Math.floor(n / TWO32);
  if (t.virtual && c.opts.highestEl >= 2) {
    const oLo = c.r[cntvoffSlot] >>> 0;
    const oHi = c.r[cntvoffSlot + 1] >>> 0;
    const borrow = lo < oLo ? 1 : 0;
    lo = (lo - oLo + TWO32) % TWO32;
    hi = (hi - oHi - borrow + 2 * TWO32) % TWO32;
  }
  out[0] = lo;
  out[1] = hi;
}

const scratch = [0, 0];

/** CVAL - count as an unsigned 64-bit difference when count < CVAL (ticks to go), or -1 when count >= CVAL. */
function ticksLeft(c: Cpu, t: TimerDef): number {
  countPair(c, t, scratch);
  const vLo = c.r[t.cvalSlot] >>> 0;
  const vHi = c.r[t.cvalSlot + 1] >>> 0;
  if (scratch[1] > vHi || (scratch[1] === vHi && scratch[0] >= vLo)) return -1;
  const borrow = vLo < scratch[0] ? 1 : 0;
  return (vHi - scratch[1] - borrow) * TWO32 + ((vLo - scratch[0] + TWO32) % TWO32);
}

/** The count into c.ldLo/c.ldHi (MRS without BigInt). */
function countToLd(c: Cpu, t: TimerDef): void {
  countPair(c, t, scratch);
  c.ldLo = scratch[0] | 0;
  c.ldHi = scratch[1] | 0;
}

/** The count as a BigInt (register reads). */
function countBig(c: Cpu, t: TimerDef): bigint {
  countPair(c, t, scratch);
  return (BigInt(scratch[1]) << 32n) | BigInt(scratch[0]);
}

function istatus(c: Cpu, t: TimerDef): boolean {
  return (c.r[t.ctlSlot] & 1) !== 0 && ticksLeft(c, t) < 0;
}

function exists(c: Cpu, t: TimerDef): boolean {
  return t.name !== 'CNTHP' || c.opts.highestEl >= 2;
}

/** Re-evaluates the three timer outputs and drives the PPIs whose level changed. */
export function updateTimers(c: Cpu): void {
  for (let i = 0; i < TIMERS.length; i++) {
    const t = TIMERS[i];
    const ctl = c.r[t.ctlSlot];
    const level = exists(c, t) && (ctl & 3) === 1 && istatus(c, t);
    const bit = 1 << i;
    if (level === ((c.timerOut & bit) !== 0)) continue;
    c.timerOut ^= bit;
    c.opts.interrupts?.setPpiLevel(c.index, t.ppi, level);
    if (level) c.hooks.timerFired?.(c, t.name, t.ppi);
  }
}

/** Ticks from now until the next timer output rises (Infinity when none will without a register write). */
export function ticksToNextDeadline(c: Cpu): number {
  let best = Infinity;
  for (let i = 0; i < TIMERS.length; i++) {
    const t = TIMERS[i];
    if ((c.r[t.ctlSlot] & 3) !== 1 || !exists(c, t) || c.timerOut & (1 << i)) continue;
    const d = ticksLeft(c, t);
    if (d < best) best = d < 0 ? 0 : d;
  }
  return best;
}

/** Counter trap checks: `phys` for CNTPCT/CNTP_*, `timer` for CNT{P,V}_* (not the counters). */
function counterAccess(kind: 'pct' | 'vct' | 'ptimer' | 'vtimer' | 'frq'): (c: Cpu, iss: number) => void {
  const kctlBit = { pct: 1 << 0, vct: 1 << 1, ptimer: 1 << 9, vtimer: 1 << 8, frq: 3 }[kind];
  const hctlBit = kind === 'pct' ? 1 : kind === 'ptimer' ? 2 : 0;
  return (c, iss) => {
    const el = c.r[I_EL];
    if (el === 0 && !(c.r[cntkctlSlot] & kctlBit)) {
      throw c.sysregTrap(iss, hcrLo(c) & HCR.TGE ? 2 : 1);
    }
    if (el < 2 && hctlBit && c.opts.highestEl >= 2 && !(c.r[cnthctlSlot] & hctlBit)) throw c.sysregTrap(iss, 2);
  };
}

function ctlRow(t: TimerDef, op1: number, crm: number, el: 0 | 2, access?: (c: Cpu, iss: number) => void): SysRegDef {
  const name = `${t.name}_CTL_${el === 2 ? 'EL2' : 'EL0'}`;
  return row(name, 3, op1, 14, crm, 1, el, {
    el2: el === 2,
    access,
    get: (c) => BigInt((c.r[t.ctlSlot] & 3) | (istatus(c, t) ? 4 : 0)),
    getPair: (c) => {
      c.ldLo = (c.r[t.ctlSlot] & 3) | (istatus(c, t) ? 4 : 0);
      c.ldHi = 0;
    },
    set: (c, v) => {
      c.r[t.ctlSlot] = Number(v & 3n);
    },
  });
}

function tvalRow(t: TimerDef, op1: number, crm: number, el: 0 | 2, access?: (c: Cpu, iss: number) => void): SysRegDef {
  const name = `${t.name}_TVAL_${el === 2 ? 'EL2' : 'EL0'}`;
  return row(name, 3, op1, 14, crm, 0, el, {
    el2: el === 2,
    access,
    // TVAL reads (CVAL - count)[31:0], zero-extended; a write sets CVAL = count + SignExtend(TVAL)
    get: (c) => {
      countPair(c, t, scratch);
      return BigInt(((c.r[t.cvalSlot] >>> 0) - scratch[0] + TWO32) % TWO32);
    },
    set: (c, v) => {
      const cval = BigInt.asUintN(64, countBig(c, t) + BigInt.asIntN(32, v));
      c.r[t.cvalSlot] = Number(cval & 0xffffffffn) | 0;
      c.r[t.cvalSlot + 1] = Number(cval >> 32n) | 0;
    },
  });
}

function cvalRow(t: TimerDef, op1: number, crm: number, el: 0 | 2, access?: (c: Cpu, iss: number) => void): SysRegDef {
  return row(`${t.name}_CVAL_${el === 2 ? 'EL2' : 'EL0'}`, 3, op1, 14, crm, 2, el, { el2: el === 2, access });
}

const [P, V, HP] = TIMERS;
const pt = counterAccess('ptimer');
const vt = counterAccess('vtimer');

export const TIMER_ROWS: readonly SysRegDef[] = [
  row('CNTFRQ_EL0', 3, 3, 14, 0, 0, 0, {
    reset: (c) => BigInt(c.opts.cntfrq),
    access: (c, iss) => {
      // writable only at the highest implemented EL
      if (!(iss & 1) && c.r[I_EL] < c.opts.highestEl) c.undefined();
      counterAccess('frq')(c, iss);
    },
  }),
  row('CNTPCT_EL0', 3, 3, 14, 0, 1, 0, { readOnly: true, access: counterAccess('pct'), get: (c) => countBig(c, P), getPair: (c) => countToLd(c, P) }),
  row('CNTVCT_EL0', 3, 3, 14, 0, 2, 0, { readOnly: true, access: counterAccess('vct'), get: (c) => countBig(c, V), getPair: (c) => countToLd(c, V) }),
  row('CNTKCTL_EL1', 3, 0, 14, 1, 0, 1),
  row('CNTVOFF_EL2', 3, 4, 14, 0, 3, 2, { el2: true }),
  row('CNTHCTL_EL2', 3, 4, 14, 1, 0, 2, { el2: true, reset: 3n }),
  tvalRow(P, 3, 2, 0, pt),
  ctlRow(P, 3, 2, 0, pt),
  cvalRow(P, 3, 2, 0, pt),
  tvalRow(V, 3, 3, 0, vt),
  ctlRow(V, 3, 3, 0, vt),
  cvalRow(V, 3, 3, 0, vt),
  tvalRow(HP, 4, 2, 2),
  ctlRow(HP, 4, 2, 2),
  cvalRow(HP, 4, 2, 2),
];

/** Names of the timer registers whose writes change an output or a deadline (the run loop re-syncs). */
export const TIMER_SYNC_REGS = new Set(TIMER_ROWS.filter((d) => d.name !== 'CNTFRQ_EL0' && d.name !== 'CNTPCT_EL0' && d.name !== 'CNTVCT_EL0').map((d) => d.name));

/** A side-effect-free view of the three timers (debugger, panels). */
export interface TimerSnapshot {
  name: string;
  ppi: number;
  enable: boolean;
  imask: boolean;
  istatus: boolean;
  cval: bigint;
  /** Output level driven to the PPI. */
  output: boolean;
}

export function timerSnapshot(c: Cpu): TimerSnapshot[] {
  return TIMERS.filter((t) => exists(c, t)).map((t) => {
    const ctl = c.r[t.ctlSlot];
    const i = TIMERS.indexOf(t);
    return {
      name: t.name, ppi: t.ppi, enable: (ctl & 1) !== 0, imask: (ctl & 2) !== 0, istatus: istatus(c, t),
      cval: (BigInt(c.r[t.cvalSlot + 1] >>> 0) << 32n) | BigInt(c.r[t.cvalSlot] >>> 0), output: (c.timerOut & (1 << i)) !== 0,
    };
  });
}
