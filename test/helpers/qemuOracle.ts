// QEMU user mode (qemu-aarch64) as an oracle for the executors: the machinery the differential tests
// test/oracle/qemu-*.test.ts share, so each of them holds only what is specific to its instruction class
// (which rows, how their cases are made, which state is compared). A test turns its cases into one static
// harness program (the assembly pieces below, built with aarch64-linux-gnu-gcc -nostdlib -static and linked
// at TEXT, which lies in the CPU harness's RAM too), runs it under QEMU, reads back what it wrote to stdout,
// runs the same cases on our CPU harness, and records every disagreement per row (Mismatches). The
// memory classes (loads/stores, exclusives and atomics) share all of it: compareMemoryCases builds, runs and
// compares a whole program of MemCase blocks, each with its own buffer.
//
// Environment:
//   A64_QEMU_USER          the qemu-aarch64 to run (default: qemu-aarch64 on PATH)
//   A64_QEMU_CASES_SCALE   multiplies every class's cases per row (default 1), e.g. 4 for dp, 10 for ldst or
//                          14 for atomics give over 100,000 cases in that class:
//                            A64_QEMU_CASES_SCALE=10 node test/run.mjs test/oracle/qemu-ldst.test.ts
//   A64_DP_CASES, A64_LDST_CASES, A64_ATOMIC_CASES   one class's cases per row (before the scale)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../src/emu/isa/decoder';
import { disassemble } from '../../src/emu/isa/disasm';
import { loadElf } from '../../src/emu/loader';
import type { LoadedImage } from '../../src/emu/loader';
import { makeHarness } from './cpuHarness';
import { rng } from './rng';

export const GCC = 'aarch64-linux-gnu-gcc';
export const QEMU = process.env.A64_QEMU_USER ?? 'qemu-aarch64';
/** Where the program's text goes, in both QEMU's address space and the harness's RAM. */
export const TEXT = 0x40100000;

