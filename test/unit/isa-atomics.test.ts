// Semantics of the exclusive, ordered, RCpc and LSE atomic loads and stores (rows/atomics.ts,
// exec/atomics.ts) and of the exclusive monitor (cpu/monitor.ts) on a bare CPU: monitor marking and
// clearing (CLREX, exception entry and return, a store-exclusive either way), status results, every LSE
// operation at its sign/width edges, CAS/CASP success and failure, and alignment: exclusives/atomics fault
// when unaligned whatever SCTLR.A says, normal accesses fault only with SCTLR_ELx.A set (EL1: SCTLR_EL1,
// EL2: SCTLR_EL2), with ESR (EC, DFSC 0b100001, WnR) and FAR checked. Words come from aarch64-linux-gnu-as
// -march=armv8.4-a (binutils 2.40); the assembly is next to each word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, type Harness } from '../helpers/cpuHarness';

const D = 0x4010_0000n;
const VBAR = 0x4009_0000n;

/** The features these rows belong to, for CPU models that gate rows by feature. */
const FEATURES = ['FEAT_LSE', 'FEAT_LRCPC', 'FEAT_LRCPC2', 'FEAT_LOR'];

function harness(highestEl: 1 | 2 = 1): Harness {
  const h = makeHarness({ exceptionTaken: () => true }, { highestEl });
  const feats = (h.cpu as unknown as { features?: Set<string> }).features;
  if (feats) for (const f of FEATURES) feats.add(f);
  h.cpu.sys.setPair('VBAR_EL1', Number(VBAR), 0);
  if (highestEl === 2) h.cpu.sys.setPair('VBAR_EL2', Number(VBAR), 0);
  return h;
}

function poke64(h: Harness, addr: bigint, v: bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  h.bus.writeRamBytes(Number(addr), b);
}
function peek64(h: Harness, addr: bigint): bigint {
  const b = Uint8Array.from(h.bus.peekBytes(Number(addr), 8).map((x) => x ?? 0));
  return new DataView(b.buffer).getBigUint64(0, true);
}
function esr(h: Harness, el = 1): { ec: number; iss: number } {
  const v = Number(h.cpu.sys.get(`ESR_EL${el}`));
  return { ec: v >>> 26, iss: v & 0x1ffffff };
}

test('LDXR/STXR: a marked address stores (status 0), a second STXR fails (status 1)', () => {
  const h = harness();
  poke64(h, D, 41n);
  h.setX(0, D);
  h.setX(3, 0x77n);
  h.run([
    0xc85f7c01, // ldxr x1, [x0]
    0x91000421, // add x1, x1, #1
    0xc8027c01, // stxr w2, x1, [x0]
    0xc8037c01, // stxr w3, x1, [x0]
  ]);
  assert.equal(peek64(h, D), 42n);
  assert.equal(h.x(2), 0n);
  assert.equal(h.x(3), 1n);
  assert.equal(h.cpu.monitor.marked, undefined);
});

test('STXR fails without LDXR, after CLREX, to another address and with another size', () => {
  const h = harness();
  poke64(h, D, 5n);
  h.setX(0, D);
  h.setX(1, 9n);
  h.run([0xc8027c01]); // stxr w2, x1, [x0]
  assert.equal(h.x(2), 1n);
  assert.equal(peek64(h, D), 5n);
  h.run([0xc85f7c01, 0xd5033f5f, 0xc8027c01]); // ldxr; clrex; stxr
  assert.equal(h.x(2), 1n);
  assert.equal(peek64(h, D), 5n);
  h.setX(4, D + 8n);
  h.run([0x885ffc01, 0x8802fc81]); // ldaxr w1, [x0]; stlxr w2, w1, [x4]
  assert.equal(h.x(2), 1n);
  h.run([0x885ffc01, 0xc8027c01]); // ldaxr w1 (4 bytes); stxr w2, x1 (8 bytes)
  assert.equal(h.x(2), 1n);
  assert.equal(peek64(h, D), 5n);
});

