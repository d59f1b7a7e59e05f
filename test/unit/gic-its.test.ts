// The GICv3 ITS driven as a driver does: tables and command queue in guest memory, commands published by
// GITS_CWRITER, MSIs through GITS_TRANSLATER (with a bus master's requester ID as DeviceID) and msi().
// Covers the typed events (decoded command fields, errors, LPI delivery), flat and two-level tables,
// 64 KiB pages, stalls and Retry, the disabled ITS, MOVI/MOVALL moving pending state between
// redistributors, LPI configuration caching and INV, the MSI path with its first blocking step, and the
// snapshot (plain JSON, LPI pending then active).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGic, RAM, type GicHarness } from '../helpers/gicHarness';
import { decodeBaser } from '../../src/emu/devices/gic/itsTables';
import type { ItsCommandRecord } from '../../src/emu/devices/gic/itsCommands';

const PROP = RAM + 0x10000;
const PEND = RAM + 0x20000;
const DT = RAM + 0x30000;
const CT = RAM + 0x31000;
const CMDQ = RAM + 0x40000;
const ITT = RAM + 0x50000;
const L2 = RAM + 0x60000;
const GITS_CTLR = 0x0;
const GITS_CBASER = 0x80;
const GITS_CWRITER = 0x88;
const GITS_CREADR = 0x90;
const BASER = (n: number): number => 0x100 + 8 * n;
const TRANSLATER = 0x10040;

interface Its extends GicHarness {
  cw: number;
  cmd(d0: bigint, d1?: bigint, d2?: bigint, d3?: bigint): void;
  go(): void;
}

/** GIC up, LPIs 8192.. enabled at priority 0xa0 on every CPU's tables, ITS tables and queue, ITS enabled. */
function its(numCpus = 1, opts: { indirect?: boolean; enable?: boolean } = {}): Its {
  const h = makeGic(numCpus) as Its;
  h.init();
  for (let i = 0; i < 64; i++) h.ram[PROP - RAM + i] = 0xa1;
  for (let c = 0; c < numCpus; c++) {
    h.gicr(c).w64(0x70, BigInt(PROP) | 15n);
    h.gicr(c).w64(0x78, BigInt(PEND + c * 0x10000));
    h.gicr(c).w(0x0, 1);
  }
  h.gits.w64(BASER(0), (1n << 63n) | (opts.indirect ? 1n << 62n : 0n) | BigInt(DT));
  h.gits.w64(BASER(1), (1n << 63n) | BigInt(CT));
  h.gits.w64(GITS_CBASER, (1n << 63n) | BigInt(CMDQ));
  h.cw = 0;
  h.cmd = (d0, d1 = 0n, d2 = 0n, d3 = 0n) => {
    [d0, d1, d2, d3].forEach((d, i) => h.w64(CMDQ + h.cw + 8 * i, d));
    h.cw += 32;
  };
  h.go = () => h.gits.w64(GITS_CWRITER, BigInt(h.cw));
  if (opts.enable !== false) h.gits.w(GITS_CTLR, 1);
  return h;
}

const MAPD = (dev: number, bits: number, itt: number): [bigint, bigint, bigint] => [0x08n | (BigInt(dev) << 32n), BigInt(bits - 1), (1n << 63n) | BigInt(itt)];
const MAPC = (icid: number, rd: number): [bigint, bigint, bigint] => [0x09n, 0n, (1n << 63n) | (BigInt(rd) << 16n) | BigInt(icid)];
const MAPTI = (dev: number, ev: number, lpi: number, icid: number): [bigint, bigint, bigint] => [0x0an | (BigInt(dev) << 32n), BigInt(ev) | (BigInt(lpi) << 32n), BigInt(icid)];
const MOVI = (dev: number, ev: number, icid: number): [bigint, bigint, bigint] => [0x01n | (BigInt(dev) << 32n), BigInt(ev), BigInt(icid)];
const INV = (dev: number, ev: number): [bigint, bigint] => [0x0cn | (BigInt(dev) << 32n), BigInt(ev)];
const MOVALL = (rd1: number, rd2: number): [bigint, bigint, bigint, bigint] => [0x0en, 0n, BigInt(rd1) << 16n, BigInt(rd2) << 16n];

