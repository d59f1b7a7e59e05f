// A BAR's MMIO frame assembled from pieces (device registers, an MSI-X table, a PBA) at fixed offsets.
// Accesses that fall between pieces read 0 and ignore writes (reported as guest errors).
import type { MmioDevice } from '../mmio';

export interface FramePiece {
  readonly offset: number;
  readonly size: number;
  readonly device: MmioDevice;
}

export function composeBar(name: string, pieces: readonly FramePiece[], guestError: (m: string) => void): MmioDevice {
  const find = (off: number): FramePiece | undefined => pieces.find((p) => off >= p.offset && off < p.offset + p.size);
  return {
    name,
    read(off, size) {
      const p = find(off);
      if (!p) {
        guestError(`${name}: read at unimplemented offset 0x${off.toString(16)}`);
        return 0;
      }
      return p.device.read(off - p.offset, size);
    },
    peek(off, size) {
      const p = find(off);
      if (!p) return 0;
      return (p.device.peek ?? p.device.read).call(p.device, off - p.offset, size);
    },
    write(off, size, value) {
      const p = find(off);
      if (!p) {
        guestError(`${name}: write of 0x${value.toString(16)} at unimplemented offset 0x${off.toString(16)}`);
        return;
      }
      p.device.write(off - p.offset, size, value);
    },
  };
}
