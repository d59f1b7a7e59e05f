// Whole boots through the command line (dist/cli.js, built by `npm test`): every fixture kernel, built from
// source in the repo, must print what QEMU printed for it (recorded in test/fixtures/kernels/expected.json
// by record-qemu.mjs) and exit with the same status. Semihosting output, which QEMU splits between its
// stdout and stderr, all arrives on our stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Expected {
  elf: string;
  qemuArgs: string[];
  stdin: string | null;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
}

const CLI = 'dist/cli.js';
const expected: Record<string, Expected> = JSON.parse(readFileSync('test/fixtures/kernels/expected.json', 'utf8'));

function boot(args: string[], stdin?: string) {
  return spawnSync(process.execPath, [CLI, 'boot', ...args], { input: stdin ?? '', encoding: 'latin1', timeout: 120_000 });
}

for (const [name, e] of Object.entries(expected)) {
  test(`boot ${name} matches QEMU`, () => {
    const args = [e.elf];
    if (e.qemuArgs.some((a) => a.includes('virtualization=on'))) args.push('--el', '2');
    const smp = e.qemuArgs.indexOf('-smp');
    if (smp >= 0) args.push('--cpus', e.qemuArgs[smp + 1]);
    if (e.timedOut) args.push('--max-insns', '2000000');
    const r = boot(args, e.stdin ?? undefined);
    assert.equal(r.error, undefined);
    if (e.timedOut) {
      assert.equal(r.status, 124, `instruction limit exit status; stderr: ${r.stderr}`);
      assert.match(r.stderr, /instruction limit reached/);
      assert.equal(r.stdout, e.stdout);
      return;
    }
    assert.equal(r.status, e.exitCode, `exit status; stderr: ${r.stderr}`);
    if (e.stderr) {
      // semihosting: every line QEMU printed on either stream is on our stdout
      for (const line of (e.stdout + e.stderr).split('\n').filter(Boolean)) assert.ok(r.stdout.includes(line), `missing '${line}' in ${JSON.stringify(r.stdout)}`);
    } else {
      assert.equal(r.stdout, e.stdout);
    }
  });
}

test('the example kernel boots cleanly: greeting, exit 0, no guest warnings', () => {
  const r = boot(['examples/hello/hello.elf', '--stats']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Hello from A64 Studio!\r\n/);
  assert.doesNotMatch(r.stderr, /guest (error|warning)/);
  assert.match(r.stderr, /\d+ instructions retired in [\d.]+ s: [\d.]+ MIPS/);
});

test('a missing file and a non-AArch64 file are refused with their name and status 126', () => {
  const missing = boot(['no/such/kernel.elf']);
  assert.equal(missing.status, 126);
  assert.match(missing.stderr, /no\/such\/kernel\.elf: no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'a64-cli-'));
  const bad = join(dir, 'x86.elf');
  const elf = Buffer.alloc(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  elf.writeUInt16LE(2, 16); // ET_EXEC
  elf.writeUInt16LE(62, 18); // EM_X86_64
  writeFileSync(bad, elf);
  const r = boot([bad]);
  assert.equal(r.status, 126);
  assert.match(r.stderr, /x86\.elf: not an AArch64 ELF/);
});

test('usage errors exit 2 with the usage text', () => {
  const r = spawnSync(process.execPath, [CLI, 'boot', 'examples/hello/hello.elf', '--el', '3'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--el must be 1 or 2/);
});

test('--cpu picks the model: the example boots on every model; an unknown model is a usage error', () => {
  for (const cpu of ['cortex-a57', 'cortex-a72', 'neoverse-n1', 'max']) {
    const r = boot(['examples/hello/hello.elf', '--cpu', cpu]);
    assert.equal(r.status, 0, `${cpu}: ${r.stderr}`);
    assert.match(r.stdout, /^Hello from A64 Studio!/);
  }
  const bad = boot(['examples/hello/hello.elf', '--cpu', 'pentium']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown --cpu 'pentium' \(available: cortex-a57, cortex-a72, neoverse-n1, max\)/);
});
