// Instruction semantics of the data-processing rows (words from the GNU assembler, asm text beside each):
// flags at the carry/overflow boundaries in both widths, W results zeroing the upper half, SP versus XZR per
// operand, shift amounts 0/31/32/63, bitmask immediates, bitfield extremes, division and multiply corner
// cases, bit counting and byte reversal. Also the exact 64-bit helpers of exec/u64.ts against BigInt, and
// UNDEF for reserved encodings. The differential suite against QEMU is test/oracle/qemu-dp.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE } from '../helpers/cpuHarness';
import {
  cls64, logicalImm, logicalImmValid, mul64, mulS32, mulU32, out, sdiv64, smulh64, udiv64, umulh64,
} from '../../src/emu/isa/exec/u64';
import { rng } from '../helpers/dpWords';

const M64 = (1n << 64n) - 1n;
const JUNK = 0xdeadbeefcafef00dn;

interface Case {
  /** Assembler text of `word`. */
  asm: string;
  word: number;
  /** Register inputs; x0..x7 not named start as JUNK. */
  x?: Record<number, bigint>;
  sp?: bigint;
  /** Flags before, as 'NZCV' letters (upper case = set), e.g. 'nzCv'. */
  flags?: string;
  /** Expected registers after. */
  out: Record<number, bigint>;
  spOut?: bigint;
  flagsOut?: string;
}

const parseFlags = (s: string): number =>
  [...s].reduce((v, ch, i) => v | (ch === ch.toUpperCase() ? 1 << (31 - i) : 0), 0) >>> 0;
const showFlags = (v: number): string => [...'NZCV'].map((ch, i) => ((v >>> (31 - i)) & 1 ? ch : ch.toLowerCase())).join('');

function runCase(c: Case): void {
  const h = makeHarness();
  for (let i = 0; i < 8; i++) h.setX(i, c.x?.[i] ?? JUNK);
  h.setX(31, c.sp ?? 0x40ff0000n);
  h.cpu.nzcv = parseFlags(c.flags ?? 'nzcv');
  h.run([c.word]);
  assert.equal(h.pc(), CODE + 4n, `${c.asm}: did not complete (UNDEF?)`);
  for (const [n, v] of Object.entries(c.out)) {
    assert.equal(h.x(Number(n)).toString(16), BigInt.asUintN(64, v).toString(16), `${c.asm}: x${n}`);
  }
  assert.equal(h.x(31).toString(16), BigInt.asUintN(64, c.spOut ?? c.sp ?? 0x40ff0000n).toString(16), `${c.asm}: sp`);
  assert.equal(showFlags(h.cpu.nzcv), c.flagsOut ?? c.flags ?? 'nzcv', `${c.asm}: flags`);
}

