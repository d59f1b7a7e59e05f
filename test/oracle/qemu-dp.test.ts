// Differential test of the data-processing executors against QEMU user mode (qemu-aarch64), which stands in
// for hardware. For every 'dpimm'/'dpreg' row (CRC32/CRC32C and the FEAT_FlagM RMIF/SETF among them) and
// the flag-manipulation rows of the system class (CFINV, AXFLAG, XAFLAG), random encodings (fixed seed, register fields limited to
// x0..x7 and 31) are paired with random register values biased toward carry,
// overflow and sign boundaries. One static program per run (built with aarch64-linux-gnu-gcc -nostdlib
// -static) runs every case: load x0..x7, SP and NZCV from a table, execute the instruction, store x0..x7,
// NZCV and SP, and finally write the results to stdout with the write syscall. The same cases then run on
// our CPU harness, each instruction at the address it had in the QEMU program (the program is linked into
// the harness's RAM, so ADR/ADRP see the same PC), and every register and flag must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { disassemble } from '../../src/emu/isa/disasm';
import { makeHarness } from '../helpers/cpuHarness';
import { biasedWord, rng } from '../helpers/dpWords';

const GCC = 'aarch64-linux-gnu-gcc';
const QEMU = process.env.A64_QEMU_USER ?? 'qemu-aarch64';
const PER_ROW = Number(process.env.A64_DP_CASES ?? 400);
const REG_FIELDS = ['Rd', 'Rn', 'Rm', 'Ra'];
const REGS = [0, 1, 2, 3, 4, 5, 6, 7, 31];
/** Where the program's text goes, in both QEMU's address space and the harness's RAM. */
const TEXT = 0x40100000;
/** Instructions before the first case, and per case; the case's own instruction is the 8th of its block. */
const PROLOGUE = 4;
const BLOCK = 15;
const AT = 7;
/** System-class rows that compute on registers and flags only: compared like data processing. */
const FLAG_ROWS = new Set(['CFINV', 'AXFLAG', 'XAFLAG']);

function need(tool: string, pkg: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} not found: install the Debian package ${pkg} (apt-get install -y ${pkg})`);
  }
}

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

/** Redirects the register fields of a word to x0..x7 or 31. */
function limitRegs(row: (typeof ROWS)[number], w: number): number {
  for (const s of row.p.fields) {
    if (!REG_FIELDS.includes(s.name)) continue;
    const v = Math.floor(w / 2 ** s.lsb) % 32;
    const r = REGS[v % REGS.length];
    w = ((w & ~(31 << s.lsb)) | (r << s.lsb)) >>> 0;
  }
  return w;
}

function makeCases(): Case[] {
  const next = rng(0x9e3779b9);
  const cases: Case[] = [];
  for (const row of ROWS) {
    if (row.cls !== 'dpimm' && row.cls !== 'dpreg' && !FLAG_ROWS.has(row.id)) continue;
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      const word = limitRegs(row, biasedWord(row, next));
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

/** The assembly program: x20 walks the input table, x21 the output table. */
function program(cases: Case[]): string {
  const lines: string[] = [
    '.text', '.global _start', '_start:',
    '  adrp x20, inputs', '  add x20, x20, :lo12:inputs',
    '  adrp x21, outputs', '  add x21, x21, :lo12:outputs',
  ];
  for (const c of cases) {
    lines.push(
      '  ldp x0, x1, [x20], #16', '  ldp x2, x3, [x20], #16', '  ldp x4, x5, [x20], #16', '  ldp x6, x7, [x20], #16',
      '  ldp x8, x9, [x20], #16', '  mov sp, x8', '  msr nzcv, x9',
      `  .inst 0x${c.word.toString(16).padStart(8, '0')}`,
      '  mrs x8, nzcv', '  mov x9, sp',
      '  stp x0, x1, [x21], #16', '  stp x2, x3, [x21], #16', '  stp x4, x5, [x21], #16', '  stp x6, x7, [x21], #16',
      '  stp x8, x9, [x21], #16',
    );
  }
  lines.push(
    '  mov x0, #1', '  adrp x1, outputs', '  add x1, x1, :lo12:outputs', `  ldr x2, =${cases.length * 80}`,
    '1: mov x8, #64', '  svc #0', // write(1, outputs, n): loop until everything is written
    '  cmp x0, #0', '  b.le 2f', '  add x1, x1, x0', '  subs x2, x2, x0', '  mov x0, #1', '  b.ne 1b',
    '2: mov x0, #0', '  mov x8, #93', '  svc #0',
    '.ltorg',
    '.data', '.balign 16', 'inputs:',
  );
  for (const c of cases) {
    const v = [...c.inputs.slice(0, 8), c.inputs[8], c.inputs[9]];
    lines.push(`  .quad ${v.map((x) => `0x${x.toString(16)}`).join(', ')}`);
  }
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * 80}`);
  return lines.join('\n') + '\n';
}

