// Unit tests of the FDT writer and reader (src/emu/machine/fdt.ts): a virt-like tree is built, serialised
// and parsed back; header fields, block layout and alignment, string de-duplication, typed property
// encodings, reg/ranges cell counts, phandles, memory reservations, and the reader's handling of NOPs,
// version 16 blobs and malformed input. test/oracle/fdt.test.ts checks the same blobs against dtc.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FdtBuilder, FdtError, FdtNode, parseFdt, readFdtHeader, cells, FDT_MAGIC } from '../../src/emu/machine/fdt';

function virtTree(): FdtBuilder {
  const t = new FdtBuilder();
  t.bootCpuidPhys = 0;
  t.addReservation(0x4800_0000n, 0x10_0000n);
  const root = t.root;
  root.prop('compatible', ['linux,dummy-virt']);
  root.propU32('#address-cells', 2);
  root.propU32('#size-cells', 2);
  root.prop('model', 'A64 Studio virt');

  const gic = root.node('intc@8000000');
  gic.prop('compatible', 'arm,gic-v3');
  gic.propReg([[0x800_0000n, 0x1_0000n], [0x80a_0000n, 0xf6_0000n]]);
  gic.propEmpty('interrupt-controller');
  gic.propU32('#interrupt-cells', 3);
  gic.propU32('#address-cells', 2);
  gic.propU32('#size-cells', 2);
  root.propCells('interrupt-parent', [gic]);

  const chosen = root.node('chosen');
  chosen.prop('bootargs', 'console=ttyAMA0 earlycon');
  chosen.prop('stdout-path', '/pl011@9000000');
  chosen.propU64('linux,initrd-start', 0x4800_0000n);
  chosen.propU64('linux,initrd-end', 0x4810_0000n);

  const mem = root.node('memory@40000000');
  mem.prop('device_type', 'memory');
  mem.propReg([[0x4000_0000n, 0x1_0000_0000n]]);

  const cpus = root.node('cpus');
  cpus.propU32('#address-cells', 1);
  cpus.propU32('#size-cells', 0);
  for (let i = 0; i < 2; i++) {
    const cpu = cpus.node(`cpu@${i}`);
    cpu.prop('device_type', 'cpu');
    cpu.prop('compatible', 'arm,cortex-a57');
    cpu.propReg([[BigInt(i), 0n]]);
    cpu.prop('enable-method', 'psci');
  }

  const clk = root.node('apb-pclk');
  clk.prop('compatible', 'fixed-clock');
  clk.propU32('#clock-cells', 0);
  clk.propU32('clock-frequency', 24_000_000);
  clk.prop('clock-output-names', 'clk24mhz');

  const uart = root.node('pl011@9000000');
  uart.prop('compatible', ['arm,pl011', 'arm,primecell']);
  uart.propReg([[0x900_0000n, 0x1000n]]);
  uart.propCells('interrupts', [0, 1, 4]);
  uart.propCells('clocks', [clk, clk]);
  uart.prop('clock-names', ['uartclk', 'apb_pclk']);

  const psci = root.node('psci');
  psci.prop('compatible', ['arm,psci-1.0', 'arm,psci-0.2']);
  psci.prop('method', 'hvc');

  const timer = root.node('timer');
  timer.prop('compatible', 'arm,armv8-timer');
  timer.propCells('interrupts', [1, 13, 0xf04, 1, 14, 0xf04, 1, 11, 0xf04, 1, 10, 0xf04]);
  timer.propEmpty('always-on');

  const pcie = root.node('pcie@10000000');
  pcie.prop('device_type', 'pci');
  pcie.propU32('#address-cells', 3);
  pcie.propU32('#size-cells', 2);
  pcie.propReg([[0x40_1000_0000n, 0x1000_0000n]]);
  pcie.propRanges([[0x0100_0000_0000_0000_0000_0000n, 0x3eff_0000n, 0x1_0000n], [0x0200_0000_0000_0000_1000_0000n, 0x1000_0000n, 0x2eff_0000n]]);
  pcie.propBytes('blob', Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01]));
  return t;
}

function u32be(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(at);
}

