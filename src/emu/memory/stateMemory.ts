// The one WebAssembly.Memory that holds all machine state: the CPU register files, the soft TLBs and guest
// RAM. Layout (byte offsets):
//   [0, STATE_BYTES)          per-CPU blocks (registers, PSTATE, system registers, TLB arrays), see cpu/regs.ts
//   [ramOffset, +ramBytes)    guest RAM regions, each 64 KiB aligned
// The memory is created at its final size and never grown, so typed-array views stay valid for the life of
// the machine. Host pages are backed lazily by the OS on first touch: a 2 GiB guest costs only what it uses.
// Limit: wasm32 memories stop at 4 GiB, so state plus RAM must fit below that (memory64 would lift it).

export const WASM_PAGE = 0x10000;
export const MAX_MEMORY_BYTES = 65536 * WASM_PAGE;

export class StateMemory {
  readonly memory: WebAssembly.Memory;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly i32: Int32Array;
  private next = 0;

  constructor(readonly totalBytes: number) {
    const pages = Math.ceil(totalBytes / WASM_PAGE);
    if (pages > 65536) throw new RangeError(`machine state of ${totalBytes} bytes exceeds the 4 GiB wasm32 limit`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const buf = this.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
    this.i32 = new Int32Array(buf);
  }

  /** Reserves `bytes` bytes aligned to `align` (a power of two); returns the byte offset. */
  alloc(bytes: number, align = 8): number {
    const off = Math.ceil(this.next / align) * align;
    if (off + bytes > this.totalBytes) throw new RangeError(`state memory exhausted allocating ${bytes} bytes`);
    this.next = off + bytes;
    return off;
  }
}
