// The AML encoder against the AML parser: PkgLength at every encoding boundary, NameString prefixes,
// shortest integer encodings, EisaId compression, resource descriptors, and encoder -> parser -> ASL round
// trips. (Agreement of both with iasl is the oracle test's job; these need no tools.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as A from '../../src/emu/acpi/aml/encode';
import { parseAml } from '../../src/emu/acpi/aml/parse';
import { disassembleAml } from '../../src/emu/acpi/aml/disasm';
import { addressSpace, extendedInterrupt, memory32Fixed, resourceTemplate, splitResources } from '../../src/emu/acpi/aml/resources';

test('PkgLength: lengths across the 1/2/3/4-byte boundaries round-trip through a Buffer', () => {
  for (const n of [0, 1, 60, 61, 62, 63, 64, 4090, 4091, 4092, 4093, 5000, 1048570, 1048571, 1048572, 1048580]) {
    const bytes = new Uint8Array(n).map((_, i) => i & 0xff);
    const buf = A.buffer(bytes);
    const { nodes, errors } = parseAml(buf, 0);
    assert.deepEqual(errors, [], `n=${n}`);
    assert.equal(nodes.length, 1);
    const b = nodes[0];
    assert.ok(b.k === 'buffer');
    assert.equal(b.bytes.length, n, `n=${n}`);
    // PkgLength counts itself: 1 byte up to 63, then 2 (12-bit), 3 (20-bit), 4 (28-bit) bytes.
    const pk = A.pkgLength(n);
    const width = n + 1 <= 0x3f ? 1 : n + 2 <= 0xfff ? 2 : n + 3 <= 0xfffff ? 3 : 4;
    assert.equal(pk.length, width, `PkgLength width for ${n}`);
    let total = width === 1 ? pk[0] : pk[0] & 0x0f;
    for (let i = 1; i < width; i++) total |= pk[i] << (4 + 8 * (i - 1));
    assert.equal(pk[0] >> 6, width - 1);
    assert.equal(total, n + width);
  }
});

test('NameString: root, parent, single, dual and multi segment paths', () => {
  for (const path of ['\\_SB.PCI0', 'COM0', '^^PCI0', '\\_SB.PCI0.RES0', '\\', 'A.B.C.D']) {
    const enc = A.name(path === '\\' ? 'X' : path, A.integer(5));
    const { nodes, errors } = parseAml(enc, 0);
    assert.deepEqual(errors, []);
    const n = nodes[0];
    assert.ok(n.k === 'op' && n.name === 'Name' && n.args[0].k === 'name');
    assert.equal((n.args[0] as { path: string }).path, path === '\\' ? 'X' : path);
  }
  assert.throws(() => A.nameString('toolong'), /invalid AML name segment/);
  assert.throws(() => A.nameString('1ABC'), /invalid AML name segment/);
});

test('integers use the shortest encoding and parse back', () => {
  const cases: [bigint, number][] = [[0n, 1], [1n, 1], [2n, 2], [0xffn, 2], [0x100n, 3], [0xffffn, 3], [0x10000n, 5], [0xffff_ffffn, 5], [0x1_0000_0000n, 9], [0xffff_ffff_ffff_ffffn, 1]];
  for (const [v, len] of cases) {
    const e = A.integer(v);
    assert.equal(e.length, len, `0x${v.toString(16)}`);
    const n = parseAml(e, 0).nodes[0];
    assert.ok(n.k === 'int');
    assert.equal(n.v, v);
  }
  assert.throws(() => A.integer(-1), /out of range/);
});

test('EisaId compresses to the 32-bit form and disassembles back', () => {
  // "PNP0A08": 'P'=16,'N'=14,'P'=16 -> 0x41D0 big-endian, product 0x0A08 -> bytes 41 D0 0A 08.
  assert.deepEqual([...A.eisaId('PNP0A08')], [0x0c, 0x41, 0xd0, 0x0a, 0x08]);
  for (const id of ['PNP0A08', 'PNP0A03', 'PNP0501', 'PNP0C02', 'ABC1234']) {
    const t = A.definitionBlock('DSDT', 2, 'OEMID', 'TABLE', 1, [A.name('_HID', A.eisaId(id))]);
    assert.match(disassembleAml(t).asl, new RegExp(`Name \\(_HID, EisaId \\("${id}"\\)\\)`));
  }
  assert.throws(() => A.eisaId('pnp0a08'), /invalid EISA ID/);
});

