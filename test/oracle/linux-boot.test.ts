// A real, unmodified kernel nobody here wrote: Debian's arm64 cloud kernel (linux-image-*-cloud-arm64,
// whose vmlinuz is an uncompressed Image) with a busybox initramfs of our own making
// (scripts/make-initramfs.mjs), booted to its shell marker
//   - on `virt` through the arm64 boot protocol (DTB in x0, /chosen initrd and bootargs), PL011 console,
//     and under qemu-system-aarch64 -M virt,gic-version=3,its=on as the oracle: same marker, same kernel;
//   - on `graviton` with the 16550 console (console=ttyS0), found through the device tree.
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

function ours(machine: string, console: string) {
  return spawnSync(process.execPath, ['dist/cli.js', 'boot', image, '--machine', machine, '--memory', '512M', '--initrd', initrd,
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
