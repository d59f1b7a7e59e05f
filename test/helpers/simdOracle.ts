// QEMU differential machinery for the Advanced SIMD and crypto executors (test/oracle/qemu-simd.test.ts):
// random encodings per row with register fields limited to 0..7, lane values biased toward the edges
// (0, all-ones, INT_MIN/INT_MAX of every lane size, saturation and shift-amount limits), one static
// harness program per chunk of cases that loads V0..V7 and X0..X7 from a table, clears FPSR, sets NZCV,
// runs the word, and stores V0..V7, X0..X7, FPSR and NZCV; the same cases run on our CPU harness with the registers set
// directly. The harness program uses LDP/STP Q, which only QEMU has to execute: on our side each case's
// word runs alone (the registers are written into and read from the register file), at the address it
// has in the QEMU program.
import assert from 'node:assert/strict';
import type { Row } from '../../src/emu/isa/decoder';
import { decode } from '../../src/emu/isa/decoder';
import { I_FPSR, I_VREG } from '../../src/emu/cpu/regs';
import { LinuxProcess } from '../../src/emu/process';
import { makeHarness } from './cpuHarness';
import { biasedWord } from './encodingOracle';
import {
  Mismatches, START, START_INSNS, buildAndRunQemu, diffRegisters, getField, inst, putField, qword, quads, symbol, writeAndExit,
} from './qemuOracle';

export interface SimdCase {
  row: string;
  word: number;
  /** V0..V7 as 16 quadwords (low, high), then X0..X7. */
  inputs: bigint[];
}

/** Register fields of the SIMD rows: all limited to 0..7 (31 would name V31/XZR, which the harness does not load). */
const REG_FIELDS = ['Rd', 'Rn', 'Rm', 'Ra', 'Rt'];

const EDGE_BY_SIZE: Record<number, bigint[]> = {
  8: [0n, 1n, 2n, 0x7fn, 0x80n, 0x81n, 0xffn, 0xfen, 0x08n, 0xf8n, 0x07n, 0x09n, 0x10n, 0xf0n],
  16: [0n, 1n, 0x7fffn, 0x8000n, 0x8001n, 0xffffn, 0xfffen, 0x10n, 0xfff0n, 0x0fn, 0x11n, 0x4000n, 0xc000n],
  32: [0n, 1n, 0x7fffffffn, 0x80000000n, 0x80000001n, 0xffffffffn, 0x20n, 0xffffffe0n, 0x1fn, 0x21n, 0x40000000n, 0xc0000000n],
  64: [0n, 1n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, 0xffffffffffffffffn, 0x40n, 0xffffffffffffffc0n,
    0x3fn, 0x41n, 0x4000000000000000n],
};

/** A 64-bit half made of lanes of one size, each an edge of that size or random. */
function randomHalf(next: () => number): bigint {
  const k = next() % 6;
  if (k === 0) return (BigInt(next()) << 32n) | BigInt(next());
  const es = [8, 16, 32, 64, 8][k - 1];
  let v = 0n;
  for (let i = 0; i < 64 / es; i++) {
    const edges = EDGE_BY_SIZE[es];
    const rnd = BigInt.asUintN(es, (BigInt(next()) << 32n) | BigInt(next()));
    const lane = next() % 3 === 0 ? rnd : edges[next() % edges.length];
    v |= lane << BigInt(i * es);
  }
  return v;
}

/** `perRow` random cases of a row (words that decode to the row), with biased inputs. */
export function makeSimdCases(row: Row, perRow: number, next: () => number, fix?: (w: number) => number): SimdCase[] {
  const cases: SimdCase[] = [];
  for (let tries = 0; cases.length < perRow && tries < perRow * 20; tries++) {
    let word = biasedWord(row, next);
    for (const r of REG_FIELDS) {
      const v = getField(row, word, r);
      if (v !== undefined) word = putField(row, word, r, v % 8);
    }
    if (fix) word = fix(word);
    const d = decode(word);
    if (!d || d.row.id !== row.id) continue;
    const inputs: bigint[] = [];
    for (let i = 0; i < 16; i++) inputs.push(randomHalf(next));
    // equal registers and equal halves are interesting (compares, pairwise, zips)
    if (next() % 6 === 0) { inputs[2] = inputs[0]; inputs[3] = inputs[1]; }
    for (let i = 0; i < 8; i++) inputs.push(randomHalf(next));
    cases.push({ row: row.id, word, inputs });
  }
  return cases;
}

