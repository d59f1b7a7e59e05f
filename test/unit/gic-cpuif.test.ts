// The GICv3 CPU interface through its ICC_* registers: acknowledge/EOI with active priorities and the
// running priority, preemption by group priority under the binary point, the priority mask, EOImode 1 and
// ICC_DIR_EL1, Group 0 on FIQ, an EOI for the wrong group, SGIs between CPUs (target list, RS, IRM), which
// registers do not exist, and the ICC_* rows of the CPU's system-register table (UNDEFINED without a GIC,
// forwarded with one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGic } from '../helpers/gicHarness';
import { CODE, makeHarness } from '../helpers/cpuHarness';

const SGI = 0x10000;

function sgi1(intid: number, targets: number, extra = 0n): bigint {
  return (BigInt(intid) << 24n) | BigInt(targets) | extra;
}

/** One CPU, SGIs Group 1 and enabled with the given priorities. */
function oneCpu(prios: Record<number, number> = {}) {
  const h = makeGic(1);
  h.init();
  const r = h.gicr(0);
  r.w(SGI + 0x80, 0xffff);
  for (let i = 0; i < 16; i++) r.w(SGI + 0x400 + i, prios[i] ?? 0x80, 1);
  r.w(SGI + 0x100, 0xffff);
  return h;
}

test('acknowledge and EOI: active priority bit, running priority, spurious while active, events', () => {
  const h = oneCpu({ 5: 0x48 });
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(5, 1));
  assert.equal(h.irq[0], true);
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 5n);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 5n);
  assert.equal(h.irq[0], false);
  // ICC_BPR1_EL1 = 3 (reset minimum) groups like ICC_BPR0_EL1 = 2: group priority bits [7:3], so 0x48 is
  // its own group priority; one AP bit per group priority: 0x48 >> 3 = bit 9
  assert.equal(h.icc(0, 'ICC_AP1R0_EL1'), 1n << 9n);
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0x48n);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1023n);
  h.icc(0, 'ICC_EOIR1_EL1', 5n);
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0xffn);
  assert.equal(h.gicr(0).r(SGI + 0x300), 0);
  assert.deepEqual(h.events.map((e) => e.kind), ['interrupt-asserted', 'interrupt-acknowledged', 'interrupt-eoi']);
  assert.deepEqual(h.events[1], { kind: 'interrupt-acknowledged', cpu: 0, intid: 5, group: 1, priority: 0x48 });
});

test('preemption needs a higher group priority: the binary point decides', () => {
  const h = oneCpu({ 1: 0x40, 2: 0x30 });
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(1, 1));
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1n);
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(2, 1));
  // BPR1 = 3: group priority = bits [7:3]: 0x30 preempts 0x40
  assert.equal(h.irq[0], true);
  h.icc(0, 'ICC_SGI1R_EL1', 0n); // nothing (no targets)
  // BPR1 = 7 (group priority bit [7] only): 0x30 and 0x40 are both group priority 0x00 -> no preemption
  h.icc(0, 'ICC_BPR1_EL1', 7n);
  assert.equal(h.irq[0], false);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1023n);
  h.icc(0, 'ICC_BPR1_EL1', 0n);
  assert.equal(h.icc(0, 'ICC_BPR1_EL1'), 3n, 'BPR1 cannot go below its minimum (5 preemption bits)');
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 2n, 'nested');
  assert.equal(h.icc(0, 'ICC_AP1R0_EL1'), (1n << 8n) | (1n << 6n));
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0x30n);
  h.icc(0, 'ICC_EOIR1_EL1', 2n);
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0x40n, 'the highest active priority is dropped first');
  h.icc(0, 'ICC_EOIR1_EL1', 1n);
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0xffn);
});

test('priority mask: PMR keeps 5 bits; an interrupt at or below the mask is not signalled but is the HPPI', () => {
  const h = oneCpu({ 3: 0x80 });
  h.icc(0, 'ICC_PMR_EL1', 0x87n);
  assert.equal(h.icc(0, 'ICC_PMR_EL1'), 0x80n);
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(3, 1));
  assert.equal(h.irq[0], false);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1023n);
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 3n);
  h.icc(0, 'ICC_PMR_EL1', 0x88n);
  assert.equal(h.irq[0], true);
});

test('EOImode 1: EOIR drops the priority only; DIR deactivates; DIR with EOImode 0 is ignored with a warning', () => {
  const h = oneCpu();
  h.icc(0, 'ICC_CTLR_EL1', 2n);
  assert.equal(h.icc(0, 'ICC_CTLR_EL1'), 0x8c02n, 'A3V, IDbits 1, PRIbits 4, EOImode');
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(9, 1));
  h.icc(0, 'ICC_IAR1_EL1');
  h.icc(0, 'ICC_EOIR1_EL1', 9n);
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0xffn);
  assert.equal(h.gicr(0).r(SGI + 0x300), 1 << 9);
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(9, 1));
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1023n, 'still active: not taken again');
  h.icc(0, 'ICC_DIR_EL1', 9n);
  assert.equal(h.gicr(0).r(SGI + 0x300), 0);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 9n);
  h.icc(0, 'ICC_CTLR_EL1', 0n);
  h.icc(0, 'ICC_DIR_EL1', 9n);
  assert.match(h.warnings[0], /ICC_DIR_EL1 .*EOImode is 0: ignored/);
  assert.equal(h.gicr(0).r(SGI + 0x300), 1 << 9);
});

