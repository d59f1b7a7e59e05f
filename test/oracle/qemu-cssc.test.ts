// Differential test of the FEAT_CSSC executors (exec/cssc.ts: ABS, CNT, CTZ, SMAX/SMIN/UMAX/UMIN with a
// register or an immediate), which only our 'max' model has. Debian's qemu-aarch64 (7.2) predates
// FEAT_CSSC, so the oracle runs each case's definition in instructions it does implement, from the Arm
// ARM's pseudocode of each instruction:
//   CTZ  Rd, Rn       RBIT Rd, Rn; CLZ Rd, Rd
//   CNT  Rd, Rn       FMOV to a SIMD register, CNT v.8B, ADDV, FMOV back (the population count)
//   ABS  Rd, Rn       CMP Rn, ZR; CNEG Rd, Rn, MI
//   SMAX/UMAX/SMIN/UMIN Rd, Rn, Rm|#imm     CMP Rn, Rm; CSEL Rd, Rn, Rm, GT/HI/LT/LO (the immediate moved to
//                     a scratch register first, sign-extended for SMAX/SMIN, zero-extended for UMAX/UMIN)
// with NZCV saved and restored around them (CSSC instructions leave the flags alone), in one program run
// under QEMU; our process mode runs a second program, built from the same cases, that executes the CSSC
// word itself. Both store x0..x7 and NZCV per case; everything must agree. Register fields are limited to
// x0..x7 and 31 (ZR); values favour the edges (0, 1, -1, INT_MIN, INT_MAX, single bits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { biasedWord, rng } from '../helpers/encodingOracle';
import {
  LOAD_X0_X9, Mismatches, START, START_INSNS, STORE_X0_X7, buildAndRunQemu, buildProgram, caseAt, casesPerRow, diffRegisters, inst, limitRegs,
  quads, qword, requireQemuTools, runOurs, symbol, writeAndExit,
} from '../helpers/qemuOracle';

const CSSC = ROWS.filter((r) => r.feature === 'FEAT_CSSC');
const PER_ROW = casesPerRow('A64_CSSC_CASES', 500, CSSC.length);
/** Instructions per case block in our program. */
const BLOCK = LOAD_X0_X9.length + 3 + STORE_X0_X7.length + 1;
const OUT = 80;
const NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'nzcv', 'x9'];

interface Case {
  row: string;
  word: number;
  inputs: bigint[];
}

const EDGES = [
  0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0x80000000n, 0x7fffffffn, 0xffffffffn,
  0xffffffff80000000n, 0x100000000n, 0xffffffff00000000n, 0x7fn, 0x80n, 0xffn, 0xffffffffffffff80n,
];

function value(next: () => number): bigint {
  const k = next() % 6;
  if (k < 2) return EDGES[next() % EDGES.length];
  if (k === 2) return 1n << BigInt(next() % 64);
  if (k === 3) return BigInt.asUintN(64, BigInt((next() % 512) - 256)); // near the immediates
  return (BigInt(next()) << 32n) | BigInt(next());
}

function makeCases(): Case[] {
  const next = rng(0xc55c);
  const cases: Case[] = [];
  for (const row of CSSC) {
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      const w = limitRegs(row, biasedWord(row, next), ['Rd', 'Rn', 'Rm']);
      const d = decode(w);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 8; i++) inputs.push(value(next));
      if (next() % 5 === 0) inputs[2] = inputs[1];
      inputs.push(BigInt((next() & 0xf0000000) >>> 0), 0n);
      cases.push({ row: row.id, word: w, inputs });
      made++;
    }
  }
  return cases;
}

/** The case's definition in instructions QEMU 7.2 implements (see the file comment). */
function equivalent(c: Case): string[] {
  const f = decode(c.word)!.f;
  const x = !!f.sf;
  const reg = (n: number): string => (n === 31 ? (x ? 'xzr' : 'wzr') : `${x ? 'x' : 'w'}${n}`);
  const [d, n] = [reg(f.Rd), reg(f.Rn)];
  const t = x ? 'x11' : 'w11';
  switch (c.row) {
    case 'CTZ': return [`  rbit ${d}, ${n}`, `  clz ${d}, ${d}`];
    case 'CNT': return [
      x ? `  fmov d16, ${n}` : `  fmov s16, ${n}`, '  cnt v16.8b, v16.8b', '  addv b16, v16.8b', '  fmov w10, s16', `  mov ${d}, ${x ? 'x10' : 'w10'}`,
    ];
    case 'ABS': return ['  mrs x10, nzcv', `  cmp ${n}, ${x ? 'xzr' : 'wzr'}`, `  cneg ${d}, ${n}, mi`, '  msr nzcv, x10'];
  }
  const [op, form] = c.row.split('_');
  const cond = { SMAX: 'gt', UMAX: 'hi', SMIN: 'lt', UMIN: 'lo' }[op]!;
  const signed = op[0] === 'S';
  const lines = ['  mrs x10, nzcv'];
  let m = reg(f.Rm);
  if (form === 'imm') {
    const imm = signed ? ((f.imm8 << 24) >> 24) : f.imm8;
    lines.push(`  mov ${t}, #${imm}`);
    m = t;
  }
  lines.push(`  cmp ${n}, ${m}`, `  csel ${d}, ${n}, ${m}, ${cond}`, '  msr nzcv, x10');
  return lines;
}

function program(cases: Case[], body: (c: Case) => string[]): string {
  const lines = [...START];
  for (const c of cases) lines.push(...LOAD_X0_X9, '  msr nzcv, x8', ...body(c), '  mrs x8, nzcv', ...STORE_X0_X7, '  stp x8, x9, [x21], #16');
  lines.push(...writeAndExit('outputs', cases.length * OUT), '.ltorg', '.data', '.balign 16', 'inputs:');
  for (const c of cases) lines.push(quads(c.inputs));
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * OUT}`);
  return lines.join('\n') + '\n';
}

test('FEAT_CSSC executors: our process mode agrees with their definitions run by qemu-aarch64', () => {
  requireQemuTools();
  const cases = makeCases();
  const { out: ref } = buildAndRunQemu('cssc-ref', program(cases, equivalent), cases.length * OUT);
  // our program: the same cases with the CSSC word itself (QEMU 7.2 would call it undefined)
  const { elf, image } = buildProgram('cssc', program(cases, (c) => [inst(c.word)]));
  const first = symbol(image, '_start') + 4 * START_INSNS;
  const ours = runOurs(elf, cases.length * OUT, (pc) => caseAt(cases, first, 4 * BLOCK, pc));
  const bad = new Mismatches();
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const at = (b: Buffer) => NAMES.map((_, k) => qword(b, i * OUT + 8 * k));
    bad.add(c.row, c.word, c.inputs, diffRegisters(NAMES, at(ours), at(ref)));
  }
  assert.equal(bad.report('qemu-cssc', cases, 5), 0);
});
