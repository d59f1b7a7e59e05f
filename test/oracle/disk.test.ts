// Disk images against the tools people would check them with (Debian's fdisk, mtools and dosfstools):
// sfdisk reads our GPT (partitions, types, GUIDs, names), fsck.fat finds nothing wrong with our FAT32
// volumes, mtools lists and extracts every file with its long name and exact contents; in the other
// direction our reader reads a volume made by mkfs.fat and filled by mcopy. Images are reproducible, and
// corrupted ones give errors that say what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDisk, inspectDisk, openEsp } from '../../src/emu/disk/diskImage';
import { Fat32Reader } from '../../src/emu/disk/fat32Reader';
import { ESP_TYPE } from '../../src/emu/disk/guid';
import type { FatTree } from '../../src/emu/disk/fatNames';
import { rng } from '../helpers/rng';

function bytes(seed: number, n: number): Uint8Array {
  const next = rng(seed);
  return Uint8Array.from({ length: n }, () => next() & 0xff);
}

function tree(): FatTree {
  const many: FatTree = {};
  for (let i = 0; i < 40; i++) many[`module-number-${i}-with-a-long-name.ko`] = bytes(100 + i, 37 * i);
  return {
    EFI: { BOOT: { 'BOOTAA64.EFI': bytes(1, 300_000) } },
    'kernel-6.1.0-cloud-arm64.img': bytes(2, 1_234_567),
    'README.TXT': new TextEncoder().encode('hello from the ESP\n'),
    'lower.txt': bytes(3, 513),
    'empty': new Uint8Array(0),
    'a b c.data.tar.gz': bytes(4, 4096),
    modules: many,
  };
}

const need = (tool: string, pkg: string) => {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  assert.equal(r.status, 0, `${tool} not found: apt-get install -y ${pkg}`);
};

