// How the console UART is described to the firmware tables: the SPCR/DBG2 interface type and the Generic
// Address Structure of its registers. A PL011 is type 0x03 with 32-bit accesses; a 16550 is type 0x12 whose
// GAS says how wide its registers are and how to access them. Linux turns a DWord access size into
// "mmio32" (32-bit accesses, registers 4 bytes apart); Byte access into "mmio" (byte-spaced registers).
import type { Gas } from './writer';
import type { AcpiUart } from './platform';

export const SERIAL_PL011 = 0x03;
export const SERIAL_16550_GAS = 0x12;

export function uartInterfaceType(u: AcpiUart): number {
  return u.kind === 'pl011' ? SERIAL_PL011 : SERIAL_16550_GAS;
}

export function uartGas(u: AcpiUart): Gas {
  if (u.kind === 'pl011') return { space: 0, bitWidth: 32, bitOffset: 0, accessSize: 3, address: u.base };
  const shift = u.regShift ?? 0;
  const width = u.regWidth ?? (shift === 2 ? 32 : 8);
  if ((shift === 2) !== (width === 32)) {
    throw new Error(`16550 at 0x${u.base.toString(16)}: register width ${width} bits with register shift ${shift} cannot be described by SPCR (use 8 bits/shift 0 or 32 bits/shift 2)`);
  }
  return { space: 0, bitWidth: width, bitOffset: 0, accessSize: shift === 2 ? 3 : 1, address: u.base };
}

export const BAUD_CODES: Record<number, number> = { 9600: 3, 19200: 4, 57600: 6, 115200: 7 };