/** Compares two trees: node names and order, property names, order and bytes, reservations. */
function assertSameTree(a: FdtBuilder, b: FdtBuilder) {
  assert.deepEqual(a.reservations, b.reservations);
  assert.equal(a.bootCpuidPhys, b.bootCpuidPhys);
  const walk = (x: FdtNode, y: FdtNode) => {
    assert.equal(x.name, y.name);
    assert.deepEqual(x.properties.map((p) => [p.name, [...p.value]]), y.properties.map((p) => [p.name, [...p.value]]), `properties of ${x.path}`);
    assert.deepEqual(x.children.map((c) => c.name), y.children.map((c) => c.name), `children of ${x.path}`);
    x.children.forEach((c, i) => walk(c, y.children[i]!));
  };
  walk(a.root, b.root);
}

describe('FdtBuilder.toBytes', () => {
  test('header: magic, version 17/16, offsets, sizes, boot cpu', () => {
    const t = virtTree();
    t.bootCpuidPhys = 0x101;
    const b = t.toBytes();
    const h = readFdtHeader(b);
    assert.equal(u32be(b, 0), FDT_MAGIC);
    assert.equal(h.totalSize, b.length);
    assert.equal(h.version, 17);
    assert.equal(h.lastCompVersion, 16);
    assert.equal(h.bootCpuidPhys, 0x101);
    assert.equal(h.offMemRsvmap, 40);
    assert.equal(h.offMemRsvmap % 8, 0);
    assert.equal(h.offDtStruct, 40 + 16 * 2, 'one reservation plus the terminator');
    assert.equal(h.offDtStruct % 4, 0);
    assert.equal(h.offDtStrings, h.offDtStruct + h.sizeDtStruct!);
    assert.equal(h.totalSize, h.offDtStrings + h.sizeDtStrings);
    assert.equal(u32be(b, h.offDtStruct), 1, 'FDT_BEGIN_NODE first');
    assert.equal(u32be(b, h.offDtStruct + 4), 0, 'root name is empty (padded to 4)');
    assert.equal(u32be(b, h.offDtStrings - 4), 9, 'FDT_END last');
    assert.equal(u32be(b, h.offDtStrings - 8), 2, 'root FDT_END_NODE before FDT_END');
  });

  test('memory reservation block: big-endian pairs ended by (0, 0)', () => {
    const t = new FdtBuilder();
    t.addReservation(0xffff_0000_1234_5678n, 0x2000n).addReservation(0x4000_0000n, 0x1000n);
    const b = t.toBytes();
    const v = new DataView(b.buffer);
    assert.equal(v.getBigUint64(40), 0xffff_0000_1234_5678n);
    assert.equal(v.getBigUint64(48), 0x2000n);
    assert.equal(v.getBigUint64(56), 0x4000_0000n);
    assert.equal(v.getBigUint64(64), 0x1000n);
    assert.equal(v.getBigUint64(72), 0n);
    assert.equal(v.getBigUint64(80), 0n);
    assert.deepEqual(parseFdt(b).reservations, [{ address: 0xffff_0000_1234_5678n, size: 0x2000n }, { address: 0x4000_0000n, size: 0x1000n }]);
    assert.throws(() => t.addReservation(0n, 0n), FdtError);
  });

  test('strings block stores each property name once', () => {
    const b = virtTree().toBytes();
    const h = readFdtHeader(b);
    const names = new TextDecoder().decode(b.subarray(h.offDtStrings, h.offDtStrings + h.sizeDtStrings)).split('\0').slice(0, -1);
    assert.equal(new Set(names).size, names.length, `duplicates in ${names.join(',')}`);
    for (const n of ['compatible', 'reg', 'device_type', '#address-cells', 'interrupts', 'phandle']) assert.ok(names.includes(n), n);
    assert.equal(names.filter((n) => n === 'compatible').length, 1);
  });

  test('an empty tree is a valid minimal blob', () => {
    const b = new FdtBuilder().toBytes();
    assert.equal(b.length, 40 + 16 + 4 * 4, 'header, terminator, BEGIN_NODE "" END_NODE END');
    const t = parseFdt(b);
    assert.equal(t.root.children.length, 0);
    assert.equal(t.root.properties.length, 0);
  });
});

