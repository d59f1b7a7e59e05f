// NS16550A-compatible UART, the console of SBSA servers such as AWS Graviton (found through the ACPI SPCR
// table, interface type 0x12 "16550 compatible with parameters defined in the Generic Address Structure").
// One MMIO frame of eight byte registers spaced 1 << regShift bytes apart (Graviton: shift 2, 32-bit
// accesses; a PC-style UART: shift 0, byte accesses); one interrupt line (INTR); backends: a transmit
// callback and host input queued with `input()`.
//
// Register map (offset = index << regShift). Index 0 and 1 are banked by LCR.DLAB:
//   0 RBR (read) / THR (write); DLL when DLAB=1     4 MCR
//   1 IER;                      DLM when DLAB=1     5 LSR (read only)
//   2 IIR (read) / FCR (write)                      6 MSR (read only)
//   3 LCR                                           7 SCR (scratch)
// Interrupt sources, highest priority first (IIR[3:0]): receiver line status 0x6, received data available
// 0x4, character timeout 0xC, transmitter holding register empty 0x2, modem status 0x0; IIR[0] = 1 means
// none. IIR[7:6] = 0b11 while the FIFOs are enabled.
//
// Deviations from a real 16550 (documented; QEMU's serial model behaves the same way for the first two):
// - Transmission is instantaneous: THR is empty again as soon as it is written (LSR.THRE and TEMT stay set)
//   and a THR-empty interrupt is raised when enabled.
// - Divisor, word length, parity and stop bits are stored (and shown by the UART panel) but have no
//   effect; no parity, framing or overrun errors and no breaks are produced. Host input beyond the FIFO
//   waits in a host-side queue: nothing is lost.
// - Time does not pass inside the UART: the character-timeout condition (data below the trigger level, no
//   reads for four character times) is treated as already met whenever the FIFO holds data below the
//   trigger level. Drivers read until LSR.DR clears, which is what the timeout interrupt asks for.
// - MCR.OUT2 does not gate the interrupt line (it does on PC boards; SoC integrations wire INTR directly).
import type { MmioDevice } from './mmio';

export const UART16550_REGS = ['RBR/THR/DLL', 'IER/DLM', 'IIR/FCR', 'LCR', 'MCR', 'LSR', 'MSR', 'SCR'] as const;

const IER_ERBFI = 1 << 0;
const IER_ETBEI = 1 << 1;
const IER_EDSSI = 1 << 3;
const FCR_ENABLE = 1 << 0;
const FCR_CLEAR_RX = 1 << 1;
const LCR_DLAB = 1 << 7;
const MCR_LOOP = 1 << 4;
const LSR_DR = 1 << 0;
const LSR_THRE = 1 << 5;
const LSR_TEMT = 1 << 6;
const IIR_NONE = 0x1;
const IIR_RDA = 0x4;
const IIR_CTI = 0xc;
const IIR_THRE = 0x2;
const IIR_MSI = 0x0;
const FIFO_DEPTH = 16;
const TRIGGERS = [1, 4, 8, 14];

export interface Uart16550Options {
  name?: string;
  /** Register spacing: register i is at offset i << regShift (0 for byte-spaced, 2 for 32-bit spaced). */
  regShift?: 0 | 1 | 2;
  /** Called for every transmitted byte (not in loopback mode). */
  onTx: (byte: number) => void;
  onIrq?: (level: boolean) => void;
  guestError: (message: string) => void;
}

