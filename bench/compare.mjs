#!/usr/bin/env node
// Benchmark: the same kernel on our emulator and on QEMU (qemu-system-aarch64, TCG), side by side.
// Prints instructions retired, wall times, our MIPS, and the ratio of wall times (ours / QEMU). QEMU's
// start-up cost is measured with an empty kernel and shown separately. Figures only, no assertions: the
// machines are shared and noisy. Usage: node bench/compare.mjs [KERNEL.elf] [--runs N]
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const kernel = args[0] ?? 'test/fixtures/kernels/bench.elf';
const empty = 'test/fixtures/kernels/asm_only.elf';
const qemuArgs = (k) => ['-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-kernel', k];

function time(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', input: '', timeout: 600_000 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { secs, stdout: r.stdout, stderr: r.stderr };
}

const best = (f) => Math.min(...Array.from({ length: runs }, f));
let insns = 0;
let ourOut = '';
const ours = best(() => {
  const r = time(process.execPath, ['dist/cli.js', 'boot', kernel, '--stats']);
  insns = Number(/(\d+) instructions retired/.exec(r.stderr)[1]);
  ourOut = r.stdout;
  return r.secs;
});
let qemuOut = '';
const qemu = best(() => {
  const r = time('qemu-system-aarch64', qemuArgs(kernel));
  qemuOut = r.stdout;
  return r.secs;
});
const qemuStart = best(() => time('qemu-system-aarch64', qemuArgs(empty)).secs);

console.log(`kernel: ${kernel} (best of ${runs})`);
console.log(`output identical: ${ourOut === qemuOut ? 'yes' : `NO\n ours: ${JSON.stringify(ourOut)}\n qemu: ${JSON.stringify(qemuOut)}`}`);
console.log(`instructions retired (ours): ${insns}`);
console.log(`a64 Studio: ${ours.toFixed(3)} s wall, ${(insns / ours / 1e6).toFixed(1)} MIPS (including Node start-up)`);
console.log(`QEMU TCG:   ${qemu.toFixed(3)} s wall (start-up alone ${qemuStart.toFixed(3)} s), ~${(insns / Math.max(qemu - qemuStart, 1e-3) / 1e6).toFixed(0)} MIPS net`);
console.log(`ratio ours/QEMU wall time: ${(ours / qemu).toFixed(1)}x; net of start-up: ${((ours) / Math.max(qemu - qemuStart, 1e-3)).toFixed(1)}x`);
