// Watchpoints (src/emu/cpu/watchpoints.ts) through the Machine API: every kind of data access (byte, half,
// word and doubleword loads and stores, pairs, exclusives, an LSE atomic, DC ZVA, a load crossing a page)
// stops before the accessing instruction retires, with PC at it, memory and registers as they were, and the
// first watched byte it touches; resuming executes it; bytes next to a watched range do not stop; an STXR
// that hits still succeeds when resumed; watched pages stay out of the TLB fast-path table of their
// direction only. The instruction words were assembled with aarch64-linux-gnu-as -march=armv8.1-a and
// checked with objdump (listing beside each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine, type StopReason, type Watchpoint } from '../../src/emu';
import { TLB_ENTRIES, TLB_READ, TLB_WRITE } from '../../src/emu/cpu/regs';

const BASE = 0x4008_0000n;
const DATA = 0x4009_0000n;
const WORDS = [
  0xd2a80121, // 00 mov   x1, #0x40090000
  0xd2824682, // 04 mov   x2, #0x1234
  0xb9000822, // 08 str   w2, [x1, #8]
  0xb9400823, // 0c ldr   w3, [x1, #8]
  0x39004022, // 10 strb  w2, [x1, #16]
  0x79002422, // 14 strh  w2, [x1, #18]
  0xf9000c22, // 18 str   x2, [x1, #24]
  0xf9400c24, // 1c ldr   x4, [x1, #24]
  0xa9020822, // 20 stp   x2, x2, [x1, #32]
  0xa9421825, // 24 ldp   x5, x6, [x1, #32]
  0x91010027, // 28 add   x7, x1, #0x40
  0xc85f7ce8, // 2c ldxr  x8, [x7]
  0xc8097ce2, // 30 stxr  w9, x2, [x7]
  0xf82200ea, // 34 ldadd x2, x10, [x7]
  0x9104002b, // 38 add   x11, x1, #0x100
  0xd50b742b, // 3c dc    zva, x11
  0x913ff02c, // 40 add   x12, x1, #0xffc
  0xf940018d, // 44 ldr   x13, [x12]
  0x3960002e, // 48 ldrb  w14, [x1, #2048]
  0x14000000, // 4c b     .
];
const END = BASE + 0x4cn;

function machine(): Machine {
  const m = new Machine({ cpu: 'max', memory: 64 * 1024 * 1024 });
  const bytes = new Uint8Array(WORDS.length * 4);
  const dv = new DataView(bytes.buffer);
  WORDS.forEach((w, i) => dv.setUint32(4 * i, w, true));
  m.load(bytes, 'watch.bin', { loadAddress: BASE });
  return m;
}

const x = (m: Machine, n: number): bigint => m.registers().x[n];
const u64 = (m: Machine, va: bigint): bigint => {
  const b = m.readMemory(va, 8);
  return b.reduceRight<bigint>((v, byte) => (v << 8n) | BigInt(byte!), 0n);
};

/** Runs to the end loop, collecting watchpoint stops as [instruction offset, access, data offset]. */
function stops(m: Machine, onStop?: (s: Extract<StopReason, { kind: 'watchpoint' }>) => void): [number, string, number][] {
  const out: [number, string, number][] = [];
  for (let k = 0; k < 20; k++) {
    const s = m.run(200);
    if (s.kind !== 'watchpoint') {
      assert.equal(s.kind, 'budget');
      assert.equal(m.registers().pc, END);
      return out;
    }
    assert.equal(s.pc, m.registers().pc, 'PC is the accessing instruction');
    assert.equal(s.hit.pc, s.pc);
    onStop?.(s);
    out.push([Number(s.pc - BASE), s.hit.access, Number(s.hit.address - DATA)]);
  }
  assert.fail('too many stops');
}

