// Asynchronous exceptions and the generic timer on a bare CPU: IRQ/FIQ/SError taken at the sync points
// (slice start, MSR DAIFClr) with the vector offsets of the Arm ARM (current EL SP0/SPx, lower EL AArch64 +
// 0x80/0x100/0x180), PSTATE masking, HCR_EL2.{IMO,FMO,AMO,TGE} routing, WFI/WFE wake-up, no GIC at all;
// the timers driving their PPIs through an InterruptPort at exactly the counter value CVAL says; and the
// machine's idle logic jumping the clock to the next deadline. The expected vector offsets and masking
// rules are the ones the EL2 test kernel (test/fixtures/kernels/sys/el2.c) checks against QEMU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE, RAM_BASE, type Harness } from '../helpers/cpuHarness';
import type { InterruptPort } from '../../src/emu/cpu/interrupts';
import { Machine } from '../../src/emu';
import { SyncException } from '../../src/emu/cpu/exceptions';
import { fpTrapCheck } from '../../src/emu/cpu/sysregs';

const NOP = 0xd503201f;
const DAIFCLR_I = 0xd50342ff; // msr daifclr, #2
const DAIFCLR_F = 0xd50341ff; // msr daifclr, #1
const DAIFCLR_A = 0xd50344ff; // msr daifclr, #4
const WFI = 0xd503207f;
const WFE = 0xd503205f;
const SEV = 0xd503209f;
const B_SELF = 0x14000000; // b .
const VBAR1 = BigInt(RAM_BASE + 0x10000);
const VBAR2 = BigInt(RAM_BASE + 0x20000);

/** A CPU with vector tables at VBAR1 (and VBAR2) whose every entry is `b .`, so a test sees where it went. */
function setup(highestEl: 1 | 2 = 1): Harness {
  const h = makeHarness({}, { highestEl });
  h.cpu.sys.set('VBAR_EL1', VBAR1);
  if (highestEl === 2) h.cpu.sys.set('VBAR_EL2', VBAR2);
  const spin = new Uint8Array(0x800);
  new DataView(spin.buffer).setUint32(0, B_SELF, true);
  for (let i = 0; i < 0x800; i += 4) spin.set(spin.subarray(0, 4), i);
  h.bus.writeRamBytes(Number(VBAR1), spin);
  h.bus.writeRamBytes(Number(VBAR2), spin);
  return h;
}

/** Writes words at CODE and points PC there without running. */
function place(h: Harness, words: number[]): void {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
  h.bus.writeRamBytes(Number(CODE), b);
  h.cpu.code.clear();
  h.cpu.setPc(Number(CODE & 0xffffffffn), 0);
}

test('an IRQ waits while PSTATE.I masks it and is taken right after MSR DAIFClr, at VBAR_EL1 + 0x280', () => {
  const h = setup();
  h.cpu.setElSp(1, 1);
  place(h, [NOP, NOP, DAIFCLR_I, NOP, NOP]);
  h.cpu.setIrqLine(true);
  h.cpu.run(2);
  assert.equal(h.pc(), CODE + 8n, 'masked: not taken');
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR1 + 0x280n);
  assert.equal(h.cpu.sys.get('ELR_EL1'), CODE + 12n, 'ELR: the instruction after the MSR');
  assert.equal(Number(h.cpu.sys.get('SPSR_EL1')) & 0x3cf, 0x345, 'SPSR: EL1h, D A F still set, I clear');
  assert.equal(h.cpu.r[74], 0xf, 'DAIF all masked in the handler');
});

