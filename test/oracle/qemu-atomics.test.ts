// Differential test of the exclusive, ordered, RCpc and LSE atomic executors (rows/atomics.ts) against QEMU
// user mode (qemu-aarch64), on one CPU: built like qemu-ldst.test.ts (a static program runs every case under
// QEMU and whole on our CPU harness; buffers and x0..x7, SP compared), with these differences. Every base
// is 16-byte aligned (these accesses fault when unaligned) and LDAPUR/STLUR offsets are multiples of 8.
// A store-exclusive case is preceded, at random (fixed seed), by a load-exclusive of the same size from the
// same base into x9/x10 (so it succeeds), by CLREX, or by nothing (both fail), so the status results and
// the monitor are compared as well as memory and registers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROWS, decode, type Row } from '../../src/emu/isa/decoder';
import { disassemble } from '../../src/emu/isa/disasm';
import { loadElf } from '../../src/emu/loader';
import { makeHarness } from '../helpers/cpuHarness';
import { biasedWord, rng } from '../helpers/encodingOracle';
import { ATOMIC_ROW_IDS } from '../../src/emu/isa/rows/atomics';

const GCC = 'aarch64-linux-gnu-gcc';
const QEMU = process.env.A64_QEMU_USER ?? 'qemu-aarch64';
const PER_ROW = Number(process.env.A64_ATOMIC_CASES ?? 300);
/** Only this row (for a quick look at one). */
const ONLY = process.env.A64_ATOMIC_ROW;
const TEXT = 0x40100000;
const BUF = 2048;
/** Bytes of registers stored per case: x0..x7, SP, and a zero pad. */
const REGS_OUT = 80;
const REGS = [0, 1, 2, 3, 4, 5, 6, 7, 31];

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
  /** The base register field (31: SP), whose input is an offset from the buffer's middle. */
  rn: number;
  /** x0..x7, then SP's offset from the buffer's middle. */
  inputs: bigint[];
  /** Words run just before the instruction (a load-exclusive or CLREX), or none. */
  prefix: number[];
}

const fieldOf = (row: Row, name: string) => row.p.fields.find((f) => f.name === name);
function get(row: Row, w: number, name: string): number | undefined {
  const s = fieldOf(row, name);
  return s ? Math.floor(w / 2 ** s.lsb) % 2 ** s.width : undefined;
}
function put(row: Row, w: number, name: string, v: number): number {
  const s = fieldOf(row, name);
  if (!s) return w;
  const m = ((2 ** s.width - 1) * 2 ** s.lsb) >>> 0;
  return ((w & ~m) | ((v * 2 ** s.lsb) & m)) >>> 0;
}

const EDGES = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x8000000000000000n, 0xffffffffffffffffn];

function randomValue(next: () => number): bigint {
  const k = next() % 4;
  if (k === 0) return EDGES[next() % EDGES.length];
  return (BigInt(next()) << 32n) | BigInt(next());
}

/** A signed value in [-lim, lim). */
const small = (next: () => number, lim: number): number => (next() % (2 * lim)) - lim;