const commands = (h: GicHarness): ItsCommandRecord[] => h.events.flatMap((e) => (e.kind === 'its-command' ? [e.record] : []));

test('MAPD/MAPC/MAPTI then GITS_TRANSLATER: decoded command events, LPI delivered, taken at ICC_IAR1_EL1', () => {
  const h = its();
  h.cmd(...MAPD(8, 5, ITT));
  h.cmd(...MAPC(0, 0));
  h.cmd(...MAPTI(8, 0, 8192, 0));
  h.go();
  assert.equal(h.gits.r64(GITS_CREADR), 96n);
  const cmds = commands(h);
  assert.deepEqual(cmds.map((c) => c.cmd), ['MAPD', 'MAPC', 'MAPTI']);
  const { cmd, DeviceID, EventID, pINTID, ICID, error } = cmds[2]!;
  assert.deepEqual({ cmd, DeviceID, EventID, pINTID, ICID, error }, { cmd: 'MAPTI', DeviceID: 8, EventID: 0, pINTID: 8192, ICID: 0, error: undefined });
  assert.deepEqual({ ...cmds[0], seq: 0 }, { cmd: 'MAPD', code: 8, DeviceID: 8, Size: 4, ITT_addr: ITT, V: 1, seq: 0, offset: 0, address: CMDQ });
  h.gic.msi(8, 0);
  assert.deepEqual(h.events.at(-1), { kind: 'lpi-delivered', cpu: 0, intid: 8192, deviceId: 8, eventId: 0, via: 'translater' });
  assert.equal(h.ram[PEND - RAM + 1024] & 1, 1, 'pending-table bit written through');
  assert.equal(h.irq[0], true);
  let snap = h.gic.snapshot();
  assert.deepEqual(snap.cpus[0]!.lpis.pending, [8192]);
  assert.deepEqual(snap.cpus[0]!.hppi, { intid: 8192, priority: 0xa0, group: 1, signalled: true });
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 8192n);
  snap = h.gic.snapshot();
  assert.deepEqual(snap.cpus[0]!.lpis.pending, []);
  assert.equal(snap.cpus[0]!.cpuInterface.runningPriority, 0xa0, 'active: its priority is running');
  assert.deepEqual(snap.its.devices, [{ deviceId: 8, dte: { valid: true, eventIdBits: 5, ittAddress: ITT }, events: [{ eventId: 0, ite: { valid: true, pINTID: 8192, icid: 0 } }] }]);
  assert.deepEqual(snap.its.collections, [{ icid: 0, cte: { valid: true, rdbase: 0 } }]);
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap, 'plain JSON data');
  assert.deepEqual(h.errors, []);
});

test('a bus master\'s requester ID is the DeviceID of its GITS_TRANSLATER write; a CPU write uses DeviceID 0', () => {
  const h = its();
  h.cmd(...MAPD(0, 2, ITT));
  h.cmd(...MAPD(0x10, 2, ITT + 0x100));
  h.cmd(...MAPC(0, 0));
  h.cmd(...MAPTI(0, 1, 8193, 0));
  h.cmd(...MAPTI(0x10, 1, 8194, 0));
  h.go();
  h.gic.itsRegion.write(TRANSLATER, 4, 1, 0x10);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 8194n);
  h.gits.w(TRANSLATER, 1);
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 8193n);
});