/** Side-effect-free view of the UART for panels and tests. */
export interface Uart16550Snapshot {
  readonly RBR: number;
  readonly IER: number;
  readonly IIR: number;
  readonly FCR: number;
  readonly LCR: number;
  readonly MCR: number;
  readonly LSR: number;
  readonly MSR: number;
  readonly SCR: number;
  readonly DLL: number;
  readonly DLM: number;
  readonly divisor: number;
  readonly rxFifo: number[];
  readonly hostPending: number;
  readonly irq: boolean;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export class Uart16550 implements MmioDevice {
  readonly name: string;
  private readonly shift: number;
  private ier = 0;
  private fcr = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  private msrDelta = 0;
  private rxFifo: number[] = [];
  private pending: number[] = [];
  /** THR-empty interrupt condition: set when THR empties, cleared by reading IIR (when it is the source) or writing THR. */
  private thrIrq = false;
  private irqLevel = false;
  private bytesIn = 0;
  private bytesOut = 0;

  constructor(private readonly o: Uart16550Options) {
    this.name = o.name ?? 'uart16550';
    this.shift = o.regShift ?? 0;
  }

  reset(): void {
    this.ier = this.fcr = this.lcr = this.mcr = this.scr = this.dll = this.dlm = this.msrDelta = 0;
    this.rxFifo = [];
    this.thrIrq = false;
    this.update();
  }

  /** The MMIO face of the device (the device itself). */
  get mmio(): Uart16550 {
    return this;
  }

  /** Host input for the guest. Never dropped: bytes wait until the FIFO (or the single RBR) has room. */
  input(bytes: Uint8Array | number[]): void {
    for (const b of bytes) this.pending.push(b & 0xff);
    this.refill();
  }

  /** Bytes from the host the guest has not read yet. */
  get rxWaiting(): number {
    return this.rxFifo.length + this.pending.length;
  }

  private index(offset: number, size: number, write: boolean): number | undefined {
    const i = offset >>> this.shift;
    if (offset & ((1 << this.shift) - 1) || i > 7) {
      this.o.guestError(`${this.name}: ${write ? 'write' : 'read'} of ${size} bytes at offset 0x${offset.toString(16)}, which is not a register (registers are ${1 << this.shift} bytes apart)`);
      return undefined;
    }
    return i;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const i = this.index(offset, size, false);
    return i === undefined ? 0 : this.readReg(i, false);
  }

  peek(offset: number, size: 1 | 2 | 4): number {
    const i = offset >>> this.shift;
    return offset & ((1 << this.shift) - 1) || i > 7 || size < 1 ? 0 : this.readReg(i, true);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const i = this.index(offset, size, true);
    if (i !== undefined) this.writeReg(i, value & 0xff);
  }

  private get dlab(): boolean {
    return (this.lcr & LCR_DLAB) !== 0;
  }

  private get fifoOn(): boolean {
    return (this.fcr & FCR_ENABLE) !== 0;
  }

  private readReg(i: number, peek: boolean): number {
    switch (i) {
      case 0:
        if (this.dlab) return this.dll;
        return peek ? this.rxFifo[0] ?? 0 : this.popRx();
      case 1:
        return this.dlab ? this.dlm : this.ier;
      case 2: {
        const iir = this.iir();
        // Reading IIR while THR-empty is the reported source clears that source.
        if (!peek && (iir & 0xf) === IIR_THRE) {
          this.thrIrq = false;
          this.update();
        }
        return iir;
      }
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return this.lsr();
      case 6: {
        const v = this.msr();
        if (!peek && this.msrDelta) {
          this.msrDelta = 0;
          this.update();
        }
        return v;
      }
      default:
        return this.scr;
    }
  }

  private writeReg(i: number, v: number): void {
    switch (i) {
      case 0:
        if (this.dlab) this.dll = v;
        else this.transmit(v);
        return;
      case 1:
        if (this.dlab) {
          this.dlm = v;
          return;
        }
        // Enabling the THR-empty interrupt while THR is empty raises it at once (as the 16550 does).
        if (v & IER_ETBEI && !(this.ier & IER_ETBEI)) this.thrIrq = true;
        this.ier = v & 0x0f;
        this.update();
        return;
      case 2:
        this.writeFcr(v);
        return;
      case 3:
        this.lcr = v;
        return;
      case 4: {
        const old = this.mcr;
        this.mcr = v & 0x1f;
        if ((old ^ this.mcr) & 0x0f && this.mcr & MCR_LOOP) this.msrDelta |= 0x0f;
        this.update();
        return;
      }
      case 5:
      case 6:
        this.o.guestError(`${this.name}: write of 0x${v.toString(16)} to read-only register ${i === 5 ? 'LSR' : 'MSR'} ignored`);
        return;
      default:
        this.scr = v;
    }
  }

  private writeFcr(v: number): void {
    const wasOn = this.fifoOn;
    this.fcr = v & 0xc9;
    // Changing the FIFO enable bit, or bit 1, clears the receive FIFO (and the transmit one, always empty here).
    if (v & FCR_CLEAR_RX || wasOn !== this.fifoOn) this.rxFifo = [];
    this.refill();
  }

  private transmit(v: number): void {
    this.bytesOut++;
    if (this.mcr & MCR_LOOP) this.pending.push(v);
    else this.o.onTx(v);
    this.thrIrq = true;
    this.refill();
  }

  private popRx(): number {
    const b = this.rxFifo.shift();
    if (b === undefined) return 0;
    this.bytesIn++;
    this.refill();
    return b;
  }

  private depth(): number {
    return this.fifoOn ? FIFO_DEPTH : 1;
  }

  private refill(): void {
    while (this.pending.length && this.rxFifo.length < this.depth()) this.rxFifo.push(this.pending.shift()!);
    this.update();
  }

  private lsr(): number {
    return LSR_THRE | LSR_TEMT | (this.rxFifo.length ? LSR_DR : 0);
  }

  private msr(): number {
    // Outside loopback the modem inputs read as DCD, DSR and CTS asserted (a null-modem console cable).
    // In loopback: CTS <- RTS, DSR <- DTR, RI <- OUT1, DCD <- OUT2.
    const m = this.mcr;
    const lines = m & MCR_LOOP ? (((m >> 1) & 1) << 4) | ((m & 1) << 5) | (((m >> 2) & 1) << 6) | (((m >> 3) & 1) << 7) : 0xb0;
    return lines | this.msrDelta;
  }

  /** The highest-priority pending interrupt, as IIR encodes it. */
  private iir(): number {
    const fifo = this.fifoOn ? 0xc0 : 0;
    const n = this.rxFifo.length;
    const trigger = this.fifoOn ? TRIGGERS[this.fcr >>> 6] : 1;
    // Receiver line status (0x6, IER.ELSI) never fires: no line errors are produced (see deviations).
    let id = IIR_NONE;
    if (this.ier & IER_ERBFI && n >= trigger) id = IIR_RDA;
    else if (this.ier & IER_ERBFI && n > 0) id = IIR_CTI;
    else if (this.ier & IER_ETBEI && this.thrIrq) id = IIR_THRE;
    else if (this.ier & IER_EDSSI && this.msrDelta) id = IIR_MSI;
    return fifo | id;
  }

  private update(): void {
    const level = (this.iir() & IIR_NONE) === 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.o.onIrq?.(level);
    }
  }

  snapshot(): Uart16550Snapshot {
    return {
      RBR: this.rxFifo[0] ?? 0, IER: this.ier, IIR: this.iir(), FCR: this.fcr, LCR: this.lcr, MCR: this.mcr,
      LSR: this.lsr(), MSR: this.msr(), SCR: this.scr, DLL: this.dll, DLM: this.dlm, divisor: (this.dlm << 8) | this.dll,
      rxFifo: [...this.rxFifo], hostPending: this.pending.length, irq: this.irqLevel, bytesIn: this.bytesIn, bytesOut: this.bytesOut,
    };
  }
}