function need(tool: string, pkg: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} not found: install the Debian package ${pkg} (apt-get install -y ${pkg})`);
  }
}

/** Fails with the Debian package to install when the cross compiler or QEMU is missing. */
export function requireQemuTools(): void {
  need(GCC, 'gcc-aarch64-linux-gnu');
  need(QEMU, 'qemu-user');
}

/** Cases per row of a class: `envName` (or `dflt`) times A64_QEMU_CASES_SCALE. */
export function casesPerRow(envName: string, dflt: number): number {
  const scale = Number(process.env.A64_QEMU_CASES_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`A64_QEMU_CASES_SCALE must be a positive number, not '${process.env.A64_QEMU_CASES_SCALE}'`);
  return Math.ceil(Number(process.env[envName] ?? dflt) * scale);
}

// ---- encodings and values ----

/** The registers a case's register fields are limited to: x0..x7 and 31 (SP or XZR). */
export const REGS = [0, 1, 2, 3, 4, 5, 6, 7, 31];

const fieldOf = (row: Row, name: string) => row.p.fields.find((f) => f.name === name);

/** A field of a row's word, or undefined when the row has no such field. */
export function getField(row: Row, w: number, name: string): number | undefined {
  const s = fieldOf(row, name);
  return s ? Math.floor(w / 2 ** s.lsb) % 2 ** s.width : undefined;
}

/** The word with a field set (unchanged when the row has no such field). */
export function putField(row: Row, w: number, name: string, v: number): number {
  const s = fieldOf(row, name);
  if (!s) return w;
  const m = ((2 ** s.width - 1) * 2 ** s.lsb) >>> 0;
  return ((w & ~m) | ((v * 2 ** s.lsb) & m)) >>> 0;
}

/** Redirects the named register fields the row has to REGS (field value v becomes REGS[v % 9]). */
export function limitRegs(row: Row, w: number, names: readonly string[]): number {
  for (const r of names) {
    const v = getField(row, w, r);
    if (v !== undefined) w = putField(row, w, r, REGS[v % REGS.length]);
  }
  return w;
}

/** A signed value in [-lim, lim). */
export const small = (next: () => number, lim: number): number => (next() % (2 * lim)) - lim;

const MEM_EDGES = [
  0n, 1n, 0x7fn, 0x80n, 0xffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x8000000000000000n, 0xffffffffffffffffn,
];

/** A register value for the memory classes: a quarter of the time an edge of some access size, else random. */
export function randomMemValue(next: () => number): bigint {
  const k = next() % 4;
  if (k === 0) return MEM_EDGES[next() % MEM_EDGES.length];
  return (BigInt(next()) << 32n) | BigInt(next());
}

// ---- the harness program ----

const hex = (x: bigint | number): string => `0x${x.toString(16)}`;

/** `.inst` line for a word. */
export const inst = (w: number): string => `  .inst 0x${w.toString(16).padStart(8, '0')}`;

/** The program's start: x20 walks the input table `inputs`, x21 the output table `outputs`. */
export const START = [
  '.text', '.global _start', '_start:',
  '  adrp x20, inputs', '  add x20, x20, :lo12:inputs',
  '  adrp x21, outputs', '  add x21, x21, :lo12:outputs',
];
/** Instructions in START. */
export const START_INSNS = 4;
/** Loads a case's ten input quadwords into x0..x9. */
export const LOAD_X0_X9 = [
  '  ldp x0, x1, [x20], #16', '  ldp x2, x3, [x20], #16', '  ldp x4, x5, [x20], #16', '  ldp x6, x7, [x20], #16',
  '  ldp x8, x9, [x20], #16',
];
/** Stores x0..x7 to the output table. */
export const STORE_X0_X7 = [
  '  stp x0, x1, [x21], #16', '  stp x2, x3, [x21], #16', '  stp x4, x5, [x21], #16', '  stp x6, x7, [x21], #16',
];

/** write(1, label, bytes), looping until everything is written, then exit(0). */
export function writeAndExit(label: string, bytes: number): string[] {
  return [
    '  mov x0, #1', `  adrp x1, ${label}`, `  add x1, x1, :lo12:${label}`, `  ldr x2, =${bytes}`,
    '1: mov x8, #64', '  svc #0',
    '  cmp x0, #0', '  b.le 2f', '  add x1, x1, x0', '  subs x2, x2, x0', '  mov x0, #1', '  b.ne 1b',
    '2: mov x0, #0', '  mov x8, #93', '  svc #0',
  ];
}

/** A `.quad` line of values. */
export const quads = (v: readonly bigint[]): string => `  .quad ${v.map(hex).join(', ')}`;

/** The little-endian quadword at `off`. */
export const qword = (b: Uint8Array, off: number): bigint => Buffer.from(b.buffer, b.byteOffset + off, 8).readBigUInt64LE(0);

/**
 * Builds `source` (with `files` beside it, for .incbin) as a static program linked at TEXT and runs it under
 * QEMU; returns what it wrote to stdout, which must be `outBytes` long, the loaded ELF and its bytes.
 */
export function buildAndRunQemu(
  tag: string, source: string, outBytes: number, files: Record<string, Uint8Array> = {},
): { out: Buffer; image: LoadedImage; elf: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), `a64-qemu-${tag}-`));
  let out: Buffer;
  let elf: Uint8Array;
  try {
    writeFileSync(join(dir, 'p.S'), source);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const link = `-Wl,-Ttext-segment=0x${TEXT.toString(16)}`;
    execFileSync(GCC, ['-nostdlib', '-static', link, '-o', join(dir, 'p'), join(dir, 'p.S')], { cwd: dir });
    out = execFileSync(QEMU, [join(dir, 'p')], { maxBuffer: 1 << 28 });
    elf = readFileSync(join(dir, 'p'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(out.length, outBytes, 'qemu output size');
  return { out, image: loadElf(elf, 'p'), elf };
}

/** A symbol's address in a loaded program. */
export function symbol(img: LoadedImage, name: string): number {
  const s = img.symbols.find((x) => x.name === name);
  assert.ok(s, `no ${name} in the test program`);
  return Number(s.value);
}

// ---- comparing ----

/** `name ours 0x.. qemu 0x..` for each register that differs. */
export function diffRegisters(names: readonly string[], ours: readonly bigint[], qemu: readonly bigint[]): string[] {
  return names.flatMap((n, k) => (ours[k] === qemu[k] ? [] : [`${n} ours ${hex(ours[k])} qemu ${hex(qemu[k])}`]));
}

/** Disagreements per row, each described by the case's instruction, word and inputs. */
export class Mismatches {
  private readonly byRow = new Map<string, string[]>();

  add(row: string, word: number, inputs: readonly bigint[], diffs: readonly string[]): void {
    if (!diffs.length) return;
    const asm = disassemble(word, 0n).text.replace(/\s+/g, ' ');
    const list = this.byRow.get(row) ?? [];
    list.push(`${asm} (${hex(word)}) in [${inputs.map(hex).join(' ')}]: ${diffs.join(', ')}`);
    this.byRow.set(row, list);
  }

  /** Logs each row's count and first `shown` mismatches, then `label: R rows, N cases, M mismatches`; returns M. */
  report(label: string, cases: readonly { row: string }[], shown: number): number {
    let total = 0;
    for (const [id, list] of this.byRow) {
      total += list.length;
      console.log(`${id}: ${list.length} mismatches\n  ${list.slice(0, shown).join('\n  ')}`);
    }
    console.log(`${label}: ${new Set(cases.map((c) => c.row)).size} rows, ${cases.length} cases, ${total} mismatches`);
    return total;
  }
}

// ---- the memory classes ----

/**
 * A load/store case. Every case has a BUF-byte buffer of random bytes; the program points SP (and the base
 * register, when it is one of x0..x7) at offsets from the buffer's middle, runs `prefix` then the word, and
 * stores x0..x7 and SP. The buffers and registers are compared.
 */
export interface MemCase {
  row: string;
  word: number;
  /** The base register field (31: SP), whose input is an offset from the buffer's middle. */
  rn: number;
  /** x0..x7, then SP's offset from the buffer's middle. */
  inputs: bigint[];
  /** Words run just before the instruction (e.g. a load-exclusive or CLREX). */
  prefix?: number[];
}

/** Bytes of a case's buffer. */
export const BUF = 2048;
/** Bytes of registers stored per case: x0..x7, SP, and a zero pad. */
const REGS_OUT = 80;
/** Cases per program: their buffers must fit the harness's 32 MiB of RAM. */
const CHUNK = 6000;
const MEM_REG_NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'sp'];

/** The program: x20 walks the inputs, x21 the register outputs, x22 is the current buffer's middle. */
function memProgram(cases: MemCase[]): string {
  const lines: string[] = [...START, '  adrp x22, bufs', '  add x22, x22, :lo12:bufs', `  add x22, x22, #${BUF / 2}`];
  for (const c of cases) {
    lines.push(...LOAD_X0_X9, '  add sp, x22, x8');
    if (c.rn >= 0 && c.rn < 8) lines.push(`  add x${c.rn}, x${c.rn}, x22`);
    for (const p of c.prefix ?? []) lines.push(inst(p));
    lines.push(inst(c.word), '  mov x9, sp', ...STORE_X0_X7, '  stp x9, xzr, [x21], #16', `  add x22, x22, #${BUF}`);
  }
  lines.push(
    ...writeAndExit('bufs', cases.length * (BUF + REGS_OUT)),
    '.ltorg',
    '  .skip 4096', // literal loads near the end read this, not the gap after the segment
    '.data', '.balign 16', 'inputs:',
  );
  for (const c of cases) lines.push(quads([...c.inputs, 0n]));
  lines.push('.balign 16', 'bufs:', '  .incbin "bufs.bin"', 'outputs:', `  .skip ${cases.length * REGS_OUT}`);
  return lines.join('\n') + '\n';
}

