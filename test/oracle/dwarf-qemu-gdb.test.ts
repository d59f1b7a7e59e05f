// Call stacks and variables against GDB on QEMU: each dwarf fixture build runs in qemu-system-aarch64
// with its gdbstub, gdb-multiarch stops at a source line and prints `bt`, `info args` and `info locals`
// of every frame; our adapter (DebugClient) stops at the same line and must show the same frames
// (function, file, line — inlined calls included) and the same scalar values (integers, chars, enums,
// pointers by address, "optimized out" as unavailable). Aggregates are compared member by member by the
// adapter tests; here only what GDB prints on one line.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { KERNELS, TEST_TIMEOUT, launch, startClient, stop, stopped } from '../adapter/helpers';

const GDB = 'gdb-multiarch';
const QEMU = 'qemu-system-aarch64';
const skip = spawnSync(GDB, ['--version']).status !== 0 ? `${GDB} is not installed`
  : spawnSync(QEMU, ['--version']).status !== 0 ? `${QEMU} is not installed` : undefined;

const DIR = join(KERNELS, 'dwarf');
const FILES: Record<string, string> = { 'dwarf.c': join(DIR, 'dwarf.c'), 'board.c': join(KERNELS, 'common', 'board.c') };
const lineOf = (file: string, text: string): number => readFileSync(FILES[file]!, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

const STOPS: [string, string][] = [
  ['dwarf.c', 'g_counter = g_counter + 1;'],
  ['dwarf.c', 'return 1;'],
  ['dwarf.c', 's += p[i].x * p[i].y;'],
  ['dwarf.c', 'g_total += f + sum;'],
  ['board.c', '*(volatile uint32_t *)addr = value;'],
];

interface GdbFrame { name: string; file: string; line: number; vars: Map<string, string> }

let port = 42000 + (process.pid % 2000);

/**
 * Runs the ELF in QEMU under GDB to the first hit of file:line: the frames with their args and locals, or
 * undefined when the program ends without reaching the line.
 */
function gdbStop(elf: string, file: string, line: number): GdbFrame[] | undefined {
  const p = port++;
  const qemu = spawn(QEMU, ['-M', 'virt', '-cpu', 'cortex-a57', '-display', 'none', '-serial', 'null', '-monitor', 'none', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${p}`], { stdio: 'ignore' });
  try {
    const cmds = ['set pagination off', `target remote 127.0.0.1:${p}`, `break ${file}:${line}`, 'continue', 'bt'];
    for (let i = 0; i < 8; i++) cmds.push(`frame ${i}`, 'info args', 'info locals');
    let out = '';
    // QEMU may not listen yet: retry while the connection is refused.
    for (let attempt = 0; attempt < 50; attempt++) {
      const r = spawnSync(GDB, ['-batch', '-nx', ...cmds.flatMap((c) => ['-ex', c]), elf], { encoding: 'utf8', timeout: 60_000 });
      out = r.stdout;
      if (!/Connection refused/.test(r.stderr)) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    if (/exited normally/.test(out)) return undefined;
    assert.match(out, /Breakpoint 1(\.\d+)?, /, 'gdb stopped at the breakpoint');
    const frames: GdbFrame[] = [];
    let cur: GdbFrame | undefined;
    let inBt = false;
    for (const text of out.split('\n')) {
      const bt = /^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\w+) \(.*\) at (\S+):(\d+)$/.exec(text);
      if (bt) {
        const n = Number(bt[1]);
        if (n === frames.length && !inBt) inBt = n === 0 ? false : inBt;
        if (n === frames.length) frames.push({ name: bt[2]!, file: basename(bt[3]!), line: Number(bt[4]), vars: new Map() });
        cur = frames[n];
        continue;
      }
      const v = /^(\w+) = (.*)$/.exec(text);
      if (v && cur) cur.vars.set(v[1]!, v[2]!);
    }
    return frames;
  } finally {
    qemu.kill();
  }
}

/** Whether our value shows what GDB printed (scalars only; undefined when not comparable). */
function sameValue(gdb: string, ours: string): boolean | undefined {
  if (gdb.startsWith('{') || gdb.startsWith('[')) return undefined;
  if (gdb === '<optimized out>') return ours.startsWith('<');
  const ptr = /^(?:\([^)]*\) )?(0x[0-9a-f]+)/.exec(gdb);
  if (ptr) return ours.startsWith(ptr[1]!);
  return gdb === ours;
}

const clients: DebugClient[] = [];
after(async () => { for (const c of clients) await stop(c); });

describe('call stacks and variables equal GDB on QEMU', () => {
  for (const build of ['dwarf_O0', 'dwarf_O2', 'dwarf_O2_dw4']) {
    for (const [file, text] of STOPS) {
      const line = lineOf(file, text);
      test(`${build} at ${file}:${line}`, { skip, timeout: TEST_TIMEOUT }, async () => {
        const elf = join(DIR, `${build}.elf`);
        const theirs = gdbStop(elf, file, line);
        const c = await startClient();
        clients.push(c);
        const first = Promise.race([stopped(c).then(() => 'stopped'), c.waitForEvent('terminated').then(() => 'terminated')]);
        await launch(c, { kernel: elf }, () => c.setBreakpointsRequest({ source: { path: FILES[file]! }, breakpoints: [{ line }] }));
        const how = await first;
        if (!theirs) {
          // The line's code never runs in this build (fact(5) at -O2 became a loop without its "return 1").
          assert.equal(how, 'terminated', 'gdb never stopped there, and neither do we');
          return;
        }
        assert.equal(how, 'stopped');
        const st = await c.stackTraceRequest({ threadId: 1 });
        const ours = st.body.stackFrames.slice(0, theirs.length);
        assert.deepEqual(ours.map((f) => `${f.name} ${f.source?.name}:${f.line}`), theirs.map((f) => `${f.name} ${f.file}:${f.line}`));
        const diffs: string[] = [];
        let compared = 0;
        for (let i = 0; i < theirs.length; i++) {
          const sc = await c.scopesRequest({ frameId: ours[i]!.id });
          const loc = sc.body.scopes.find((s) => s.name === 'Locals');
          const vars = loc ? (await c.variablesRequest({ variablesReference: loc.variablesReference })).body.variables : [];
          for (const [name, g] of theirs[i]!.vars) {
            const mine = vars.find((v) => v.name === name);
            if (!mine) {
              diffs.push(`frame ${i} ${theirs[i]!.name}: no ${name} (gdb: ${g})`);
              continue;
            }
            const same = sameValue(g, mine.value);
            if (same === undefined) continue;
            compared++;
            if (!same) diffs.push(`frame ${i} ${theirs[i]!.name}: ${name} = ${mine.value}, gdb ${g}`);
          }
        }
        assert.deepEqual(diffs, []);
        assert.ok(compared > 0 || theirs.every((f) => f.vars.size === 0), 'compared some values');
        await stop(c);
      });
    }
  }
});