describe('property encodings', () => {
  const t = parseFdt(virtTree().toBytes());

  test('strings and string lists', () => {
    assert.deepEqual(t.root.getStrings('compatible'), ['linux,dummy-virt']);
    assert.equal(t.root.getString('model'), 'A64 Studio virt');
    const uart = t.find('/pl011@9000000')!;
    assert.deepEqual(uart.getStrings('compatible'), ['arm,pl011', 'arm,primecell']);
    assert.deepEqual([...uart.getProp('compatible')!], [...new TextEncoder().encode('arm,pl011\0arm,primecell\0')]);
    assert.throws(() => uart.prop('x', 'a\0b'), FdtError);
  });

  test('cells, u32, u64, empty and bytes', () => {
    assert.equal(t.root.getU32('#address-cells'), 2);
    assert.deepEqual(t.find('/timer')!.getCells('interrupts'), [1, 13, 0xf04, 1, 14, 0xf04, 1, 11, 0xf04, 1, 10, 0xf04]);
    assert.equal(t.find('/chosen')!.getU64('linux,initrd-end'), 0x4810_0000n);
    assert.deepEqual([...t.find('/chosen')!.getProp('linux,initrd-start')!], [0, 0, 0, 0, 0x48, 0, 0, 0]);
    assert.equal(t.find('/intc@8000000')!.getProp('interrupt-controller')!.length, 0);
    assert.equal(t.find('/timer')!.hasProp('always-on'), true);
    assert.deepEqual([...t.find('/pcie@10000000')!.getProp('blob')!], [0xde, 0xad, 0xbe, 0xef, 0x01]);
    const n = new FdtBuilder().root;
    assert.throws(() => n.propU32('x', -1), FdtError);
    assert.throws(() => n.propU32('x', 2 ** 32), FdtError);
    assert.throws(() => n.propU32('x', 1.5), FdtError);
    assert.throws(() => n.propU64('x', 1n << 64n), FdtError);
  });

  test('reg follows the parent #address-cells/#size-cells', () => {
    assert.deepEqual(t.find('/memory@40000000')!.getCells('reg'), [0, 0x4000_0000, 1, 0]);
    assert.deepEqual(t.find('/intc@8000000')!.getCells('reg'), [0, 0x800_0000, 0, 0x1_0000, 0, 0x80a_0000, 0, 0xf6_0000]);
    assert.deepEqual(t.find('/cpus/cpu@1')!.getCells('reg'), [1], '#size-cells 0: address only');
    assert.deepEqual(t.find('/pcie@10000000')!.getCells('reg'), [0x40, 0x1000_0000, 0, 0x1000_0000]);
    // ranges: child #address-cells 3, parent #address-cells 2, #size-cells 2
    assert.deepEqual(t.find('/pcie@10000000')!.getCells('ranges'), [
      0x0100_0000, 0, 0, 0, 0x3eff_0000, 0, 0x1_0000,
      0x0200_0000, 0, 0x1000_0000, 0, 0x1000_0000, 0, 0x2eff_0000,
    ]);
    // Values that do not fit the cells are refused, naming the property and node.
    const b = new FdtBuilder();
    const bus = b.root.node('bus');
    bus.propU32('#address-cells', 1);
    bus.propU32('#size-cells', 1);
    assert.throws(() => bus.node('dev@100000000').propReg([[0x1_0000_0000n, 0x10n]]),
      (e: unknown) => e instanceof FdtError && /property reg in \/bus\/dev@100000000: 0x100000000 does not fit in 1 cell/.test(e.message));
    // Spec defaults when the parent sets nothing: 2 address cells, 1 size cell.
    assert.deepEqual(b.root.node('x').propReg([[0x1234n, 0x10n]]).getCells('reg'), [0, 0x1234, 0x10]);
    assert.throws(() => b.root.propReg([[0n, 1n]]), FdtError);
    assert.deepEqual(bus.propRanges([]).getProp('ranges')!.length, 0, 'empty ranges: identity');
  });

  test('cells() helper splits wide values most significant first', () => {
    assert.deepEqual(cells(0x0102_0003_0000_0000_0004n, 3), [0x0102, 0x0003_0000, 0x0004]);
    assert.deepEqual(cells(5n, 1), [5]);
    assert.throws(() => cells(1n << 32n, 1), FdtError);
  });
});

