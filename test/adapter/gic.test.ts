// The debugger side of the GIC/ITS on gic_its.elf (test/fixtures/kernels/gic/gic_its.c, whose output
// matches QEMU's; also gic_sgi.elf and spin.elf): "ITS MAPTI" exception filters with DeviceID conditions stop right after the store to
// GITS_CWRITER that made the ITS run the command, and only for that device; a condition for a device the
// kernel never maps never stops; a64/gicSnapshot shows the LPI pending, then (after stepping over the
// ICC_IAR1_EL1 read) no longer pending but active with its running priority; a64/msiPath names the step
// that blocks; "Interrupt acknowledged" stops right after the MRS of ICC_IAR1_EL1; snapshots are answered
// while the guest runs; malformed conditions come back as unverified breakpoints with the parser's message and a
// console line, and the session goes on.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { GicSnapshotBody, MsiPathBody, StateChangedBody } from '../../src/debugAdapter/gicProtocol';
import { TEST_TIMEOUT, collectOutput, event, kernel, launch, pc, request, startClient, stop, stopped, until } from './helpers';

const GIC_ITS = kernel('gic/gic_its');

let dc: DebugClient | undefined;
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
});

async function client(): Promise<DebugClient> {
  dc = await startClient();
  return dc;
}

function it(name: string, fn: () => Promise<void>): void {
  test(name, { timeout: TEST_TIMEOUT }, fn);
}

/** The address of the first instruction in `fn` whose text matches `re` (through the adapter's disassembler). */
async function findInstruction(c: DebugClient, fn: string, re: RegExp): Promise<bigint> {
  const ev = await c.evaluateRequest({ expression: fn, context: 'repl' });
  const start = BigInt(ev.body.memoryReference ?? ev.body.result.split(/\s/)[0]!);
  const r = await c.disassembleRequest({ memoryReference: `0x${start.toString(16)}`, instructionCount: 64 });
  const hit = r.body!.instructions.find((i) => re.test(i.instruction));
  assert.ok(hit, `no instruction matching ${re} in ${fn}`);
  return BigInt(hit.address);
}

async function snapshot(c: DebugClient): Promise<GicSnapshotBody> {
  return (await request<DebugProtocol.Response & { body: GicSnapshotBody }>(c, 'a64/gicSnapshot', {})).body;
}

async function msiPath(c: DebugClient, deviceId: number, eventId: number): Promise<MsiPathBody> {
  return (await request<DebugProtocol.Response & { body: MsiPathBody }>(c, 'a64/msiPath', { deviceId, eventId })).body;
}

/** Launches gic_its.elf stopped on entry with the given exception filter options set. */
async function launchWith(c: DebugClient, filterOptions: DebugProtocol.ExceptionFilterOptions[]): Promise<DebugProtocol.SetExceptionBreakpointsResponse> {
  let answer: DebugProtocol.SetExceptionBreakpointsResponse | undefined;
  const entry = stopped(c);
  await launch(c, { kernel: GIC_ITS, stopOnEntry: true }, async () => {
    answer = await c.setExceptionBreakpointsRequest({ filters: [], filterOptions });
  });
  await entry;
  return answer!;
}

