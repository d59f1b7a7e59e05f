// Arm PrimeCell UART (PL011), r1p5. One 4 KiB MMIO frame; one interrupt line (UARTINTR, the OR of the
// masked interrupt status); backends: a transmit callback and host input queued with `input()`.
//
// Deviations from the TRM (as QEMU does; users' kernels rely on it):
// - Transmission is instantaneous: TXFF is never set, TXFE and the TX interrupt are always raised.
// - Characters are transmitted and received even when UARTEN/TXE/RXE are clear; the first such use is
//   reported once as a guest warning, because real hardware would stay silent.
// - Baud rate, line control, IrDA and DMA registers are stored but have no effect; no framing/parity/
//   overrun errors are produced (host input beyond the FIFO waits in a host-side queue: nothing is lost).
import { RegisterMap, type RegDef } from './regmap';

const FR_RXFE = 1 << 4;
const FR_TXFF = 1 << 5;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
const LCRH_FEN = 1 << 4;
const CR_UARTEN = 1 << 0;
const CR_TXE = 1 << 8;
const CR_RXE = 1 << 9;
/** Interrupt bits in RIS/MIS/IMSC/ICR. */
const INT_RX = 1 << 4;
const INT_TX = 1 << 5;
const INT_RT = 1 << 6;
const FIFO_DEPTH = 32;

export interface Pl011Options {
  name?: string;
  /** Called for every transmitted byte. */
  onTx: (byte: number) => void;
  /** Interrupt line level changes. */
  onIrq?: (level: boolean) => void;
  guestError: (message: string) => void;
  /** Legal but suspicious guest behaviour (defaults to guestError). */
  guestWarning?: (message: string) => void;
}

export class Pl011 {
  readonly regs: RegisterMap;
  private rxFifo: number[] = [];
  /** Host input waiting for room in the FIFO. */
  private pending: number[] = [];
  private ris = INT_TX;
  private irqLevel = false;
  private warnedDisabled = false;

  constructor(private readonly o: Pl011Options) {
    const defs: RegDef[] = [
      { name: 'UARTDR', offset: 0x000, access: 'rw', read: () => this.readDr(), peek: () => this.rxFifo[0] ?? 0, write: (v) => this.writeDr(v) },
      { name: 'UARTRSR', offset: 0x004, access: 'rw', write: () => this.regs.set('UARTRSR', 0) },
      { name: 'UARTFR', offset: 0x018, access: 'ro', read: () => this.fr(), peek: () => this.fr() },
      { name: 'UARTILPR', offset: 0x020, access: 'rw', unmodelled: 0xff },
      { name: 'UARTIBRD', offset: 0x024, access: 'rw', unmodelled: 0xffff },
      { name: 'UARTFBRD', offset: 0x028, access: 'rw', unmodelled: 0x3f },
      { name: 'UARTLCR_H', offset: 0x02c, access: 'rw', unmodelled: 0xef, write: () => this.refill() },
      { name: 'UARTCR', offset: 0x030, access: 'rw', reset: CR_TXE | CR_RXE, unmodelled: 0xff86 },
      { name: 'UARTIFLS', offset: 0x034, access: 'rw', reset: 0x12, write: () => this.update() },
      { name: 'UARTIMSC', offset: 0x038, access: 'rw', write: () => this.update() },
      { name: 'UARTRIS', offset: 0x03c, access: 'ro', read: () => this.ris, peek: () => this.ris },
      { name: 'UARTMIS', offset: 0x040, access: 'ro', read: () => this.mis(), peek: () => this.mis() },
      { name: 'UARTICR', offset: 0x044, access: 'wo', write: (v) => this.clearInts(v) },
      { name: 'UARTDMACR', offset: 0x048, access: 'rw', unmodelled: 0x7 },
      ...[0x11, 0x10, 0x34, 0x00].map((v, i): RegDef => ({ name: `UARTPeriphID${i}`, offset: 0xfe0 + 4 * i, access: 'ro', reset: v })),
      ...[0x0d, 0xf0, 0x05, 0xb1].map((v, i): RegDef => ({ name: `UARTPCellID${i}`, offset: 0xff0 + 4 * i, access: 'ro', reset: v })),
    ];
    this.regs = new RegisterMap(o.name ?? 'pl011', defs, o.guestError);
  }

  /** The MMIO face of the device. */
  get mmio(): RegisterMap {
    return this.regs;
  }

  reset(): void {
    this.regs.reset();
    this.rxFifo = [];
    this.ris = INT_TX;
    this.update();
  }

  /** Host keyboard/pipe input for the guest. Never dropped: bytes wait until the FIFO has room. */
  input(bytes: Uint8Array | number[]): void {
    for (const b of bytes) this.pending.push(b & 0xff);
    this.refill();
  }

  /** Bytes received from the host that the guest has not read yet. */
  get rxWaiting(): number {
    return this.rxFifo.length + this.pending.length;
  }

  private fifoEnabled(): boolean {
    return (this.regs.get('UARTLCR_H') & LCRH_FEN) !== 0;
  }

  private depth(): number {
    return this.fifoEnabled() ? FIFO_DEPTH : 1;
  }

  private refill(): void {
    while (this.pending.length && this.rxFifo.length < this.depth()) this.rxFifo.push(this.pending.shift()!);
    this.updateRx();
  }

  private fr(): number {
    let v = FR_TXFE;
    if (this.rxFifo.length === 0) v |= FR_RXFE;
    if (this.rxFifo.length >= this.depth()) v |= FR_RXFF;
    return v & ~FR_TXFF;
  }

  private checkEnabled(bit: number, what: string): void {
    const cr = this.regs.get('UARTCR');
    if ((!(cr & CR_UARTEN) || !(cr & bit)) && !this.warnedDisabled) {
      this.warnedDisabled = true;
      (this.o.guestWarning ?? this.o.guestError)(`${this.regs.name}: ${what} while UARTCR.UARTEN or ${bit === CR_TXE ? 'TXE' : 'RXE'} is clear (real hardware would not ${what === 'transmit' ? 'send' : 'receive'})`);
    }
  }

  private readDr(): number {
    const b = this.rxFifo.shift();
    if (b === undefined) return 0;
    this.checkEnabled(CR_RXE, 'receive');
    this.refill();
    return b;
  }

  private writeDr(v: number): void {
    this.checkEnabled(CR_TXE, 'transmit');
    this.o.onTx(v & 0xff);
    this.ris |= INT_TX;
    this.update();
  }

  /** RX interrupt: FIFO level at or above the trigger (any byte when the FIFO is off); RT: data waiting. */
  private updateRx(): void {
    const n = this.rxFifo.length;
    const levels = [4, 8, 16, 24, 28];
    const trigger = this.fifoEnabled() ? levels[(this.regs.get('UARTIFLS') >> 3) & 7] ?? 16 : 1;
    this.ris = (this.ris & ~(INT_RX | INT_RT)) | (n >= trigger ? INT_RX : 0) | (n > 0 ? INT_RT : 0);
    this.update();
  }

  private clearInts(v: number): void {
    // TX stays asserted: the transmit FIFO is always empty. RX and RT re-assert while data remains.
    this.ris &= ~(v & 0x7ff);
    this.ris |= INT_TX;
    if (this.rxFifo.length) this.updateRx();
    this.update();
  }

  private mis(): number {
    return this.ris & this.regs.get('UARTIMSC');
  }

  private update(): void {
    const level = this.mis() !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.o.onIrq?.(level);
    }
  }

  snapshot(): Record<string, number | number[]> {
    return { ...this.regs.snapshot(), rxFifo: [...this.rxFifo], hostPending: this.pending.length };
  }
}
