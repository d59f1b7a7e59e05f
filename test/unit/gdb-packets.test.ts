// The GDB remote protocol's framing (src/gdb/packets.ts). The expected frames are packets gdb-multiarch 13.1
// sent to QEMU 7.2's gdbstub, captured with `set debug remote 1` (checksums computed by GDB, not by us).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checksum, escapeBinary, expandRle, framePacket, fromHex, PacketReader, toHex, unescapeBinary, type PacketEvent,
} from '../../src/gdb/packets';

const CAPTURED = [
  '$g#67', '$qfThreadInfo#bb', '$qsThreadInfo#c8', '$vMustReplyEmpty#3a', '$vCont?#49', '$vCont;c:p1.-1#0f',
  '$vCont;s:p1.1#f2', '$Z2,40080330,4#aa', '$z2,40080330,4#ca', '$Z3,40080330,4#ab', '$z3,40080330,4#cb',
  '$m40080040,40#8d', '$vKill;1#6e',
];

test('framePacket reproduces the checksums gdb-multiarch computed', () => {
  for (const f of CAPTURED) {
    const data = f.slice(1, f.indexOf('#'));
    assert.equal(framePacket(data), f);
    assert.equal(checksum(data), f.slice(-2));
  }
});

function reader(noAck = false) {
  const events: PacketEvent[] = [];
  const acks: string[] = [];
  const r = new PacketReader((e) => events.push(e), (a) => acks.push(a));
  r.noAck = noAck;
  return { r, events, acks };
}

test('PacketReader: packets split anywhere across chunks, each acknowledged', () => {
  const wire = '+' + CAPTURED.join('');
  for (const step of [1, 2, 3, 7, 64, wire.length]) {
    const { r, events, acks } = reader();
    for (let i = 0; i < wire.length; i += step) r.feed(wire.slice(i, i + step));
    const packets = events.filter((e) => e.kind === 'packet').map((e) => (e as { data: string }).data);
    assert.deepEqual(packets, CAPTURED.map((f) => f.slice(1, f.indexOf('#'))), `chunks of ${step}`);
    assert.equal(acks.join(''), '+'.repeat(CAPTURED.length));
    assert.equal(events[0].kind, 'ack');
  }
});

test('PacketReader: a bad checksum is nacked and reported; no-ack mode sends no acknowledgements', () => {
  const { r, events, acks } = reader();
  r.feed('$g#00$g#67');
  assert.deepEqual(acks, ['-', '+']);
  assert.deepEqual(events.map((e) => e.kind), ['bad-checksum', 'packet']);
  const q = reader(true);
  q.r.feed('$g#67$g#00');
  assert.deepEqual(q.acks, []);
  assert.deepEqual(q.events.map((e) => e.kind), ['packet', 'packet'], 'checksums are not checked in no-ack mode');
});

test('PacketReader: the interrupt byte between packets, noise ignored, raw bytes accepted', () => {
  const { r, events } = reader();
  r.feed(Uint8Array.from([0x03, 0x0a, ...Buffer.from('$?#3f'), 0x03]));
  assert.deepEqual(events.map((e) => e.kind), ['interrupt', 'packet', 'interrupt']);
});

test('run-length encoding (GDB manual example "0* " is four zeros) and binary escapes', () => {
  assert.equal(expandRle('0* '), '0000');
  assert.equal(expandRle('ab*"c'), 'abbbbbbc');
  let all = '';
  for (let b = 0; b < 256; b++) all += String.fromCharCode(b);
  const esc = escapeBinary(all);
  assert.ok(!/[$#*]/.test(esc.replace(/}./g, '')), 'no bare $ # * after escaping');
  assert.equal(unescapeBinary(esc), all);
  assert.equal(escapeBinary('a$b#c}d*'), 'a}\x04b}\x03c}\x5dd}\x0a');
});

test('hex text for qRcmd and O packets', () => {
  assert.equal(toHex('help'), '68656c70');
  assert.equal(fromHex('6d6f6e69746f72'), 'monitor');
  assert.throws(() => fromHex('6x'), /malformed hex/);
});