test('Group 0 is signalled on FIQ and taken through IAR0; an EOIR1 for it is ignored; SGI1R does not reach it', () => {
  const h = oneCpu();
  h.gicr(0).w(SGI + 0x80, 0xffff & ~(1 << 7));
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(7, 1));
  assert.equal(h.gicr(0).r(SGI + 0x200), 0);
  h.icc(0, 'ICC_SGI0R_EL1', sgi1(7, 1));
  assert.deepEqual([h.irq[0], h.fiq[0]], [false, true]);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1023n);
  assert.equal(h.icc(0, 'ICC_IAR0_EL1'), 7n);
  h.icc(0, 'ICC_EOIR1_EL1', 7n);
  assert.match(h.warnings[0], /ICC_EOIR1_EL1 .*not Group 1: ignored/);
  assert.equal(h.icc(0, 'ICC_AP0R0_EL1'), 1n << 16n);
  h.icc(0, 'ICC_EOIR0_EL1', 7n);
  assert.equal(h.icc(0, 'ICC_AP0R0_EL1'), 0n);
  h.icc(0, 'ICC_IGRPEN0_EL1', 0n);
  h.icc(0, 'ICC_SGI0R_EL1', sgi1(7, 1));
  assert.equal(h.fiq[0], false, 'Group 0 disabled at the CPU interface');
});

test('SGIs between CPUs: target list, range selector, IRM = 1 (all but self)', () => {
  const h = makeGic(3);
  h.init();
  for (let c = 0; c < 3; c++) {
    h.gicr(c).w(SGI + 0x80, 0xffff);
    h.gicr(c).w(SGI + 0x100, 0xffff);
  }
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(2, 0b110));
  assert.deepEqual(h.irq, [false, true, true]);
  assert.equal(h.icc(1, 'ICC_IAR1_EL1'), 2n);
  assert.equal(h.icc(2, 'ICC_IAR1_EL1'), 2n);
  h.icc(1, 'ICC_EOIR1_EL1', 2n);
  h.icc(2, 'ICC_EOIR1_EL1', 2n);
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(3, 0b111, 1n << 44n)); // RS = 1: Aff0 16..31, no such CPUs
  assert.deepEqual(h.irq, [false, false, false]);
  h.icc(2, 'ICC_SGI1R_EL1', sgi1(4, 0, 1n << 40n)); // IRM
  assert.deepEqual(h.irq, [true, true, false]);
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(4, 1, 1n << 16n)); // Aff1 = 1: no such CPU
  assert.equal(h.gicr(0).r(SGI + 0x200), 1 << 4);
});

test('registers that do not exist: write-only reads, AP*R1-3 (5 priority bits), read-only writes', () => {
  const h = makeGic(1);
  assert.equal(h.gic.readIcc(0, 'ICC_EOIR1_EL1', 1), undefined);
  assert.equal(h.gic.readIcc(0, 'ICC_AP1R1_EL1', 1), undefined);
  assert.equal(h.gic.writeIcc(0, 'ICC_AP0R3_EL1', 1, 0n), false);
  assert.equal(h.gic.writeIcc(0, 'ICC_IAR1_EL1', 1, 0n), false);
  assert.equal(h.gic.readIcc(0, 'ICC_SRE_EL1', 1), 7n);
  assert.equal(h.gic.readIcc(0, 'ICC_BPR0_EL1', 1), 2n);
});

test('peek never acknowledges', () => {
  const h = oneCpu();
  h.icc(0, 'ICC_SGI1R_EL1', sgi1(1, 1));
  assert.equal(h.gic.peekIcc(0, 'ICC_IAR1_EL1'), 1n);
  assert.equal(h.gic.peekIcc(0, 'ICC_IAR1_EL1'), 1n);
  assert.equal(h.icc(0, 'ICC_RPR_EL1'), 0xffn);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1n);
});

// mrs x0, icc_iar1_el1 / msr icc_sgi1r_el1, x1 / mrs x0, icc_eoir1_el1 (write-only)
const MRS_IAR1 = 0xd538cc00;
const MSR_SGI1R = 0xd518cba1;
const MRS_EOIR1 = 0xd538cc20;
const VBAR = 0x4000_0000n;

test('ICC_* system registers: UNDEFINED on a CPU without a GIC; forwarded to the GIC with one', () => {
  const bare = makeHarness();
  bare.cpu.sys.set('VBAR_EL1', VBAR);
  bare.run([MRS_IAR1], 1);
  assert.equal(bare.pc(), VBAR + 0x200n, 'UNDEF taken to the current-EL sync vector');
  assert.equal(bare.cpu.sys.get('ESR_EL1') >> 26n, 0n);

  const g = oneCpu();
  const h = makeHarness();
  h.cpu.opts.interrupts = g.gic;
  h.cpu.sys.set('VBAR_EL1', VBAR);
  h.setX(1, sgi1(6, 1));
  h.run([MSR_SGI1R, MRS_IAR1], 2);
  assert.equal(h.pc(), CODE + 8n);
  assert.equal(h.x(0), 6n);
  h.run([MRS_EOIR1], 1);
  assert.equal(h.pc(), VBAR + 0x200n, 'reading a write-only ICC register is UNDEFINED');
});
