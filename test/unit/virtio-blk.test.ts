// virtio-blk over the modern PCI transport with a fake guest memory, as a driver brings it up: the vendor
// capabilities, the device_status handshake (FEATURES_OK refused without VERSION_1), one split virtqueue,
// IN/OUT/FLUSH/GET_ID requests and the used ring (used length = device-writable bytes), ISR read-to-clear
// (peek leaves it), MSI-X per queue with the requester ID, NO_INTERRUPT, and reset by writing status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioPci } from '../../src/emu/devices/virtio/pciTransport';
import { VirtioBlk } from '../../src/emu/devices/virtio/blk';
import { CowDisk } from '../../src/emu/disk/cowDisk';
import { fakeGuest } from '../helpers/fakeDma';

const B = 0x4000_0000;
const DESC = B + 0x1000;
const AVAIL = B + 0x2000;
const USED = B + 0x3000;
const HDR = B + 0x4000;
const DATA = B + 0x5000;
const STATUS = B + 0x8000;

function setup() {
  const image = new Uint8Array(32 * 512).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
  const disk = new CowDisk(image);
  const errors: string[] = [];
  const d = new VirtioPci(new VirtioBlk(disk, 'vblk-1', (m) => errors.push(m)), { name: 'vblk', guestError: (m) => errors.push(m) });
  const g = fakeGuest(B, 1 << 20);
  d.connect(g.port(0x0010));
  const common = (o: number) => o;
  const bar4 = d.bar(4)!;
  const bar1 = d.bar(1)!;
  return { d, g, disk, image, errors, bar4, bar1, common };
}

function bringUp(t: ReturnType<typeof setup>, size = 8): void {
  const { bar4, bar1, d } = t;
  bar4.write(0x14, 1, 0);
  bar4.write(0x14, 1, 3);
  bar4.write(0x08, 4, 0);
  bar4.write(0x0c, 4, 1 << 9);
  bar4.write(0x08, 4, 1);
  bar4.write(0x0c, 4, 1);
  bar4.write(0x14, 1, 0xb);
  d.config.write(0x9a, 2, 0x8000); // MSI-X enable
  bar1.write(16, 4, 0x0809_0040);
  bar1.write(24, 4, 7);
  bar1.write(28, 4, 0);
  bar4.write(0x16, 2, 0);
  bar4.write(0x18, 2, size);
  bar4.write(0x1a, 2, 1);
  bar4.write(0x20, 4, DESC);
  bar4.write(0x28, 4, AVAIL);
  bar4.write(0x30, 4, USED);
  bar4.write(0x1c, 2, 1);
  bar4.write(0x14, 1, 0xf);
}

let availIdx = 0;
function request(t: ReturnType<typeof setup>, type: number, sector: number, data: { pa: number; len: number; write: boolean } | null): void {
  const { g } = t;
  g.setU32(HDR, type);
  g.setU32(HDR + 4, 0);
  g.setU64(HDR + 8, sector);
  const descs: [number, number, number][] = [[HDR, 16, 0]];
  if (data) descs.push([data.pa, data.len, data.write ? 2 : 0]);
  descs.push([STATUS, 1, 2]);
  descs.forEach(([pa, len, flags], i) => {
    g.setU64(DESC + 16 * i, pa);
    g.setU32(DESC + 16 * i + 8, len);
    g.setU16(DESC + 16 * i + 12, flags | (i < descs.length - 1 ? 1 : 0));
    g.setU16(DESC + 16 * i + 14, i + 1);
  });
  g.setU16(AVAIL + 4 + 2 * (availIdx % 8), 0);
  availIdx = (availIdx + 1) & 0xffff;
  g.setU16(AVAIL + 2, availIdx);
  t.bar4.write(0x3000, 2, 0);
}

test('capabilities: common/ISR/device/notify/PCI-cfg vendor capabilities and MSI-X, as QEMU lays them out', () => {
  const { d } = setup();
  const caps: string[] = [];
  for (let p = d.config.read(0x34, 1); p; p = d.config.read(p + 1, 1)) {
    const id = d.config.read(p, 1);
    caps.push(id === 9 ? `vendor@${p.toString(16)} type ${d.config.read(p + 3, 1)} bar ${d.config.read(p + 4, 1)} +0x${d.config.read(p + 8, 4).toString(16)}` : `0x${id.toString(16)}@${p.toString(16)}`);
  }
  assert.deepEqual(caps, ['0x11@98', 'vendor@84 type 5 bar 0 +0x0', 'vendor@70 type 2 bar 4 +0x3000', 'vendor@60 type 4 bar 4 +0x2000', 'vendor@50 type 3 bar 4 +0x1000', 'vendor@40 type 1 bar 4 +0x0']);
  assert.equal(d.config.read(0x70 + 16, 4), 4, 'notify_off_multiplier');
  assert.equal(d.config.read(0, 4), 0x1042_1af4);
});

