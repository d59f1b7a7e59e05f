// The GDB stub against QEMU's gdbstub, through gdb-multiarch: the same GDB script runs against
// `a64 boot K --gdb` and `qemu-system-aarch64 -M virt -cpu cortex-a57 -kernel K -s -S` on the calls fixture
// kernel (symbols from its ELF), and the transcripts must agree section by section: `break c`, `continue`
// (same stop), 40 `stepi` (same PCs), `info registers` (x0-x30, sp, pc, cpsr), `x/4gx` of code, stack and
// data, `watch counter` + `continue` twice (same stop locations, old and new values), `rwatch`, `bt`,
// `info threads` (thread naming normalised: QEMU says "Thread 1.1 (CPU#0 [running])", we say "Thread 1
// (CPU#0 EL1)"). `monitor` is ours only (QEMU's monitor is its HMP): help, info registers, sysreg.
// Needs the Debian packages gdb-multiarch and qemu-system-arm, and dist/cli.js (npm run build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const GDB = 'gdb-multiarch';
const QEMU = 'qemu-system-aarch64';
const KERNEL = resolve('test/fixtures/kernels/calls.elf');
const STEPS = 40;

function need(tool: string, pkg: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} not found: install the Debian package ${pkg} (apt-get install -y ${pkg})`);
  }
}

/** A TCP port free right now on loopback (for QEMU, which cannot report the port it picked). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

/** Starts our stub (port 0: it reports the port it listens on). */
function startOurs(): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['dist/cli.js', 'boot', KERNEL, '--gdb', '127.0.0.1:0'], { stdio: ['pipe', 'ignore', 'pipe'] });
  return new Promise((res, rej) => {
    let err = '';
    const timer = setTimeout(() => rej(new Error(`a64 --gdb did not start: ${err}`)), 30_000);
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        res({ proc, port: Number(m[1]) });
      }
    });
    proc.on('exit', (code) => rej(new Error(`a64 exited (${code}) before listening: ${err}`)));
  });
}

async function startQemu(): Promise<{ proc: ChildProcess; port: number }> {
  const port = await freePort();
  const proc = spawn(QEMU, ['-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-monitor', 'none', '-serial', 'null',
    '-kernel', KERNEL, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  // QEMU listens before it starts the (stopped) machine; give it a moment
  await new Promise((r) => setTimeout(r, 500));
  return { proc, port };
}

function script(port: number, ours: boolean): string {
  const lines = [
    'set pagination off',
    'set confirm off',
    'set width 0',
    `file ${KERNEL}`,
    `target remote 127.0.0.1:${port}`,
    'echo @@@ connect\\n',
    'printf "pc=%#lx\\n", $pc',
    'echo @@@ break\\n',
    'break c',
    'echo @@@ continue\\n',
    'continue',
    'echo @@@ info registers\\n',
    'info registers',
    'echo @@@ stepi\\n',
    'set $i = 0',
    `while $i < ${STEPS}`,
    '  stepi',
    '  printf "pc=%#lx x0=%#lx x1=%#lx sp=%#lx\\n", $pc, $x0, $x1, $sp',
    '  set $i = $i + 1',
    'end',
    'echo @@@ x\\n',
    'x/4gx 0x40080000',
    'x/4gx $sp',
    'x/4gx &counter',
    'echo @@@ watch\\n',
    'delete',
    'watch counter',
    'continue',
    'continue',
    'echo @@@ rwatch\\n',
    'delete',
    'rwatch counter',
    'continue',
    'printf "pc=%#lx\\n", $pc',
    'echo @@@ bt\\n',
    'bt',
    'echo @@@ info threads\\n',
    'info threads',
  ];
  if (ours) {
    lines.push('echo @@@ monitor help\\n', 'monitor help', 'echo @@@ monitor info registers\\n', 'monitor info registers',
      'echo @@@ monitor sysreg\\n', 'monitor sysreg SCTLR_EL1', 'p/x $SCTLR_EL1', 'p/x $CurrentEL');
  }
  lines.push('echo @@@ end\\n', 'delete', 'kill');
  return lines.join('\n') + '\n';
}

function runGdb(file: string): string {
  // GDB prints monitor output (and some messages) on stderr: one stream keeps the order
  return execFileSync('sh', ['-c', `${GDB} -batch -nx -x "$1" 2>&1`, 'sh', file], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Splits a transcript into its @@@ sections. */
function sections(out: string): Map<string, string> {
  const m = new Map<string, string>();
  const parts = out.split(/^@@@ (.*)$/m);
  for (let i = 1; i < parts.length; i += 2) m.set(parts[i], parts[i + 1].trim());
  return m;
}

/** info registers: the general registers, sp, pc and cpsr only (QEMU adds its system registers). */
function generalRegisters(text: string): string {
  return text.split('\n').filter((l) => /^(x\d+|sp|pc|cpsr)\s/.test(l)).join('\n');
}

const normaliseThreads = (text: string): string => text.replace(/Thread [\d.]+ \([^)]*\)/g, 'Thread 1 (CPU 0)').replace(/ +/g, ' ');

let dir = '';
let ours = new Map<string, string>();
let qemu = new Map<string, string>();
/** A64_GDB_ORACLE_DUMP=1 prints both transcripts (to see what is compared). */
const DUMP = process.env.A64_GDB_ORACLE_DUMP === '1';

before(async () => {
  need(GDB, 'gdb-multiarch');
  need(QEMU, 'qemu-system-arm');
  dir = mkdtempSync(join(tmpdir(), 'a64-gdb-'));
  const a = await startOurs();
  try {
    writeFileSync(join(dir, 'ours.gdb'), script(a.port, true));
    const t = runGdb(join(dir, 'ours.gdb'));
    if (DUMP) console.log(`---- ours\n${t}`);
    ours = sections(t);
  } finally {
    a.proc.kill();
  }
  const q = await startQemu();
  try {
    writeFileSync(join(dir, 'qemu.gdb'), script(q.port, false));
    const t = runGdb(join(dir, 'qemu.gdb'));
    if (DUMP) console.log(`---- qemu\n${t}`);
    qemu = sections(t);
  } finally {
    q.proc.kill();
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('gdb: the transcripts have every section', () => {
  for (const s of ['connect', 'break', 'continue', 'info registers', 'stepi', 'x', 'watch', 'rwatch', 'bt', 'info threads', 'end']) {
    assert.ok(ours.has(s), `ours: ${s}`);
    assert.ok(qemu.has(s), `qemu: ${s}`);
  }
});

test('gdb: connect stops before the first instruction, at the ELF entry', () => {
  assert.equal(ours.get('connect'), 'pc=0x40080000');
  assert.equal(ours.get('connect'), qemu.get('connect'));
});

for (const s of ['break', 'continue', 'x', 'watch', 'rwatch', 'bt']) {
  test(`gdb: ${s} behaves as against QEMU`, () => {
    assert.ok(ours.get(s)!.length > 0);
    assert.equal(ours.get(s), qemu.get(s));
  });
}

test(`gdb: ${STEPS} stepi give the same PCs and registers`, () => {
  const o = ours.get('stepi')!.split('\n').filter((l) => l.startsWith('pc='));
  const q = qemu.get('stepi')!.split('\n').filter((l) => l.startsWith('pc='));
  assert.equal(o.length, STEPS);
  assert.deepEqual(o, q);
  assert.equal(ours.get('stepi'), qemu.get('stepi'));
});

test('gdb: info registers (general registers, sp, pc, cpsr) agree', () => {
  const o = generalRegisters(ours.get('info registers')!);
  assert.equal(o.split('\n').length, 34);
  assert.equal(o, generalRegisters(qemu.get('info registers')!));
});

test('gdb: info threads agrees up to thread naming', () => {
  assert.match(ours.get('info threads')!, /\* 1 +Thread 1 \(CPU#0 EL1\) .* in c \(/);
  assert.equal(normaliseThreads(ours.get('info threads')!), normaliseThreads(qemu.get('info threads')!));
});

test('gdb: monitor commands work on our stub', () => {
  assert.match(ours.get('monitor help')!, /monitor info registers/);
  assert.match(ours.get('monitor help')!, /monitor sysreg NAME \[VALUE\]/);
  assert.match(ours.get('monitor info registers')!, /^pc +0x00000000400800[0-9a-f]{2} +pstate/m);
  assert.match(ours.get('monitor info registers')!, /^TCR_EL1 +0x0/m);
  assert.equal(ours.get('monitor sysreg'), 'SCTLR_EL1 = 0x0000000030d00800\n$1 = 0x30d00800\n$2 = 0x4');
});
