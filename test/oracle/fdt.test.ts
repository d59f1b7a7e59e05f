// Oracle test of the FDT writer and reader against dtc, the reference device tree compiler: a virt-like
// tree from FdtBuilder must decompile (dtc -I dtb -O dts) without warnings to exactly the expected nodes
// and property values; and a DTS written by hand, compiled by dtc, must parse (parseFdt) to the expected
// values and re-serialise (toBytes) to a blob dtc decompiles to the same text as its own.
// Needs dtc: the Debian package device-tree-compiler.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdtBuilder, parseFdt } from '../../src/emu/machine/fdt';

let dir = '';

before(() => {
  const r = spawnSync('dtc', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('dtc (the device tree compiler) not found: install the Debian package device-tree-compiler (apt-get install -y device-tree-compiler)');
  }
  dir = mkdtempSync(join(tmpdir(), 'a64-fdt-oracle-'));
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs dtc; returns stdout, fails the test on a non-zero exit. */
function dtc(args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync('dtc', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `dtc ${args.join(' ')} failed:\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

function decompile(blob: Uint8Array, name: string): { stdout: string; stderr: string } {
  const path = join(dir, name);
  writeFileSync(path, blob);
  return dtc(['-I', 'dtb', '-O', 'dts', '-o', '-', path]);
}

/** Reads dtc's DTS output into path -> property lines ("name = value" or "name"), plus /memreserve/ lines. */
function parseDts(text: string): { nodes: Map<string, string[]>; memreserve: string[] } {
  const nodes = new Map<string, string[]>();
  const memreserve: string[] = [];
  const stack: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line === '/dts-v1/;') continue;
    let m: RegExpExecArray | null;
    if ((m = /^\/memreserve\/\s+(\S+)\s+(\S+);$/.exec(line))) {
      memreserve.push(`${BigInt(m[1]!).toString(16)} ${BigInt(m[2]!).toString(16)}`);
    } else if ((m = /^(\S+) \{$/.exec(line))) {
      const name = m[1]!;
      const path = name === '/' ? '/' : `${stack.length <= 1 ? '' : stack[stack.length - 1]}/${name}`;
      stack.push(path);
      nodes.set(path, []);
    } else if (line === '};') {
      stack.pop();
    } else if ((m = /^(.+?);$/.exec(line))) {
      nodes.get(stack[stack.length - 1]!)!.push(m[1]!);
    } else {
      assert.fail(`unexpected dtc output line: ${raw}`);
    }
  }
  return { nodes, memreserve };
}

function virtTree(): FdtBuilder {
  const t = new FdtBuilder();
  t.addReservation(0x4800_0000n, 0x10_0000n);
  t.addReservation(0xffff_0000_0000_0000n, 0x1000n);
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
  const pcie = root.node('pcie@4010000000');
  pcie.prop('compatible', 'pci-host-ecam-generic');
  pcie.prop('device_type', 'pci');
  pcie.propU32('#address-cells', 3);
  pcie.propU32('#size-cells', 2);
  pcie.propCells('bus-range', [0, 0xff]);
  pcie.propReg([[0x40_1000_0000n, 0x1000_0000n]]);
  pcie.propRanges([[0x0100_0000_0000_0000_0000_0000n, 0x3eff_0000n, 0x1_0000n], [0x0200_0000_0000_0000_1000_0000n, 0x1000_0000n, 0x2eff_0000n]]);
  pcie.propBytes('vendor,blob', Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01]));
  return t;
}

test('dtc decompiles the FdtBuilder blob, without warnings, to the expected nodes and values', () => {
  const { stdout, stderr } = decompile(virtTree().toBytes(), 'virt.dtb');
  assert.equal(stderr, '', 'dtc reported problems with the blob');
  const { nodes, memreserve } = parseDts(stdout);
  assert.deepEqual(memreserve, ['48000000 100000', 'ffff000000000000 1000']);
  const expected: Record<string, string[]> = {
    '/': [
      'compatible = "linux,dummy-virt"',
      '#address-cells = <0x02>',
      '#size-cells = <0x02>',
      'model = "A64 Studio virt"',
      'interrupt-parent = <0x01>',
    ],
    '/intc@8000000': [
      'compatible = "arm,gic-v3"',
      'reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0xf60000>',
      'interrupt-controller',
      '#interrupt-cells = <0x03>',
      '#address-cells = <0x02>',
      '#size-cells = <0x02>',
      'phandle = <0x01>',
    ],
    '/chosen': [
      'bootargs = "console=ttyAMA0 earlycon"',
      'stdout-path = "/pl011@9000000"',
      'linux,initrd-start = <0x00 0x48000000>',
    ],
    '/memory@40000000': ['device_type = "memory"', 'reg = <0x00 0x40000000 0x01 0x00>'],
    '/cpus': ['#address-cells = <0x01>', '#size-cells = <0x00>'],
    '/cpus/cpu@0': ['device_type = "cpu"', 'compatible = "arm,cortex-a57"', 'reg = <0x00>', 'enable-method = "psci"'],
    '/cpus/cpu@1': ['device_type = "cpu"', 'compatible = "arm,cortex-a57"', 'reg = <0x01>', 'enable-method = "psci"'],
    '/apb-pclk': ['compatible = "fixed-clock"', '#clock-cells = <0x00>', 'clock-frequency = <0x16e3600>', 'phandle = <0x02>'],
    '/pl011@9000000': [
      'compatible = "arm,pl011\\0arm,primecell"',
      'reg = <0x00 0x9000000 0x00 0x1000>',
      'interrupts = <0x00 0x01 0x04>',
      'clocks = <0x02 0x02>',
      'clock-names = "uartclk\\0apb_pclk"',
    ],
    '/psci': ['compatible = "arm,psci-1.0\\0arm,psci-0.2"', 'method = "hvc"'],
    '/timer': [
      'compatible = "arm,armv8-timer"',
      'interrupts = <0x01 0x0d 0xf04 0x01 0x0e 0xf04 0x01 0x0b 0xf04 0x01 0x0a 0xf04>',
      'always-on',
    ],
    '/pcie@4010000000': [
      'compatible = "pci-host-ecam-generic"',
      'device_type = "pci"',
      '#address-cells = <0x03>',
      '#size-cells = <0x02>',
      'bus-range = <0x00 0xff>',
      'reg = <0x40 0x10000000 0x00 0x10000000>',
      'ranges = <0x1000000 0x00 0x00 0x00 0x3eff0000 0x00 0x10000 0x2000000 0x00 0x10000000 0x00 0x10000000 0x00 0x2eff0000>',
      'vendor,blob = [de ad be ef 01]',
    ],
  };
  assert.deepEqual(Object.fromEntries(nodes), expected);
});

const HAND_DTS = `/dts-v1/;
/memreserve/ 0x48000000 0x100000;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "vendor,board", "arm,sbsa";
	interrupt-parent = <&gic>;
	big = /bits/ 64 <0xffff800010000000>;
	bytes = [00 11 22 33 44];
	flag;

	gic: interrupt-controller@8000000 {
		compatible = "arm,gic-v3";
		#interrupt-cells = <3>;
		#address-cells = <2>;
		#size-cells = <2>;
		interrupt-controller;
		reg = <0x0 0x8000000 0x0 0x10000>;
	};

	serial@9000000 {
		compatible = "ns16550a";
		reg = <0x0 0x9000000 0x0 0x1000>;
		interrupts = <0 1 4>;
		clock-frequency = <1843200>;
	};

	chosen {
		bootargs = "console=ttyS0";
	};
};
`;

test('parseFdt reads a dtc-compiled blob; toBytes gives a blob dtc decompiles identically', () => {
  const dts = join(dir, 'hand.dts');
  writeFileSync(dts, HAND_DTS);
  const dtbPath = join(dir, 'hand.dtb');
  dtc(['-I', 'dts', '-O', 'dtb', '-o', dtbPath, dts]);
  const dtb = new Uint8Array(readFileSync(dtbPath));
  const t = parseFdt(dtb, 'hand.dtb');
  assert.deepEqual(t.reservations, [{ address: 0x4800_0000n, size: 0x10_0000n }]);
  assert.deepEqual(t.root.getStrings('compatible'), ['vendor,board', 'arm,sbsa']);
  assert.equal(t.root.getU64('big'), 0xffff_8000_1000_0000n);
  assert.deepEqual([...t.root.getProp('bytes')!], [0x00, 0x11, 0x22, 0x33, 0x44]);
  assert.equal(t.root.getProp('flag')!.length, 0);
  const gic = t.find('/interrupt-controller@8000000')!;
  assert.deepEqual(t.root.getCells('interrupt-parent'), [gic.getU32('phandle')]);
  assert.deepEqual(t.find('/serial@9000000')!.getCells('reg'), [0, 0x900_0000, 0, 0x1000]);
  assert.equal(t.find('/serial@9000000')!.getU32('clock-frequency'), 1843200);
  assert.equal(t.find('/chosen')!.getString('bootargs'), 'console=ttyS0');

  // Edit the parsed tree (what firmware does to /chosen) and check dtc sees the edit.
  const ours = t.toBytes();
  assert.equal(decompile(ours, 'ours.dtb').stdout, decompile(dtb, 'theirs.dtb').stdout);
  t.find('/chosen')!.prop('bootargs', 'console=ttyS0 earlycon').propU64('linux,initrd-start', 0x4900_0000n);
  const edited = parseDts(decompile(t.toBytes(), 'edited.dtb').stdout);
  assert.deepEqual(edited.nodes.get('/chosen'), ['bootargs = "console=ttyS0 earlycon"', 'linux,initrd-start = <0x00 0x49000000>']);
});

test('the device tree the virt machine gives the guest decompiles cleanly with dtc', async () => {
  const { buildDtb } = await import('../../src/emu/machine/dtb');
  const { virtSpec } = await import('../../src/emu/machine/virt');
  for (const el of [1, 2] as const) {
    const { stdout, stderr } = decompile(buildDtb(virtSpec({ el, bootargs: 'console=ttyAMA0' })), `virt-el${el}.dtb`);
    assert.equal(stderr, '', 'dtc reported problems with the machine DTB');
    const { nodes } = parseDts(stdout);
    assert.ok(nodes.get('/psci')?.includes(`method = "${el === 1 ? 'hvc' : 'smc'}"`));
    assert.ok(nodes.get('/memory@40000000')?.includes('reg = <0x00 0x40000000 0x00 0x20000000>'));
    assert.ok(nodes.get('/chosen')?.includes('stdout-path = "/pl011@9000000"'));
    assert.ok(nodes.get('/chosen')?.includes('bootargs = "console=ttyAMA0"'));
  }
});
