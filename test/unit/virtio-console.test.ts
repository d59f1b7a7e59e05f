// virtio-console (one port, no features) over the modern PCI transport: transmitq bytes reach the host at
// once (used length 0), host input waits until the driver has posted receive buffers, fills them in order
// (used length = bytes written) and interrupts through MSI-X, both when the buffers come first and when
// the input does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioPci } from '../../src/emu/devices/virtio/pciTransport';
import { VirtioConsole } from '../../src/emu/devices/virtio/console';
import { fakeGuest } from '../helpers/fakeDma';

const B = 0x4000_0000;
const Q = [{ desc: B + 0x1000, avail: B + 0x2000, used: B + 0x3000 }, { desc: B + 0x4000, avail: B + 0x5000, used: B + 0x6000 }];

function setup() {
  const out: number[] = [];
  const con = new VirtioConsole((b) => out.push(...b));
  const d = new VirtioPci(con, { name: 'con', guestError: (m) => assert.fail(m) });
  const g = fakeGuest(B, 1 << 16);
  d.connect(g.port(0x18));
  const bar4 = d.bar(4)!;
  bar4.write(0x14, 1, 3);
  bar4.write(0x08, 4, 1);
  bar4.write(0x0c, 4, 1);
  bar4.write(0x14, 1, 0xb);
  d.config.write(0x9a, 2, 0x8000);
  for (let v = 0; v < 3; v++) {
    d.bar(1)!.write(16 * v + 8, 4, v);
    d.bar(1)!.write(16 * v + 12, 4, 0);
  }
  Q.forEach((q, i) => {
    bar4.write(0x16, 2, i);
    bar4.write(0x18, 2, 8);
    bar4.write(0x1a, 2, i + 1);
    bar4.write(0x20, 4, q.desc);
    bar4.write(0x28, 4, q.avail);
    bar4.write(0x30, 4, q.used);
    bar4.write(0x1c, 2, 1);
  });
  bar4.write(0x14, 1, 0xf);
  const post = (qi: number, n: number, pa: number, len: number, write: boolean): void => {
    const q = Q[qi]!;
    g.setU64(q.desc, pa);
    g.setU32(q.desc + 8, len);
    g.setU16(q.desc + 12, write ? 2 : 0);
    g.setU16(q.avail + 4 + 2 * ((n - 1) % 8), 0);
    g.setU16(q.avail + 2, n);
    bar4.write(0x3000 + 4 * qi, 2, qi);
  };
  return { d, con, g, out, post };
}

test('virtio-console: 1af4:1043, class 07:80:00; transmit, and input before and after receive buffers', () => {
  const t = setup();
  assert.equal(t.d.config.read(0, 4), 0x1043_1af4);
  assert.equal(t.d.config.read(0x08, 4) >>> 8, 0x078000);
  t.g.ram.set([0x68, 0x69, 0x0a], 0x8000);
  t.post(1, 1, B + 0x8000, 3, false);
  assert.deepEqual(t.out, [0x68, 0x69, 0x0a]);
  assert.equal(t.g.u32(Q[1]!.used + 8), 0, 'used length 0 for a transmit buffer');
  assert.deepEqual(t.g.msis.map((m) => m.data), [2]);
  t.con.input(Uint8Array.of(1, 2, 3, 4, 5));
  assert.equal(t.con.waiting, 5, 'no receive buffer yet');
  t.post(0, 1, B + 0x9000, 3, true);
  assert.deepEqual([...t.g.ram.subarray(0x9000, 0x9003)], [1, 2, 3]);
  assert.equal(t.g.u32(Q[0]!.used + 8), 3);
  assert.equal(t.con.waiting, 2);
  t.post(0, 2, B + 0x9100, 16, true);
  assert.deepEqual([...t.g.ram.subarray(0x9100, 0x9102)], [4, 5]);
  assert.equal(t.g.u32(Q[0]!.used + 16), 2);
  t.post(0, 3, B + 0x9200, 16, true); // a buffer waiting for input
  assert.equal(t.g.u16(Q[0]!.used + 2), 2);
  t.con.input(Uint8Array.of(9));
  assert.equal(t.g.u16(Q[0]!.used + 2), 3, 'input arriving later fills the posted buffer');
  assert.equal(t.g.ram[0x9200], 9);
  assert.deepEqual(t.g.msis.map((m) => m.data), [2, 1, 1, 1]);
});
