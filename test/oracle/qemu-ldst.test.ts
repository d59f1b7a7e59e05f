// Differential test of the load/store executors against QEMU user mode (qemu-aarch64), which stands in for
// hardware. For every 'ldst' row, random encodings (fixed seed; register fields limited to x0..x7 and 31,
// register overlaps kept, so the CONSTRAINED UNPREDICTABLE cases are compared too) get random register
// values, with the base and index registers placed inside a 2 KiB buffer of random bytes that belongs to
// the case. One static program (aarch64-linux-gnu-gcc -nostdlib -static) runs every case: load x0..x7 and
// SP, rebase the base register onto the case's buffer, execute the instruction, store x0..x7 and SP. At the
// end it writes all buffers and register blocks to stdout. The same ELF then runs under our Linux process
// mode (LinuxProcess, as `a64 run` runs it: same addresses, so PC-relative literals and buffer addresses
// agree); every buffer byte and register must agree. The program, the runs and the
// comparison are compareMemoryCases in test/helpers/qemuOracle.ts; this file makes the cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { cpuModel } from '../../src/emu/cpu/models';
import { ATOMIC_ROW_IDS } from '../../src/emu/isa/rows/atomics';
import { biasedWord, rng } from '../helpers/encodingOracle';
import {
  casesPerRow, compareMemoryCases, getField, limitRegs, putField, randomMemValue, requireQemuTools, small, type MemCase,
} from '../helpers/qemuOracle';

const MAX_FEATURES = new Set(cpuModel('max').features);
/** The class: 'ldst' rows but the atomic ones (qemu-atomics.test.ts) and those of features no model has. */
const LDST_ROWS = ROWS.filter((r) => r.cls === 'ldst' && !ATOMIC_ROW_IDS.has(r.id) && (!r.feature || MAX_FEATURES.has(r.feature)));
const PER_ROW = casesPerRow('A64_LDST_CASES', 150, LDST_ROWS.length);

function makeCases(): MemCase[] {
  const next = rng(0x15d7);
  const cases: MemCase[] = [];
  for (const row of ROWS) {
    // exclusives, ordered and atomic forms need aligned bases and a monitor: qemu-atomics.test.ts
    if (row.cls !== 'ldst' || ATOMIC_ROW_IDS.has(row.id)) continue;
    // rows of features no CPU model implements (FEAT_MTE/MTE2: rows/mte.ts) decode but execute as UNDEF on
    // every model, while QEMU's max CPU implements them: nothing to compare
    if (row.feature && !MAX_FEATURES.has(row.feature)) continue;
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      let w = limitRegs(row, biasedWord(row, next), ['Rt', 'Rt2', 'Rn', 'Rm']);
      // keep every access inside the case's buffer (base in the middle, +-1 KiB) or, for literals, in
      // the code that follows the instruction
      const imm12 = getField(row, w, 'imm12');
      if (imm12 !== undefined) w = putField(row, w, 'imm12', imm12 % 120);
      const imm19 = getField(row, w, 'imm19');
      if (imm19 !== undefined) w = putField(row, w, 'imm19', 1 + (imm19 % 255));
      const rn = getField(row, w, 'Rn') ?? -1;
      const rm = getField(row, w, 'Rm');
      if (rm !== undefined && rm === rn) continue; // the index would be an address
      const d = decode(w);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 8; i++) inputs.push(randomMemValue(next));
      inputs.push(BigInt.asUintN(64, BigInt(small(next, 64))));
      if (rn >= 0 && rn < 8) inputs[rn] = BigInt.asUintN(64, BigInt(small(next, 64)));
      if (rm !== undefined && rm < 8) {
        const top = BigInt(next()) << 32n;
        const option = d.f.option;
        if (option === 2) inputs[rm] = top | BigInt(next() % 64); // UXTW: small, top half ignored
        else if (option === 6) inputs[rm] = top | BigInt.asUintN(32, BigInt(small(next, 64))); // SXTW
        else inputs[rm] = BigInt.asUintN(64, BigInt(small(next, 64))); // LSL / SXTX
      }
      cases.push({ row: row.id, word: w, rn, inputs });
      made++;
    }
  }
  return cases;
}

test('load/store executors: our process mode agrees with qemu-aarch64', () => {
  requireQemuTools();
  const cases = makeCases();
  const bad = compareMemoryCases('ldst', cases, 0xb0f5);
  assert.equal(bad.report('qemu-ldst', cases, 4), 0);
});
