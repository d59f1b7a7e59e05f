// `a64 acpi dump` and `a64 acpi decode` through dist/cli.js: dump --out writes every table, decode reads
// them back (one file, several, tables end to end, acpidump text) and prints fields with their raw bytes
// and the DSDT as ASL; bad files give a clear message and a non-zero status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/cli.js';
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'acpi', ...args], { encoding: 'utf8', timeout: 60_000 });

test('acpi dump --machine graviton --out DIR writes the tables; decode prints SPCR as a 16550 with DWord access', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-acpi-cli-'));
  const r = run('dump', '--machine', 'graviton', '--cpus', '2', '--out', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['APIC.dat', 'DBG2.dat', 'DSDT.dat', 'FACP.dat', 'GTDT.dat', 'IORT.dat', 'MCFG.dat', 'PPTT.dat', 'RSDP.dat', 'SPCR.dat', 'XSDT.dat']);
  const d = run('decode', join(dir, 'SPCR.dat'));
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /\[024h +36 +1\] +Interface Type : 0x12 \(16550-compatible with parameters in the Generic Address Structure\) +\| 12/);
  assert.match(d.stdout, /Access Size : 0x03 \(DWord\)/);
  assert.doesNotMatch(d.stdout, /warning|error/);
  const all = run('decode', ...['DSDT', 'APIC'].map((s) => join(dir, `${s}.dat`)));
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /Device \(COM0\)/);
  assert.match(all.stdout, /GIC Interrupt Translation Service \(ITS\)/);
  // A directory (like a copy of /sys/firmware/acpi/tables).
  const whole = run('decode', dir);
  assert.equal(whole.status, 0, whole.stderr);
  assert.equal((whole.stdout.match(/^(RSD PTR|XSDT|FACP|DSDT|APIC|GTDT|SPCR|DBG2|MCFG|IORT|PPTT): /gm) ?? []).length, 11);
  // Tables laid end to end in one file.
  const cat = Buffer.concat(['RSDP', 'XSDT', 'FACP', 'MCFG'].map((s) => readFileSync(join(dir, `${s}.dat`))));
  writeFileSync(join(dir, 'all.bin'), cat);
  const c = run('decode', join(dir, 'all.bin'));
  assert.equal(c.status, 0, c.stderr);
  assert.equal((c.stdout.match(/^(RSD PTR|XSDT|FACP|MCFG): /gm) ?? []).length, 4);
});

test('acpi dump prints every virt table with its fields', () => {
  const r = run('dump', '--machine', 'virt');
  assert.equal(r.status, 0, r.stderr);
  for (const sig of ['RSD PTR', 'XSDT', 'FACP', 'DSDT', 'APIC', 'GTDT', 'SPCR', 'DBG2', 'MCFG', 'IORT', 'PPTT']) assert.match(r.stdout, new RegExp(`^${sig}: `, 'm'));
  assert.match(r.stdout, /Interface Type : 0x03 \(Arm PL011 UART\)/);
  assert.match(r.stdout, /PSCI_USE_HVC : 1/);
});

test('bad input: missing file, garbage, unknown machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a64-acpi-cli-'));
  const missing = run('decode', join(dir, 'nope.dat'));
  assert.equal(missing.status, 126);
  assert.match(missing.stderr, /nope\.dat: ENOENT/);
  writeFileSync(join(dir, 'junk.dat'), 'this is not an ACPI table, just some text long enough for a header');
  const junk = run('decode', join(dir, 'junk.dat'));
  assert.equal(junk.status, 1);
  assert.match(junk.stderr + junk.stdout, /junk\.dat/);
  const m = run('dump', '--machine', 'pdp11');
  assert.equal(m.status, 2);
  assert.match(m.stderr, /unknown machine 'pdp11'/);
});
