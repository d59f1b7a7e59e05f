// SPCR (Microsoft's Serial Port Console Redirection table, revisions 1-4): the console UART a kernel
// uses before it parses the DSDT. A kernel that reads the wrong field here prints nothing: Interface Type
// selects the driver and the Generic Address Structure gives the base, the register width (Bit Width)
// and the access size — Linux turns DWord access into "mmio32", i.e. 32-bit registers 4 bytes apart.
import type { FieldDef, TableReader } from '../reader';
import type { AcpiStruct } from '../types';
import { SERIAL_SUBTYPES } from './serialTypes';

const FIELDS: readonly FieldDef[] = [
  { name: 'Interface Type', kind: 'u8', names: SERIAL_SUBTYPES },
  { name: 'Reserved', kind: { bytes: 3 } },
  { name: 'Base Address', kind: 'gas' },
  { name: 'Interrupt Type', kind: 'u8', flags: [{ bit: 0, name: 'PC-AT 8259 IRQ' }, { bit: 1, name: 'I/O APIC' }, { bit: 2, name: 'I/O SAPIC' }, { bit: 3, name: 'Arm GIC' }, { bit: 4, name: 'RISC-V PLIC/APLIC' }] },
  { name: 'PC-AT IRQ', kind: 'u8' },
  { name: 'Global System Interrupt', kind: 'u32' },
  { name: 'Configured Baud Rate', kind: 'u8', names: { 0: 'as is', 3: '9600', 4: '19200', 6: '57600', 7: '115200' } },
  { name: 'Parity', kind: 'u8', names: { 0: 'None' } },
  { name: 'Stop Bits', kind: 'u8', names: { 1: '1' } },
  { name: 'Flow Control', kind: 'u8', flags: [{ bit: 0, name: 'DCD' }, { bit: 1, name: 'RTS/CTS' }, { bit: 2, name: 'XON/XOFF' }] },
  { name: 'Terminal Type', kind: 'u8', names: { 0: 'VT100', 1: 'VT100+', 2: 'VT-UTF8', 3: 'ANSI' } },
  { name: 'Language', kind: 'u8' },
  { name: 'PCI Device ID', kind: 'u16' },
  { name: 'PCI Vendor ID', kind: 'u16' },
  { name: 'PCI Bus', kind: 'u8' },
  { name: 'PCI Device', kind: 'u8' },
  { name: 'PCI Function', kind: 'u8' },
  { name: 'PCI Flags', kind: 'u32', flags: [{ bit: 0, name: 'Do not suppress PNP device' }] },
  { name: 'PCI Segment', kind: 'u8' },
];

export function decodeSpcr(r: TableReader, root: AcpiStruct, len: number): void {
  r.fields(36, FIELDS, root.fields);
  const rev = r.u8(8);
  if (len >= 80) {
    root.fields.push(r.field(76, rev >= 3 ? { name: 'UART Clock Frequency', kind: 'u32' } : { name: 'Reserved', kind: 'u32', reserved: true }));
  }
  if (rev >= 4 && len >= 88) {
    r.fields(80, [
      { name: 'Precise Baud Rate', kind: 'u32' },
      { name: 'Namespace String Length', kind: 'u16' },
      { name: 'Namespace String Offset', kind: 'u16' },
    ], root.fields);
    const n = r.u16(84);
    const at = r.u16(86);
    if (n > 0) root.fields.push(r.field(at, { name: 'Namespace String', kind: { ascii: n } }));
  }
  const type = r.u8(36);
  const access = r.u8(43);
  if (type === 0x12 && access === 0) r.warnings.push(`${r.where}: Interface Type 0x12 needs an Access Size in the Generic Address Structure`);
}