const ADD_SUB: Case[] = [
  // 32-bit signed overflow at 0x7fffffff + 1; the upper half of x1 is ignored and x0's is cleared
  { asm: 'adds w0, w1, w2', word: 0x2b020020, x: { 1: 0xffffffff7fffffffn, 2: 1n }, out: { 0: 0x80000000n }, flagsOut: 'NzcV' },
  // 64-bit carry out of all ones + 1
  { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: M64, 2: 1n }, out: { 0: 0n }, flagsOut: 'nZCv' },
  { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: 0x7fffffffffffffffn, 2: 1n }, out: { 0: 0x8000000000000000n }, flagsOut: 'NzcV' },
  // the same 32-bit operands carry out of bit 31 only in the 32-bit form
  { asm: 'adds w0, w1, w2', word: 0x2b020020, x: { 1: 0xffffffffn, 2: 1n }, out: { 0: 0n }, flagsOut: 'nZCv' },
  { asm: 'adds x0, x1, x2', word: 0xab020020, x: { 1: 0xffffffffn, 2: 1n }, out: { 0: 0x100000000n }, flagsOut: 'nzcv' },
  // subtracting to zero sets Z and C (no borrow)
  { asm: 'subs w0, w1, w2', word: 0x6b020020, x: { 1: 5n, 2: 0xffffffff00000005n }, out: { 0: 0n }, flagsOut: 'nZCv' },
  { asm: 'subs x0, x1, x2', word: 0xeb020020, x: { 1: 0n, 2: 1n }, out: { 0: M64 }, flagsOut: 'Nzcv' },
  // INT32_MIN - 1 overflows in 32 bits, not in 64
  { asm: 'cmp w1, w2', word: 0x6b02003f, x: { 1: 0x80000000n, 2: 1n }, out: { 0: JUNK }, flagsOut: 'nzCV' },
  { asm: 'cmp x1, x2', word: 0xeb02003f, x: { 1: 0x80000000n, 2: 1n }, out: { 0: JUNK }, flagsOut: 'nzCv' },
  { asm: 'cmp x1, x2', word: 0xeb02003f, x: { 1: 0x8000000000000000n, 2: 1n }, out: {}, flagsOut: 'nzCV' },
  { asm: 'add w0, w1, w2, lsl #31', word: 0x0b027c20, x: { 1: 1n, 2: 3n }, out: { 0: 0x80000001n } },
  { asm: 'add x0, x1, x2, asr #63', word: 0x8b82fc20, x: { 1: 5n, 2: 0x8000000000000000n }, out: { 0: 4n } },
  { asm: 'sub x0, x1, x2, lsr #32', word: 0xcb428020, x: { 1: 0n, 2: 0x123456789n }, out: { 0: -1n } },
  { asm: 'add x0, x1, x2, lsl #0', word: 0x8b020020, x: { 1: 0xffffffffn, 2: 1n }, out: { 0: 0x100000000n } },
  { asm: 'neg x0, x1', word: 0xcb0103e0, x: { 1: 1n }, out: { 0: M64 } },
  { asm: 'negs w0, w1', word: 0x6b0103e0, x: { 1: 0x80000000n }, out: { 0: 0x80000000n }, flagsOut: 'NzcV' },
  { asm: 'negs w0, w1', word: 0x6b0103e0, x: { 1: 0n }, out: { 0: 0n }, flagsOut: 'nZCv' },
  { asm: 'cmn x1, x2, lsl #1', word: 0xab02043f, x: { 1: 2n, 2: 0x7fffffffffffffffn }, out: {}, flagsOut: 'nZCv' },
  // register 31 in the shifted-register form is XZR: the write is discarded, SP untouched
  { asm: 'add xzr, x1, x2', word: 0x8b02003f, x: { 1: 1n, 2: 2n }, sp: 0x1000n, out: { 1: 1n } },
  // extended register: 31 is SP for Rd (without flags) and Rn
  { asm: 'add sp, sp, w1, uxtw #4', word: 0x8b2153ff, x: { 1: 0xffffffff00000001n }, sp: 0x1000n, out: {}, spOut: 0x1010n },
  { asm: 'add x0, sp, w1, sxtw', word: 0x8b21c3e0, x: { 1: 0xfffffff0n }, sp: 0x1000n, out: { 0: 0xff0n } },
  { asm: 'cmp sp, x1', word: 0xeb2163ff, x: { 1: 0x1000n }, sp: 0x1000n, out: {}, flagsOut: 'nZCv' },
  // bits shifted out of the extended operand are lost, not carried
  { asm: 'adds x0, sp, x1, uxtx #2', word: 0xab216be0, x: { 1: 0x4000000000000000n }, sp: 0x8n, out: { 0: 8n }, flagsOut: 'nzcv' },
  { asm: 'adds x0, sp, x1, uxtx #2', word: 0xab216be0, x: { 1: 0x3fffffffffffffffn }, sp: 0x8n, out: { 0: 4n }, flagsOut: 'nzCv' },
  { asm: 'sub x0, x1, w2, sxtb #1', word: 0xcb228420, x: { 1: 0n, 2: 0x180n }, out: { 0: 0x100n } },
  { asm: 'add w0, w1, w2, uxth', word: 0x0b222020, x: { 1: 0xffffffffn, 2: 0x12340002n }, out: { 0: 1n } },
  // 32-bit write to WSP clears the upper half of SP
  { asm: 'sub wsp, w1, w2, sxth #4', word: 0x4b22b03f, x: { 1: 0n, 2: 0xffffn }, sp: 0xffff000000000000n, out: {}, spOut: 0x10n },
  { asm: 'add x0, x1, w2, uxtb', word: 0x8b220020, x: { 1: 1n, 2: 0xfffn }, out: { 0: 0x100n } },
];

