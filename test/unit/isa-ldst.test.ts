// Semantics of the integer loads and stores (rows/loadStore.ts, exec/loadStore.ts) on a bare CPU: every
// size and sign extension, every addressing mode with its writeback, register offsets with each extend,
// literals, pairs, SP and XZR, the CONSTRAINED UNPREDICTABLE choices, page-crossing accesses through the
// slow path, and data aborts (precise: registers unchanged). Instruction words come from
// aarch64-linux-gnu-as (binutils 2.40); the assembly is in the comment next to each word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE, RAM_BASE, type Harness } from '../helpers/cpuHarness';

/** Data area, clear of the code at CODE (0x4008_0000). */
const D = 0x4010_0000n;
const RAM_END = BigInt(RAM_BASE + 32 * 1024 * 1024);
const VBAR = 0x4009_0000n;
const JUNK = 0xdead_beef_dead_beefn;

function harness(): Harness {
  // Stop at the first exception taken, with PC at the vector (the vector itself is not run).
  const h = makeHarness({ exceptionTaken: () => true });
  h.cpu.sys.setPair('VBAR_EL1', Number(VBAR), 0);
  return h;
}

function poke(h: Harness, addr: bigint, bytes: number[]): void {
  h.bus.writeRamBytes(Number(addr), Uint8Array.from(bytes));
}

function peek(h: Harness, addr: bigint, n: number): number[] {
  return h.bus.peekBytes(Number(addr), n).map((b) => b ?? -1);
}

/** Little-endian value of `n` bytes of `bytes` from `off`. */
function le(bytes: number[], off: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i]);
  return v;
}

const sx = (v: bigint, bits: number): bigint => BigInt.asUintN(64, BigInt.asIntN(bits, v));

/** Fills `len` bytes at addr with a pattern, returning it. */
function fill(h: Harness, addr: bigint, len: number, seed = 0x10): number[] {
  const bytes = Array.from({ length: len }, (_, i) => (seed + 37 * i) & 0xff);
  poke(h, addr, bytes);
  return bytes;
}

function esr(h: Harness): { ec: number; iss: number } {
  const v = Number(h.cpu.sys.get('ESR_EL1'));
  return { ec: v >>> 26, iss: v & 0x1ffffff };
}

test('unsigned offset: every size, zero-extended into the whole register', () => {
  const h = harness();
  const bytes = fill(h, D, 16);
  poke(h, D + 32760n, [1, 2, 3, 4, 5, 6, 7, 0x88]);
  h.setX(0, D);
  for (let n = 1; n <= 5; n++) h.setX(n, JUNK);
  h.run([
    0x39400401, // ldrb w1, [x0, #1]
    0x79400402, // ldrh w2, [x0, #2]
    0xb9400403, // ldr w3, [x0, #4]
    0xf9400404, // ldr x4, [x0, #8]
    0xf97ffc05, // ldr x5, [x0, #32760]
  ]);
  assert.equal(h.x(1), le(bytes, 1, 1));
  assert.equal(h.x(2), le(bytes, 2, 2));
  assert.equal(h.x(3), le(bytes, 4, 4));
  assert.equal(h.x(4), le(bytes, 8, 8));
  assert.equal(h.x(5), 0x8807060504030201n);
  assert.equal(h.x(0), D);
  assert.equal(h.pc(), CODE + 20n);
});

test('sign-extending loads to W and X', () => {
  const h = harness();
  poke(h, D, [0x80, 0x00, 0x01, 0x80, 0x01, 0x00, 0x00, 0x80, 0x7f, 0x7f, 0xff, 0x7f]);
  h.setX(0, D);
  for (let n = 1; n <= 8; n++) h.setX(n, JUNK);
  h.run([
    0x39c00001, // ldrsb w1, [x0]
    0x39800002, // ldrsb x2, [x0]
    0x79c00403, // ldrsh w3, [x0, #2]
    0x79800404, // ldrsh x4, [x0, #2]
    0xb9800405, // ldrsw x5, [x0, #4]
    0x39802006, // ldrsb x6, [x0, #8]
    0x79c01007, // ldrsh w7, [x0, #8]
    0xb9800808, // ldrsw x8, [x0, #8]
  ]);
  assert.equal(h.x(1), 0x0000_0000_ffff_ff80n);
  assert.equal(h.x(2), 0xffff_ffff_ffff_ff80n);
  assert.equal(h.x(3), 0x0000_0000_ffff_8001n);
  assert.equal(h.x(4), 0xffff_ffff_ffff_8001n);
  assert.equal(h.x(5), 0xffff_ffff_8000_0001n);
  assert.equal(h.x(6), 0x7fn);
  assert.equal(h.x(7), 0x7f7fn);
  assert.equal(h.x(8), 0x7fff_7f7fn);
});

