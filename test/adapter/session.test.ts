// DAP sessions against the real adapter process (see helpers.ts): launch and stop on entry, function and
// instruction breakpoints, stepping (in, over a BL, out), stack traces through frame records, registers,
// memory, disassembly, evaluate, pause of a spinning guest, UART output and input, exception filters,
// exit codes, and launch failures that name the file.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { HELLO, TEST_TIMEOUT, collectOutput, event, kernel, launch, pc, request, startClient, stop, stopped, topFrame, until } from './helpers';

let dc: DebugClient | undefined;
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
});

async function client(): Promise<DebugClient> {
  dc = await startClient();
  return dc;
}

async function disassembleAt(c: DebugClient, address: bigint, instructionOffset: number, instructionCount: number): Promise<DebugProtocol.DisassembledInstruction[]> {
  const r = await c.disassembleRequest({ memoryReference: `0x${address.toString(16)}`, instructionOffset, instructionCount });
  return r.body!.instructions;
}

async function readU32(c: DebugClient, address: bigint): Promise<number> {
  const r = await request<DebugProtocol.ReadMemoryResponse>(c, 'readMemory', { memoryReference: `0x${address.toString(16)}`, count: 4 });
  return Buffer.from(r.body!.data!, 'base64').readUInt32LE(0);
}

async function evaluate(c: DebugClient, expression: string): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await c.evaluateRequest({ expression, context: 'repl' })).body;
}

/** Launches with function breakpoints and waits for the first stop. */
async function runToFunction(c: DebugClient, file: string, names: string[]): Promise<DebugProtocol.StoppedEvent> {
  const first = stopped(c);
  await launch(c, { kernel: file }, () => c.setFunctionBreakpointsRequest({ breakpoints: names.map((name) => ({ name })) }));
  return first;
}

/** Each test gets its own generous timeout (a suite-level timeout would cover all of them together). */
function it(name: string, fn: () => Promise<void>, opts: { skip?: string } = {}): void {
  test(name, { timeout: TEST_TIMEOUT, ...opts }, fn);
}