const LOGICAL: Case[] = [
  { asm: 'and x0, x1, #0xff00ff00ff00ff00', word: 0x92089c20, x: { 1: M64 }, out: { 0: 0xff00ff00ff00ff00n } },
  { asm: 'mov w0, #0x55555555', word: 0x3200f3e0, out: { 0: 0x55555555n } },
  { asm: 'eor x0, x1, #0x1', word: 0xd2400020, x: { 1: 3n }, out: { 0: 2n } },
  { asm: 'ands w0, w1, #0x80000000', word: 0x72010020, x: { 1: 0xffffffffn }, flags: 'nzCV', out: { 0: 0x80000000n }, flagsOut: 'Nzcv' },
  { asm: 'tst x1, #0x8000000000000000', word: 0xf241003f, x: { 1: 0x7fffffffffffffffn }, out: {}, flagsOut: 'nZcv' },
  // logical immediates write SP (except ANDS)
  { asm: 'orr sp, x1, #0xf0', word: 0xb27c0c3f, x: { 1: 0x100000000n }, sp: 0n, out: {}, spOut: 0x1000000f0n },
  { asm: 'and wsp, w1, #0xfffffffe', word: 0x121f783f, x: { 1: 0xffffffffn }, sp: M64, out: {}, spOut: 0xfffffffen },
  { asm: 'eor x0, x1, #0x7ffffffffffffffe', word: 0xd27ff420, x: { 1: M64 }, out: { 0: 0x8000000000000001n } },
  { asm: 'bic x0, x1, x2, ror #4', word: 0x8ae21020, x: { 1: M64, 2: 0x1fn }, out: { 0: 0x0ffffffffffffffen } },
  { asm: 'orn w0, w1, w2, lsl #31', word: 0x2a227c20, x: { 1: 0n, 2: 1n }, out: { 0: 0x7fffffffn } },
  { asm: 'eon x0, x1, x2', word: 0xca220020, x: { 1: 0xf0n, 2: 0xffn }, out: { 0: 0xfffffffffffffff0n } },
  // BICS clears C and V
  { asm: 'bics x0, x1, x2', word: 0xea220020, x: { 1: 0xffn, 2: 0xffn }, flags: 'NzCV', out: { 0: 0n }, flagsOut: 'nZcv' },
  { asm: 'mvn w0, w1', word: 0x2a2103e0, x: { 1: 0xffffffff0000ffffn }, out: { 0: 0xffff0000n } },
  { asm: 'tst x1, x2, lsr #63', word: 0xea42fc3f, x: { 1: 1n, 2: 0x8000000000000000n }, out: {}, flagsOut: 'nzcv' },
  { asm: 'mov x0, x1', word: 0xaa0103e0, x: { 1: 0x123456789abcdef0n }, out: { 0: 0x123456789abcdef0n } },
  { asm: 'and w0, w1, w2, asr #31', word: 0x0a827c20, x: { 1: 0x12345678n, 2: 0x80000000n }, out: { 0: 0x12345678n } },
  { asm: 'eor x0, x1, x2, ror #63', word: 0xcac2fc20, x: { 1: 0n, 2: 0x8000000000000001n }, out: { 0: 3n } },
];

