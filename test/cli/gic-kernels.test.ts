// The GIC test kernels (test/fixtures/kernels/gic/, built from source) booted through the command line
// must print exactly what QEMU printed for them under -M virt,gic-version=3,its=on (recorded in
// test/fixtures/kernels/gic/expected.json by record-qemu.mjs; test/oracle/qemu-gic-kernels.test.ts reruns
// QEMU live). The ITS kernel's deliberately bad commands must be reported as guest errors naming the
// architectural error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

interface Expected {
  elf: string;
  stdout: string;
  exitCode: number | null;
}

const CLI = 'dist/cli.js';
const expected: Record<string, Expected> = JSON.parse(readFileSync('test/fixtures/kernels/gic/expected.json', 'utf8'));

function boot(elf: string) {
  return spawnSync(process.execPath, [CLI, 'boot', elf], { encoding: 'latin1', timeout: 120_000 });
}

for (const [name, e] of Object.entries(expected)) {
  test(`boot ${name} matches QEMU (gic-version=3, its=on)`, () => {
    const r = boot(e.elf);
    assert.equal(r.error, undefined);
    assert.equal(r.status, e.exitCode, `exit status; stderr: ${r.stderr}`);
    assert.equal(r.stdout, e.stdout);
  });
}

test('gic_sgi: no guest errors', () => {
  const r = boot(expected.gic_sgi!.elf);
  assert.doesNotMatch(r.stderr, /guest error/);
});

test('gic_its: each ignored command and dropped MSI is a guest error naming the architectural error', () => {
  const r = boot(expected.gic_its!.elf);
  const errors = r.stderr.split('\n').filter((l) => l.includes('guest error'));
  const want = [
    /MAPTI DeviceID=0x9 EventID=0x0 pINTID=8193 ICID=0 ignored: E_MAPTI_UNMAPPED_DEVICE/,
    /MAPTI DeviceID=0x0 EventID=0x28 pINTID=8193 ICID=0 ignored: E_MAPTI_ID_OOR/,
    /MAPTI DeviceID=0x0 EventID=0x1 pINTID=8193 ICID=32767 ignored: E_MAPTI_COLLECTION_OOR/,
    /MAPTI DeviceID=0x0 EventID=0x1 pINTID=100 ICID=0 ignored: E_MAPTI_PHYSICALID_OOR/,
    /MAPI DeviceID=0x0 EventID=0x6 ICID=0 ignored: E_MAPI_PHYSICALID_OOR/,
    /MSI \(DeviceID 0x0, EventID 0x1\) dropped: E_TRANSLATE_UNMAPPED_INTERRUPT/,
    /MSI \(DeviceID 0x0, EventID 0x2\) dropped: E_TRANSLATE_UNMAPPED_INTERRUPT/,
    /MAPD DeviceID=0x7 .* ignored: E_MAPD_DEVICE_OOR: DeviceID 0x7: level-2 page not valid/,
    /MAPTI DeviceID=0x7 .* ignored: E_MAPTI_DEVICE_OOR/,
    /INT DeviceID=0x7 EventID=0x0 ignored: E_INT_DEVICE_OOR/,
  ];
  assert.equal(errors.length, want.length, r.stderr);
  want.forEach((re, i) => assert.match(errors[i]!, re));
});
