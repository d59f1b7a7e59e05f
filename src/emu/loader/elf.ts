// ELF64 AArch64 loader: validates the file header, every table bound and every segment bound, and
// returns the PT_LOAD segments, the section headers (the disassembler wants `.text`) and the symbols
// (`.symtab`, else `.dynsym`) with every 64-bit field exact as a bigint. Malformed or foreign input
// becomes a LoaderError naming the file and the problem; nothing here trusts an offset it has not checked.
//
// Why this file does not call the `elfy` package (1.0.0), though package.json lists it. It was measured
// here, on an ELF built by aarch64-linux-gnu-ld with .text at 0xffff000000080000 (test/unit/loader.test.ts
// keeps these observations live and skips when elfy is not installed):
//  - 64-bit fields are JS numbers built as lo + hi * 2**32, so anything above 2**53 is rounded: the
//    `.rodata` sh_addr 0xffff000000080060 came back as 0xffff000000080000 (0x60 lost; doubles near 2**64
//    are 2048 apart). e_entry, p_vaddr/p_paddr and sh_addr of kernels linked high are all affected.
//  - ELF64 sh_addralign and sh_entsize are read at offsets 46 and 54 instead of 48 and 56, i.e. shifted
//    16 bits: `.text` addralign 64 came back as 4194304, `.rodata` 32 as 2097152, `.symtab` 8 as 524288
//    and its entsize 24 as 1572864, `.strtab` addralign 1 as 65536.
//  - It parses no symbols at all (no .symtab/.dynsym), and no extended numbering (e_shnum == 0,
//    e_shstrndx == SHN_XINDEX, e_phnum == PN_XNUM).
//  - It needs a Node Buffer (a plain Uint8Array fails with "Invalid magic: 127,69,76,70") and requires
//    Node's `assert` and `util`, which src/emu must not depend on (a web/worker build is planned).
//  - Bad input crashes with messages that name neither file nor problem: "Failed to slice chunks" for a
//    truncated header table, "TypeError: Cannot read properties of undefined (reading 'type')" when
//    e_shnum is 0, "AssertionError: 'null' == 'strtab'" when e_shstrndx is 0; and a p_filesz past the end
//    of the file is silently truncated (buf.slice clamps) instead of rejected.
// What it does right (section-name lookup in .shstrtab, the 16/32-bit header fields) is a few lines
// below, and wrapping it would have meant validating everything first and re-reading nearly every field
// anyway; so elf.ts reads the bytes itself with DataView and elfy is left unused.

import {
  LoaderError,
  hex,
  type LoadedImage,
  type Section,
  type Segment,
  type Sym,
  type SymBinding,
  type SymType,
  SHT_DYNSYM,
  SHT_NOBITS,
  SHT_NULL,
  SHT_STRTAB,
  SHT_SYMTAB,
} from './types';

const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;
const EM_AARCH64 = 183;
const PT_LOAD = 1;
const PN_XNUM = 0xffff;
const SHN_UNDEF = 0;
const SHN_XINDEX = 0xffff;
const EHDR64_SIZE = 64;
const PHDR64_SIZE = 56;
const SHDR64_SIZE = 64;
const SYM64_SIZE = 24;

