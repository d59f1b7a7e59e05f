#!/usr/bin/env node
// Benchmark: Debian's arm64 cloud kernel with a busybox initramfs (scripts/make-initramfs.mjs) booted to its
// shell marker and powered off, on our `virt` and under qemu-system-aarch64 -M virt,gic-version=3,its=on
// (TCG), same kernel, same initramfs, same command line. Prints guest instructions (ours), wall time for each
// and the ratio. Figures only (shared, noisy machines). Needs `npm run build`, qemu-system-arm and the arm64
// packages (scripts/arm64-debs.mjs). Usage: node bench/linux-boot.mjs [--machine virt|graviton]
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianArm64 } from '../scripts/arm64-debs.mjs';

const args = process.argv.slice(2);
const machine = args.includes('--machine') ? args[args.indexOf('--machine') + 1] : 'virt';
const tty = machine === 'graviton' ? 'ttyS0' : 'ttyAMA0';
const { busybox, image } = debianArm64();
const dir = mkdtempSync(join(tmpdir(), 'a64-bench-linux-'));
const initrd = join(dir, 'initramfs.cpio');
execFileSync(process.execPath, ['scripts/make-initramfs.mjs', busybox, '-o', initrd], { stdio: 'ignore' });

const time = (cmd, argv) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'latin1', timeout: 1_800_000 });
  return { r, s: Number(process.hrtime.bigint() - t0) / 1e9 };
};
const q = time('qemu-system-aarch64', ['-M', 'virt,gic-version=3,its=on', '-cpu', 'cortex-a57', '-m', '512', '-kernel', image,
  '-initrd', initrd, '-append', 'console=ttyAMA0', '-nographic', '-no-reboot', '-monitor', 'none']);
const a = time(process.execPath, ['dist/cli.js', 'boot', image, '--machine', machine, '--memory', '512M', '--initrd', initrd,
  '--append', `console=${tty}`, '--quiet-guest-errors', '--stats']);
rmSync(dir, { recursive: true, force: true });
const ok = (r) => /A64-SHELL-READY/.test(r.stdout);
const insns = /(\d+) instructions retired/.exec(a.r.stderr)?.[1];
console.log(`kernel: ${image}`);
console.log(`marker reached: ours ${ok(a.r) ? 'yes' : 'NO'}, QEMU ${ok(q.r) ? 'yes' : 'NO'}`);
console.log(`a64 Studio (${machine}): ${a.s.toFixed(1)} s wall, ${insns ?? '?'} guest instructions to power off${insns ? `, ${(Number(insns) / a.s / 1e6).toFixed(1)} MIPS` : ''}`);
console.log(`QEMU TCG (virt):   ${q.s.toFixed(1)} s wall`);
console.log(`ratio ours/QEMU wall time: ${(a.s / q.s).toFixed(1)}x`);
