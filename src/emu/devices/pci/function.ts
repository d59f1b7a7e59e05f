// What the PCIe host needs from a function (a device at bus/device/function): its configuration space and,
// per memory BAR, the MMIO frame the BAR window maps. Devices implement this; the host does the routing.
import type { MmioDevice } from '../mmio';
import type { ConfigSpace } from './config';

export interface PciFunction {
  readonly name: string;
  readonly config: ConfigSpace;
  /** The frame behind BAR `index` (offsets relative to the BAR's base). */
  bar(index: number): MmioDevice | undefined;
  reset(): void;
  /**
   * The function's INTx# line as the device drives it (before Command.Interrupt Disable), set by the host
   * when it plugs a function in that has an Interrupt Pin.
   */
  intx?: (level: boolean) => void;
}

/**
 * Bus-master access to guest memory from one function: DMA reads and writes, and MSI writes tagged with the
 * function's requester ID (bus << 8 | device << 3 | function), which the ITS takes as the DeviceID.
 * Accesses that hit nothing throw (the device reports a guest error and completes with an error status).
 */
export interface DmaPort {
  read(pa: number, dst: Uint8Array): void;
  write(pa: number, src: Uint8Array): void;
  /** A 32-bit posted write of `data` at `pa` with the function's requester ID. */
  msiWrite(pa: number, data: number): void;
}

/** Requester ID of bus/device/function. */
export function requesterId(bus: number, device: number, fn: number): number {
  return ((bus & 0xff) << 8) | ((device & 0x1f) << 3) | (fn & 7);
}
