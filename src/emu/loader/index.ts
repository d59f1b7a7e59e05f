// The kernel loader's public API. loadKernel takes the bytes of whatever the user pointed the launch
// configuration at, recognises the format (ELF, arm64 Linux Image, or raw binary) and returns a
// LoadedImage: segments to copy to physical memory, the entry point, and symbols/sections for the
// debugger. It never touches the file system (callers pass bytes) and reports bad input as a LoaderError
// whose message starts with the file name.
//
// Placement rules:
//  - ELF: every PT_LOAD segment goes to its p_paddr; the entry is e_entry (physEntry translates it through
//    the containing segment). No relocation is applied, also for ET_DYN. opts.loadAddress must not be set.
//  - Linux Image: at a 2 MiB aligned base + text_offset (Documentation/arch/arm64/booting.rst). The default
//    base is ramBase rounded up to 2 MiB; opts.loadAddress, if given, must itself be text_offset above a
//    2 MiB boundary. Entry = load address. (QEMU differs: because its boot stub occupies the bottom of RAM,
//    it adds 2 MiB when text_offset < 4 KiB, e.g. a v5.8+ kernel with text_offset 0 lands at
//    0x40200000 on virt; we start the CPU directly, so base + text_offset is free.)
//  - Raw: at opts.loadAddress, defaulting to ramBase, and entered there. Defaulting to the start of RAM
//    suits bare-metal programs linked at the RAM base (0x40000000 on virt). Note that QEMU's `-kernel`
//    puts a raw binary at RAM base + 0x80000 (its Linux Image fallback), so a raw binary linked for QEMU
//    at 0x40080000 needs loadAddress 0x40080000 here.
//  - Recognisably wrong input is rejected instead of being loaded as raw: gzip-compressed kernels
//    (Image.gz; decompress first), EFI zboot kernels, U-Boot uImages, and PE/COFF files without the
//    Image magic (UEFI applications belong on the UEFI boot path). opts.format = 'raw' overrides this.

import { loadElf, isElf } from './elf';
import { isLinuxImage, loadLinuxImage, parseLinuxImage } from './image';
import { loadRaw } from './raw';
import { LoaderError, hex, type ImageKind, type LoadedImage } from './types';

export { loadElf, isElf } from './elf';
export { isLinuxImage, parseLinuxImage, loadLinuxImage, LINUX_IMAGE_HEADER_SIZE, LINUX_IMAGE_MAGIC } from './image';
export { loadRaw } from './raw';
export { SymbolTable, type SymbolMatch } from './symbols';
export {
  LoaderError,
  PF_R, PF_W, PF_X,
  SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_NOBITS, SHT_DYNSYM,
  SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR,
  type ImageKind, type LoadedImage, type LinuxImageHeader, type Section, type Segment, type Sym,
  type SymBinding, type SymType,
} from './types';

export interface LoadKernelOptions {
  /** Physical base of guest RAM (0x40000000 on virt). */
  ramBase: bigint;
  /** Load address for Image and raw kernels (see the placement rules above). Not allowed for ELF. */
  loadAddress?: bigint;
  /** Skip format detection. Default 'auto'. */
  format?: 'auto' | ImageKind;
}

const SZ_2M = 0x200000n;

/** Recognises the format of bytes and loads it (see the placement rules at the top of this file). */
export function loadKernel(bytes: Uint8Array, fileName: string, opts: LoadKernelOptions): LoadedImage {
  const format = opts.format ?? 'auto';
  const kind: ImageKind = format !== 'auto' ? format : detect(bytes, fileName);
  switch (kind) {
    case 'elf':
      if (opts.loadAddress !== undefined) {
        throw new LoaderError(fileName, `loadAddress ${hex(opts.loadAddress)} was given, but an ELF file is loaded at its own segment addresses; remove loadAddress`);
      }
      return loadElf(bytes, fileName);
    case 'image': {
      const header = parseLinuxImage(bytes, fileName);
      let address: bigint;
      if (opts.loadAddress !== undefined) {
        address = opts.loadAddress;
        if (address < header.textOffset || (address - header.textOffset) % SZ_2M !== 0n) {
          throw new LoaderError(fileName, `load address ${hex(address)} is not text_offset (${hex(header.textOffset)}) above a 2 MiB aligned base, as the arm64 boot protocol requires`);
        }
      } else {
        address = ((opts.ramBase + SZ_2M - 1n) / SZ_2M) * SZ_2M + header.textOffset;
      }
      return loadLinuxImage(bytes, fileName, address);
    }
    case 'raw':
      return loadRaw(bytes, fileName, opts.loadAddress ?? opts.ramBase);
  }
}

/** Identifies the format; throws for formats we recognise but cannot boot directly. */
function detect(bytes: Uint8Array, fileName: string): ImageKind {
  if (isElf(bytes)) return 'elf';
  if (isLinuxImage(bytes)) return 'image';
  const fail = (problem: string): never => { throw new LoaderError(fileName, problem); };
  const b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    fail('gzip-compressed file (an Image.gz or Debian vmlinuz?); decompress it first (gunzip), or set format "raw" to load the bytes as they are');
  }
  if (b.length >= 4 && b[0] === 0x27 && b[1] === 0x05 && b[2] === 0x19 && b[3] === 0x56) {
    fail('U-Boot uImage (magic 0x27051956) is not supported; boot the Image or ELF inside it');
  }
  if (b.length >= 0x40 && b[0] === 0x4d && b[1] === 0x5a) {
    if (b[4] === 0x7a && b[5] === 0x69 && b[6] === 0x6d && b[7] === 0x67) {
      fail('EFI zboot compressed kernel ("zimg"); boot it through the UEFI path, or extract the Image from it');
    }
    const pe = b[0x3c]! | (b[0x3d]! << 8) | (b[0x3e]! << 16) | (b[0x3f]! * 0x1000000);
    if (pe + 4 <= b.length && b[pe] === 0x50 && b[pe + 1] === 0x45 && b[pe + 2] === 0 && b[pe + 3] === 0) {
      fail('PE/COFF executable without the arm64 Image header (a UEFI application?); boot it through the UEFI path, or set format "raw"');
    }
  }
  return 'raw';
}