test('stores of every size write exactly their bytes', () => {
  const h = harness();
  poke(h, D, Array(20).fill(0xee));
  h.setX(0, D);
  h.setX(1, 0x1122_3344_5566_7788n);
  h.run([
    0x39000401, // strb w1, [x0, #1]
    0x79000401, // strh w1, [x0, #2]
    0xb9000401, // str w1, [x0, #4]
    0xf9000401, // str x1, [x0, #8]
  ]);
  assert.deepEqual(peek(h, D, 20), [
    0xee, 0x88, 0x88, 0x77, 0x88, 0x77, 0x66, 0x55, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0xee, 0xee, 0xee, 0xee,
  ]);
});

test('pre- and post-index: writeback, negative offsets, address from the original base', () => {
  const h = harness();
  const B = D + 0x100n;
  const bytes = fill(h, B, 0x20);
  h.setX(0, B);
  h.run([
    0xf8410c01, // ldr x1, [x0, #16]!     x0 = B+0x10
    0xb85f4c02, // ldr w2, [x0, #-12]!    x0 = B+0x4
    0x385fd403, // ldrb w3, [x0], #-3     loads B+0x4, x0 = B+0x1
    0x788ff404, // ldrsh x4, [x0], #255   loads B+0x1 (unaligned), x0 = B+0x100
  ]);
  assert.equal(h.x(1), le(bytes, 0x10, 8));
  assert.equal(h.x(2), le(bytes, 4, 4));
  assert.equal(h.x(3), le(bytes, 4, 1));
  assert.equal(h.x(4), sx(le(bytes, 1, 2), 16));
  assert.equal(h.x(0), B + 0x100n);
  h.setX(0, B + 0x100n);
  h.setX(1, 0x0102_0304_0506_0708n);
  h.setX(2, 0xaabbn);
  h.run([
    0xf8100c01, // str x1, [x0, #-256]!   stores at B, x0 = B
    0x78002402, // strh w2, [x0], #2      stores at B, x0 = B+2
  ]);
  assert.equal(h.x(0), B + 2n);
  assert.deepEqual(peek(h, B, 8), [0xbb, 0xaa, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]);
});

test('unscaled offsets (LDUR/STUR), unaligned and negative', () => {
  const h = harness();
  const B = D + 0x200n;
  const bytes = fill(h, B - 0x100n, 0x300, 0x91);
  const at = (off: number, n: number): bigint => le(bytes, 0x100 + off, n);
  h.setX(0, B);
  h.setX(7, 0xf1f2_f3f4_f5f6_f7f8n);
  h.run([
    0xf85fd001, // ldur x1, [x0, #-3]
    0xb8401002, // ldur w2, [x0, #1]
    0x784ff003, // ldurh w3, [x0, #255]
    0x38900004, // ldursb x4, [x0, #-256]
    0x78dff005, // ldursh w5, [x0, #-1]
    0xb8803006, // ldursw x6, [x0, #3]
    0xf8005007, // stur x7, [x0, #5]
    0x381fe007, // sturb w7, [x0, #-2]
  ]);
  assert.equal(h.x(1), at(-3, 8));
  assert.equal(h.x(2), at(1, 4));
  assert.equal(h.x(3), at(255, 2));
  assert.equal(h.x(4), sx(at(-256, 1), 8));
  assert.equal(h.x(5), BigInt.asUintN(32, BigInt.asIntN(16, at(-1, 2))));
  assert.equal(h.x(6), sx(at(3, 4), 32));
  assert.deepEqual(peek(h, B + 5n, 8), [0xf8, 0xf7, 0xf6, 0xf5, 0xf4, 0xf3, 0xf2, 0xf1]);
  assert.deepEqual(peek(h, B - 2n, 1), [0xf8]);
  assert.equal(h.x(0), B);
});

