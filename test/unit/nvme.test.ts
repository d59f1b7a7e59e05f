// The NVMe controller through BAR0 and a fake guest memory, as a driver uses it: enable (AQA/ASQ/ACQ,
// CC.EN -> CSTS.RDY), Identify, I/O queue creation, reads through PRP1/PRP2/PRP lists checked against the
// disk bytes, writes landing in the copy-on-write overlay, the phase tag inverting when a completion queue
// wraps, back-pressure from a full completion queue, MSI-X per completion queue with the requester ID, and
// the error statuses of bad commands (values of the NVMe 1.4 status codes, with DNR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NvmeController } from '../../src/emu/devices/nvme/controller';
import { CowDisk } from '../../src/emu/disk/cowDisk';
import { fakeGuest } from '../helpers/fakeDma';

const B = 0x4000_0000;
const ASQ = B + 0x1000;
const ACQ = B + 0x2000;
const IOSQ = B + 0x3000;
const IOCQ = B + 0x4000;
const BUF = B + 0x10000;
const PRPLIST = B + 0x8000;

function setup(sectors = 64) {
  const image = new Uint8Array(sectors * 512).map((_, i) => (i * 13 + (i >> 9)) & 0xff);
  const disk = new CowDisk(image);
  const errors: string[] = [];
  const c = new NvmeController({ disk, serial: 'SN123', guestError: (m) => errors.push(m) });
  const g = fakeGuest(B, 1 << 20);
  c.connect(g.port(0x0008));
  const bar = c.bar(0)!;
  // MSI-X on, vectors 0..2 unmasked, each aimed at a distinct address with data = vector
  c.config.write(0x42, 2, 0x8000);
  for (let v = 0; v < 3; v++) {
    bar.write(0x2000 + 16 * v, 4, 0x0809_0040);
    bar.write(0x2000 + 16 * v + 8, 4, v);
    bar.write(0x2000 + 16 * v + 12, 4, 0);
  }
  const q = { sqTail: new Map<number, number>(), cqHead: new Map<number, number>(), cid: 0 };
  const submit = (qid: number, base: number, size: number, fields: Record<number, number>, opcode: number): void => {
    const tail = q.sqTail.get(qid) ?? 0;
    const e = base + tail * 64;
    g.ram.fill(0, e - B, e - B + 64);
    g.setU32(e, opcode | (q.cid++ << 16));
    for (const [off, v] of Object.entries(fields)) {
      if (Number(off) === 24 || Number(off) === 32) g.setU64(e + Number(off), v);
      else g.setU32(e + Number(off), v);
    }
    q.sqTail.set(qid, (tail + 1) % size);
    bar.write(0x1000 + 8 * qid, 4, (tail + 1) % size);
  };
  const cqe = (cqBase: number, index: number) => {
    const a = cqBase + 16 * index;
    const dw3 = g.u32(a + 12);
    return { result: g.u32(a), sqhd: g.u32(a + 8) & 0xffff, sqid: g.u32(a + 8) >>> 16, cid: dw3 & 0xffff, phase: (dw3 >>> 16) & 1, status: dw3 >>> 17 };
  };
  const enable = (aq = 4): void => {
    bar.write(0x24, 4, ((aq - 1) << 16) | (aq - 1));
    bar.write(0x28, 4, ASQ);
    bar.write(0x2c, 4, 0);
    bar.write(0x30, 4, ACQ);
    bar.write(0x34, 4, 0);
    bar.write(0x14, 4, 1 | (6 << 16) | (4 << 20));
  };
  return { c, g, bar, disk, image, errors, submit, cqe, enable };
}

