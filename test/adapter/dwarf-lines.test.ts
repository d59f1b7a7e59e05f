// Source-level debugging over DWARF line tables, against the real adapter on the dwarf fixture kernels
// (-O0 and -O2 builds of test/fixtures/kernels/dwarf/dwarf.c): line breakpoints bind to the address GNU
// addr2line puts on that line and stop there, a line without code moves to the next line with code,
// stack frames carry source lines, and next / step in / step out follow the source.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_TIMEOUT, launch, startClient, stop, stopped, topFrame } from './helpers';
import { DWARF_C, DWARF_DIR, NO_BINUTILS, O0, O2, O2_DW4, addr2line, decodedLines, lineOf, runToLines } from './dwarfHelpers';

let dc: DebugClient | undefined;
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
});

function it(name: string, fn: () => Promise<void>, opts: { skip?: string } = {}): void {
  test(name, { timeout: TEST_TIMEOUT, ...opts }, fn);
}

async function client(): Promise<DebugClient> {
  dc = await startClient();
  return dc;
}

async function step(c: DebugClient, kind: 'next' | 'stepIn' | 'stepOut'): Promise<DebugProtocol.StackFrame> {
  const s = stopped(c);
  if (kind === 'next') await c.nextRequest({ threadId: 1 });
  else if (kind === 'stepIn') await c.stepInRequest({ threadId: 1 });
  else await c.stepOutRequest({ threadId: 1 });
  const ev = await s;
  assert.equal(ev.body.reason, 'step');
  return topFrame(c);
}

describe('DWARF line tables', () => {
  for (const [name, elf] of [['O0', O0], ['O2', O2], ['O2 DWARF 4', O2_DW4]] as const) {
    it(`${name}: a line breakpoint binds where addr2line puts the line, and stops there`, async () => {
      const c = await client();
      const line = lineOf('int a = w * h;');
      const { stop: ev, bps } = await runToLines(c, elf, [line]);
      const bp = bps[0]!;
      assert.equal(bp.verified, true, bp.message);
      const address = BigInt(bp.instructionReference!);
      // objdump's decoded line table: the address starts a statement of that line, and it is the lowest
      // such address inside the function (area is not inlined anywhere).
      const rows = decodedLines(elf).filter((r) => r.file === 'dwarf.c' && r.line === line && r.stmt);
      assert.ok(rows.length > 0);
      assert.equal(address, rows.map((r) => r.address).reduce((a, b) => (a < b ? a : b)));
      assert.equal(bp.line, line);
      assert.equal(addr2line(elf, address).file.endsWith('dwarf.c'), true);
      assert.equal(ev.body.reason, 'breakpoint');
      assert.deepEqual(ev.body.hitBreakpointIds, [bp.id]);
      const f = await topFrame(c);
      assert.equal(BigInt(f.instructionPointerReference!), address);
      assert.equal(f.line, bp.line);
      assert.equal(f.source?.path, DWARF_C);
      assert.equal(f.name, 'area', JSON.stringify(f));
    }, { skip: NO_BINUTILS });
  }

  it('a line without code moves to the next line that has code', async () => {
    const c = await client();
    await c.initializeRequest();
    const initialized = c.waitForEvent('initialized');
    await c.launch({ kernel: O0, stopOnEntry: true });
    await initialized;
    const blank = lineOf('struct shape local;');
    const r = await c.setBreakpointsRequest({ source: { path: DWARF_C }, breakpoints: [{ line: blank }, { line: lineOf('int checksum = 0;') }] });
    const [moved, exact] = r.body.breakpoints;
    assert.equal(moved!.verified, true);
    assert.equal(moved!.line, lineOf('int checksum = 0;'));
    assert.equal(exact!.line, lineOf('int checksum = 0;'));
    assert.equal(moved!.instructionReference, exact!.instructionReference);
    const bad = await c.setBreakpointsRequest({ source: { path: DWARF_C }, breakpoints: [{ line: 10_000 }] });
    assert.equal(bad.body.breakpoints[0]!.verified, false);
    assert.match(bad.body.breakpoints[0]!.message!, /no code at or after line 10000/);
  });

  it('O0: next steps over a call by line, step in enters the callee after its prologue, step out returns', async () => {
    const c = await client();
    const start = lineOf('long f = fact(5);');
    await runToLines(c, O0, [start]);
    let f = await step(c, 'next');
    assert.equal(f.line, lineOf('for (int i = 0; i < 2; i++)'));
    assert.equal(f.name, 'main');
    f = await step(c, 'next');
    assert.equal(f.line, lineOf('checksum += area(&g_shapes[i]);'));
    f = await step(c, 'stepIn');
    assert.equal(f.name, 'area');
    assert.equal(f.line, lineOf('int w = sh->pts[1].x - sh->pts[0].x;'));
    f = await step(c, 'next');
    assert.equal(f.line, lineOf('int h = sh->pts[2].y - sh->pts[0].y;'));
    const st = await c.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(st.body.stackFrames.slice(0, 2).map((x) => [x.name, x.line]), [['area', f.line], ['main', lineOf('checksum += area(&g_shapes[i]);')]]);
    f = await step(c, 'stepOut');
    assert.equal(f.name, 'main');
    assert.equal(f.line, lineOf('checksum += area(&g_shapes[i]);'));
  });

  it('O0: the recursive fact shows one frame per call, each on its source line', async () => {
    const c = await client();
    await runToLines(c, O0, [lineOf('return 1;')]);
    const st = await c.stackTraceRequest({ threadId: 1 });
    const frames = st.body.stackFrames.map((x) => `${x.name}:${x.line}`);
    const call = lineOf('long r = fact(n - 1);');
    assert.deepEqual(frames.slice(0, 6), ['fact:' + lineOf('return 1;'), `fact:${call}`, `fact:${call}`, `fact:${call}`, `fact:${call}`, `main:${lineOf('long f = fact(5);')}`]);
  });

  it('O0: instruction granularity steps one instruction even with line info', async () => {
    const c = await client();
    const { bps } = await runToLines(c, O0, [lineOf('int a = w * h;')]);
    const s = stopped(c);
    await c.stepInRequest({ threadId: 1, granularity: 'instruction' });
    await s;
    const f = await topFrame(c);
    assert.equal(BigInt(f.instructionPointerReference!), BigInt(bps[0]!.instructionReference!) + 4n);
  });

  it('disassembled instructions carry their source line', async () => {
    const c = await client();
    const { bps } = await runToLines(c, O0, [lineOf('int a = w * h;')]);
    const r = await c.disassembleRequest({ memoryReference: bps[0]!.instructionReference!, instructionCount: 4 });
    const first = r.body!.instructions[0]!;
    assert.equal(first.line, bps[0]!.line);
    assert.equal(first.location?.path, DWARF_C);
  });
});