/** Runs the cases under QEMU; returns their outputs and the address of _start. */
function runQemu(cases: Case[]): { res: bigint[][]; start: number } {
  const dir = mkdtempSync(join(tmpdir(), 'a64-qemu-dp-'));
  try {
    writeFileSync(join(dir, 'p.S'), program(cases));
    execFileSync(GCC, ['-nostdlib', '-static', `-Wl,-Ttext-segment=0x${TEXT.toString(16)}`, '-o', join(dir, 'p'), join(dir, 'p.S')]);
    const nm = execFileSync('aarch64-linux-gnu-nm', [join(dir, 'p')], { encoding: 'utf8' });
    const m = /^([0-9a-f]+) T _start$/m.exec(nm);
    assert.ok(m, 'no _start in the test program');
    const out = execFileSync(QEMU, [join(dir, 'p')], { maxBuffer: 1 << 28 });
    assert.equal(out.length, cases.length * 80, 'qemu output size');
    const res: bigint[][] = [];
    for (let i = 0; i < cases.length; i++) {
      const v: bigint[] = [];
      for (let k = 0; k < 10; k++) v.push(out.readBigUInt64LE(i * 80 + k * 8));
      res.push(v);
    }
    return { res, start: Number.parseInt(m[1], 16) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('data-processing executors agree with qemu-aarch64', () => {
  need(GCC, 'gcc-aarch64-linux-gnu');
  need(QEMU, 'qemu-user');
  const cases = makeCases();
  const { res: ref, start } = runQemu(cases);
  const h = makeHarness();
  const bad = new Map<string, string[]>();
  const names = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'nzcv', 'sp'];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    for (let k = 0; k < 8; k++) h.setX(k, c.inputs[k]);
    h.setX(31, c.inputs[8]);
    h.cpu.nzcv = Number(c.inputs[9]);
    h.run([c.word], 1, BigInt(start + 4 * (PROLOGUE + i * BLOCK + AT)));
    const ours = [...Array.from({ length: 8 }, (_, k) => h.x(k)), BigInt(h.cpu.nzcv), h.x(31)];
    const diffs = names.filter((_, k) => ours[k] !== ref[i][k]);
    if (diffs.length) {
      const list = bad.get(c.row) ?? [];
      const asm = disassemble(c.word, 0n).text.replace(/\s+/g, ' ');
      const inputs = c.inputs.map((x) => `0x${x.toString(16)}`).join(' ');
      list.push(`${asm} in [${inputs}]: ${diffs.map((n) => `${n} ours 0x${ours[names.indexOf(n)].toString(16)} qemu 0x${ref[i][names.indexOf(n)].toString(16)}`).join(', ')}`);
      bad.set(c.row, list);
    }
  }
  let total = 0;
  for (const [id, list] of bad) {
    total += list.length;
    console.log(`${id}: ${list.length} mismatches\n  ${list.slice(0, 5).join('\n  ')}`);
  }
  console.log(`qemu-dp: ${new Set(cases.map((c) => c.row)).size} rows, ${cases.length} cases, ${total} mismatches`);
  assert.equal(total, 0);
});
