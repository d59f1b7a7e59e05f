// Generates the device tree for a machine spec: memory, CPUs, PSCI, the GICv3 and its ITS (as QEMU's
// `-M virt,gic-version=3,its=on` describes them: one node `intc@...` with the distributor and redistributor
// regions, an `its@...` msi-controller child, and interrupt-parent at the root), the UARTs with their
// clock and interrupt, /chosen with stdout-path and bootargs (and the initrd when there is one).
import { FdtBuilder } from './fdt';
import { cpuAffinity, type MachineSpec } from './spec';
import { addPcieNode } from './pciWiring';

export interface DtbExtras {
  initrd?: { start: bigint; end: bigint };
}

export function buildDtb(spec: MachineSpec, extras: DtbExtras = {}): Uint8Array {
  const t = new FdtBuilder();
  const root = t.root;
  root.prop('compatible', spec.compatible);
  root.prop('model', `A64 Studio ${spec.name}`);
  root.propU32('#address-cells', 2);
  root.propU32('#size-cells', 2);

  const g = spec.gic;
  const intc = root.node(`intc@${g.distBase.toString(16)}`);
  intc.prop('compatible', 'arm,gic-v3');
  intc.propU32('#interrupt-cells', 3);
  intc.propEmpty('interrupt-controller');
  intc.propU32('#address-cells', 2);
  intc.propU32('#size-cells', 2);
  intc.propEmpty('ranges');
  intc.propU32('#redistributor-regions', 1);
  intc.propReg([[BigInt(g.distBase), BigInt(g.distSize)], [BigInt(g.redistBase), BigInt(g.redistRegionSize)]]);
  const its = intc.node(`its@${g.itsBase.toString(16)}`);
  its.prop('compatible', 'arm,gic-v3-its');
  its.propEmpty('msi-controller');
  its.propU32('#msi-cells', 1);
  its.propReg([[BigInt(g.itsBase), BigInt(g.itsSize)]]);
  void its.phandle; // allocated now, as QEMU does, for the msi-parent of PCIe host bridges
  root.propCells('interrupt-parent', [intc]);
  if (spec.pcie) addPcieNode(root, spec.pcie, intc, its);

  const clk = root.node('apb-pclk');
  clk.prop('compatible', 'fixed-clock');
  clk.propU32('#clock-cells', 0);
  clk.propU32('clock-frequency', 24_000_000);
  clk.prop('clock-output-names', 'clk24mhz');

  const psci = root.node('psci');
  psci.prop('compatible', ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']);
  psci.prop('method', spec.psciConduit);
  psci.propU32('cpu_suspend', 0xc4000001);
  psci.propU32('cpu_off', 0x84000002);
  psci.propU32('cpu_on', 0xc4000003);
  psci.propU32('migrate', 0xc4000005);

  // The generic timer's PPIs as QEMU's virt lists them (secure EL1 13, non-secure EL1 14, virtual 11, EL2 10:
  // INTIDs 29, 30, 27, 26; timer.ts raises the same), level-high; a GICv3 takes no CPU mask.
  const timer = root.node('timer');
  timer.prop('compatible', ['arm,armv8-timer', 'arm,armv7-timer']);
  timer.propCells('interrupts', [1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4]);
  timer.propEmpty('always-on');

  const mem = root.node(`memory@${spec.ram.base.toString(16)}`);
  mem.prop('device_type', 'memory');
  mem.propReg([[BigInt(spec.ram.base), BigInt(spec.ram.size)]]);

  const cpus = root.node('cpus');
  cpus.propU32('#address-cells', 1);
  cpus.propU32('#size-cells', 0);
  for (let i = 0; i < spec.cpus; i++) {
    const aff = cpuAffinity(i);
    const cpu = cpus.node(`cpu@${i}`); // QEMU names CPU nodes by index, reg is the affinity
    cpu.prop('device_type', 'cpu');
    cpu.prop('compatible', spec.cpuCompatible);
    cpu.propReg([[BigInt(aff), 0n]]);
    if (spec.cpus > 1) cpu.prop('enable-method', 'psci');
  }

  let stdout: string | undefined;
  for (const d of spec.devices) {
    if (d.kind === 'pl011') {
      const n = root.node(`${d.name}@${d.base.toString(16)}`);
      n.prop('compatible', ['arm,pl011', 'arm,primecell']);
      n.propReg([[BigInt(d.base), BigInt(d.size)]]);
      n.propCells('clocks', [clk, clk]);
      n.prop('clock-names', ['uartclk', 'apb_pclk']);
      n.propCells('interrupts', [0, d.spi, 4]); // GIC_SPI, level high
      stdout ??= n.path;
    } else if (d.kind === 'ns16550') {
      const n = root.node(`${d.name}@${d.base.toString(16)}`);
      n.prop('compatible', 'ns16550a');
      n.propReg([[BigInt(d.base), BigInt(d.size)]]);
      n.propU32('clock-frequency', d.clockHz);
      n.propU32('reg-shift', d.regShift);
      n.propU32('reg-io-width', d.regShift === 2 ? 4 : 1);
      n.propCells('interrupts', [0, d.spi, 4]);
      stdout ??= n.path;
    } else {
      const n = root.node(`${d.name}@${d.base.toString(16)}`);
      n.prop('compatible', ['arm,pl031', 'arm,primecell']);
      n.propReg([[BigInt(d.base), BigInt(d.size)]]);
      n.propCells('clocks', [clk]);
      n.prop('clock-names', 'apb_pclk');
      n.propCells('interrupts', [0, d.spi, 4]);
    }
  }

  const chosen = root.node('chosen');
  if (stdout) chosen.prop('stdout-path', stdout);
  if (spec.bootargs) chosen.prop('bootargs', spec.bootargs);
  if (extras.initrd) {
    chosen.propU64('linux,initrd-start', extras.initrd.start);
    chosen.propU64('linux,initrd-end', extras.initrd.end);
  }
  return t.toBytes();
}
