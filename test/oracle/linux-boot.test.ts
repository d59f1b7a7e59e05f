// A real, unmodified kernel nobody here wrote: Debian's arm64 cloud kernel (linux-image-*-cloud-arm64,
// whose vmlinuz is an uncompressed Image) with a busybox initramfs of our own making
// (scripts/make-initramfs.mjs), booted to its shell marker
//   - on `virt` through the arm64 boot protocol (DTB in x0, /chosen initrd and bootargs), PL011 console,
//     and under qemu-system-aarch64 -M virt,gic-version=3,its=on as the oracle: same marker, same kernel;
//   - on `graviton` with the 16550 console (console=ttyS0), found through the device tree.
//   - on `virt` with 4 CPUs: PSCI CPU_ON brings up the secondaries, each finds its redistributor, IPIs (SGIs)
//     and per-CPU timer interrupts (PPIs) are counted in /proc/interrupts.
// /proc/interrupts shows the generic timer and the console UART interrupt through the GICv3. Needs the arm64
// packages (scripts/arm64-debs.mjs: `dpkg --add-architecture arm64 && apt-get update`, as .ci/run does).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARKER = 'A64-SHELL-READY';
let dir = '';
let image = '';
let initrd = '';

before(() => {
  const paths = JSON.parse(execFileSync(process.execPath, ['scripts/arm64-debs.mjs'], { encoding: 'utf8' })) as { busybox: string; image: string };
  image = paths.image;
  dir = mkdtempSync(join(tmpdir(), 'a64-linux-'));
  initrd = join(dir, 'initramfs.cpio');
  execFileSync(process.execPath, ['scripts/make-initramfs.mjs', paths.busybox, '-o', initrd, '--marker', MARKER]);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
});

function ours(machine: string, console: string, cpus = 1) {
  return spawnSync(process.execPath, ['dist/cli.js', 'boot', image, '--machine', machine, '--memory', '512M', '--cpus', String(cpus), '--initrd', initrd,
    '--append', `console=${console}`, '--max-insns', '6000000000', '--quiet-guest-errors'], { encoding: 'latin1', timeout: 1_200_000 });
}

const versionLine = (out: string) => out.split(/\r?\n/).find((l) => l.startsWith('kernel: Linux version'));

test('Debian cloud kernel boots on virt to the initramfs shell, as under QEMU', () => {
  const q = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3,its=on', '-cpu', 'cortex-a57', '-m', '512', '-kernel', image,
    '-initrd', initrd, '-append', 'console=ttyAMA0', '-nographic', '-no-reboot', '-monitor', 'none'], { encoding: 'latin1', timeout: 600_000 });
  assert.match(q.stdout, new RegExp(`^${MARKER}\\r?$`, 'm'), 'QEMU reaches the marker');
  const a = ours('virt', 'ttyAMA0');
  assert.match(a.stdout, new RegExp(`^${MARKER}\\r?$`, 'm'), `we reach the marker; the end of our log:\n${a.stdout.slice(-3000)}\n${a.stderr.slice(-2000)}`);
  assert.equal(versionLine(a.stdout), versionLine(q.stdout));
  assert.match(a.stdout, /GICv3 +27 Level +arch_timer/);
  assert.match(a.stdout, /GICv3 +33 Level +uart-pl011/);
  assert.match(a.stdout, /reboot: Power down/);
  assert.equal(a.status, 0, 'the guest powered off');
});

test('Debian cloud kernel boots on graviton with the 16550 console (device tree) to the shell', () => {
  const a = ours('graviton', 'ttyS0');
  assert.match(a.stdout, /ttyS0 at MMIO 0x9000000 \(irq = \d+, base_baud = 115200\) is a 16550A/);
  assert.match(a.stdout, new RegExp(`^${MARKER}\\r?$`, 'm'), a.stdout.slice(-3000));
  assert.match(a.stdout, /GICv3 +33 Level +ttyS0/);
  assert.equal(a.status, 0);
});

test('Debian cloud kernel brings up 4 CPUs (PSCI CPU_ON, redistributor each, SGIs as IPIs, per-CPU timers) and reaches the shell', () => {
  const a = ours('virt', 'ttyAMA0', 4);
  assert.match(a.stdout, /smp: Brought up 1 node, 4 CPUs/);
  for (const cpu of [1, 2, 3]) assert.match(a.stdout, new RegExp(`GICv3: CPU${cpu}: found redistributor ${cpu} `));
  assert.match(a.stdout, new RegExp(`^${MARKER}\\r?$`, 'm'), a.stdout.slice(-3000));
  const ipi = /IPI1:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+Function call interrupts/.exec(a.stdout);
  assert.ok(ipi && ipi.slice(1).every((n) => Number(n) > 0), 'every CPU took function-call IPIs');
  const timer = /11:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+GICv3 +27 Level +arch_timer/.exec(a.stdout);
  assert.ok(timer && timer.slice(1).every((n) => Number(n) > 0), 'every CPU took timer interrupts');
  assert.equal(a.status, 0);
});