const BITFIELD: Case[] = [
  { asm: 'lsl x0, x1, #63', word: 0xd3410020, x: { 1: 3n }, out: { 0: 0x8000000000000000n } },
  { asm: 'lsr x0, x1, #63', word: 0xd37ffc20, x: { 1: 0x8000000000000000n }, out: { 0: 1n } },
  { asm: 'asr x0, x1, #63', word: 0x937ffc20, x: { 1: 0x8000000000000000n }, out: { 0: M64 } },
  { asm: 'lsl w0, w1, #31', word: 0x53010020, x: { 1: 3n }, out: { 0: 0x80000000n } },
  { asm: 'asr w0, w1, #31', word: 0x131f7c20, x: { 1: 0x80000000n }, out: { 0: 0xffffffffn } },
  { asm: 'lsr w0, w1, #0', word: 0x53007c20, x: { 1: 0xffffffff87654321n }, out: { 0: 0x87654321n } },
  { asm: 'sxtb x0, w1', word: 0x93401c20, x: { 1: 0x180n }, out: { 0: 0xffffffffffffff80n } },
  { asm: 'sxth w0, w1', word: 0x13003c20, x: { 1: 0x8000n }, out: { 0: 0xffff8000n } },
  { asm: 'sxtw x0, w1', word: 0x93407c20, x: { 1: 0x80000000n }, out: { 0: 0xffffffff80000000n } },
  { asm: 'uxtb w0, w1', word: 0x53001c20, x: { 1: 0x1ffn }, out: { 0: 0xffn } },
  { asm: 'uxth w0, w1', word: 0x53003c20, x: { 1: 0xfffffn }, out: { 0: 0xffffn } },
  { asm: 'ubfx x0, x1, #4, #60', word: 0xd344fc20, x: { 1: M64 }, out: { 0: 0x0fffffffffffffffn } },
  { asm: 'sbfx x0, x1, #60, #4', word: 0x937cfc20, x: { 1: 0x8000000000000000n }, out: { 0: -8n } },
  { asm: 'sbfiz x0, x1, #60, #4', word: 0x93440c20, x: { 1: 0xfn }, out: { 0: 0xf000000000000000n } },
  { asm: 'bfi x0, x1, #8, #56', word: 0xb378dc20, x: { 0: 0x11n, 1: M64 }, out: { 0: 0xffffffffffffff11n } },
  { asm: 'bfxil w0, w1, #0, #32', word: 0x33007c20, x: { 0: M64, 1: 0x12345678n }, out: { 0: 0x12345678n } },
  { asm: 'bfc x0, #1, #63', word: 0xb37ffbe0, x: { 0: M64 }, out: { 0: 1n } },
  { asm: 'ubfx x0, x1, #63, #1', word: 0xd37ffc20, x: { 1: 0x8000000000000000n }, out: { 0: 1n } },
  { asm: 'asr x0, x1, #0', word: 0x9340fc20, x: { 1: 0x8000000000000001n }, out: { 0: 0x8000000000000001n } },
  { asm: 'sbfiz x0, x1, #1, #63', word: 0x937ff820, x: { 1: 0x4000000000000000n }, out: { 0: 0x8000000000000000n } },
  { asm: 'bfi w0, w1, #31, #1', word: 0x33010020, x: { 0: 0xffffffff00000001n, 1: 1n }, out: { 0: 0x80000001n } },
  { asm: 'bfxil x0, x1, #32, #32', word: 0xb360fc20, x: { 0: 0x1111111122222222n, 1: 0x3333333344444444n }, out: { 0: 0x1111111133333333n } },
  { asm: 'extr x0, x1, x2, #0', word: 0x93c20020, x: { 1: 1n, 2: 2n }, out: { 0: 2n } },
  { asm: 'extr x0, x1, x2, #32', word: 0x93c28020, x: { 1: 0x1111111122222222n, 2: 0x3333333344444444n }, out: { 0: 0x2222222233333333n } },
  { asm: 'extr x0, x1, x2, #63', word: 0x93c2fc20, x: { 1: 1n, 2: 0x8000000000000000n }, out: { 0: 3n } },
  { asm: 'extr w0, w1, w2, #31', word: 0x13827c20, x: { 1: 1n, 2: 0x80000000n }, out: { 0: 3n } },
  { asm: 'ror x0, x1, #1', word: 0x93c10420, x: { 1: 1n }, out: { 0: 0x8000000000000000n } },
  { asm: 'ror w0, w1, #16', word: 0x13814020, x: { 1: 0xffff00001234abcdn }, out: { 0: 0xabcd1234n } },
  // destination equal to a source: every source is read first
  { asm: 'extr x1, x1, x2, #8', word: 0x93c22021, x: { 1: 0xffn, 2: 0x1100n }, out: { 1: 0xff00000000000011n } },
];

const CARRY_COND: Case[] = [
  { asm: 'adc x0, x1, x2', word: 0x9a020020, x: { 1: M64, 2: 0n }, flags: 'nzCv', out: { 0: 0n }, flagsOut: 'nzCv' },
  { asm: 'adcs w0, w1, w2', word: 0x3a020020, x: { 1: 0xffffffffn, 2: 0n }, flags: 'nzCv', out: { 0: 0n }, flagsOut: 'nZCv' },
  { asm: 'adcs x0, x1, x2', word: 0xba020020, x: { 1: 0x7fffffffffffffffn, 2: 0n }, flags: 'nzCv', out: { 0: 0x8000000000000000n }, flagsOut: 'NzcV' },
  { asm: 'sbc x0, x1, x2', word: 0xda020020, x: { 1: 10n, 2: 3n }, flags: 'nzcv', out: { 0: 6n } },
  { asm: 'sbcs w0, w1, w2', word: 0x7a020020, x: { 1: 0n, 2: 0n }, flags: 'nzcv', out: { 0: 0xffffffffn }, flagsOut: 'Nzcv' },
  { asm: 'ngc x0, x1', word: 0xda0103e0, x: { 1: 0n }, flags: 'nzcv', out: { 0: M64 } },
  { asm: 'ngcs w0, w1', word: 0x7a0103e0, x: { 1: 0n }, flags: 'nzCv', out: { 0: 0n }, flagsOut: 'nZCv' },
  { asm: 'ccmp x1, x2, #0x5, eq', word: 0xfa420025, x: { 1: 1n, 2: 2n }, flags: 'nZcv', out: {}, flagsOut: 'Nzcv' },
  { asm: 'ccmp x1, x2, #0x5, eq', word: 0xfa420025, x: { 1: 1n, 2: 2n }, flags: 'nzcv', out: {}, flagsOut: 'nZcV' },
  { asm: 'ccmn w1, #31, #0xf, ne', word: 0x3a5f182f, x: { 1: 0xffffffe1n }, flags: 'nzcv', out: {}, flagsOut: 'nZCv' },
  { asm: 'ccmp w1, #0, #0x0, al', word: 0x7a40e820, x: { 1: 0n }, flags: 'NzcV', out: {}, flagsOut: 'nZCv' },
  { asm: 'csel x0, x1, x2, ge', word: 0x9a82a020, x: { 1: 1n, 2: 2n }, flags: 'NzcV', out: { 0: 1n }, flagsOut: 'NzcV' },
  { asm: 'csel x0, x1, x2, ge', word: 0x9a82a020, x: { 1: 1n, 2: 2n }, flags: 'Nzcv', out: { 0: 2n }, flagsOut: 'Nzcv' },
  { asm: 'csinc w0, w1, w2, lt', word: 0x1a82b420, x: { 1: 1n, 2: 0xffffffffn }, out: { 0: 0n } },
  { asm: 'cset x0, eq', word: 0x9a9f17e0, flags: 'nZcv', out: { 0: 1n }, flagsOut: 'nZcv' },
  { asm: 'csetm w0, ne', word: 0x5a9f03e0, flags: 'nzcv', out: { 0: 0xffffffffn } },
  { asm: 'cneg x0, x1, mi', word: 0xda815420, x: { 1: 5n }, flags: 'Nzcv', out: { 0: -5n }, flagsOut: 'Nzcv' },
  { asm: 'cinv x0, x1, hi', word: 0xda819020, x: { 1: 0n }, flags: 'nzCv', out: { 0: M64 }, flagsOut: 'nzCv' },
  { asm: 'cinc w0, w1, vs', word: 0x1a817420, x: { 1: 0xffffffffn }, flags: 'nzcV', out: { 0: 0n }, flagsOut: 'nzcV' },
  { asm: 'csneg x0, x1, x2, le', word: 0xda82d420, x: { 1: 1n, 2: 0x8000000000000000n }, flags: 'nzcv', out: { 0: 0x8000000000000000n } },
];

