// `a64 build-image` and `a64 image ls`: an Ops-style config becomes a GPT disk whose ESP holds the boot
// application and whose data partition holds Program/Files/Dirs/MapDirs/Args/Env, read back with mtools;
// Flavor and RunConfig give the machine shape; bad configs are reported with their key path and leave no
// output file; readImageConfig never throws on mangled input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageConfig, isAarch64Pe, type ImageFs } from '../../src/emu/disk/imageConfig';
import { rng } from '../helpers/rng';

/** The smallest header isAarch64Pe accepts: MZ, e_lfanew, "PE\0\0", machine 0xAA64 (a test stand-in for a loader). */
function fakePe(extra = 1000): Uint8Array {
  const b = new Uint8Array(0x80 + extra);
  b.set([0x4d, 0x5a]);
  b[0x3c] = 0x40;
  b.set([0x50, 0x45, 0, 0, 0x64, 0xaa], 0x40);
  return b;
}

function cli(args: string[]) {
  return spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('build-image: ESP and data partition from an Ops-style config, readable with mtools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-img-'));
  try {
    writeFileSync(join(dir, 'loader.efi'), fakePe());
    writeFileSync(join(dir, 'kernel.img'), new Uint8Array(5000).fill(7));
    writeFileSync(join(dir, 'app'), 'program bytes');
    mkdirSync(join(dir, 'etc', 'ssl'), { recursive: true });
    writeFileSync(join(dir, 'etc', 'hosts'), '127.0.0.1 localhost\n');
    writeFileSync(join(dir, 'etc', 'ssl', 'cert.pem'), 'CERT');
    mkdirSync(join(dir, 'static'));
    writeFileSync(join(dir, 'static', 'index.html'), '<p>hi</p>');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      UefiBoot: 'loader.efi', Kernel: 'kernel.img', Program: 'app', Args: ['app', '-v'], Env: { TZ: 'UTC' },
      Files: ['etc/hosts'], Dirs: ['etc'], MapDirs: { 'static/*': '/var/www' },
      CloudConfig: { Flavor: 't4g.nano' }, A64: { EspFiles: { 'boot/extra.txt': 'etc/hosts' } },
    }));
    const img = join(dir, 'disk.img');
    const r = cli(['build-image', join(dir, 'config.json'), '-o', img]);
    assert.equal(r.status, 1, 'etc/hosts is given twice (Files and Dirs)');
    assert.match(r.stderr, /Dirs\[0\]: 'etc\/hosts' is given twice/);
    assert.equal(existsSync(img), false, 'no image written for a bad config');

    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    delete cfg.Files;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
    const ok = cli(['build-image', join(dir, 'config.json'), '-o', img]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /machine graviton, 2 CPU\(s\), 512 MiB \(t4g\.nano\)/);
    const parts = JSON.parse(execFileSync('sfdisk', ['--json', img], { encoding: 'utf8' })) as { partitiontable: { partitions: { start: number; name: string }[] } };
    const [esp, data] = parts.partitiontable.partitions;
    const mdir = (p: { start: number }) => execFileSync('mdir', ['-i', `${img}@@${p.start * 512}`, '-/', '-b', '::/'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    assert.deepEqual(mdir(esp), ['::/EFI/', '::/EFI/BOOT/', '::/EFI/BOOT/BOOTAA64.EFI', '::/boot/', '::/boot/extra.txt', '::/kernel.img']);
    assert.deepEqual(mdir(data), ['::/a64/', '::/a64/args', '::/a64/env', '::/app', '::/etc/', '::/etc/hosts', '::/etc/ssl/', '::/etc/ssl/cert.pem', '::/var/', '::/var/www/', '::/var/www/index.html']);
    const cat = (p: { start: number }, f: string) => execFileSync('mcopy', ['-i', `${img}@@${p.start * 512}`, `::${f}`, '-'], { encoding: 'utf8' });
    assert.equal(cat(data, '/a64/args'), 'app\n-v\n');
    assert.equal(cat(data, '/a64/env'), 'TZ=UTC\n');
    assert.equal(cat(data, '/var/www/index.html'), '<p>hi</p>');
    const ls = cli(['image', 'ls', img]);
    assert.equal(ls.status, 0, ls.stderr);
    assert.match(ls.stdout, /\/EFI\/BOOT\/BOOTAA64\.EFI {2}1128/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function memFs(files: Record<string, Uint8Array | 'dir'>): ImageFs {
  return {
    readFile: (p) => {
      const f = files[p];
      if (!(f instanceof Uint8Array)) throw new Error(`test fs: ${p} is not a file`);
      return f;
    },
    kind: (p) => (files[p] === 'dir' ? 'dir' : files[p] ? 'file' : undefined),
    list: (d) => Object.keys(files).filter((k) => k.startsWith(`${d}/`) && !k.slice(d.length + 1).includes('/')).map((k) => k.slice(d.length + 1)),
  };
}

test('build-image config: errors name the key path; the kernel boots directly when it is a UEFI application', () => {
  const fs = memFs({ '/w/vmlinuz': fakePe(), '/w/notpe': new Uint8Array(100), '/w/d': 'dir' });
  const bad = readImageConfig(JSON.stringify({
    Kernel: 'notpe', RunConfig: { Memroy: '1G', CPUs: 0 }, Files: ['missing.txt', 'd'], CloudConfig: { Flavor: 't9g.huge' }, Uefi: false, Colour: 1,
  }), '/w/config.json', fs);
  const text = bad.errors.join('\n');
  assert.match(text, /config\.json: Kernel: 'notpe' is not a UEFI application/);
  assert.match(text, /RunConfig\.Memroy: unknown key \(did you mean RunConfig\.Memory\?\)/);
  assert.match(text, /RunConfig\.CPUs: must be an integer from 1 to 64/);
  assert.match(text, /Files\[0\]: no such file 'missing\.txt' \(looked for \/w\/missing\.txt\)/);
  assert.match(text, /Files\[1\]: 'd' is a directory, not a file/);
  assert.match(text, /CloudConfig\.Flavor: unknown instance type 't9g\.huge'/);
  assert.match(text, /Uefi: false asks for a BIOS image/);
  assert.match(text, /Colour: unknown key/);
  assert.equal(bad.disk, undefined);

  const good = readImageConfig(JSON.stringify({ Kernel: 'vmlinuz', Args: ['console=ttyS0', 'initrd=\\initrd.img'], RunConfig: { Memory: '1.5G', CPUs: 4 }, A64: { Machine: 'virt' } }), '/w/config.json', fs);
  assert.deepEqual(good.errors, []);
  assert.equal(good.loadOptions, 'console=ttyS0 initrd=\\initrd.img');
  assert.deepEqual(good.shape, { machine: 'virt', cpus: 4, memoryMiB: 1536 });
  const espFiles = good.disk!.partitions[0];
  assert.ok(espFiles.kind === 'esp' && Object.keys(espFiles.files).join() === 'EFI');
  assert.ok(isAarch64Pe(fakePe()));
  assert.ok(!isAarch64Pe(fakePe().subarray(0, 0x40)));
});

test('build-image config: mangled JSON never throws, always an error or a result', () => {
  const fs = memFs({ '/w/k': fakePe() });
  const base = JSON.stringify({ Kernel: 'k', Args: ['a'], Env: { A: 'b' }, Dirs: [], MapDirs: {}, RunConfig: { Memory: '1G' }, A64: { EspFiles: { x: 'k' } } });
  const next = rng(42);
  for (let i = 0; i < 2000; i++) {
    const chars = [...base];
    for (let k = 0; k < 1 + (next() % 4); k++) chars[next() % chars.length] = String.fromCharCode(32 + (next() % 95));
    const r = readImageConfig(chars.join(''), '/w/config.json', fs);
    assert.ok(r.errors.length > 0 || r.disk !== undefined);
  }
});
