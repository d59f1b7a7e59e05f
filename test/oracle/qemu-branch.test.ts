// Differential test of the branch executors against QEMU user mode (qemu-aarch64): B, BL, B.cond (every
// condition under every NZCV), CBZ/CBNZ, TBZ/TBNZ (32- and 64-bit), BR, BLR and RET. Every target lands in
// a known sled, and the harness records which one: each case's block is
//
//       load x0..x7, NZCV and X30 from the input table
//       adr Xn, <target>            (register branches only; a nop otherwise)
//       movz x9, #0
//       b 1f
//   B:  add x9, x9, #0x100  x S     the backward sled: entering at its j-th slot from the end leaves 256*j
//       b 2f                        offset -1 lands here: x9 = 0
//   1:  <the branch>                never its own target (offset 0 is excluded: it would loop)
//   F:  add x9, x9, #1  x S         the forward sled: offset k (1..S) leaves S - k + 1; not taken leaves S
//   2:  store x0..x7, NZCV, x9, X30
//
// so x9 names the instruction the branch went to, X30 shows the link (an absolute address: QEMU and our
// process mode run the same ELF at the same addresses), and every register and flag is compared. Immediate
// offsets are drawn from [-(S+1), S] minus 0; register targets are the address of a random sled slot, set
// by ADR into the branch's register (x0..x7 or x30; XZR would branch to 0). Register values favour the edges
// CBZ/TBZ hinge on (0, 1, -1, INT_MIN, INT_MAX, a 32-bit zero with high bits set, single bits). One
// program per CHUNK cases runs under QEMU and under our Linux process mode (test/helpers/qemuOracle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { cpuModel } from '../../src/emu/cpu/models';
import { biasedWord, rng } from '../helpers/encodingOracle';
import {
  LOAD_X0_X9, Mismatches, START, START_INSNS, STORE_X0_X7, buildAndRunQemu, caseAt, casesPerRow, diffRegisters, inst, limitRegs,
  putField, quads, qword, requireQemuTools, runOurs, symbol, writeAndExit,
} from '../helpers/qemuOracle';

const MAX_FEATURES = new Set(cpuModel('max').features);
const BRANCH_ROWS = ROWS.filter((r) => r.cls === 'branch' && (!r.feature || MAX_FEATURES.has(r.feature)));
const PER_ROW = casesPerRow('A64_BRANCH_CASES', 600, BRANCH_ROWS.length);
/** Slots in each sled. */
const S = 8;
/** Instructions per case block (see the file comment). */
const BLOCK = LOAD_X0_X9.length + 4 + 1 + S + 1 + 1 + S + 1 + STORE_X0_X7.length + 2;
/** Bytes stored per case: x0..x7, NZCV, x9 (the sled mark), X30, a zero pad. */
const OUT = 96;
const NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'nzcv', 'sled mark', 'x30'];
/** Cases per program (assembly size). */
const CHUNK = 20_000;
/** The offset field of each immediate branch row and its width. */
const OFFSET_FIELD: Record<string, string> = { B: 'imm26', BL: 'imm26', B_cond: 'imm19', CBZ: 'imm19', CBNZ: 'imm19', TBZ: 'imm14', TBNZ: 'imm14' };
/** Register branch rows: the register's input is replaced by ADR of the target. */
const REGISTER_ROWS = new Set(['BR', 'BLR', 'RET']);
const TARGET_REGS = [0, 1, 2, 3, 4, 5, 6, 7, 30];

interface Case {
  row: string;
  word: number;
  /** x0..x7, NZCV (bits 31:28), X30. */
  inputs: bigint[];
  /** Register branches: the target's offset in instructions from the branch. */
  target?: number;
}

const EDGES = [
  0n, 1n, 0xffffffffffffffffn, 0x80000000n, 0x7fffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffffn,
  0xffffffff00000000n, 0x100000000n, 0xfffffffffffffffen,
];