test('exception entry and ERET clear the monitor', () => {
  const h = harness();
  h.setX(0, D);
  h.run([0xc85f7c01]); // ldxr x1, [x0]
  assert.ok(h.cpu.monitor.marked);
  h.run([0xd4000001]); // svc #0 (stops at the vector)
  assert.equal(esr(h).ec, 0x15);
  assert.equal(h.cpu.monitor.marked, undefined);
  h.run([0xc85f7c01]);
  assert.ok(h.cpu.monitor.marked);
  h.cpu.sys.setPair('SPSR_EL1', 0x3c5, 0);
  h.cpu.sys.setPair('ELR_EL1', Number(D), 0);
  h.run([0xd69f03e0]); // eret
  assert.equal(h.cpu.monitor.marked, undefined);
});

test('LDXRB/LDXRH zero-extend; LDXP/STXP and LDAXP/STLXP move pairs', () => {
  const h = harness();
  poke64(h, D, 0x8899aabbccddeeffn);
  poke64(h, D + 8n, 0x0102030405060708n);
  h.setX(0, D);
  h.setX(1, -1n);
  h.run([0x085f7c01]); // ldxrb w1, [x0]
  assert.equal(h.x(1), 0xffn);
  h.run([0x485f7c01]); // ldxrh w1, [x0]
  assert.equal(h.x(1), 0xeeffn);
  h.run([0xc87f0801, 0xc8230402]); // ldxp x1, x2, [x0]; stxp w3, x2, x1, [x0]
  assert.equal(h.x(3), 0n);
  assert.equal(peek64(h, D), 0x0102030405060708n);
  assert.equal(peek64(h, D + 8n), 0x8899aabbccddeeffn);
  h.run([0x887f8801, 0x88238402]); // ldaxp w1, w2, [x0]; stlxp w3, w2, w1, [x0]
  assert.equal(h.x(1), 0x05060708n);
  assert.equal(h.x(2), 0x01020304n);
  assert.equal(h.x(3), 0n);
  assert.equal(peek64(h, D), 0x0506070801020304n);
});

test('LDAR/STLR/LDLAR/STLLR/LDAPR and LDAPUR/LDAPURS*/STLUR', () => {
  const h = harness();
  poke64(h, D, 0x8081828384858687n);
  poke64(h, D - 8n, 0x1122334455667788n);
  h.setX(0, D);
  h.run([0xc8dffc01]); // ldar x1, [x0]
  assert.equal(h.x(1), 0x8081828384858687n);
  h.run([0x08dffc01]); // ldarb w1, [x0]
  assert.equal(h.x(1), 0x87n);
  h.run([0x48df7c01]); // ldlarh w1, [x0]
  assert.equal(h.x(1), 0x8687n);
  h.run([0xf8bfc001]); // ldapr x1, [x0]
  assert.equal(h.x(1), 0x8081828384858687n);
  h.run([0xd95f8001]); // ldapur x1, [x0, #-8]
  assert.equal(h.x(1), 0x1122334455667788n);
  h.run([0x19801001]); // ldapursb x1, [x0, #1]
  assert.equal(h.x(1), 0xffffffffffffff86n);
  h.run([0x59c02001]); // ldapursh w1, [x0, #2]
  assert.equal(h.x(1), 0xffff8485n);
  h.run([0x99804001]); // ldapursw x1, [x0, #4]
  assert.equal(h.x(1), 0xffffffff80818283n);
  h.setX(1, 0xdeadbeefcafef00dn);
  h.run([0x991fc001]); // stlur w1, [x0, #-4]
  assert.equal(peek64(h, D - 8n), 0xcafef00d55667788n);
  h.run([0x089f7c01]); // stllrb w1, [x0]
  assert.equal(peek64(h, D), 0x808182838485860dn);
  h.run([0xc89ffc01]); // stlr x1, [x0]
  assert.equal(peek64(h, D), 0xdeadbeefcafef00dn);
});

