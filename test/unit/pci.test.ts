// The PCIe host and the PCI building blocks through their guest-visible accesses: ECAM addressing and master
// aborts, type 0 header write masks, BAR sizing (all-ones write, mask read back) for 32- and 64-bit BARs,
// the capability list, BAR windows decoded only with Memory Space Enable and following a reprogrammed BAR,
// MSI-X masking (per vector and function) with the Pending Bit Array and delivery on unmask carrying the
// requester ID, the firmware BAR assigner, and the copy-on-write disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigSpace } from '../../src/emu/devices/pci/config';
import { PciHost } from '../../src/emu/devices/pci/host';
import { HostBridgeFunction } from '../../src/emu/devices/pci/hostBridge';
import { MsiX } from '../../src/emu/devices/pci/msix';
import { assignBars } from '../../src/emu/devices/pci/assign';
import type { PciFunction } from '../../src/emu/devices/pci/function';
import type { MmioDevice } from '../../src/emu/devices/mmio';
import { CowDisk } from '../../src/emu/disk/cowDisk';
import { fakeGuest } from '../helpers/fakeDma';

const ecamOff = (dev: number, fn: number, reg: number, bus = 0): number => bus * 0x10_0000 + (dev << 15) + (fn << 12) + reg;

/** A test function: BAR0 64-bit 16 KiB, BAR2 32-bit 4 KiB prefetchable; each BAR frame is a 16-word scratchpad. */
function testFunction(): PciFunction & { regs: Uint32Array[] } {
  const config = new ConfigSpace({ vendor: 0x1234, device: 0x5678, classCode: 0x0c0330, revision: 7, subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 1 });
  config.addBar({ index: 0, kind: 'mem64', size: 0x4000 });
  config.addBar({ index: 2, kind: 'mem32', size: 0x1000, prefetchable: true });
  const regs = [new Uint32Array(16), new Uint32Array(16)];
  const frame = (r: Uint32Array, name: string): MmioDevice => ({
    name, read: (o) => r[o >> 2] ?? 0, write: (o, _s, v) => { r[o >> 2] = v; },
  });
  const bars: Record<number, MmioDevice> = { 0: frame(regs[0]!, 'bar0'), 2: frame(regs[1]!, 'bar2') };
  return { name: 'test', config, regs, bar: (i) => bars[i], reset: () => config.reset() };
}

function host() {
  const warnings: string[] = [];
  const h = new PciHost({ buses: 256, guestError: (m) => warnings.push(m), guestWarning: (m) => warnings.push(m) });
  h.attach(0, 0, new HostBridgeFunction());
  const f = testFunction();
  h.attach(3, 0, f);
  const win = h.windowFrame('mmio32', { base: 0x1000_0000, size: 0x2eff_0000 });
  return { h, f, win, warnings };
}

test('ECAM: bus/device/function addressing; absent functions and other buses read all-ones', () => {
  const { h } = host();
  assert.equal(h.ecam.read(ecamOff(0, 0, 0), 4), 0x0008_1b36);
  assert.equal(h.ecam.read(ecamOff(3, 0, 0), 4), 0x5678_1234);
  assert.equal(h.ecam.read(ecamOff(3, 0, 0x08), 4), 0x0c03_3007); // revision 7, class 0c0330
  assert.equal(h.ecam.read(ecamOff(3, 0, 0x3d), 1), 1);
  assert.equal(h.ecam.read(ecamOff(3, 1, 0), 4), 0xffff_ffff);
  assert.equal(h.ecam.read(ecamOff(4, 0, 0), 2), 0xffff);
  assert.equal(h.ecam.read(ecamOff(3, 0, 0, 1), 4), 0xffff_ffff);
  h.ecam.write(ecamOff(3, 0, 0), 4, 0); // read-only IDs
  assert.equal(h.ecam.read(ecamOff(3, 0, 0), 4), 0x5678_1234);
});

