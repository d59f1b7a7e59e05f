// Stage 1 translation on a bare CPU, beyond what the QEMU-checked MMU kernels cover (4K and 64K at EL1:
// test/fixtures/kernels/sys/mmu.c): the 16K granule, the EL2 regime, TBI, EPD1, EL0 permissions and UXN,
// PAN, WXN, the typed side-effect-free walk (each level's descriptor), the soft TLB following TTBR changes
// (ASIDs by flushing), a breakpoint set by physical address hit through a virtual alias after the MMU is
// on, and the mmuEnabled hook. Page tables are built here by a small table writer (granule-generic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE, RAM_BASE, type Harness } from '../helpers/cpuHarness';
import { MMU_SLOTS, type Cpu } from '../../src/emu/cpu/cpu';
import { translateVa, translateVaSlow } from '../../src/emu/cpu/mmu';

const LDR = 0xf9400001; // ldr x1, [x0]
const STR = 0xf9000001; // str x1, [x0]
const B_SELF = 0x14000000;
const NOP = 0xd503201f;
const MSR_PAN_1 = 0xd500419f;
const VBAR = BigInt(RAM_BASE + 0x10000);
const TABLES = RAM_BASE + 0x400000;

const NORMAL = 1n | (1n << 2n) | (3n << 8n) | (1n << 10n); // valid, AttrIndx 1, inner shareable, AF
const AP_EL0 = 1n << 6n;
const AP_RO = 2n << 6n;
const PXN = 1n << 53n;
const UXN = 1n << 54n;

/** Writes translation tables for one regime: granule bits g (12/14/16), input size `bits`. */
class Tables {
  next: number;
  readonly root: number;
  /** `after`: allocate after another writer's tables (a second address space). */
  constructor(readonly h: Harness, readonly g: number, readonly bits: number, after?: Tables) {
    this.next = after ? after.next : TABLES;
    this.root = this.alloc();
  }
  alloc(): number {
    const size = 1 << this.g;
    const a = Math.ceil(this.next / size) * size;
    this.next = a + size;
    return a;
  }
  private read(pa: number): bigint {
    const b = this.h.bus.peekBytes(pa, 8) as number[];
    return b.reduce((v, x, i) => v | (BigInt(x) << BigInt(8 * i)), 0n);
  }
  write(pa: number, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    this.h.bus.writeRamBytes(pa, b);
  }
  /** Maps one page (level 3) of VA (within the input range) to PA with leaf attributes. Returns the PTE address. */
  map(va: bigint, pa: number, attrs: bigint): number {
    const stride = this.g - 3;
    const start = 4 - Math.ceil((this.bits - this.g) / stride);
    let table = this.root;
    for (let level = start; level < 3; level++) {
      const shift = BigInt(this.g + stride * (3 - level));
      const idx = Number((va >> shift) & ((1n << BigInt(stride)) - 1n));
      const at = table + 8 * idx;
      let d = this.read(at);
      if (!(d & 1n)) {
        d = BigInt(this.alloc()) | 3n;
        this.write(at, d);
      }
      table = Number(d & 0xfffffffff000n);
    }
    const idx = Number((va >> BigInt(this.g)) & ((1n << BigInt(stride)) - 1n));
    this.write(table + 8 * idx, BigInt(pa) | 3n | attrs);
    return table + 8 * idx;
  }
}

function setup(g = 12): { h: Harness; t: Tables } {
  const h = makeHarness();
  h.cpu.sys.set('VBAR_EL1', VBAR);
  const spin = new Uint8Array(0x800);
  for (let i = 0; i < 0x800; i += 4) new DataView(spin.buffer).setUint32(i, B_SELF, true);
  h.bus.writeRamBytes(Number(VBAR), spin);
  const t = new Tables(h, g, 39);
  // identity-map the code page and the vectors (EL1 only)
  const size = 1 << g;
  for (const a of [Number(CODE), Number(VBAR)]) t.map(BigInt(a - (a % size)), a - (a % size), NORMAL);
  return { h, t };
}

const TG0 = { 12: 0n, 16: 1n, 14: 2n } as Record<number, bigint>;
const TG1 = { 14: 1n, 12: 2n, 16: 3n } as Record<number, bigint>;

