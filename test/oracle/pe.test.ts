// The PE32+ loader against GNU objdump (pei-aarch64-little) on the example UEFI loader built from
// examples/uefi-loader: headers, sections and every base relocation agree; laying the image out at another
// address applies exactly the DIR64 fix-ups; malformed images are refused with the file and the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parsePe, layoutPe, PeError } from '../../src/emu/loader/pe';
import { rng } from '../helpers/rng';

const EFI = 'examples/uefi-loader/BOOTAA64.EFI';

test('PE32+: headers, sections and base relocations agree with objdump -x', () => {
  const bytes = readFileSync(EFI);
  const pe = parsePe(bytes, EFI);
  const x = execFileSync('aarch64-linux-gnu-objdump', ['-x', EFI], { encoding: 'utf8' });
  const field = (name: string) => BigInt(`0x${new RegExp(`^${name}\\s+([0-9a-f]+)`, 'm').exec(x)![1]}`);
  assert.equal(pe.imageBase, field('ImageBase'));
  assert.equal(BigInt(pe.entryRva), field('AddressOfEntryPoint'));
  assert.equal(BigInt(pe.sizeOfImage), field('SizeOfImage'));
  assert.equal(BigInt(pe.sizeOfHeaders), field('SizeOfHeaders'));
  assert.equal(BigInt(pe.subsystem), field('Subsystem'));
  assert.equal(BigInt(pe.sectionAlignment), field('SectionAlignment'));
  const h = execFileSync('aarch64-linux-gnu-objdump', ['-h', EFI], { encoding: 'utf8' });
  const secs = [...h.matchAll(/^\s+\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)/gm)].map((m) => [m[1], Number(BigInt(`0x${m[3]}`) - pe.imageBase), Number(`0x${m[2]}`), Number(`0x${m[4]}`)]);
  // objdump's size is the initialised part: min(VirtualSize, SizeOfRawData)
  assert.deepEqual(pe.sections.map((s) => [s.name, s.rva, Math.min(s.virtualSize, s.rawSize), s.rawSize ? s.rawOffset : 0]), secs);
  const relocs = [...x.matchAll(/reloc\s+\d+\s+offset\s+[0-9a-f]+\s+\[([0-9a-f]+)\]\s+DIR64/g)].map((m) => Number(`0x${m[1]}`));
  assert.ok(relocs.length > 0, 'the example carries DIR64 relocations');
  assert.deepEqual(pe.dir64, relocs);
});

test('PE32+: layout at another base applies the DIR64 fix-ups and nothing else', () => {
  const bytes = readFileSync(EFI);
  const pe = parsePe(bytes, EFI);
  const at = (base: bigint) => layoutPe(bytes, pe, base);
  const same = at(pe.imageBase);
  const moved = at(0x4_0000_0000n);
  assert.equal(moved.entry, 0x4_0000_0000n + BigInt(pe.entryRva));
  const a = new DataView(same.bytes.buffer);
  const b = new DataView(moved.bytes.buffer);
  const fix = new Set(pe.dir64);
  for (const rva of pe.dir64) assert.equal(b.getBigUint64(rva, true) - a.getBigUint64(rva, true), 0x4_0000_0000n - pe.imageBase);
  for (let i = 0; i < same.bytes.length; i++) {
    if ([...fix].some((r) => i >= r && i < r + 8)) continue;
    if (same.bytes[i] !== moved.bytes[i]) assert.fail(`byte at RVA 0x${i.toString(16)} changed`);
  }
});

test('PE32+: malformed images are refused with the file and the problem; never another exception', () => {
  const good = readFileSync(EFI);
  const mut = (f: (b: Uint8Array, dv: DataView, pe: number) => void) => {
    const b = Uint8Array.from(good);
    const dv = new DataView(b.buffer);
    f(b, dv, dv.getUint32(0x3c, true));
    return b;
  };
  assert.throws(() => parsePe(good.subarray(0, 0x30), 'x.efi'), /x\.efi: truncated: the DOS header/);
  assert.throws(() => parsePe(mut((b) => (b[0] = 0)), 'x.efi'), /x\.efi: not a PE image/);
  assert.throws(() => parsePe(mut((_, dv, pe) => dv.setUint16(pe + 4, 0x8664, true)), 'x.efi'), /machine type 0x8664 is not AArch64/);
  assert.throws(() => parsePe(mut((_, dv, pe) => dv.setUint16(pe + 24, 0x10b, true)), 'x.efi'), /magic 0x10b is not PE32\+/);
  assert.throws(() => parsePe(mut((_, dv, pe) => dv.setUint32(pe + 24 + 16, 0x100000, true)), 'x.efi'), /AddressOfEntryPoint 0x100000 is outside the image/);
  const next = rng(7);
  for (let i = 0; i < 3000; i++) {
    const b = Uint8Array.from(good.subarray(0, next() % 2 ? good.length : next() % good.length));
    for (let k = 0; k < 1 + (next() % 6); k++) b[next() % Math.min(b.length, 0x600)] = next() & 0xff;
    try {
      const pe = parsePe(b, 'fuzz.efi');
      layoutPe(b, pe, 0x8000_0000n);
    } catch (e) {
      assert.ok(e instanceof PeError, `not a PeError: ${(e as Error).stack}`);
      assert.match((e as Error).message, /^fuzz\.efi: /);
    }
  }
});
