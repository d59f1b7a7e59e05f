// The PCI test kernels (test/fixtures/kernels/pci/, built from source) booted through the command line with
// the disk attached as QEMU attached it (`--disk disk.img`, NVMe; `--disk-if virtio`, virtio-blk-pci) must
// print exactly what QEMU printed for them (pci/expected.json, recorded by record-qemu.mjs;
// test/oracle/qemu-pci-kernels.test.ts reruns QEMU live). The kernels write to the disk: the image file
// must be unchanged afterwards (copy-on-write), and nothing may be reported as a guest error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Expected {
  elf: string;
  ourArgs: string[];
  stdout: string;
  exitCode: number | null;
}

const expected: Record<string, Expected> = JSON.parse(readFileSync('test/fixtures/kernels/pci/expected.json', 'utf8'));
const DISK = 'test/fixtures/kernels/pci/disk.img';

for (const [name, e] of Object.entries(expected)) {
  test(`boot ${name} ${e.ourArgs.join(' ')} matches QEMU`, () => {
    const before = readFileSync(DISK);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'boot', e.elf, ...e.ourArgs], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(r.error, undefined);
    assert.equal(r.status, e.exitCode, `exit status; stderr: ${r.stderr}`);
    assert.equal(r.stdout, e.stdout);
    assert.doesNotMatch(r.stderr, /guest error/);
    assert.ok(readFileSync(DISK).equals(before), 'the disk image file changed');
  });
}

test('boot --disk-if with a bad value, and a missing --disk file, are clear errors', () => {
  const elf = expected.pci_nvme!.elf;
  const bad = spawnSync(process.execPath, ['dist/cli.js', 'boot', elf, '--disk', DISK, '--disk-if', 'scsi'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--disk-if must be nvme or virtio/);
  const missing = spawnSync(process.execPath, ['dist/cli.js', 'boot', elf, '--disk', 'no/such.img'], { encoding: 'utf8' });
  assert.equal(missing.status, 126);
  assert.match(missing.stderr, /no\/such\.img: no such file/);
});

test('--disk-writeback saves the sectors the guest wrote (pci_nvme writes LBA 3) and nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-wb-'));
  try {
    const copy = join(dir, 'disk.img');
    copyFileSync(DISK, copy);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'boot', expected.pci_nvme!.elf, '--disk', copy, '--disk-writeback'], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /disk\.img: wrote 1 sector the guest changed/);
    const before = readFileSync(DISK);
    const after = readFileSync(copy);
    assert.equal(after.length, before.length);
    const changed = [...Array(before.length / 512).keys()].filter((s) => !after.subarray(s * 512, s * 512 + 512).equals(before.subarray(s * 512, s * 512 + 512)));
    assert.deepEqual(changed, [3]);
    assert.deepEqual([...after.subarray(3 * 512, 3 * 512 + 4)], [1, 4, 7, 10], 'the kernel writes (i * 3 + 1) & 0xff');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