describe('GIC/ITS debugging (gic_its.elf)', () => {
  it('initialize advertises the event filters with conditions', async () => {
    const c = await client();
    const b = (await c.initializeRequest()).body!;
    assert.equal(b.supportsExceptionFilterOptions, true);
    const byLabel = new Map((b.exceptionBreakpointFilters ?? []).map((f) => [f.label, f]));
    for (const cmd of ['MAPTI', 'MAPD', 'MAPC', 'MAPI', 'INV', 'INVALL', 'SYNC', 'DISCARD', 'MOVI', 'INT', 'CLEAR', 'MOVALL']) {
      const f = byLabel.get(`ITS ${cmd}`);
      assert.ok(f, `ITS ${cmd}`);
      assert.equal(f.supportsCondition, true);
    }
    for (const label of ['LPI delivered', 'Interrupt acknowledged (ICC_IAR)', 'Exception taken (synchronous)', 'Undefined instruction']) {
      assert.ok(byLabel.has(label), label);
    }
  });

  it('"ITS MAPTI" with DeviceID == 600 stops once, after the GITS_CWRITER store that ran it, not for device 0', async () => {
    const c = await client();
    const answer = await launchWith(c, [{ filterId: 'its-mapti', condition: 'DeviceID == 600' }]);
    assert.deepEqual(answer.body!.breakpoints!.map((b) => b.verified), [true]);
    const store = await findInstruction(c, 'go', /^str\s/);
    const hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    const e = await hit;
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.description!, /^ITS MAPTI DeviceID=0x258 EventID=0x0 pINTID=8197 ICID=0, caused by the instruction at 0x[0-9a-f]+ <go\+0x[0-9a-f]+>/);
    assert.equal(await pc(c), store + 4n, 'stopped after the store to GITS_CWRITER');
    const info = await c.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'ITS MAPTI');
    assert.match(info.body.description!, new RegExp(`Caused by the instruction at 0x${store.toString(16)} <go\\+0x[0-9a-f]+>`));
    assert.match(info.body.description!, /Filter: ITS MAPTI if DeviceID == 600/);
    assert.match(info.body.description!, /DeviceID=0x258 EventID=0x0 pINTID=8197 ICID=0/);
    // The ITS table shows the device the command just mapped.
    const s = await snapshot(c);
    const dev = s.gic!.its.devices.find((d) => d.deviceId === 600);
    assert.ok(dev?.dte.valid, 'DeviceID 600 mapped');
    assert.deepEqual(dev.events.map((x) => [x.eventId, x.ite.pINTID]), [[0, 8197]]);
    // No other MAPTI has DeviceID 600: the guest runs to its end.
    const out = collectOutput(c);
    const ended = event(c, 'terminated');
    await c.continueRequest({ threadId: 1 });
    await ended;
    await until(() => out.text.includes('gic_its: done'), 'the end of the kernel');
  });

  it('"ITS MAPTI" with DeviceID == 0 stops at the first GITS_CWRITER store; a device never mapped never stops', async () => {
    const c = await client();
    await launchWith(c, [{ filterId: 'its-mapti', condition: 'deviceid == 0 && EventID == 3' }]);
    const store = await findInstruction(c, 'go', /^str\s/);
    const hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    const e = await hit;
    assert.match(e.body.description!, /^ITS MAPTI DeviceID=0x0 EventID=0x3 pINTID=8192 ICID=0,/);
    assert.equal(await pc(c), store + 4n);
    await stop(c);

    const c2 = dc = await startClient();
    const out = collectOutput(c2);
    await launchWith(c2, [{ filterId: 'its-mapti', condition: 'DeviceID == 0x1234' }]);
    const stops: string[] = [];
    c2.on('stopped', (ev: DebugProtocol.StoppedEvent) => stops.push(ev.body.reason));
    const ended = event(c2, 'terminated');
    await c2.continueRequest({ threadId: 1 });
    await ended;
    assert.deepEqual(stops, []);
    await until(() => out.text.includes('gic_its: done'), 'the end of the kernel');
  });

  it('a64/gicSnapshot: the LPI pending after GITS_TRANSLATER, then active after stepping over the ICC_IAR1_EL1 read', async () => {
    const c = await client();
    const generations: number[] = [];
    c.on('a64/stateChanged', (ev: DebugProtocol.Event) => generations.push((ev.body as StateChangedBody).generation));
    await launchWith(c, [{ filterId: 'lpi-delivered', condition: 'INTID == 8192 && DeviceID == 0 && EventID == 3' }]);
    const iar = await findInstruction(c, 'take', /^mrs\s+x\d+, icc_iar1_el1/);
    let hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    const e = await hit;
    assert.match(e.body.description!, /^LPI 8192 delivered to CPU 0 \(DeviceID=0x0 EventID=0x3, GITS_TRANSLATER\)/);
    const s1 = await snapshot(c);
    assert.equal(s1.schema, 1);
    assert.equal(s1.state, 'stopped');
    assert.deepEqual(s1.gic!.cpus[0]!.lpis.pending, [8192]);
    assert.equal(s1.gic!.cpus[0]!.hppi.intid, 8192);
    assert.equal(s1.activity!.lpisDelivered, 1);
    assert.deepEqual(s1.activity!.active, []);
    assert.equal(s1.cpus[0]!.irqMasked, true, 'the kernel polls with IRQs masked');
    // The ITS mapping for the panel: device 0, event 3 -> LPI 8192 in collection 0 -> redistributor 0.
    const d0 = s1.gic!.its.devices.find((d) => d.deviceId === 0)!;
    assert.deepEqual(d0.events.find((x) => x.eventId === 3)?.ite, { valid: true, pINTID: 8192, icid: 0 });
    assert.deepEqual(s1.gic!.its.collections.find((x) => x.icid === 0)?.cte, { valid: true, rdbase: 0 });
    assert.ok(s1.gic!.its.commands.some((cmd) => cmd.cmd === 'MAPTI' && cmd.DeviceID === 0 && cmd.EventID === 3));

    // A snapshot does not acknowledge or change anything: the same again.
    assert.deepEqual(await snapshot(c), s1);

    // Run to the ICC_IAR1_EL1 read, still pending there; step over it: acknowledged, active.
    await request(c, 'setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${iar.toString(16)}` }] });
    hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    await hit;
    assert.equal(await pc(c), iar);
    const s2 = await snapshot(c);
    assert.deepEqual(s2.gic!.cpus[0]!.lpis.pending, [8192]);
    assert.ok(s2.generation > s1.generation, `generation rises on resume and stop (${s1.generation} -> ${s2.generation})`);
    hit = stopped(c);
    await c.stepInRequest({ threadId: 1, granularity: 'instruction' });
    await hit;
    const s3 = await snapshot(c);
    assert.deepEqual(s3.gic!.cpus[0]!.lpis.pending, []);
    assert.deepEqual(s3.activity!.active.map((a) => [a.cpu, a.intid, a.priority]), [[0, 8192, 0xa0]]);
    assert.equal(s3.gic!.cpus[0]!.cpuInterface.runningPriority, 0xa0);
    assert.ok(s3.generation > s2.generation);
    assert.deepEqual(generations, [...generations].sort((a, b) => a - b), 'a64/stateChanged generations rise');
    assert.equal(generations[generations.length - 1], s3.generation);
  });

  it('a64/msiPath follows (DeviceID, EventID) and names the first step that blocks', async () => {
    const c = await client();
    await launchWith(c, [{ filterId: 'its-mapti', condition: 'DeviceID == 0 && EventID == 3' }]);
    const before = await msiPath(c, 0, 3);
    assert.match(before.blocked!, /^GITS_TRANSLATER \(ITS enabled\): ITS disabled/);
    const hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    await hit;
    const p = await msiPath(c, 0, 3);
    assert.deepEqual(p.target, { cpu: 0, intid: 8192 });
    assert.deepEqual(p.steps.map((s) => s.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'blocked']);
    assert.match(p.blocked!, /IRQs masked at CPU 0 \(PSTATE\.DAIF = DAIF\)/);
    assert.match(p.steps[2]!.detail, /pINTID 8192, ICID 0/);
    const unmapped = await msiPath(c, 9, 0);
    assert.deepEqual(unmapped.steps.map((s) => s.status), ['ok', 'blocked', 'not reached', 'not reached', 'not reached', 'not reached', 'not reached']);
    assert.match(unmapped.blocked!, /unmapped device/);
    const event5 = await msiPath(c, 0, 5);
    assert.match(event5.blocked!, /^ITT: EventID → LPI, collection: unmapped event/);
    await assert.rejects(request(c, 'a64/msiPath', { deviceId: -1, eventId: 0 }), /deviceId must be an integer/);
  });

  it('malformed conditions: unverified filter with the message, a console line, and the session goes on', async () => {
    const c = await client();
    const err = collectOutput(c, 'stderr');
    const answer = await launchWith(c, [
      { filterId: 'its-mapti', condition: 'DeviceID == ' },
      { filterId: 'its-mapd', condition: 'EventID == 1' },
      { filterId: 'exception', condition: 'EC = 0x15' },
      { filterId: 'lpi-delivered', condition: 'INTID == 8192' },
    ]);
    const bps = answer.body!.breakpoints!;
    assert.deepEqual(bps.map((b) => b.verified), [false, false, false, true]);
    assert.match(bps[0]!.message!, /ITS MAPTI condition 'DeviceID == ': column 13: expected a number, a field name or \(, found the end of the condition/);
    assert.match(bps[1]!.message!, /unknown field 'EventID'; this filter's fields are DeviceID, Size, ITT_addr, V, Error/);
    assert.match(bps[2]!.message!, /'=' is not an operator; compare with '=='/);
    await until(() => /ITS MAPTI condition/.test(err.text) && /Exception taken condition/.test(err.text), 'the console lines');
    // The valid filter still works.
    const hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    const e = await hit;
    assert.match(e.body.description!, /^LPI 8192 delivered/);
  });

  it('"Exception taken" with an EC condition stops at the vector for that class only', async () => {
    // undef.elf takes one Undefined Instruction exception (EC 0x00), then exits through semihosting.
    const c = await client();
    const stops: string[] = [];
    c.on('stopped', (ev: DebugProtocol.StoppedEvent) => stops.push(ev.body.reason));
    const exited = event<DebugProtocol.ExitedEvent>(c, 'exited');
    await launch(c, { kernel: kernel('undef') }, () =>
      c.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'exception', condition: 'EC == 0x15 || EC == 0x24' }] }));
    await exited;
    assert.deepEqual(stops, [], 'no SVC or data abort happens');
    await stop(c);

    const c2 = dc = await startClient();
    const hit = stopped(c2);
    await launch(c2, { kernel: kernel('undef') }, () =>
      c2.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'exception', condition: '!(EC > 0)' }] }));
    const e = await hit;
    assert.equal(e.body.reason, 'exception');
    const info = await c2.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.exceptionId, /0x00/);
  });

  it('"Interrupt acknowledged" with INTID == 5 on gic_sgi.elf stops right after the MRS of ICC_IAR1_EL1 that returned it', async () => {
    const c = await client();
    const entry = stopped(c);
    await launch(c, { kernel: kernel('gic/gic_sgi'), stopOnEntry: true }, () =>
      c.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'interrupt-acknowledged', condition: 'INTID == 5 && CPU == 0' }] }));
    await entry;
    const hit = stopped(c);
    await c.continueRequest({ threadId: 1 });
    const e = await hit;
    assert.match(e.body.description!, /^Interrupt 5 acknowledged by CPU 0 \(ICC_IAR1_EL1, priority 0x80\), caused by the instruction at (0x[0-9a-f]+)/);
    const cause = BigInt(/caused by the instruction at (0x[0-9a-f]+)/.exec(e.body.description!)![1]!);
    const insn = (await c.disassembleRequest({ memoryReference: `0x${cause.toString(16)}`, instructionCount: 1 })).body!.instructions[0]!;
    assert.match(insn.instruction, /^mrs\s+x\d+, icc_iar1_el1/);
    assert.equal(await pc(c), cause + 4n);
    const s = await snapshot(c);
    assert.deepEqual(s.activity!.active.map((a) => a.intid), [5]);
    assert.equal(s.gic!.cpus[0]!.private[5]!.active, true, 'SGI 5 active in the redistributor');
    assert.equal(s.gic!.cpus[0]!.cpuInterface.runningPriority, 0x80);
  });

  it('a64/gicSnapshot answers while the guest runs (state running), without stopping it', async () => {
    const c = await client();
    const out = collectOutput(c);
    const states: string[] = [];
    c.on('a64/stateChanged', (ev: DebugProtocol.Event) => states.push((ev.body as StateChangedBody).state));
    await launch(c, { kernel: kernel('spin') });
    await until(() => out.text.includes('spinning'), 'spin output');
    const a = await snapshot(c);
    const b = await snapshot(c);
    assert.equal(a.state, 'running');
    assert.equal(b.state, 'running');
    assert.notEqual(a.cpus[0]!.pc, undefined);
    assert.equal(a.gic!.cpus.length, 1);
    const paused = stopped(c);
    await c.pauseRequest({ threadId: 1 });
    assert.equal((await paused).body.reason, 'pause');
    const s = await snapshot(c);
    assert.equal(s.state, 'stopped');
    assert.ok(s.generation > a.generation);
    assert.deepEqual(states, ['running', 'stopped'], 'configurationDone started it, the pause stopped it');
  });

  it('"MMU enabled" stops right after the MSR to SCTLR_EL1 that set M (sys/mmu4k.elf), and a condition on EL 2 never does', async () => {
    const c = await client();
    const hit = stopped(c);
    await launch(c, { kernel: kernel('sys/mmu4k') }, () =>
      c.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'mmu-enabled', condition: 'EL == 1 && CPU == 0' }] }));
    const e = await hit;
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.description!, /^MMU enabled on CPU 0 \(SCTLR_EL1\.M, EL1&0 regime: TTBR0 0x[0-9a-f]+ TTBR1 0x[0-9a-f]+ TCR 0x[0-9a-f]+ MAIR 0x[0-9a-f]+\), caused by the instruction at (0x[0-9a-f]+)/);
    const cause = BigInt(/caused by the instruction at (0x[0-9a-f]+)/.exec(e.body.description!)![1]!);
    const insn = (await c.disassembleRequest({ memoryReference: `0x${cause.toString(16)}`, instructionCount: 1 })).body!.instructions[0]!;
    assert.match(insn.instruction, /^msr\s+sctlr_el1, x\d+/);
    assert.equal(await pc(c), cause + 4n);
    await stop(c);

    const c2 = dc = await startClient();
    const stops: string[] = [];
    c2.on('stopped', (ev: DebugProtocol.StoppedEvent) => stops.push(ev.body.reason));
    const ended = event(c2, 'terminated');
    await launch(c2, { kernel: kernel('sys/mmu4k') }, () =>
      c2.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'mmu-enabled', condition: 'EL == 2' }] }));
    await ended;
    assert.deepEqual(stops, []);
  });
});