test('LSE: add/clr/eor/set, signed and unsigned min/max at byte width, 64-bit, ST alias, SWP', () => {
  const h = harness();
  const run = (word: number, mem: bigint, rs: bigint): [bigint, bigint] => {
    poke64(h, D, mem);
    h.setX(0, D);
    h.setX(1, rs);
    h.setX(2, 0xaaaan);
    h.run([word]);
    return [h.x(2), peek64(h, D)];
  };
  assert.deepEqual(run(0xf8210002, 0xffffffffffffffffn, 2n), [0xffffffffffffffffn, 1n]); // ldadd x1, x2
  assert.deepEqual(run(0x38211002, 0x11223344556677f0n, 0x130n), [0xf0n, 0x11223344556677c0n]); // ldclrb
  assert.deepEqual(run(0x78e12002, 0x1234n, 0xffff00ffn), [0x1234n, 0x12cbn]); // ldeoralh
  assert.deepEqual(run(0xb8213002, 0xaaaaaaaa00000001n, 0x80000000n), [1n, 0xaaaaaaaa80000001n]); // ldset w
  assert.deepEqual(run(0x38214002, 0x7fn, 0x80n), [0x7fn, 0x7fn]); // ldsmaxb: 127 > -128
  assert.deepEqual(run(0x38215002, 0x7fn, 0x80n), [0x7fn, 0x80n]); // ldsminb
  assert.deepEqual(run(0x38216002, 0x7fn, 0x80n), [0x7fn, 0x80n]); // ldumaxb
  assert.deepEqual(run(0x38217002, 0x7fn, 0x80n), [0x7fn, 0x7fn]); // lduminb
  assert.deepEqual(run(0xf8214002, 0x8000000000000000n, 1n), [0x8000000000000000n, 1n]); // ldsmax x
  assert.deepEqual(run(0xf8217002, 0x8000000000000000n, 1n), [0x8000000000000000n, 1n]); // ldumin x
  const [x2, mem] = run(0xb821001f, 0x1_0000_0001n, 0xffffffffn); // stadd w1, [x0]
  assert.equal(x2, 0xaaaan);
  assert.equal(mem, 0x1_0000_0000n);
  assert.deepEqual(run(0xf8e18002, 5n, 6n), [5n, 6n]); // swpal x1, x2
});

test('CAS and CASP: store on equal, Rs gets the old value either way', () => {
  const h = harness();
  poke64(h, D, 10n);
  h.setX(0, D);
  h.setX(1, 10n);
  h.setX(2, 20n);
  h.run([0xc8a17c02]); // cas x1, x2, [x0]
  assert.equal(peek64(h, D), 20n);
  assert.equal(h.x(1), 10n);
  h.run([0xc8a17c02]); // fails: memory is 20
  assert.equal(peek64(h, D), 20n);
  assert.equal(h.x(1), 20n);
  h.setX(1, 0x114n); // casalb compares the low byte only
  h.setX(2, 0x99n);
  h.run([0x08e1fc02]); // casalb w1, w2, [x0]
  assert.equal(peek64(h, D), 0x99n);
  assert.equal(h.x(1), 0x14n);
  poke64(h, D, 1n);
  poke64(h, D + 8n, 2n);
  h.setX(2, 1n);
  h.setX(3, 2n);
  h.setX(4, 3n);
  h.setX(5, 4n);
  h.run([0x48227c04]); // casp x2, x3, x4, x5, [x0]
  assert.deepEqual([peek64(h, D), peek64(h, D + 8n), h.x(2), h.x(3)], [3n, 4n, 1n, 2n]);
  h.setX(2, 3n);
  h.setX(3, 0n);
  h.run([0x08227c04]); // casp w2, w3, w4, w5, [x0]: memory words 3, 0 equal
  assert.deepEqual([peek64(h, D), h.x(2), h.x(3)], [0x0000000400000003n, 3n, 0n]);
  h.run([0x08237c04]); // casp with odd Rs: UNDEFINED
  assert.equal(esr(h).ec, 0);
  assert.equal(h.pc(), VBAR + 0x200n);
});

