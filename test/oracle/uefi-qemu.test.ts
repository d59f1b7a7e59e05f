// The Graviton boot path end to end with QEMU's own UEFI firmware as the oracle (Debian's
// qemu-efi-aarch64, EDK2): our image builder makes a GPT disk from examples/uefi-loader/config.json, EDK2
// boots its EFI/BOOT/BOOTAA64.EFI (our example loader: console, SimpleFileSystem, ACPI RSDP, memory map,
// ExitBootServices, DIR64 relocations), and the ACPI-only kernel finds its console through SPCR and powers
// off through PSCI. Then the same disk through `a64 boot` and our built-in firmware (firmware/uefi) with our
// ACPI tables: the loader's lines must be identical, and the kernel must find the same console through
// our SPCR and power off the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIRMWARE = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd';

const LOADER_LINES = [
  'loader: A64 Studio example UEFI loader',
  'loader: step console',
  'loader: step file',
  'loader: read \\kernel.bin, 0x0000000000000488 bytes',
  'loader: step ACPI',
  'loader: ACPI RSDP found, signature RSD PTR ',
  'loader: step memory map',
  'loader: memory map has conventional memory',
  'loader: step exit boot services',
];

const bootLines = (out: string) => out.split(/\r?\n/).filter((l) => /^(loader|kernel): /.test(l));

function buildDisk(dir: string): string {
  const img = join(dir, 'disk.img');
  execFileSync(process.execPath, ['dist/cli.js', 'build-image', 'examples/uefi-loader/config.json', '-o', img, '--quiet']);
  return img;
}

test('EDK2 boots a disk made by a64 build-image: loader and ACPI-only kernel run to power off', () => {
  assert.ok(existsSync(FIRMWARE), `${FIRMWARE} missing: apt-get install -y qemu-efi-aarch64`);
  const dir = mkdtempSync(join(tmpdir(), 'a64-uefi-'));
  try {
    const img = buildDisk(dir);
    const r = spawnSync('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '512', '-bios', FIRMWARE,
      '-drive', `if=virtio,format=raw,file=${img}`, '-nographic', '-no-reboot', '-monitor', 'none'], { encoding: 'latin1', timeout: 180_000 });
    assert.equal(r.error, undefined);
    assert.deepEqual(bootLines(r.stdout), [
      ...LOADER_LINES,
      'kernel: console from SPCR: interface type 0x03 at 0x09000000',
      'kernel: RSDP OEM BOCHS , XSDT tables: FACP APIC PPTT GTDT MCFG SPCR DBG2 IORT',
      'kernel: PSCI SYSTEM_OFF via HVC',
    ]);
    assert.equal(r.status, 0, 'QEMU exits when the kernel powers off');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('our UEFI firmware boots the same disk: same loader lines, console found through our SPCR, power off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-uefi-'));
  try {
    const img = buildDisk(dir);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'boot', img, '--max-insns', '50000000'], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(r.stderr, '', 'no guest errors or warnings (the firmware left the UART enabled)');
    assert.deepEqual(bootLines(r.stdout), [
      ...LOADER_LINES,
      'kernel: console from SPCR: interface type 0x03 at 0x09000000, 32-bit registers',
      'kernel: RSDP OEM A64STU, XSDT tables: FACP APIC GTDT SPCR DBG2 PPTT',
      'kernel: PSCI SYSTEM_OFF via HVC',
    ]);
    assert.equal(r.status, 0, 'the guest powered off');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('graviton: the same disk finds the 16550 (byte-spaced, as an instance\'s SPCR says) and prints through it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-uefi-g-'));
  try {
    const img = buildDisk(dir);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'boot', img, '--machine', 'graviton', '--max-insns', '50000000'], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(r.stderr, '');
    assert.deepEqual(bootLines(r.stdout), [
      ...LOADER_LINES,
      'kernel: console from SPCR: interface type 0x12 at 0x09000000',
      'kernel: RSDP OEM A64STU, XSDT tables: FACP APIC GTDT SPCR DBG2 PPTT',
      'kernel: PSCI SYSTEM_OFF via HVC',
    ]);
    assert.equal(r.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a64 boot: bad disks are refused with the file and the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-uefi-bad-'));
  try {
    const cfg = join(dir, 'config.json');
    writeFileSync(join(dir, 'k.efi'), readFileSync('examples/uefi-loader/BOOTAA64.EFI'));
    writeFileSync(cfg, JSON.stringify({ UefiBoot: 'k.efi' }));
    const img = join(dir, 'disk.img');
    execFileSync(process.execPath, ['dist/cli.js', 'build-image', cfg, '-o', img, '--quiet']);
    const disk = readFileSync(img);
    // corrupt the boot application's PE signature on the ESP: find 'PE\0\0' after an 'MZ'
    const mz = disk.indexOf(Buffer.from('MZ'), 1 << 20);
    const pe = mz + disk.readUInt32LE(mz + 0x3c);
    disk.writeUInt16LE(0x8664, pe + 4);
    writeFileSync(img, disk);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'boot', img], { encoding: 'latin1', timeout: 60_000 });
    assert.equal(r.status, 126);
    assert.match(r.stderr, /disk\.img:\\EFI\\BOOT\\BOOTAA64\.EFI: machine type 0x8664 is not AArch64/);
    const plain = join(dir, 'plain.bin');
    writeFileSync(plain, new Uint8Array(4096));
    const r2 = spawnSync(process.execPath, ['dist/cli.js', 'boot', plain, '--firmware', 'uefi'], { encoding: 'latin1', timeout: 60_000 });
    assert.equal(r2.status, 126);
    assert.match(r2.stderr, /plain\.bin: --firmware uefi needs a GPT disk image/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
