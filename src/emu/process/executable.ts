// What the process mode needs from the ELF file beyond the loader's LoadedImage: where the program headers
// are in memory (AT_PHDR, AT_PHENT, AT_PHNUM: glibc's static startup finds PT_TLS through them), whether
// the file is position independent, and whether it asks for a dynamic linker (PT_INTERP), which the
// process mode cannot provide. Called after loadElf has validated the header and table bounds.
import { LoaderError } from '../loader';

const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_PHDR = 6;
const ET_DYN = 3;

export interface ExecutableInfo {
  pie: boolean;
  /** Link-time address of the program header table, or 0 when no loaded segment holds it. */
  phdr: bigint;
  phent: number;
  phnum: number;
}

export function executableInfo(bytes: Uint8Array, fileName: string): ExecutableInfo {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = dv.getUint16(16, true);
  const phoff = dv.getBigUint64(32, true);
  const phent = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  let phdr = 0n;
  for (let i = 0; i < phnum; i++) {
    const o = Number(phoff) + i * phent;
    const ptype = dv.getUint32(o, true);
    const off = dv.getBigUint64(o + 8, true);
    const vaddr = dv.getBigUint64(o + 16, true);
    const filesz = dv.getBigUint64(o + 32, true);
    if (ptype === PT_INTERP) {
      throw new LoaderError(fileName, 'a dynamically linked executable (it names a program interpreter); the process mode runs static executables only: link with -static');
    }
    if (ptype === PT_PHDR) phdr = vaddr;
    else if (ptype === PT_LOAD && phdr === 0n && phoff >= off && phoff + BigInt(phent * phnum) <= off + filesz) {
      phdr = vaddr + (phoff - off);
    }
  }
  return { pie: type === ET_DYN, phdr, phent, phnum };
}
