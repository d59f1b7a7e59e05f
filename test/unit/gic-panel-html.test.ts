// What the GIC/ITS panel shows (src/extension/gicPanelHtml.ts), from real state: gic_its.elf runs on the
// machine until its first LPI is delivered (Machine.stopAfterInstruction from the GIC event, as the
// debugger's filters do), then the panel's HTML must show the ITS mapping DeviceID 0 → ITT → EventID 3 →
// LPI 8192 → collection 0 → redistributor 0, the LPI pending, the decoded command history, and an MSI path
// blocked by PSTATE.I; at the end of the run, the two-level device 600 and the commands the ITS ignored.
// Text from the snapshot is escaped. The MSI path steps follow the model at a disabled LPI and an unreachable device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Machine, type GicEvent } from '../../src/emu/index';
import { GicActivity } from '../../src/debugAdapter/gicActivity';
import { msiSteps } from '../../src/debugAdapter/gicRequests';
import type { GicSnapshotBody, MsiPathBody, PanelCpu } from '../../src/debugAdapter/gicProtocol';
import { renderGic, renderMsi } from '../../src/extension/gicPanelHtml';

const ELF = 'test/fixtures/kernels/gic/gic_its.elf'; // tests run from the repository root

function boot(): { m: Machine; activity: GicActivity; firstLpi: () => boolean } {
  const activity = new GicActivity();
  let lpis = 0;
  const m: Machine = new Machine({}, {
    gic: (e: GicEvent) => {
      activity.onEvent(e);
      if (e.kind === 'lpi-delivered' && ++lpis === 1) m.stopAfterInstruction();
    },
  });
  m.load(readFileSync(ELF), 'gic_its.elf');
  return { m, activity, firstLpi: () => lpis >= 1 };
}

function cpu0(m: Machine): PanelCpu {
  const r = m.registers(0);
  const bits = (r.pstate >>> 6) & 0xf;
  return { cpu: 0, pc: `0x${r.pc.toString(16)}`, el: r.el, daif: 'DAIF', irqMasked: (bits & 2) !== 0, fiqMasked: (bits & 1) !== 0 };
}

function body(m: Machine, activity: GicActivity, generation: number): GicSnapshotBody {
  return { schema: 1, generation, state: 'stopped', gic: m.gic.snapshot(), activity: activity.snapshot(), cpus: [cpu0(m)] };
}

const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('the panel shows the ITS mapping, the pending LPI and the command history at the first LPI', () => {
  const { m, activity } = boot();
  const r = m.run(5_000_000);
  assert.equal(r.kind, 'event');
  const html = renderGic(body(m, activity, 7));
  const t = text(html);
  assert.match(t, /Stopped · generation 7/);
  assert.match(t, /ITS: DeviceID → ITT → LPI → collection → redistributor/);
  assert.match(t, /0x0 0x[0-9a-f]+ \(5 bits\) 3 LPI 8192 0 redistributor 0 \(CPU 0\)/, 'mapping row');
  assert.match(t, /CPU 0: GICR_CTLR.EnableLPIs yes/);
  assert.match(t, /LPI enabled priority state DeviceID\/EventID 8192 yes 0xa0 pending 0x0\/3 /, 'LPI pending with its configuration byte and source');
  assert.match(t, /MAPTI DeviceID=0x0 EventID=3 pINTID=8192 ICID=0 ok/);
  assert.match(t, /MAPD DeviceID=0x0 Size=4 ITT_addr=0x[0-9a-f]+ V=1 ok/);
  assert.match(t, /highest pending 8192 at 0xa0, G1/);
  assert.match(t, /LPIs delivered since load: 1/);
  assert.match(t, /GITS_CTLR 0x80000001: Enabled yes/);

  const path = m.gic.msiPath(0, 3);
  const msi: MsiPathBody = { schema: 1, generation: 7, deviceId: 0, eventId: 3, steps: msiSteps(path, cpu0(m)), target: path.target };
  msi.blocked = msi.steps.find((s) => s.status === 'blocked')?.detail;
  const mt = text(renderMsi(msi));
  assert.match(mt, /✓ ITT: EventID → LPI, collection — ITE valid: pINTID 8192, ICID 0/);
  assert.match(mt, /✗ CPU: PSTATE.I — IRQs masked at CPU 0/);
});

test('at the end: the two-level device 600, the ignored commands with their errors, the LPI no longer pending', () => {
  const { m, activity } = boot();
  m.run(5_000_000);
  let r = m.run(20_000_000);
  while (r.kind === 'budget') r = m.run(20_000_000);
  assert.notEqual(r.kind, 'event');
  const t = text(renderGic(body(m, activity, 9)));
  assert.match(t, /0x258 0x[0-9a-f]+ \(5 bits\) 0 LPI 8197 0 redistributor 0/);
  assert.match(t, /device table \(GITS_BASER0\) at 0x[0-9a-f]+, two-level/);
  assert.match(t, /INT DeviceID=0x7 EventID=0 E_INT_DEVICE_OOR/);
  // the two-level table hides devices 0..511 now (no level-2 page): only device 600's LPI is mapped
  assert.match(t, /LPI enabled priority state DeviceID\/EventID 8197 yes 0xa0 idle 0x258\/0 /, 'mapped, not pending');
  assert.doesNotMatch(t, /pending 0x/);
});

test('text from the snapshot is escaped', () => {
  const { m, activity } = boot();
  m.run(5_000_000);
  const b = body(m, activity, 1);
  b.gic!.its.commands.push({ ...b.gic!.its.commands[0]!, error: '<img src=x onerror=alert(1)>' });
  b.cpus[0]!.pc = '<b>';
  const html = renderGic(b);
  assert.ok(!html.includes('<img'), 'no raw tag from the snapshot');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('&lt;b&gt;'));
});

test('MSI path steps from the model: an LPI disabled in its configuration byte blocks at the redistributor; an unreachable device at the device table', () => {
  // Stop after the second INV of (0, 3): the kernel has just cleared LPI 8192's enable bit and told the ITS.
  let invs = 0;
  const m: Machine = new Machine({}, {
    gic: (e: GicEvent) => {
      if (e.kind === 'its-command' && e.record.cmd === 'INV' && ++invs === 2) m.stopAfterInstruction();
    },
  });
  m.load(readFileSync(ELF), 'gic_its.elf');
  assert.equal(m.run(5_000_000).kind, 'event');
  const steps = msiSteps(m.gic.msiPath(0, 3), cpu0(m));
  assert.deepEqual(steps.map((s) => s.status), ['ok', 'ok', 'ok', 'ok', 'blocked', 'not reached', 'not reached']);
  assert.match(steps[4]!.detail, /LPI 8192 disabled in the LPI configuration table/);
  // Run to the end: the device table is two-level and DeviceIDs 0..511 have no level-2 page.
  let r = m.run(20_000_000);
  while (r.kind === 'budget') r = m.run(20_000_000);
  const gone = msiSteps(m.gic.msiPath(0, 3), cpu0(m));
  assert.equal(gone[1]!.status, 'blocked');
  assert.match(gone[1]!.detail, /level-2 page not valid/);
  assert.deepEqual(msiSteps(m.gic.msiPath(600, 0), cpu0(m)).map((s) => s.status).slice(0, 6), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
});
