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
}

/** Bytes of a case's inputs: x0..x7, V0..V7, FPCR, NZCV. */
export const VEC_IN = 64 + 128 + 16;
/** Bytes of a case's outputs: x0..x7, V0..V7, FPSR, FPCR, NZCV, a pad. */
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
  });
  return b;
}

/** The program: x20 walks the inputs, x21 the outputs; CASE runs one block. */
export function vecProgram(cases: readonly VecCase[]): string {
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
    '.macro CASE w',
    ...load,
    '  ldp x8, x9, [x20], #16', '  msr fpcr, x8', '  msr nzcv, x9', '  msr fpsr, xzr',
    '  .inst \\w',
    '  mrs x8, fpsr', '  mrs x9, fpcr', '  mrs x12, nzcv',
    '  stp x8, x9, [x21], #16',
    ...store,
    '  stp x12, xzr, [x21], #16',
    '.endm',
    '.text', '.global _start', '_start:',
    '  adrp x20, inputs', '  add x20, x20, :lo12:inputs',
    '  adrp x21, outputs', '  add x21, x21, :lo12:outputs',
  ];
  for (const c of cases) lines.push(`  CASE 0x${c.word.toString(16).padStart(8, '0')}`);
  const bytes = cases.length * VEC_OUT;
  lines.push(
    '  mov x0, #1', '  adrp x1, outputs', '  add x1, x1, :lo12:outputs', `  ldr x2, =${bytes}`,
    '1: mov x8, #64', '  svc #0', '  cmp x0, #0', '  b.le 2f', '  add x1, x1, x0', '  subs x2, x2, x0', '  mov x0, #1', '  b.ne 1b',
    '2: mov x0, #0', '  mov x8, #93', '  svc #0',
    '.ltorg', '.data', '.balign 16', 'inputs:', '  .incbin "inputs.bin"', '.bss', '.balign 16', 'outputs:', `  .skip ${bytes + 16}`,
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
  'fpsr', 'fpcr', ...Array.from({ length: 8 }, (_, k) => `x${k}`), ...Array.from({ length: 8 }, (_, k) => `v${k}`), 'nzcv',
];

function outValues(b: Buffer, i: number): bigint[] {
  const o = i * VEC_OUT;
  const q = (off: number) => b.readBigUInt64LE(o + off);
  const vals = [q(0), q(8)];
  for (let k = 0; k < 8; k++) vals.push(q(16 + 8 * k));
  for (let k = 0; k < 8; k++) vals.push(q(80 + 16 * k) | (q(88 + 16 * k) << 64n));
  vals.push(q(208));
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
  explained?: (c: VecCase) => string | undefined, known?: Map<string, number>,
): void {
  const { out: ref, elf } = buildAndRunQemu(tag, vecProgram(cases), cases.length * VEC_OUT, { 'inputs.bin': inputBytes(cases) });
  const ours = runOurs(elf, cases.length * 120 + 1000);
  assert.equal(ours.length, ref.length, 'output size');
  for (let i = 0; i < cases.length; i++) {
    const a = outValues(ours, i);
    const b = outValues(ref, i);
    const diffs: string[] = [];
    for (let k = 0; k < NAMES.length; k++) if (a[k] !== b[k]) diffs.push(`${NAMES[k]} ours ${hex(a[k])} qemu ${hex(b[k])}`);
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

