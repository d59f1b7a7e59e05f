// virtio-console (Virtio 1.1 §5.3) with one port and no optional features (no SIZE, MULTIPORT or
// EMERG_WRITE): queue 0 is port 0's receiveq (host to guest), queue 1 its transmitq (guest to host).
// Transmitted bytes go to the output callback at once; host input waits in a queue until the driver has
// made receive buffers available, then fills them in order (the transport interrupts the driver).
import type { DmaPort } from '../pci/function';
import type { VirtioDeviceType } from './pciTransport';
import type { VirtQueue } from './virtqueue';

export class VirtioConsole implements VirtioDeviceType {
  readonly deviceId = 3;
  readonly classCode = 0x078000;
  readonly features: readonly [number, number] = [0, 0];
  readonly queueSizes = [128, 128];
  private pending: number[] = [];
  private kick?: (queue: number) => void;

  constructor(private readonly output: (bytes: Uint8Array) => void) {}

  attach(kick: (queue: number) => void): void {
    this.kick = kick;
  }

  /** Bytes the guest has not received yet. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Host input for the guest. */
  input(bytes: Uint8Array): void {
    for (const b of bytes) this.pending.push(b);
    this.kick?.(0);
  }

  config(): Uint8Array {
    return new Uint8Array(12); // cols, rows, max_nr_ports, emerg_wr: unused without their features
  }

  reset(): void {
    // host input survives a driver reset, as bytes typed before a driver loads wait for it
  }

  notify(q: VirtQueue, dma: DmaPort): boolean {
    let used = false;
    if (q.index === 1) {
      for (let c = q.pop(dma); c; c = q.pop(dma)) {
        for (const s of c.readable) {
          const b = new Uint8Array(s.len);
          dma.read(s.pa, b);
          this.output(b);
        }
        q.push(dma, c.head, 0);
        used = true;
      }
      return used;
    }
    while (this.pending.length) {
      const c = q.pop(dma);
      if (!c) break;
      let n = 0;
      for (const s of c.writable) {
        const take = this.pending.splice(0, s.len);
        dma.write(s.pa, Uint8Array.from(take));
        n += take.length;
        if (!this.pending.length) break;
      }
      q.push(dma, c.head, n);
      used = true;
    }
    return used;
  }
}
