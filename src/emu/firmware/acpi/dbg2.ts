// DBG2: one debug device, the console UART, as serial port of the SPCR's subtype with one register block
// and the namespace path of its DSDT device.
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';
import { uartGas, uartInterfaceType } from './uart';

export const UART_NAMEPATH = '\\_SB.COM0';

export function buildDbg2(p: AcpiPlatform): Uint8Array {
  const u = p.uart;
  const w = new TableWriter().header('DBG2', 0, p.oemId, p.oemTableId);
  w.u32(44).u32(1); // offset of the device information, count
  const name = UART_NAMEPATH + '\0';
  const length = 22 + 12 + 4 + name.length;
  w.u8(0).u16(length).u8(1); // revision, length, number of registers
  w.u16(name.length).u16(38); // namepath length and offset
  w.u16(0).u16(0); // no OEM data
  w.u16(0x8000).u16(uartInterfaceType(u)).u16(0); // port type serial, subtype, reserved
  w.u16(22).u16(34); // base address register offset, address size offset
  w.gas(uartGas(u));
  w.u32(u.size);
  for (const c of name) w.u8(c.charCodeAt(0));
  return w.finish();
}