test('vector offsets: from EL1 with SP0 +0x080, from EL0 +0x480, FIQ +0x100 / +0x500, SError +0x180 with ESR EC 0x2F', () => {
  const cases: [string, number, number, bigint][] = [
    ['irq el1t', 1, 0, 0x080n],
    ['irq el0', 0, 0, 0x480n],
  ];
  for (const [name, el, spsel, off] of cases) {
    const h = setup();
    h.cpu.setElSp(el, spsel);
    h.cpu.r[74] = 0; // DAIF clear
    place(h, [NOP, NOP]);
    h.cpu.setIrqLine(true);
    h.cpu.run(1);
    assert.equal(h.pc(), VBAR1 + off, name);
  }
  const f = setup();
  f.cpu.setElSp(1, 1);
  place(f, [DAIFCLR_F, NOP]);
  f.cpu.setFiqLine(true);
  f.cpu.run(1);
  assert.equal(f.pc(), VBAR1 + 0x300n, 'FIQ from EL1h');
  const f0 = setup();
  f0.cpu.setElSp(0, 0);
  f0.cpu.r[74] = 0;
  place(f0, [NOP]);
  f0.cpu.setFiqLine(true);
  f0.cpu.run(1);
  assert.equal(f0.pc(), VBAR1 + 0x500n, 'FIQ from EL0');
  const s = setup();
  s.cpu.setElSp(1, 1);
  place(s, [DAIFCLR_A, NOP]);
  s.cpu.setSError(true);
  s.cpu.run(1);
  assert.equal(s.pc(), VBAR1 + 0x380n, 'SError from EL1h');
  assert.equal(s.cpu.sys.get('ESR_EL1'), 0xbe000000n, 'ESR: EC 0x2F, IL 1, ISS 0');
  assert.equal(s.cpu.serrorPending, false, 'taken once');
});

test('HCR_EL2.IMO routes IRQs to EL2: taken from EL1 even with PSTATE.I set; at EL2 only when unmasked', () => {
  const h = setup(2);
  h.cpu.setElSp(1, 1);
  h.cpu.sys.set('HCR_EL2', (1n << 31n) | (1n << 4n));
  place(h, [NOP, NOP]);
  h.cpu.setIrqLine(true);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR2 + 0x480n, 'lower EL, AArch64');
  assert.equal(h.cpu.el, 2);
  // now at EL2 with DAIF masked: stays; with IMO clear, an IRQ for EL1 never preempts EL2
  const g = setup(2);
  g.cpu.setElSp(2, 1);
  g.cpu.r[74] = 0;
  place(g, [NOP, NOP, NOP]);
  g.cpu.setIrqLine(true);
  g.cpu.run(2);
  assert.equal(g.pc(), CODE + 8n, 'HCR_EL2.IMO = 0: the IRQ targets EL1, not taken at EL2');
  g.cpu.sys.set('HCR_EL2', 1n << 27n); // TGE: routed to EL2 as if IMO were set
  g.cpu.run(1);
  assert.equal(g.pc(), VBAR2 + 0x280n, 'TGE: taken at EL2 (current EL, SPx)');
});

test('virtual IRQ (HCR_EL2.VI with IMO) is taken at EL1 when PSTATE.I allows, never at EL2', () => {
  const h = setup(2);
  h.cpu.sys.set('HCR_EL2', (1n << 31n) | (1n << 4n) | (1n << 7n));
  h.cpu.setElSp(2, 1);
  h.cpu.r[74] = 0;
  place(h, [NOP, NOP]);
  h.cpu.run(1);
  assert.equal(h.pc(), CODE + 4n, 'not at EL2');
  h.cpu.setElSp(1, 1);
  h.cpu.r[74] = 0;
  place(h, [NOP, NOP]);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR1 + 0x280n);
});

test('no GIC: lines stay low, WFI stops with "wfi" and later runs return at once; WFI with a pending line falls through', () => {
  const h = setup();
  place(h, [NOP, WFI, NOP, B_SELF]);
  assert.equal(h.cpu.run(100), 'wfi');
  assert.equal(h.pc(), CODE + 8n, 'PC after the WFI');
  const before = h.cpu.icount;
  assert.equal(h.cpu.run(100), 'wfi');
  assert.equal(h.cpu.icount, before, 'still waiting: nothing retired');
  // a rising line (masked by PSTATE.I: wake-up is not masked) wakes it
  h.cpu.setIrqLine(true);
  assert.equal(h.cpu.run(3), 'budget');
  assert.equal(h.pc(), CODE + 12n, 'woke and ran on, no exception (I masked)');
  place(h, [WFI, NOP]);
  h.cpu.run(1);
  assert.equal(h.pc(), CODE + 4n, 'WFI with the line high is a NOP');
});

test('WFE: the event register (SEVL, SEV, exception return) makes it fall through once', () => {
  const h = setup();
  place(h, [SEV, WFE, WFE, NOP]);
  assert.equal(h.cpu.run(10), 'wfi');
  assert.equal(h.pc(), CODE + 12n, 'first WFE consumed the event, second waits');
  h.cpu.eventRegister = true;
  assert.equal(h.cpu.run(1), 'budget');
  assert.equal(h.pc(), CODE + 16n, 'woken by the event');
});

