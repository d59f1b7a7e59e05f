// Stepping by source line against GDB on QEMU: from a line breakpoint in main, a run of `next` and a run
// of `step` in gdb-multiarch (qemu-system-aarch64's gdbstub) and in our adapter must visit the same
// (function, line) sequence, in each dwarf fixture build.
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

/** gdb's (function, line) after each of `count` steps of `kind`, starting at dwarf.c:START. */
function gdbSteps(elf: string, kind: 'next' | 'step', count: number): string[] {
  const p = port++;
  const qemu = spawn(QEMU, ['-M', 'virt', '-cpu', 'cortex-a57', '-display', 'none', '-serial', 'null', '-monitor', 'none', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${p}`], { stdio: 'ignore' });
  try {
    const cmds = ['set pagination off', `target remote 127.0.0.1:${p}`, `break dwarf.c:${START}`, 'continue', 'frame', 'delete'];
    for (let i = 0; i < count; i++) cmds.push(kind, 'frame');
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
  }
});
