// The PL031 RTC driven through MMIO as Linux's rtc-pl031 does: AMBA ID registers, the counter following
// virtual time from the machine's epoch, RTCLR loading it, the match interrupt (raw, masked, cleared) and
// the time an idle machine must skip to reach a match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pl031 } from '../../src/emu/devices/pl031';

function rtc(epoch = 1_700_000_000) {
  const clock = { t: 0 };
  const irqs: boolean[] = [];
  const errors: string[] = [];
  const d = new Pl031({ now: () => clock.t, epoch, onIrq: (l) => irqs.push(l), guestError: (m) => errors.push(m) });
  return { d, m: d.mmio, clock, irqs, errors };
}

test('PL031: AMBA peripheral and PrimeCell IDs as Linux matches them (part 0x031, designer 0x41)', () => {
  const { m } = rtc();
  const id = [0, 1, 2, 3].map((i) => m.read(0xfe0 + 4 * i, 4));
  const periph = id[0] | (id[1] << 8) | ((id[2] & 0xf) << 16);
  assert.equal(periph & 0xfff, 0x031);
  assert.equal((periph >> 12) & 0xff, 0x41);
  assert.deepEqual([0, 1, 2, 3].map((i) => m.read(0xff0 + 4 * i, 4)), [0x0d, 0xf0, 0x05, 0xb1]);
});

test('PL031: counter runs from the epoch with virtual seconds; RTCLR reloads it; RTCCR stays started', () => {
  const { m, clock } = rtc(1000);
  assert.equal(m.read(0x00, 4), 1000);
  clock.t = 2.9;
  assert.equal(m.read(0x00, 4), 1002);
  m.write(0x08, 4, 50);
  assert.equal(m.read(0x00, 4), 50);
  clock.t = 4.0;
  assert.equal(m.read(0x00, 4), 51, 'one whole second after the load');
  m.write(0x0c, 4, 0);
  assert.equal(m.read(0x0c, 4), 1);
});

test('PL031: match interrupt: raw status at the match, masked by RTCIMSC, cleared by RTCICR', () => {
  const { d, m, clock, irqs } = rtc(100);
  m.write(0x04, 4, 103);
  assert.equal(d.secondsToMatch(), 3);
  m.write(0x10, 4, 1);
  clock.t = 2.5;
  d.poll();
  assert.equal(m.read(0x14, 4), 0);
  assert.equal(d.secondsToMatch(), 0.5);
  clock.t = 3;
  d.poll();
  assert.equal(m.read(0x14, 4), 1);
  assert.equal(m.read(0x18, 4), 1);
  assert.deepEqual(irqs, [true]);
  m.write(0x10, 4, 0);
  assert.equal(m.read(0x18, 4), 0, 'masked');
  m.write(0x1c, 4, 1);
  assert.equal(m.read(0x14, 4), 0);
  assert.deepEqual(irqs, [true, false]);
});

test('PL031: writes to read-only registers and holes are reported, not fatal', () => {
  const { m, errors } = rtc();
  m.write(0x00, 4, 5);
  m.read(0x100, 4);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /read-only register RTCDR/);
});