const cases: { name: string; watch: Watchpoint[]; expect: [number, string, number][] }[] = [
  { name: 'word store', watch: [{ address: DATA + 8n, length: 4, kind: 'write' }], expect: [[0x08, 'write', 8]] },
  { name: 'word load', watch: [{ address: DATA + 8n, length: 4, kind: 'read' }], expect: [[0x0c, 'read', 8]] },
  { name: 'access: store then load', watch: [{ address: DATA + 10n, length: 1, kind: 'access' }], expect: [[0x08, 'write', 10], [0x0c, 'read', 10]] },
  { name: 'byte next to a strb and a strh: no stop', watch: [{ address: DATA + 0x11n, length: 1, kind: 'access' }], expect: [] },
  { name: 'halfword store', watch: [{ address: DATA + 0x13n, length: 1, kind: 'write' }], expect: [[0x14, 'write', 0x13]] },
  { name: 'byte store', watch: [{ address: DATA + 0xen, length: 4, kind: 'write' }], expect: [[0x10, 'write', 0x10]] },
  { name: 'doubleword store reports the first watched byte', watch: [{ address: DATA + 0x1cn, length: 2, kind: 'write' }], expect: [[0x18, 'write', 0x1c]] },
  { name: 'doubleword load', watch: [{ address: DATA + 0x1fn, length: 1, kind: 'read' }], expect: [[0x1c, 'read', 0x1f]] },
  { name: 'second element of STP and LDP', watch: [{ address: DATA + 0x28n, length: 8, kind: 'access' }], expect: [[0x20, 'write', 0x28], [0x24, 'read', 0x28]] },
  { name: 'exclusives and LSE: writes', watch: [{ address: DATA + 0x40n, length: 8, kind: 'write' }], expect: [[0x30, 'write', 0x40], [0x34, 'write', 0x40]] },
  { name: 'exclusives and LSE: reads', watch: [{ address: DATA + 0x44n, length: 4, kind: 'read' }], expect: [[0x2c, 'read', 0x44], [0x34, 'read', 0x44]] },
  { name: 'DC ZVA', watch: [{ address: DATA + 0x108n, length: 8, kind: 'write' }], expect: [[0x3c, 'write', 0x108]] },
  { name: 'load crossing into the next page', watch: [{ address: DATA + 0x1000n, length: 1, kind: 'read' }], expect: [[0x44, 'read', 0x1000]] },
  { name: 'two watchpoints', watch: [{ address: DATA + 0x800n, length: 1, kind: 'read' }, { address: DATA + 0x18n, length: 1, kind: 'write' }], expect: [[0x18, 'write', 0x18], [0x48, 'read', 0x800]] },
];

for (const c of cases) {
  test(`watchpoint: ${c.name}`, () => {
    const m = machine();
    m.setWatchpoints(c.watch);
    assert.deepEqual(stops(m), c.expect);
    // the program ran to its end with the same results as without watchpoints
    const ref = machine();
    ref.run(200);
    for (let n = 0; n < 15; n++) assert.equal(x(m, n), x(ref, n), `x${n}`);
    for (let off = 0n; off < 0x140n; off += 8n) assert.equal(u64(m, DATA + off), u64(ref, DATA + off), `memory at +0x${off.toString(16)}`);
  });
}

test('watchpoint: the stop comes before the access (memory and destination registers unchanged)', () => {
  const m = machine();
  m.setWatchpoints([{ address: DATA + 0x20n, length: 16, kind: 'access' }]);
  let n = 0;
  stops(m, (s) => {
    if (n++ === 0) {
      assert.equal(s.hit.access, 'write');
      assert.equal(u64(m, DATA + 0x28n), 0n, 'STP has not stored its second element');
      assert.equal(s.hit.accessAddress, DATA + 0x20n);
      assert.equal(s.hit.accessSize, 8);
    } else {
      assert.equal(x(m, 5), 0n, 'LDP has not written x5');
      assert.equal(u64(m, DATA + 0x28n), 0x1234n);
    }
  });
  assert.equal(n, 2);
  assert.equal(x(m, 5), 0x1234n);
  assert.equal(x(m, 6), 0x1234n);
});

test('watchpoint: an STXR that hits succeeds when resumed (the reservation is kept)', () => {
  const m = machine();
  m.setWatchpoints([{ address: DATA + 0x40n, length: 8, kind: 'write' }]);
  const s = m.run(200);
  assert.equal(s.kind, 'watchpoint');
  assert.equal(m.registers().pc, BASE + 0x30n);
  assert.deepEqual(m.step(0).kind, 'step');
  assert.equal(x(m, 9), 0n, 'STXR status: success');
  assert.equal(u64(m, DATA + 0x40n), 0x1234n);
});