function mmuOn(c: Cpu, t: Tables, extraTcr = 0n, ttbr1?: Tables): void {
  c.sys.set('MAIR_EL1', 0xff00n);
  c.sys.set('TCR_EL1', 25n | (TG0[t.g] << 14n) | (25n << 16n) | (TG1[ttbr1?.g ?? 12] << 30n) | (5n << 32n) | extraTcr);
  c.sys.set('TTBR0_EL1', BigInt(t.root));
  if (ttbr1) c.sys.set('TTBR1_EL1', BigInt(ttbr1.root));
  c.sys.set('SCTLR_EL1', 0x30d00801n);
  c.translationChanged();
}

function place(h: Harness, words: number[]): void {
  const b = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(b.buffer).setUint32(4 * i, w >>> 0, true));
  h.bus.writeRamBytes(Number(CODE), b);
  h.cpu.code.clear();
  h.cpu.setPc(Number(CODE & 0xffffffffn), 0);
}

test('16K granule: a three-level walk (levels 1, 2, 3), its typed records, and a load through it', () => {
  const { h, t } = setup(14);
  const va = 0x12_3456_8000n;
  const pte = t.map(va, RAM_BASE + 0x20_0000, NORMAL);
  mmuOn(h.cpu, t);
  const w = h.cpu.walk(va + 0x10n);
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.levels.map((l) => [l.level, l.kind]), [[1, 'table'], [2, 'table'], [3, 'page']]);
  assert.equal(w.levels[2].address, pte);
  assert.equal(w.pa, RAM_BASE + 0x20_0010);
  assert.equal(w.size, 0x4000);
  assert.equal(w.attr, 0xff);
  assert.equal(w.params.granuleBits, 14);
  h.bus.writeRamBytes(RAM_BASE + 0x20_0010, new Uint8Array([0x2a]));
  place(h, [LDR, NOP]);
  h.setX(0, va + 0x10n);
  h.cpu.run(1);
  assert.equal(h.x(1), 0x2an);
  assert.equal(h.pc(), CODE + 4n);
});

test('a model without 16K pages (cortex-a57) walks TG0 = 16K as 4K (IMPLEMENTATION DEFINED choice)', () => {
  const h = makeHarness({}, { model: 'cortex-a57' });
  const t = new Tables(h, 12, 39);
  t.map(0x8000_0000n, RAM_BASE + 0x3000, NORMAL);
  h.cpu.sys.set('TCR_EL1', 25n | (2n << 14n) | (4n << 32n));
  h.cpu.sys.set('TTBR0_EL1', BigInt(t.root));
  h.cpu.sys.set('SCTLR_EL1', 0x30d00801n);
  h.cpu.translationChanged();
  const w = h.cpu.walk(0x8000_0123n);
  assert.equal(w.params.granuleBits, 12);
  assert.equal(w.pa, RAM_BASE + 0x3123);
});

test('faults carry DFSC level and WnR in ESR and the VA in FAR; EL0 needs AP[1], UXN stops EL0 fetches', () => {
  const { h, t } = setup();
  const ro = 0x20_0000n;
  t.map(ro, RAM_BASE + 0x20_0000, NORMAL | AP_RO);
  mmuOn(h.cpu, t);
  place(h, [STR]);
  h.setX(0, ro + 8n);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR + 0x200n);
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x9600004fn, 'EC 0x25, WnR, permission fault level 3');
  assert.equal(h.cpu.sys.get('FAR_EL1'), ro + 8n);
  // EL0: a page without AP[1] is not accessible to its loads; its code runs from a page EL0 may execute
  const e = setup();
  const code = Number(CODE);
  e.t.map(BigInt(code), code, NORMAL | AP_EL0 | AP_RO | PXN);
  e.t.map(0x30_0000n, RAM_BASE + 0x30_0000, NORMAL); // EL1 only
  mmuOn(e.h.cpu, e.t);
  place(e.h, [LDR]);
  e.h.cpu.setElSp(0, 0);
  e.h.setX(0, 0x30_0000n);
  e.h.cpu.run(1);
  assert.equal(e.h.pc(), VBAR + 0x400n, 'from EL0');
  assert.equal(e.h.cpu.sys.get('ESR_EL1'), 0x9200000fn, 'EC 0x24 (lower EL), permission level 3');
  e.t.map(BigInt(code), code, NORMAL | AP_EL0 | UXN);
  e.h.cpu.translationChanged();
  place(e.h, [NOP]);
  e.h.cpu.setElSp(0, 0);
  e.h.cpu.run(1);
  assert.equal(e.h.cpu.sys.get('ESR_EL1'), 0x8200000fn, 'instruction abort from EL0 (EC 0x20), permission');
  assert.equal(e.h.cpu.sys.get('FAR_EL1'), CODE);
});

