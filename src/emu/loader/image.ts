// The arm64 Linux `Image` format (Documentation/arch/arm64/booting.rst): a flat binary whose first 64
// bytes are a header giving text_offset, image_size and flags, identified by the magic "ARM\x64" at offset
// 56. This file detects and parses the header and builds the single segment; where it goes in RAM (a
// 2 MiB aligned base + text_offset) is decided by loadKernel in index.ts. For an EFI-stub kernel ("MZ" in
// code0) the PE section table is also used to detect a truncated file, since the Image header itself
// carries no file size.
//
//   offset  field        notes
//   0       code0 (u32)  executable code; "MZ" (0x5a4d) in its low half for an EFI-stub kernel
//   4       code1 (u32)  executable code
//   8       text_offset  u64 LE: image load offset from a 2 MiB aligned base
//   16      image_size   u64 LE: effective image size (includes BSS); 0 before v3.17
//   24      flags        u64 LE: bit 0 big-endian kernel, bits 1-2 page size, bit 3 physical placement
//   32-55   res2-res4    reserved
//   56      magic        "ARM\x64" = 0x644d5241 LE
//   60      res5 (u32)   offset of the PE header for an EFI-stub kernel
//
// Kernels before v3.17 have image_size == 0; the boot protocol says text_offset may then be assumed to be
// 0x80000 (its endianness was not specified), the flags are meaningless, and the loader should leave as
// much memory as possible free after the image. We do that: textOffset = 0x80000 and the segment's memsz
// is only the file size (the machine must not place anything, e.g. the DTB, right after such a kernel).

import { LoaderError, PF_R, PF_W, PF_X, hex, type LinuxImageHeader, type LoadedImage } from './types';

export const LINUX_IMAGE_HEADER_SIZE = 64;
export const LINUX_IMAGE_MAGIC = 0x644d5241; // "ARM\x64" little-endian
const MAGIC_OFFSET = 56;
const PRE_3_17_TEXT_OFFSET = 0x80000n;
const PE_SECTION_SIZE = 40;

/** True when bytes carry the arm64 Image magic "ARM\x64" at offset 56. */
export function isLinuxImage(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC_OFFSET + 4 &&
    bytes[56] === 0x41 && bytes[57] === 0x52 && bytes[58] === 0x4d && bytes[59] === 0x64;
}

/** Parses and validates the 64-byte arm64 Image header. Throws LoaderError for truncated or big-endian images. */
export function parseLinuxImage(bytes: Uint8Array, fileName: string): LinuxImageHeader {
  const fail = (problem: string): never => { throw new LoaderError(fileName, problem); };
  if (bytes.length < LINUX_IMAGE_HEADER_SIZE) {
    if (isLinuxImage(bytes)) fail(`truncated arm64 Image header (file size ${hex(bytes.length)} < 0x40)`);
    fail(`not an arm64 Linux Image (file size ${hex(bytes.length)} is smaller than the 64-byte header)`);
  }
  if (!isLinuxImage(bytes)) fail('not an arm64 Linux Image (no "ARM\\x64" magic at offset 56)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code0 = v.getUint32(0, true);
  const code1 = v.getUint32(4, true);
  const rawTextOffset = v.getBigUint64(8, true);
  const imageSize = v.getBigUint64(16, true);
  const flags = v.getBigUint64(24, true);
  const legacy = imageSize === 0n;
  if (!legacy && (flags & 1n) !== 0n) {
    fail('big-endian arm64 Image (header flags bit 0 set); only little-endian kernels are supported');
  }
  const pageBits = legacy ? 0 : Number((flags >> 1n) & 3n);
  const efiStub = (code0 & 0xffff) === 0x5a4d;
  const header: LinuxImageHeader = {
    code0,
    code1,
    textOffset: legacy ? PRE_3_17_TEXT_OFFSET : rawTextOffset,
    rawTextOffset,
    imageSize,
    flags,
    pageSizeKiB: ([0, 4, 16, 64] as const)[pageBits]!,
    physPlacementAnywhere: !legacy && (flags & 8n) !== 0n,
    efiStub,
    peHeaderOffset: efiStub ? v.getUint32(60, true) : 0,
  };
  if (efiStub) checkPeExtent(v, header.peHeaderOffset, fail);
  return header;
}

/**
 * For an EFI-stub kernel, checks that every PE section's raw data lies inside the file: the one size
 * check available for an Image (the Image header has no file size; image_size includes BSS). A missing or
 * unrecognised PE header is not an error: the Image header is what direct boot relies on.
 */
function checkPeExtent(v: DataView, pe: number, fail: (problem: string) => never): void {
  const size = v.byteLength;
  if (pe < LINUX_IMAGE_HEADER_SIZE || pe + 24 > size) return;
  if (v.getUint32(pe, true) !== 0x00004550) return; // "PE\0\0"
  const nsections = v.getUint16(pe + 6, true);
  const optSize = v.getUint16(pe + 20, true);
  const table = pe + 24 + optSize;
  if (table + nsections * PE_SECTION_SIZE > size) {
    fail(`truncated arm64 Image: the PE section table ends at ${hex(table + nsections * PE_SECTION_SIZE)} but the file is ${hex(size)} bytes`);
  }
  for (let i = 0; i < nsections; i++) {
    const s = table + i * PE_SECTION_SIZE;
    const rawSize = v.getUint32(s + 16, true);
    const rawPtr = v.getUint32(s + 20, true);
    if (rawSize !== 0 && rawPtr + rawSize > size) {
      let name = '';
      for (let j = 0; j < 8; j++) {
        const c = v.getUint8(s + j);
        if (c === 0) break;
        name += String.fromCharCode(c);
      }
      fail(`truncated arm64 Image: PE section ${name || i} ends at ${hex(rawPtr + rawSize)} but the file is ${hex(size)} bytes`);
    }
  }
}

/** Builds the LoadedImage for an arm64 Image placed at loadAddress (already chosen by the caller). */
export function loadLinuxImage(bytes: Uint8Array, fileName: string, loadAddress: bigint): LoadedImage {
  const linux = parseLinuxImage(bytes, fileName);
  const fileSize = BigInt(bytes.length);
  const memsz = linux.imageSize > fileSize ? linux.imageSize : fileSize;
  if (loadAddress + memsz > 1n << 64n) {
    throw new LoaderError(fileName, `image at ${hex(loadAddress)} (size ${hex(memsz)}) wraps past the top of the address space`);
  }
  return {
    kind: 'image',
    fileName,
    entry: loadAddress,
    physEntry: loadAddress,
    segments: [{ vaddr: loadAddress, paddr: loadAddress, data: bytes, memsz, flags: PF_R | PF_W | PF_X }],
    symbols: [],
    linux,
  };
}
