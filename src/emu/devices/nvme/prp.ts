// Physical Region Page entries (NVMe 1.4 §4.3): the memory of a transfer of `length` bytes described by
// PRP1 (may start inside a page) and PRP2 (a second page, when the transfer ends in the next page, or a
// PRP list: 8-byte entries to the end of the list's page, the last entry of a full page pointing to the
// next list page when more than one page remains). Returns the segments in order.
import type { DmaPort } from '../pci/function';

export interface Segment {
  pa: number;
  len: number;
}

/** Thrown for a malformed PRP (an entry with a page offset where none is allowed). */
export class PrpError extends Error {}

function read64(dma: DmaPort, pa: number): number {
  const b = new Uint8Array(8);
  dma.read(pa, b);
  const lo = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  const hi = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
  return hi * 0x1_0000_0000 + lo;
}

export function prpSegments(dma: DmaPort, prp1: number, prp2: number, length: number, pageSize: number): Segment[] {
  const out: Segment[] = [];
  const first = Math.min(length, pageSize - (prp1 % pageSize));
  out.push({ pa: prp1, len: first });
  let rem = length - first;
  if (rem === 0) return out;
  if (rem <= pageSize) {
    if (prp2 % pageSize) throw new PrpError(`PRP2 0x${prp2.toString(16)} has a page offset`);
    out.push({ pa: prp2, len: rem });
    return out;
  }
  if (prp2 % 8) throw new PrpError(`PRP list pointer 0x${prp2.toString(16)} is not 8-byte aligned`);
  let list = prp2;
  while (rem > 0) {
    const entries = (pageSize - (list % pageSize)) / 8;
    let next = -1;
    for (let i = 0; i < entries && rem > 0; i++) {
      const e = read64(dma, list + 8 * i);
      if (i === entries - 1 && rem > pageSize) {
        next = e;
        break;
      }
      if (e % pageSize) throw new PrpError(`PRP entry 0x${e.toString(16)} has a page offset`);
      const n = Math.min(rem, pageSize);
      out.push({ pa: e, len: n });
      rem -= n;
    }
    if (rem > 0) {
      if (next < 0 || next % 8) throw new PrpError('PRP list ends before the transfer does');
      list = next;
    }
  }
  return out;
}
