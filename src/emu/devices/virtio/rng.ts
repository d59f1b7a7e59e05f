// virtio-rng (Virtio 1.1 §5.4): one request queue of 8 entries whose device-writable buffers the device
// fills with random bytes. The bytes come from a seeded generator (splitmix32), never from the host, so a
// run is reproducible (DESIGN.md: nothing guest-visible reads the host clock or Math.random); they are not
// cryptographically strong, which a guest cannot tell and an emulator need not be.
import type { DmaPort } from '../pci/function';
import type { VirtioDeviceType } from './pciTransport';
import type { VirtQueue } from './virtqueue';

export class VirtioRng implements VirtioDeviceType {
  readonly deviceId = 4;
  readonly classCode = 0x00ff00;
  readonly features: readonly [number, number] = [0, 0];
  readonly queueSizes = [8];
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  config(): Uint8Array {
    return new Uint8Array(0);
  }

  reset(): void {
    // the generator keeps running across device resets, as a hardware entropy source would
  }

  /** splitmix32 step. */
  private next(): number {
    this.state = (this.state + 0x9e37_79b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  notify(q: VirtQueue, dma: DmaPort): boolean {
    let used = false;
    for (let c = q.pop(dma); c; c = q.pop(dma)) {
      let total = 0;
      for (const s of c.writable) {
        const b = new Uint8Array(s.len);
        for (let i = 0; i < b.length; i += 4) {
          const v = this.next();
          for (let k = 0; k < 4 && i + k < b.length; k++) b[i + k] = (v >>> (8 * k)) & 0xff;
        }
        dma.write(s.pa, b);
        total += s.len;
      }
      q.push(dma, c.head, total);
      used = true;
    }
    return used;
  }
}