/** Instructions per case block, and the case word's index in it. */
const BLOCK = 24;
const AT = 11;
/** Bytes stored per case: V0..V7, X0..X7, FPSR and NZCV. */
const OUT = 128 + 64 + 16;
const NAMES = [
  ...Array.from({ length: 8 }, (_, k) => [`v${k}.lo`, `v${k}.hi`]).flat(), ...Array.from({ length: 8 }, (_, k) => `x${k}`), 'fpsr', 'nzcv',
];
/** The case's NZCV before the word (bits 31:28 over 16): taken from its inputs, so every pattern occurs. */
const nzcvOf = (c: SimdCase): number => Number(c.inputs[0] & 0xfn) << 12;
/** Cases per program (assembler time and the harness's RAM). */
const CHUNK = 20000;

function program(cases: SimdCase[]): string {
  const lines = [...START];
  for (const c of cases) {
    lines.push(
      '  ldp q0, q1, [x20], #32', '  ldp q2, q3, [x20], #32', '  ldp q4, q5, [x20], #32', '  ldp q6, q7, [x20], #32',
      '  ldp x0, x1, [x20], #16', '  ldp x2, x3, [x20], #16', '  ldp x4, x5, [x20], #16', '  ldp x6, x7, [x20], #16',
      '  msr fpsr, xzr', `  movz x9, #0x${nzcvOf(c).toString(16)}, lsl #16`, '  msr nzcv, x9',
      inst(c.word),
      '  stp q0, q1, [x21], #32', '  stp q2, q3, [x21], #32', '  stp q4, q5, [x21], #32', '  stp q6, q7, [x21], #32',
      '  stp x0, x1, [x21], #16', '  stp x2, x3, [x21], #16', '  stp x4, x5, [x21], #16', '  stp x6, x7, [x21], #16',
      '  mrs x9, fpsr', '  mrs x10, nzcv', '  stp x9, x10, [x21], #16',
      '  nop',
    );
  }
  lines.push(...writeAndExit('outputs', cases.length * OUT), '.ltorg', '.data', '.balign 16', 'inputs:');
  for (const c of cases) lines.push(quads(c.inputs));
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * OUT}`);
  return lines.join('\n') + '\n';
}

function runChunk(tag: string, cases: SimdCase[], bad: Mismatches): void {
  const { out, image } = buildAndRunQemu(tag, program(cases), cases.length * OUT);
  const start = symbol(image, '_start');
  const h = makeHarness();
  h.cpu.sys.set('CPACR_EL1', 3n << 20n); // FPEN = 0b11: no SIMD&FP access trap at EL0/EL1
  const r = h.cpu.r;
  const set64 = (i: number, v: bigint): void => {
    r[i] = Number(v & 0xffffffffn) | 0;
    r[i + 1] = Number(v >> 32n) | 0;
  };
  const get64 = (i: number): bigint => (BigInt(r[i + 1] >>> 0) << 32n) | BigInt(r[i] >>> 0);
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    for (let k = 0; k < 16; k++) set64(I_VREG + 2 * k, c.inputs[k]);
    for (let k = 0; k < 8; k++) h.setX(k, c.inputs[16 + k]);
    r[I_FPSR] = 0;
    h.cpu.nzcv = nzcvOf(c) << 16;
    h.run([c.word], 1, BigInt(start + 4 * (START_INSNS + i * BLOCK + AT)));
    const ours = [
      ...Array.from({ length: 16 }, (_, k) => get64(I_VREG + 2 * k)), ...Array.from({ length: 8 }, (_, k) => h.x(k)), BigInt(r[I_FPSR] >>> 0),
      BigInt(h.cpu.nzcv >>> 0),
    ];
    const ref = NAMES.map((_, k) => qword(out, i * OUT + 8 * k));
    bad.add(c.row, c.word, c.inputs, diffRegisters(NAMES, ours, ref));
  }
  assert.deepEqual(h.errors, [], 'guest errors on our side');
}

/** Runs the cases under QEMU and on our CPU, CHUNK per program; returns the mismatches. */
export function compareSimdCases(tag: string, cases: SimdCase[]): Mismatches {
  const bad = new Mismatches();
  for (let k = 0; k < cases.length; k += CHUNK) runChunk(tag, cases.slice(k, k + CHUNK), bad);
  return bad;
}

// ---- the same kind of program, whole, under our process mode ----
// The brief's end-to-end form: one static ELF, run under qemu-aarch64 and under LinuxProcess (in-process,
// stdout captured), its output compared byte for byte. The program moves every value through the general
// registers (INS `mov v0.d[0], x0` to load, UMOV `mov x9, v0.d[0]` to store), so it needs nothing beyond
// the integer ISA and the instructions under test. FPSR is not in this form's output: MRS/MSR FPSR belong
// to the FP work (the per-case comparison above checks QC).

/** Bytes per case: V0..V7 and X0..X7. */
const POUT = 128 + 64;

function processProgram(cases: SimdCase[]): string {
  const lines = [...START];
  for (const c of cases) {
    for (let k = 0; k < 8; k++) lines.push('  ldp x0, x1, [x20], #16', `  mov v${k}.d[0], x0`, `  mov v${k}.d[1], x1`);
    lines.push('  ldp x0, x1, [x20], #16', '  ldp x2, x3, [x20], #16', '  ldp x4, x5, [x20], #16', '  ldp x6, x7, [x20], #16');
    lines.push(inst(c.word));
    for (let k = 0; k < 8; k++) lines.push(`  mov x9, v${k}.d[0]`, `  mov x10, v${k}.d[1]`, '  stp x9, x10, [x21], #16');
    lines.push('  stp x0, x1, [x21], #16', '  stp x2, x3, [x21], #16', '  stp x4, x5, [x21], #16', '  stp x6, x7, [x21], #16');
  }
  lines.push(...writeAndExit('outputs', cases.length * POUT), '.ltorg', '.data', '.balign 16', 'inputs:');
  for (const c of cases) lines.push(quads(c.inputs));
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * POUT}`);
  return lines.join('\n') + '\n';
}