function makeCases(): Case[] {
  const next = rng(0x47c5);
  const cases: Case[] = [];
  for (const row of ROWS) {
    if (!ATOMIC_ROW_IDS.has(row.id) || (ONLY && row.id !== ONLY)) continue;
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 20; tries++) {
      let w = biasedWord(row, next);
      for (const r of ['Rs', 'Rt', 'Rt2', 'Rn']) {
        const v = get(row, w, r);
        if (v !== undefined) w = put(row, w, r, REGS[v % REGS.length]);
      }
      // keep every access inside the case's buffer (base in the middle, +-1 KiB) or, for literals, in
      // the code that follows the instruction
      const imm9 = get(row, w, 'imm9');
      if (imm9 !== undefined) w = put(row, w, 'imm9', imm9 & ~7); // keeps 8-byte alignment
      const rn = get(row, w, 'Rn') ?? -1;
      const d = decode(w);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 8; i++) inputs.push(randomValue(next));
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

/** The program: x20 walks the inputs, x21 the register outputs, x22 is the current buffer's middle. */
function program(cases: Case[]): string {
  const lines: string[] = [
    '.text', '.global _start', '_start:',
    '  adrp x20, inputs', '  add x20, x20, :lo12:inputs',
    '  adrp x21, outputs', '  add x21, x21, :lo12:outputs',
    '  adrp x22, bufs', '  add x22, x22, :lo12:bufs', `  add x22, x22, #${BUF / 2}`,
  ];
  for (const c of cases) {
    lines.push(
      '  ldp x0, x1, [x20], #16', '  ldp x2, x3, [x20], #16', '  ldp x4, x5, [x20], #16', '  ldp x6, x7, [x20], #16',
      '  ldp x8, x9, [x20], #16', '  add sp, x22, x8',
    );
    if (c.rn >= 0 && c.rn < 8) lines.push(`  add x${c.rn}, x${c.rn}, x22`);
    for (const p of c.prefix) lines.push(`  .inst 0x${p.toString(16).padStart(8, '0')}`);
    lines.push(
      `  .inst 0x${c.word.toString(16).padStart(8, '0')}`,
      '  mov x9, sp',
      '  stp x0, x1, [x21], #16', '  stp x2, x3, [x21], #16', '  stp x4, x5, [x21], #16', '  stp x6, x7, [x21], #16',
      '  stp x9, xzr, [x21], #16',
      `  add x22, x22, #${BUF}`,
    );
  }
  const total = cases.length * (BUF + REGS_OUT);
  lines.push(
    '  mov x0, #1', '  adrp x1, bufs', '  add x1, x1, :lo12:bufs', `  ldr x2, =${total}`,
    '1: mov x8, #64', '  svc #0', // write(1, bufs, total): loop until everything is written
    '  cmp x0, #0', '  b.le 2f', '  add x1, x1, x0', '  subs x2, x2, x0', '  mov x0, #1', '  b.ne 1b',
    '2: mov x0, #0', '  mov x8, #93', '  svc #0',
    '.ltorg',
    '  .skip 4096', // literal loads near the end read this, not the gap after the segment
    '.data', '.balign 16', 'inputs:',
  );
  for (const c of cases) lines.push(`  .quad ${[...c.inputs, 0n].map((x) => `0x${x.toString(16)}`).join(', ')}`);
  lines.push('.balign 16', 'bufs:', '  .incbin "bufs.bin"', 'outputs:', `  .skip ${cases.length * REGS_OUT}`);
  return lines.join('\n') + '\n';
}

/** Cases per program: their buffers must fit the harness's 32 MiB of RAM. */
const CHUNK = 6000;

/** Builds and runs one program under QEMU and on our CPU; returns mismatch descriptions per row. */
function runChunk(cases: Case[], seed: number, bad: Map<string, string[]>): void {
  const next = rng(seed);
  const bufs = new Uint8Array(cases.length * BUF).map(() => next() & 0xff);
  const dir = mkdtempSync(join(tmpdir(), 'a64-qemu-atomics-'));
  let ref: Buffer;
  let elf: Uint8Array;
  try {
    writeFileSync(join(dir, 'p.S'), program(cases));
    writeFileSync(join(dir, 'bufs.bin'), bufs);
    execFileSync(GCC, ['-nostdlib', '-static', `-Wl,-Ttext-segment=0x${TEXT.toString(16)}`, '-o', join(dir, 'p'), join(dir, 'p.S')], { cwd: dir });
    ref = execFileSync(QEMU, [join(dir, 'p')], { maxBuffer: 1 << 28 });
    elf = readFileSync(join(dir, 'p'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const total = cases.length * (BUF + REGS_OUT);
  assert.equal(ref.length, total, 'qemu output size');

  // the same program on our CPU, from _start to its first SVC
  const img = loadElf(elf, 'p');
  const h = makeHarness({ exceptionTaken: () => true });
  // CPU models gate rows by feature: these rows' features must be on
  const feats = (h.cpu as unknown as { features?: Set<string> }).features;
  if (feats) for (const f of ['FEAT_LSE', 'FEAT_LRCPC', 'FEAT_LRCPC2', 'FEAT_LOR']) feats.add(f);
  for (const s of img.segments) {
    const bytes = new Uint8Array(Number(s.memsz));
    bytes.set(s.data);
    h.bus.writeRamBytes(Number(s.paddr), bytes);
  }
  const sym = (name: string): number => Number(img.symbols.find((x) => x.name === name)!.value);
  h.cpu.code.clear();
  h.cpu.setPc(Number(img.entry), 0);
  h.cpu.run(50 * cases.length + 1000);
  assert.equal(Number(h.cpu.sys.get('ESR_EL1')) >>> 26, 0x15, `stopped at an SVC (PC 0x${h.pc().toString(16)})`);
  const ours = Uint8Array.from(h.bus.peekBytes(sym('bufs'), total).map((b) => b ?? 0));

  const regOut = cases.length * BUF;
  const names = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'sp'];
  const q = (b: Uint8Array, off: number): bigint => Buffer.from(b.buffer, b.byteOffset + off, 8).readBigUInt64LE(0);
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const diffs: string[] = [];
    for (let k = 0; k < names.length; k++) {
      const a = q(ours, regOut + i * REGS_OUT + 8 * k);
      const b = ref.readBigUInt64LE(regOut + i * REGS_OUT + 8 * k);
      if (a !== b) diffs.push(`${names[k]} ours 0x${a.toString(16)} qemu 0x${b.toString(16)}`);
    }
    for (let j = 0; j < BUF; j++) {
      if (ours[i * BUF + j] !== ref[i * BUF + j]) {
        diffs.push(`buffer byte ${j - BUF / 2} ours 0x${ours[i * BUF + j].toString(16)} qemu 0x${ref[i * BUF + j].toString(16)}`);
        break;
      }
    }
    if (diffs.length) {
      const list = bad.get(c.row) ?? [];
      const asm = disassemble(c.word, 0n).text.replace(/\s+/g, ' ');
      list.push(`${asm} (0x${c.word.toString(16)}) in [${c.inputs.map((x) => `0x${x.toString(16)}`).join(' ')}]: ${diffs.join(', ')}`);
      bad.set(c.row, list);
    }
  }
}

test('exclusive, ordered and atomic executors agree with qemu-aarch64', () => {
  need(GCC, 'gcc-aarch64-linux-gnu');
  need(QEMU, 'qemu-user');
  const cases = makeCases();
  const bad = new Map<string, string[]>();
  for (let k = 0; k < cases.length; k += CHUNK) runChunk(cases.slice(k, k + CHUNK), 0xa70c + k, bad);
  let mismatches = 0;
  for (const [id, list] of bad) {
    mismatches += list.length;
    console.log(`${id}: ${list.length} mismatches\n  ${list.slice(0, 4).join('\n  ')}`);
  }
  console.log(`qemu-atomics: ${new Set(cases.map((c) => c.row)).size} rows, ${cases.length} cases, ${mismatches} mismatches`);
  assert.equal(mismatches, 0);
});
