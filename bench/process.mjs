#!/usr/bin/env node
// Benchmark of the interpreter on the issue's workload: test/fixtures/programs/bench.elf (integer C:
// arithmetic, loads/stores, branches, CRC, sorts, hash, sieve; -O2 -fno-tree-vectorize -mgeneral-regs-only,
// static; `npm run bench` also runs bench_simd.elf, the same source built -O3 so GCC vectorises it) under
// qemu-aarch64 and under our Linux process mode (`a64 run`), in one run. Checks that the
// checksums agree and prints guest instructions, MIPS for each and the ratio. Figures only, no assertions.
// Usage: node bench/process.mjs [PROGRAM.elf] [--runs N]
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 3;
const program = args[0] ?? 'test/fixtures/programs/bench.elf';

function timed(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', input: '', timeout: 900_000 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { secs, stdout: r.stdout, stderr: r.stderr };
}

let insns = 0;
let ours = { secs: Infinity, stdout: '' };
let emuSecs = Infinity;
for (let i = 0; i < runs; i++) {
  const r = timed(process.execPath, ['dist/cli.js', 'run', '--stats', program]);
  const m = /(\d+) instructions retired in ([\d.]+) s/.exec(r.stderr);
  insns = Number(m[1]);
  emuSecs = Math.min(emuSecs, Number(m[2]));
  if (r.secs < ours.secs) ours = r;
}
let qemu = { secs: Infinity, stdout: '' };
for (let i = 0; i < runs; i++) {
  const r = timed('qemu-aarch64', [program]);
  if (r.secs < qemu.secs) qemu = r;
}
const ok = ours.stdout === qemu.stdout;
console.log(`program: ${program} (best of ${runs})`);
console.log(`checksums agree: ${ok ? 'yes' : `NO\n  ours: ${ours.stdout}\n  qemu: ${qemu.stdout}`}`);
console.log(`guest instructions: ${insns}`);
console.log(`a64 process mode: ${(insns / emuSecs / 1e6).toFixed(1)} MIPS (emulation only, ${emuSecs.toFixed(3)} s); ${ours.secs.toFixed(3)} s wall with Node start-up`);
console.log(`qemu-aarch64:     ${(insns / qemu.secs / 1e6).toFixed(1)} MIPS (${qemu.secs.toFixed(3)} s wall, start-up included)`);
console.log(`ratio qemu/a64 speed: ${((insns / qemu.secs) / (insns / emuSecs)).toFixed(1)}x`);
if (!ok) process.exitCode = 1;