const ONE_TWO_SRC: Case[] = [
  { asm: 'rbit w0, w1', word: 0x5ac00020, x: { 1: 1n }, out: { 0: 0x80000000n } },
  { asm: 'rbit x0, x1', word: 0xdac00020, x: { 1: 0x1n }, out: { 0: 0x8000000000000000n } },
  { asm: 'rev16 w0, w1', word: 0x5ac00420, x: { 1: 0x11223344n }, out: { 0: 0x22114433n } },
  { asm: 'rev16 x0, x1', word: 0xdac00420, x: { 1: 0x1122334455667788n }, out: { 0: 0x2211443366558877n } },
  { asm: 'rev w0, w1', word: 0x5ac00820, x: { 1: 0xaabbccdd11223344n }, out: { 0: 0x44332211n } },
  { asm: 'rev32 x0, x1', word: 0xdac00820, x: { 1: 0x1122334455667788n }, out: { 0: 0x4433221188776655n } },
  { asm: 'rev x0, x1', word: 0xdac00c20, x: { 1: 0x1122334455667788n }, out: { 0: 0x8877665544332211n } },
  { asm: 'clz x0, x1', word: 0xdac01020, x: { 1: 0n }, out: { 0: 64n } },
  { asm: 'clz x0, x1', word: 0xdac01020, x: { 1: 0x100000000n }, out: { 0: 31n } },
  { asm: 'clz w0, w1', word: 0x5ac01020, x: { 1: 0xffffffff00000000n }, out: { 0: 32n } },
  { asm: 'cls x0, x1', word: 0xdac01420, x: { 1: 0n }, out: { 0: 63n } },
  { asm: 'cls x0, x1', word: 0xdac01420, x: { 1: M64 }, out: { 0: 63n } },
  { asm: 'cls x0, x1', word: 0xdac01420, x: { 1: 0x100000000n }, out: { 0: 30n } },
  { asm: 'cls x0, x1', word: 0xdac01420, x: { 1: 0xffffffff7fffffffn }, out: { 0: 31n } },
  { asm: 'cls w0, w1', word: 0x5ac01420, x: { 1: 0n }, out: { 0: 31n } },
  { asm: 'cls w0, w1', word: 0x5ac01420, x: { 1: 0xffffffffn }, out: { 0: 31n } },
  { asm: 'cls w0, w1', word: 0x5ac01420, x: { 1: 0x40000000n }, out: { 0: 0n } },
  // variable shifts take the amount modulo the width
  { asm: 'lsl x0, x1, x2', word: 0x9ac22020, x: { 1: 1n, 2: 67n }, out: { 0: 8n } },
  { asm: 'lsl x0, x1, x2', word: 0x9ac22020, x: { 1: 1n, 2: 63n }, out: { 0: 0x8000000000000000n } },
  { asm: 'lsr w0, w1, w2', word: 0x1ac22420, x: { 1: 0xffffffff80000000n, 2: 32n }, out: { 0: 0x80000000n } },
  { asm: 'lsr w0, w1, w2', word: 0x1ac22420, x: { 1: 0x80000000n, 2: 31n }, out: { 0: 1n } },
  { asm: 'asr x0, x1, x2', word: 0x9ac22820, x: { 1: 0x8000000000000000n, 2: 63n }, out: { 0: M64 } },
  { asm: 'asr x0, x1, x2', word: 0x9ac22820, x: { 1: 0x8000000000000000n, 2: 32n }, out: { 0: 0xffffffff80000000n } },
  { asm: 'ror w0, w1, w2', word: 0x1ac22c20, x: { 1: 1n, 2: 33n }, out: { 0: 0x80000000n } },
  { asm: 'ror x0, x1, x2', word: 0x9ac22c20, x: { 1: 0x123456789n, 2: 32n }, out: { 0: 0x2345678900000001n } },
  { asm: 'lsr x0, x1, x2', word: 0x9ac22420, x: { 1: M64, 2: 64n }, out: { 0: M64 } },
  { asm: 'asr w0, w1, w2', word: 0x1ac22820, x: { 1: 0x80000000n, 2: 0xffffffffn }, out: { 0: 0xffffffffn } },
  { asm: 'lsl w0, w1, w2', word: 0x1ac22020, x: { 1: 0xffffffffn, 2: 0n }, out: { 0: 0xffffffffn } },
  // division: by zero gives 0, INT_MIN / -1 gives INT_MIN, rounding toward zero
  { asm: 'udiv x0, x1, x2', word: 0x9ac20820, x: { 1: 12345n, 2: 0n }, out: { 0: 0n } },
  { asm: 'udiv x0, x1, x2', word: 0x9ac20820, x: { 1: M64, 2: 0x100000001n }, out: { 0: 0xffffffffn } },
  { asm: 'udiv x0, x1, x2', word: 0x9ac20820, x: { 1: M64, 2: 3n }, out: { 0: 0x5555555555555555n } },
  { asm: 'sdiv x0, x1, x2', word: 0x9ac20c20, x: { 1: 0x8000000000000000n, 2: M64 }, out: { 0: 0x8000000000000000n } },
  { asm: 'sdiv x0, x1, x2', word: 0x9ac20c20, x: { 1: -7n, 2: 2n }, out: { 0: -3n } },
  { asm: 'sdiv x0, x1, x2', word: 0x9ac20c20, x: { 1: 7n, 2: 0n }, out: { 0: 0n } },
  { asm: 'sdiv w0, w1, w2', word: 0x1ac20c20, x: { 1: 0x80000000n, 2: 0xffffffffn }, out: { 0: 0x80000000n } },
  { asm: 'sdiv w0, w1, w2', word: 0x1ac20c20, x: { 1: 7n, 2: 0xfffffffen }, out: { 0: 0xfffffffdn } },
  { asm: 'udiv w0, w1, w2', word: 0x1ac20820, x: { 1: 0xffffffffn, 2: 2n }, out: { 0: 0x7fffffffn } },
  { asm: 'udiv w0, w1, w2', word: 0x1ac20820, x: { 1: 0xffffffffn, 2: 0x100000000n }, out: { 0: 0n } },
];