describe('A64 debug adapter', () => {
  it('initialize advertises the capabilities', async () => {
    const c = await client();
    const r = await c.initializeRequest();
    const b = r.body!;
    for (const k of [
      'supportsConfigurationDoneRequest', 'supportsFunctionBreakpoints', 'supportsInstructionBreakpoints',
      'supportsDisassembleRequest', 'supportsReadMemoryRequest', 'supportsWriteMemoryRequest',
      'supportsSteppingGranularity', 'supportsSetVariable', 'supportsTerminateRequest', 'supportsExceptionInfoRequest',
    ] as const) assert.equal(b[k], true, k);
    assert.notEqual(b.supportsRestartRequest, true);
    const filters = (b.exceptionBreakpointFilters ?? []).map((f) => f.label);
    assert.ok(filters.includes('Undefined instruction'));
    assert.ok(filters.includes('Guest errors (unmapped access, device misuse)'));
  });

  it('stopOnEntry stops at _start with one thread per CPU', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true });
    const e = await ev;
    assert.equal(e.body.reason, 'entry');
    assert.equal(e.body.threadId, 1);
    const threads = await c.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name), ['CPU 0']);
    const f = await topFrame(c);
    assert.equal(f.name, '_start');
    assert.equal(f.instructionPointerReference, '0x40080000');
  });

  it('function breakpoint on kernel_main, then stepIn advances PC by one instruction', async () => {
    const c = await client();
    const e = await runToFunction(c, HELLO, ['kernel_main']);
    assert.ok(['function breakpoint', 'breakpoint'].includes(e.body.reason), e.body.reason);
    const f = await topFrame(c);
    assert.equal(f.name, 'kernel_main');
    const sym = await evaluate(c, 'kernel_main');
    assert.equal(BigInt(f.instructionPointerReference!), BigInt(sym.memoryReference!));
    const before = await pc(c);
    const s = stopped(c);
    await c.stepInRequest({ threadId: 1, granularity: 'instruction' });
    assert.equal((await s).body.reason, 'step');
    assert.equal(await pc(c), before + 4n);
  });

  it('function breakpoints: unknown symbols are unverified, known ones carry their address', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true }, async () => {
      const r = await c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'no_such_function' }, { name: 'fib' }] });
      const [bad, good] = r.body.breakpoints;
      assert.equal(bad!.verified, false);
      assert.match(bad!.message ?? '', /no_such_function/);
      assert.equal(good!.verified, true);
      assert.equal(good!.instructionReference, '0x4008016c');
    });
    await ev;
  });

  it('a source breakpoint in a file the kernel has no line info for is unverified, and says so', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true }, async () => {
      const r = await c.setBreakpointsRequest({ source: { path: '/x/hello.c' }, breakpoints: [{ line: 10 }] });
      assert.equal(r.body.breakpoints[0]!.verified, false);
      assert.match(r.body.breakpoints[0]!.message ?? '', /no code at or after line 10 of \/x\/hello.c/);
    });
    await ev;
  });

  it('instruction breakpoint stops at its address', async () => {
    const c = await client();
    const first = stopped(c);
    await launch(c, { kernel: kernel('calls') }, async () => {
      const r = await request<DebugProtocol.SetInstructionBreakpointsResponse>(c, 'setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x40080084' }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
    });
    const e = await first;
    assert.ok(['instruction breakpoint', 'breakpoint'].includes(e.body.reason), e.body.reason);
    assert.equal(await pc(c), 0x40080084n);
    assert.equal((await topFrame(c)).name, 'b'); // the DWARF function name (calls.c is built with -g)
  });

  it('next steps over a BL: PC is the BL + 4 and the callee ran', async () => {
    const c = await client();
    await runToFunction(c, kernel('calls'), ['main']);
    const counter = BigInt((await evaluate(c, 'counter')).memoryReference!);
    assert.equal(await readU32(c, counter), 0);
    let at = await pc(c);
    for (let i = 0; i < 20; i++) {
      const [insn] = await disassembleAt(c, at, 0, 1);
      if (/^bl\s/.test(insn!.instruction)) break;
      const s = stopped(c);
      await c.nextRequest({ threadId: 1, granularity: 'instruction' });
      assert.equal((await s).body.reason, 'step');
      at = await pc(c);
    }
    const [bl] = await disassembleAt(c, at, 0, 1);
    assert.match(bl!.instruction, /^bl\s/, 'reached a bl');
    const s = stopped(c);
    await c.nextRequest({ threadId: 1, granularity: 'instruction' });
    assert.equal((await s).body.reason, 'step');
    assert.equal(await pc(c), at + 4n);
    assert.equal(await readU32(c, counter), 1, 'c() incremented counter');
    assert.equal((await topFrame(c)).name, 'main');
  });

  it('next over a BL stops at a breakpoint inside the callee', async () => {
    const c = await client();
    await runToFunction(c, kernel('calls'), ['main']);
    // Step to main's first bl (bl a), then set a breakpoint in c and step over the call.
    for (let i = 0; i < 20; i++) {
      const [insn] = await disassembleAt(c, await pc(c), 0, 1);
      if (/^bl\s/.test(insn!.instruction)) break;
      const s = stopped(c);
      await c.stepInRequest({ threadId: 1, granularity: 'instruction' });
      await s;
    }
    await c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }, { name: 'c' }] });
    const s = stopped(c);
    await c.nextRequest({ threadId: 1 });
    const e = await s;
    assert.ok(['function breakpoint', 'breakpoint'].includes(e.body.reason), e.body.reason);
    assert.equal((await topFrame(c)).name, 'c');
    // The abandoned step leaves no temporary breakpoint behind: continuing stops in c again (next call).
    const s2 = stopped(c);
    await c.continueRequest({ threadId: 1 });
    await s2;
    assert.equal((await topFrame(c)).name, 'c');
  });

  it('stack trace inside c shows c <- b <- a <- main; stepOut returns to b', async () => {
    const c = await client();
    await runToFunction(c, kernel('calls'), ['c']);
    // At c's first instruction (prologue window: the return address is still in LR).
    let st = await c.stackTraceRequest({ threadId: 1 });
    let names = st.body.stackFrames.map((f) => f.name);
    assert.deepEqual(names.slice(0, 4).map((n) => n.replace(/\+.*/, '')), ['c', 'b', 'a', 'main'], names.join(' <- '));
    assert.equal(names[0], 'c');
    // After the prologue the frame records give the same stack.
    for (let i = 0; i < 3; i++) {
      const s = stopped(c);
      await c.stepInRequest({ threadId: 1, granularity: 'instruction' });
      await s;
    }
    st = await c.stackTraceRequest({ threadId: 1 });
    names = st.body.stackFrames.map((f) => f.name);
    assert.deepEqual(names.slice(0, 4).map((n) => n.replace(/\+.*/, '')), ['c', 'b', 'a', 'main'], names.join(' <- '));
    assert.equal(st.body.stackFrames[1]!.instructionPointerReference, '0x40080088');
    // Step out lands on the return address in b.
    const s = stopped(c);
    await c.stepOutRequest({ threadId: 1 });
    assert.equal((await s).body.reason, 'step');
    assert.equal(await pc(c), 0x40080088n);
    assert.equal((await topFrame(c)).name, 'b');
  });

  it('registers scope: X0..X30, SP, PC, PSTATE with decoded fields; setVariable writes a register', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true });
    await ev;
    const f = await topFrame(c);
    const scopes = await c.scopesRequest({ frameId: f.id });
    // With DWARF the source scopes (Locals, Globals) come first; Registers is last.
    const registers = scopes.body.scopes.find((x) => x.name === 'Registers')!;
    assert.ok(registers);
    const vars = (await c.variablesRequest({ variablesReference: registers.variablesReference })).body.variables;
    const names = vars.map((v) => v.name);
    assert.deepEqual(names, [...Array.from({ length: 31 }, (_, i) => `X${i}`), 'SP', 'PC', 'PSTATE']);
    const byName = new Map(vars.map((v) => [v.name, v]));
    assert.equal(byName.get('PC')!.value, '0x0000000040080000');
    assert.equal(byName.get('X0')!.value, '0x0000000040000000', 'x0 = DTB address');
    const pstate = byName.get('PSTATE')!;
    assert.match(pstate.value, /^NZCV=[01]{4} DAIF=[01]{4} EL1h$/);
    const fields = (await c.variablesRequest({ variablesReference: pstate.variablesReference })).body.variables;
    assert.deepEqual(fields.map((v) => v.name), ['N', 'Z', 'C', 'V', 'D', 'A', 'I', 'F', 'EL', 'SP']);
    assert.equal(fields.find((v) => v.name === 'EL')!.value, 'EL1');
    const set = await c.setVariableRequest({ variablesReference: registers.variablesReference, name: 'X5', value: '0x1234' });
    assert.equal(set.body.value, '0x0000000000001234');
    assert.equal((await evaluate(c, '$x5')).result, '0x1234 (4660)');
    await c.setVariableRequest({ variablesReference: pstate.variablesReference, name: 'Z', value: '1' });
    const after = (await c.variablesRequest({ variablesReference: registers.variablesReference })).body.variables;
    assert.match(after.find((v) => v.name === 'PSTATE')!.value, /^NZCV=.1.. /);
  });

  it('readMemory of the DTB at 0x40000000 starts with d00dfeed; writeMemory round-trips', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true });
    await ev;
    const r = await request<DebugProtocol.ReadMemoryResponse>(c, 'readMemory', { memoryReference: '0x40000000', count: 16 });
    assert.equal(r.body!.address, '0x40000000');
    assert.equal(Buffer.from(r.body!.data!, 'base64').subarray(0, 4).toString('hex'), 'd00dfeed');
    const w = await request<DebugProtocol.WriteMemoryResponse>(c, 'writeMemory', { memoryReference: '0x40100000', data: Buffer.from('cafef00d', 'hex').toString('base64') });
    assert.equal(w.body!.bytesWritten, 4);
    const back = await request<DebugProtocol.ReadMemoryResponse>(c, 'readMemory', { memoryReference: '0x40100000', count: 4 });
    assert.equal(Buffer.from(back.body!.data!, 'base64').toString('hex'), 'cafef00d');
    // Unmapped memory reads as unreadable bytes, not an error.
    const un = await request<DebugProtocol.ReadMemoryResponse>(c, 'readMemory', { memoryReference: '0x100000000000', count: 8 });
    assert.equal(un.body!.unreadableBytes, 8);
  });

  it('disassemble around PC (negative offset), symbols, unreadable addresses', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true });
    await ev;
    const lines = await disassembleAt(c, 0x40080000n, -2, 8);
    assert.equal(lines.length, 8);
    assert.deepEqual(lines.map((l) => l.address), ['0x4007fff8', '0x4007fffc', '0x40080000', '0x40080004', '0x40080008', '0x4008000c', '0x40080010', '0x40080014']);
    assert.deepEqual(lines.slice(2).map((l) => l.instruction.split(/\s+/)[0]), ['mov', 'mrs', 'and', 'cbnz', 'adrp', 'add']);
    assert.equal(lines[2]!.instruction.replace(/\s+/g, ' '), 'mov x19, x0');
    assert.equal(lines[2]!.instructionBytes, 'aa0003f3');
    assert.equal(lines[2]!.symbol, '_start');
    assert.match(lines[5]!.instruction, /cbnz\s+x1, 40080050 <park>/);
    const un = await disassembleAt(c, 0x100000000000n, -1, 3);
    assert.equal(un.length, 3);
    for (const l of un) assert.equal(l.presentationHint, 'invalid');
  });

  it('evaluate registers, numbers and symbols', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true });
    await ev;
    const p = await evaluate(c, '$pc');
    assert.equal(p.result, '0x40080000 <_start>');
    assert.equal(p.memoryReference, '0x40080000');
    assert.equal((await evaluate(c, '$x0')).memoryReference, '0x40000000');
    assert.equal((await evaluate(c, '0x10')).result, '0x10 (16)');
    assert.equal((await evaluate(c, '42')).result, '0x2a (42)');
    assert.equal((await evaluate(c, 'fib+4')).result, '0x40080170 <fib+0x4>');
    assert.ok((await evaluate(c, '$sp')).result.startsWith('0x'));
    await assert.rejects(c.evaluateRequest({ expression: '$nonsense' }));
  });

  it('pause while spin.elf runs stops with reason pause', async () => {
    const c = await client();
    const out = collectOutput(c);
    await launch(c, { kernel: kernel('spin') });
    await until(() => out.text.includes('spinning'), 'spin output');
    const s = stopped(c);
    await c.pauseRequest({ threadId: 1 });
    const e = await s;
    assert.equal(e.body.reason, 'pause');
    const f = await topFrame(c);
    assert.ok(f.name.length > 0);
    // and it can go on running and be paused again
    await c.continueRequest({ threadId: 1 });
    const s2 = stopped(c);
    await c.pauseRequest({ threadId: 1 });
    assert.equal((await s2).body.reason, 'pause');
  });

  it('a guest idle in WFI is announced, can be paused, and resumes on UART input', async () => {
    const c = await client();
    const consoleOut = collectOutput(c, 'console');
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true });
    await ev;
    // 0x40080000: wfi; b 0x40080000
    const loop = Buffer.from([0x7f, 0x20, 0x03, 0xd5, 0xff, 0xff, 0xff, 0x17]);
    await request(c, 'writeMemory', { memoryReference: '0x40080000', data: loop.toString('base64') });
    await c.continueRequest({ threadId: 1 });
    await until(() => /WFI/.test(consoleOut.text), 'the idle note');
    const s = stopped(c);
    await c.pauseRequest({ threadId: 1 });
    assert.equal((await s).body.reason, 'pause');
    const at = await pc(c);
    assert.ok(at === 0x40080000n || at === 0x40080004n, `pc ${at.toString(16)}`);
    // Input wakes it: it runs (and idles again), and a pause still answers.
    await c.continueRequest({ threadId: 1 });
    await c.customRequest('a64.uartInput', { uart: 0, data: Buffer.from('x').toString('base64') });
    const s2 = stopped(c);
    await c.pauseRequest({ threadId: 1 });
    assert.equal((await s2).body.reason, 'pause');
  });

  it('hello runs to power off: UART output, a64.uart events, exited(0) and terminated', async () => {
    const c = await client();
    const out = collectOutput(c);
    const uart: string[] = [];
    c.on('a64.uart', (e: DebugProtocol.Event) => uart.push(Buffer.from((e.body as { data: string }).data, 'base64').toString('latin1')));
    const exited = event<DebugProtocol.ExitedEvent>(c, 'exited');
    const terminated = event(c, 'terminated');
    await launch(c, { kernel: HELLO });
    const x = await exited;
    await terminated;
    assert.equal(x.body.exitCode, 0);
    assert.ok(out.text.includes('Hello from A64 Studio!'), out.text);
    assert.ok(out.text.includes('Fibonacci: 0 1 1 2 3 5 8 13 21 34 55 89'), out.text);
    assert.ok(uart.join('').includes('Hello from A64 Studio!\r\n'));
  });

  it('hello at EL2 reports EL2', async () => {
    const c = await client();
    const out = collectOutput(c);
    const terminated = event(c, 'terminated');
    await launch(c, { kernel: HELLO, el: 2 });
    await terminated;
    assert.ok(out.text.includes('Running at EL2'), out.text);
  });

  it('a64.uartInput types into the UART (uart_echo)', async () => {
    const c = await client();
    const out = collectOutput(c);
    const exited = event<DebugProtocol.ExitedEvent>(c, 'exited');
    await launch(c, { kernel: kernel('uart_echo') });
    await until(() => out.text.includes('echo: ready'), 'echo: ready');
    await c.customRequest('a64.uartInput', { uart: 0, data: Buffer.from('abcq').toString('base64') });
    assert.equal((await exited).body.exitCode, 0);
    assert.ok(out.text.includes('ABC'), out.text);
    assert.ok(out.text.includes('bye'), out.text);
  });

  it('semihosting exit status becomes the exit code', async () => {
    const c = await client();
    const exited = event<DebugProtocol.ExitedEvent>(c, 'exited');
    await launch(c, { kernel: kernel('semihost') });
    assert.equal((await exited).body.exitCode, 3);
  });

  it('the Undefined instruction filter stops with reason exception and describes ESR EC 0x00', async () => {
    const c = await client();
    const s = stopped(c);
    await launch(c, { kernel: kernel('undef') }, () => c.setExceptionBreakpointsRequest({ filters: ['undefined-instruction'] }));
    const e = await s;
    assert.equal(e.body.reason, 'exception');
    const info = await c.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.exceptionId, /0x00/);
    assert.match(info.body.description ?? '', /udf_insn/);
    assert.match(info.body.details?.typeName ?? '', /EC 0x00/);
  });

  it('without the filter, an undefined instruction is a guest error on the console and the guest goes on', async () => {
    const c = await client();
    const err = collectOutput(c, 'stderr');
    const out = collectOutput(c);
    const exited = event<DebugProtocol.ExitedEvent>(c, 'exited');
    await launch(c, { kernel: kernel('undef') });
    await exited;
    assert.ok(out.text.includes('resumed'), out.text);
    assert.match(err.text, /undefined instruction/i);
  });

  it('the guest-errors filter stops on an access to unmapped memory', async () => {
    const c = await client();
    const ev = stopped(c);
    await launch(c, { kernel: HELLO, stopOnEntry: true }, () => c.setExceptionBreakpointsRequest({ filters: ['guest-errors'] }));
    await ev;
    // Put `ldr x0, [x1]` at PC and point x1 at a hole in the physical address map.
    const w = await request<DebugProtocol.WriteMemoryResponse>(c, 'writeMemory', { memoryReference: '0x40080000', data: Buffer.from([0x20, 0x00, 0x40, 0xf9]).toString('base64') });
    assert.equal(w.body!.bytesWritten, 4);
    const [insn] = await disassembleAt(c, 0x40080000n, 0, 1);
    assert.equal(insn!.instruction.replace(/\s+/g, ' '), 'ldr x0, [x1]');
    const f = await topFrame(c);
    const regs = (await c.scopesRequest({ frameId: f.id })).body.scopes.find((x) => x.name === 'Registers')!.variablesReference;
    await c.setVariableRequest({ variablesReference: regs, name: 'X1', value: '0x0b000000' }); // a hole in QEMU's virt map too
    const s = stopped(c);
    await c.continueRequest({ threadId: 1 });
    const e = await s;
    assert.equal(e.body.reason, 'exception');
    const info = await c.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'guest-error');
    assert.match(info.body.description ?? '', /unmapped/);
  });

  it('launch of a malformed ELF fails with the loader\'s message naming the file', async () => {
    const c = await client();
    const dir = mkdtempSync(join(tmpdir(), 'a64-test-'));
    const bad = join(dir, 'truncated.elf');
    writeFileSync(bad, readFileSync(HELLO).subarray(0, 100));
    await c.initializeRequest();
    await assert.rejects(c.launchRequest({ kernel: bad } as DebugProtocol.LaunchRequestArguments), (e: Error) => {
      assert.ok(e.message.startsWith(bad), e.message);
      return true;
    });
  });

  it('launch of a missing file fails with a message naming the file', async () => {
    const c = await client();
    const missing = join(tmpdir(), 'a64-no-such-kernel.elf');
    await c.initializeRequest();
    await assert.rejects(c.launchRequest({ kernel: missing } as DebugProtocol.LaunchRequestArguments), (e: Error) => {
      assert.ok(e.message.includes(missing), e.message);
      return true;
    });
  });

  it('launch of a text file fails with a message naming the file', async () => {
    const c = await client();
    const dir = mkdtempSync(join(tmpdir(), 'a64-test-'));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a kernel\n'.repeat(20));
    const fakeElf = join(dir, 'fake.elf');
    writeFileSync(fakeElf, 'not an elf either\n');
    await c.initializeRequest();
    for (const f of [text, fakeElf]) {
      await assert.rejects(c.launchRequest({ kernel: f } as DebugProtocol.LaunchRequestArguments), (e: Error) => {
        assert.ok(e.message.includes(f), e.message);
        return true;
      });
    }
  });

  it('launch without "kernel" fails with a message about the attribute', async () => {
    const c = await client();
    await c.initializeRequest();
    await assert.rejects(c.launchRequest({} as DebugProtocol.LaunchRequestArguments), /"kernel" is required/);
  });
});
