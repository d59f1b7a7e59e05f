// `a64 disasm FILE`: disassembles the executable sections of an ELF file in GNU objdump's `-d` layout, so
// the two can be compared line by line (whitespace aside). Follows objdump's conventions: a label line per
// symbol, `.word` for data marked by `$d` mapping symbols, `...` for runs of zero bytes, branch targets
// named after the nearest preceding symbol of the target's section.
import { readFileSync } from 'node:fs';
import { disassemble, loadKernel, LoaderError, type LoadedImage, type Section, type Sym } from '../emu';
import { UsageError } from './args';

const SHF_ALLOC = 2n;
const SHF_EXECINSTR = 4n;
const SKIP_ZEROES = 8;
const SKIP_ZEROES_AT_END = 3;

export function disasmCommand(argv: string[]): number {
  if (argv.length !== 1) throw new UsageError('disasm needs exactly one ELF file');
  const file = argv[0];
  let img: LoadedImage;
  try {
    const bytes = readFileSync(file);
    img = loadKernel(bytes, file, { ramBase: 0x40000000n, format: 'elf' });
  } catch (e) {
    if (e instanceof LoaderError || (e as NodeJS.ErrnoException).code) {
      process.stderr.write(`a64: ${(e as Error).message}\n`);
      return 126;
    }
    throw e;
  }
  process.stdout.write(objdumpText(img, file));
  return 0;
}

/** Symbol preference when several share an address: functions, then labels, then objects; global first. */
function rank(s: Sym): number {
  const t = s.type === 'func' ? 0 : s.type === 'notype' ? 1 : 2;
  const b = s.binding === 'global' ? 0 : s.binding === 'weak' ? 1 : 2;
  return t * 3 + b;
}

const isMapping = (n: string): boolean => /^\$[xd](\.|$)/.test(n);

export function objdumpText(img: LoadedImage, fileName: string): string {
  const sections = img.sections ?? [];
  const out: string[] = [`\n${fileName}:     file format elf64-littleaarch64\n\n`];
  // per section: sorted labels and mapping symbols
  const labelsBySection = new Map<number, Sym[]>();
  const mapsBySection = new Map<number, Sym[]>();
  for (const s of img.symbols) {
    if (s.type === 'file' || s.type === 'section' || s.name === '') continue;
    const target = isMapping(s.name) ? mapsBySection : labelsBySection;
    const list = target.get(s.shndx) ?? [];
    list.push(s);
    target.set(s.shndx, list);
  }
  for (const list of labelsBySection.values()) list.sort((a, b) => (a.value === b.value ? rank(a) - rank(b) : a.value < b.value ? -1 : 1));
  for (const list of mapsBySection.values()) list.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));

  // objdump names an address in an executable after the nearest preceding symbol of any section, and falls
  // back to the containing section's name when no symbol precedes it.
  const all = [...labelsBySection.values()].flat().sort((a, b) => (a.value === b.value ? rank(a) - rank(b) : a.value < b.value ? -1 : 1));
  const symbolize = (addr: bigint): string | undefined => {
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].value <= addr) lo = mid + 1;
      else hi = mid;
    }
    let i = lo - 1;
    while (i > 0 && all[i - 1].value === all[i].value) i--;
    // among symbols at one address, objdump prefers one whose size covers the target
    let best = i >= 0 ? all[i] : undefined;
    for (let k = i; k >= 0 && k < all.length && best && all[k].value === best.value; k++) {
      if (all[k].size > 0n && addr < all[k].value + all[k].size) {
        best = all[k];
        break;
      }
    }
    if (best) return addr === best.value ? best.name : `${best.name}+0x${(addr - best.value).toString(16)}`;
    const sec = sections.find((s) => s.flags & SHF_ALLOC && addr >= s.addr && addr < s.addr + s.size);
    if (!sec) return undefined;
    return addr === sec.addr ? sec.name : `${sec.name}+0x${(addr - sec.addr).toString(16)}`;
  };

  for (const sec of sections) {
    if (!(sec.flags & SHF_EXECINSTR) || !(sec.flags & SHF_ALLOC) || sec.type !== 1) continue;
    out.push(`\nDisassembly of section ${sec.name}:\n`);
    disassembleSection(sec, labelsBySection.get(sec.index) ?? [], mapsBySection.get(sec.index) ?? [], symbolize, out);
  }
  return out.join('');
}

function disassembleSection(sec: Section, labels: Sym[], maps: Sym[], symbolize: (a: bigint) => string | undefined, out: string[]): void {
  const end = sec.addr + sec.size;
  const width = Math.max(4, end.toString(16).length);
  // label addresses, one name per address (the preferred one)
  const starts: { addr: bigint; name: string }[] = [];
  for (const l of labels) {
    if (l.value < sec.addr || l.value >= end) continue;
    if (starts.length && starts[starts.length - 1].addr === l.value) continue;
    starts.push({ addr: l.value, name: l.name });
  }
  if (!starts.length || starts[0].addr !== sec.addr) starts.unshift({ addr: sec.addr, name: sec.name });
  const dataAt = (addr: bigint): boolean => {
    let kind = 'x';
    for (const m of maps) {
      if (m.value > addr) break;
      kind = m.name[1];
    }
    return kind === 'd';
  };
  const bytes = sec.data;
  const word = (off: number): number => (bytes[off] | (bytes[off + 1] << 8) | (bytes[off + 2] << 16) | (bytes[off + 3] << 24)) >>> 0;
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k].addr;
    const to = k + 1 < starts.length ? starts[k + 1].addr : end;
    out.push(`\n${from.toString(16).padStart(16, '0')} <${starts[k].name}>:\n`);
    let off = Number(from - sec.addr);
    const stop = Number(to - sec.addr);
    while (off < stop) {
      let z = off;
      while (z < stop && bytes[z] === 0) z++;
      if (z - off >= SKIP_ZEROES || (z === stop && z > off && z - off < SKIP_ZEROES_AT_END)) {
        out.push('\t...\n');
        off = z === stop ? z : off + ((z - off) & ~3);
        continue;
      }
      const addr = sec.addr + BigInt(off);
      const prefix = `${' '.repeat(4)}${addr.toString(16).padStart(width, ' ')}:\t`;
      if (stop - off < 4) {
        const rest = Array.from(bytes.subarray(off, stop), (b) => b.toString(16).padStart(2, '0')).join(' ');
        out.push(`${prefix}${rest}\t.byte\t${Array.from(bytes.subarray(off, stop), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}\n`);
        off = stop;
        continue;
      }
      const w = word(off);
      const hexw = w.toString(16).padStart(8, '0');
      const text = dataAt(addr) ? `.word\t0x${hexw}` : disassemble(w, addr, symbolize).text;
      out.push(`${prefix}${hexw} \t${text}\n`);
      off += 4;
    }
  }
}