test('exclusives, ordered and atomics fault when unaligned (DFSC 0b100001, WnR, FAR) whatever SCTLR.A', () => {
  const cases: [number, bigint, number][] = [
    [0xc85f7c01, D + 4n, 0], // ldxr x1: 4-aligned is not enough
    [0xc8027c01, D + 1n, 1], // stxr w2, x1
    [0x485f7c01, D + 1n, 0], // ldxrh
    [0xc87f0801, D + 8n, 0], // ldxp x1, x2: 16-byte alignment
    [0x88dffc01, D + 2n, 0], // ldar w1
    [0xc89ffc01, D + 4n, 1], // stlr x1
    [0xf8bfc001, D + 4n, 0], // ldapr x1
    [0xf8210002, D + 4n, 1], // ldadd x1, x2
    [0xc8a17c02, D + 4n, 1], // cas
    [0x48227c04, D + 8n, 1], // casp x: 16-byte alignment
  ];
  for (const [word, addr, wnr] of cases) {
    const h = harness();
    h.setX(0, addr);
    h.setX(1, 0x1234n);
    h.run([word]);
    const e = esr(h);
    assert.equal(e.ec, 0x25, `0x${word.toString(16)}: data abort`);
    assert.equal(e.iss & 0x3f, 0x21, `0x${word.toString(16)}: alignment fault`);
    assert.equal((e.iss >> 6) & 1, wnr, `0x${word.toString(16)}: WnR`);
    assert.equal(h.cpu.sys.get('FAR_EL1'), addr);
    assert.equal(h.x(1), 0x1234n, 'registers unchanged');
  }
});

test('SCTLR_EL1.A: unaligned normal accesses fault only when set; bytes never; EL2 uses SCTLR_EL2', () => {
  const h = harness();
  h.setX(0, D + 1n);
  h.setX(1, 0n);
  h.run([0xf9400001]); // ldr x1, [x0]: allowed with A = 0
  assert.equal(h.pc(), 0x4008_0004n);
  h.setX(5, h.cpu.sys.get('SCTLR_EL1') | 2n);
  h.run([0xd5181005, 0x39400001, 0x79400001]); // msr sctlr_el1, x5; ldrb; ldrh w1, [x0]
  assert.equal(esr(h).ec, 0x25);
  assert.equal(esr(h).iss, 0x21);
  assert.equal(h.cpu.sys.get('FAR_EL1'), D + 1n);
  assert.equal(h.cpu.sys.get('ELR_EL1'), 0x4008_0008n);
  h.setX(0, D + 2n);
  h.run([0xb9000001]); // str w1, [x0]
  assert.equal(esr(h).iss, 0x21 | 0x40);
  h.setX(0, D + 4n);
  h.run([0x29400801, 0xf9400001]); // ldp w1, w2, [x0]: each word aligned; ldr x1, [x0]: faults
  assert.equal(h.cpu.sys.get('ELR_EL1'), 0x4008_0004n);
  assert.equal(h.cpu.sys.get('FAR_EL1'), D + 4n);
  // page-crossing while checking: the alignment fault comes first
  h.setX(0, D + 0xffdn);
  h.run([0xb9000001]);
  assert.equal(esr(h).iss, 0x61);

  const h2 = harness(2);
  h2.cpu.sys.set('SCTLR_EL1', h2.cpu.sys.get('SCTLR_EL1') | 2n); // EL1's bit does not apply at EL2
  h2.setX(0, D + 1n);
  h2.run([0xf9400001]);
  assert.equal(h2.pc(), 0x4008_0004n);
  h2.setX(5, h2.cpu.sys.get('SCTLR_EL2') | 2n);
  h2.run([0xd51c1005, 0xf9400001]); // msr sctlr_el2, x5; ldr x1, [x0]
  assert.equal(esr(h2, 2).ec, 0x25);
  assert.equal(esr(h2, 2).iss, 0x21);
  assert.equal(h2.cpu.sys.get('FAR_EL2'), D + 1n);
});
