// The Graviton boot path end to end with QEMU's own UEFI firmware as the oracle (Debian's
// qemu-efi-aarch64, EDK2): our image builder makes a GPT disk from examples/uefi-loader/config.json, EDK2
// boots its EFI/BOOT/BOOTAA64.EFI (our example loader: console, SimpleFileSystem, ACPI RSDP, memory map,
// ExitBootServices, DIR64 relocations), and the ACPI-only kernel finds its console through SPCR and powers
// off through PSCI. Our built-in firmware must later give the same loader and kernel lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIRMWARE = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd';

test('EDK2 boots a disk made by a64 build-image: loader and ACPI-only kernel run to power off', () => {
  assert.ok(existsSync(FIRMWARE), `${FIRMWARE} missing: apt-get install -y qemu-efi-aarch64`);
  const dir = mkdtempSync(join(tmpdir(), 'a64-uefi-'));
  try {
    const img = join(dir, 'disk.img');
    execFileSync(process.execPath, ['dist/cli.js', 'build-image', 'examples/uefi-loader/config.json', '-o', img, '--quiet']);
    const r = spawnSync('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '512', '-bios', FIRMWARE,
      '-drive', `if=virtio,format=raw,file=${img}`, '-nographic', '-no-reboot', '-monitor', 'none'], { encoding: 'latin1', timeout: 180_000 });
    assert.equal(r.error, undefined);
    const lines = r.stdout.split(/\r?\n/).filter((l) => /^(loader|kernel): /.test(l));
    assert.deepEqual(lines, [
      'loader: A64 Studio example UEFI loader',
      'loader: step console',
      'loader: step file',
      'loader: read \\kernel.bin, 0x0000000000000488 bytes',
      'loader: step ACPI',
      'loader: ACPI RSDP found, signature RSD PTR ',
      'loader: step memory map',
      'loader: memory map has conventional memory',
      'loader: step exit boot services',
      'kernel: console from SPCR: interface type 0x03 at 0x09000000',
      'kernel: RSDP OEM BOCHS , XSDT tables: FACP APIC PPTT GTDT MCFG SPCR DBG2 IORT',
      'kernel: PSCI SYSTEM_OFF via HVC',
    ]);
    assert.equal(r.status, 0, 'QEMU exits when the kernel powers off');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