/** A fake interrupt controller: records PPI levels with the CPU's counter when they change. */
function fakePort(): { port: InterruptPort; log: [number, boolean, number][]; cpu?: () => number } {
  const log: [number, boolean, number][] = [];
  const o: { port: InterruptPort; log: [number, boolean, number][]; cpu?: () => number } = {
    log,
    port: {
      readIcc: () => undefined,
      writeIcc: () => false,
      setPpiLevel: (_c, intid, level) => log.push([intid, level, o.cpu ? o.cpu() : -1]),
    },
  };
  return o;
}

test('the virtual timer raises PPI 27 exactly when the counter reaches CVAL, and drops it when disabled', () => {
  const f = fakePort();
  const h = makeHarness({}, { interrupts: f.port });
  f.cpu = () => h.cpu.counter();
  place(h, [B_SELF]);
  h.cpu.sys.set('CNTV_CVAL_EL0', 1000n);
  h.cpu.sys.set('CNTV_CTL_EL0', 1n);
  h.cpu.run(5000);
  assert.deepEqual(f.log, [[27, true, 1000]], 'raised at counter 1000, not at the end of the slice');
  assert.equal(h.cpu.sys.get('CNTV_CTL_EL0'), 5n, 'ENABLE | ISTATUS');
  h.cpu.sys.set('CNTV_CTL_EL0', 3n); // IMASK
  h.cpu.run(1);
  assert.deepEqual(f.log.at(-1), [27, false, 5000], 'dropped at the next sync point (the start of the next slice)');
  assert.equal(h.cpu.sys.get('CNTV_CTL_EL0'), 7n, 'IMASK masks the output, not ISTATUS');
});

test('TVAL reads CVAL - count and writes CVAL = count + SignExtend(TVAL); CNTVOFF_EL2 offsets the virtual count with wrap-around', () => {
  const h = makeHarness({}, { highestEl: 2 });
  h.cpu.setElSp(2, 1);
  place(h, [B_SELF]);
  h.cpu.run(100);
  assert.equal(h.cpu.sys.get('CNTPCT_EL0'), 100n);
  h.cpu.sys.set('CNTP_TVAL_EL0', 0xffffffffn); // -1
  assert.equal(h.cpu.sys.get('CNTP_CVAL_EL0'), 99n);
  assert.equal(h.cpu.sys.get('CNTP_TVAL_EL0'), 0xffffffffn);
  h.cpu.sys.set('CNTVOFF_EL2', 1000n);
  assert.equal(h.cpu.sys.get('CNTVCT_EL0'), (1n << 64n) - 900n, 'CNTPCT - CNTVOFF modulo 2^64');
  h.cpu.sys.set('CNTV_TVAL_EL0', 50n);
  assert.equal(h.cpu.sys.get('CNTV_CVAL_EL0'), (1n << 64n) - 850n);
  h.cpu.sys.set('CNTV_CTL_EL0', 1n);
  assert.equal(h.cpu.sys.get('CNTV_CTL_EL0'), 1n, 'not yet');
  h.cpu.run(50);
  assert.equal(h.cpu.sys.get('CNTV_CTL_EL0'), 5n, 'expired after 50 ticks despite the wrapped values');
});

test('EL0 counter access follows CNTKCTL_EL1 (trap to EL1, EC 0x18, direction read)', () => {
  const h = setup();
  h.cpu.setElSp(0, 0);
  place(h, [0xd53be040]); // mrs x0, cntvct_el0
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR1 + 0x400n);
  assert.equal(h.cpu.sys.get('ESR_EL1') >> 26n, 0x18n);
  assert.equal(h.cpu.sys.get('ESR_EL1') & 1n, 1n);
  const g = setup();
  g.cpu.sys.set('CNTKCTL_EL1', 2n); // EL0VCTEN
  g.cpu.setElSp(0, 0);
  place(g, [0xd53be040]);
  g.cpu.run(1);
  assert.equal(g.pc(), CODE + 4n);
});

/** A raw image: words at the load address. */
function image(words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
  return b;
}