test('register offset: LSL, UXTW, SXTW, SXTX, with and without the size shift', () => {
  const h = harness();
  const B = D + 0x400n;
  const bytes = fill(h, B - 0x100n, 0x200, 0x23);
  const at = (off: number, n: number): bigint => le(bytes, 0x100 + off, n);
  h.setX(0, B);
  h.setX(2, 3n);
  h.setX(5, 0xffff_ffff_0000_0005n); // UXTW ignores the top half: 5
  h.setX(7, 0x1234_5678_ffff_fffen); // SXTW of the low half: -2
  h.setX(9, -24n); // SXTX: -24
  h.setX(12, 0xabcdn);
  h.run([
    0xf8627801, // ldr x1, [x0, x2, lsl #3]      B + 24
    0xf8626803, // ldr x3, [x0, x2]              B + 3
    0xb8655804, // ldr w4, [x0, w5, uxtw #2]     B + 20
    0xb867d806, // ldr w6, [x0, w7, sxtw #2]     B - 8
    0xf869e808, // ldr x8, [x0, x9, sxtx]        B - 24
    0x3862780a, // ldrb w10, [x0, x2, lsl #0]    B + 3
    0x78a5480b, // ldrsh x11, [x0, w5, uxtw]     B + 5
    0x7827d80c, // strh w12, [x0, w7, sxtw #1]   B - 4
    0xb8a9f80d, // ldrsw x13, [x0, x9, sxtx #2]  B - 96
  ]);
  assert.equal(h.x(1), at(24, 8));
  assert.equal(h.x(3), at(3, 8));
  assert.equal(h.x(4), at(20, 4));
  assert.equal(h.x(6), at(-8, 4));
  assert.equal(h.x(8), at(-24, 8));
  assert.equal(h.x(10), at(3, 1));
  assert.equal(h.x(11), sx(at(5, 2), 16));
  assert.deepEqual(peek(h, B - 4n, 2), [0xcd, 0xab]);
  assert.equal(h.x(13), sx(at(-96, 4), 32));
});

test('register offset with a reserved option (option<1> = 0) is UNDEFINED', () => {
  const h = harness();
  h.setX(0, D);
  h.setX(1, JUNK);
  // ldr x1, [x0, w2, #option=000]: 0xf8620801 (objdump: undefined)
  h.run([0xf8620801]);
  assert.equal(h.pc(), VBAR + 0x200n);
  assert.equal(esr(h).ec, 0x00);
  assert.equal(h.x(1), JUNK);
});

test('literal loads (forward and backward) and PRFM literal', () => {
  const h = harness();
  for (let n = 1; n <= 4; n++) h.setX(n, JUNK);
  h.run([
    0x14000003, // b 1f
    0x89abcdef, // lit: .inst 0x89abcdef
    0xf0123456, // .inst 0xf0123456
    0x58ffffc1, // 1: ldr x1, lit
    0x18ffffa2, // ldr w2, lit
    0x98ffff83, // ldrsw x3, lit
    0x58000064, // ldr x4, fwd
    0xd8ffff40, // prfm pldl1keep, lit
    0x14000003, // b 2f
    0x11223344, // fwd: .inst 0x11223344
    0x55667788, // .inst 0x55667788
    0xd503201f, // 2: nop
  ], 8);
  assert.equal(h.x(1), 0xf012_3456_89ab_cdefn);
  assert.equal(h.x(2), 0x89ab_cdefn);
  assert.equal(h.x(3), 0xffff_ffff_89ab_cdefn);
  assert.equal(h.x(4), 0x5566_7788_1122_3344n);
  assert.equal(h.pc(), CODE + 48n);
});

test('prefetches do nothing, even at unmapped addresses', () => {
  const h = harness();
  h.setX(0, 0x5000_0000n);
  h.setX(1, 7n);
  h.run([
    0xf9800000, // prfm pldl1keep, [x0]
    0xf8a17813, // prfm pstl2strm, [x0, x1, lsl #3]
    0xf89ff00c, // prfum plil3keep, [x0, #-1]
    0xf980041f, // prfm #0x1f, [x0, #8]
  ]);
  assert.equal(h.pc(), CODE + 16n);
  assert.deepEqual(h.errors, []);
});