/** Builds and runs one program under QEMU and whole on our CPU (to its first SVC); records the mismatches. */
function runMemChunk(tag: string, cases: MemCase[], seed: number, features: readonly string[], bad: Mismatches): void {
  const next = rng(seed);
  const bufs = new Uint8Array(cases.length * BUF).map(() => next() & 0xff);
  const total = cases.length * (BUF + REGS_OUT);
  const { out: ref, image: img } = buildAndRunQemu(tag, memProgram(cases), total, { 'bufs.bin': bufs });

  const h = makeHarness({ exceptionTaken: () => true });
  // CPU models gate rows by feature: the caller's must be on
  const feats = (h.cpu as unknown as { features?: Set<string> }).features;
  if (feats) for (const f of features) feats.add(f);
  for (const s of img.segments) {
    const bytes = new Uint8Array(Number(s.memsz));
    bytes.set(s.data);
    h.bus.writeRamBytes(Number(s.paddr), bytes);
  }
  h.cpu.code.clear();
  h.cpu.setPc(Number(img.entry), 0);
  h.cpu.run(50 * cases.length + 1000);
  assert.equal(Number(h.cpu.sys.get('ESR_EL1')) >>> 26, 0x15, `stopped at an SVC (PC 0x${h.pc().toString(16)})`);
  const ours = Uint8Array.from(h.bus.peekBytes(symbol(img, 'bufs'), total).map((b) => b ?? 0));

  const regOut = cases.length * BUF;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const at = (b: Uint8Array) => MEM_REG_NAMES.map((_, k) => qword(b, regOut + i * REGS_OUT + 8 * k));
    const diffs = diffRegisters(MEM_REG_NAMES, at(ours), at(ref));
    for (let j = 0; j < BUF; j++) {
      if (ours[i * BUF + j] !== ref[i * BUF + j]) {
        diffs.push(`buffer byte ${j - BUF / 2} ours 0x${ours[i * BUF + j].toString(16)} qemu 0x${ref[i * BUF + j].toString(16)}`);
        break;
      }
    }
    bad.add(c.row, c.word, c.inputs, diffs);
  }
}

/**
 * Runs memory cases under QEMU and on our CPU, CHUNK cases per program (the chunk at case k with buffers
 * from seed + k), with `features` switched on in the harness's CPU; returns the mismatches.
 */
export function compareMemoryCases(tag: string, cases: MemCase[], seed: number, features: readonly string[] = []): Mismatches {
  const bad = new Mismatches();
  for (let k = 0; k < cases.length; k += CHUNK) runMemChunk(tag, cases.slice(k, k + CHUNK), seed + k, features, bad);
  return bad;
}