test('machine idle logic: every CPU in WFI with an armed timer jumps the clock to its deadline; none armed: idle', () => {
  const fired: number[] = [];
  const m = new Machine({ memory: 64 * 1024 * 1024 }, { timerFired: (e) => fired.push(e.counter) });
  m.load(image([WFI, B_SELF]), 'wfi.bin');
  const c = m.cpus[0];
  c.sys.set('CNTV_CVAL_EL0', 10_000_000n);
  c.sys.set('CNTV_CTL_EL0', 1n);
  const r = m.run(1000);
  assert.deepEqual(r, { kind: 'idle', cpu: 0 }, 'no GIC: the timer cannot wake the CPU, so the machine ends idle');
  assert.deepEqual(fired, [10_000_000], 'but the clock went straight to the deadline and the timer fired there');
  assert.ok(m.icount < 10, 'without executing the interval');
  assert.equal(c.sys.get('CNTV_CTL_EL0'), 5n);
});

test('fpTrapCheck (the FP/SIMD access check): CPACR_EL1.FPEN traps EL0/EL1 to EL1, CPTR_EL2.TFP traps to EL2, EC 0x07', () => {
  const h = setup(2);
  const trapEl = (): number | null => {
    try {
      fpTrapCheck(h.cpu);
      return null;
    } catch (e) {
      assert.ok(e instanceof SyncException);
      assert.equal(e.ec, 0x07);
      return e.targetEl ?? -1;
    }
  };
  h.cpu.setElSp(1, 1);
  assert.equal(trapEl(), 1, 'FPEN 0b00');
  h.cpu.sys.set('CPACR_EL1', 1n << 20n);
  assert.equal(trapEl(), null, 'FPEN 0b01 at EL1');
  h.cpu.setElSp(0, 0);
  assert.equal(trapEl(), 1, 'FPEN 0b01 at EL0');
  h.cpu.sys.set('CPACR_EL1', 3n << 20n);
  assert.equal(trapEl(), null);
  h.cpu.sys.set('CPTR_EL2', 0x33ffn | (1n << 10n));
  assert.equal(trapEl(), 2, 'CPTR_EL2.TFP');
  h.cpu.sys.set('CPTR_EL2', 0x33ffn);
  h.cpu.sys.set('CPACR_EL1', 0n);
  h.cpu.sys.set('HCR_EL2', 1n << 27n); // TGE: EL0's traps go to EL2
  assert.equal(trapEl(), 2, 'HCR_EL2.TGE');
});

test('unallocated ID registers (op0 3, op1 0, CRn 0, CRm 1-7) read as zero at EL1 and UNDEF at EL0', () => {
  const h = setup();
  h.cpu.setElSp(1, 1);
  place(h, [0xd5380480 /* mrs x0, id_aa64zfr0_el1 */, 0xd5380103 /* mrs x3, id_pfr0_el1 */, B_SELF]);
  h.setX(0, 5n);
  h.setX(3, 5n);
  h.cpu.run(2);
  assert.equal(h.pc(), CODE + 8n);
  assert.equal(h.x(0), 0n);
  assert.equal(h.x(3), 0n);
  h.cpu.setElSp(0, 0);
  place(h, [0xd5380480]);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR1 + 0x400n);
});

test('WFI/WFE at EL0 trap to EL1 when SCTLR_EL1.nTWI/nTWE are clear (EC 0x01, CV 1, COND 0xE, TI), and are NOPs when a wake-up is pending', () => {
  const h = setup();
  h.cpu.sys.set('SCTLR_EL1', 0x30d00800n & ~((1n << 16n) | (1n << 18n)));
  h.cpu.setElSp(0, 0);
  place(h, [WFI]);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR1 + 0x400n);
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x07e00000n);
  assert.equal(h.cpu.sys.get('ELR_EL1'), CODE, 'preferred return: the WFI itself');
  h.cpu.setElSp(0, 0);
  place(h, [WFE]);
  h.cpu.run(1);
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x07e00001n);
  h.cpu.setElSp(0, 0);
  h.cpu.setIrqLine(true);
  h.cpu.r[74] = 0xf;
  place(h, [WFI, NOP]);
  h.cpu.run(1);
  assert.equal(h.pc(), CODE + 4n, 'an interrupt is pending: no trap, no wait');
});
