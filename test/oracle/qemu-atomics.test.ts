// Differential test of the exclusive, ordered, RCpc and LSE atomic executors (rows/atomics.ts) against QEMU
// user mode (qemu-aarch64), on one CPU: built like qemu-ldst.test.ts (compareMemoryCases in
// test/helpers/qemuOracle.ts: a static program runs every case under QEMU and under our process mode;
// buffers and x0..x7, SP compared), with these differences. Every base is 16-byte aligned (these accesses fault
// when unaligned) and LDAPUR/STLUR offsets are multiples of 8. A store-exclusive case is preceded, at random (fixed seed), by a load-exclusive of the same size from the
// same base into x9/x10 (so it succeeds), by CLREX, or by nothing (both fail), so the status results and
// the monitor are compared as well as memory and registers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { ATOMIC_ROW_IDS } from '../../src/emu/isa/rows/atomics';
import { biasedWord, rng } from '../helpers/encodingOracle';
import {
  casesPerRow, compareMemoryCases, getField, limitRegs, putField, randomMemValue, requireQemuTools, small, type MemCase,
} from '../helpers/qemuOracle';

const PER_ROW = casesPerRow('A64_ATOMIC_CASES', 300, ATOMIC_ROW_IDS.size);
/** Only this row (for a quick look at one). */
const ONLY = process.env.A64_ATOMIC_ROW;
/** Features these rows need, switched on in our CPU. */
const FEATURES = ['FEAT_LSE', 'FEAT_LRCPC', 'FEAT_LRCPC2', 'FEAT_LOR'];

function makeCases(): MemCase[] {
  const next = rng(0x47c5);
  const cases: MemCase[] = [];
  for (const row of ROWS) {
    if (!ATOMIC_ROW_IDS.has(row.id) || (ONLY && row.id !== ONLY)) continue;
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      let w = limitRegs(row, biasedWord(row, next), ['Rs', 'Rt', 'Rt2', 'Rn']);
      // keep every access inside the case's buffer (base in the middle, +-1 KiB) or, for literals, in
      // the code that follows the instruction
      const imm9 = getField(row, w, 'imm9');
      if (imm9 !== undefined) w = putField(row, w, 'imm9', imm9 & ~7); // keeps 8-byte alignment
      const rn = getField(row, w, 'Rn') ?? -1;
      const d = decode(w);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 8; i++) inputs.push(randomMemValue(next));
      inputs.push(BigInt.asUintN(64, BigInt(16 * small(next, 32))));
      if (rn >= 0 && rn < 8) inputs[rn] = BigInt.asUintN(64, BigInt(16 * small(next, 32)));
      const prefix: number[] = [];
      const pick = next() % 3;
      // the base's value right before the instruction is the same for the prefix (x9, x10 are not compared)
      if (row.id === 'STXR' && pick < 2) prefix.push(pick === 0 ? (0x085f7c09 | (d.f.size << 30) | (rn << 5)) >>> 0 : 0xd5033f5f);
      if (row.id === 'STXP' && pick < 2) prefix.push(pick === 0 ? (0x887f2809 | (d.f.sf << 30) | (rn << 5)) >>> 0 : 0xd5033f5f);
      cases.push({ row: row.id, word: w, rn, inputs, prefix });
      made++;
    }
  }
  return cases;
}

test('exclusive, ordered and atomic executors: our process mode agrees with qemu-aarch64', () => {
  requireQemuTools();
  const cases = makeCases();
  const bad = compareMemoryCases('atomics', cases, 0xa70c, FEATURES);
  assert.equal(bad.report('qemu-atomics', cases, 4), 0);
});
