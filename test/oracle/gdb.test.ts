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
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

const PREAMBLE = (port: number): string[] => [
  'set pagination off',
  'set confirm off',
  'set width 0',
  'set tcp connect-timeout 30', // GDB retries a refused connection while QEMU starts
  `file ${KERNEL}`,
  `target remote 127.0.0.1:${port}`,
];

/** Session 1: breakpoints, stepping, registers, memory, watch/rwatch, threads; monitor on ours. */
function script1(port: number, ours: boolean): string[] {
  const lines = [
    ...PREAMBLE(port),
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
  return lines;
}

/**
 * Session 2: a watchpoint set at the entry (the .bss clearing STP stores 0 over 0: GDB must go on silently
 * to the first real change), stepping with a watchpoint inserted, hbreak, finish, x/i, writes to memory
 * and registers, awatch.
 */
function script2(port: number): string[] {
  return [
    ...PREAMBLE(port),
    'echo @@@ watch from entry\\n',
    'watch counter',
    'continue',
    'printf "pc=%#lx\\n", $pc',
    'echo @@@ watch while stepping\\n',
    'delete',
    'break c',
    'continue',
    'delete',
    'watch counter',
    'set $i = 0',
    'while $i < 8',
    '  stepi',
    '  printf "pc=%#lx\\n", $pc',
    '  set $i = $i + 1',
    'end',
    'echo @@@ hbreak\\n',
    'delete',
    'hbreak b',
    'continue',
    'info breakpoints',
    'echo @@@ finish\\n',
    'delete',
    'finish',
    'echo @@@ x/i\\n',
    'x/6i $pc',
    'echo @@@ set var\\n',
    'set var counter = 42',
    'p counter',
    'x/4gx &counter',
    'p $x3 = 0x1234',
    'p/x $x3',
    'p/x $cpsr',
    'echo @@@ awatch\\n',
    'awatch counter',
    'continue',
    'continue',
    'printf "pc=%#lx\\n", $pc',
  ];
}

const finish = (lines: string[]): string => [...lines, 'echo @@@ end\\n', 'delete', 'kill'].join('\n') + '\n';

function runGdb(file: string): string {
  // GDB prints monitor output (and some messages) on stderr: one stream keeps the order
  const r = spawnSync('sh', ['-c', `${GDB} -batch -nx -x "$1" 2>&1`, 'sh', file], { encoding: 'utf8', timeout: 120_000 });
  // a failing command ends a batch script: show where
  if (r.status !== 0) throw new Error(`${GDB} -x ${file} exited ${r.status}:\n${r.stdout}`);
  return r.stdout;
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
  const session = async (name: string, start: () => Promise<{ proc: ChildProcess; port: number }>, lines: (port: number) => string[]) => {
    const t = await start();
    try {
      writeFileSync(join(dir, `${name}.gdb`), finish(lines(t.port)));
      const out = runGdb(join(dir, `${name}.gdb`));
      if (DUMP) console.log(`---- ${name}\n${out}`);
      return sections(out);
    } finally {
      t.proc.kill();
    }
  };
  ours = new Map([...await session('ours1', startOurs, (p) => script1(p, true)), ...await session('ours2', startOurs, script2)]);
  qemu = new Map([...await session('qemu1', startQemu, (p) => script1(p, false)), ...await session('qemu2', startQemu, script2)]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('gdb: the transcripts have every section', () => {
  for (const s of ['connect', 'break', 'continue', 'info registers', 'stepi', 'x', 'watch', 'rwatch', 'bt', 'info threads', 'watch from entry', 'x/i', 'finish', 'hbreak', 'set var', 'watch while stepping', 'awatch', 'end']) {
    assert.ok(ours.has(s), `ours: ${s}`);
    assert.ok(qemu.has(s), `qemu: ${s}`);
  }
});

test('gdb: connect stops before the first instruction, at the ELF entry', () => {
  assert.equal(ours.get('connect'), 'pc=0x40080000');
  assert.equal(ours.get('connect'), qemu.get('connect'));
});

for (const s of ['break', 'continue', 'x', 'watch', 'rwatch', 'bt', 'watch from entry', 'x/i', 'finish', 'hbreak', 'set var', 'watch while stepping', 'awatch']) {
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