const MULTIPLY: Case[] = [
  { asm: 'madd x0, x1, x2, x3', word: 0x9b020c20, x: { 1: 0x100000001n, 2: 0x100000001n, 3: 1n }, out: { 0: 0x200000002n } },
  { asm: 'msub w0, w1, w2, w3', word: 0x1b028c20, x: { 1: 0x10000n, 2: 0x10000n, 3: 5n }, out: { 0: 5n } },
  { asm: 'mul x0, x1, x2', word: 0x9b027c20, x: { 1: M64, 2: M64 }, out: { 0: 1n } },
  { asm: 'mul x0, x1, x2', word: 0x9b027c20, x: { 1: 0x123456789abcdefn, 2: 0xfedcba987654321n }, out: { 0: BigInt.asUintN(64, 0x123456789abcdefn * 0xfedcba987654321n) } },
  { asm: 'mneg x0, x1, x2', word: 0x9b02fc20, x: { 1: 3n, 2: 4n }, out: { 0: -12n } },
  { asm: 'smull x0, w1, w2', word: 0x9b227c20, x: { 1: 0xffffffffn, 2: 0x80000000n }, out: { 0: 0x80000000n } },
  { asm: 'smull x0, w1, w2', word: 0x9b227c20, x: { 1: 0x80000000n, 2: 0x80000000n }, out: { 0: 0x4000000000000000n } },
  { asm: 'umull x0, w1, w2', word: 0x9ba27c20, x: { 1: 0xffffffffn, 2: 0xffffffffn }, out: { 0: 0xfffffffe00000001n } },
  { asm: 'smaddl x0, w1, w2, x3', word: 0x9b220c20, x: { 1: 0xfffffffen, 2: 3n, 3: 6n }, out: { 0: 0n } },
  { asm: 'umsubl x0, w1, w2, x3', word: 0x9ba28c20, x: { 1: 0xffffffffn, 2: 2n, 3: 0n }, out: { 0: -0x1fffffffen } },
  { asm: 'smnegl x0, w1, w2', word: 0x9b22fc20, x: { 1: 0xffffffffn, 2: 0xffffffffn }, out: { 0: M64 } },
  { asm: 'umaddl x0, w1, w2, x3', word: 0x9ba20c20, x: { 1: 0x80000000n, 2: 2n, 3: M64 }, out: { 0: 0xffffffffn } },
  { asm: 'smulh x0, x1, x2', word: 0x9b427c20, x: { 1: M64, 2: M64 }, out: { 0: 0n } },
  { asm: 'smulh x0, x1, x2', word: 0x9b427c20, x: { 1: M64, 2: 1n }, out: { 0: M64 } },
  { asm: 'smulh x0, x1, x2', word: 0x9b427c20, x: { 1: 0x8000000000000000n, 2: 0x8000000000000000n }, out: { 0: 0x4000000000000000n } },
  { asm: 'smulh x0, x1, x2', word: 0x9b427c20, x: { 1: 0x8000000000000000n, 2: 0x7fffffffffffffffn }, out: { 0: 0xc000000000000000n } },
  { asm: 'umulh x0, x1, x2', word: 0x9bc27c20, x: { 1: M64, 2: M64 }, out: { 0: 0xfffffffffffffffen } },
  { asm: 'umulh x0, x1, x2', word: 0x9bc27c20, x: { 1: 0x100000000n, 2: 0x100000000n }, out: { 0: 1n } },
  // Rd = Rm = Ra
  { asm: 'madd x1, x2, x1, x1', word: 0x9b010441, x: { 1: 5n, 2: 3n }, out: { 1: 20n } },
  { asm: 'mul w0, w1, w2', word: 0x1b027c20, x: { 1: 0xffffffffn, 2: 0xffffffffn }, out: { 0: 1n } },
];

