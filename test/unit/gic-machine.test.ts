// The GIC inside the `virt` machine: the ITS test kernel (built from source in test/fixtures/kernels/gic)
// runs on a Machine whose MachineEvents.gic collects the typed events: ITS commands with their decoded fields
// in queue order, LPIs delivered with DeviceID 0 (a CPU's GITS_TRANSLATER write), acknowledgements and EOIs;
// the machine's device tree has the GICv3 node, and ICC_* registers read through Machine.sysreg never
// acknowledge. Also the redistributor's pending-table scan when LPIs are enabled (PENDBASER.PTZ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Machine, parseFdt, type GicEvent } from '../../src/emu';
import { makeGic, RAM } from '../helpers/gicHarness';

function boot(elf: string) {
  const events: GicEvent[] = [];
  const out: number[] = [];
  const m = new Machine({}, { gic: (e) => events.push(e), uartTx: (_u, b) => out.push(b) });
  m.load(readFileSync(elf), elf);
  const stop = m.run(5_000_000);
  return { m, events, stop, text: Buffer.from(out).toString('latin1') };
}

test('gic_its on the virt machine: ITS command events in queue order with decoded fields, LPIs delivered, ack/EOI', () => {
  const { m, events, stop, text } = boot('test/fixtures/kernels/gic/gic_its.elf');
  assert.equal(stop.kind, 'poweroff');
  assert.match(text, /gic_its: done/);
  const cmds = events.flatMap((e) => (e.kind === 'its-command' ? [e.record] : []));
  assert.deepEqual(cmds.slice(0, 5).map((c) => c.cmd), ['MAPD', 'MAPC', 'MAPTI', 'INV', 'SYNC']);
  const mapti = cmds[2]!;
  assert.deepEqual([mapti.DeviceID, mapti.EventID, mapti.pINTID, mapti.ICID, mapti.error], [0, 3, 8192, 0, undefined]);
  assert.deepEqual(cmds.map((c) => c.offset), cmds.map((_c, i) => i * 32), 'one record per 32-byte packet, in order');
  assert.equal(cmds.filter((c) => c.error).length, 8, 'the five bad commands, and three for a device without a level-2 page');
  const lpis = events.flatMap((e) => (e.kind === 'lpi-delivered' ? [e] : []));
  assert.ok(lpis.length >= 6);
  assert.deepEqual(lpis[0], { kind: 'lpi-delivered', cpu: 0, intid: 8192, deviceId: 0, eventId: 3, via: 'translater' });
  assert.ok(lpis.some((e) => e.via === 'INT'));
  const acks = events.flatMap((e) => (e.kind === 'interrupt-acknowledged' ? [e.intid] : []));
  assert.deepEqual(acks, [8192, 8192, 8192, 8193, 8194, 8193, 8197]);
  assert.deepEqual(lpis.at(-1), { kind: 'lpi-delivered', cpu: 0, intid: 8197, deviceId: 600, eventId: 0, via: 'INT' });
  assert.equal(events.filter((e) => e.kind === 'interrupt-eoi').length, acks.length);
  const snap = m.gic.snapshot();
  assert.equal(snap.its.commands.length, cmds.length);
  // ICIDs named by commands: 0, 1 and 0x7fff (beyond the collection table: not decodable, left out)
  assert.deepEqual(snap.its.collections.map((c) => [c.icid, c.cte]), [[0, { valid: true, rdbase: 0 }], [1, { valid: true, rdbase: 0 }]]);
});

test('the virt device tree declares the GICv3 + ITS and wires the PL011 to SPI 1', () => {
  const { m } = boot('test/fixtures/kernels/gic/gic_sgi.elf');
  const bytes = Uint8Array.from(m.readMemory(m.dtbAddress!, 0x10000).map((b) => b ?? 0));
  const t = parseFdt(bytes);
  const intc = t.root.children.find((n) => n.name === 'intc@8000000')!;
  assert.ok(intc, 'intc@8000000');
  assert.equal(intc.getU32('#interrupt-cells'), 3);
  assert.ok(intc.children.some((n) => n.name === 'its@8080000'));
  assert.equal(t.root.getU32('interrupt-parent'), intc.getU32('phandle'));
  const uart = t.root.children.find((n) => n.name === 'pl011@9000000')!;
  const irq = uart.properties.find((p) => p.name === 'interrupts')!.value;
  assert.deepEqual([...irq], [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4]);
});

test('Machine.sysreg reads ICC registers without acknowledging', () => {
  const { m } = boot('test/fixtures/kernels/gic/gic_sgi.elf');
  m.gic.writeIcc(0, 'ICC_SGI1R_EL1', 1, (2n << 24n) | 1n);
  assert.equal(m.sysreg(0, 'ICC_IAR1_EL1'), 2n);
  assert.equal(m.sysreg(0, 'ICC_IAR1_EL1'), 2n);
  assert.equal(m.sysreg(0, 'ICC_RPR_EL1'), 0xffn);
});

test('EnableLPIs reads the pending table unless PENDBASER.PTZ said it was zero', () => {
  for (const ptz of [false, true]) {
    const h = makeGic();
    h.init();
    const prop = RAM + 0x10000;
    const pend = RAM + 0x20000;
    h.ram[prop - RAM + 5] = 0x81; // LPI 8197: priority 0x80, enabled
    h.ram[pend - RAM + 1024] = 1 << 5;
    h.gicr(0).w64(0x70, BigInt(prop) | 15n);
    h.gicr(0).w64(0x78, BigInt(pend) | (ptz ? 1n << 62n : 0n));
    h.gicr(0).w(0, 1);
    assert.equal(h.icc(0, 'ICC_IAR1_EL1'), ptz ? 1023n : 8197n, `PTZ = ${ptz}`);
  }
});
