// SPCR revision 2: the console UART (interface type, register GAS, GIC interrupt, baud 115200 8N1) for
// kernels that print before they parse the DSDT. Not a PCI device: PCI Device/Vendor ID 0xFFFF.
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';
import { BAUD_CODES, uartGas, uartInterfaceType } from './uart';

export function buildSpcr(p: AcpiPlatform): Uint8Array {
  const u = p.uart;
  const w = new TableWriter().header('SPCR', 2, p.oemId, p.oemTableId);
  w.u8(uartInterfaceType(u)).zeros(3);
  w.gas(uartGas(u));
  w.u8(1 << 3); // Interrupt Type: Arm GIC
  w.u8(0); // PC-AT IRQ
  w.u32(u.gsiv);
  w.u8(BAUD_CODES[u.baud]);
  w.u8(0); // no parity
  w.u8(1); // one stop bit
  w.u8(0); // no flow control
  w.u8(0); // terminal type VT100
  w.u8(0); // language (reserved)
  w.u16(0xffff).u16(0xffff); // PCI Device ID, Vendor ID: not a PCI device
  w.u8(0).u8(0).u8(0).u32(0).u8(0); // PCI bus, device, function, flags, segment
  w.u32(0); // reserved (UART clock frequency from revision 3)
  return w.finish();
}
