// Variables over DWARF against the real adapter on the dwarf fixture kernels: Locals and Globals scopes
// with C types (pointers, structs, arrays, unions, enums, bitfields, char strings), values equal to what
// dwarf.c computed (the expected numbers follow from fill()'s formulas: x = base + 3i, y = 2 base + i),
// watch expressions (members, indexing, casts, registers, memory), setVariable on a scalar, and call
// stacks unwound by CFI through -O2 code that keeps no frame records.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KERNELS, TEST_TIMEOUT, kernel, launch, request, startClient, stop, stopped, topFrame } from './helpers';
import { DWARF_C, O0, O2, O2_DW4, lineOf, runToLines } from './dwarfHelpers';

let dc: DebugClient | undefined;
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
});

function it(name: string, fn: () => Promise<void>): void {
  test(name, { timeout: TEST_TIMEOUT }, fn);
}

async function client(): Promise<DebugClient> {
  dc = await startClient();
  return dc;
}

async function scopeVars(c: DebugClient, scope: string, frameIndex = 0): Promise<Map<string, DebugProtocol.Variable>> {
  const st = await c.stackTraceRequest({ threadId: 1 });
  const sc = await c.scopesRequest({ frameId: st.body.stackFrames[frameIndex]!.id });
  const s = sc.body.scopes.find((x) => x.name === scope);
  assert.ok(s, `scope ${scope} in ${sc.body.scopes.map((x) => x.name).join(', ')}`);
  return children(c, s.variablesReference);
}

async function children(c: DebugClient, ref: number): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await c.variablesRequest({ variablesReference: ref });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

async function evaluate(c: DebugClient, expression: string): Promise<DebugProtocol.EvaluateResponse['body']> {
  const frameId = (await topFrame(c)).id;
  return (await c.evaluateRequest({ expression, frameId, context: 'watch' })).body;
}

