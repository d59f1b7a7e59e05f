// Whole boots of the fixture kernels that need the GIC model (test/fixtures/kernels/expected-gic.json,
// recorded from qemu-system-aarch64 -M virt,gic-version=3 by record-qemu.mjs): the same comparison as
// test/cli/boot.test.ts, now that the GICv3 model is in the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

interface Expected {
  elf: string;
  qemuArgs: string[];
  stdout: string;
  exitCode: number | null;
}

const expected: Record<string, Expected> = JSON.parse(readFileSync('test/fixtures/kernels/expected-gic.json', 'utf8'));

for (const [name, e] of Object.entries(expected)) {
  test(`boot ${name} matches QEMU (needs the GIC)`, () => {
    const args = [e.elf];
    if (e.qemuArgs.some((a) => a.includes('virtualization=on'))) args.push('--el', '2');
    const smp = e.qemuArgs.indexOf('-smp');
    if (smp >= 0) args.push('--cpus', e.qemuArgs[smp + 1]);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'boot', ...args], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(r.status, e.exitCode, `exit status; stderr: ${r.stderr}`);
    assert.equal(r.stdout, e.stdout);
  });
}