describe('phandles', () => {
  test('allocated on first reference, written as a phandle property, used in cells', () => {
    const src = virtTree();
    assert.equal(src.find('/intc@8000000')!.phandle, 1);
    assert.equal(src.find('/apb-pclk')!.phandle, 2);
    assert.equal(src.find('/psci')!.hasProp('phandle'), false, 'unreferenced nodes get none');
    const t = parseFdt(src.toBytes());
    assert.equal(t.find('/intc@8000000')!.getU32('phandle'), 1);
    assert.deepEqual(t.root.getCells('interrupt-parent'), [1]);
    assert.deepEqual(t.find('/pl011@9000000')!.getCells('clocks'), [2, 2]);
    // A parsed tree allocates above its existing phandles.
    assert.equal(t.find('/psci')!.phandle, 3);
    assert.equal(t.find('/intc@8000000')!.phandle, 1, 'stable');
  });

  test('explicit phandles are respected and nodes of another tree are refused', () => {
    const t = new FdtBuilder();
    t.root.node('a').propU32('phandle', 0x8000);
    assert.equal(t.root.node('b').phandle, 0x8001);
    const other = new FdtBuilder().root.node('c');
    assert.throws(() => t.root.propCells('x', [other]), FdtError);
  });
});

describe('names', () => {
  test('node and property names are validated; duplicates refused', () => {
    const r = new FdtBuilder().root;
    for (const bad of ['', '1abc', 'has space', 'a'.repeat(32), 'x@', 'x@a b', 'a/b']) assert.throws(() => r.node(bad), FdtError, bad);
    for (const ok of ['a', 'cpu@0', 'pl011@9000000', 'virtio_mmio@a000000', 'a'.repeat(31), 'pcie@1,0', 'Node+x.y']) r.node(ok);
    assert.throws(() => r.node('cpu@0'), (e: unknown) => e instanceof FdtError && /duplicate node \/cpu@0/.test(e.message));
    for (const bad of ['', 'a b', 'x'.repeat(32), 'é']) assert.throws(() => r.prop(bad, 'v'), FdtError, bad);
    for (const ok of ['#address-cells', 'linux,initrd-start', 'a?', 'x'.repeat(31)]) r.propEmpty(ok);
  });

  test('paths and find', () => {
    const t = virtTree();
    assert.equal(t.root.path, '/');
    assert.equal(t.find('/cpus/cpu@1')!.path, '/cpus/cpu@1');
    assert.equal(t.find('/cpus')!.find('cpu@0')!.name, 'cpu@0');
    assert.equal(t.find('/nope'), undefined);
    assert.equal(t.find('/'), t.root);
    assert.equal(t.root.removeNode('psci'), true);
    assert.equal(t.find('/psci'), undefined);
    assert.equal(t.root.deleteProp('model'), true);
    assert.equal(t.root.getString('model'), undefined);
  });
});

