// PE32+ images for AArch64 (Microsoft PE/COFF specification; UEFI 2.10 section 2.1.1): what the built-in
// UEFI firmware loads — EFI/BOOT/BOOTAA64.EFI, a Linux `Image` through its EFI stub, drivers. Parses the DOS
// and COFF headers, the PE32+ optional header, the section table and the base relocations, and lays the
// image out at a load address: sections copied to their RVAs, the rest of SizeOfImage zero, DIR64
// relocations applied for the distance from ImageBase. Anything we cannot load correctly is refused with
// a message naming the file and the field (a 32-bit PE, another machine, an unknown relocation type,
// sections outside the image).
//
// BigInt is fine here: loading happens once, off the hot path.

export const IMAGE_FILE_MACHINE_ARM64 = 0xaa64;
export const PE_SUBSYSTEMS: Record<number, string> = {
  10: 'EFI application', 11: 'EFI boot service driver', 12: 'EFI runtime driver', 13: 'EFI ROM',
};

export interface PeSection {
  readonly name: string;
  readonly rva: number;
  readonly virtualSize: number;
  readonly rawSize: number;
  readonly rawOffset: number;
  readonly characteristics: number;
}

export interface PeImage {
  readonly file: string;
  readonly machine: number;
  readonly subsystem: number;
  readonly imageBase: bigint;
  readonly entryRva: number;
  readonly sizeOfImage: number;
  readonly sizeOfHeaders: number;
  readonly sectionAlignment: number;
  readonly sections: readonly PeSection[];
  /** RVAs of the 64-bit words a DIR64 relocation adjusts. */
  readonly dir64: readonly number[];
  /** RVA and size of the data directories by index (5 = base relocations, 6 = debug). */
  readonly directories: readonly { rva: number; size: number }[];
}

export class PeError extends Error {}

/** Parses and validates a PE32+ AArch64 image; throws PeError naming `file` and the problem. */
export function parsePe(b: Uint8Array, file: string): PeImage {
  const fail = (m: string): never => {
    throw new PeError(`${file}: ${m}`);
  };
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const need = (off: number, n: number, what: string) => {
    if (off < 0 || off + n > b.length) fail(`truncated: ${what} at offset 0x${off.toString(16)} runs past the end of the file (${b.length} bytes)`);
  };
  need(0, 0x40, 'the DOS header');
  if (b[0] !== 0x4d || b[1] !== 0x5a) fail("not a PE image (no 'MZ' DOS header)");
  const pe = dv.getUint32(0x3c, true);
  need(pe, 24, 'the PE signature and COFF header');
  if (dv.getUint32(pe, true) !== 0x00004550) fail(`no 'PE\\0\\0' signature at e_lfanew 0x${pe.toString(16)}`);
  const machine = dv.getUint16(pe + 4, true);
  if (machine !== IMAGE_FILE_MACHINE_ARM64) fail(`machine type 0x${machine.toString(16)} is not AArch64 (0xaa64)`);
  const nsec = dv.getUint16(pe + 6, true);
  const optSize = dv.getUint16(pe + 20, true);
  const opt = pe + 24;
  need(opt, Math.max(optSize, 112), 'the optional header');
  const magic = dv.getUint16(opt, true);
  if (magic !== 0x20b) fail(`optional header magic 0x${magic.toString(16)} is not PE32+ (0x20b)`);
  const entryRva = dv.getUint32(opt + 16, true);
  const imageBase = dv.getBigUint64(opt + 24, true);
  const sectionAlignment = dv.getUint32(opt + 32, true);
  const sizeOfImage = dv.getUint32(opt + 56, true);
  const sizeOfHeaders = dv.getUint32(opt + 60, true);
  const subsystem = dv.getUint16(opt + 68, true);
  const ndirs = dv.getUint32(opt + 108, true);
  if (ndirs > 16 || 112 + 8 * ndirs > optSize) fail(`${ndirs} data directories do not fit the ${optSize}-byte optional header`);
  const directories = Array.from({ length: ndirs }, (_, i) => ({ rva: dv.getUint32(opt + 112 + 8 * i, true), size: dv.getUint32(opt + 116 + 8 * i, true) }));
  if (!sizeOfImage || sizeOfImage > 1 << 30) fail(`SizeOfImage ${sizeOfImage} is not a plausible image size`);
  if (entryRva >= sizeOfImage) fail(`AddressOfEntryPoint 0x${entryRva.toString(16)} is outside the image (SizeOfImage 0x${sizeOfImage.toString(16)})`);
  const st = opt + optSize;
  need(st, 40 * nsec, 'the section table');
  const sections: PeSection[] = [];
  for (let i = 0; i < nsec; i++) {
    const s = st + 40 * i;
    const name = new TextDecoder('latin1').decode(b.subarray(s, s + 8)).replace(/\0.*$/s, '');
    const sec = {
      name, virtualSize: dv.getUint32(s + 8, true), rva: dv.getUint32(s + 12, true), rawSize: dv.getUint32(s + 16, true),
      rawOffset: dv.getUint32(s + 20, true), characteristics: dv.getUint32(s + 36, true),
    };
    const span = Math.max(sec.virtualSize, Math.min(sec.rawSize, sec.virtualSize || sec.rawSize));
    if (sec.rva + span > sizeOfImage) fail(`section ${name} (RVA 0x${sec.rva.toString(16)}, 0x${span.toString(16)} bytes) extends past SizeOfImage 0x${sizeOfImage.toString(16)}`);
    if (sec.rawSize) need(sec.rawOffset, Math.min(sec.rawSize, sec.virtualSize || sec.rawSize), `section ${name}'s raw data`);
    sections.push(sec);
  }
  const img: PeImage = { file, machine, subsystem, imageBase, entryRva, sizeOfImage, sizeOfHeaders, sectionAlignment, sections, dir64: [], directories };
  return { ...img, dir64: relocations(b, img, fail) };
}

