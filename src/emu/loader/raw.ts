// Raw binary kernels: the file's bytes copied verbatim to one address, which is also the entry point.
// This is the fallback for anything that is neither ELF nor an arm64 Image (e.g. `objcopy -O binary`
// output of a bare-metal program); the address comes from the launch configuration (see loadKernel in
// index.ts for the default).

import { LoaderError, PF_R, PF_W, PF_X, hex, type LoadedImage } from './types';

/** Places bytes at address; entry = address. Throws LoaderError for an empty file or an address-space wrap. */
export function loadRaw(bytes: Uint8Array, fileName: string, address: bigint): LoadedImage {
  if (bytes.length === 0) throw new LoaderError(fileName, 'empty file');
  const size = BigInt(bytes.length);
  if (address < 0n || address + size > 1n << 64n) {
    throw new LoaderError(fileName, `raw image at ${hex(address)} (size ${hex(size)}) does not fit in the 64-bit address space`);
  }
  return {
    kind: 'raw',
    fileName,
    entry: address,
    physEntry: address,
    segments: [{ vaddr: address, paddr: address, data: bytes, memsz: size, flags: PF_R | PF_W | PF_X }],
    symbols: [],
  };
}
