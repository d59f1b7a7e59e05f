// Oracle test of the ELF loader against GNU binutils: builds a small kernel with aarch64-linux-gnu-gcc,
// linked at a high virtual address (0xffff800010080000, above 2**53) with a different load (physical)
// address, then checks every PT_LOAD segment, section header and symbol loadElf returns against what
// aarch64-linux-gnu-readelf prints, and SymbolTable against the function labels of objdump -d.
// Needs the Debian packages gcc-aarch64-linux-gnu and binutils-aarch64-linux-gnu.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadElf, loadKernel, SymbolTable, type LoadedImage } from '../../src/emu/loader/index';

const GCC = 'aarch64-linux-gnu-gcc';
const READELF = 'aarch64-linux-gnu-readelf';
const OBJDUMP = 'aarch64-linux-gnu-objdump';

function need(tool: string, pkg: string) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} not found: install the Debian package ${pkg} (apt-get install -y ${pkg})`);
  }
}

const START_S = `
  .section .text.boot, "ax"
  .global _start
_start:                        // an untyped label, as hand-written assembly has
  adrp x0, stack_top
  add  x0, x0, :lo12:stack_top
  mov  sp, x0
  bl   kmain
1: wfe
  b    1b
`;
const KMAIN_C = `
unsigned long counter;
const char banner[] = "hello from a64";
int table[16] = { 1, 2, 3 };
static unsigned char stack[4096] __attribute__((aligned(16)));
void *stack_top = stack + sizeof stack;
__attribute__((noinline)) unsigned long add(unsigned long a, unsigned long b) { return a + b; }
__attribute__((noinline)) static int local_helper(int x) { return table[x & 15] * 3; }
void kmain(void) { for (int i = 0; i < 100; i++) counter = add(counter, (unsigned long)local_helper(i) + banner[i & 7]); }
`;
const LDS = `
ENTRY(_start)
PHDRS { text PT_LOAD FLAGS(5); data PT_LOAD FLAGS(6); }
SECTIONS {
  . = 0xffff800010080000;
  .text : AT(0x40080000) { *(.text.boot) *(.text*) } :text
  .rodata : ALIGN(64) { *(.rodata*) } :text
  .data : ALIGN(4096) { *(.data*) } :data
  .bss : { *(.bss*) *(COMMON) } :data
  /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
`;

let dir = '';
let elfPath = '';
let bytes: Uint8Array;
let img: LoadedImage;

before(() => {
  need(GCC, 'gcc-aarch64-linux-gnu');
  need(READELF, 'binutils-aarch64-linux-gnu');
  dir = mkdtempSync(join(tmpdir(), 'a64-loader-oracle-'));
  writeFileSync(join(dir, 'start.S'), START_S);
  writeFileSync(join(dir, 'kmain.c'), KMAIN_C);
  writeFileSync(join(dir, 'k.lds'), LDS);
  elfPath = join(dir, 'kernel.elf');
  execFileSync(GCC, ['-O2', '-ffreestanding', '-nostdlib', '-static', '-mcmodel=large', '-fno-pie', '-no-pie', '-g0',
    '-Wl,-T,' + join(dir, 'k.lds'), '-Wl,--build-id=none', '-o', elfPath, join(dir, 'start.S'), join(dir, 'kmain.c')]);
  bytes = new Uint8Array(readFileSync(elfPath));
  img = loadElf(bytes, 'kernel.elf');
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readelf(...args: string[]): string {
  return execFileSync(READELF, ['-W', ...args, elfPath], { encoding: 'utf8' });
}

test('entry point matches readelf -h (and is above 2**53)', () => {
  const m = /Entry point address:\s+0x([0-9a-f]+)/.exec(readelf('-h'));
  assert.ok(m, 'readelf -h printed an entry point');
  const entry = BigInt('0x' + m[1]);
  assert.ok(entry > 1n << 53n);
  assert.equal(img.entry, entry);
  assert.equal(img.physEntry, 0x40080000n, 'entry translated through the AT() load address');
});

test('PT_LOAD segments match readelf -l', () => {
  const rows = readelf('-l').split('\n').map((l) =>
    /^\s*LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([RWE ]+?)\s+0x[0-9a-f]+$/.exec(l)).filter((m) => m !== null);
  assert.ok(rows.length >= 2, 'expected at least two LOAD segments');
  const nonEmpty = rows.filter((m) => BigInt('0x' + m[5]) !== 0n);
  assert.equal(img.segments.length, nonEmpty.length);
  nonEmpty.forEach((m, i) => {
    const s = img.segments[i]!;
    const offset = Number('0x' + m[1]);
    assert.equal(s.vaddr, BigInt('0x' + m[2]), `segment ${i} vaddr`);
    assert.equal(s.paddr, BigInt('0x' + m[3]), `segment ${i} paddr`);
    assert.equal(BigInt(s.data.length), BigInt('0x' + m[4]), `segment ${i} filesz`);
    assert.equal(s.memsz, BigInt('0x' + m[5]), `segment ${i} memsz`);
    const f = m[6]!;
    assert.equal(s.flags, (f.includes('R') ? 4 : 0) | (f.includes('W') ? 2 : 0) | (f.includes('E') ? 1 : 0), `segment ${i} flags`);
    assert.deepEqual(s.data, bytes.subarray(offset, offset + s.data.length));
  });
});

test('section headers match readelf -S, including addralign and entsize', () => {
  const rows = readelf('-S').split('\n').map((l) =>
    /^\s*\[\s*(\d+)\]\s+(\S+)\s+(\S+)\s+([0-9a-f]{16})\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(l))
    .filter((m) => m !== null);
  const sections = img.sections!;
  assert.equal(rows.length, sections.length - 1, 'every section but the null one');
  const flagBits: Record<string, bigint> = { W: 1n, A: 2n, X: 4n, M: 0x10n, S: 0x20n, I: 0x40n };
  for (const m of rows) {
    const s = sections[Number(m[1])]!;
    assert.equal(s.name, m[2]);
    assert.equal(s.addr, BigInt('0x' + m[4]), `${s.name} addr`);
    assert.equal(s.offset, BigInt('0x' + m[5]), `${s.name} offset`);
    assert.equal(s.size, BigInt('0x' + m[6]), `${s.name} size`);
    assert.equal(s.entsize, BigInt('0x' + m[7]), `${s.name} entsize`);
    let flags = 0n;
    for (const c of m[8]!) flags |= flagBits[c] ?? 0n;
    assert.equal(s.flags, flags, `${s.name} flags`);
    assert.equal(s.link, Number(m[9]), `${s.name} link`);
    assert.equal(s.info, Number(m[10]), `${s.name} info`);
    assert.equal(s.addralign, BigInt(m[11]!), `${s.name} addralign`);
  }
  const text = sections.find((s) => s.name === '.text')!;
  assert.ok(text.addr > 1n << 53n);
  assert.equal(sections.find((s) => s.name === '.rodata')!.addralign, 64n);
});

test('symbols match readelf -s', () => {
  const types: Record<string, string> = { FUNC: 'func', OBJECT: 'object', NOTYPE: 'notype', SECTION: 'section', FILE: 'file' };
  const expected = readelf('-s').split('\n')
    .map((l) => /^\s*\d+:\s+([0-9a-f]{16})\s+(0x[0-9a-f]+|\d+)\s+(\w+)\s+(\w+)\s+\w+\s+(\w+)\s*(.*)$/.exec(l))
    .filter((m) => m !== null && m[5] !== 'UND')
    .map((m) => `${m![6]} ${BigInt('0x' + m![1]).toString(16)} ${BigInt(m![2]!)} ${types[m![3]!]} ${m![4]!.toLowerCase()}`);
  const actual = img.symbols.map((s) => `${s.name} ${s.value.toString(16)} ${s.size} ${s.type} ${s.binding}`);
  assert.ok(expected.length > 10, 'readelf listed the symbols');
  assert.deepEqual(actual, expected);
  const kmain = img.symbols.find((s) => s.name === 'kmain')!;
  assert.ok(kmain.value > 1n << 53n && kmain.size > 0n);
});

test('SymbolTable names every function label of objdump -d', () => {
  const table = new SymbolTable(img.symbols);
  const dis = execFileSync(OBJDUMP, ['-d', elfPath], { encoding: 'utf8' });
  const labels = [...dis.matchAll(/^([0-9a-f]{16}) <([^>]+)>:$/gm)];
  assert.ok(labels.length >= 4, 'objdump printed function labels');
  for (const [, addr, name] of labels) {
    assert.equal(table.format(BigInt('0x' + addr)), name, `label at ${addr}`);
  }
  const add = table.lookup('add')!;
  assert.equal(table.format(add.value + 4n), 'add+0x4');
  assert.equal(table.symbolizeData(table.lookup('table')!.value + 8n)?.name, 'table');
});

test('loadKernel recognises the ELF', () => {
  const k = loadKernel(bytes, 'kernel.elf', { ramBase: 0x40000000n });
  assert.equal(k.kind, 'elf');
  assert.equal(k.entry, img.entry);
});