test('enable: CAP, VS, CC.EN -> CSTS.RDY, CC.EN clear -> not ready; identify controller and namespace', () => {
  const t = setup();
  assert.equal(t.bar.read(0x0, 4), 0x0f01_07ff);
  assert.equal(t.bar.read(0x4, 4), 0x0040_1820);
  assert.equal(t.bar.read(0x8, 4), 0x0001_0400);
  assert.equal(t.bar.read(0x1c, 4), 0);
  t.enable();
  assert.equal(t.bar.read(0x1c, 4), 1);
  t.submit(0, ASQ, 4, { 24: BUF, 40: 1 }, 0x06);
  const e = t.cqe(ACQ, 0);
  assert.deepEqual(e, { result: 0, sqhd: 1, sqid: 0, cid: 0, phase: 1, status: 0 });
  const id = t.g.ram.subarray(BUF - B, BUF - B + 4096);
  assert.equal(id[0] | (id[1] << 8), 0x1b36);
  assert.equal(String.fromCharCode(...id.subarray(4, 24)), 'SN123               ');
  assert.equal(id[512], 0x66);
  assert.equal(id[513], 0x44);
  assert.deepEqual(t.g.msis, [{ pa: 0x0809_0040, data: 0, rid: 8 }], 'admin completion: vector 0');
  t.submit(0, ASQ, 4, { 4: 1, 24: BUF, 40: 0 }, 0x06);
  assert.equal(t.g.u32(BUF), 64, 'NSZE');
  assert.equal(id[130], 9, 'LBADS 512');
  t.bar.write(0x14, 4, 0);
  assert.equal(t.bar.read(0x1c, 4), 0);
});

test('I/O queue pair: reads through PRP1, PRP2 and a two-page PRP list; writes go to the overlay', () => {
  const t = setup();
  t.enable(8);
  t.submit(0, ASQ, 8, { 24: IOCQ, 40: (15 << 16) | 1, 44: (2 << 16) | 3 }, 0x05); // CQ 1, vector 2
  t.submit(0, ASQ, 8, { 24: IOSQ, 40: (15 << 16) | 1, 44: (1 << 16) | 1 }, 0x01);
  assert.equal(t.cqe(ACQ, 1).status, 0);
  t.g.msis.length = 0;
  const disk = (s: number, n: number) => t.image.subarray(s * 512, (s + n) * 512);
  const mem = (pa: number, n: number) => t.g.ram.subarray(pa - B, pa - B + n);
  t.submit(1, IOSQ, 16, { 4: 1, 24: BUF + 0x100, 40: 5, 48: 0 }, 0x02);
  assert.deepEqual(mem(BUF + 0x100, 512), disk(5, 1));
  assert.deepEqual(t.g.msis, [{ pa: 0x0809_0040, data: 2, rid: 8 }]);
  t.submit(1, IOSQ, 16, { 4: 1, 24: BUF + 0xe00, 32: BUF + 0x3000, 40: 8, 48: 3 }, 0x02); // 2 KiB: 512 B + 1.5 KiB
  assert.deepEqual(mem(BUF + 0xe00, 512), disk(8, 1));
  assert.deepEqual(mem(BUF + 0x3000, 1536), disk(9, 3));
  t.g.setU64(PRPLIST, BUF + 0x5000);
  t.g.setU64(PRPLIST + 8, BUF + 0x7000);
  t.submit(1, IOSQ, 16, { 4: 1, 24: BUF + 0x4800, 32: PRPLIST, 40: 16, 48: 19 }, 0x02); // 10 KiB
  assert.deepEqual(mem(BUF + 0x4800, 2048), disk(16, 4));
  assert.deepEqual(mem(BUF + 0x5000, 4096), disk(20, 8));
  assert.deepEqual(mem(BUF + 0x7000, 4096), disk(28, 8));
  mem(BUF, 1024).fill(0x5a);
  t.submit(1, IOSQ, 16, { 4: 1, 24: BUF, 40: 2, 48: 1 }, 0x01);
  assert.equal(t.cqe(IOCQ, 3).status, 0);
  assert.deepEqual(t.disk.dirtyBlocks(), [2, 3]);
  assert.equal(t.image[1024], (1024 * 13 + 2) & 0xff, 'image untouched');
  t.submit(1, IOSQ, 16, { 4: 1, 24: BUF + 0x9000, 40: 2, 48: 0 }, 0x02);
  assert.equal(mem(BUF + 0x9000, 512).every((b) => b === 0x5a), true);
  assert.deepEqual(t.errors, []);
});

