// Stepping by source line against GDB on QEMU: from a line breakpoint in main, a run of `next` and a run
// of `step` in gdb-multiarch (qemu-system-aarch64's gdbstub) and in our adapter must visit the same
// (function, line) sequence, in each dwarf fixture build; and `step` + `finish` (our step out) at each
// call line of main must land where GDB lands.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { KERNELS, TEST_TIMEOUT, launch, startClient, stop, stopped, topFrame } from '../adapter/helpers';

const GDB = 'gdb-multiarch';
const QEMU = 'qemu-system-aarch64';
const skip = spawnSync(GDB, ['--version']).status !== 0 ? `${GDB} is not installed`
  : spawnSync(QEMU, ['--version']).status !== 0 ? `${QEMU} is not installed` : undefined;

const DIR = join(KERNELS, 'dwarf');
const SRC = join(DIR, 'dwarf.c');
const START = readFileSync(SRC, 'utf8').split('\n').findIndex((l) => l.includes('fill(&g_shapes[0], RED, 1);')) + 1;
const STEPS = 14;

let port = 44000 + (process.pid % 2000);

/** gdb's (function, line) after each of `count` steps of `kind` (or the given commands), starting at dwarf.c:start. */
function gdbSteps(elf: string, kind: 'next' | 'step' | string[], count: number, start = START): string[] {
  const p = port++;
  const qemu = spawn(QEMU, ['-M', 'virt', '-cpu', 'cortex-a57', '-display', 'none', '-serial', 'null', '-monitor', 'none', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${p}`], { stdio: 'ignore' });
  try {
    const cmds = ['set pagination off', `target remote 127.0.0.1:${p}`, `break dwarf.c:${start}`, 'continue', 'frame', 'delete'];
    for (let i = 0; i < count; i++) cmds.push(typeof kind === 'string' ? kind : kind[i]!, 'frame');
    let out = '';
    for (let attempt = 0; attempt < 50; attempt++) {
      const r = spawnSync(GDB, ['-batch', '-nx', ...cmds.flatMap((c) => ['-ex', c]), elf], { encoding: 'utf8', timeout: 60_000 });
      out = r.stdout;
      if (!/Connection refused/.test(r.stderr)) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    // `frame` prints "#0  [0x... in ]NAME (ARGS) at FILE:LINE" after each step.
    return out.split('\n').map((l) => /^#0\s+(?:0x[0-9a-f]+ in )?(\w+) \(.*\) at \S+:(\d+)$/.exec(l)).filter((m) => m).map((m) => `${m![1]}:${m![2]}`);
  } finally {
    qemu.kill();
  }
}

const clients: DebugClient[] = [];
after(async () => { for (const c of clients) await stop(c); });

describe('source stepping equals GDB on QEMU', () => {
  for (const build of ['dwarf_O0', 'dwarf_O2', 'dwarf_O2_dw4']) {
    for (const kind of ['next', 'step'] as const) {
      test(`${build}: ${STEPS} x ${kind} from dwarf.c:${START}`, { skip, timeout: TEST_TIMEOUT }, async () => {
        const elf = join(DIR, `${build}.elf`);
        const theirs = gdbSteps(elf, kind, STEPS);
        assert.equal(theirs.length, STEPS + 1, 'gdb printed a frame after each step');
        const c = await startClient();
        clients.push(c);
        const first = stopped(c);
        await launch(c, { kernel: elf }, () => c.setBreakpointsRequest({ source: { path: SRC }, breakpoints: [{ line: START }] }));
        await first;
        await c.setBreakpointsRequest({ source: { path: SRC }, breakpoints: [] });
        const ours: string[] = [];
        const where = async (): Promise<void> => {
          const f = await topFrame(c);
          ours.push(`${f.name}:${f.line}`);
        };
        await where();
        for (let i = 0; i < STEPS; i++) {
          const s = stopped(c);
          if (kind === 'next') await c.nextRequest({ threadId: 1 });
          else await c.stepInRequest({ threadId: 1 });
          await s;
          await where();
        }
        assert.deepEqual(ours, theirs);
        await stop(c);
      });
    }
    // Step into the call of a line, then finish (our step out) back to the caller; main itself is never
    // finished (GDB calls it the outermost frame; we would run on to _start).
    const callLines = ['fill(&g_shapes[0], RED, 1);', 'fill(&local, GREEN, 10);', 'long f = fact(5);', 'checksum += area(&g_shapes[i]);']
      .map((t) => readFileSync(SRC, 'utf8').split('\n').findIndex((l) => l.includes(t)) + 1);
    test(`${build}: step then finish at the calls on lines ${callLines.join(', ')}`, { skip, timeout: TEST_TIMEOUT }, async () => {
      const elf = join(DIR, `${build}.elf`);
      const mismatches: string[] = [];
      for (const line of callLines) {
        const theirs = gdbSteps(elf, ['step', 'finish'], 2, line);
        const c = await startClient();
        clients.push(c);
        const first = stopped(c);
        await launch(c, { kernel: elf }, () => c.setBreakpointsRequest({ source: { path: SRC }, breakpoints: [{ line }] }));
        await first;
        await c.setBreakpointsRequest({ source: { path: SRC }, breakpoints: [] });
        const ours: string[] = [];
        const where = async (): Promise<void> => {
          const f = await topFrame(c);
          ours.push(`${f.name}:${f.line}`);
        };
        await where();
        let s = stopped(c);
        await c.stepInRequest({ threadId: 1 });
        await s;
        await where();
        s = stopped(c);
        await c.stepOutRequest({ threadId: 1 });
        await s;
        await where();
        await stop(c);
        if (ours.join(' ') !== theirs.join(' ')) mismatches.push(`line ${line}: ours ${ours.join(' ')}, gdb ${theirs.join(' ')}`);
      }
      assert.deepEqual(mismatches, []);
    });
  }
});