describe('DWARF variables', () => {
  for (const [name, elf] of [['O0', O0], ['O2', O2], ['O2 DWARF 4', O2_DW4]] as const) {
    it(`${name}: locals of area() and the struct behind its pointer hold what fill() stored`, async () => {
      const c = await client();
      await runToLines(c, elf, [lineOf('g_counter = g_counter + 1;')]);
      const locals = await scopeVars(c, 'Locals');
      // First call: area(&g_shapes[0]) with base 1: w = (1 + 3) - 1, h = (2 + 2) - 2, a = w * h.
      assert.equal(locals.get('w')?.value, '3');
      assert.equal(locals.get('h')?.value, '2');
      assert.equal(locals.get('a')?.value, '6');
      const sh = locals.get('sh')!;
      assert.equal(sh.type, 'struct shape *');
      const star = (await children(c, sh.variablesReference)).get('*')!;
      const m = await children(c, star.variablesReference);
      assert.equal(m.get('color')?.value, 'RED');
      assert.equal(m.get('kind')?.value, '5');
      assert.equal(m.get('flags')?.value, '19');
      assert.equal(m.get('delta')?.value, '-7');
      assert.match(m.get('name')!.value, /^0x[0-9a-f]+ "red"$/);
      const pts = await children(c, m.get('pts')!.variablesReference);
      assert.deepEqual([...pts.keys()], ['[0]', '[1]', '[2]']);
      const p2 = await children(c, pts.get('[2]')!.variablesReference);
      assert.equal(p2.get('x')?.value, String(1 + 2 * 3));
      assert.equal(p2.get('y')?.value, String(1 * 2 + 2));
      const tag = await children(c, m.get('tag')!.variablesReference);
      assert.equal(tag.get('w')?.value, String(0x11223344 + 1));
      const b = await children(c, tag.get('b')!.variablesReference);
      assert.equal(b.get('[0]')?.value, `${0x45} 'E'`);
      // main linked g_shapes[0] to g_shapes[1] before the calls.
      assert.match(m.get('next')!.value, /^0x[0-9a-f]+$/);
      const next = await children(c, m.get('next')!.variablesReference);
      const nextShape = await children(c, next.get('*')!.variablesReference);
      assert.equal(nextShape.get('color')?.value, 'BLUE');
    });
  }

  it('O0: Globals of the unit, and watch expressions over members, indexes, casts and registers', async () => {
    const c = await client();
    await runToLines(c, O0, [lineOf('g_counter = g_counter + 1;')]);
    const g = await scopeVars(c, 'Globals');
    assert.ok(['g_counter', 'g_shapes', 'g_primes', 'g_total'].every((n) => g.has(n)), [...g.keys()].join(' '));
    assert.equal(g.get('g_total')?.value, '-5');
    assert.equal(g.get('g_primes')?.type, 'const int [5]');
    assert.equal((await evaluate(c, 'g_primes[4]')).result, '11');
    assert.equal((await evaluate(c, 'sh->pts[1].x')).result, '4');
    assert.equal((await evaluate(c, 'g_shapes[1].color')).result, 'BLUE');
    assert.equal((await evaluate(c, 'g_shapes[0].next->pts[0].y')).result, '8');
    assert.equal((await evaluate(c, '(*sh).tag.w')).result, String(0x11223345));
    assert.equal((await evaluate(c, 'w * h + 1')).result, '0x7 (7)');
    const sp = await evaluate(c, '$sp');
    const regs = await request<DebugProtocol.EvaluateResponse>(c, 'evaluate', { expression: '$sp', context: 'repl' });
    assert.equal(sp.result, regs.body.result);
    // A cast of an address: the PL011 flag register, read as the memory request reads it.
    const fr = await evaluate(c, '*(uint32_t *)0x09000018');
    const mem = await request<DebugProtocol.ReadMemoryResponse>(c, 'readMemory', { memoryReference: '0x09000018', count: 4 });
    assert.equal(fr.result, String(Buffer.from(mem.body!.data!, 'base64').readUInt32LE(0)));
    assert.equal(fr.type, 'uint32_t');
  });

  it('O0: setVariable writes a local, and the code computes with the new value', async () => {
    const c = await client();
    await runToLines(c, O0, [lineOf('int a = w * h;')]);
    const st = await c.stackTraceRequest({ threadId: 1 });
    const sc = await c.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
    const ref = sc.body.scopes.find((x) => x.name === 'Locals')!.variablesReference;
    const r = await c.setVariableRequest({ variablesReference: ref, name: 'w', value: '10' });
    assert.equal(r.body.value, '10');
    const s = stopped(c);
    await c.nextRequest({ threadId: 1 });
    await s;
    assert.equal((await evaluate(c, 'a')).result, '20');
  });

  it('O0: each recursive fact frame shows its own n', async () => {
    const c = await client();
    await runToLines(c, O0, [lineOf('return 1;')]);
    const ns: string[] = [];
    for (let i = 0; i < 5; i++) ns.push((await scopeVars(c, 'Locals', i)).get('n')!.value);
    assert.deepEqual(ns, ['1', '2', '3', '4', '5']);
  });

  for (const [name, elf] of [['O2', O2], ['O2 DWARF 4', O2_DW4]] as const) it(`${name}: the call stack unwinds by CFI through functions without frame records, and step out returns`, async () => {
    const c = await client();
    await runToLines(c, elf, [lineOf('s += p[i].x * p[i].y;')]);
    const st = await c.stackTraceRequest({ threadId: 1 });
    const names = st.body.stackFrames.map((f) => f.name);
    assert.deepEqual(names.slice(0, 3), ['leaf_sum', 'area', 'main'], names.join(' <- '));
    assert.equal(st.body.stackFrames[2]!.line, lineOf('checksum += area(&g_shapes[i]);'));
    await c.setBreakpointsRequest({ source: { path: DWARF_C }, breakpoints: [] });
    const s = stopped(c);
    await c.stepOutRequest({ threadId: 1 });
    assert.equal((await s).body.reason, 'step');
    const f = await topFrame(c);
    assert.equal(f.name, 'area');
    assert.equal(f.instructionPointerReference, st.body.stackFrames[1]!.instructionPointerReference, 'returned to the address CFI unwound');
  });
});

describe('exception stacks', () => {
  it('undef: the stack of the synchronous handler continues at ELR in the interrupted function', async () => {
    const c = await client();
    const first = stopped(c);
    await launch(c, { kernel: kernel('undef') }, () => c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sync_handler' }] }));
    await first;
    const st = await c.stackTraceRequest({ threadId: 1 });
    const frames = st.body.stackFrames;
    const names = frames.map((f) => f.name);
    const elr = await evaluate(c, '$elr_el1');
    const udf = await evaluate(c, 'udf_insn');
    // ELR_EL1 is the UDF itself (the handler advances it later); VBAR_EL1 is the table undef.c installed.
    assert.equal(elr.result, udf.result);
    assert.equal((await evaluate(c, '$vbar_el1')).result, (await evaluate(c, 'vector_table')).result);
    const i = frames.findIndex((f) => f.instructionPointerReference === elr.memoryReference);
    // Without the ELR frame the chain would go from sync_entry straight to _start (main's caller).
    assert.deepEqual(names, ['sync_handler', 'sync_entry', 'main', '_start']);
    assert.equal(i, 2);
    assert.equal(frames[i]!.line, undefLine('udf_insn:'));
  });
});

function undefLine(text: string): number {
  return readFileSync(join(KERNELS, 'undef.c'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}
