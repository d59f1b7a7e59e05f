// Differential test of the Advanced SIMD integer, permute, immediate and crypto executors against QEMU
// user mode (qemu-aarch64, whose default CPU is `max`): for every 'simd' and 'crypto' row whose feature
// the `max` model has, random encodings (fixed seed) with lane values biased toward the edges run in a
// static harness program under QEMU and on our CPU; V0..V7, X0..X7 and FPSR (QC) must agree bit for bit.
// The machinery is test/helpers/simdOracle.ts. Cases per row: A64_SIMD_CASES (default 150) times
// A64_QEMU_CASES_SCALE; a scale of 4 gives over 100,000 cases per class (three same, misc, permute...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { cpuModel } from '../../src/emu/cpu/models';
import { casesPerRow, requireQemuTools } from '../helpers/qemuOracle';
import { rng } from '../helpers/rng';
import { compareSimdCases, makeSimdCases, type SimdCase } from '../helpers/simdOracle';

const PER_ROW = casesPerRow('A64_SIMD_CASES', 150);
const MAX_FEATURES = new Set(cpuModel('max').features);

test('Advanced SIMD and crypto executors agree with qemu-aarch64', () => {
  requireQemuTools();
  const next = rng(0x5133d);
  const cases: SimdCase[] = [];
  const skipped: string[] = [];
  for (const row of ROWS) {
    if (row.cls !== 'simd' && row.cls !== 'crypto') continue;
    if (row.feature && !MAX_FEATURES.has(row.feature)) {
      skipped.push(row.id);
      continue;
    }
    cases.push(...makeSimdCases(row, PER_ROW, next));
  }
  if (skipped.length) console.log(`rows of features the max model lacks (not compared): ${skipped.join(' ')}`);
  const bad = compareSimdCases('simd', cases);
  assert.equal(bad.report('qemu-simd', cases, 4), 0);
});
