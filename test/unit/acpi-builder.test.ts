// The ACPI builder (src/emu/firmware/acpi) checked through the parser (src/emu/acpi): every table of both
// machines decodes without warnings or errors (checksums, lengths, reserved fields, revisions), and the
// decoded fields say what the platform description says — SPCR interface type and register access for the
// PL011 and for the 4-byte-spaced 16550, FADT hardware-reduced and PSCI conduit, a GICC per CPU with its
// MPIDR and redistributor, the ITS, IORT RID -> DeviceID identity through the ITS group, PPTT leaves
// matching the GICC UIDs, and the RSDP -> XSDT -> tables chain as a guest would walk it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAcpiTables, decodeTable, gravitonPlatform, readTablesFromRsdp, virtPlatform,
  type AcpiField, type AcpiPlatform, type DecodedTable,
} from '../../src/emu';

const BASE = 0x4000_0000;

function field(s: { fields: readonly AcpiField[] }, name: string, nth = 0): AcpiField {
  const f = s.fields.filter((x) => x.name === name)[nth];
  assert.ok(f, `no field '${name}'`);
  return f;
}
const num = (f: AcpiField) => Number(f.value);
const sub = (f: AcpiField, name: string) => f.children!.find((c) => c.name === name)!;

function decodeAll(p: AcpiPlatform): Map<string, { t: DecodedTable; address: number }> {
  const img = buildAcpiTables(p, BASE);
  const out = new Map<string, { t: DecodedTable; address: number }>();
  for (const b of img.tables) {
    const t = decodeTable(b.bytes, b.signature);
    assert.deepEqual(t.errors, [], `${b.signature}: errors`);
    assert.deepEqual(t.warnings, [], `${b.signature}: warnings`);
    out.set(b.signature.trim(), { t, address: b.address });
  }
  return out;
}

function byteSum(b: Uint8Array, n = b.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + b[i]) & 0xff;
  return s;
}

