// Serial port subtypes shared by SPCR "Interface Type" and DBG2 "Port Subtype" (Microsoft's DBG2
// specification, table 3). The value a kernel switches on to pick its early console driver: 0x03 PL011,
// 0x0E SBSA generic UART, 0x12 a 16550 whose register access is described by the Generic Address
// Structure (width and spacing of the registers), 0x00 a classic byte-spaced 16550.
export const SERIAL_SUBTYPES: Record<number, string> = {
  0x00: 'Fully 16550-compatible',
  0x01: '16550 subset (DBGP revision 1)',
  0x02: 'MAX311xE SPI UART',
  0x03: 'Arm PL011 UART',
  0x04: 'MSM8x60',
  0x05: 'Nvidia 16550',
  0x06: 'TI OMAP',
  0x08: 'APM88xxxx',
  0x09: 'MSM8974',
  0x0a: 'SAM5250',
  0x0b: 'Intel USIF',
  0x0c: 'i.MX 6',
  0x0d: 'Arm SBSA Generic UART, 32-bit accesses only (deprecated)',
  0x0e: 'Arm SBSA Generic UART',
  0x0f: 'Arm DCC',
  0x10: 'BCM2835',
  0x11: 'SDM845 at 1.8432 MHz',
  0x12: '16550-compatible with parameters in the Generic Address Structure',
  0x13: 'SDM845 at 7.372 MHz',
  0x14: 'Intel LPSS',
  0x15: 'RISC-V SBI console',
};

export const DBG2_PORT_TYPES: Record<number, string> = { 0x8000: 'Serial', 0x8001: '1394', 0x8002: 'USB', 0x8003: 'Net' };
