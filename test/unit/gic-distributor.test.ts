// GICv3 distributor and redistributor driven through MMIO sequences as a driver would: identification,
// banked SGI/PPI registers RAZ/WI in the distributor under affinity routing, byte access to priorities and
// bad access sizes, level and edge semantics of SPIs and PPIs, GICD_IROUTER routing, the GICR_WAKER gate,
// GICR_PROPBASER/PENDBASER locking, and the IRQ/FIQ lines and events that follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGic } from '../helpers/gicHarness';

const GICD_CTLR = 0x0;
const ISENABLER = (n: number): number => 0x100 + 4 * n;
const ISPENDR = (n: number): number => 0x200 + 4 * n;
const ICPENDR = (n: number): number => 0x280 + 4 * n;
const ISACTIVER = (n: number): number => 0x300 + 4 * n;
const IPRIORITYR = (i: number): number => 0x400 + i;
const ICFGR = (n: number): number => 0xc00 + 4 * n;
const IROUTER = (i: number): number => 0x6000 + 8 * i;
const SGI = 0x10000;

test('distributor: GICD_CTLR keeps ARE and DS set, group enables writable; TYPER and PIDR2 as QEMU virt', () => {
  const h = makeGic(2);
  assert.equal(h.gicd.r(GICD_CTLR), 0x50, 'ARE (bit 4) and DS (bit 6) read as one from reset');
  h.gicd.w(GICD_CTLR, 0);
  assert.equal(h.gicd.r(GICD_CTLR), 0x50, 'ARE and DS are RAO/WI');
  h.gicd.w(GICD_CTLR, 3);
  assert.equal(h.gicd.r(GICD_CTLR), 0x53);
  // ITLinesNumber 7 (256 INTIDs), CPUNumber 1 (two CPUs), LPIS, IDbits 15, A3V, No1N
  assert.equal(h.gicd.r(0x4), (7 | (1 << 5) | (1 << 17) | (15 << 19) | (1 << 24) | (1 << 25)) >>> 0);
  assert.equal(h.gicd.r(0xffe8) >> 4, 3, 'PIDR2.ArchRev = 3 (GICv3)');
  assert.equal(h.gicr(0).r(0xffe8) >> 4, 3);
  assert.deepEqual(h.errors, []);
});

test('distributor: the SGI/PPI words are RAZ/WI; SPI words beyond ITLinesNumber read zero', () => {
  const h = makeGic();
  h.gicd.w(ISENABLER(0), 0xffffffff);
  assert.equal(h.gicd.r(ISENABLER(0)), 0);
  assert.equal(h.gicr(0).r(SGI + 0x100), 0, 'the redistributor did not see it either');
  h.gicd.w(ISENABLER(7), 0xffffffff);
  assert.equal(h.gicd.r(ISENABLER(7)), 0xffffffff);
  h.gicd.w(ISENABLER(8), 0xffffffff);
  assert.equal(h.gicd.r(ISENABLER(8)), 0, 'INTIDs 256+ do not exist');
  h.gicd.w(ISENABLER(1), 0xffffffff);
  h.gicd.w(0x184, 0x1); // ICENABLER1: INTID 32
  assert.equal(h.gicd.r(ISENABLER(1)), 0xfffffffe);
});

test('distributor: priorities take byte and word accesses; 16-bit accesses and bytes of word-only registers are guest errors', () => {
  const h = makeGic();
  h.gicd.w(IPRIORITYR(41), 0xa5, 1);
  assert.equal(h.gicd.r(IPRIORITYR(41), 1), 0xa5, 'all 8 bits kept, as QEMU');
  assert.equal(h.gicd.r(IPRIORITYR(40)), 0x0000a500);
  h.gicd.w(IPRIORITYR(40), 0x11223344);
  assert.equal(h.gicd.r(IPRIORITYR(42), 1), 0x22);
  assert.equal(h.gicd.r(IPRIORITYR(8)), 0, 'SGI/PPI priorities live in the redistributor');
  assert.deepEqual(h.errors, []);
  h.gicd.w(ISENABLER(1), 0xff, 1);
  assert.equal(h.gicd.r(ISENABLER(1)), 0, 'the byte write was ignored');
  h.gicd.r(IPRIORITYR(40), 2);
  assert.equal(h.errors.length, 2);
  assert.match(h.errors[0], /1-byte write .*GICD_ISENABLER<1>/);
  assert.match(h.errors[1], /2-byte read .*GICD_IPRIORITYR<10>/);
  h.gicd.w(0x4, 1);
  assert.match(h.errors[2], /read-only register GICD_TYPER/);
  h.gicd.r(0x5000);
  assert.match(h.errors[3], /unimplemented offset 0x5000/);
});

