// The ACPI builder's input: a plain-data description of the platform, independent of the machine spec's
// TypeScript shape (the machine code maps its spec onto this at one place). Addresses are numbers (byte
// addresses below 2^53); interrupt numbers are GIC INTIDs (= ACPI GSIVs on Arm: PPIs 16-31, SPIs 32+).

export interface AcpiCpu {
  /** MPIDR_EL1 affinity fields (Aff3 in bits 39:32, Aff2-Aff0 in bits 23:0); other bits zero. */
  readonly mpidr: number;
  /** Performance monitor overflow interrupt (PPI INTID), 0 if none. */
  readonly pmuGsiv?: number;
}

export interface AcpiGic {
  readonly version: 3 | 4;
  readonly distBase: number;
  /** The redistributor region (all CPUs' frames, contiguous): base and length for the MADT GICR entry. */
  readonly redistBase: number;
  readonly redistLength: number;
  /** Bytes between consecutive CPUs' redistributor frames (0x20000 for GICv3, 0x40000 for GICv4). */
  readonly redistStride: number;
  /** ITS frame base, absent without an ITS. */
  readonly itsBase?: number;
  /** VGIC maintenance interrupt (PPI INTID), 0 if not reported. */
  readonly maintenanceGsiv?: number;
}

export interface AcpiTimers {
  /** PPI INTIDs of the generic timers. */
  readonly secureEl1: number;
  readonly nonSecureEl1: number;
  readonly virtualEl1: number;
  readonly el2: number;
  /** Generic timer interrupts are level-triggered and active-high on our machines. */
  readonly alwaysOn: boolean;
}

export interface AcpiUart {
  readonly kind: 'pl011' | '16550';
  readonly base: number;
  readonly size: number;
  readonly gsiv: number;
  readonly baud: 9600 | 19200 | 57600 | 115200;
  /** 16550 only: registers are (1 << regShift) bytes apart and regWidth bits wide (8 or 32). */
  readonly regShift?: 0 | 2;
  readonly regWidth?: 8 | 32;
  /** Input clock of the UART in Hz (16550: divisor base; PL011: UARTCLK), 0 if unknown. */
  readonly clockHz?: number;
}

export interface AcpiRtc {
  readonly kind: 'pl031';
  readonly base: number;
  readonly size: number;
  readonly gsiv: number;
}

export interface AcpiWindow {
  readonly base: number;
  readonly size: number;
}

export interface AcpiPcie {
  readonly segment: number;
  readonly ecamBase: number;
  readonly busStart: number;
  readonly busEnd: number;
  /** 32-bit non-prefetchable MMIO window. */
  readonly mmio32: AcpiWindow;
  /** 64-bit MMIO window, if any. */
  readonly mmio64?: AcpiWindow;
  /** The CPU address of the I/O port window (ports 0..size-1), if any. */
  readonly pio?: AcpiWindow;
  /** GSIVs of legacy INTA..INTD (slot 0; other slots swizzle). */
  readonly intx: readonly [number, number, number, number];
  /** Number of device slots given _PRT entries (at most 32). */
  readonly prtSlots: number;
}

export interface AcpiPlatform {
  /** OEM ID (6 chars) and OEM Table ID (8 chars) written into every header. */
  readonly oemId: string;
  readonly oemTableId: string;
  readonly cpus: readonly AcpiCpu[];
  readonly gic: AcpiGic;
  readonly timers: AcpiTimers;
  readonly psci: 'hvc' | 'smc';
  readonly uart: AcpiUart;
  readonly rtc?: AcpiRtc;
  readonly pcie?: AcpiPcie;
}