test('watchpoint: step and run with skipAtPc false stop at a watched access under PC', () => {
  const m = machine();
  m.setWatchpoints([{ address: DATA + 8n, length: 4, kind: 'read' }]);
  assert.equal(m.run(200).kind, 'watchpoint');
  const again = m.step(0, { skipAtPc: false });
  assert.equal(again.kind, 'watchpoint');
  assert.equal(m.registers().pc, BASE + 0x0cn);
  assert.equal(m.step(0).kind, 'step');
  assert.equal(m.registers().pc, BASE + 0x10n);
  assert.equal(x(m, 3), 0x1234n);
});

test('watchpoint: watched pages leave only the TLB table of their direction', () => {
  const m = machine();
  const cpu = m.cpus[0];
  const tag = (table: number): boolean => {
    const e = table + ((Number(DATA) >>> 12) & (TLB_ENTRIES - 1)) * 3;
    return cpu.tlb[e] === Number(DATA) && cpu.tlb[e + 1] === 0;
  };
  m.setWatchpoints([{ address: DATA + 0x800n, length: 4, kind: 'write' }]);
  assert.deepEqual(stops(m), []);
  assert.equal(tag(TLB_READ), true, 'reads of the page stay on the fast path');
  assert.equal(tag(TLB_WRITE), false, 'writes to the page take the slow path');
  m.setWatchpoints([]);
  assert.equal(tag(TLB_READ), false, 'setWatchpoints flushes the TLB');
  assert.deepEqual(m.watchpoints, []);
});

test('watchpoint: bad entries are rejected with a message', () => {
  const m = machine();
  assert.throws(() => m.setWatchpoints([{ address: DATA, length: 0, kind: 'write' }]), /length must be a positive integer/);
  assert.throws(() => m.setWatchpoints([{ address: DATA, length: 4, kind: 'exec' as 'read' }]), /kind must be read, write or access/);
  assert.throws(() => m.setWatchpoints([{ address: (1n << 64n) - 2n, length: 4, kind: 'read' }]), /outside the 64-bit address space/);
});

test('watchpoint: semihosting reads of guest memory do not hit (as QEMU); the guest load after does', () => {
  const printed: string[] = [];
  const m = new Machine({ memory: 64 * 1024 * 1024 }, { console: (b) => printed.push(new TextDecoder().decode(b)) });
  const words = [
    0xd2800080, // 00 mov  x0, #0x4 (SYS_WRITE0)
    0xd2a80121, // 04 mov  x1, #0x40090000
    0xd45e0000, // 08 hlt  #0xf000
    0x39400022, // 0c ldrb w2, [x1]
    0x14000000, // 10 b    .
  ];
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(4 * i, w, true));
  m.load(bytes, 'semi.bin', { loadAddress: BASE });
  m.writeMemory(DATA, new TextEncoder().encode('hi\n\0'));
  m.setWatchpoints([{ address: DATA, length: 4, kind: 'read' }]);
  const s = m.run(100);
  assert.equal(s.kind, 'watchpoint');
  assert.equal(s.pc, BASE + 0xcn);
  assert.deepEqual(printed, ['hi\n']);
});

test('watchpoint: an alignment fault of the access comes first (SCTLR_EL1.A set)', () => {
  const m = machine();
  m.setSysreg(0, 'SCTLR_EL1', m.sysreg(0, 'SCTLR_EL1')! | 2n);
  m.stopOn = { exceptionClasses: new Set([0x25]) };
  // ldr x13, [x12] at +0x44 reads 8 bytes at DATA+0xffc: unaligned, and touches the watched DATA+0x1000
  m.setWatchpoints([{ address: DATA + 0x1000n, length: 1, kind: 'read' }]);
  const s = m.run(200);
  assert.equal(s.kind, 'exception');
  assert.equal(s.kind === 'exception' && s.from, BASE + 0x44n);
  assert.equal(m.sysreg(0, 'ESR_EL1')! & 0x3fn, 0x21n, 'DFSC: alignment fault');
});