/** Reads the base relocation table: the RVAs of DIR64 fix-ups (ABSOLUTE entries are padding). */
function relocations(b: Uint8Array, img: PeImage, fail: (m: string) => never): number[] {
  const dir = img.directories[5];
  if (!dir || !dir.size) return [];
  const raw = imageBytes(b, img);
  if (dir.rva + dir.size > raw.length) fail(`the base relocation directory (RVA 0x${dir.rva.toString(16)}, ${dir.size} bytes) lies outside the image`);
  const dv = new DataView(raw.buffer, raw.byteOffset + dir.rva, dir.size);
  const out: number[] = [];
  for (let off = 0; off + 8 <= dir.size; ) {
    const page = dv.getUint32(off, true);
    const size = dv.getUint32(off + 4, true);
    if (size < 8 || off + size > dir.size) fail(`base relocation block at directory offset ${off} has size ${size}`);
    for (let k = off + 8; k + 2 <= off + size; k += 2) {
      const e = dv.getUint16(k, true);
      const type = e >>> 12;
      const rva = page + (e & 0xfff);
      if (type === 0) continue;
      if (type !== 10) fail(`base relocation type ${type} at RVA 0x${rva.toString(16)} is not supported (AArch64 images use DIR64, type 10)`);
      if (rva + 8 > img.sizeOfImage) fail(`DIR64 relocation at RVA 0x${rva.toString(16)} is outside the image`);
      out.push(rva);
    }
    off += size;
  }
  return out;
}

/** The image laid out by RVA (headers and sections), not yet relocated. */
function imageBytes(b: Uint8Array, img: PeImage): Uint8Array {
  const out = new Uint8Array(img.sizeOfImage);
  out.set(b.subarray(0, Math.min(img.sizeOfHeaders, b.length, img.sizeOfImage)));
  for (const s of img.sections) {
    const n = Math.min(s.rawSize, s.virtualSize || s.rawSize, img.sizeOfImage - s.rva);
    if (n > 0) out.set(b.subarray(s.rawOffset, s.rawOffset + n), s.rva);
  }
  return out;
}

/** Lays out `img` (parsed from `b`) for loading at `base`, relocated; returns the bytes and the entry address. */
export function layoutPe(b: Uint8Array, img: PeImage, base: bigint): { bytes: Uint8Array; entry: bigint } {
  const out = imageBytes(b, img);
  const delta = BigInt.asUintN(64, base - img.imageBase);
  if (delta) {
    const dv = new DataView(out.buffer);
    for (const rva of img.dir64) dv.setBigUint64(rva, BigInt.asUintN(64, dv.getBigUint64(rva, true) + delta), true);
  }
  return { bytes: out, entry: base + BigInt(img.entryRva) };
}
