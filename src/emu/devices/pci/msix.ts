// MSI-X (PCI Local Bus 3.0 §6.8.2): the capability in configuration space (Message Control with its
// Enable and Function Mask bits, Table and PBA offset/BIR) and the table (16 bytes per vector: address low,
// address high, data, vector control) and Pending Bit Array in a BAR. A vector fires as a 32-bit write of
// its data to its address through the function's DmaPort, tagged with the requester ID, so a vector aimed at
// GITS_TRANSLATER reaches the ITS with DeviceID = requester ID. A masked vector (or the whole function
// masked) sets its pending bit instead; unmasking delivers it and clears the bit.
//
// Deviations / choices:
// - With MSI-X disabled, notify() drops the message (the devices' INTx path is not modelled), as QEMU's
//   msix_notify does when MSI-X is off.
// - Table entries read and write as 32-bit (or smaller) accesses; 64-bit accesses arrive split by the bus.
// - The PBA is read-only (writes are reported as guest errors).
import type { MmioDevice } from '../mmio';
import type { ConfigSpace } from './config';
import type { DmaPort } from './function';

export const CAP_ID_MSIX = 0x11;
const CTRL_ENABLE = 1 << 15;
const CTRL_FUNCTION_MASK = 1 << 14;

export interface MsixLayout {
  /** Configuration space offset of the 12-byte capability. */
  capOffset: number;
  vectors: number;
  tableBar: number;
  tableOffset: number;
  pbaBar: number;
  pbaOffset: number;
}

export class MsiX {
  /** 4 words per vector. */
  readonly table: Uint32Array;
  readonly pba: Uint8Array;
  /** Set by the device once the function (and its requester ID) exists. */
  dma?: DmaPort;

  constructor(
    private readonly cfg: ConfigSpace,
    readonly layout: MsixLayout,
    private readonly guestError: (m: string) => void,
  ) {
    const { capOffset: c, vectors } = layout;
    if (vectors < 1 || vectors > 2048) throw new Error('MSI-X: 1 to 2048 vectors');
    this.table = new Uint32Array(vectors * 4);
    this.pba = new Uint8Array(Math.ceil(vectors / 64) * 8);
    cfg.addCapability(c, CAP_ID_MSIX, 12);
    cfg.set16(c + 2, vectors - 1);
    cfg.writable(c + 2, 2, CTRL_ENABLE | CTRL_FUNCTION_MASK);
    cfg.set32(c + 4, layout.tableOffset | layout.tableBar);
    cfg.set32(c + 8, layout.pbaOffset | layout.pbaBar);
    cfg.snapshotReset();
    cfg.onWrite((off, size) => {
      if (off < c + 4 && off + size > c + 2) this.deliverPending();
    });
    this.reset();
  }

  reset(): void {
    this.table.fill(0);
    for (let v = 0; v < this.layout.vectors; v++) this.table[4 * v + 3] = 1; // Mask bit set at reset
    this.pba.fill(0);
  }

  get control(): number {
    return this.cfg.get16(this.layout.capOffset + 2);
  }

  get enabled(): boolean {
    return (this.control & CTRL_ENABLE) !== 0;
  }

  get functionMasked(): boolean {
    return (this.control & CTRL_FUNCTION_MASK) !== 0;
  }

  private masked(v: number): boolean {
    return this.functionMasked || (this.table[4 * v + 3] & 1) !== 0;
  }

  /** Signals vector `v` (a device event). */
  notify(v: number): void {
    if (!this.enabled || v >= this.layout.vectors) return;
    if (this.masked(v)) {
      this.pba[v >> 3] |= 1 << (v & 7);
      return;
    }
    this.send(v);
  }

  private send(v: number): void {
    const lo = this.table[4 * v];
    const hi = this.table[4 * v + 1];
    const pa = hi * 0x1_0000_0000 + lo;
    try {
      this.dma?.msiWrite(pa, this.table[4 * v + 2]);
    } catch {
      this.guestError(`MSI-X vector ${v}: message address 0x${pa.toString(16)} is not mapped`);
    }
  }

  private deliverPending(): void {
    if (!this.enabled) return;
    for (let v = 0; v < this.layout.vectors; v++) {
      if (this.pba[v >> 3] & (1 << (v & 7)) && !this.masked(v)) {
        this.pba[v >> 3] &= ~(1 << (v & 7));
        this.send(v);
      }
    }
  }

  /** The table's frame (offsets relative to the table start). */
  readonly tableFrame: MmioDevice = {
    name: 'msix-table',
    read: (off, size) => this.tableRead(off, size),
    peek: (off, size) => this.tableRead(off, size),
    write: (off, size, value) => {
      const i = off >> 2;
      if (i >= this.table.length) return;
      const shift = (off & 3) * 8;
      const mask = size === 4 ? 0xffff_ffff : ((size === 2 ? 0xffff : 0xff) << shift) >>> 0;
      this.table[i] = ((this.table[i] & ~mask) | ((value << shift) & mask)) >>> 0;
      if ((i & 3) === 3) this.deliverPending();
    },
  };

  private tableRead(off: number, size: 1 | 2 | 4): number {
    const i = off >> 2;
    if (i >= this.table.length) return 0;
    const v = this.table[i] >>> ((off & 3) * 8);
    return size === 4 ? v >>> 0 : v & (size === 2 ? 0xffff : 0xff);
  }

  readonly pbaFrame: MmioDevice = {
    name: 'msix-pba',
    read: (off, size) => this.pbaRead(off, size),
    peek: (off, size) => this.pbaRead(off, size),
    write: (off) => this.guestError(`MSI-X: write to the read-only Pending Bit Array at +0x${off.toString(16)}`),
  };

  private pbaRead(off: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | (this.pba[off + i] ?? 0);
    return v >>> 0;
  }
}
