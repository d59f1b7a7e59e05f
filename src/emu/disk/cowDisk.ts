// A block device over a disk image held in memory, copy-on-write: the guest's writes go to an overlay
// (a Map from 512-byte sector number to that sector's bytes) and the image stays as it was until the user
// asks for commit(), which copies the overlay into the image (the caller then saves the image where it came
// from) and empties the overlay. Reads see the overlay first. NVMe and virtio-blk share this backend.
// A trailing partial sector of an image whose size is not a multiple of 512 is not part of the device.
export const SECTOR = 512;

export class CowDisk {
  private readonly overlay = new Map<number, Uint8Array>();
  /** Whole sectors the device exposes. */
  readonly sectors: number;

  constructor(readonly image: Uint8Array, readonly name = 'disk') {
    this.sectors = Math.floor(image.length / SECTOR);
  }

  /** Reads `dst.length / 512` sectors from `sector` into dst (a whole number of sectors). */
  read(sector: number, dst: Uint8Array): void {
    const n = this.count(sector, dst.length);
    for (let i = 0; i < n; i++) {
      const s = sector + i;
      const o = this.overlay.get(s);
      dst.set(o ?? this.image.subarray(s * SECTOR, (s + 1) * SECTOR), i * SECTOR);
    }
  }

  /** Writes whole sectors from `src` starting at `sector`, into the overlay. */
  write(sector: number, src: Uint8Array): void {
    const n = this.count(sector, src.length);
    for (let i = 0; i < n; i++) this.overlay.set(sector + i, src.slice(i * SECTOR, (i + 1) * SECTOR));
  }

  private count(sector: number, bytes: number): number {
    if (bytes % SECTOR !== 0) throw new Error(`${this.name}: transfer of ${bytes} bytes is not whole sectors`);
    const n = bytes / SECTOR;
    if (!Number.isInteger(sector) || sector < 0 || sector + n > this.sectors) {
      throw new RangeError(`${this.name}: sectors ${sector}..${sector + n - 1} outside 0..${this.sectors - 1}`);
    }
    return n;
  }

  /** Sector numbers written since the last commit, ascending. */
  dirtyBlocks(): number[] {
    return [...this.overlay.keys()].sort((a, b) => a - b);
  }

  /** Copies the overlay into the image, empties it, and returns the sectors written. */
  commit(): number[] {
    const dirty = this.dirtyBlocks();
    for (const s of dirty) this.image.set(this.overlay.get(s)!, s * SECTOR);
    this.overlay.clear();
    return dirty;
  }

  /** Forgets the guest's writes. */
  discard(): void {
    this.overlay.clear();
  }
}