function value(next: () => number): bigint {
  const k = next() % 6;
  if (k < 2) return EDGES[next() % EDGES.length];
  if (k === 2) return 1n << BigInt(next() % 64); // one bit: TBZ/TBNZ
  if (k === 3) return 0xffffffffffffffffn ^ (1n << BigInt(next() % 64)); // all but one bit
  return (BigInt(next()) << 32n) | BigInt(next());
}

/** An offset in instructions in [-(S+1), S], never 0. */
function offset(next: () => number): number {
  const k = (next() % (2 * S + 1)) - (S + 1);
  return k >= 0 ? k + 1 : k;
}

function makeCases(): Case[] {
  const next = rng(0xb7a9c4);
  const cases: Case[] = [];
  for (const row of BRANCH_ROWS) {
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      let w = limitRegs(row, biasedWord(row, next), ['Rt']);
      const field = OFFSET_FIELD[row.id];
      const off = offset(next);
      if (field) w = putField(row, w, field, off < 0 ? 2 ** 26 + off : off); // putField masks to the width
      // every condition under every NZCV: the first 256 B.cond cases walk them all
      if (row.id === 'B_cond' && made < 256) w = putField(row, w, 'cond', made % 16);
      let target: number | undefined;
      if (REGISTER_ROWS.has(row.id)) {
        w = putField(row, w, 'Rn', TARGET_REGS[next() % TARGET_REGS.length]);
        target = offset(next);
      }
      const d = decode(w);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 8; i++) inputs.push(value(next));
      const nzcv = row.id === 'B_cond' && made < 256 ? made >> 4 : next() & 15;
      inputs.push(BigInt(nzcv) << 28n);
      inputs.push(value(next));
      cases.push({ row: row.id, word: w, inputs, target });
      made++;
    }
  }
  return cases;
}

function program(cases: Case[]): string {
  const lines = [...START];
  cases.forEach((c, i) => {
    const rn = REGISTER_ROWS.has(c.row) ? (c.word >>> 5) & 31 : -1;
    lines.push(
      ...LOAD_X0_X9, '  msr nzcv, x8', '  mov x30, x9',
      rn >= 0 ? `  adr x${rn}, case${i} + ${4 * c.target!}` : '  nop',
      '  movz x9, #0', '  b 1f',
      ...Array<string>(S).fill('  add x9, x9, #0x100'), '  b 2f',
      '1:', `case${i}:`, inst(c.word),
      ...Array<string>(S).fill('  add x9, x9, #1'),
      '2: mrs x8, nzcv', ...STORE_X0_X7, '  stp x8, x9, [x21], #16', '  stp x30, xzr, [x21], #16',
    );
  });
  lines.push(...writeAndExit('outputs', cases.length * OUT), '.ltorg', '.data', '.balign 16', 'inputs:');
  for (const c of cases) lines.push(quads(c.inputs));
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * OUT}`);
  return lines.join('\n') + '\n';
}

test('branch executors: our process mode agrees with qemu-aarch64 (targets, links, registers, flags)', () => {
  requireQemuTools();
  const cases = makeCases();
  const bad = new Mismatches();
  for (let k = 0; k < cases.length; k += CHUNK) {
    const chunk = cases.slice(k, k + CHUNK);
    const { out: ref, elf, image } = buildAndRunQemu('branch', program(chunk), chunk.length * OUT);
    const first = symbol(image, '_start') + 4 * START_INSNS;
    const ours = runOurs(elf, chunk.length * OUT, (pc) => caseAt(chunk, first, 4 * BLOCK, pc));
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      const at = (b: Buffer) => NAMES.map((_, j) => qword(b, i * OUT + 8 * j));
      bad.add(c.row, c.word, c.inputs, diffRegisters(NAMES, at(ours), at(ref)));
    }
  }
  assert.equal(bad.report('qemu-branch', cases, 5), 0);
});
