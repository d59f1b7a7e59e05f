// The SIMD&FP differential harness: one static program of case blocks run under qemu-aarch64 and, the same
// ELF, under our Linux process mode (LinuxProcess, in-process, its stdout captured). A case block loads
// x0..x7, V0..V7 (128 bits each, through FMOV to D and to V.D[1]), FPCR and NZCV from an input table, clears
// FPSR, runs the case's instruction, and stores x0..x7, V0..V7, FPSR, FPCR and NZCV to an output table,
// which the program finally writes to stdout. The block is an assembler macro, so a case is one line
// (`CASE 0x1e222020`) and the inputs come from a binary file (.incbin): 100,000 cases assemble in seconds.
// Both outputs are compared bit for bit per case, and each disagreement is reported with the case's
// disassembly (Mismatches, from qemuOracle.ts). Used by test/oracle/qemu-fp.test.ts; the Advanced SIMD
// tests can use the same blocks.
import assert from 'node:assert/strict';
import { LinuxProcess } from '../../src/emu/process';
import { Mismatches, buildAndRunQemu } from './qemuOracle';
import { rng } from './rng';

export interface VecCase {
  row: string;
  word: number;
  /** x0..x7. */
  x: bigint[];
  /** V0..V7 as 128-bit values. */
  v: bigint[];
  fpcr: number;
  /** NZCV in bits 31:28. */
  nzcv: number;
  /**
   * Memory cases (compareVecCases with a buffer size): the base register field (0..7, or 31 for SP), whose
   * x input is an offset from the middle of the case's buffer, and SP's offset from it (a multiple of 16).
   */
  rn?: number;
  spOff?: number;
}

/** Bytes of a case's inputs: x0..x7, V0..V7, FPCR, NZCV, SP's offset and a pad. */
export const VEC_IN = 64 + 128 + 32;
/** Bytes of a case's outputs: FPSR, FPCR, x0..x7, V0..V7, NZCV, SP (memory cases; else 0). */
export const VEC_OUT = 64 + 128 + 32;

const M64 = (1n << 64n) - 1n;

function inputBytes(cases: readonly VecCase[]): Uint8Array {
  const b = Buffer.alloc(cases.length * VEC_IN);
  cases.forEach((c, i) => {
    const o = i * VEC_IN;
    for (let k = 0; k < 8; k++) b.writeBigUInt64LE(c.x[k] & M64, o + 8 * k);
    for (let k = 0; k < 8; k++) {
      b.writeBigUInt64LE(c.v[k] & M64, o + 64 + 16 * k);
      b.writeBigUInt64LE((c.v[k] >> 64n) & M64, o + 72 + 16 * k);
    }
    b.writeBigUInt64LE(BigInt(c.fpcr >>> 0), o + 192);
    b.writeBigUInt64LE(BigInt(c.nzcv >>> 0), o + 200);
    b.writeBigInt64LE(BigInt(c.spOff ?? 0), o + 208);
  });
  return b;
}

/**
 * The program: x20 walks the inputs, x21 the outputs; CASE runs one block. With `buf` (memory cases),
 * x22 points at the middle of the case's buffer (the buffers come from bufs.bin, random bytes), SP and the
 * base register are set from their offsets before the instruction, and the buffers are written out after
 * the register outputs.
 */
export function vecProgram(cases: readonly VecCase[], buf = 0): string {
  const load: string[] = [];
  const store: string[] = [];
  for (let k = 0; k < 8; k += 2) {
    load.push(`  ldp x${k}, x${k + 1}, [x20], #16`);
    store.push(`  stp x${k}, x${k + 1}, [x21], #16`);
  }
  for (let k = 0; k < 8; k++) {
    load.push('  ldp x10, x11, [x20], #16', `  fmov d${k}, x10`, `  fmov v${k}.d[1], x11`);
    store.push(`  fmov x10, d${k}`, `  fmov x11, v${k}.d[1]`, '  stp x10, x11, [x21], #16');
  }
  const lines = [
    '.macro CASE w, rn',
    ...load,
    '  ldp x8, x9, [x20], #16', '  msr fpcr, x8', '  msr nzcv, x9', '  msr fpsr, xzr',
    '  ldp x13, x14, [x20], #16',
    ...(buf ? ['  add x13, x22, x13', '  mov sp, x13', '.if \\rn < 8', '  add x\\rn, x\\rn, x22', '.endif'] : []),
    '  .inst \\w',
    '  mrs x8, fpsr', '  mrs x9, fpcr', '  mrs x12, nzcv',
    buf ? '  mov x13, sp' : '  mov x13, xzr',
    '  stp x8, x9, [x21], #16',
    ...store,
    '  stp x12, x13, [x21], #16',
    ...(buf ? [`  add x22, x22, #${buf}`] : []),
    '.endm',
    '.text', '.global _start', '_start:',
    '  adrp x20, inputs', '  add x20, x20, :lo12:inputs',
    '  adrp x21, outputs', '  add x21, x21, :lo12:outputs',
    ...(buf ? ['  adrp x22, bufs', '  add x22, x22, :lo12:bufs', `  add x22, x22, #${buf / 2}`] : []),
  ];
  for (const c of cases) lines.push(`  CASE 0x${c.word.toString(16).padStart(8, '0')}, ${c.rn ?? 99}`);
  const bytes = cases.length * (VEC_OUT + buf);
  const first = buf ? 'bufs' : 'outputs';
  lines.push(
    '  mov x0, #1', `  adrp x1, ${first}`, `  add x1, x1, :lo12:${first}`, `  ldr x2, =${bytes}`,
    '1: mov x8, #64', '  svc #0', '  cmp x0, #0', '  b.le 2f', '  add x1, x1, x0', '  subs x2, x2, x0', '  mov x0, #1', '  b.ne 1b',
    '2: mov x0, #0', '  mov x8, #93', '  svc #0',
    '.ltorg', '  .skip 4096', // literal loads near the end read this
    '.data', '.balign 16', 'inputs:', '  .incbin "inputs.bin"',
    ...(buf ? ['.balign 16', 'bufs:', '  .incbin "bufs.bin"', 'outputs:', `  .skip ${cases.length * VEC_OUT + 16}`]
      : ['.bss', '.balign 16', 'outputs:', `  .skip ${bytes + 16}`]),
  );
  return lines.join('\n') + '\n';
}