test('Command register keeps only its writable bits; Status is read-only', () => {
  const { h } = host();
  h.ecam.write(ecamOff(3, 0, 4), 2, 0xffff);
  assert.equal(h.ecam.read(ecamOff(3, 0, 4), 2), 0x0547);
  h.ecam.write(ecamOff(3, 0, 6), 2, 0xffff);
  assert.equal(h.ecam.read(ecamOff(3, 0, 6), 2), 0);
});

test('BAR sizing: all-ones reads back the size mask with the type bits; the original value is restored', () => {
  const { h } = host();
  const bar = (i: number): number => ecamOff(3, 0, 0x10 + 4 * i);
  assert.equal(h.ecam.read(bar(0), 4), 0x4); // 64-bit, not prefetchable
  h.ecam.write(bar(0), 4, 0xffff_ffff);
  h.ecam.write(bar(1), 4, 0xffff_ffff);
  assert.equal(h.ecam.read(bar(0), 4), 0xffff_c004);
  assert.equal(h.ecam.read(bar(1), 4), 0xffff_ffff);
  h.ecam.write(bar(2), 4, 0xffff_ffff);
  assert.equal(h.ecam.read(bar(2), 4), 0xffff_f008); // 32-bit prefetchable, 4 KiB
  for (const i of [3, 4, 5]) {
    h.ecam.write(bar(i), 4, 0xffff_ffff);
    assert.equal(h.ecam.read(bar(i), 4), 0, `BAR${i} is not implemented`);
  }
  h.ecam.write(bar(0), 4, 0x1234_5678);
  assert.equal(h.ecam.read(bar(0), 4), 0x1234_4004); // low bits below the size are not writable
});

test('capability list: Status.CapList, Capabilities Pointer, and new capabilities linked at the head', () => {
  const c = new ConfigSpace({ vendor: 1, device: 2, classCode: 0, revision: 0, subsystemVendor: 0, subsystem: 0, interruptPin: 0 });
  assert.equal(c.read(0x06, 2) & 0x10, 0);
  c.addCapability(0x60, 0x01, 8);
  c.addCapability(0x80, 0x10, 0x3c);
  c.addCapability(0x40, 0x11, 12);
  assert.equal(c.read(0x06, 2) & 0x10, 0x10);
  const chain: [number, number][] = [];
  for (let p = c.read(0x34, 1); p; p = c.read(p + 1, 1)) chain.push([p, c.read(p, 1)]);
  assert.deepEqual(chain, [[0x40, 0x11], [0x80, 0x10], [0x60, 0x01]]);
});

test('BAR windows: decoded only with Memory Space Enable, at the programmed address, moved when reprogrammed', () => {
  const { h, f, win, warnings } = host();
  h.ecam.write(ecamOff(3, 0, 0x10), 4, 0x1000_4000);
  h.ecam.write(ecamOff(3, 0, 0x14), 4, 0);
  h.ecam.write(ecamOff(3, 0, 0x18), 4, 0x1000_1000);
  assert.equal(win.read(0x4000 + 8, 4), 0xffff_ffff, 'no MSE: master abort');
  assert.equal(warnings.length, 1);
  h.ecam.write(ecamOff(3, 0, 4), 2, 0x0002);
  win.write(0x4000 + 8, 4, 0xabcd);
  assert.equal(f.regs[0]![2], 0xabcd);
  win.write(0x1000 + 4, 4, 0x77);
  assert.equal(f.regs[1]![1], 0x77);
  assert.deepEqual(h.activeWindows().map((w) => [w.base, w.end]), [[0x1000_4000, 0x1000_8000], [0x1000_1000, 0x1000_2000]]);
  h.ecam.write(ecamOff(3, 0, 0x10), 4, 0x2000_0000); // reprogram BAR0
  assert.equal(win.read(0x1000_0000 + 8, 4), 0xabcd);
  assert.equal(win.read(0x4000 + 8, 4), 0xffff_ffff);
  h.ecam.write(ecamOff(3, 0, 4), 2, 0); // MSE off
  assert.equal(win.read(0x1000_0000 + 8, 4), 0xffff_ffff);
  assert.equal(h.activeWindows().length, 0);
});