test('disk image: sfdisk reads the GPT; fsck.fat and mtools accept the FAT32 volumes; every file round-trips', () => {
  need('sfdisk', 'fdisk');
  need('mcopy', 'mtools');
  need('fsck.fat', 'dosfstools');
  const files = tree();
  const disk = buildDisk({ id: 'test', partitions: [{ kind: 'esp', files }, { kind: 'fat32', name: 'data', label: 'DATA', files: { 'x.bin': bytes(9, 70_000) } }, { kind: 'raw', name: 'tfs', data: bytes(10, 5000) }] });
  const dir = mkdtempSync(join(tmpdir(), 'a64-disk-'));
  try {
    const img = join(dir, 'disk.img');
    writeFileSync(img, disk);
    const sf = JSON.parse(execFileSync('sfdisk', ['--json', img], { encoding: 'utf8' })) as { partitiontable: { label: string; partitions: { start: number; size: number; type: string; uuid: string; name: string }[] } };
    assert.equal(sf.partitiontable.label, 'gpt');
    const ours = inspectDisk(disk, 'disk.img');
    assert.deepEqual(ours.errors, []);
    assert.deepEqual(
      sf.partitiontable.partitions.map((p) => [p.start, p.size, p.type, p.uuid, p.name]),
      ours.partitions.map((p) => [p.firstLba, p.lastLba - p.firstLba + 1, p.type, p.guid, p.name]),
    );
    assert.equal(ours.partitions[0].type, ESP_TYPE);
    const v = spawnSync('sfdisk', ['--verify', img], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);

    for (const p of ours.partitions.slice(0, 2)) {
      const part = join(dir, `p${p.index}.img`);
      writeFileSync(part, disk.subarray(p.firstLba * 512, (p.lastLba + 1) * 512));
      const f = spawnSync('fsck.fat', ['-n', '-v', part], { encoding: 'utf8' });
      assert.equal(f.status, 0, `fsck.fat partition ${p.index}:\n${f.stdout}${f.stderr}`);
      assert.doesNotMatch(f.stdout, /differ|invalid|bad|error|Free cluster summary wrong/i, f.stdout);
    }

    const offset = `${img}@@${ours.partitions[0].firstLba * 512}`;
    const listing = execFileSync('mdir', ['-i', offset, '-/', '-b', '::/'], { encoding: 'utf8' });
    const walked = ours.partitions[0].files!.filter((f) => !f.entry.dir).map((f) => `::${f.path}`).sort();
    const mlisted = listing.split('\n').filter((l) => l && !l.endsWith('/')).sort();
    assert.deepEqual(mlisted, walked, 'mdir sees the same files, long names included');
    const check = (path: string, want: Uint8Array) => {
      const got = execFileSync('mcopy', ['-i', offset, `::${path}`, '-'], { maxBuffer: 1 << 26 });
      assert.ok(Buffer.compare(got, Buffer.from(want)) === 0, `mcopy ${path}`);
    };
    check('/EFI/BOOT/BOOTAA64.EFI', (((files.EFI as FatTree).BOOT as FatTree)['BOOTAA64.EFI']) as Uint8Array);
    check('/kernel-6.1.0-cloud-arm64.img', files['kernel-6.1.0-cloud-arm64.img'] as Uint8Array);
    check('/a b c.data.tar.gz', files['a b c.data.tar.gz'] as Uint8Array);
    check('/modules/module-number-39-with-a-long-name.ko', (files.modules as FatTree)['module-number-39-with-a-long-name.ko'] as Uint8Array);
    const esp = openEsp(disk, 'disk.img');
    assert.ok(typeof esp !== 'string', String(esp));
    assert.deepEqual(esp.readFile('efi/boot/bootaa64.efi'), (((files.EFI as FatTree).BOOT as FatTree)['BOOTAA64.EFI']));
    assert.equal(esp.info.label, 'ESP');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('disk image: our reader reads a FAT32 volume made by mkfs.fat and filled by mcopy', () => {
  need('mkfs.fat', 'dosfstools');
  need('mcopy', 'mtools');
  const dir = mkdtempSync(join(tmpdir(), 'a64-mkfs-'));
  try {
    const vol = join(dir, 'vol.img');
    execFileSync('mkfs.fat', ['-F', '32', '-C', '-n', 'MKFS', vol, String(40 * 1024)], { stdio: 'ignore' });
    const src = join(dir, 'src');
    mkdirSync(join(src, 'EFI', 'BOOT'), { recursive: true });
    const a = bytes(20, 123_456);
    const b = bytes(21, 10);
    writeFileSync(join(src, 'EFI', 'BOOT', 'BOOTAA64.EFI'), a);
    writeFileSync(join(src, 'A Long File Name.txt'), b);
    execFileSync('mcopy', ['-s', '-i', vol, join(src, 'EFI'), join(src, 'A Long File Name.txt'), '::/']);
    const r = new Fat32Reader(readFileSync(vol), 'vol.img');
    assert.equal(r.info.label, 'MKFS');
    assert.deepEqual(r.readFile('/EFI/BOOT/BOOTAA64.EFI'), new Uint8Array(a));
    assert.deepEqual(r.readFile('/a long file name.TXT'), new Uint8Array(b));
    assert.deepEqual(r.walk().map((x) => x.path).sort(), ['/A Long File Name.txt', '/EFI', '/EFI/BOOT', '/EFI/BOOT/BOOTAA64.EFI']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('disk image: the same inputs give the same bytes', () => {
  const spec = { id: 'repro', partitions: [{ kind: 'esp' as const, files: tree() }] };
  assert.ok(Buffer.compare(Buffer.from(buildDisk(spec)), Buffer.from(buildDisk(spec))) === 0);
});

test('disk image: corrupted images give errors naming the image and the problem', () => {
  const disk = buildDisk({ id: 'bad', partitions: [{ kind: 'esp', files: { 'A.TXT': bytes(5, 10) } }] });
  const c1 = Uint8Array.from(disk);
  c1[1024] ^= 1; // a byte of the primary entry array
  const r1 = inspectDisk(c1, 'c1.img');
  assert.ok(r1.errors.some((e) => /c1\.img: primary GPT header at LBA 1: partition entry array CRC32 does not match/.test(e)), r1.errors.join('\n'));
  assert.equal(r1.partitions.length, 1, 'the backup header still gives the partitions');
  assert.match(inspectDisk(new Uint8Array(4096), 'tiny.img').errors[0], /tiny\.img: .*too small/);
  const c2 = Uint8Array.from(disk);
  const esp = inspectDisk(disk, 'x').partitions[0];
  const fatStart = esp.firstLba * 512 + 32 * 512;
  new DataView(c2.buffer).setUint32(fatStart + 4 * 3, 3, true); // cluster 3 points at itself
  const r2 = openEsp(c2, 'c2.img');
  assert.ok(typeof r2 !== 'string');
  assert.throws(() => r2.readFile('A.TXT'), /c2\.img ESP: cluster chain from 3 loops at cluster 3/);
  assert.match(String(openEsp(new Uint8Array(1 << 20), 'zero.img')), /zero\.img: no EFI System Partition/);
});