test('PAN: with PSTATE.PAN set, EL1 data accesses to EL0-accessible pages fault; SPSR keeps PAN; SPAN clear sets it on entry', () => {
  const { h, t } = setup();
  t.map(0x50_0000n, RAM_BASE + 0x50_0000, NORMAL | AP_EL0);
  mmuOn(h.cpu, t);
  place(h, [LDR, MSR_PAN_1, LDR]);
  h.setX(0, 0x50_0000n);
  h.cpu.run(1);
  assert.equal(h.pc(), CODE + 4n, 'PAN 0: allowed');
  h.cpu.run(2);
  assert.equal(h.pc(), VBAR + 0x200n, 'PAN 1: permission fault');
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x9600000fn);
  assert.equal((h.cpu.sys.get('SPSR_EL1') >> 22n) & 1n, 1n, 'SPSR.PAN');
  assert.equal(h.cpu.sys.get('PAN'), 1n << 22n, 'SCTLR_EL1.SPAN = 1 (reset): PAN unchanged on entry');
  const g = setup();
  mmuOn(g.h.cpu, g.t);
  g.h.cpu.sys.set('SCTLR_EL1', 0x30d00801n & ~(1n << 23n));
  g.h.cpu.translationChanged();
  place(g.h, [0xd4000001]); // svc #0
  g.h.cpu.run(1);
  assert.equal(g.h.cpu.sys.get('PAN'), 1n << 22n, 'SPAN = 0: PAN set on exception entry to EL1');
});

test('WXN makes writable pages execute-never; TBI0 ignores the top byte of data addresses only', () => {
  const { h, t } = setup();
  t.map(0x60_0000n, RAM_BASE + 0x60_0000, NORMAL);
  mmuOn(h.cpu, t, 1n << 37n); // TBI0
  const w = h.cpu.walk(0x5a00_0000_0060_0008n);
  assert.equal(w.pa, RAM_BASE + 0x60_0008, 'tagged pointer translates');
  assert.equal(h.cpu.walk(0x5a00_0000_0060_0008n, 1, true).fault?.kind, 'translation', 'not for fetches');
  h.cpu.sys.set('SCTLR_EL1', 0x30d00801n | (1n << 19n));
  h.cpu.translationChanged();
  place(h, [NOP]);
  h.cpu.run(1);
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x8600000fn, 'the RW code page is not executable under WXN');
});

test('EPD1 and VAs outside both ranges give level 0 translation faults; TTBR1 serves the top of the address space', () => {
  const { h, t } = setup();
  const hi = new Tables(h, 12, 39, t);
  const root1 = hi.root;
  assert.notEqual(root1, t.root);
  hi.map(0xffff_ff80_0000_0000n & ((1n << 39n) - 1n), RAM_BASE + 0x70_0000, NORMAL);
  mmuOn(h.cpu, t, 0n, hi);
  assert.equal(h.cpu.walk(0xffff_ff80_0000_0010n).pa, RAM_BASE + 0x70_0010);
  assert.equal(h.cpu.walk(0xffff_ff80_0000_0010n).levels[0].table, root1);
  assert.deepEqual(h.cpu.walk(0x0000_0100_0000_0000n).fault, { kind: 'translation', level: 0 });
  assert.deepEqual(h.cpu.walk(0xff00_0000_0000_0000n).fault, { kind: 'translation', level: 0 });
  mmuOn(h.cpu, t, 1n << 23n, hi); // EPD1
  assert.deepEqual(h.cpu.walk(0xffff_ff80_0000_0010n).fault, { kind: 'translation', level: 0 });
});