/** Runs the ELF under our process mode; returns its stdout. */
export function runOurs(elf: Uint8Array, budget: number): Buffer {
  const out: Buffer[] = [];
  const p = new LinuxProcess(elf, 'p', {}, { output: (_fd, b) => out.push(Buffer.from(b)) });
  const stop = p.run(budget);
  assert.deepEqual(stop, { kind: 'exit', code: 0 }, 'the harness program exits normally under our process mode');
  return Buffer.concat(out);
}

const NAMES = [
  'fpsr', 'fpcr', ...Array.from({ length: 8 }, (_, k) => `x${k}`), ...Array.from({ length: 8 }, (_, k) => `v${k}`), 'nzcv', 'sp',
];

function outValues(b: Buffer, i: number, at: number): bigint[] {
  const o = at + i * VEC_OUT;
  const q = (off: number) => b.readBigUInt64LE(o + off);
  const vals = [q(0), q(8)];
  for (let k = 0; k < 8; k++) vals.push(q(16 + 8 * k));
  for (let k = 0; k < 8; k++) vals.push(q(80 + 16 * k) | (q(88 + 16 * k) << 64n));
  vals.push(q(208), q(216));
  return vals;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/**
 * Builds the cases' program, runs it under QEMU and under our process mode, and records the mismatches;
 * a disagreement that `explained` names (a documented deviation of QEMU from the Arm ARM) is counted in
 * `known` instead.
 */
export function compareVecCases(
  tag: string, cases: readonly VecCase[], bad: Mismatches,
  explained?: (c: VecCase) => string | undefined, known?: Map<string, number>, buf = 0, seed = 1,
): void {
  const files: Record<string, Uint8Array> = { 'inputs.bin': inputBytes(cases) };
  if (buf) {
    const next = rng(seed);
    files['bufs.bin'] = new Uint8Array(cases.length * buf).map(() => next() & 0xff);
  }
  const total = cases.length * (VEC_OUT + buf);
  const { out: ref, elf } = buildAndRunQemu(tag, vecProgram(cases, buf), total, files);
  const ours = runOurs(elf, cases.length * 130 + 1000);
  assert.equal(ours.length, ref.length, 'output size');
  const regsAt = cases.length * buf;
  for (let i = 0; i < cases.length; i++) {
    const a = outValues(ours, i, regsAt);
    const b = outValues(ref, i, regsAt);
    const diffs: string[] = [];
    for (let k = 0; k < NAMES.length; k++) if (a[k] !== b[k]) diffs.push(`${NAMES[k]} ours ${hex(a[k])} qemu ${hex(b[k])}`);
    for (let j = 0; j < buf; j++) {
      if (ours[i * buf + j] !== ref[i * buf + j]) {
        diffs.push(`buffer byte ${j - buf / 2} ours 0x${ours[i * buf + j].toString(16)} qemu 0x${ref[i * buf + j].toString(16)}`);
        break;
      }
    }
    const c = cases[i];
    const why = diffs.length ? explained?.(c) : undefined;
    if (why !== undefined) {
      known?.set(why, (known.get(why) ?? 0) + 1);
      continue;
    }
    const inputs = [BigInt(c.fpcr >>> 0), ...c.v, ...c.x];
    bad.add(c.row, c.word, inputs, diffs);
  }
}