test('pairs: STP/LDP 64 and 32 bit, LDPSW, STNP/LDNP, SP as base', () => {
  const h = harness();
  const SP = D + 0x800n;
  h.setX(31, SP);
  h.setX(0, D + 0x1000n);
  h.setX(1, 0x8000_0001_1111_1111n);
  h.setX(2, 0x2222_2222_f000_0002n);
  h.run([
    0xa9bf0be1, // stp x1, x2, [sp, #-16]!
    0xa8c113e3, // ldp x3, x4, [sp], #16
    0x29010801, // stp w1, w2, [x0, #8]
    0x29411805, // ldp w5, w6, [x0, #8]
    0x69412007, // ldpsw x7, x8, [x0, #8]
    0xa8200801, // stnp x1, x2, [x0, #-512]
    0xa8602809, // ldnp x9, x10, [x0, #-512]
    0xa9ff300b, // ldp x11, x12, [x0, #-16]!
  ]);
  assert.equal(h.x(31), SP);
  assert.deepEqual(peek(h, SP - 16n, 16), [0x11, 0x11, 0x11, 0x11, 1, 0, 0, 0x80, 2, 0, 0, 0xf0, 0x22, 0x22, 0x22, 0x22]);
  assert.equal(h.x(3), 0x8000_0001_1111_1111n);
  assert.equal(h.x(4), 0x2222_2222_f000_0002n);
  assert.equal(h.x(5), 0x1111_1111n);
  assert.equal(h.x(6), 0xf000_0002n);
  assert.equal(h.x(7), 0x1111_1111n);
  assert.equal(h.x(8), 0xffff_ffff_f000_0002n);
  assert.equal(h.x(9), 0x8000_0001_1111_1111n);
  assert.equal(h.x(10), 0x2222_2222_f000_0002n);
  // x0 - 16 holds whatever was there: the pre-index writeback is what matters
  assert.equal(h.x(0), D + 0x1000n - 16n);
});