test('feature negotiation: FEATURES_OK only with VERSION_1 and offered bits', () => {
  const t = setup();
  const { bar4 } = t;
  bar4.write(0x00, 4, 1);
  assert.equal(bar4.read(0x04, 4), 1, 'VERSION_1 offered');
  bar4.write(0x00, 4, 0);
  assert.equal(bar4.read(0x04, 4), (1 << 2) | (1 << 6) | (1 << 9));
  bar4.write(0x14, 1, 3);
  bar4.write(0x08, 4, 0);
  bar4.write(0x0c, 4, 1 << 9);
  bar4.write(0x14, 1, 0xb);
  assert.equal(bar4.read(0x14, 1), 3, 'no VERSION_1: FEATURES_OK refused');
  assert.match(t.errors[0]!, /VERSION_1 is required/);
  bar4.write(0x08, 4, 1);
  bar4.write(0x0c, 4, 1 | 2);
  bar4.write(0x14, 1, 0xb);
  assert.equal(bar4.read(0x14, 1), 3, 'bit 33 not offered');
  bar4.write(0x0c, 4, 1);
  bar4.write(0x14, 1, 0xb);
  assert.equal(bar4.read(0x14, 1), 0xb);
  assert.equal(t.bar4.read(0x2000, 4), 32, 'capacity');
  assert.equal(t.bar4.read(0x2014, 4), 512, 'blk_size');
});

test('requests: read, write (copy-on-write), flush, GET_ID, out of range, unsupported; used ring and MSI-X', () => {
  const t = setup();
  availIdx = 0;
  bringUp(t);
  const mem = (pa: number, n: number) => t.g.ram.subarray(pa - B, pa - B + n);
  request(t, 0, 3, { pa: DATA, len: 1024, write: true });
  assert.deepEqual(mem(DATA, 1024), t.image.subarray(3 * 512, 5 * 512));
  assert.equal(t.g.u16(USED + 2), 1);
  assert.deepEqual([t.g.u32(USED + 4), t.g.u32(USED + 8)], [0, 1025]);
  assert.equal(mem(STATUS, 1)[0], 0);
  assert.deepEqual(t.g.msis, [{ pa: 0x0809_0040, data: 7, rid: 0x10 }]);
  assert.equal(t.bar4.peek!(0x1000, 1), 1, 'peek leaves ISR');
  assert.equal(t.bar4.read(0x1000, 1), 1);
  assert.equal(t.bar4.read(0x1000, 1), 0, 'read clears ISR');
  mem(DATA, 512).fill(0xc3);
  request(t, 1, 7, { pa: DATA, len: 512, write: false });
  assert.equal(t.g.u32(USED + 16), 1, 'used len: the status byte only');
  assert.deepEqual(t.disk.dirtyBlocks(), [7]);
  request(t, 4, 0, null);
  assert.equal(mem(STATUS, 1)[0], 0);
  request(t, 8, 0, { pa: DATA, len: 20, write: true });
  assert.equal(String.fromCharCode(...mem(DATA, 6)), 'vblk-1');
  assert.equal(mem(DATA + 6, 1)[0], 0);
  request(t, 0, 31, { pa: DATA, len: 1024, write: true });
  assert.equal(mem(STATUS, 1)[0], 1, 'IOERR past the end');
  request(t, 0x55, 0, null);
  assert.equal(mem(STATUS, 1)[0], 2, 'UNSUPP');
  assert.equal(t.g.u16(USED + 2), 6);
  assert.equal(t.g.msis.length, 6);
  t.g.setU16(AVAIL, 1); // VIRTQ_AVAIL_F_NO_INTERRUPT
  request(t, 4, 0, null);
  assert.equal(t.g.msis.length, 6);
  assert.deepEqual(t.errors, []);
});

test('status 0 resets the device: queues disabled, features cleared; a notification then is a guest error', () => {
  const t = setup();
  availIdx = 0;
  bringUp(t);
  t.bar4.write(0x14, 1, 0);
  assert.equal(t.bar4.read(0x14, 1), 0);
  assert.equal(t.bar4.read(0x1c, 2), 0);
  assert.equal(t.bar4.read(0x18, 2), 256, 'queue size back to the maximum');
  t.bar4.write(0x3000, 2, 0);
  assert.match(t.errors[0]!, /notification of queue 0, which is not ready/);
});

test('common configuration: read-only fields and accesses wider than a field are guest errors', () => {
  const t = setup();
  t.bar4.write(0x12, 2, 5);
  assert.equal(t.bar4.read(0x12, 2), 1, 'num_queues unchanged');
  assert.match(t.errors[0]!, /read-only register num_queues/);
  assert.equal(t.bar4.read(0x10, 4), 0);
  assert.match(t.errors[1]!, /read of 4 bytes at unimplemented offset 0x10/);
  t.bar4.write(0x18, 2, 3);
  assert.match(t.errors[2]!, /queue_size 3 for queue 0/);
});

test('pin-based interrupts (MSI-X off): INTA follows ISR and drops when ISR is read', () => {
  const t = setup();
  availIdx = 0;
  const levels: boolean[] = [];
  t.d.intx = (l) => levels.push(l);
  bringUp(t);
  t.d.config.write(0x9a, 2, 0); // MSI-X off again
  request(t, 4, 0, null);
  assert.equal(levels.at(-1), true);
  assert.equal(t.g.msis.length, 0);
  assert.equal(t.bar4.read(0x1000, 1), 1);
  assert.equal(levels.at(-1), false);
});