test('phase tag inverts when the completion queue wraps; SQ head in each entry', () => {
  const t = setup();
  t.enable(4);
  const phases: number[] = [];
  for (let i = 0; i < 6; i++) {
    t.submit(0, ASQ, 4, { 40: 7 }, 0x0a); // Get Features, Number of Queues
    const e = t.cqe(ACQ, i % 4);
    phases.push(e.phase);
    assert.equal(e.result, 0x003f_003f);
    assert.equal(e.sqhd, (i + 1) % 4);
    t.bar.write(0x1004, 4, (i + 1) % 4); // CQ head doorbell
  }
  assert.deepEqual(phases, [1, 1, 1, 1, 0, 0]);
});

test('a full completion queue holds back commands until the host moves its head', () => {
  const t = setup();
  t.enable(4);
  t.submit(0, ASQ, 4, { 40: 7 }, 0x0a);
  t.submit(0, ASQ, 4, { 40: 7 }, 0x0a);
  t.submit(0, ASQ, 4, { 40: 7 }, 0x0a);
  t.submit(0, ASQ, 4, { 40: 7 }, 0x0a); // queue full after 3 (size 4)
  assert.deepEqual([0, 1, 2].map((i) => t.cqe(ACQ, i).cid), [0, 1, 2]);
  assert.equal(t.cqe(ACQ, 3).phase, 0, 'fourth not yet completed');
  t.bar.write(0x1004, 4, 2);
  assert.deepEqual(t.cqe(ACQ, 3), { result: 0x003f_003f, sqhd: 0, sqid: 0, cid: 3, phase: 1, status: 0 });
});

test('error statuses: invalid opcode, field, queue identifiers, vector, LBA range; bad doorbells are guest errors', () => {
  const t = setup();
  t.enable(16);
  const status = (i: number) => t.cqe(ACQ, i).status;
  t.submit(0, ASQ, 16, {}, 0x7e);
  assert.equal(status(0), 0x4001);
  t.submit(0, ASQ, 16, { 24: BUF, 40: 0x55 }, 0x06);
  assert.equal(status(1), 0x4002);
  t.submit(0, ASQ, 16, { 24: IOSQ, 40: (15 << 16) | 1, 44: (1 << 16) | 1 }, 0x01); // SQ on a missing CQ
  assert.equal(status(2), 0x4100);
  t.submit(0, ASQ, 16, { 24: IOCQ, 40: (15 << 16) | 1, 44: (70 << 16) | 3 }, 0x05); // vector 70 > 64
  assert.equal(status(3), 0x4108);
  t.submit(0, ASQ, 16, { 24: IOCQ, 40: (15 << 16) | 1, 44: 3 }, 0x05);
  t.submit(0, ASQ, 16, { 24: IOCQ, 40: (15 << 16) | 1, 44: 3 }, 0x05); // again
  assert.equal(status(5), 0x4101);
  t.submit(0, ASQ, 16, { 24: IOSQ, 40: (15 << 16) | 1, 44: (1 << 16) | 1 }, 0x01);
  t.submit(0, ASQ, 16, { 40: 1 }, 0x04); // delete CQ with an SQ on it
  assert.equal(status(7), 0x410c);
  t.submit(1, IOSQ, 16, { 4: 1, 24: BUF, 40: 64, 48: 0 }, 0x02);
  assert.equal(t.cqe(IOCQ, 0).status, 0x4080);
  t.submit(1, IOSQ, 16, { 4: 2, 24: BUF, 40: 0, 48: 0 }, 0x02);
  assert.equal(t.cqe(IOCQ, 1).status, 0x400b);
  t.submit(1, IOSQ, 16, { 4: 1, 24: 0x9000_0000, 40: 0, 48: 0 }, 0x02);
  assert.equal(t.cqe(IOCQ, 2).status, 0x0004, 'data transfer error');
  assert.match(t.errors.join('\n'), /no memory at 0x90000000/);
  t.bar.write(0x1000 + 8 * 9, 4, 1);
  assert.match(t.errors.at(-1)!, /submission queue 9 tail doorbell 1 is invalid/);
  t.bar.write(0x1000, 2, 1);
  assert.match(t.errors.at(-1)!, /must be 32-bit/);
});