describe('parseFdt', () => {
  test('round trip: same tree, byte-identical re-serialisation', () => {
    const src = virtTree();
    const b = src.toBytes();
    const t = parseFdt(b);
    assertSameTree(src, t);
    assert.deepEqual(t.toBytes(), b);
  });

  test('skips FDT_NOP tokens', () => {
    const t = new FdtBuilder();
    t.root.node('a').propU32('x', 7).propU32('y', 8);
    const b = t.toBytes();
    const h = readFdtHeader(b);
    // Structure: BEGIN "" | BEGIN "a\0\0\0" | PROP 4 off(x) 7 | PROP 4 off(y) 8 | END_NODE | END_NODE | END
    const propX = h.offDtStruct + 8 + 8;
    assert.equal(u32be(b, propX), 3);
    const v = new DataView(b.buffer);
    for (let i = 0; i < 4; i++) v.setUint32(propX + 4 * i, 4); // FDT_NOP over the whole property
    const p = parseFdt(b);
    assert.equal(p.find('/a')!.hasProp('x'), false);
    assert.equal(p.find('/a')!.getU32('y'), 8);
  });

  test('reads a version 16 blob (no size_dt_struct)', () => {
    const b = virtTree().toBytes();
    new DataView(b.buffer).setUint32(20, 16);
    const h = readFdtHeader(b);
    assert.equal(h.version, 16);
    assert.equal(h.sizeDtStruct, undefined);
    assertSameTree(virtTree(), parseFdt(b));
  });

  test('accepts real-world names the builder would refuse', () => {
    const t = new FdtBuilder();
    const b = t.toBytes();
    // Build by hand: root containing "__symbols__" with property "gic" = "/intc".
    const strings = new TextEncoder().encode('gic\0');
    const name = new TextEncoder().encode('__symbols__\0'); // 12 bytes
    const val = new TextEncoder().encode('/intc\0\0\0'); // 6 bytes used, padded to 8
    const struct = new Uint8Array(8 + 4 + 12 + 12 + 8 + 4 + 4 + 4);
    const sv = new DataView(struct.buffer);
    let at = 0;
    sv.setUint32(at, 1); at += 8; // BEGIN_NODE ""
    sv.setUint32(at, 1); at += 4; struct.set(name, at); at += 12;
    sv.setUint32(at, 3); sv.setUint32(at + 4, 6); sv.setUint32(at + 8, 0); at += 12; struct.set(val, at); at += 8;
    sv.setUint32(at, 2); at += 4;
    sv.setUint32(at, 2); at += 4;
    sv.setUint32(at, 9); at += 4;
    const out = new Uint8Array(56 + struct.length + strings.length);
    out.set(b.subarray(0, 56));
    out.set(struct, 56);
    out.set(strings, 56 + struct.length);
    const ov = new DataView(out.buffer);
    ov.setUint32(4, out.length);
    ov.setUint32(8, 56);
    ov.setUint32(12, 56 + struct.length);
    ov.setUint32(32, strings.length);
    ov.setUint32(36, struct.length);
    const p = parseFdt(out);
    assert.equal(p.find('/__symbols__')!.getString('gic'), '/intc');
  });

  test('malformed blobs give FdtError naming the source and the problem', () => {
    const good = virtTree().toBytes();
    const h = readFdtHeader(good);
    const bad = (mutate: (b: Uint8Array, v: DataView) => Uint8Array | void, re: RegExp) => {
      const b = good.slice();
      const r = mutate(b, new DataView(b.buffer)) ?? b;
      assert.throws(() => parseFdt(r, 'virt.dtb'), (e: unknown) => e instanceof FdtError && re.test(e.message), String(re));
    };
    bad((b) => b.subarray(0, 20), /^virt\.dtb: too short for a device tree header \(20 bytes\)$/);
    bad((_, v) => v.setUint32(0, 0xdeadbeef), /^virt\.dtb: bad magic 0xdeadbeef \(expected 0xd00dfeed\)$/);
    bad((b) => b.subarray(0, b.length - 1), new RegExp(`^virt\\.dtb: totalsize ${good.length} is larger than the ${good.length - 1} bytes given$`));
    bad((_, v) => v.setUint32(20, 15), /^virt\.dtb: version 15 is too old/);
    bad((_, v) => v.setUint32(24, 18), /^virt\.dtb: last_comp_version 18 is newer/);
    bad((_, v) => v.setUint32(12, good.length), /^virt\.dtb: strings block .* lies outside the blob/);
    bad((_, v) => v.setUint32(36, 0x10000), /^virt\.dtb: structure block .* lies outside the blob/);
    bad((_, v) => v.setUint32(16, 44), /^virt\.dtb: memory reservation block offset 44 is not 8-byte aligned$/);
    bad((_, v) => v.setUint32(h.offDtStruct, 7), /^virt\.dtb: structure block does not start with FDT_BEGIN_NODE/);
    bad((_, v) => v.setUint32(h.offDtStrings - 4, 0x42), /^virt\.dtb: unknown token 0x42 at offset/);
    bad((_, v) => v.setUint32(h.offDtStrings - 4, 2), /^virt\.dtb: unbalanced FDT_END_NODE|structure block ends inside a token/);
    // First property of the root: nameoff past the strings block, then a length past the struct block.
    bad((_, v) => v.setUint32(h.offDtStruct + 16, 0x7fff), /^virt\.dtb: property name offset 32767 is outside the strings block/);
    bad((_, v) => v.setUint32(h.offDtStruct + 12, 0x7fff), /^virt\.dtb: property at offset \d+ runs past the structure block$/);
    // The last string loses its NUL terminator.
    bad((b) => { b[b.length - 1] = 0x41; }, /^virt\.dtb: property name at offset \d+ is not NUL-terminated$/);
    // A duplicate node name.
    bad((b) => {
      const i = findBytes(b, 'cpu@1\0');
      b[i + 4] = 0x30;
    }, /^virt\.dtb: duplicate node \/cpus\/cpu@0$/);
  });
});

function findBytes(hay: Uint8Array, s: string): number {
  const needle = new TextEncoder().encode(s);
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error(`${s} not found`);
}
