// Bad ACPI input never throws out of the parser: truncated tables, lengths past the end, subtables that
// overrun, bad checksums, unknown revisions, reserved bits, garbage AML and garbage files all come back as
// warnings or errors that name where the bytes came from. Each case starts from a valid built table and
// breaks one thing, so the message is about that thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAcpiTables, decodeTable, splitTables, gravitonPlatform, readTablesFromRsdp } from '../../src/emu';

const img = buildAcpiTables(gravitonPlatform(2), 0x4000_0000);
const table = (sig: string) => img.tables.find((t) => t.signature === sig)!.bytes.slice();

function fixChecksum(t: Uint8Array): Uint8Array {
  t[9] = 0;
  let s = 0;
  for (const b of t) s = (s + b) & 0xff;
  t[9] = (0x100 - s) & 0xff;
  return t;
}
const setU32 = (t: Uint8Array, o: number, v: number) => new DataView(t.buffer, t.byteOffset).setUint32(o, v, true);

test('bad checksum is a warning naming the right value', () => {
  const t = table('APIC');
  t[9] ^= 0x5a;
  const d = decodeTable(t, 'apic.dat');
  assert.deepEqual(d.errors, []);
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0], /^apic\.dat: APIC: bad checksum 0x[0-9A-F]{2} \(should be 0x[0-9A-F]{2}\)$/);
  assert.ok(d.root.children.length > 0, 'still decoded');
});

test('truncated table: Length says more than the file holds', () => {
  const t = table('APIC').subarray(0, 100);
  const d = decodeTable(t, 'APIC.dat');
  assert.ok(d.errors.some((w) => /^APIC\.dat: APIC: Length field says \d+ bytes but only 100 are present/.test(w)), d.errors.join('\n'));
  assert.ok(d.errors.some((e) => /APIC\.dat: APIC: subtable type 11 at offset 44 has length 80, past the end of the table \(100\)/.test(e)), d.errors.join('\n'));
});

test('every prefix of every table decodes without throwing', () => {
  for (const b of img.tables) {
    for (let n = 0; n <= b.bytes.length; n += 3) {
      const d = decodeTable(b.bytes.subarray(0, n), `cut-${n}`);
      if (n < b.bytes.length) assert.ok(d.errors.length + d.warnings.length > 0, `${b.signature} cut at ${n}: no complaint`);
    }
  }
});

test('random corruption never throws', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
  for (const b of img.tables) {
    for (let k = 0; k < 200; k++) {
      const t = b.bytes.slice();
      for (let j = 0; j < 4; j++) t[rnd() % t.length] = rnd();
      const d = decodeTable(t, 'fuzz');
      assert.ok(Array.isArray(d.errors));
    }
  }
});

test('a subtable length of zero stops the walk with a warning, not a hang', () => {
  const t = table('APIC');
  t[45] = 0; // first GICC's Length
  const d = decodeTable(fixChecksum(t), 'x');
  assert.ok(d.warnings.some((w) => /subtable at offset 44 has length 0: stopping/.test(w)));
});

test('IORT node running past the end is an error', () => {
  const t = table('IORT');
  t[0x49] = 0xff; // root complex node Length low byte -> past the end
  const d = decodeTable(fixChecksum(t), 'iort.bin');
  assert.ok(d.errors.some((e) => /IORT node 1 at offset 72 has length \d+, past the end of the table/.test(e)), d.errors.join('\n'));
});

test('unknown revision and reserved bits are warnings', () => {
  const t = table('FACP');
  t[8] = 9;
  setU32(t, 112, (1 << 20) | (1 << 30)); // a reserved Flags bit
  const d = decodeTable(fixChecksum(t), 'facp');
  assert.ok(d.warnings.some((w) => /unknown revision 9 of FACP/.test(w)));
  assert.ok(d.warnings.some((w) => /Flags at offset 112 has reserved bits set \(0x40000000\)/.test(w)));
});

test('RSDP checksums are checked separately', () => {
  const r = img.tables[0].bytes.slice();
  r[24] ^= 1; // XSDT address: covered by the extended checksum only
  const d = decodeTable(r, 'rsdp');
  assert.ok(d.warnings.some((w) => /extended checksum/.test(w)));
  assert.ok(!d.warnings.some((w) => /bad RSDP checksum/.test(w)));
  r[0x9] ^= 1; // OEM ID byte: breaks the 20-byte checksum
  assert.ok(decodeTable(r, 'rsdp').warnings.some((w) => /bad RSDP checksum/.test(w)));
});

test('garbage and tiny inputs are errors naming the file', () => {
  assert.match(decodeTable(new Uint8Array(10), 'tiny.bin').errors[0], /^tiny\.bin: .*10 bytes is too short for an ACPI table header/);
  const s = splitTables(Uint8Array.from([0x41, 0x42, 0x43]), 'abc.bin');
  assert.match(s.errors[0], /abc\.bin: 3 stray bytes at offset 0/);
  assert.match(decodeTable(new TextEncoder().encode('th:s is not an ACPI table, just some text long enough'), 'junk.txt').errors[0],
    /^junk\.txt: th:s: not an ACPI table: signature "th:s" is not four characters/);
  assert.match(decodeTable(new TextEncoder().encode('this is not an ACPI table, just some text long enough'), 'junk.txt').errors[0],
    /^junk\.txt: this: Length field says 544434464 bytes but only 53 are present/);
  const z = splitTables(new Uint8Array(100), 'zeros.bin');
  assert.match(z.errors[0], /zeros\.bin: table at offset 0 has Length 0/);
});

test('malformed AML in a DSDT is reported with its offset', () => {
  const t = table('DSDT');
  // Cut the table in the middle of the PCI0 device and fix the header: the Scope's PkgLength now runs past.
  const cut = fixChecksum((() => { const c = t.slice(0, 600); setU32(c, 4, 600); return c; })());
  const d = decodeTable(cut, 'dsdt.aml');
  assert.ok(d.errors.some((e) => /^dsdt\.aml: DSDT: AML: offset 0x[0-9a-f]+: package length \d+ runs past the end of the AML/.test(e)), d.errors.join('\n'));
  const u = t.slice();
  u[36] = 0xfa; // an opcode that does not exist
  const d2 = decodeTable(fixChecksum(u), 'dsdt.aml');
  assert.ok(d2.errors.some((e) => /offset 0x24: unknown AML opcode 0xfa/.test(e)), d2.errors.join('\n'));
});

test('the RSDP walk reports addresses outside guest memory', () => {
  const none = () => null;
  assert.match(readTablesFromRsdp(none, 0x1000n).errors[0], /guest 0x1000: RSDP address is not in guest memory/);
});

test('acpidump text is split into tables', () => {
  const b = table('MCFG');
  const lines = ['MCFG @ 0x0000000000000000'];
  for (let o = 0; o < b.length; o += 16) {
    lines.push(`    ${o.toString(16).padStart(4, '0')}: ${Array.from(b.subarray(o, o + 16), (x) => x.toString(16).padStart(2, '0')).join(' ')}  ................`);
  }
  const s = splitTables(new TextEncoder().encode(lines.join('\n') + '\n'), 'dump.txt');
  assert.deepEqual(s.errors, []);
  assert.equal(s.tables.length, 1);
  assert.deepEqual(s.tables[0].bytes, b);
});