for (const [name, cases] of Object.entries({ ADD_SUB, LOGICAL, BITFIELD, CARRY_COND, ONE_TWO_SRC, MULTIPLY })) {
  test(`data processing: ${name}`, () => {
    for (const c of cases) runCase(c);
  });
}

test('reserved data-processing encodings raise UNDEF', () => {
  const words: [string, number][] = [
    ['ADD (shifted register) with shift = ROR', 0x8bc20020],
    ['ADD (shifted register), 32-bit, imm6 = 36', 0x0b029020],
    ['ADD (extended register) with a shift of 5', 0x0b227420],
    ['AND (immediate), 32-bit with N = 1', 0x12400020],
    ['AND (immediate) with an all-ones element (esize 2, imms = 0b111101)', 0x9200f420],
    ['ORR (immediate), 64-bit, N = 1 and imms = 63 (all ones)', 0xb240fc20],
    ['SBFM with sf != N', 0x93000020],
    ['UBFM, 32-bit, immr bit 5 set', 0x53200020],
    ['EXTR, 32-bit, imms bit 5 set', 0x13828020],
    ['EXTR with sf != N', 0x93828020],
    ['CCMP (register) with o3 = 1', 0xfa420035],
    ['REV, 32-bit with opc = 11', 0x5ac00c20],
  ];
  // vectors at CODE + 0x800: the current-EL/SPx synchronous entry (VBAR + 0x200) holds 'b .'
  const vbar = CODE + 0x800n;
  const B_SELF = 0x14000000;
  for (const [what, w] of words) {
    const h = makeHarness();
    h.cpu.sys.set('VBAR_EL1', vbar);
    const prog = new Array<number>(0xa00 / 4 + 1).fill(0);
    prog[0] = w;
    prog[0xa00 / 4] = B_SELF;
    // one retired instruction: the faulting word retires nothing, the vector's branch retires one
    h.run(prog, 1);
    assert.equal(h.pc(), vbar + 0x200n, `${what} (0x${(w >>> 0).toString(16)}): expected the UNDEF vector`);
    assert.equal(h.cpu.sys.get('ELR_EL1'), CODE, `${what}: ELR_EL1`);
    const [esrLo] = h.cpu.sys.getPair('ESR_EL1');
    assert.equal(esrLo >>> 26, 0, `${what}: ESR_EL1.EC is not UNKNOWN`);
  }
});