test('level-sensitive SPI: pending follows the line; ISPENDR latches; acknowledge leaves it pending while the line is high', () => {
  const h = makeGic();
  h.init();
  h.gicd.w(0x84, 0xffffffff); // IGROUPR1: Group 1
  h.gicd.w(ISENABLER(1), 1 << 1); // INTID 33
  h.gic.setSpiLevel(33, true);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 2);
  assert.equal(h.irq[0], true, 'IRQ asserted');
  h.gic.setSpiLevel(33, false);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 0);
  assert.equal(h.irq[0], false, 'IRQ follows the line down');
  h.gic.setSpiLevel(33, true);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 33n);
  assert.equal(h.gicd.r(ISACTIVER(1)) & 2, 2);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 2, 'active and pending: the line is still high');
  assert.equal(h.irq[0], false, 'an active interrupt is not signalled again');
  h.icc(0, 'ICC_EOIR1_EL1', 33n);
  assert.equal(h.irq[0], true, 'deactivated while the line is high: signalled again');
  h.gic.setSpiLevel(33, false);
  h.gicd.w(ISPENDR(1), 2);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 2, 'software-pended with the line low');
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 33n);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 0, 'acknowledge clears the software pending state');
  h.icc(0, 'ICC_EOIR1_EL1', 33n);
  const kinds = h.events.map((e) => e.kind);
  assert.deepEqual(kinds.filter((k) => k === 'interrupt-acknowledged').length, 2);
});

test('edge-triggered SPI: a rising edge latches; the line going low does not clear it; ICPENDR does', () => {
  const h = makeGic();
  h.init();
  h.gicd.w(0x84, 0xffffffff);
  h.gicd.w(ICFGR(2), 2 << 2); // INTID 33: Int_config[1] = 1 (edge)
  assert.equal(h.gicd.r(ICFGR(2)), 8);
  h.gicd.w(ISENABLER(1), 1 << 1);
  h.gic.setSpiLevel(33, true);
  h.gic.setSpiLevel(33, false);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 2);
  h.gicd.w(ICPENDR(1), 2);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 0);
  assert.equal(h.irq[0], false);
  h.gic.setSpiLevel(33, true);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 33n);
  assert.equal(h.gicd.r(ISPENDR(1)) & 2, 0, 'acknowledged edge: no longer pending though the line is high');
});

test('GICD_IROUTER: an SPI goes to the CPU whose affinity matches; IRM is RAZ/WI; no match: not delivered', () => {
  const h = makeGic(2);
  h.init();
  h.gicd.w(0x84, 0xffffffff);
  h.gicd.w(ISENABLER(1), 1 << 8); // INTID 40
  h.gicd.w(IROUTER(40), 1); // Aff0 = 1: CPU 1
  h.gicd.w(ISPENDR(1), 1 << 8);
  assert.deepEqual(h.irq, [false, true]);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 1023n);
  h.gicd.w(IROUTER(40), 0x80000000); // IRM = 1: not implemented (No1N)
  assert.equal(h.gicd.r(IROUTER(40)), 0);
  assert.deepEqual(h.irq, [true, false]);
  h.gicd.w(IROUTER(40) + 4, 1); // Aff3 = 1: no such CPU
  assert.deepEqual(h.irq, [false, false]);
  assert.equal(h.gic.snapshot().distributor.spis[8]!.target, -1);
});

test('redistributor: GICR_TYPER (processor number, Last, affinity), WAKER handshake gates forwarding', () => {
  const h = makeGic(2);
  assert.equal(h.gicr(0).r64(0x8), 0x01000001n, 'CPU 0: PLPIS, CommonLPIAff, not Last');
  assert.equal(h.gicr(1).r64(0x8), (1n << 32n) | 0x01000111n, 'CPU 1: Processor_Number 1, Last, Aff0 = 1');
  assert.equal(h.gicr(0).r(0x14), 6, 'ProcessorSleep and ChildrenAsleep from reset');
  h.gicd.w(GICD_CTLR, 0x13);
  h.icc(0, 'ICC_PMR_EL1', 0xffn);
  h.icc(0, 'ICC_IGRPEN1_EL1', 1n);
  h.gicr(0).w(SGI + 0x80, 0xffffffff);
  h.gicr(0).w(SGI + 0x100, 1 << 27); // PPI 27 (virtual timer)
  h.gic.setPpiLevel(0, 27, true);
  assert.equal(h.irq[0], false, 'asleep: not forwarded');
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 1023n);
  h.gicr(0).w(0x14, 0);
  assert.equal(h.gicr(0).r(0x14), 0);
  assert.equal(h.irq[0], true);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 27n);
  h.gicr(0).w(0x24, 1); // GICR_PWRR
  assert.match(h.warnings[0], /GICR_PWRR .*ignored/);
});

test('redistributor: SGI config read-only edge, PPI config writable; PROPBASER/PENDBASER locked while EnableLPIs', () => {
  const h = makeGic();
  const r = h.gicr(0);
  assert.equal(r.r(SGI + 0xc00), 0xaaaaaaaa);
  r.w(SGI + 0xc00, 0);
  assert.equal(r.r(SGI + 0xc00), 0xaaaaaaaa);
  r.w(SGI + 0xc04, 0x8);
  assert.equal(r.r(SGI + 0xc04), 0x8);
  r.w64(0x70, 0x40010000n | 15n);
  r.w64(0x78, 0x40020000n | (1n << 62n));
  assert.equal(r.r64(0x78), 0x40020000n, 'PTZ reads as zero');
  r.w(0x0, 1);
  assert.equal(r.r(0x0), 3, 'EnableLPIs, CES');
  r.w64(0x70, 0x40030000n);
  assert.equal(r.r64(0x70), 0x40010000n | 15n);
  assert.match(h.warnings[0], /GICR_PROPBASER while GICR_CTLR.EnableLPIs is 1 ignored/);
});
