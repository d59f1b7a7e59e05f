// Oracle test of the Advanced SIMD and crypto disassembly against GNU objdump (binutils 2.40): random words
// matching each 'simd' and 'crypto' row (fixed seed; fields biased toward edge values, registers often
// equal, which the MOV/MVN/SXTL/UXTL aliases hinge on), and exhaustive sweeps of the fields where objdump's
// choices live (the modified-immediate cmode/op/Q space, the copy imm5/imm4 space, the shift-by-immediate
// immh/immb space). Our text must equal objdump's, whitespace aside; a word objdump calls undefined must
// be undecodable for us too. Words of our rows' patterns that we reserve while objdump decodes them as
// something else are failures, except floating-point instructions (the FP work's), counted per mnemonic.
// A third test draws random words from the whole op0 = x111 space (the scalar/vector FP&SIMD and crypto
// groups): any word objdump decodes as an integer SIMD or crypto instruction must decode the same for us.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { requireObjdump } from '../helpers/objdump';
import { biasedWord, compareWithObjdump, report, rng, sweepRow } from '../helpers/encodingOracle';

const PER_ROW = Number(process.env.A64_SIMD_WORDS ?? 1500);
const SIMD = ROWS.filter((r) => r.cls === 'simd' || r.cls === 'crypto');

/** Floating-point forms (FADD.4S, FCVTZS fixed-point, FMOV immediate...) are the FP work's. */
function outOfScope(_w: number, mnemonic: string): string | undefined {
  if (/^(f|scvtf|ucvtf|bf)/.test(mnemonic)) return 'FP';
  return undefined;
}

test('simd/crypto rows: random words per row match objdump', () => {
  requireObjdump();
  const next = rng(0x51d0);
  const words: number[] = [];
  for (const r of SIMD) for (let k = 0; k < PER_ROW; k++) words.push(biasedWord(r, next));
  const res = compareWithObjdump(words, outOfScope);
  report(`objdump-simd random (${SIMD.length} rows x ${PER_ROW})`, res);
  assert.deepEqual(res.mismatches.slice(0, 30), []);
  assert.deepEqual(res.missing.slice(0, 30), []);
});

test('simd rows: exhaustive sweeps of immediate, copy and shift fields match objdump', () => {
  requireObjdump();
  const words: number[] = [];
  const have = (id: string): boolean => SIMD.some((r) => r.id === id);
  for (const r of SIMD) {
    const names = r.p.fields.map((f) => f.name);
    // every non-register field of rows with at most 12 such bits, with two register choices
    const sweep = names.filter((n) => !/^R[dnmat]$/.test(n));
    const width = r.p.fields.filter((f) => sweep.includes(f.name)).reduce((a, f) => a + f.width, 0);
    if (!sweep.length || width > 12) continue;
    const regs = names.filter((n) => /^R[dnmat]$/.test(n));
    const fixed = [Object.fromEntries(regs.map((n) => [n, 31])), Object.fromEntries(regs.map((n, i) => [n, 3 + i]))];
    if (have(r.id)) words.push(...sweepRow(r.id, sweep, fixed));
  }
  const res = compareWithObjdump(words, outOfScope);
  report('objdump-simd sweeps', res);
  assert.deepEqual(res.mismatches.slice(0, 30), []);
  assert.deepEqual(res.missing.slice(0, 30), []);
});

/**
 * Mnemonics of other work or extensions the models do not advertise: FP (f*, scvtf/ucvtf, the FP16 and
 * FHM forms), BF16 (bf*), complex (fcmla/fcadd), I8MM (usdot/sudot/smmla/ummla/usmmla), SM3/SM4.
 */
const OTHER = /^(f|scvtf|ucvtf|bf|sm3|sm4|usdot|sudot|smmla|ummla|usmmla)/;

test('simd space: random words with op0 = x111 that objdump decodes as integer SIMD or crypto, we decode the same', () => {
  requireObjdump();
  const next = rng(0x5ace);
  const words: number[] = [];
  const n = Number(process.env.A64_SIMD_SPACE ?? 100000);
  for (let k = 0; k < n; k++) words.push(((next() & ~(7 << 25)) | (7 << 25)) >>> 0);
  const res = compareWithObjdump(words, (_w, mnemonic) => (OTHER.test(mnemonic) ? 'other' : undefined));
  report(`objdump-simd space (${n} words, op0 = x111)`, res);
  assert.deepEqual(res.mismatches.slice(0, 30), []);
  assert.deepEqual(res.missing.slice(0, 30), []);
});
