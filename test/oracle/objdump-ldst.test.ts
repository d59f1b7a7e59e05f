// Oracle test of the load/store disassembly against GNU objdump (binutils 2.40): random words matching each
// 'ldst' row (fixed seed), exhaustive sweeps of the fields where objdump's choices live (prefetch
// operations, register-offset extends, LDPSW's register overlaps), and random words over the whole
// load/store encoding space (op0 = x1x0). Our text must equal objdump's, whitespace aside; a word objdump
// calls undefined must be undecodable for us too. Words objdump decodes that we leave undecoded are fine
// only outside our scope — FP/SIMD (V = 1) — and are counted per category and mnemonic; inside it (a mnemonic of ours, V = 0, including the exclusives, ordered, LSE
// atomic and RCpc forms of rows/atomics.ts and the MTE tag loads and stores of rows/mte.ts) they are
// failures. The MTE rows (LDG, STG, STZG, ST2G, STZ2G, STGP, LDGM, STGM, STZGM) get random words per row
// like every other 'ldst' row, plus sweeps of their imm9/imm7 offsets and register fields; so do PAuth's
// LDRAA/LDRAB (rows/pauth.ts), the FEAT_MOPS memory copy/set rows (rows/mops.ts: every option, and every
// register coincidence, where the CONSTRAINED UNPREDICTABLE choices live) and FEAT_LS64's
// LD64B/ST64B/ST64BV/ST64BV0 (rows/later.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { requireObjdump } from '../helpers/objdump';
import { biasedWord, compareWithObjdump, report, rng, sweepRow } from '../helpers/encodingOracle';

const PER_ROW = Number(process.env.A64_LDST_WORDS ?? 3000);
const LDST = ROWS.filter((r) => r.cls === 'ldst');

/** Our load/store mnemonics, from the rows' templates (the prefetch operand is not a mnemonic). */
const OUR_MNEMONICS = new Set(LDST.map((r) => r.asm.split(' ')[0]));

/** Outside our scope: any FP/SIMD form (bit 26, V), or a mnemonic none of our rows has. */
function outOfScope(w: number, mnemonic: string): string | undefined {
  if ((w >>> 26) & 1) return 'FP/SIMD';
  if (OUR_MNEMONICS.has(mnemonic)) return undefined;
  // exclusives, ordered, LSE atomics and RCpc (rows/atomics.ts) are in scope: their templates build the
  // mnemonic from fields, so they are recognised here by name
  if (/^(ld|st)[a-z]*x[rp]/.test(mnemonic) || /^(ldar|stlr|ldlar|stllr)/.test(mnemonic)) return undefined;
  if (/^(cas|swp|ld(add|clr|eor|set|smax|smin|umax|umin)|st(add|clr|eor|set|smax|smin|umax|umin))/.test(mnemonic)) return undefined;
  // MTE tag loads/stores (rows/mte.ts) are in scope
  if (/^(stg|stzg|st2g|stz2g|stgp|ldg|stgm|stzgm|ldgm)$/.test(mnemonic)) return undefined;
  if (/^(ldapr|ldapur|stlur)/.test(mnemonic)) return undefined;
  return 'other';
}

