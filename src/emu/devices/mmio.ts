// The interface between the physical bus and a memory-mapped device. Offsets are relative to the start of
// the device's region. Accesses of 1, 2 and 4 bytes go through read/write; 8-byte accesses go through
// read64/write64 when the device has them and are otherwise split into two 4-byte accesses, low word first
// (what a 32-bit-register device sees from a 64-bit bus master). Devices never import the CPU: interrupts and
// other outputs leave a device through callbacks it is constructed with.

export type AccessSize = 1 | 2 | 4 | 8;

export interface MmioDevice {
  /** Short hardware name used in logs ("pl011@0x09000000"). */
  readonly name: string;
  read(offset: number, size: 1 | 2 | 4): number;
  /**
   * `requesterId` identifies a bus master other than a CPU (a PCI device's requester ID, which the GICv3
   * ITS takes as the DeviceID of a GITS_TRANSLATER write); undefined for CPU accesses.
   */
  write(offset: number, size: 1 | 2 | 4, value: number, requesterId?: number): void;
  read64?(offset: number): bigint;
  write64?(offset: number, value: bigint): void;
  /** Reads without side effects (no read-to-clear, no acknowledge): what debugger panels use. */
  peek?(offset: number, size: 1 | 2 | 4): number;
  reset?(): void;
}

/** A report of a guest access the model rejected or does not model; the machine logs and can stop on it. */
export interface GuestErrorSink {
  (message: string): void;
}