// ---- the 64-bit helpers, exactly, against BigInt -------------------------------------------------------

const EDGE64 = [0n, 1n, 2n, 3n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x100000001n, 0x7fffffffffffffffn,
  0x8000000000000000n, M64, M64 - 1n, 0xffffffff00000000n, 0x1fffffffffffffn, 0x20000000000000n];

function values(n: number): bigint[] {
  const next = rng(0xabcdef);
  const out64: bigint[] = [...EDGE64];
  while (out64.length < n) {
    const k = next() % 4;
    let v = (BigInt(next()) << 32n) | BigInt(next());
    if (k === 1) v >>= BigInt(next() % 64); // all magnitudes, so the division paths all run
    if (k === 2) v = BigInt.asUintN(64, -(v >> BigInt(next() % 64)));
    out64.push(v);
  }
  return out64;
}

const lo = (v: bigint): number => Number(v & 0xffffffffn) | 0;
const hi = (v: bigint): number => Number(v >> 32n) | 0;
const pair = (l: number): bigint => (BigInt(out.hi >>> 0) << 32n) | BigInt(l >>> 0);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

test('u64: multiplications and divisions agree with BigInt', () => {
  const vs = values(300);
  for (const a of vs) {
    for (let j = 0; j < vs.length; j += 7) {
      const b = vs[j];
      const ctx = `a=0x${a.toString(16)} b=0x${b.toString(16)}`;
      assert.equal(pair(mul64(lo(a), hi(a), lo(b), hi(b))), (a * b) & M64, `mul64 ${ctx}`);
      assert.equal(pair(umulh64(lo(a), hi(a), lo(b), hi(b))), (a * b) >> 64n, `umulh64 ${ctx}`);
      assert.equal(pair(smulh64(lo(a), hi(a), lo(b), hi(b))), BigInt.asUintN(64, (s64(a) * s64(b)) >> 64n), `smulh64 ${ctx}`);
      if (b !== 0n) {
        assert.equal(pair(udiv64(lo(a), hi(a), lo(b), hi(b))), a / b, `udiv64 ${ctx}`);
        const q = s64(a) === -(1n << 63n) && s64(b) === -1n ? 1n << 63n : BigInt.asUintN(64, s64(a) / s64(b));
        assert.equal(pair(sdiv64(lo(a), hi(a), lo(b), hi(b))), q, `sdiv64 ${ctx}`);
      }
      const a32 = a & 0xffffffffn;
      const b32 = b & 0xffffffffn;
      assert.equal(pair(mulU32(lo(a), lo(b))), a32 * b32, `mulU32 ${ctx}`);
      assert.equal(pair(mulS32(lo(a), lo(b))), BigInt.asUintN(64, BigInt.asIntN(32, a32) * BigInt.asIntN(32, b32)), `mulS32 ${ctx}`);
    }
    // CountLeadingSignBits
    let n = 0;
    while (n < 63 && ((a >> BigInt(62 - n)) & 1n) === ((a >> 63n) & 1n)) n++;
    assert.equal(cls64(lo(a), hi(a)), n, `cls64 0x${a.toString(16)}`);
  }
});

/** DecodeBitMasks(N, imms, immr, TRUE) straight from the Arm ARM pseudocode, on BigInt. */
function decodeBitMasksRef(sf: number, n: number, imms: number, immr: number): bigint | undefined {
  const m = BigInt((n << 6) | (~imms & 0x3f));
  let len = -1;
  for (let i = 6; i >= 0; i--) if ((m >> BigInt(i)) & 1n) { len = i; break; }
  if (len < 1) return undefined;
  const size = sf ? 64 : 32;
  const esize = 1 << len;
  if (esize > size) return undefined;
  const levels = esize - 1;
  if ((imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const emask = (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const rot = ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & emask;
  let v = 0n;
  for (let i = 0; i < size; i += esize) v |= rot << BigInt(i);
  return v;
}

test('u64: logical immediates agree with DecodeBitMasks for every encoding', () => {
  for (let sf = 0; sf < 2; sf++) {
    for (let k = 0; k < 1 << 13; k++) {
      const n = k >> 12;
      const immr = (k >> 6) & 63;
      const imms = k & 63;
      const ref = decodeBitMasksRef(sf, n, imms, immr);
      assert.equal(logicalImmValid(sf, n, imms), ref !== undefined, `valid sf=${sf} N=${n} imms=${imms}`);
      if (ref === undefined) continue;
      const l = logicalImm(n, imms, immr);
      const v = sf ? pair(l) : BigInt(l >>> 0);
      assert.equal(v, ref, `value sf=${sf} N=${n} immr=${immr} imms=${imms}`);
    }
  }
});
