// `a64 run` (the Linux process mode) through the command line, on the freestanding test programs in
// test/fixtures/programs/: output, argv/envp, exit status, stdin, brk/mmap, clocks, the auxiliary vector,
// the report of unsupported system calls, and a program killed by a fault. Also the process mode's API
// directly (deterministic AT_RANDOM, HWCAP from the features, the memory layout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LinuxProcess, hwcapFor } from '../../src/emu';

const CLI = 'dist/cli.js';
const P = 'test/fixtures/programs';

function run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  return spawnSync(process.execPath, [CLI, 'run', ...args], { input: opts.input ?? '', encoding: 'latin1', timeout: 60_000, env: opts.env ?? {} });
}

test('hello world through write(2)', () => {
  const r = run([`${P}/hello.elf`]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'Hello from a static AArch64 Linux program!\n');
  assert.equal(r.status, 0);
});

test('argv and envp reach the program', () => {
  const r = run([`${P}/args.elf`, 'one', 'two words', ''], { env: { A64_COLOUR: 'blue', OTHER: 'x' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'argc=4\nargv[1]=one\nargv[2]=two words\nargv[3]=\nenv A64_COLOUR=blue\n');
});

test('options before the ELF are ours, after it the program\'s', () => {
  const r = run(['--max-insns', '100000', `${P}/args.elf`, '--stats']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'argc=2\nargv[1]=--stats\n');
});

test('the exit status is the program\'s, stderr is ours', () => {
  for (const code of [0, 1, 42, 255]) {
    const r = run([`${P}/exitcode.elf`, String(code)]);
    assert.equal(r.status, code);
    assert.equal(r.stderr, 'exiting\n');
  }
});

test('stdin is the program\'s fd 0', () => {
  const text = 'line one\nline two\n'.repeat(50);
  const r = run([`${P}/cat.elf`], { input: text });
  assert.equal(r.stdout, text);
  assert.equal(r.status, text.length % 128);
});

test('brk, mmap, munmap, mprotect', () => {
  const r = run([`${P}/memory.elf`]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /memory ok\n$/);
});

test('clock_gettime: monotonic, advancing with virtual time', () => {
  const r = run([`${P}/clock.elf`]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'clock ok\n');
});

test('the auxiliary vector and initial stack', () => {
  const r = run([`${P}/auxv.elf`]);
  assert.equal(r.stdout, 'auxv ok\n');
  assert.equal(r.status, 0);
});

test('an unsupported system call returns -ENOSYS and is reported once, by number and name', () => {
  const r = run([`${P}/unsupported.elf`]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'pipe2 -38 nr1999 -38\n');
  assert.match(r.stderr, /unsupported system call 59 \(pipe2\)/);
  assert.match(r.stderr, /unsupported system call 1999 \(unknown\)/);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 2);
});

test('--max-insns stops a program with status 124; --stats lists the system calls', () => {
  const r = run(['--max-insns', '50', `${P}/clock.elf`]);
  assert.equal(r.status, 124);
  assert.match(r.stderr, /instruction limit reached/);
  const s = run(['--stats', `${P}/hello.elf`]);
  assert.equal(s.status, 0);
  assert.match(s.stderr, /system calls: write:1 exit_group:1/);
});

test('a kernel ELF is refused or killed clearly; a missing file gives 126', () => {
  assert.equal(run(['no/such.elf']).status, 126);
  // a bare-metal kernel linked at 0x40000000 runs at EL0 and dies on its first privileged access
  const r = run(['examples/hello/hello.elf']);
  assert.ok(r.status === 132 || r.status === 139, `status ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /SIG(ILL|SEGV)/);
});

test('process API: deterministic AT_RANDOM per seed, HWCAP from features, SP 16-byte aligned', () => {
  const bytes = readFileSync(`${P}/hello.elf`);
  const rand = (seed: number) => {
    const p = new LinuxProcess(bytes, 'hello.elf', { seed });
    const at = Number(p.auxv.find(([k]) => k === 25)![1]);
    assert.equal(p.initialSp % 16, 0);
    return Buffer.from(p.mem.read(at, 16)!).toString('hex');
  };
  assert.equal(rand(1), rand(1));
  assert.notEqual(rand(1), rand(2));
  assert.deepEqual(hwcapFor({ fp: false, asimd: false, crc32: true, atomics: true, lrcpc: false, flagm: false, fphp: false, asimdhp: false, jscvt: false, frint: false }), { hwcap: (1 << 7) | (1 << 8), hwcap2: 0 });
  const out: string[] = [];
  const p = new LinuxProcess(bytes, 'hello.elf', {}, { output: (_fd, b) => out.push(Buffer.from(b).toString()) });
  assert.deepEqual(p.run(1_000_000), { kind: 'exit', code: 0 });
  assert.equal(out.join(''), 'Hello from a static AArch64 Linux program!\n');
  assert.equal(p.layout.imageBase, 0x400000);
});

test('files: the current directory is the program\'s read-only "/": getcwd, EROFS, no way out of the root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-confine-'));
  try {
    mkdirSync(join(dir, 'd', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'd', 'a.txt'), 'abc');
    writeFileSync(join(dir, 'd', 'sub', 'b.txt'), 'bee');
    symlinkSync('/', join(dir, 'd', 'escape'));
    const r = spawnSync(process.execPath, [resolve(CLI), 'run', resolve(`${P}/files.elf`), 'd', 'confine'], { cwd: dir, encoding: 'latin1', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [
      'chdir=0', 'getcwd: /d', 'open for writing=-30', 'create=-30', 'access W_OK=-30', 'dot-dot stops at the root=0',
      'absolute paths start at the root=0', 'an absolute link resolves inside the root=0', 'write to a file fd=-9', '',
    ].join('\n'));
    const r2 = spawnSync(process.execPath, [resolve(CLI), 'run', '--root', join(dir, 'd'), resolve(`${P}/files.elf`), 'sub', 'confine'], { encoding: 'latin1', timeout: 60_000 });
    assert.match(r2.stdout, /^chdir=0\ngetcwd: \/sub\n/, '--root maps another directory');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