test('MSI-X: masked at reset; a masked vector pends in the PBA and fires on unmask with the requester ID', () => {
  const cfg = new ConfigSpace({ vendor: 1, device: 2, classCode: 0, revision: 0, subsystemVendor: 0, subsystem: 0, interruptPin: 1 });
  const errors: string[] = [];
  const m = new MsiX(cfg, { capOffset: 0x40, vectors: 3, tableBar: 0, tableOffset: 0x2000, pbaBar: 0, pbaOffset: 0x3000 }, (e) => errors.push(e));
  const g = fakeGuest();
  m.dma = g.port(0x0018);
  assert.equal(cfg.read(0x42, 2), 2, 'table size N-1');
  assert.equal(cfg.read(0x44, 4), 0x2000);
  assert.equal(cfg.read(0x48, 4), 0x3000);
  assert.equal(m.tableFrame.read(12, 4), 1, 'vector control: masked at reset');
  m.notify(1);
  assert.equal(g.msis.length, 0, 'MSI-X disabled: dropped');
  assert.equal(m.pbaFrame.read(0, 4), 0);
  cfg.write(0x42, 2, 0xc000); // enable + function mask
  assert.equal(cfg.read(0x42, 2), 0xc002, 'table size is read-only');
  m.tableFrame.write(16, 4, 0x0809_0040);
  m.tableFrame.write(20, 4, 0);
  m.tableFrame.write(24, 4, 0x1);
  m.tableFrame.write(28, 4, 0); // unmask vector 1 (function still masked)
  m.notify(1);
  assert.equal(g.msis.length, 0);
  assert.equal(m.pbaFrame.read(0, 1), 0b010);
  cfg.write(0x42, 2, 0x8000); // clear function mask: the pending message goes out
  assert.deepEqual(g.msis, [{ pa: 0x0809_0040, data: 1, rid: 0x18 }]);
  assert.equal(m.pbaFrame.read(0, 1), 0);
  m.tableFrame.write(28, 4, 1); // mask vector 1
  m.notify(1);
  m.notify(1);
  assert.equal(g.msis.length, 1);
  m.tableFrame.write(28, 4, 0);
  assert.equal(g.msis.length, 2, 'one message for any number of pending events');
  m.pbaFrame.write(0, 4, 0);
  assert.match(errors[0]!, /read-only Pending Bit Array/);
});

test('assignBars: naturally aligned from the 32-bit window, largest first, Memory and Bus Master enabled', () => {
  const { h, win } = host();
  const f2 = testFunction();
  h.attach(4, 0, f2);
  const got = assignBars(h.functions, { base: 0x1000_0000, size: 0x2eff_0000 });
  assert.deepEqual(got.map((a) => [a.devfn, a.bar, a.base, a.size]), [
    [3 << 3, 0, 0x1000_0000, 0x4000], [4 << 3, 0, 0x1000_4000, 0x4000],
    [3 << 3, 2, 0x1000_8000, 0x1000], [4 << 3, 2, 0x1000_9000, 0x1000],
  ]);
  assert.equal(h.ecam.read(ecamOff(4, 0, 4), 2) & 6, 6);
  assert.equal(h.ecam.read(ecamOff(0, 0, 4), 2), 0, 'the host bridge has no BARs and stays untouched');
  win.write(0x9000, 4, 5);
  assert.equal(f2.regs[1]![0], 5);
  assert.throws(() => assignBars(h.functions, { base: 0x1000_0000, size: 0x8000 }), /no room for BAR/);
});

