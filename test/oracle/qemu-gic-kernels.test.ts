// QEMU system mode as the oracle of the GICv3 + ITS model: every GIC test kernel
// (test/fixtures/kernels/gic/, built from source by test/fixtures/build.sh) runs under
// `qemu-system-aarch64 -M virt,gic-version=3,its=on -cpu cortex-a57 -nographic -kernel X` and under our
// `a64 boot X` (dist/cli.js, built by `npm run build`); the UART output and exit status must be identical,
// and equal to the record in gic/expected.json that the CLI suite checks without QEMU. Also: the device
// tree's GIC nodes must decompile (dtc) to what QEMU's own dumpdtb gives for the same machine.
// Needs qemu-system-aarch64 (qemu-system-arm) and dtc (device-tree-compiler).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { virtSpec } from '../../src/emu/machine/virt';
import { buildDtb } from '../../src/emu/machine/dtb';

const QEMU = 'qemu-system-aarch64';
const MACHINE = 'virt,gic-version=3,its=on';
const expected: Record<string, { elf: string; stdout: string; exitCode: number | null }> =
  JSON.parse(readFileSync('test/fixtures/kernels/gic/expected.json', 'utf8'));

function need(tool: string, pkg: string): void {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${tool} not found: install the Debian package ${pkg}`);
}

for (const [name, e] of Object.entries(expected)) {
  test(`${name}: same output under QEMU (${MACHINE}) and a64`, () => {
    need(QEMU, 'qemu-system-arm');
    const q = spawnSync(QEMU, ['-M', MACHINE, '-cpu', 'cortex-a57', '-nographic', '-kernel', e.elf], { encoding: 'latin1', timeout: 60_000 });
    assert.equal(q.error, undefined, `QEMU: ${q.error}`);
    const ours = spawnSync(process.execPath, ['dist/cli.js', 'boot', e.elf], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(ours.stdout, q.stdout);
    assert.equal(ours.status, q.status, ours.stderr);
    assert.equal(q.stdout, e.stdout, 'gic/expected.json is stale: rerun test/fixtures/kernels/record-qemu.mjs --write');
  });
}

/** dtc's text of the nodes whose path contains `part`, phandle values normalised. */
function nodes(dts: string, part: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let keep = -1;
  for (const raw of dts.split('\n')) {
    const line = raw.trim();
    if (line.endsWith('{')) {
      depth++;
      if (keep < 0 && line.includes(part)) keep = depth;
    }
    if (keep > 0) out.push(line.replace(/phandle = <0x[0-9a-f]+>/, 'phandle = <P>'));
    if (line === '};') {
      if (depth === keep) keep = -1;
      depth--;
    }
  }
  return out.sort();
}

test('device tree: intc@8000000 and its its@8080000 child, interrupt-parent and the PL011 interrupt as QEMU', () => {
  need(QEMU, 'qemu-system-arm');
  need('dtc', 'device-tree-compiler');
  const dir = mkdtempSync(join(tmpdir(), 'a64-gic-dt-'));
  try {
    const qdtb = join(dir, 'qemu.dtb');
    const q = spawnSync(QEMU, ['-M', `${MACHINE},dumpdtb=${qdtb}`, '-cpu', 'cortex-a57', '-nographic'], { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    const ours = join(dir, 'ours.dtb');
    writeFileSync(ours, buildDtb(virtSpec({})));
    const text = (p: string): string => {
      const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', '-o', '-', p], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const qt = text(qdtb);
    const ot = text(ours);
    assert.deepEqual(nodes(ot, 'intc@8000000'), nodes(qt, 'intc@8000000'));
    const line = (t: string, re: RegExp): string | undefined => t.split('\n').map((l) => l.trim()).find((l) => re.test(l));
    const parent = (t: string): string => {
      const own = t.slice(t.indexOf('intc@8000000 {'), t.indexOf('its@8080000 {'));
      const ph = /phandle = <(0x[0-9a-f]+)>/.exec(own)?.[1];
      return (line(t, /^interrupt-parent = /) ?? '').replace(ph ?? '?', 'INTC');
    };
    assert.equal(parent(ot), 'interrupt-parent = <INTC>;');
    assert.equal(parent(qt), parent(ot));
    const uartIrq = (t: string): string[] => nodes(t, 'pl011@9000000').filter((l) => l.startsWith('interrupts'));
    assert.deepEqual(uartIrq(ot), uartIrq(qt));
    assert.deepEqual(uartIrq(ot), ['interrupts = <0x00 0x01 0x04>;']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