/** e_machine values a user is likely to hand us by mistake, for the error message. */
const MACHINE_NAMES: Record<number, string> = {
  2: 'SPARC',
  3: 'x86',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM (AArch32)',
  43: 'SPARC V9',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

const SYM_TYPES: Record<number, SymType> = {
  0: 'notype', 1: 'object', 2: 'func', 3: 'section', 4: 'file', 5: 'common', 6: 'tls', 10: 'ifunc',
};
const SYM_BINDINGS: Record<number, SymBinding> = { 0: 'local', 1: 'global', 2: 'weak', 10: 'unique' };

const utf8 = new TextDecoder('utf-8');

/** True when bytes start with the ELF magic "\x7fELF". */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses an AArch64 ELF64 executable (ET_EXEC or ET_DYN). Throws LoaderError on anything else. */
export function loadElf(bytes: Uint8Array, fileName: string): LoadedImage {
  return new ElfReader(bytes, fileName).load();
}

interface RawSectionHeader {
  name: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

class ElfReader {
  private readonly view: DataView;
  private readonly fileSize: bigint;

  constructor(private readonly bytes: Uint8Array, private readonly fileName: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.fileSize = BigInt(bytes.length);
  }

  private fail(problem: string): never {
    throw new LoaderError(this.fileName, problem);
  }

  private u16(off: number): number { return this.view.getUint16(off, true); }
  private u32(off: number): number { return this.view.getUint32(off, true); }
  private u64(off: number): bigint { return this.view.getBigUint64(off, true); }

  /** Throws unless [offset, offset + size) lies inside the file. An empty range may point anywhere (a
   * segment with no file bytes, such as one holding only .bss, often has an offset past the end). */
  private checkRange(what: string, offset: bigint, size: bigint): void {
    if (size > 0n && offset + size > this.fileSize) {
      this.fail(`${what} extends past end of file (offset ${hex(offset)} + size ${hex(size)} > file size ${hex(this.fileSize)})`);
    }
  }

  /** A checked view of [offset, offset + size) of the file. */
  private slice(what: string, offset: bigint, size: bigint): Uint8Array {
    this.checkRange(what, offset, size);
    return this.bytes.subarray(Number(offset), Number(offset + size));
  }

  load(): LoadedImage {
    const b = this.bytes;
    if (!isElf(b)) this.fail('not an ELF file (bad magic)');
    if (b.length < 16) this.fail(`truncated ELF identification (file size ${hex(b.length)} < 0x10)`);
    const cls = b[4]!;
    const data = b[5]!;
    if (cls === ELFCLASS32) {
      const machine = b.length >= 20 ? (data === ELFDATA2MSB ? (b[18]! << 8) | b[19]! : b[18]! | (b[19]! << 8)) : -1;
      const what = machine >= 0 ? `, e_machine ${machine}${MACHINE_NAMES[machine] ? `, ${MACHINE_NAMES[machine]}` : ''}` : '';
      this.fail(`32-bit ELF (ELFCLASS32${what}); only 64-bit AArch64 ELF files (ELFCLASS64) can be loaded`);
    }
    if (cls !== ELFCLASS64) this.fail(`invalid ELF class ${cls} (expected 2, ELFCLASS64)`);
    if (data === ELFDATA2MSB) this.fail('big-endian ELF (ELFDATA2MSB, aarch64_be) is not supported; only little-endian AArch64');
    if (data !== ELFDATA2LSB) this.fail(`invalid ELF data encoding ${data} (expected 1, little-endian)`);
    if (b.length < EHDR64_SIZE) this.fail(`truncated ELF header (file size ${hex(b.length)} < ${hex(EHDR64_SIZE)})`);

    const type = this.u16(16);
    const machine = this.u16(18);
    if (machine !== EM_AARCH64) {
      this.fail(`not an AArch64 ELF (e_machine ${machine}${MACHINE_NAMES[machine] ? `, ${MACHINE_NAMES[machine]}` : ''})`);
    }
    if (type === ET_REL) this.fail('relocatable object file (ET_REL), not an executable; link it first');
    if (type === ET_CORE) this.fail('core dump (ET_CORE), not an executable');
    if (type !== ET_EXEC && type !== ET_DYN) this.fail(`unsupported ELF type ${type} (expected ET_EXEC 2 or ET_DYN 3)`);

    const entry = this.u64(24);
    const phoff = this.u64(32);
    const shoff = this.u64(40);
    const phentsize = this.u16(54);
    let phnum = this.u16(56);
    const shentsize = this.u16(58);
    let shnum = this.u16(60);
    let shstrndx = this.u16(62);

    // Section header 0 holds the real counts when they do not fit the 16-bit header fields.
    let sh0: RawSectionHeader | undefined;
    if (shoff !== 0n) {
      if (shentsize < SHDR64_SIZE) this.fail(`e_shentsize ${shentsize} is smaller than an ELF64 section header (64)`);
      this.checkRange('section header 0', shoff, BigInt(SHDR64_SIZE));
      sh0 = this.readSectionHeader(Number(shoff));
      if (shnum === 0) {
        if (sh0.size > 0xffffffn) this.fail(`section count ${hex(sh0.size)} (from section header 0) is implausible`);
        shnum = Number(sh0.size);
      }
      if (shstrndx === SHN_XINDEX) shstrndx = sh0.link;
      if (phnum === PN_XNUM) phnum = sh0.info;
    } else {
      shnum = 0;
    }

    const segments = this.readSegments(phoff, phnum, phentsize);
    const sections = this.readSections(shoff, shnum, shentsize, shstrndx);
    const symbols = this.readSymbols(sections);

    let physEntry = entry;
    for (const s of segments) {
      if (entry >= s.vaddr && entry < s.vaddr + s.memsz) {
        physEntry = entry - s.vaddr + s.paddr;
        break;
      }
    }
    return {
      kind: 'elf',
      fileName: this.fileName,
      entry,
      physEntry,
      segments,
      symbols,
      sections,
      elfType: type === ET_EXEC ? 'exec' : 'dyn',
    };
  }

  private readSegments(phoff: bigint, phnum: number, phentsize: number): Segment[] {
    if (phnum === 0) return [];
    if (phentsize < PHDR64_SIZE) this.fail(`e_phentsize ${phentsize} is smaller than an ELF64 program header (56)`);
    this.checkRange(`program header table (${phnum} entries of ${phentsize} bytes)`, phoff, BigInt(phnum) * BigInt(phentsize));
    const segments: Segment[] = [];
    for (let i = 0; i < phnum; i++) {
      const at = Number(phoff) + i * phentsize;
      if (this.u32(at) !== PT_LOAD) continue;
      const flags = this.u32(at + 4);
      const offset = this.u64(at + 8);
      const vaddr = this.u64(at + 16);
      const paddr = this.u64(at + 24);
      const filesz = this.u64(at + 32);
      const memsz = this.u64(at + 40);
      if (filesz > memsz) this.fail(`program header ${i}: p_filesz ${hex(filesz)} > p_memsz ${hex(memsz)}`);
      if (vaddr + memsz > 1n << 64n || paddr + memsz > 1n << 64n) {
        this.fail(`program header ${i} wraps past the top of the 64-bit address space (vaddr ${hex(vaddr)}, paddr ${hex(paddr)}, memsz ${hex(memsz)})`);
      }
      const data = this.slice(`program header ${i}`, offset, filesz);
      if (memsz === 0n) continue;
      segments.push({ vaddr, paddr, data, memsz, flags });
    }
    return segments;
  }

  private readSectionHeader(at: number): RawSectionHeader {
    return {
      name: this.u32(at),
      type: this.u32(at + 4),
      flags: this.u64(at + 8),
      addr: this.u64(at + 16),
      offset: this.u64(at + 24),
      size: this.u64(at + 32),
      link: this.u32(at + 40),
      info: this.u32(at + 44),
      addralign: this.u64(at + 48),
      entsize: this.u64(at + 56),
    };
  }

  private readSections(shoff: bigint, shnum: number, shentsize: number, shstrndx: number): Section[] {
    if (shnum === 0) return [];
    this.checkRange(`section header table (${shnum} entries of ${shentsize} bytes)`, shoff, BigInt(shnum) * BigInt(shentsize));
    const raw: RawSectionHeader[] = [];
    for (let i = 0; i < shnum; i++) raw.push(this.readSectionHeader(Number(shoff) + i * shentsize));

    const sections: Section[] = raw.map((h, index) => {
      const hasData = h.type !== SHT_NOBITS && h.type !== SHT_NULL;
      const data = hasData ? this.slice(`section ${index}`, h.offset, h.size) : new Uint8Array(0);
      return { index, name: '', type: h.type, flags: h.flags, addr: h.addr, offset: h.offset, size: h.size,
        link: h.link, info: h.info, addralign: h.addralign, entsize: h.entsize, data };
    });

    if (shstrndx !== SHN_UNDEF) {
      if (shstrndx >= shnum) this.fail(`e_shstrndx ${shstrndx} is out of range (${shnum} sections)`);
      const names = sections[shstrndx]!;
      const strtab = this.stringTable(names, 'section name string table');
      for (const s of sections) s.name = this.readString(strtab, raw[s.index]!.name, `section ${s.index} name`, 'section name string table');
    }
    return sections;
  }

  /** Validates a string table section (STRTAB, NUL-terminated) and returns its bytes. */
  private stringTable(section: Section, what: string): Uint8Array {
    if (section.type !== SHT_STRTAB) this.fail(`${what} (section ${section.index}) has type ${section.type}, not SHT_STRTAB`);
    const d = section.data;
    if (d.length > 0 && d[d.length - 1] !== 0) this.fail(`${what} (section ${section.index}) is not NUL-terminated`);
    return d;
  }

  private readString(table: Uint8Array, off: number, what: string, tableName: string): string {
    if (off === 0) return '';
    if (off >= table.length) this.fail(`${what}: offset ${hex(off)} is past the end of the ${tableName} (size ${hex(table.length)})`);
    const end = table.indexOf(0, off);
    return utf8.decode(table.subarray(off, end));
  }

  private readSymbols(sections: Section[]): Sym[] {
    const symtab = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
    if (!symtab) return [];
    const tabName = symtab.name || `section ${symtab.index}`;
    if (symtab.entsize !== 0n && symtab.entsize !== BigInt(SYM64_SIZE)) {
      this.fail(`${tabName}: sh_entsize ${symtab.entsize} is not 24 (ELF64 symbol size)`);
    }
    if (symtab.size % BigInt(SYM64_SIZE) !== 0n) this.fail(`${tabName}: size ${hex(symtab.size)} is not a multiple of 24`);
    if (symtab.link === 0 || symtab.link >= sections.length) this.fail(`${tabName}: sh_link ${symtab.link} is not a valid string table index`);
    const strSection = sections[symtab.link]!;
    const strName = strSection.name || `section ${strSection.index}`;
    const strtab = this.stringTable(strSection, strName);

    const symbols: Sym[] = [];
    const count = Number(symtab.size) / SYM64_SIZE;
    const base = Number(symtab.offset);
    for (let i = 1; i < count; i++) {
      const at = base + i * SYM64_SIZE;
      const info = this.bytes[at + 4]!;
      const shndx = this.u16(at + 6);
      if (shndx === SHN_UNDEF) continue;
      const type = SYM_TYPES[info & 0xf] ?? 'other';
      let name = this.readString(strtab, this.u32(at), `${tabName} symbol ${i} name`, strName);
      if (type === 'section' && name === '' && shndx < sections.length) name = sections[shndx]!.name;
      symbols.push({
        name,
        value: this.u64(at + 8),
        size: this.u64(at + 16),
        type,
        binding: SYM_BINDINGS[info >> 4] ?? 'other',
        shndx,
      });
    }
    return symbols;
  }
}