test('command errors are reported and the queue goes on', () => {
  const h = its();
  h.cmd(...MAPTI(3, 0, 8192, 0)); // unmapped device
  h.cmd(...MAPD(3, 2, ITT));
  h.cmd(...MAPTI(3, 4, 8192, 0)); // EventID beyond 2 bits
  h.cmd(...MAPTI(3, 0, 8192, 600)); // ICID beyond the 512-entry collection table
  h.cmd(...MAPTI(3, 0, 8191, 0)); // not an LPI
  h.cmd(...MAPC(1, 5)); // no RD 5
  h.cmd(...INV(3, 1)); // unmapped interrupt
  h.go();
  assert.equal(h.gits.r64(GITS_CREADR), 7n * 32n, 'not stalled');
  assert.deepEqual(commands(h).map((c) => c.error?.split(':')[0]), [
    'E_MAPTI_UNMAPPED_DEVICE', undefined, 'E_MAPTI_ID_OOR', 'E_MAPTI_COLLECTION_OOR', 'E_MAPTI_PHYSICALID_OOR',
    'E_MAPC_RDBASE_OOR', 'E_INV_UNMAPPED_INTERRUPT',
  ]);
  assert.equal(h.errors.length, 6);
});

test('an unknown command stalls the queue (GITS_CREADR.Stalled) until a CWRITER write with Retry', () => {
  const h = its();
  h.cmd(0x20n); // GICv4 VMAPP on a GICv3 ITS
  h.cmd(...MAPC(0, 0));
  h.go();
  assert.equal(h.gits.r64(GITS_CREADR), 1n, 'offset 0, Stalled');
  assert.match(h.errors[0]!, /stalled.*unknown ITS command 0x20/);
  h.go();
  assert.equal(h.gits.r64(GITS_CREADR), 1n, 'no progress without Retry');
  h.w64(CMDQ, 0x05n); // replace it with SYNC
  h.gits.w64(GITS_CWRITER, BigInt(h.cw) | 1n);
  assert.equal(h.gits.r64(GITS_CREADR), 64n);
  h.gits.w64(GITS_CWRITER, 0x2000n); // beyond the 4 KiB queue
  assert.equal(h.gits.r64(GITS_CREADR) & 1n, 1n);
});

test('ITS disabled: MSIs dropped with a warning, commands wait; CBASER/BASER writes while enabled are ignored', () => {
  const h = its(1, { enable: false });
  h.cmd(...MAPD(0, 2, ITT));
  h.go();
  assert.equal(h.gits.r64(GITS_CREADR), 0n);
  h.gic.msi(0, 0);
  assert.match(h.warnings[0]!, /dropped: GITS_CTLR.Enabled is 0/);
  h.gits.w(GITS_CTLR, 1);
  assert.equal(h.gits.r(GITS_CTLR), 0x80000001, 'Enabled, Quiescent');
  assert.equal(h.gits.r64(GITS_CREADR), 32n, 'processed on enable');
  h.gits.w64(BASER(0), 0n);
  assert.equal(h.gits.r64(BASER(0)) >> 63n, 1n);
  assert.match(h.warnings[1]!, /GITS_BASER0 while GITS_CTLR.Enabled is 1 ignored/);
});

test('two-level device table: the level-1 entry must be valid; the DTE lands in the level-2 page', () => {
  const h = its(1, { indirect: true });
  h.cmd(...MAPD(600, 2, ITT)); // 4 KiB pages of 8-byte DTEs: 512 per page, level-1 index 1
  h.go();
  assert.match(commands(h)[0]!.error!, /E_MAPD_DEVICE_OOR.*level-2 page not valid/);
  h.w64(DT + 8, (1n << 63n) | BigInt(L2));
  h.cmd(...MAPD(600, 2, ITT));
  h.cmd(...MAPC(0, 0));
  h.cmd(...MAPTI(600, 3, 8200, 0));
  h.go();
  assert.equal(h.ram[L2 - RAM + (600 - 512) * 8] & 1, 1, 'DTE valid bit in the level-2 page');
  h.gic.msi(600, 3);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 8200n);
  assert.deepEqual(h.gic.msiPath(600, 3).target, { cpu: 0, intid: 8200 });
});