test('CowDisk: writes go to the overlay; the image changes only on commit', () => {
  const image = new Uint8Array(4 * 512).map((_, i) => i & 0xff);
  const d = new CowDisk(image, 'x.img');
  const w = new Uint8Array(1024).fill(0xaa);
  d.write(1, w);
  const r = new Uint8Array(1536);
  d.read(0, r);
  assert.equal(r[0], 0);
  assert.equal(r[512], 0xaa);
  assert.equal(r[1535], 0xaa);
  assert.equal(image[512], 0, 'the image is untouched');
  assert.deepEqual(d.dirtyBlocks(), [1, 2]);
  assert.deepEqual(d.commit(), [1, 2]);
  assert.equal(image[512], 0xaa);
  assert.deepEqual(d.dirtyBlocks(), []);
  d.write(3, new Uint8Array(512));
  d.discard();
  d.read(3, r.subarray(0, 512));
  assert.equal(r[0], (3 * 512) & 0xff);
  assert.throws(() => d.read(3, new Uint8Array(1024)), /x\.img: sectors 3\.\.4 outside 0\.\.3/);
  assert.throws(() => d.write(0, new Uint8Array(100)), /not whole sectors/);
});

test('MSI: control bits, multiple message enable clamped, data with the vector in its low bits, per-vector mask and pending', async () => {
  const { Msi } = await import('../../src/emu/devices/pci/msi');
  const cfg = new ConfigSpace({ vendor: 1, device: 2, classCode: 0, revision: 0, subsystemVendor: 0, subsystem: 0, interruptPin: 1 });
  const m = new Msi(cfg, 0x50, { vectors: 4, is64: true, perVectorMask: true }, () => {});
  const g = fakeGuest();
  m.dma = g.port(0x0020);
  assert.equal(cfg.read(0x50, 1), 0x05);
  assert.equal(cfg.read(0x52, 2), 0x0184, '64-bit, per-vector masking, MMC = 2 (4 vectors)');
  m.notify(0);
  assert.equal(g.msis.length, 0, 'disabled');
  cfg.write(0x54, 4, 0x0809_0043); // low two bits are not writable
  cfg.write(0x58, 4, 0);
  cfg.write(0x5c, 2, 0x20);
  cfg.write(0x52, 2, 0x0071); // enable, MME = 7 -> clamped to 2
  assert.equal(cfg.read(0x52, 2), 0x01a5);
  assert.equal(m.enabledVectors, 4);
  m.notify(3);
  assert.deepEqual(g.msis, [{ pa: 0x0809_0040, data: 0x23, rid: 0x20 }]);
  cfg.write(0x60, 4, 0b0100); // mask vector 2
  m.notify(2);
  assert.equal(g.msis.length, 1);
  assert.equal(cfg.read(0x64, 4), 0b0100, 'pending bit');
  cfg.write(0x60, 4, 0);
  assert.deepEqual(g.msis[1], { pa: 0x0809_0040, data: 0x22, rid: 0x20 });
  assert.equal(cfg.read(0x64, 4), 0);
  m.notify(4);
  assert.equal(g.msis.length, 2, 'beyond the enabled vectors: dropped');
});

test('INTx: swizzled onto the host lines, shared, held off by Interrupt Disable, shown in Status.Interrupt Status', () => {
  const lines: [number, boolean][] = [];
  const h = new PciHost({ buses: 1, guestError: () => {}, guestWarning: () => {}, setIntx: (l, v) => lines.push([l, v]) });
  const a = testFunction();
  const b = testFunction();
  h.attach(1, 0, a); // INTA of device 1 -> line 1 (INTB)
  h.attach(5, 0, b); // device 5 -> line (5 + 0) & 3 = 1 as well: shared
  assert.equal(h.intxLine(1 << 3), 1);
  assert.equal(h.intxLine(5 << 3), 1);
  a.intx!(true);
  assert.deepEqual(lines, [[1, true]]);
  assert.equal(h.ecam.read(ecamOff(1, 0, 6), 2) & 8, 8, 'Interrupt Status');
  b.intx!(true);
  a.intx!(false);
  assert.deepEqual(lines, [[1, true]], 'still held by device 5');
  h.ecam.write(ecamOff(5, 0, 4), 2, 0x0400); // Interrupt Disable
  assert.deepEqual(lines, [[1, true], [1, false]]);
  assert.equal(h.ecam.read(ecamOff(5, 0, 6), 2) & 8, 8, 'Status still shows the level');
  h.ecam.write(ecamOff(5, 0, 4), 2, 0);
  assert.deepEqual(lines.at(-1), [1, true]);
});
