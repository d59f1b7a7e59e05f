// The process mode against qemu-aarch64 (Debian's qemu-user): every program in test/fixtures/programs/
// (except `unsupported`, whose pipe2 QEMU implements) runs under both with the same argv, environment and
// stdin; stdout and the exit status must agree. The environment is cleared for both, so QEMU's own
// variables do not reach the program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

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
