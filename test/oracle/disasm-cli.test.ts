// `a64 disasm` against GNU objdump -d on every ELF built from source in the repo: identical text,
// whitespace aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { normalize, OBJDUMP, requireObjdump } from '../helpers/objdump';

const elfs = ['examples/hello/hello.elf', ...readdirSync('test/fixtures/kernels').filter((f) => f.endsWith('.elf')).map((f) => `test/fixtures/kernels/${f}`)];

for (const elf of elfs) {
  test(`disasm ${elf} equals objdump -d`, () => {
    requireObjdump();
    const ours = spawnSync(process.execPath, ['dist/cli.js', 'disasm', elf], { encoding: 'utf8' });
    assert.equal(ours.status, 0, ours.stderr);
    const theirs = spawnSync(OBJDUMP, ['-d', elf], { encoding: 'utf8' });
    const a = ours.stdout.split('\n').map(normalize).filter(Boolean);
    const b = theirs.stdout.split('\n').map(normalize).filter(Boolean);
    const diffs: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) diffs.push(`line ${i}: ours '${a[i]}' objdump '${b[i]}'`);
    assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differing lines`);
  });
}
