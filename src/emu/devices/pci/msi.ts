// MSI (PCI Local Bus 3.0 §6.8.1): the capability with Message Control (MSI Enable, Multiple Message
// Capable/Enable, 64-bit and per-vector-masking capable), Message Address (and Upper Address), Message
// Data, and with per-vector masking the Mask Bits and Pending Bits registers. Vector v of the enabled
// 2^MME fires as a 32-bit write of Message Data with its low MME bits replaced by v, to Message Address,
// through the function's DmaPort (tagged with the requester ID, so the ITS sees DeviceID = RID).
//
// Choices:
// - A write of Multiple Message Enable above Multiple Message Capable is clamped to the capable value
//   (the spec makes the result undefined).
// - Events on a vector beyond the enabled count are dropped; events while MSI is disabled are dropped (no
//   INTx fallback is modelled here).
// - Message Data is 16 bits (no Extended Message Data).
import type { ConfigSpace } from './config';
import type { DmaPort } from './function';

export const CAP_ID_MSI = 0x05;

export interface MsiOptions {
  /** Vectors requested: 1, 2, 4, 8, 16 or 32. */
  vectors: number;
  is64: boolean;
  perVectorMask: boolean;
}

export class Msi {
  dma?: DmaPort;
  private readonly mmc: number;
  private readonly dataOff: number;
  private readonly maskOff: number;

  constructor(private readonly cfg: ConfigSpace, readonly capOffset: number, readonly o: MsiOptions, private readonly guestError: (m: string) => void) {
    this.mmc = Math.log2(o.vectors);
    if (!Number.isInteger(this.mmc) || this.mmc > 5) throw new Error('MSI: vectors must be 1, 2, 4, 8, 16 or 32');
    const c = capOffset;
    this.dataOff = c + (o.is64 ? 0x0c : 0x08);
    this.maskOff = this.dataOff + 4;
    const length = o.perVectorMask ? this.maskOff + 8 - c : this.dataOff + 2 - c;
    cfg.addCapability(c, CAP_ID_MSI, length);
    cfg.set16(c + 2, (this.mmc << 1) | (o.is64 ? 1 << 7 : 0) | (o.perVectorMask ? 1 << 8 : 0));
    cfg.writable(c + 2, 2, 0x0071); // MSI Enable, Multiple Message Enable
    cfg.writable(c + 4, 4, 0xffff_fffc);
    if (o.is64) cfg.writable(c + 8, 4, 0xffff_ffff);
    cfg.writable(this.dataOff, 2, 0xffff);
    if (o.perVectorMask) cfg.writable(this.maskOff, 4, o.vectors === 32 ? 0xffff_ffff : (1 << o.vectors) - 1);
    cfg.snapshotReset();
    cfg.onWrite((off, size) => {
      if (off < c + 4 && off + size > c + 2) {
        const ctl = cfg.get16(c + 2);
        if (((ctl >>> 4) & 7) > this.mmc) cfg.set16(c + 2, (ctl & ~0x70) | (this.mmc << 4));
      }
      if (off < this.maskOff + 4 && off + size > c) this.deliverPending();
    });
  }

  get enabled(): boolean {
    return (this.cfg.get16(this.capOffset + 2) & 1) !== 0;
  }

  /** Vectors the driver enabled (2^MME). */
  get enabledVectors(): number {
    return 1 << ((this.cfg.get16(this.capOffset + 2) >>> 4) & 7);
  }

  private masked(v: number): boolean {
    return this.o.perVectorMask && (this.cfg.get32(this.maskOff) & (1 << v)) !== 0;
  }

  private setPending(v: number, on: boolean): void {
    const p = this.cfg.get32(this.maskOff + 4);
    this.cfg.set32(this.maskOff + 4, on ? p | (1 << v) : p & ~(1 << v));
  }

  notify(v: number): void {
    if (!this.enabled || v >= this.enabledVectors) return;
    if (this.masked(v)) {
      this.setPending(v, true);
      return;
    }
    this.send(v);
  }

  private send(v: number): void {
    const c = this.capOffset;
    const pa = (this.o.is64 ? this.cfg.get32(c + 8) * 0x1_0000_0000 : 0) + this.cfg.get32(c + 4);
    const mme = (this.cfg.get16(c + 2) >>> 4) & 7;
    const data = (this.cfg.get16(this.dataOff) & ~((1 << mme) - 1)) | v;
    try {
      this.dma?.msiWrite(pa, data);
    } catch {
      this.guestError(`MSI vector ${v}: message address 0x${pa.toString(16)} is not mapped`);
    }
  }

  private deliverPending(): void {
    if (!this.o.perVectorMask || !this.enabled) return;
    const pending = this.cfg.get32(this.maskOff + 4);
    for (let v = 0; v < this.o.vectors; v++) {
      if (pending & (1 << v) && !this.masked(v) && v < this.enabledVectors) {
        this.setPending(v, false);
        this.send(v);
      }
    }
  }
}
