// crossCheck(): our own tables agree with the platform they were built from (no findings); each mismatch a
// viewer must flag — SPCR naming the wrong UART kind, address, access size or interrupt; MADT ITS, GICD or
// MPIDRs differing from the machine; MCFG ECAM elsewhere; IORT naming an ITS the MADT lacks; DBG2 and SPCR
// disagreeing; XSDT pointing at nothing — produces a finding naming the table and field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAcpiTables, crossCheck, decodeTable, gravitonPlatform, virtPlatform, type AcpiPlatform } from '../../src/emu';

function decoded(p: AcpiPlatform, patch?: (sig: string, t: Uint8Array) => void) {
  const img = buildAcpiTables(p, 0x4000_0000);
  const tables = img.tables.map((t) => {
    const b = t.bytes.slice();
    patch?.(t.signature, b);
    return decodeTable(b, t.signature);
  });
  return { tables, addresses: img.tables.map((t) => t.address) };
}

test('tables built for a platform agree with it', () => {
  for (const p of [virtPlatform(1), gravitonPlatform(4)]) {
    const { tables, addresses } = decoded(p);
    assert.deepEqual(crossCheck(tables, p, addresses), []);
  }
});

test('virt tables on a graviton machine: SPCR names a PL011 where there is a 16550', () => {
  const { tables } = decoded(virtPlatform(2));
  const f = crossCheck(tables, gravitonPlatform(2));
  assert.ok(f.some((x) => x.table === 'SPCR' && x.field === 'Interface Type' && /0x3 does not describe the machine's 16550/.test(x.message)), JSON.stringify(f));
});

test('each broken field is reported', () => {
  const p = gravitonPlatform(2);
  const dv = (t: Uint8Array) => new DataView(t.buffer, t.byteOffset);
  const cases: [string, (t: Uint8Array) => void, RegExp][] = [
    ['SPCR', (t) => { t[43] = 1; }, /SPCR access size 1 but the 16550's registers are 4 byte\(s\) apart/],
    ['SPCR', (t) => dv(t).setUint32(44, 0x0a00_0000, true), /SPCR says the UART is at 0xa000000, but the machine's 16550 is at 0x9000000/],
    ['SPCR', (t) => dv(t).setUint32(54, 40, true), /SPCR interrupt 40 but the UART raises 33/],
    ['APIC', (t) => dv(t).setUint32(44 + 2 * 80 + 24 + 16 + 8, 0x0909_0000, true), /MADT ITS at 0x9090000, the machine's ITS is at 0x8080000/],
    ['APIC', (t) => { t[44 + 68] = 7; }, /GICC 0 MPIDR 0x7, CPU 0 has 0x0/],
    ['MCFG', (t) => dv(t).setUint32(44, 0x3000_0000, true), /MCFG ECAM at 0x30000000/],
    ['IORT', (t) => dv(t).setUint32(68, 5, true), /ITS ID 5, which no MADT ITS entry has/],
    ['DBG2', (t) => { t[58] = 0x03; }, /DBG2 port subtype 0x3 differs from SPCR interface type 0x12/],
    ['XSDT', (t) => dv(t).setUint32(36, 0x1234, true), /XSDT Entry 0 points at 0x1234, where there is no table/],
  ];
  for (const [sig, patch, re] of cases) {
    const { tables, addresses } = decoded(p, (s, t) => { if (s === sig) patch(t); });
    const f = crossCheck(tables, p, addresses);
    assert.ok(f.some((x) => x.table === sig && re.test(x.message)), `${sig} ${re}: ${JSON.stringify(f)}`);
  }
});
