// Differential test of the Advanced SIMD integer, permute, immediate and crypto executors against QEMU
// user mode (qemu-aarch64, whose default CPU is `max`): for every 'simd' and 'crypto' row whose feature
// the `max` model has, random encodings (fixed seed) with lane values biased toward the edges run in a
// static harness program under QEMU and on our CPU; V0..V7, X0..X7 and FPSR (QC) must agree bit for bit.
// The machinery is test/helpers/simdOracle.ts. Cases per row: A64_SIMD_CASES (default 150) times
// A64_QEMU_CASES_SCALE; A64_SIMD_CLASS_CASES raises every class (the row files: three same, permute and
// immediates, misc and across lanes, shift by immediate, long and by element, crypto) to at least that
// many cases, e.g. A64_SIMD_CLASS_CASES=100000 for the full run; A64_SIMD_ROWS (a regular expression over
// row ids) limits a run to some rows. The second test runs a tenth as many
// cases as whole ELF programs under our process mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { CRYPTO_ROWS } from '../../src/emu/isa/rows/crypto';
import { SIMD_LONG_ROWS } from '../../src/emu/isa/rows/simdLong';
import { SIMD_MISC_ROWS } from '../../src/emu/isa/rows/simdMisc';
import { SIMD_PERMUTE_ROWS } from '../../src/emu/isa/rows/simdPermute';
import { SIMD_SHIFT_ROWS } from '../../src/emu/isa/rows/simdShift';
import { SIMD_THREE_SAME_ROWS } from '../../src/emu/isa/rows/simdThreeSame';
import { cpuModel } from '../../src/emu/cpu/models';
import { casesPerRow, requireQemuTools } from '../helpers/qemuOracle';
import { rng } from '../helpers/rng';
import { compareSimdCases, compareSimdCasesInProcess, makeSimdCases, type SimdCase } from '../helpers/simdOracle';

const PER_ROW = casesPerRow('A64_SIMD_CASES', 150);
const MAX_FEATURES = new Set(cpuModel('max').features);
const CLASS_MIN = Number(process.env.A64_SIMD_CLASS_CASES ?? 0);
const ONLY = new RegExp(process.env.A64_SIMD_ROWS ?? '');

const CLASSES: Record<string, readonly { id: string }[]> = {
  'three same': SIMD_THREE_SAME_ROWS, 'permute/immediate': SIMD_PERMUTE_ROWS, 'misc/across': SIMD_MISC_ROWS,
  'shift imm': SIMD_SHIFT_ROWS, 'long/by element': SIMD_LONG_ROWS, crypto: CRYPTO_ROWS,
};
const CLASS_OF = new Map(Object.entries(CLASSES).flatMap(([c, rows]) => rows.map((r) => [r.id, c] as const)));

/** Cases per row of a row's class: PER_ROW, or more to give the class CLASS_MIN cases. */
function perRowOf(id: string): number {
  const cls = CLASS_OF.get(id);
  if (!cls || !CLASS_MIN) return PER_ROW;
  const n = CLASSES[cls].filter((r) => {
    const row = ROWS.find((x) => x.id === r.id)!;
    return !row.feature || MAX_FEATURES.has(row.feature);
  }).length;
  return Math.max(PER_ROW, Math.ceil(CLASS_MIN / n));
}

test('Advanced SIMD and crypto executors agree with qemu-aarch64', () => {
  requireQemuTools();
  const next = rng(0x5133d);
  const cases: SimdCase[] = [];
  const skipped: string[] = [];
  for (const row of ROWS) {
    if ((row.cls !== 'simd' && row.cls !== 'crypto') || !ONLY.test(row.id)) continue;
    if (row.feature && !MAX_FEATURES.has(row.feature)) {
      skipped.push(row.id);
      continue;
    }
    cases.push(...makeSimdCases(row, perRowOf(row.id), next));
  }
  const perClass = new Map<string, number>();
  for (const c of cases) perClass.set(CLASS_OF.get(c.row) ?? '?', (perClass.get(CLASS_OF.get(c.row) ?? '?') ?? 0) + 1);
  console.log(`cases per class: ${[...perClass].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (skipped.length) console.log(`rows of features the max model lacks (not compared): ${skipped.join(' ')}`);
  const bad = compareSimdCases('simd', cases);
  assert.equal(bad.report('qemu-simd', cases, 4), 0);
});

test('the same kind of harness, as one ELF under qemu-aarch64 and under our process mode, gives the same output', () => {
  requireQemuTools();
  const next = rng(0xe1f5);
  const cases: SimdCase[] = [];
  for (const row of ROWS) {
    if ((row.cls !== 'simd' && row.cls !== 'crypto') || !ONLY.test(row.id)) continue;
    if (row.feature && !MAX_FEATURES.has(row.feature)) continue;
    cases.push(...makeSimdCases(row, Math.max(1, Math.ceil(PER_ROW / 10)), next));
  }
  const bad = compareSimdCasesInProcess('simd-process', cases);
  assert.equal(bad.report('qemu-simd process mode', cases, 4), 0);
});