test('PRP list chained across list pages: the last entry of a full list page points to the next one', async () => {
  const { prpSegments } = await import('../../src/emu/devices/nvme/prp');
  const g = fakeGuest(B, 1 << 20);
  const list1 = B + 0x1ff0; // two entries left in this page
  g.setU64(list1, B + 0x20000);
  g.setU64(list1 + 8, B + 0x3000); // more than one page remains: a pointer to the next list
  g.setU64(B + 0x3000, B + 0x21000);
  g.setU64(B + 0x3008, B + 0x22000);
  g.setU64(B + 0x3010, B + 0x23000);
  const segs = prpSegments(g.port(0), B + 0x10000, list1, 5 * 4096 - 100, 4096);
  assert.deepEqual(segs.map((s) => [s.pa - B, s.len]), [[0x10000, 4096], [0x20000, 4096], [0x21000, 4096], [0x22000, 4096], [0x23000, 4096 - 100]]);
  assert.throws(() => prpSegments(g.port(0), B, B + 0x1004, 2 * 4096, 4096), /page offset/);
});

test('Identify CNS 3 reports the NVM command set (what a driver with CC.CSS = 110b needs); CNS 6 for CSI 0; CMBSZ reads 0', () => {
  const t = setup();
  t.enable(8);
  t.g.ram.fill(0xff, BUF - B, BUF - B + 4096);
  t.submit(0, ASQ, 8, { 4: 1, 24: BUF, 40: 3 }, 0x06);
  assert.equal(t.cqe(ACQ, 0).status, 0);
  assert.deepEqual([...t.g.ram.subarray(BUF - B, BUF - B + 8)], [4, 1, 0, 0, 0, 0, 0, 0]);
  t.submit(0, ASQ, 8, { 24: BUF, 40: 6 }, 0x06);
  assert.equal(t.cqe(ACQ, 1).status, 0);
  t.submit(0, ASQ, 8, { 24: BUF, 40: 6, 44: 2 << 24 }, 0x06);
  assert.equal(t.cqe(ACQ, 2).status, 0x4002, 'CSI 2 (zoned) is not supported');
  assert.equal(t.bar.read(0x3c, 4), 0);
  assert.deepEqual(t.errors, []);
});

test('pin-based interrupts (MSI-X off): INTA while a completion is unconsumed, INTMS/INTMC mask it', () => {
  const t = setup();
  const levels: boolean[] = [];
  t.c.intx = (l) => levels.push(l);
  t.c.config.write(0x42, 2, 0); // MSI-X off
  t.enable(4);
  t.submit(0, ASQ, 4, { 40: 7 }, 0x0a);
  assert.equal(levels.at(-1), true);
  t.bar.write(0x0c, 4, 1); // INTMS
  assert.equal(t.bar.read(0x10, 4), 1, 'INTMC reads the mask too');
  assert.equal(levels.at(-1), false);
  t.bar.write(0x10, 4, 1); // INTMC
  assert.equal(levels.at(-1), true);
  t.bar.write(0x1004, 4, 1); // consume
  assert.equal(levels.at(-1), false);
  assert.equal(t.g.msis.length, 0);
});
