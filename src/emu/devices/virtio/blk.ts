// virtio-blk (Virtio 1.1 §5.2) over the copy-on-write disk: one request queue of 256 entries; requests
// IN (read), OUT (write), FLUSH and GET_ID; capacity in 512-byte sectors in the device configuration.
// Offered features: SEG_MAX (2), BLK_SIZE (6), FLUSH (9) and VERSION_1.
//
// Choices (QEMU 7.2's behaviour where a driver can see it):
// - The used length is the total of the chain's device-writable bytes (data and status byte), also when
//   the request fails, as QEMU reports it.
// - A request reaching past the capacity, or whose data is not whole sectors, fails with IOERR; unknown
//   types with UNSUPP. GET_ID returns the serial, zero-padded to 20 bytes.
// - Writes need no FLUSH to be visible to later reads (the disk has no cache); FLUSH just succeeds.
import type { CowDisk } from '../../disk/cowDisk';
import type { DmaPort } from '../pci/function';
import type { VirtioDeviceType } from './pciTransport';
import type { Chain, VirtQueue } from './virtqueue';

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;
export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;
const QUEUE_SIZE = 256;

export class VirtioBlk implements VirtioDeviceType {
  readonly deviceId = 2;
  readonly classCode = 0x010000;
  readonly features: readonly [number, number] = [(1 << 2) | (1 << 6) | (1 << 9), 0];
  readonly queueSizes = [QUEUE_SIZE];

  constructor(private readonly disk: CowDisk, private readonly serial: string, private readonly guestError: (m: string) => void) {
    if (!/^[\x20-\x7e]{0,20}$/.test(serial)) throw new Error(`virtio-blk: serial '${serial}' must be at most 20 printable ASCII characters`);
  }

  config(): Uint8Array {
    const b = new Uint8Array(60);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, this.disk.sectors % 0x1_0000_0000, true); // capacity
    dv.setUint32(4, Math.floor(this.disk.sectors / 0x1_0000_0000), true);
    dv.setUint32(12, QUEUE_SIZE - 2, true); // seg_max
    dv.setUint32(20, 512, true); // blk_size
    return b;
  }

  reset(): void {}

  notify(q: VirtQueue, dma: DmaPort): boolean {
    let used = false;
    for (let c = q.pop(dma); c; c = q.pop(dma)) {
      const written = this.request(c, dma);
      q.push(dma, c.head, written);
      used = true;
    }
    return used;
  }

  /** Runs one request; returns the bytes reported as written. */
  private request(c: Chain, dma: DmaPort): number {
    const readable = gather(dma, c.readable);
    const writableLen = c.writable.reduce((n, s) => n + s.len, 0);
    if (readable.length < 16 || writableLen < 1) {
      this.guestError(`virtio-blk: request chain ${c.head} lacks a header or a status byte`);
      return 0;
    }
    const dv = new DataView(readable.buffer, readable.byteOffset);
    const type = dv.getUint32(0, true);
    const sector = dv.getUint32(12, true) * 0x1_0000_0000 + dv.getUint32(8, true);
    const out = new Uint8Array(writableLen); // data to the driver, then the status byte
    let status = VIRTIO_BLK_S_OK;
    const inLen = writableLen - 1;
    const outData = readable.subarray(16);
    try {
      switch (type) {
        case VIRTIO_BLK_T_IN:
          if (!this.fits(sector, inLen)) status = VIRTIO_BLK_S_IOERR;
          else this.disk.read(sector, out.subarray(0, inLen));
          break;
        case VIRTIO_BLK_T_OUT:
          if (!this.fits(sector, outData.length)) status = VIRTIO_BLK_S_IOERR;
          else this.disk.write(sector, outData);
          break;
        case VIRTIO_BLK_T_FLUSH:
          break;
        case VIRTIO_BLK_T_GET_ID:
          for (let i = 0; i < Math.min(20, inLen, this.serial.length); i++) out[i] = this.serial.charCodeAt(i);
          break;
        default:
          status = VIRTIO_BLK_S_UNSUPP;
      }
    } catch (e) {
      this.guestError(`virtio-blk: ${(e as Error).message}`);
      status = VIRTIO_BLK_S_IOERR;
    }
    out[writableLen - 1] = status;
    scatter(dma, c.writable, out);
    return writableLen;
  }

  private fits(sector: number, bytes: number): boolean {
    return bytes % 512 === 0 && sector + bytes / 512 <= this.disk.sectors;
  }
}

function gather(dma: DmaPort, segs: { pa: number; len: number }[]): Uint8Array {
  const out = new Uint8Array(segs.reduce((n, s) => n + s.len, 0));
  let o = 0;
  for (const s of segs) {
    dma.read(s.pa, out.subarray(o, o + s.len));
    o += s.len;
  }
  return out;
}

function scatter(dma: DmaPort, segs: { pa: number; len: number }[], data: Uint8Array): void {
  let o = 0;
  for (const s of segs) {
    dma.write(s.pa, data.subarray(o, o + s.len));
    o += s.len;
  }
}