test('the EL2 regime: TTBR0_EL2/TCR_EL2/SCTLR_EL2, AP[1] ignored, an access flag fault at EL2 goes to ESR_EL2', () => {
  const h = makeHarness({}, { highestEl: 2 });
  h.cpu.setElSp(2, 1);
  h.cpu.sys.set('VBAR_EL2', VBAR);
  const t = new Tables(h, 16, 42);
  const size = 0x10000;
  for (const a of [Number(CODE), Number(VBAR)]) t.map(BigInt(a - (a % size)), a - (a % size), NORMAL);
  t.map(0x1_0000_0000n, RAM_BASE + 0x80_0000, NORMAL & ~(1n << 10n)); // AF = 0
  h.cpu.sys.set('MAIR_EL2', 0xff00n);
  h.cpu.sys.set('TCR_EL2', 22n | (1n << 14n) | (2n << 16n));
  h.cpu.sys.set('TTBR0_EL2', BigInt(t.root));
  h.cpu.sys.set('SCTLR_EL2', 0x30c50831n);
  h.cpu.translationChanged();
  const w = h.cpu.walk(0x1_0000_0000n);
  assert.equal(w.params.regime, 'EL2');
  assert.deepEqual(w.levels.map((l) => l.level), [2, 3], '64K, 42 bits: two levels');
  assert.deepEqual(w.fault, { kind: 'access-flag', level: 3 });
  place(h, [LDR]);
  h.setX(0, 0x1_0000_0000n);
  h.cpu.run(1);
  assert.equal(h.cpu.sys.get('ESR_EL2'), 0x9600000bn);
  assert.equal(h.cpu.sys.get('FAR_EL2'), 0x1_0000_0000n);
});

test('the soft TLB follows TTBR0 (ASID switches flush it): the same VA reads each address space', () => {
  const { h, t } = setup();
  t.map(0x90_0000n, RAM_BASE + 0x90_0000, NORMAL);
  const t2 = new Tables(h, 12, 39, t);
  t2.map(BigInt(Number(CODE)), Number(CODE), NORMAL);
  t2.map(BigInt(Number(VBAR)), Number(VBAR), NORMAL);
  t2.map(0x90_0000n, RAM_BASE + 0x91_0000, NORMAL);
  h.bus.writeRamBytes(RAM_BASE + 0x90_0000, new Uint8Array([1]));
  h.bus.writeRamBytes(RAM_BASE + 0x91_0000, new Uint8Array([2]));
  mmuOn(h.cpu, t);
  const MSR_TTBR0_X2 = 0xd5182002; // msr ttbr0_el1, x2
  place(h, [LDR, MSR_TTBR0_X2, 0xf9400003 /* ldr x3, [x0] */]);
  h.setX(0, 0x90_0000n);
  h.setX(2, BigInt(t2.root) | (5n << 48n));
  h.cpu.run(3);
  assert.equal(h.x(1), 1n);
  assert.equal(h.x(3), 2n);
});

test('a breakpoint set by physical address stops at a virtual alias once the MMU is on; mmuEnabled is published once', () => {
  const events: string[] = [];
  const h = makeHarness({ mmuEnabled: (_c, regime) => events.push(regime) });
  h.cpu.sys.set('VBAR_EL1', VBAR);
  const t = new Tables(h, 12, 39);
  const alias = 0x7f_0000_0000n;
  t.map(alias, Number(CODE), NORMAL);
  t.map(BigInt(Number(CODE)), Number(CODE), NORMAL);
  place(h, [NOP, NOP, NOP, B_SELF]);
  h.cpu.code.setBreakpoint(Number(CODE) + 8);
  mmuOn(h.cpu, t);
  mmuOn(h.cpu, t);
  assert.deepEqual(events, ['EL1&0']);
  h.cpu.setPc(Number(alias & 0xffffffffn), Number(alias >> 32n));
  assert.equal(h.cpu.run(10), 'breakpoint');
  assert.equal(h.pc(), alias + 8n);
});

test('LDTR/STTR at EL1 use EL0 permissions: an EL1-only page faults (EC 0x25), an EL0 page is readable under PAN', () => {
  const { h, t } = setup();
  t.map(0xa0_0000n, RAM_BASE + 0xa0_0000, NORMAL); // EL1 only
  t.map(0xb0_0000n, RAM_BASE + 0xb0_0000, NORMAL | AP_EL0);
  h.bus.writeRamBytes(RAM_BASE + 0xb0_0000, new Uint8Array([7]));
  mmuOn(h.cpu, t);
  const LDTR = 0xf8400801; // ldtr x1, [x0]
  place(h, [MSR_PAN_1, LDTR, LDTR]);
  h.setX(0, 0xb0_0000n);
  h.cpu.run(2);
  assert.equal(h.x(1), 7n, 'PAN does not apply to LDTR');
  assert.equal(h.pc(), CODE + 8n);
  h.setX(0, 0xa0_0000n);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR + 0x200n);
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x9600000fn, 'same-EL data abort, permission level 3');
  assert.equal(h.cpu.el, 1);
});