describe('DWARF inlined calls', () => {
  it('O2: a breakpoint inside an inlined function stops with one frame per inlined call, each at its call line', async () => {
    const c = await client();
    const board = join(DWARF_DIR, '..', 'common', 'board.c');
    const text = readFileSync(board, 'utf8').split('\n');
    const lineIn = (s: string): number => text.findIndex((l) => l.includes(s)) + 1;
    const first = stopped(c);
    await launch(c, { kernel: O2 }, async () => {
      const r = await c.setBreakpointsRequest({ source: { path: board }, breakpoints: [{ line: lineIn('*(volatile uint32_t *)addr = value;') }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
    });
    await first;
    const st = await c.stackTraceRequest({ threadId: 1 });
    const frames = st.body.stackFrames.map((f) => `${f.name}:${f.source?.name}:${f.line}`);
    assert.deepEqual(frames.slice(0, 4), [
      `mmio_write32:board.c:${lineIn('*(volatile uint32_t *)addr = value;')}`,
      `uart_putc:board.c:${lineIn('mmio_write32(UART0_BASE + UART_DR')}`,
      `uart_puts:board.c:${lineIn('uart_putc(*s);')}`,
      `main:dwarf.c:${lineOf('uart_puts("dwarf: fact=");')}`,
    ]);
    // The inlined frames share the PC; each has its own Locals.
    assert.equal(new Set(st.body.stackFrames.slice(0, 3).map((f) => f.instructionPointerReference)).size, 1);
    const scopes = await c.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
    const locals = await c.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'Locals')!.variablesReference });
    assert.deepEqual(locals.body.variables.map((v) => v.name), ['addr', 'value']);
    const outer = await c.scopesRequest({ frameId: st.body.stackFrames[2]!.id });
    const outerLocals = await c.variablesRequest({ variablesReference: outer.body.scopes.find((s) => s.name === 'Locals')!.variablesReference });
    assert.deepEqual(outerLocals.body.variables.map((v) => v.name), ['s']);
    assert.match(outerLocals.body.variables[0]!.value, /^0x[0-9a-f]+ "dwarf: fact="$/);
  });
});

describe('stepping granularity', () => {
  it('a64.setStepping switches next between instructions and source lines; the launch option sets the start', async () => {
    const c = await client();
    const first = stopped(c);
    await launch(c, { kernel: O0, stepping: 'instruction' }, () =>
      c.setBreakpointsRequest({ source: { path: DWARF_C }, breakpoints: [{ line: lineOf('int a = w * h;') }] }));
    await first;
    const at = BigInt((await topFrame(c)).instructionPointerReference!);
    let s = stopped(c);
    await c.nextRequest({ threadId: 1 });
    await s;
    assert.equal(BigInt((await topFrame(c)).instructionPointerReference!), at + 4n, 'launch stepping "instruction": one instruction');
    const r = await c.customRequest('a64.setStepping', { granularity: 'source' });
    assert.deepEqual(r.body, { granularity: 'source', sourceAvailable: true });
    s = stopped(c);
    await c.nextRequest({ threadId: 1 });
    await s;
    assert.equal((await topFrame(c)).line, lineOf('g_counter = g_counter + 1;'));
    await assert.rejects(c.customRequest('a64.setStepping', { granularity: 'sideways' }), /not 'source' or 'instruction'/);
  });
});

describe('stepInTargets', () => {
  it('O0: lists the call of the line (leaf_sum) and steps into the chosen target', async () => {
    const c = await client();
    await runToLines(c, O0, [lineOf('checksum += area(&local);')]);
    // Move to the line that calls leaf_sum (it has one call).
    let s = stopped(c);
    await c.nextRequest({ threadId: 1 });
    await s;
    assert.equal((await topFrame(c)).line, lineOf('int sum = leaf_sum(local.pts, 3) + g_primes[4];'));
    const frameId = (await topFrame(c)).id;
    const r = await c.customRequest('stepInTargets', { frameId }) as DebugProtocol.StepInTargetsResponse;
    assert.deepEqual(r.body.targets.map((x) => x.label), ['leaf_sum']);
    s = stopped(c);
    await c.stepInRequest({ threadId: 1, targetId: r.body.targets[0]!.id });
    await s;
    const f = await topFrame(c);
    assert.equal(f.name, 'leaf_sum');
    assert.equal(f.line, lineOf('int s = 0;'));
  });
});
