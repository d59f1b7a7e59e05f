// A split virtqueue (Virtio 1.1 §2.6): the descriptor table, the driver's available ring and the device's
// used ring in guest memory. pop() takes the next available descriptor chain as readable and writable
// segments; push() returns a chain to the used ring. Indirect descriptors and event-index suppression are
// not offered, so they are not handled here.
import type { DmaPort } from '../pci/function';

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;

export interface Chain {
  head: number;
  readable: { pa: number; len: number }[];
  writable: { pa: number; len: number }[];
}

export class VirtQueue {
  size = 0;
  desc = 0;
  driver = 0;
  device = 0;
  enabled = false;
  msixVector = 0xffff;
  private lastAvail = 0;
  private usedIdx = 0;

  constructor(readonly index: number, readonly maxSize: number) {
    this.reset();
  }

  reset(): void {
    this.size = this.maxSize;
    this.desc = this.driver = this.device = 0;
    this.enabled = false;
    this.msixVector = 0xffff;
    this.lastAvail = 0;
    this.usedIdx = 0;
  }

  private u16(dma: DmaPort, pa: number): number {
    const b = new Uint8Array(2);
    dma.read(pa, b);
    return b[0] | (b[1] << 8);
  }

  /** The next available chain, or undefined when the driver has published nothing new. Throws on a bad chain. */
  pop(dma: DmaPort): Chain | undefined {
    const availIdx = this.u16(dma, this.driver + 2);
    if (availIdx === this.lastAvail) return undefined;
    const head = this.u16(dma, this.driver + 4 + 2 * (this.lastAvail % this.size));
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    const chain: Chain = { head, readable: [], writable: [] };
    let i = head;
    const d = new Uint8Array(16);
    for (let n = 0; ; n++) {
      if (i >= this.size || n >= this.size) throw new Error(`virtqueue ${this.index}: descriptor chain from ${head} is malformed`);
      dma.read(this.desc + 16 * i, d);
      const dv = new DataView(d.buffer);
      const pa = dv.getUint32(4, true) * 0x1_0000_0000 + dv.getUint32(0, true);
      const len = dv.getUint32(8, true);
      const flags = dv.getUint16(12, true);
      (flags & VIRTQ_DESC_F_WRITE ? chain.writable : chain.readable).push({ pa, len });
      if (!(flags & VIRTQ_DESC_F_NEXT)) break;
      i = dv.getUint16(14, true);
    }
    return chain;
  }

  /** Puts a used element (chain head, bytes written) and publishes the new used index. */
  push(dma: DmaPort, head: number, written: number): void {
    const e = new Uint8Array(8);
    const dv = new DataView(e.buffer);
    dv.setUint32(0, head, true);
    dv.setUint32(4, written, true);
    dma.write(this.device + 4 + 8 * (this.usedIdx % this.size), e);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    dma.write(this.device + 2, Uint8Array.of(this.usedIdx & 0xff, this.usedIdx >> 8));
  }

  /** The driver asked for no interrupts (VIRTQ_AVAIL_F_NO_INTERRUPT). */
  noInterrupt(dma: DmaPort): boolean {
    return (this.u16(dma, this.driver) & 1) !== 0;
  }
}
