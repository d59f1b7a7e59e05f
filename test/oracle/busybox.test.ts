// Debian's static arm64 busybox (busybox-static:arm64: glibc, SIMD memcpy/strlen, FP in awk) under our
// process mode and under qemu-aarch64, over files the test generates in a directory the program sees as its
// working directory: echo, sha256sum, md5sum, gzip -c (byte-identical archives) and gzip -dc back, sort,
// wc and awk give byte-identical output and the same exit status. Needs the arm64 package
// (scripts/arm64-debs.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rng } from '../helpers/rng';

const QEMU = process.env.A64_QEMU_USER ?? 'qemu-aarch64';
let busybox = '';
let dir = '';

before(() => {
  busybox = (JSON.parse(execFileSync(process.execPath, ['scripts/arm64-debs.mjs'], { encoding: 'utf8' })) as { busybox: string }).busybox;
  dir = mkdtempSync(join(tmpdir(), 'a64-busybox-'));
  const next = rng(2026);
  const words = ['alpha', 'beta', 'gamma', 'delta', 'Graviton', 'unikernel', 'ITS', 'MAPTI', 'zeta', '42', '-7', '3.25'];
  const lines = Array.from({ length: 4000 }, () => Array.from({ length: 1 + (next() % 9) }, () => words[next() % words.length]).join(' '));
  writeFileSync(join(dir, 'text.txt'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'bin.dat'), Uint8Array.from({ length: 300_000 }, () => next() & 0xff));
  writeFileSync(join(dir, 'nums.txt'), Array.from({ length: 2000 }, () => String((next() % 100000) - 50000)).join('\n') + '\n');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
});

const env = { LANG: 'C', LC_ALL: 'C' };
function both(args: string[], input?: Buffer) {
  const q = spawnSync(QEMU, [busybox, ...args], { cwd: dir, input, env, maxBuffer: 1 << 26, timeout: 300_000 });
  const a = spawnSync(process.execPath, [resolve('dist/cli.js'), 'run', busybox, ...args], { cwd: dir, input, env, maxBuffer: 1 << 26, timeout: 300_000 });
  return { q, a };
}

const CASES: string[][] = [
  ['echo', 'hello', 'from', 'busybox'],
  ['sha256sum', 'text.txt', 'bin.dat', 'nums.txt'],
  ['md5sum', 'text.txt', 'bin.dat'],
  ['sort', 'text.txt'],
  ['sort', '-n', 'nums.txt'],
  ['wc', 'text.txt', 'bin.dat'],
  ['awk', '{ n += NF; s += length($0) } $1 == "MAPTI" { m++ } END { print NR, n, s, m, s / NR }', 'text.txt'],
  ['awk', '{ t += $1; if ($1 > mx) mx = $1 } END { printf "%d %d %.3f\\n", t, mx, t / NR }', 'nums.txt'],
];

for (const args of CASES) {
  test(`busybox ${args[0]} ${args.slice(1).join(' ').slice(0, 40)}: same output as qemu-aarch64`, () => {
    const { q, a } = both(args);
    assert.equal(q.status, 0, q.stderr.toString());
    assert.equal(a.stderr.toString(), '', 'no unsupported system calls or guest errors');
    assert.ok(Buffer.compare(a.stdout, q.stdout) === 0, `output differs:\nours: ${a.stdout.toString().slice(0, 400)}\nqemu: ${q.stdout.toString().slice(0, 400)}`);
    assert.equal(a.status, q.status);
  });
}

test('busybox gzip -c gives the same archive as under qemu-aarch64, and gzip -dc restores the file', () => {
  const { q, a } = both(['gzip', '-c', 'bin.dat']);
  assert.equal(q.status, 0);
  assert.ok(a.stdout.length > 1000 && Buffer.compare(a.stdout, q.stdout) === 0, 'identical gzip streams');
  const back = both(['gzip', '-dc'], a.stdout);
  assert.equal(back.a.status, 0, back.a.stderr.toString());
  assert.ok(Buffer.compare(back.a.stdout, back.q.stdout) === 0);
  assert.equal(back.a.stdout.length, 300_000);
});
