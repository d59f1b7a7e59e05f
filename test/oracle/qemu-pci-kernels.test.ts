// QEMU system mode as the oracle of the PCIe host, MSI-X, NVMe and virtio-blk models: each PCI test kernel
// (test/fixtures/kernels/pci/) runs under qemu-system-aarch64 with the disk attached as recorded in
// pci/expected.json (qemuArgs) and under our `a64 boot` with the same disk (ourArgs); the UART output and
// exit status must be identical, and equal to the record. Also: our device tree's PCIe node must decompile
// (dtc) to what QEMU's dumpdtb gives for -M virt,gic-version=3,its=on (phandles normalised).
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
const expected: Record<string, { elf: string; qemuArgs: string[]; ourArgs: string[]; stdout: string; exitCode: number | null }> =
  JSON.parse(readFileSync('test/fixtures/kernels/pci/expected.json', 'utf8'));

function need(tool: string, pkg: string): void {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${tool} not found: install the Debian package ${pkg}`);
}

for (const [name, e] of Object.entries(expected)) {
  test(`${name}: same output under QEMU and a64 (${e.ourArgs.join(' ')})`, () => {
    need(QEMU, 'qemu-system-arm');
    const q = spawnSync(QEMU, e.qemuArgs, { encoding: 'latin1', timeout: 60_000 });
    assert.equal(q.error, undefined, `QEMU: ${q.error}`);
    const ours = spawnSync(process.execPath, ['dist/cli.js', 'boot', e.elf, ...e.ourArgs], { encoding: 'latin1', timeout: 120_000 });
    assert.equal(ours.stdout, q.stdout);
    assert.equal(ours.status, q.status, ours.stderr);
    assert.equal(q.stdout, e.stdout, 'pci/expected.json is stale: rerun test/fixtures/kernels/record-qemu.mjs --write');
  });
}

/** phandle value -> the name of the node that owns it (intc, its...). */
function phandleNames(dts: string): Map<number, string> {
  const m = new Map<number, string>();
  let current = '';
  for (const l of dts.split('\n').map((x) => x.trim())) {
    if (l.endsWith('{')) current = l.split(/[@ ]/)[0]!;
    const p = /^phandle = <(0x[0-9a-f]+)>;/.exec(l);
    if (p) m.set(Number(p[1]), current);
  }
  return m;
}

/**
 * dtc's text of the node whose name starts with `name`, properties sorted; in msi-map (cell 1) and
 * interrupt-map (cell 4 of each 10-cell entry) the phandle is replaced by its node's name.
 */
function node(dts: string, name: string): string[] {
  const ph = phandleNames(dts);
  const lines = dts.split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith(name) && l.endsWith('{'));
  assert.ok(start >= 0, `no node ${name}`);
  const out: string[] = [];
  for (let i = start + 1; lines[i] !== '};'; i++) {
    const m = /^(msi-map|interrupt-map) = <(.*)>;$/.exec(lines[i]!);
    if (!m) {
      out.push(lines[i]!);
      continue;
    }
    const cells = m[2]!.split(' ');
    const stride = m[1] === 'msi-map' ? 4 : 10;
    const at = m[1] === 'msi-map' ? 1 : 4;
    for (let c = at; c < cells.length; c += stride) cells[c] = `<${ph.get(Number(cells[c])) ?? cells[c]}>`;
    out.push(`${m[1]} = <${cells.join(' ')}>;`);
  }
  return out.sort();
}

test('device tree: pcie@10000000 (ECAM, windows, msi-map to the ITS, interrupt-map) as QEMU', () => {
  need(QEMU, 'qemu-system-arm');
  need('dtc', 'device-tree-compiler');
  const dir = mkdtempSync(join(tmpdir(), 'a64-pci-dt-'));
  try {
    const qdtb = join(dir, 'qemu.dtb');
    const q = spawnSync(QEMU, ['-M', `virt,gic-version=3,its=on,dumpdtb=${qdtb}`, '-cpu', 'cortex-a57', '-nographic'], { encoding: 'utf8' });
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
    const mine = node(ot, 'pcie@10000000');
    assert.deepEqual(mine, node(qt, 'pcie@10000000'));
    assert.ok(mine.some((l) => l.startsWith('msi-map = <0x00 <its> 0x00 0x10000>')), mine.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
