// Differential test of the data-processing executors against QEMU user mode (qemu-aarch64), which stands in
// for hardware. For every 'dpimm'/'dpreg' row (CRC32/CRC32C and the FEAT_FlagM RMIF/SETF among them) and
// the flag-manipulation rows of the system class (CFINV, AXFLAG, XAFLAG), random encodings (fixed seed, register fields limited to
// x0..x7 and 31) are paired with random register values biased toward carry,
// overflow and sign boundaries. One static program per run (built with aarch64-linux-gnu-gcc -nostdlib
// -static) runs every case: load x0..x7, SP and NZCV from a table, execute the instruction, store x0..x7,
// NZCV and SP, and finally write the results to stdout with the write syscall. The same ELF then runs under
// our Linux process mode (LinuxProcess, as `a64 run` runs it: same addresses, so ADR/ADRP see the same PC),
// and every register and flag each case stored must agree. The build, both runs and the mismatch report
// are test/helpers/qemuOracle.ts's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { cpuModel } from '../../src/emu/cpu/models';
import { biasedWord, rng } from '../helpers/dpWords';
import {
  LOAD_X0_X9, Mismatches, START, START_INSNS, STORE_X0_X7, buildAndRunQemu, caseAt, casesPerRow, diffRegisters, inst, limitRegs,
  quads, qword, requireQemuTools, runOurs, symbol, writeAndExit,
} from '../helpers/qemuOracle';

const MAX_FEATURES = new Set(cpuModel('max').features);
/** Rows of the class: data processing, and the flag rows of the system class (FLAG_ROWS). */
const inClass = (r: (typeof ROWS)[number]): boolean =>
  (r.cls === 'dpimm' || r.cls === 'dpreg' || FLAG_ROWS.has(r.id)) &&
  // rows of features no CPU model implements (FEAT_MTE/MTE2, PAuth...) decode but execute as UNDEF on
  // every model, while QEMU's max CPU implements some of them: nothing to compare; FEAT_CSSC, which QEMU
  // 7.2 lacks, is compared with its definitions instead (qemu-cssc.test.ts)
  (!r.feature || MAX_FEATURES.has(r.feature)) && r.feature !== 'FEAT_CSSC';
/** Instructions per case block (the case's own instruction is the 8th). */
const BLOCK = 15;
/** Bytes stored per case: x0..x7, NZCV, SP. */
const OUT = 80;
const NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'nzcv', 'sp'];
/** System-class rows that compute on registers and flags only: compared like data processing. */
const FLAG_ROWS = new Set(['CFINV', 'AXFLAG', 'XAFLAG']);

interface Case {
  row: string;
  word: number;
  /** x0..x7, SP, NZCV (in bits 31:28). */
  inputs: bigint[];
}

const EDGES = [
  0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen, 0xffffffff00000000n,
  0x00000000ffffffffn, 0x8000000080000000n, 0x7fffffff7fffffffn, 0x123456789abcdef0n,
];

function randomValue(next: () => number): bigint {
  const k = next() % 8;
  const rnd = (BigInt(next()) << 32n) | BigInt(next());
  if (k < 3) return EDGES[next() % EDGES.length];
  if (k === 3) return BigInt(next() % 64); // small: shift amounts, divisors
  if (k === 4) return BigInt.asUintN(64, -BigInt(next() % 64)); // small negative
  if (k === 5) return BigInt(next()); // 32-bit
  return rnd;
}

function makeCases(): Case[] {
  const next = rng(0x9e3779b9);
  const cases: Case[] = [];
  const rows = ROWS.filter(inClass);
  const PER_ROW = casesPerRow('A64_DP_CASES', 400, rows.length);
  for (const row of rows) {
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      const word = limitRegs(row, biasedWord(row, next), ['Rd', 'Rn', 'Rm', 'Ra']);
      const d = decode(word);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 9; i++) inputs.push(randomValue(next));
      // equal inputs are interesting for subtraction and comparison
      if (next() % 5 === 0) inputs[2] = inputs[1];
      inputs.push(BigInt((next() & 0xf0000000) >>> 0));
      cases.push({ row: row.id, word, inputs });
      made++;
    }
  }
  return cases;
}

/** The program: each case's block loads x0..x7, SP and NZCV, runs the word, and stores them (BLOCK instructions). */
function program(cases: Case[]): string {
  const lines = [...START];
  for (const c of cases) {
    lines.push(
      ...LOAD_X0_X9, '  mov sp, x8', '  msr nzcv, x9',
      inst(c.word),
      '  mrs x8, nzcv', '  mov x9, sp', ...STORE_X0_X7, '  stp x8, x9, [x21], #16',
    );
  }
  lines.push(...writeAndExit('outputs', cases.length * OUT), '.ltorg', '.data', '.balign 16', 'inputs:');
  for (const c of cases) lines.push(quads(c.inputs));
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * OUT}`);
  return lines.join('\n') + '\n';
}

test('data-processing executors: our process mode agrees with qemu-aarch64', () => {
  requireQemuTools();
  const cases = makeCases();
  const { out: ref, elf, image } = buildAndRunQemu('dp', program(cases), cases.length * OUT);
  const first = symbol(image, '_start') + 4 * START_INSNS;
  const ours = runOurs(elf, cases.length * OUT, (pc) => caseAt(cases, first, 4 * BLOCK, pc));
  const bad = new Mismatches();
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const at = (b: Buffer) => NAMES.map((_, k) => qword(b, i * OUT + 8 * k));
    bad.add(c.row, c.word, c.inputs, diffRegisters(NAMES, at(ours), at(ref)));
  }
  assert.equal(bad.report('qemu-dp', cases, 5), 0);
});