test('load/store rows: random words per row match objdump', () => {
  requireObjdump();
  const next = rng(0x1d57);
  const words: number[] = [];
  for (const r of LDST) for (let k = 0; k < PER_ROW; k++) words.push(biasedWord(r, next));
  const res = compareWithObjdump(words, outOfScope);
  report(`objdump-ldst random (${LDST.length} rows x ${PER_ROW})`, res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
});

test('load/store rows: exhaustive sweeps of prfop, extend/shift and LDPSW registers match objdump', () => {
  requireObjdump();
  const words: number[] = [];
  for (const id of ['PRFM_imm_uoff', 'PRFUM']) words.push(...sweepRow(id, ['Rt'], [{ Rn: 3 }]));
  words.push(...sweepRow('PRFM_lit', ['Rt'], [{ imm19: 0x7ffff }, { imm19: 1 }]));
  words.push(...sweepRow('PRFM_reg', ['Rt', 'option', 'S'], [{ Rn: 31, Rm: 4 }]));
  for (const r of LDST.filter((x) => x.id.endsWith('_reg'))) {
    words.push(...sweepRow(r.id, ['option', 'S', 'Rm'], [{ Rn: 31, Rt: 0 }, { Rn: 5, Rt: 31 }]));
  }
  for (const id of ['LDPSW_off', 'LDPSW_pre', 'LDPSW_post']) words.push(...sweepRow(id, ['Rt', 'Rt2', 'Rn'], [{ imm7: 0x7f }]));
  for (const id of ['LDP_pre', 'LDP_post', 'LDNP', 'STP_pre']) words.push(...sweepRow(id, ['Rt', 'Rt2', 'Rn'], [{ imm7: 1, sf: 1 }]));
  // MTE: every imm9 of the tag loads/stores, register overlaps of the writeback forms and of STGP
  for (const r of LDST.filter((x) => x.feature === 'FEAT_MTE' && x.p.fields.some((f) => f.name === 'imm9'))) {
    words.push(...sweepRow(r.id, ['imm9'], [{ Rn: 31, Rt: 31 }, { Rn: 2, Rt: 7 }]));
    words.push(...sweepRow(r.id, ['Rt', 'Rn'], [{ imm9: 1 }]));
  }
  for (const id of ['STGP_off', 'STGP_pre', 'STGP_post']) {
    words.push(...sweepRow(id, ['imm7'], [{ Rn: 31, Rt: 0, Rt2: 31 }]));
    words.push(...sweepRow(id, ['Rt', 'Rt2', 'Rn'], [{ imm7: 0x7f }]));
  }
  for (const id of ['LDGM', 'STGM', 'STZGM']) words.push(...sweepRow(id, ['Rt', 'Rn']));
  // PAuth loads: every offset with and without writeback, register overlaps
  words.push(...sweepRow('LDRA', ['M', 'S', 'imm9', 'W'], [{ Rn: 31, Rt: 0 }]));
  words.push(...sweepRow('LDRA', ['Rt', 'Rn'], [{ W: 1, imm9: 3 }, { W: 0, S: 1 }]));
  // MOPS: every option of every row, and every Rd/Rs/Rn in {0, 1, 2, 30, 31}
  for (const r of LDST.filter((x) => x.feature === 'FEAT_MOPS')) {
    const opt = r.p.fields.some((f) => f.name === 'op2') ? 'op2' : 'opt';
    words.push(...sweepRow(r.id, [opt], [{ Rd: 2, Rs: 5, Rn: 3 }, { Rd: 30, Rs: 31, Rn: 0 }]));
    for (const d of [0, 1, 2, 30, 31]) for (const s of [0, 1, 2, 30, 31]) for (const n of [0, 1, 2, 30, 31]) {
      words.push(...sweepRow(r.id, [], [{ Rd: d, Rs: s, Rn: n }]));
    }
  }
  // LS64: register fields
  for (const id of ['LD64B', 'ST64B']) words.push(...sweepRow(id, ['Rt', 'Rn']));
  for (const id of ['ST64BV', 'ST64BV0']) words.push(...sweepRow(id, ['Rs', 'Rt'], [{ Rn: 31 }, { Rn: 4 }]));
  const res = compareWithObjdump(words, outOfScope);
  report('objdump-ldst sweeps', res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
});

test('the whole load/store encoding space: nothing in scope left undecoded, nothing extra decoded', () => {
  requireObjdump();
  const next = rng(0x0fa11);
  const words: number[] = [];
  // op0 = x1x0: bit 27 set, bit 25 clear
  for (let k = 0; k < 120_000; k++) words.push(((next() | (1 << 27)) & ~(1 << 25)) >>> 0);
  const res = compareWithObjdump(words, outOfScope);
  report('objdump-ldst space', res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
});