test('the fast translation (every TLB miss) agrees with the typed walk + permission check on random VAs, descriptors and EL', () => {
  // a deterministic LCG: random descriptors in three granules, random VAs over the mapped and unmapped space
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  let checked = 0;
  for (const g of [12, 14, 16]) {
    const { h, t } = setup(g);
    const size = 1 << g;
    const vas: bigint[] = [];
    for (let i = 0; i < 40; i++) {
      const va = BigInt(rnd() % 0x4000) * BigInt(size) + BigInt(rnd() % 64) * 0x1_0000_0000n;
      const flags = rnd();
      let attrs = NORMAL;
      if (flags & 1) attrs |= AP_EL0;
      if (flags & 2) attrs |= AP_RO;
      if (flags & 4) attrs |= PXN;
      if (flags & 8) attrs |= UXN;
      if (flags & 16) attrs &= ~(1n << 10n);
      t.map(va & ((1n << 39n) - 1n), RAM_BASE + 0x100000 + (rnd() % 256) * size, attrs);
      vas.push(va, va + BigInt(rnd() % size), va + BigInt(size) * 3n, 0xffff_ff80_0000_0000n + va);
    }
    mmuOn(h.cpu, t, BigInt(rnd() & 1) << 37n);
    // the EL2 regime over the same tables
    h.cpu.sys.set('TCR_EL2', 25n | (TG0[g] << 14n) | (5n << 16n) | (1n << 20n));
    h.cpu.sys.set('TTBR0_EL2', BigInt(t.root));
    h.cpu.sys.set('MAIR_EL2', 0xff00n);
    for (const wxn of [0n, 1n << 19n]) {
      h.cpu.sys.set('SCTLR_EL1', 0x30d00801n | wxn);
      h.cpu.sys.set('SCTLR_EL2', 0x30c50831n | wxn);
      for (const pan of [0, 1]) {
        h.cpu.r[77] = pan;
        for (const va of vas) {
          for (const kind of ['read', 'write', 'fetch'] as const) {
            for (const el of [0, 1, 2]) {
              const lo = Number(va & 0xffffffffn) | 0;
              const hi = Number(va >> 32n) | 0;
              assert.deepEqual(translateVa(h.cpu, MMU_SLOTS, lo, hi, kind, el), translateVaSlow(h.cpu, MMU_SLOTS, lo, hi, kind, el), `${g} ${va.toString(16)} ${kind} EL${el}`);
              checked++;
            }
          }
        }
      }
    }
  }
  assert.ok(checked > 10000);
});

test('each EL keeps its own soft TLB: an EL1-only page read at EL1 still faults at EL0, and reads again after the return', () => {
  const { h, t } = setup();
  const code = Number(CODE);
  t.map(BigInt(code), code, NORMAL | AP_EL0 | AP_RO); // code readable and executable at EL0 (UXN clear)
  t.map(0xc0_0000n, RAM_BASE + 0xc0_0000, NORMAL); // EL1 only
  h.bus.writeRamBytes(RAM_BASE + 0xc0_0000, new Uint8Array([9]));
  mmuOn(h.cpu, t);
  place(h, [LDR, LDR]);
  h.setX(0, 0xc0_0000n);
  h.cpu.run(1);
  assert.equal(h.x(1), 9n, 'EL1: read, and the entry is in EL1\'s TLB');
  h.cpu.setElSp(0, 0);
  h.setX(1, 0n);
  h.cpu.run(1);
  assert.equal(h.pc(), VBAR + 0x400n, 'EL0: permission fault, not a hit in EL1\'s entry');
  assert.equal(h.cpu.sys.get('ESR_EL1'), 0x9200000fn);
  assert.equal(h.x(1), 0n);
  h.cpu.setPc(Number(CODE) + 4, 0);
  h.cpu.run(1);
  assert.equal(h.x(1), 9n, 'back at EL1 (the vector runs at EL1): its entry still serves');
});