test('XZR as data register, SP as base register', () => {
  const h = harness();
  const SP = D + 0x800n;
  poke(h, SP + 8n, [1, 2, 3, 4, 5, 6, 7, 8]);
  poke(h, D, Array(48).fill(0x5a));
  h.setX(31, SP);
  h.setX(0, D);
  h.setX(1, JUNK);
  h.run([
    0xf90007ff, // str xzr, [sp, #8]
    0x3900001f, // strb wzr, [x0]
    0xf940081f, // ldr xzr, [x0, #16]     (discarded; must not touch SP)
    0xf94007e1, // ldr x1, [sp, #8]
    0xf840841f, // ldr xzr, [x0], #8
    0xa9027c1f, // stp xzr, xzr, [x0, #32]
  ]);
  assert.deepEqual(peek(h, SP + 8n, 8), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(h.x(1), 0n);
  assert.equal(h.x(31), SP);
  assert.equal(h.x(0), D + 8n);
  assert.deepEqual(peek(h, D, 2), [0, 0x5a]);
  assert.deepEqual(peek(h, D + 40n, 16), Array(16).fill(0));
});

test('CONSTRAINED UNPREDICTABLE overlaps behave as QEMU does', () => {
  const h = harness();
  const bytes = fill(h, D, 0x40, 0x31);
  h.setX(0, D);
  h.setX(1, D + 0x20n);
  h.setX(3, D);
  h.setX(4, D + 8n);
  h.setX(5, D + 0x30n);
  h.setX(6, 0x6666n);
  h.setX(7, D);
  h.run([
    0xf8408c00, // ldr x0, [x0, #8]!     writeback wins: x0 = D + 8
    0xf8008c21, // str x1, [x1, #8]!     stores the old x1 (D + 0x20) at D + 0x28; x1 = D + 0x28
    0xa9400862, // ldp x2, x2, [x3]      x2 = the first element (QEMU 7.2)
    0xf8408484, // ldr x4, [x4], #8      writeback wins: x4 = D + 16
    0xa88118a5, // stp x5, x6, [x5], #16 stores the old x5; x5 = D + 0x40
    0xa9c120e7, // ldp x7, x8, [x7, #16]! writeback wins: x7 = D + 16
    0x29402469, // ldp w9, w9, [x3]      w9 = the first word
  ]);
  assert.equal(h.x(0), D + 8n);
  assert.equal(h.x(1), D + 0x28n);
  assert.equal(le(peek(h, D + 0x28n, 8), 0, 8), D + 0x20n);
  assert.equal(h.x(2), le(bytes, 0, 8));
  assert.equal(h.x(4), D + 16n);
  assert.equal(h.x(5), D + 0x40n);
  assert.equal(le(peek(h, D + 0x30n, 16), 0, 16), ((0x6666n << 64n) | (D + 0x30n)));
  assert.equal(h.x(7), D + 16n);
  assert.equal(h.x(8), le(bytes, 24, 8));
  assert.equal(h.x(9), le(bytes, 0, 4));
});

test('LDPSW with Rt == Rt2, or writeback onto Rt/Rt2, is UNDEFINED (objdump: undefined)', () => {
  for (const word of [
    0x69408461, // ldpsw x1, x1, [x3, #4]
    0x68c08863, // ldpsw x3, x2, [x3], #4
    0x69c08c62, // ldpsw x2, x3, [x3, #4]!
  ]) {
    const h = harness();
    h.setX(3, D);
    h.run([word]);
    assert.equal(h.pc(), VBAR + 0x200n, word.toString(16));
    assert.equal(esr(h).ec, 0, word.toString(16));
    assert.equal(h.x(3), D);
  }
  // Rn = 31 is SP, not an overlap: ldpsw xzr, x2, [sp, #4]!
  const h = harness();
  h.setX(31, D);
  h.run([0x69c08bff]);
  assert.equal(h.pc(), CODE + 4n);
  assert.equal(h.x(31), D + 4n);
});

test('unprivileged forms (LDTR/STTR) access memory like the normal ones at EL1', () => {
  const h = harness();
  const B = D + 0x100n;
  const bytes = fill(h, B - 8n, 0x20, 0x99);
  const at = (off: number, n: number): bigint => le(bytes, 8 + off, n);
  h.setX(0, B);
  h.setX(5, 0x0a0b_0c0dn);
  h.run([
    0xf85f8801, // ldtr x1, [x0, #-8]
    0x38c00802, // ldtrsb w2, [x0]
    0x78802803, // ldtrsh x3, [x0, #2]
    0xb8804804, // ldtrsw x4, [x0, #4]
    0xb800c805, // sttr w5, [x0, #12]
    0x3800f805, // sttrb w5, [x0, #15]
    0x78011805, // sttrh w5, [x0, #17]
    0x3840f806, // ldtrb w6, [x0, #15]
    0x78411807, // ldtrh w7, [x0, #17]
  ]);
  assert.equal(h.x(1), at(-8, 8));
  assert.equal(h.x(2), BigInt.asUintN(32, BigInt.asIntN(8, at(0, 1))));
  assert.equal(h.x(3), sx(at(2, 2), 16));
  assert.equal(h.x(4), sx(at(4, 4), 32));
  assert.deepEqual(peek(h, B + 12n, 7), [0x0d, 0x0c, 0x0b, 0x0d, bytes[8 + 16], 0x0d, 0x0c]);
  assert.equal(h.x(6), 0x0dn);
  assert.equal(h.x(7), 0x0c0dn);
});

test('page-crossing unaligned accesses go through the slow path and are exact', () => {
  const h = harness();
  const P = D + 0x1000n; // a page boundary
  const bytes = fill(h, P - 16n, 32, 0x41);
  const at = (off: number, n: number): bigint => le(bytes, 16 + off, n);
  h.setX(0, P);
  h.setX(9, P - 4n);
  h.setX(7, 0x7071_7273_7475_7677n);
  h.run([
    0xf85fd001, // ldur x1, [x0, #-3]     0x...ffd: 8 bytes over the boundary
    0xb85ff002, // ldur w2, [x0, #-1]
    0x785ff003, // ldurh w3, [x0, #-1]
    0xa9401925, // ldp x5, x6, [x9]       first element crosses
    0xb89fe008, // ldursw x8, [x0, #-2]
    0xf85f800a, // ldur x10, [x0, #-8]    ends exactly at the boundary (fast path)
    0xf81fb007, // stur x7, [x0, #-5]     crossing store
    0xf940012b, // ldr x11, [x9]          reads the stored bytes back across the boundary
  ]);
  assert.equal(h.x(1), at(-3, 8));
  assert.equal(h.x(2), at(-1, 4));
  assert.equal(h.x(3), at(-1, 2));
  assert.equal(h.x(5), at(-4, 8));
  assert.equal(h.x(6), at(4, 8));
  assert.equal(h.x(8), sx(at(-2, 4), 32));
  assert.equal(h.x(10), at(-8, 8));
  assert.deepEqual(peek(h, P - 5n, 8), [0x77, 0x76, 0x75, 0x74, 0x73, 0x72, 0x71, 0x70]);
  assert.equal(h.x(11), le([0x76, 0x75, 0x74, 0x73, 0x72, 0x71, 0x70, bytes[16 + 3]], 0, 8));
});

test('a load from an unmapped address is a precise data abort', () => {
  const h = harness();
  h.setX(0, 0x5000_0000n);
  h.setX(1, JUNK);
  h.run([0xf9400001]); // ldr x1, [x0]
  assert.equal(h.pc(), VBAR + 0x200n);
  const e = esr(h);
  assert.equal(e.ec, 0x25);
  assert.equal(e.iss & 0x3f, 0x10); // synchronous external abort
  assert.equal(e.iss & (1 << 6), 0); // WnR = 0
  assert.equal(h.cpu.sys.get('FAR_EL1'), 0x5000_0000n);
  assert.equal(h.cpu.sys.get('ELR_EL1'), CODE);
  assert.equal(h.x(1), JUNK);
  assert.equal(h.x(0), 0x5000_0000n);
  assert.equal(h.errors.length, 1);
});

test('faulting accesses with writeback leave the base and data registers unchanged', () => {
  const cases: { name: string; word: number; x0: bigint; write?: boolean; far: bigint }[] = [
    { name: 'ldr x1, [x0, #8]!', word: 0xf8408c01, x0: 0x5000_0000n, far: 0x5000_0008n },
    { name: 'ldr x1, [x0], #8', word: 0xf8408401, x0: 0x5000_0000n, far: 0x5000_0000n },
    { name: 'str x1, [x0, #8]!', word: 0xf8008c01, x0: 0x5000_0000n, write: true, far: 0x5000_0008n },
    // the first element is the last 8 bytes of RAM, the second is unmapped
    { name: 'ldp x1, x2, [x0], #16', word: 0xa8c10801, x0: RAM_END - 8n, far: RAM_END },
    { name: 'ldp x1, x2, [x0]', word: 0xa9400801, x0: RAM_END - 8n, far: RAM_END },
  ];
  for (const c of cases) {
    const h = harness();
    h.setX(0, c.x0);
    h.setX(1, JUNK);
    h.setX(2, JUNK + 1n);
    h.run([c.word]);
    assert.equal(h.pc(), VBAR + 0x200n, c.name);
    const e = esr(h);
    assert.equal(e.ec, 0x25, c.name);
    assert.equal((e.iss >> 6) & 1, c.write ? 1 : 0, `${c.name}: WnR`);
    assert.equal(h.cpu.sys.get('FAR_EL1'), c.far, `${c.name}: FAR`);
    assert.equal(h.x(0), c.x0, `${c.name}: base`);
    assert.equal(h.x(1), JUNK, `${c.name}: Rt`);
    assert.equal(h.x(2), JUNK + 1n, `${c.name}: Rt2`);
  }
});

test('a page-crossing load whose second page is unmapped faults, registers unchanged', () => {
  const h = harness();
  h.setX(0, RAM_END);
  h.setX(1, JUNK);
  h.run([0xf85fd001]); // ldur x1, [x0, #-3]
  assert.equal(h.pc(), VBAR + 0x200n);
  assert.equal(esr(h).ec, 0x25);
  assert.equal(h.x(1), JUNK);
  assert.equal(h.x(0), RAM_END);
});

test('64-bit address arithmetic carries and borrows across the 32-bit halves', () => {
  // The access faults (nothing is mapped there); FAR shows the address computed.
  const cases: { name: string; word: number; x0: bigint; x2?: bigint; far: bigint }[] = [
    { name: 'ldr x1, [x0, #16]', word: 0xf9400801, x0: 0xffff_fff8n, far: 0x1_0000_0008n },
    { name: 'ldur x1, [x0, #-8]', word: 0xf85f8001, x0: 0x1_0000_0004n, far: 0xffff_fffcn },
    { name: 'ldr x1, [x0, x2]', word: 0xf8626801, x0: 0xffff_ffffn, x2: 1n, far: 0x1_0000_0000n },
    { name: 'ldr x1, [x0, x2] (x2 < 0)', word: 0xf8626801, x0: 0x2_0000_0000n, x2: -1n, far: 0x1_ffff_ffffn },
  ];
  for (const c of cases) {
    const h = harness();
    h.setX(0, c.x0);
    if (c.x2 !== undefined) h.setX(2, c.x2);
    h.run([c.word]);
    assert.equal(esr(h).ec, 0x25, c.name);
    assert.equal(h.cpu.sys.get('FAR_EL1'), c.far, c.name);
  }
});

test('an address at or above 2^48 gives an address size fault (no translation yet)', () => {
  const h = harness();
  h.setX(0, 0x0001_0000_0000_0000n);
  h.setX(1, JUNK);
  h.run([0xf9400001]); // ldr x1, [x0]
  const e = esr(h);
  assert.equal(e.ec, 0x25);
  assert.equal(e.iss & 0x3f, 0x00); // address size fault, level 0
  assert.equal(h.x(1), JUNK);
});

test('a store into an executed code page is seen by the next execution of that slot', () => {
  const h = harness();
  h.setX(0, CODE);
  h.setX(1, 0xd28000a2n); // movz x2, #5
  h.run([
    0xd2800022, // 1: movz x2, #1   (overwritten by the store below)
    0xb9000001, // str w1, [x0]
    0x17fffffe, // b 1b
  ], 4);
  assert.equal(h.x(2), 5n);
  assert.equal(h.pc(), CODE + 4n);
});

// An access that crosses into an unmapped page reports, in FAR, the first byte of the page that faulted
// (as QEMU does), not the start of the access.
test('FAR of a page-crossing access that faults on its second page', () => {
  for (const [word, name] of [
    [0xf85fd001, 'ldur x1, [x0, #-3]'],
    [0xf85fa001, 'ldur x1, [x0, #-6]'],
    [0xf81fd001, 'stur x1, [x0, #-3]'],
  ] as const) {
    const h = harness();
    h.setX(0, RAM_END);
    h.run([word]);
    assert.equal(esr(h).ec, 0x25, name);
    assert.equal(h.cpu.sys.get('FAR_EL1'), RAM_END, name);
  }
});

// A store that crosses into a page that faults writes nothing, not even its bytes on the first page (as
// QEMU: both pages are checked before the first byte is written); FAR names the faulting page's first byte.
test('a page-crossing store whose second page is unmapped faults and writes nothing', () => {
  for (const [word, x0, name] of [
    [0xb81fe001, RAM_END, 'stur w1, [x0, #-2]'],
    [0x781ff001, RAM_END, 'sturh w1, [x0, #-1]'],
    [0xf81fd001, RAM_END, 'stur x1, [x0, #-3]'],
    [0xf81fe001, RAM_END, 'stur x1, [x0, #-2]'],
    [0xf81f9001, RAM_END, 'stur x1, [x0, #-7]'],
    [0xf81fc001, RAM_END, 'stur x1, [x0, #-4] (first word wholly on the first page)'],
    [0xf8001c01, RAM_END - 8n, 'str x1, [x0, #1]! (pre-index: the base is not written back either)'],
  ] as const) {
    const h = harness();
    const before = fill(h, RAM_END - 16n, 16, 0x5a);
    h.setX(0, x0);
    h.setX(1, JUNK);
    h.run([word]);
    assert.equal(h.pc(), VBAR + 0x200n, name);
    assert.equal(esr(h).ec, 0x25, name);
    assert.equal((esr(h).iss >> 6) & 1, 1, `${name}: WnR`);
    assert.equal(h.cpu.sys.get('FAR_EL1'), RAM_END, `${name}: FAR`);
    assert.deepEqual(peek(h, RAM_END - 16n, 16), before, `${name}: memory unchanged`);
    assert.equal(h.x(0), x0, `${name}: base`);
  }
});
