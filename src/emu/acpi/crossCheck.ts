// Cross-checks decoded tables against a platform description (the machine the guest runs on) and against
// each other — what the ACPI viewer flags beside the tables: an SPCR naming a UART kind, address, register
// access or interrupt the machine does not have; MADT GIC bases or CPU MPIDRs that differ from the GIC and
// CPUs; an MCFG ECAM that is not the host bridge's; an IORT ITS ID that no MADT ITS entry has; DBG2 and SPCR
// disagreeing; XSDT entries pointing at no table. Every finding names the table and field.
import type { AcpiField, AcpiStruct, DecodedTable } from './types';
import type { AcpiPlatform } from '../firmware/acpi/platform';

export interface Finding {
  readonly table: string;
  readonly field: string;
  readonly message: string;
}

const find = (s: AcpiStruct, name: string): AcpiField | undefined => s.fields.find((f) => f.name === name);
const child = (f: AcpiField | undefined, name: string) => f?.children?.find((c) => c.name === name);
const n = (f: AcpiField | undefined): number | undefined => (f === undefined ? undefined : Number(f.value));
const hx = (v: number | undefined) => (v === undefined ? 'none' : '0x' + v.toString(16));

export function crossCheck(tables: readonly DecodedTable[], p?: AcpiPlatform, addresses?: readonly number[]): Finding[] {
  const out: Finding[] = [];
  const add = (table: string, field: string, message: string) => out.push({ table, field, message });
  const bySig = (s: string) => tables.find((t) => t.signature === s);

  const spcr = bySig('SPCR');
  if (spcr) {
    const type = n(find(spcr.root, 'Interface Type'));
    const gas = find(spcr.root, 'Base Address');
    const addr = n(child(gas, 'Address'));
    const access = n(child(gas, 'Access Size'));
    const width = n(child(gas, 'Bit Width'));
    const dbg = bySig('DBG2')?.root.children[0];
    if (dbg) {
      if (n(find(dbg, 'Port Subtype')) !== type) add('DBG2', 'Port Subtype', `DBG2 port subtype ${hx(n(find(dbg, 'Port Subtype')))} differs from SPCR interface type ${hx(type)}`);
      const da = n(child(find(dbg, 'Base Address Register 0'), 'Address'));
      if (da !== addr) add('DBG2', 'Base Address Register 0', `DBG2 UART at ${hx(da)} but SPCR at ${hx(addr)}`);
    }
    if (p) {
      const u = p.uart;
      const isPl011 = type === 0x03 || type === 0x0e || type === 0x0d;
      const is16550 = type === 0x00 || type === 0x01 || type === 0x12;
      if ((u.kind === 'pl011' && !isPl011) || (u.kind === '16550' && !is16550)) {
        add('SPCR', 'Interface Type', `SPCR interface type ${hx(type)} does not describe the machine's ${u.kind} UART`);
      }
      if (addr !== u.base) add('SPCR', 'Base Address', `SPCR says the UART is at ${hx(addr)}, but the machine's ${u.kind} is at ${hx(u.base)}`);
      if (u.kind === '16550') {
        const shift = u.regShift ?? 0;
        const wantAccess = shift === 2 ? 3 : 1;
        if (access !== wantAccess) add('SPCR', 'Access Size', `SPCR access size ${access} but the 16550's registers are ${1 << shift} byte(s) apart (needs ${wantAccess})`);
        if (width !== (u.regWidth ?? (shift === 2 ? 32 : 8))) add('SPCR', 'Bit Width', `SPCR register width ${width} bits, the 16550's are ${u.regWidth ?? 8}`);
      }
      const gsiv = n(find(spcr.root, 'Global System Interrupt'));
      if (gsiv !== u.gsiv) add('SPCR', 'Global System Interrupt', `SPCR interrupt ${gsiv} but the UART raises ${u.gsiv}`);
    }
  }

  const madt = bySig('APIC');
  const madtIts = madt?.root.children.filter((c) => c.name.includes('(ITS)')) ?? [];
  if (madt && p) {
    const sub = (prefix: string) => madt.root.children.find((c) => c.name.startsWith(prefix));
    const gicd = sub('GIC Distributor');
    if (n(find(gicd ?? madt.root, 'Physical Base Address')) !== p.gic.distBase) add('APIC', 'GICD Physical Base Address', `MADT GICD at ${hx(n(find(gicd ?? madt.root, 'Physical Base Address')))}, the GIC distributor is at ${hx(p.gic.distBase)}`);
    const gicr = sub('GIC Redistributor');
    if (gicr && n(find(gicr, 'Discovery Range Base Address')) !== p.gic.redistBase) add('APIC', 'GICR Discovery Range Base Address', `MADT GICR range at ${hx(n(find(gicr, 'Discovery Range Base Address')))}, the redistributors are at ${hx(p.gic.redistBase)}`);
    const itsBase = madtIts.length ? n(find(madtIts[0], 'Physical Base Address')) : undefined;
    if (itsBase !== p.gic.itsBase) add('APIC', 'ITS Physical Base Address', `MADT ITS at ${hx(itsBase)}, the machine's ITS is at ${hx(p.gic.itsBase)}`);
    const giccs = madt.root.children.filter((c) => c.name.startsWith('GIC CPU Interface'));
    if (giccs.length !== p.cpus.length) add('APIC', 'GICC', `MADT lists ${giccs.length} CPUs, the machine has ${p.cpus.length}`);
    giccs.forEach((g, i) => {
      const mpidr = n(find(g, 'MPIDR'));
      if (i < p.cpus.length && mpidr !== p.cpus[i].mpidr) add('APIC', `GICC ${i} MPIDR`, `GICC ${i} MPIDR ${hx(mpidr)}, CPU ${i} has ${hx(p.cpus[i].mpidr)}`);
    });
  }

  const mcfg = bySig('MCFG');
  if (mcfg && p?.pcie) {
    const e = mcfg.root.children[0];
    const base = e ? n(find(e, 'Base Address')) : undefined;
    if (base !== p.pcie.ecamBase) add('MCFG', 'Base Address', `MCFG ECAM at ${hx(base)}, the host bridge's is at ${hx(p.pcie.ecamBase)}`);
  }

  const iort = bySig('IORT');
  if (iort && madt) {
    const ids = new Set(madtIts.map((s) => n(find(s, 'GIC ITS ID'))));
    for (const node of iort.root.children.filter((c) => c.name === 'ITS Group')) {
      for (const f of node.fields.filter((x) => x.name.startsWith('ITS ID '))) {
        if (!ids.has(n(f))) add('IORT', f.name, `IORT ITS group names ITS ID ${n(f)}, which no MADT ITS entry has`);
      }
    }
  }

  if (addresses) {
    const xsdt = bySig('XSDT');
    for (const f of xsdt?.root.fields.filter((x) => x.name.startsWith('Entry ')) ?? []) {
      if (!addresses.includes(Number(f.value))) add('XSDT', f.name, `XSDT ${f.name} points at ${hx(Number(f.value))}, where there is no table`);
    }
  }
  return out;
}
