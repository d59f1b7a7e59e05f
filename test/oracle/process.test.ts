// The process mode against qemu-aarch64 (Debian's qemu-user): every program in test/fixtures/programs/
// (except `unsupported`, whose pipe2 QEMU implements) runs under both with the same argv, environment and
// stdin; stdout and the exit status must agree. The environment is cleared for both, so QEMU's own
// variables do not reach the program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const QEMU = process.env.A64_QEMU_USER ?? 'qemu-aarch64';
const P = 'test/fixtures/programs';

const CASES: { name: string; args: string[]; input?: string }[] = [
  { name: 'hello', args: [] },
  { name: 'args', args: ['alpha', 'beta gamma', '', '--flag'] },
  { name: 'exitcode', args: ['0'] },
  { name: 'exitcode', args: ['77'] },
  { name: 'exitcode', args: ['255'] },
  { name: 'memory', args: [] },
  { name: 'clock', args: [] },
  { name: 'cat', args: [], input: 'The quick brown fox\njumps over the lazy dog\n'.repeat(40) },
  { name: 'auxv', args: [] },
  { name: 'bench_simd', args: [] }, // -O3, vectorised by GCC: Advanced SIMD in the loops, same checksum
];

test('qemu-aarch64 is installed', () => {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  assert.equal(r.error, undefined, `${QEMU} not found: apt-get install -y qemu-user`);
});

for (const c of CASES) {
  test(`${c.name} ${c.args.join(' ')}: same stdout and exit status as qemu-aarch64`, () => {
    const elf = `${P}/${c.name}.elf`;
    const env = { A64_ORACLE: 'yes' };
    const q = spawnSync(QEMU, [elf, ...c.args], { input: c.input ?? '', encoding: 'latin1', env, timeout: 60_000 });
    const a = spawnSync(process.execPath, ['dist/cli.js', 'run', elf, ...c.args], { input: c.input ?? '', encoding: 'latin1', env, timeout: 60_000 });
    assert.equal(q.error, undefined);
    assert.equal(a.stdout, q.stdout);
    assert.equal(a.status, q.status, `a64 stderr: ${a.stderr}`);
    assert.equal(a.stderr, q.stderr);
  });
}

test('files: the file system calls give what qemu-aarch64 gives on a directory of files, links and subdirectories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-files-'));
  try {
    mkdirSync(join(dir, 'd', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'd', 'empty'));
    writeFileSync(join(dir, 'd', 'a.txt'), 'The quick brown fox jumps over the lazy dog, again and again.\n');
    writeFileSync(join(dir, 'd', 'sub', 'b.txt'), 'bee\n');
    symlinkSync('a.txt', join(dir, 'd', 'link'));
    const elf = resolve(`${P}/files.elf`);
    const env = { A64_ORACLE: 'yes' };
    const q = spawnSync(QEMU, [elf, 'd'], { cwd: dir, encoding: 'latin1', env, timeout: 60_000 });
    const a = spawnSync(process.execPath, [resolve('dist/cli.js'), 'run', elf, 'd'], { cwd: dir, encoding: 'latin1', env, timeout: 60_000 });
    assert.equal(q.status, 0, q.stderr);
    assert.equal(a.stdout, q.stdout);
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /entry 10 link\nthrough dirfd: bee/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