test('GITS_BASER decoding: 64 KiB pages take PA[51:48] from bits [15:12]; Type and Entry_Size are read-only', () => {
  const t = decodeBaser(0x0001_3201 >>> 0, 0xc400_0005 >>> 0);
  assert.deepEqual(t, { valid: true, indirect: true, type: 4, entrySize: 1, pageSize: 0x10000, pages: 2, address: 3 * 2 ** 48 + 5 * 2 ** 32 + 0x10000 });
  const h = its(1, { enable: false });
  h.gits.w64(BASER(1), 0x0700_0000_0000_0000n);
  assert.equal((h.gits.r64(BASER(1)) >> 48n) & 0x7ffn, 0x407n, 'collection type, 8-byte entries');
  h.gits.w64(BASER(2), 0xffff_ffff_ffff_ffffn);
  assert.equal(h.gits.r64(BASER(2)), 0n);
});

test('MOVI and MOVALL move pending LPIs between redistributors', () => {
  const h = its(2);
  h.cmd(...MAPD(0, 2, ITT));
  h.cmd(...MAPC(0, 0));
  h.cmd(...MAPC(1, 1));
  h.cmd(...MAPTI(0, 0, 8192, 0));
  h.cmd(...MAPTI(0, 1, 8193, 0));
  h.go();
  h.icc(0, 'ICC_PMR_EL1', 0n); // CPU 0 masks everything: the LPIs stay pending
  h.gic.msi(0, 0);
  h.gic.msi(0, 1);
  assert.deepEqual(h.gic.snapshot().cpus.map((c) => c.lpis.pending), [[8192, 8193], []]);
  h.cmd(...MOVI(0, 0, 1));
  h.go();
  assert.deepEqual(h.gic.snapshot().cpus.map((c) => c.lpis.pending), [[8193], [8192]]);
  assert.equal(h.irq[1], true);
  h.cmd(...MOVALL(0, 1));
  h.go();
  assert.deepEqual(h.gic.snapshot().cpus.map((c) => c.lpis.pending), [[], [8192, 8193]]);
  assert.equal(h.ram[PEND + 0x10000 - RAM + 1024], 3, 'CPU 1\'s pending table');
  assert.equal(h.ram[PEND - RAM + 1024], 0);
});

test('LPI configuration is cached until INV; the MSI path names the first blocking step', () => {
  const h = its();
  h.cmd(...MAPD(0, 2, ITT));
  h.cmd(...MAPC(0, 0));
  h.cmd(...MAPTI(0, 0, 8192, 0));
  h.go();
  assert.equal(h.gic.msiPath(0, 1).blocked, 'unmapped event (no MAPTI/MAPI)');
  assert.equal(h.gic.msiPath(1, 0).blocked, 'unmapped device (no MAPD)');
  h.gic.msi(0, 0);
  assert.equal(h.icc(0, 'ICC_IAR1_EL1'), 8192n);
  h.icc(0, 'ICC_EOIR1_EL1', 8192n);
  h.ram[PROP - RAM] = 0xa0; // disable LPI 8192, no INV yet
  h.gic.msi(0, 0);
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 8192n, 'the cached configuration still says enabled');
  h.icc(0, 'ICC_IAR1_EL1');
  h.icc(0, 'ICC_EOIR1_EL1', 8192n);
  h.cmd(...INV(0, 0));
  h.go();
  h.gic.msi(0, 0);
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 1023n, 're-read after INV: disabled');
  assert.equal(h.gic.msiPath(0, 0).delivery, 'LPI 8192 disabled in the LPI configuration table');
  h.ram[PROP - RAM] = 0xa1;
  h.cmd(0x0dn, 0n, 0n); // INVALL ICID 0
  h.go();
  assert.equal(h.icc(0, 'ICC_HPPIR1_EL1'), 8192n);
  h.icc(0, 'ICC_PMR_EL1', 0xa0n);
  assert.equal(h.gic.msiPath(0, 0).delivery, 'priority 0xa0 masked by ICC_PMR_EL1 = 0xa0');
});