for (const [name, make] of [['virt', virtPlatform], ['graviton', gravitonPlatform]] as const) {
  for (const cpus of [1, 3]) {
    const p = make(cpus);
    test(`${name}/${cpus}: all tables decode cleanly, checksums sum to zero`, () => {
      const img = buildAcpiTables(p, BASE);
      for (const t of img.tables) {
        if (t.signature === 'RSD PTR ') {
          assert.equal(byteSum(t.bytes, 20), 0, 'RSDP v1 checksum');
          assert.equal(byteSum(t.bytes, 36), 0, 'RSDP extended checksum');
        } else assert.equal(byteSum(t.bytes), 0, `${t.signature} checksum`);
        assert.equal(t.address % (t.signature === 'RSD PTR ' ? 16 : 8), 0, `${t.signature} alignment`);
        assert.deepEqual(img.image.subarray(t.address - BASE, t.address - BASE + t.bytes.length), t.bytes);
      }
      decodeAll(p);
    });

    test(`${name}/${cpus}: RSDP -> XSDT -> tables walk finds every table at its address`, () => {
      const img = buildAcpiTables(p, BASE);
      const read = (addr: bigint, len: number) => {
        const o = Number(addr) - BASE;
        return o >= 0 && o + len <= img.image.length ? img.image.slice(o, o + len) : null;
      };
      const { tables, errors } = readTablesFromRsdp(read, BigInt(img.rsdpAddress));
      assert.deepEqual(errors, []);
      assert.deepEqual(tables.map((t) => t.signature).sort(), img.tables.map((t) => t.signature).sort());
      for (const t of tables) assert.deepEqual(t.warnings, [], `${t.signature} from guest memory`);
    });

    test(`${name}/${cpus}: SPCR and DBG2 describe the console UART`, () => {
      const m = decodeAll(p);
      const spcr = m.get('SPCR')!.t.root;
      const gas = field(spcr, 'Base Address');
      assert.equal(Number(sub(gas, 'Address').value), p.uart.base);
      assert.equal(num(field(spcr, 'Global System Interrupt')), p.uart.gsiv);
      assert.equal(sub(field(spcr, 'Interrupt Type'), 'Arm GIC').value, 1);
      assert.match(field(spcr, 'Configured Baud Rate').text, /115200/);
      if (p.uart.kind === 'pl011') {
        assert.equal(num(field(spcr, 'Interface Type')), 0x03);
        assert.equal(num(sub(gas, 'Access Size')), 3);
      } else {
        // 32-bit registers 4 bytes apart: Linux's SPCR code turns DWord access into "mmio32".
        assert.equal(num(field(spcr, 'Interface Type')), 0x12);
        assert.equal(num(sub(gas, 'Access Size')), 3);
        assert.equal(num(sub(gas, 'Bit Width')), 32);
        assert.equal(p.uart.regShift, 2);
      }
      const dbg = m.get('DBG2')!.t.root.children[0];
      assert.equal(num(field(dbg, 'Port Type')), 0x8000);
      assert.equal(num(field(dbg, 'Port Subtype')), num(field(spcr, 'Interface Type')));
      assert.equal(Number(sub(field(dbg, 'Base Address Register 0'), 'Address').value), p.uart.base);
      assert.equal(field(dbg, 'Namepath').value, '\\_SB.COM0\0');
      assert.match(m.get('DSDT')!.t.asl!, /Device \(COM0\)/);
    });

    test(`${name}/${cpus}: FADT, MADT, GTDT, MCFG, IORT, PPTT agree with the platform`, () => {
      const m = decodeAll(p);
      const fadt = m.get('FACP')!.t.root;
      assert.equal(sub(field(fadt, 'Flags'), 'HW_REDUCED_ACPI').value, 1);
      const boot = field(fadt, 'ARM_BOOT_ARCH');
      assert.equal(sub(boot, 'PSCI_COMPLIANT').value, 1);
      assert.equal(sub(boot, 'PSCI_USE_HVC').value, p.psci === 'hvc' ? 1 : 0);
      assert.equal(Number(field(fadt, 'X_DSDT').value), m.get('DSDT')!.address);

      const madt = m.get('APIC')!.t.root.children;
      const giccs = madt.filter((s) => s.name.startsWith('GIC CPU Interface'));
      assert.equal(giccs.length, cpus);
      giccs.forEach((g, i) => {
        assert.equal(Number(field(g, 'MPIDR').value), p.cpus[i].mpidr);
        assert.equal(num(field(g, 'ACPI Processor UID')), i);
        assert.equal(Number(field(g, 'GICR Base Address').value), p.gic.redistBase + i * p.gic.redistStride);
        assert.equal(sub(field(g, 'Flags'), 'Enabled').value, 1);
      });
      const gicd = madt.find((s) => s.name.startsWith('GIC Distributor'))!;
      assert.equal(Number(field(gicd, 'Physical Base Address').value), p.gic.distBase);
      assert.equal(num(field(gicd, 'GIC Version')), p.gic.version);
      const its = madt.find((s) => s.name.includes('ITS'))!;
      assert.equal(Number(field(its, 'Physical Base Address').value), p.gic.itsBase);
      const gicr = madt.find((s) => s.name.startsWith('GIC Redistributor'))!;
      assert.equal(num(field(gicr, 'Discovery Range Length')), p.gic.redistLength);

      const gtdt = m.get('GTDT')!.t.root;
      assert.equal(num(field(gtdt, 'Non-Secure EL1 Timer GSIV')), p.timers.nonSecureEl1);
      assert.equal(num(field(gtdt, 'Virtual EL1 Timer GSIV')), p.timers.virtualEl1);
      assert.equal(sub(field(gtdt, 'Virtual EL1 Timer Flags'), 'Trigger Mode').value, 0);

      const mcfg = m.get('MCFG')!.t.root.children[0];
      assert.equal(Number(field(mcfg, 'Base Address').value), p.pcie!.ecamBase);
      assert.equal(num(field(mcfg, 'End Bus Number')), p.pcie!.busEnd);

      const iort = m.get('IORT')!.t.root.children;
      const group = iort.find((n) => n.name === 'ITS Group')!;
      const rc = iort.find((n) => n.name === 'Root Complex')!;
      const map = rc.children[0];
      assert.equal(num(field(map, 'Output Reference')), group.offset);
      assert.equal(num(field(map, 'Input Base')), num(field(map, 'Output Base')));
      assert.equal(num(field(map, 'ID Count')), 0xffff); // 65536 IDs: the field holds the count minus one
      assert.equal(num(field(group, 'ITS ID 0')), 0);

      const pptt = m.get('PPTT')!.t.root.children;
      const leaves = pptt.filter((n) => sub(field(n, 'Flags'), 'Node is a leaf').value === 1);
      assert.deepEqual(leaves.map((n) => num(field(n, 'ACPI Processor ID'))), giccs.map((g) => num(field(g, 'ACPI Processor UID'))));
    });
  }
}

test('builder rejects platform descriptions the tables cannot express', () => {
  const g = gravitonPlatform(1);
  assert.throws(() => buildAcpiTables({ ...g, uart: { ...g.uart, regWidth: 8 } }, BASE), /register width 8 bits with register shift 2/);
  assert.throws(() => buildAcpiTables({ ...g, gic: { ...g.gic, itsBase: undefined } }, BASE), /ITS/);
  assert.throws(() => buildAcpiTables({ ...g, cpus: [] }, BASE), /0 CPUs/);
});

test('a byte-spaced 16550 gets Byte access, 8-bit registers', () => {
  const g = gravitonPlatform(1);
  const img = buildAcpiTables({ ...g, uart: { ...g.uart, regShift: 0, regWidth: 8 } }, BASE);
  const spcr = decodeTable(img.tables.find((t) => t.signature === 'SPCR')!.bytes).root;
  const gas = spcr.fields.find((f) => f.name === 'Base Address')!;
  assert.equal(gas.children!.find((c) => c.name === 'Access Size')!.value, 1);
  assert.equal(gas.children!.find((c) => c.name === 'Bit Width')!.value, 8);
});
