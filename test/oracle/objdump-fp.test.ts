// Oracle test of the floating-point and SIMD&FP load/store disassembly against GNU objdump (binutils 2.40):
// random words per 'fp' and 'fpldst' row and per Advanced SIMD floating-point row (fixed seed), sweeps of the fields objdump's spelling
// depends on (FMOV's imm8, the fixed-point scale, FCCMP's nzcv and cond), and random words over the scalar
// FP encoding space (bits 28:24 = 11110/11111, bit 30 = 0) where every word objdump decodes must be ours
// too, except the Advanced SIMD and other classes named by outOfScope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { FP_VECTOR_ROWS } from '../../src/emu/isa/rows/fpVector';
import { FP_VECTOR_MISC_ROWS } from '../../src/emu/isa/rows/fpVectorMisc';
import { FP_VECTOR_ELEM_ROWS } from '../../src/emu/isa/rows/fpVectorElem';
import { requireObjdump } from '../helpers/objdump';
import { biasedWord, compareWithObjdump, report, rng, sweepRow } from '../helpers/encodingOracle';

const PER_ROW = Number(process.env.A64_FP_WORDS ?? 1500);
const FP_VECTOR_IDS: ReadonlySet<string> = new Set([...FP_VECTOR_ROWS, ...FP_VECTOR_MISC_ROWS, ...FP_VECTOR_ELEM_ROWS].map((r) => r.id));
const FP = ROWS.filter((r) => r.cls === 'fp' || r.cls === 'fpldst' || FP_VECTOR_IDS.has(r.id));

/** Words we do not decode: BFloat16 (BFCVT), and anything whose mnemonic no FP row of ours has. */
function outOfScope(w: number, mnemonic: string): string | undefined {
  if (mnemonic === 'bfcvt') return 'BF16';
  // the scalar FP space with bit 30 or bit 29 set, and the Advanced SIMD encodings, are not ours
  if ((w >>> 30) & 1 || (w >>> 29) & 1) return 'SIMD';
  return undefined;
}

test('scalar FP and SIMD&FP load/store rows: random words per row match objdump', () => {
  requireObjdump();
  const next = rng(0xf10a7);
  const words: number[] = [];
  for (const r of FP) for (let k = 0; k < PER_ROW; k++) words.push(biasedWord(r, next));
  const res = compareWithObjdump(words, outOfScope);
  report(`objdump-fp random (${FP.length} rows x ${PER_ROW})`, res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
});

test('scalar FP: sweeps of FMOV imm8, fixed-point scales and FCCMP nzcv/cond match objdump', () => {
  requireObjdump();
  const words: number[] = [];
  for (const id of ['FMOV_imm', 'FMOV_imm_h']) words.push(...sweepRow(id, ['imm8'], [{ Rd: 3 }]));
  for (const id of ['FCVTZ_fix', 'CVTF_fix', 'FCVTZ_fix_h', 'CVTF_fix_h']) words.push(...sweepRow(id, ['scale', 'sf', 'U'], [{ Rd: 1, Rn: 31 }]));
  words.push(...sweepRow('FCCMP', ['nzcv', 'cond', 'E'], [{ Rn: 2, Rm: 3 }]));
  words.push(...sweepRow('FCVT_prec', ['ftype', 'opc'], [{ Rn: 4, Rd: 5 }]));
  const res = compareWithObjdump(words, outOfScope);
  report('objdump-fp sweeps', res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
});

test('the scalar FP encoding space: nothing in scope left undecoded, nothing extra decoded', () => {
  requireObjdump();
  const next = rng(0xf5ace);
  const words: number[] = [];
  // bits 28:25 = 1111 (data processing, SIMD&FP), bit 24 random, bits 31, 29 and 30 clear or random
  for (let k = 0; k < 60_000; k++) {
    let w = (next() | (0xf << 25)) >>> 0;
    if (k % 2 === 0) w = (w & ~(0b111 << 29)) >>> 0;
    else w = (w & ~(0b11 << 29)) >>> 0;
    words.push(w);
  }
  const res = compareWithObjdump(words, outOfScope);
  report('objdump-fp space', res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
});