/** Runs the cases as whole programs under QEMU and under LinuxProcess; returns the mismatches. */
export function compareSimdCasesInProcess(tag: string, cases: SimdCase[]): Mismatches {
  const bad = new Mismatches();
  for (let k = 0; k < cases.length; k += CHUNK) {
    const chunk = cases.slice(k, k + CHUNK);
    const { out: ref, elf } = buildAndRunQemu(tag, processProgram(chunk), chunk.length * POUT);
    const parts: Uint8Array[] = [];
    const errors: string[] = [];
    const p = new LinuxProcess(elf, 'p', {}, { output: (_fd, b) => parts.push(Uint8Array.from(b)), guestError: (e) => errors.push(e.message) });
    const stop = p.run(120 * chunk.length + 10_000);
    assert.deepEqual(stop, { kind: 'exit', code: 0 }, `process mode: ${errors.join('; ')}`);
    const ours = Buffer.concat(parts);
    assert.equal(ours.length, ref.length, 'process-mode output size');
    const names = NAMES.slice(0, 24); // V0..V7, X0..X7
    for (let i = 0; i < chunk.length; i++) {
      const at = (b: Uint8Array) => names.map((_, j) => qword(b, i * POUT + 8 * j));
      bad.add(chunk[i].row, chunk[i].word, chunk[i].inputs, diffRegisters(names, at(ours), at(ref)));
    }
  }
  return bad;
}