test('resource descriptors: encoded templates split back into the descriptors written', () => {
  const rt = resourceTemplate([
    memory32Fixed(true, 0x0900_0000, 0x1000),
    extendedInterrupt({ edge: true, activeLow: true, shared: true, gsivs: [33, 34] }),
    addressSpace(2, { type: 2, producer: true, minFixed: true, maxFixed: true, typeFlags: 0, granularity: 0n, min: 0n, max: 255n, translation: 0n, length: 256n }),
    addressSpace(8, { type: 0, producer: true, minFixed: true, maxFixed: true, typeFlags: 1, granularity: 0n, min: 0x80_0000_0000n, max: 0xff_ffff_ffffn, translation: 0n, length: 0x80_0000_0000n }),
  ]);
  const d = splitResources(rt)!;
  assert.deepEqual(d.map((x) => x.kind), ['Memory32Fixed', 'Interrupt', 'WordSpace', 'QWordSpace', 'EndTag']);
  assert.equal(d[3].bytes.length, 46); // 3-byte header + 43
  const asl = disassembleAml(A.definitionBlock('SSDT', 2, 'O', 'T', 1, [A.name('_CRS', A.buffer(rt))])).asl;
  assert.match(asl, /Interrupt \(ResourceConsumer, Edge, ActiveLow, Shared, ,, \)\s*\{\s*0x00000021,\s*0x00000022,\s*\}/);
  assert.match(asl, /WordBusNumber \(ResourceProducer, MinFixed, MaxFixed, PosDecode,\s*0x0000,\s*0x0000,\s*0x00FF,\s*0x0000,\s*0x0100,/);
  assert.match(asl, /QWordMemory \(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,/);
  // Not a template (no End Tag): printed as a plain Buffer.
  assert.equal(splitResources(Uint8Array.of(0x86, 9, 0)), null);
});

test('methods, packages and strings round-trip through the disassembler', () => {
  const t = A.definitionBlock('SSDT', 2, 'OEM', 'TBL', 1, [
    A.scope('\\_SB', [
      A.device('DEV0', [
        A.name('_UID', A.integer(7)),
        A.name('LIST', A.pkg([A.string('a'), A.integer(0x1234), A.pkg([])])),
        A.method('_STA', 0, false, [A.ret(A.integer(0x0f))]),
        A.method('SRLZ', 3, true, [A.ret(A.string('x'))]),
      ]),
    ]),
  ]);
  const { asl, errors } = disassembleAml(t);
  assert.deepEqual(errors, []);
  assert.match(asl, /DefinitionBlock \("", "SSDT", 2, "OEM   ", "TBL     ", 0x00000001\)/);
  assert.match(asl, /Device \(DEV0\)/);
  assert.match(asl, /Name \(_UID, 0x07\)/);
  assert.match(asl, /Package \(0x03\)\s*\{\s*"a",\s*0x1234,\s*Package \(0x00\)\s*\{\s*\}\s*\}/);
  assert.match(asl, /Method \(_STA, 0, NotSerialized\)\s*\{\s*Return \(0x0F\)\s*\}/);
  assert.match(asl, /Method \(SRLZ, 3, Serialized\)/);
});

test('each ASL line maps to the offset of the AML object it prints', () => {
  const dev = A.device('DEV0', [A.name('_UID', A.integer(7))]);
  const t = A.definitionBlock('SSDT', 2, 'OEM', 'TBL', 1, [A.scope('\\_SB', [dev])]);
  const d = disassembleAml(t);
  const lines = d.asl.split('\n');
  assert.equal(d.lineOffsets.length, lines.length - 1);
  const at = (re: RegExp) => d.lineOffsets[lines.findIndex((l) => re.test(l))]!;
  assert.equal(t[at(/Scope \(\\_SB\)/)], 0x10); // ScopeOp
  assert.deepEqual([...t.subarray(at(/Device \(DEV0\)/), at(/Device \(DEV0\)/) + 2)], [0x5b, 0x82]); // DeviceOp
  assert.equal(t[at(/Name \(_UID/)], 0x08); // NameOp
});
