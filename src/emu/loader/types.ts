// The loader's shared vocabulary: what a loaded kernel image looks like (segments to copy into guest
// memory, an entry point, symbols, section headers) and the one error type every loader throws. Every
// address and size is a bigint so 64-bit values (kernel virtual addresses such as 0xffff_0000_0008_0000)
// stay exact; the loader is an API edge, not a hot path. The format-specific parsers (elf.ts, image.ts,
// raw.ts) produce these records and index.ts re-exports them as the loader's public API.

/** Any malformed or unsupported input. The message always starts with the file name. */
export class LoaderError extends Error {
  readonly fileName: string;
  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'LoaderError';
    this.fileName = fileName;
  }
}

/** ELF p_flags bits (also used for the synthetic segments of raw and Image kernels). */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** A piece of the image to place in guest memory. */
export interface Segment {
  /** Address the code is linked to run at (ELF p_vaddr; equal to paddr for Image and raw). */
  vaddr: bigint;
  /** Physical address to copy `data` to (ELF p_paddr). */
  paddr: bigint;
  /** The file bytes of the segment (p_filesz long). A view into the caller's buffer, not a copy. */
  data: Uint8Array;
  /** Bytes the segment occupies in memory; memsz - data.length bytes after the data are zero (BSS). */
  memsz: bigint;
  /** PF_R | PF_W | PF_X bits. */
  flags: number;
}

export type SymType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'ifunc' | 'other';
export type SymBinding = 'local' | 'global' | 'weak' | 'unique' | 'other';

/** One ELF symbol. Undefined symbols (st_shndx == SHN_UNDEF) are not included. */
export interface Sym {
  name: string;
  value: bigint;
  size: bigint;
  type: SymType;
  binding: SymBinding;
  /** st_shndx: the section index the symbol is defined in, or SHN_ABS (0xfff1) / SHN_COMMON (0xfff2). */
  shndx: number;
}

/** One ELF section header, every field read at its ELF64 offset with its full width. */
export interface Section {
  index: number;
  name: string;
  /** sh_type (SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8, ...). */
  type: number;
  /** sh_flags (SHF_WRITE = 1n, SHF_ALLOC = 2n, SHF_EXECINSTR = 4n, ...). */
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
  /** The section's file bytes (a view into the caller's buffer); empty for SHT_NOBITS and SHT_NULL. */
  data: Uint8Array;
}

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const SHF_WRITE = 1n;
export const SHF_ALLOC = 2n;
export const SHF_EXECINSTR = 4n;

/** The 64-byte arm64 Linux `Image` header (Documentation/arch/arm64/booting.rst). */
export interface LinuxImageHeader {
  code0: number;
  code1: number;
  /**
   * Offset of the image from a 2 MiB aligned base. When the header's image_size is 0 (kernels before
   * v3.17) the field's endianness was unspecified, and the boot protocol says to assume 0x80000: this
   * value is then 0x80000 whatever the field holds (`rawTextOffset` keeps the field).
   */
  textOffset: bigint;
  rawTextOffset: bigint;
  /** Effective image size including BSS and initial page tables; 0 for kernels before v3.17. */
  imageSize: bigint;
  /** The raw flags field. */
  flags: bigint;
  /** Flags bits 1-2: 0 unspecified, else 4, 16 or 64 (KiB). */
  pageSizeKiB: 0 | 4 | 16 | 64;
  /**
   * Flags bit 3: true = the 2 MiB aligned base may be anywhere in physical memory; false = it should be
   * as close as possible to the start of DRAM (memory below it is not usable by the kernel).
   */
  physPlacementAnywhere: boolean;
  /** code0 starts with "MZ": the kernel has an EFI stub and `peHeaderOffset` (res5) locates its PE header. */
  efiStub: boolean;
  peHeaderOffset: number;
}

export type ImageKind = 'elf' | 'image' | 'raw';

/** A parsed kernel image, ready for a machine to copy into memory and start. */
export interface LoadedImage {
  kind: ImageKind;
  fileName: string;
  /** Where execution starts, as the image states it (ELF e_entry: a virtual address for a kernel linked high). */
  entry: bigint;
  /**
   * The entry translated to a physical address through the segment that contains it
   * (entry - p_vaddr + p_paddr); equal to `entry` when no segment contains it or vaddr == paddr.
   * A CPU starting with the MMU off begins here.
   */
  physEntry: bigint;
  segments: Segment[];
  /** Symbols (ELF only; empty for Image and raw). */
  symbols: Sym[];
  /** Section headers (ELF only). */
  sections?: Section[];
  /** ELF e_type (ELF only): 'exec' or 'dyn'. A 'dyn' image is placed at its link addresses; no relocation is applied. */
  elfType?: 'exec' | 'dyn';
  /** The parsed Image header (kind 'image' only). */
  linux?: LinuxImageHeader;
}

/** Formats n as 0x-prefixed hexadecimal, for error messages. */
export function hex(n: bigint | number): string {
  return `0x${n.toString(16)}`;
}
