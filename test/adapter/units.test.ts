// Unit tests of the adapter's and the extension's pure pieces, without a DAP connection: the frame-pointer
// unwinder on synthetic stacks (prologue, epilogue and body windows, chain ends), the formatter, memory
// references and little-endian words, the kernel probe of the configuration provider and the UART
// terminal's text conversion. (Launch configuration checks: launchConfig.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unwind, isBl, isBlr, isFrameRecordPush, framePushOffset, type UnwindMemory } from '../../src/debugAdapter/unwind';
import type { TargetRegisters } from '../../src/debugAdapter/debugTarget';
import {
  formatPstate, hex64, hexAddr, instructionText, parseInteger, parseAddress, toBase64, fromBase64,
} from '../../src/debugAdapter/format';
import { referencedAddress, requireReferencedAddress, u32le, u64le } from '../../src/debugAdapter/memory';
import { isAarch64ElfHeader, isKernelCandidateName, rankKernels } from '../../src/extension/kernelProbe';
import { UartTextConverter } from '../../src/extension/uartText';

/** A little memory: 64-bit words and 32-bit instruction words at addresses; the rest is unreadable. */
class FakeMemory implements UnwindMemory {
  private readonly bytes = new Map<bigint, number>();
  constructor(private readonly syms: { name: string; start: bigint; size: bigint }[] = []) {}
  u64(a: bigint, v: bigint): this {
    for (let i = 0n; i < 8n; i++) this.bytes.set(a + i, Number((v >> (8n * i)) & 0xffn));
    return this;
  }
  u32(a: bigint, v: number): this {
    for (let i = 0; i < 4; i++) this.bytes.set(a + BigInt(i), (v >>> (8 * i)) & 0xff);
    return this;
  }
  read(address: bigint, length: number): (number | null)[] {
    return Array.from({ length }, (_, i) => this.bytes.get(address + BigInt(i)) ?? null);
  }
  symbolize(address: bigint): { name: string; start: bigint; offset: bigint } | undefined {
    const s = this.syms.find((x) => address >= x.start && address < x.start + x.size);
    return s && { name: s.name, start: s.start, offset: address - s.start };
  }
}

const STP_16 = 0xa9bf7bfd; // stp x29, x30, [sp, #-16]!
const STP_32 = 0xa9be7bfd; // stp x29, x30, [sp, #-32]!
const MOV_FP = 0x910003fd; // mov x29, sp
const RET = 0xd65f03c0;
const NOP = 0xd503201f;

function regs(pc: bigint, sp: bigint, fp: bigint, lr: bigint): TargetRegisters {
  const x = Array.from({ length: 31 }, () => 0n);
  x[29] = fp;
  x[30] = lr;
  return { x, sp, pc, pstate: 0x3c5, el: 1, spsel: 1 };
}

// main at 0x1000 calls f at 0x2000 (return address 0x1010); f calls g at 0x3000 (return address 0x2010).
const SYMS = [
  { name: 'main', start: 0x1000n, size: 0x100n },
  { name: 'f', start: 0x2000n, size: 0x100n },
  { name: 'g', start: 0x3000n, size: 0x100n },
];

function program(): FakeMemory {
  const m = new FakeMemory(SYMS);
  for (const [start, stp] of [[0x1000n, STP_32], [0x2000n, STP_16], [0x3000n, STP_16]] as const) {
    m.u32(start, stp).u32(start + 4n, MOV_FP).u32(start + 8n, NOP).u32(start + 12n, RET);
  }
  // Stack: main's record at 0x8fe0 (caller fp 0, ra 0 = end), f's at 0x8fd0 -> main, ra 0x1010.
  m.u64(0x8fe0n, 0n).u64(0x8fe8n, 0n);
  m.u64(0x8fd0n, 0x8fe0n).u64(0x8fd8n, 0x1010n);
  return m;
}

describe('unwind', () => {
  test('instruction word classes', () => {
    assert.ok(isBl(0x97fffff3));
    assert.ok(!isBl(0x17fffff8)); // b
    assert.ok(isBlr(0xd63f0020)); // blr x1
    assert.ok(!isBlr(0xd61f0020)); // br x1
    assert.ok(isFrameRecordPush(STP_16) && isFrameRecordPush(STP_32));
    assert.ok(!isFrameRecordPush(0xa90153f3)); // stp x19, x20, [sp, #16]
    assert.equal(framePushOffset(STP_32), -32);
  });

  test('in a function body the frame records give the callers', () => {
    // In g's body: g's record at 0x8fc0 -> f's record, ra 0x2010.
    const m = program().u64(0x8fc0n, 0x8fd0n).u64(0x8fc8n, 0x2010n);
    const f = unwind(regs(0x3008n, 0x8fc0n, 0x8fc0n, 0x2010n), m);
    assert.deepEqual(f.map((x) => x.location), ['g+0x8', 'f+0x10', 'main+0x10']);
    assert.deepEqual(f.map((x) => x.how), ['pc', 'frame-record', 'frame-record']);
    assert.equal(f[0]!.cfa, 0x8fd0n, 'caller SP is at least fp + 16');
  });

  test('at a function entry the return address is LR', () => {
    // At g's first instruction: SP = f's SP (0x8fd0), x29 = f's frame, LR = 0x2010.
    const f = unwind(regs(0x3000n, 0x8fd0n, 0x8fd0n, 0x2010n), program());
    assert.deepEqual(f.map((x) => x.location), ['g', 'f+0x10', 'main+0x10']);
    assert.equal(f[1]!.how, 'lr');
    assert.equal(f[0]!.cfa, 0x8fd0n, 'at entry the CFA is SP');
  });

  test('after stp but before mov x29, sp the return address is LR too', () => {
    const m = program().u64(0x8fc0n, 0x8fd0n).u64(0x8fc8n, 0x2010n);
    const f = unwind(regs(0x3004n, 0x8fc0n, 0x8fd0n, 0x2010n), m);
    assert.deepEqual(f.map((x) => x.location), ['g+0x4', 'f+0x10', 'main+0x10']);
    assert.equal(f[0]!.cfa, 0x8fd0n, 'CFA = SP + frame size of the stp');
  });

  test('at ret (after the epilogue) the return address is LR', () => {
    const f = unwind(regs(0x300cn, 0x8fd0n, 0x8fd0n, 0x2010n), program());
    assert.deepEqual(f.map((x) => x.location), ['g+0xc', 'f+0x10', 'main+0x10']);
  });

  test('the walk stops on null, unreadable, non-increasing or misaligned frame pointers and at the depth limit', () => {
    assert.equal(unwind(regs(0x3008n, 0x8fc0n, 0n, 0n), program()).length, 1, 'null fp');
    assert.equal(unwind(regs(0x3008n, 0x8fc0n, 0x7000n, 0n), program()).length, 1, 'fp below sp');
    assert.equal(unwind(regs(0x3008n, 0x8fc0n, 0x9000n, 0n), program()).length, 1, 'unreadable record');
    assert.equal(unwind(regs(0x3008n, 0x8fc0n, 0x8fc4n, 0n), program()).length, 1, 'misaligned fp');
    // A loop: the record points at itself.
    const loop = program().u64(0x8fc0n, 0x8fc0n).u64(0x8fc8n, 0x2010n);
    assert.equal(unwind(regs(0x3008n, 0x8fc0n, 0x8fc0n, 0n), loop).length, 2, 'non-increasing fp');
    const deep = program().u64(0x8fc0n, 0x8fd0n).u64(0x8fc8n, 0x2010n);
    assert.equal(unwind(regs(0x3008n, 0x8fc0n, 0x8fc0n, 0n), deep, 2).length, 2, 'depth limit');
  });

  test('frames without a symbol keep their address', () => {
    const m = program().u64(0x8fc0n, 0x8fd0n).u64(0x8fc8n, 0x5550n);
    const f = unwind(regs(0x3008n, 0x8fc0n, 0x8fc0n, 0n), m);
    assert.equal(f[1]!.pc, 0x5550n);
    assert.equal(f[1]!.location, undefined);
  });
});

describe('format', () => {
  test('registers, addresses, PSTATE', () => {
    assert.equal(hex64(0x40080000n), '0x0000000040080000');
    assert.equal(hex64(-1n), '0xffffffffffffffff');
    assert.equal(hexAddr(0x40080000n), '0x40080000');
    assert.equal(formatPstate(0x600003c5), 'NZCV=0110 DAIF=1111 EL1h');
    assert.equal(formatPstate(0x80000008), 'NZCV=1000 DAIF=0000 EL2t');
  });

  test('parsing numbers and memory references', () => {
    assert.equal(parseInteger('0x1F'), 31n);
    assert.equal(parseInteger('0b101'), 5n);
    assert.equal(parseInteger('1_000'), 1000n);
    assert.equal(parseInteger('-1'), -1n);
    assert.equal(parseInteger('x1'), undefined);
    assert.equal(parseAddress('-1'), 0xffffffffffffffffn);
  });

  test('instruction text and base64', () => {
    assert.equal(instructionText('bl\t40080050 <c>'), 'bl      40080050 <c>');
    assert.equal(instructionText('mov\tw19, #0x0\t// #0'), 'mov     w19, #0x0 // #0');
    assert.equal(instructionText('ret'), 'ret');
    const b = Uint8Array.from([0xd0, 0x0d, 0xfe, 0xed, 0]);
    assert.equal(toBase64(b), '0A3+7QA=');
    assert.deepEqual(fromBase64('0A3+7QA='), b);
  });
});

describe('memory', () => {
  test('memory references plus offsets wrap at 64 bits; other text is not a reference', () => {
    assert.equal(referencedAddress('0x40000000', 0x10), 0x40000010n);
    assert.equal(referencedAddress('0x0', -4n), 0xfffffffffffffffcn);
    assert.equal(referencedAddress('pc'), undefined);
    assert.throws(() => requireReferencedAddress('pc'), /'pc' is not a memory reference/);
  });

  test('little-endian words need every byte readable', () => {
    assert.equal(u32le([0x1f, 0x20, 0x03, 0xd5]), 0xd503201f);
    assert.equal(u64le([1, 2, 3, 4, 5, 6, 7, 0x80]), 0x8007060504030201n);
    assert.equal(u32le([0x1f, null, 0x03, 0xd5]), undefined);
    assert.equal(u64le([1, 2, 3]), undefined);
  });
});

describe('extension helpers', () => {
  test('AArch64 ELF header probe', () => {
    const h = new Uint8Array(20);
    h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    h[16] = 2;
    h[18] = 183;
    assert.ok(isAarch64ElfHeader(h));
    const x86 = h.slice();
    x86[18] = 62;
    assert.ok(!isAarch64ElfHeader(x86));
    const elf32 = h.slice();
    elf32[4] = 1;
    assert.ok(!isAarch64ElfHeader(elf32));
    assert.ok(!isAarch64ElfHeader(h.subarray(0, 19)));
  });

  test('kernel candidates and ranking', () => {
    assert.ok(isKernelCandidateName('kernel'));
    assert.ok(isKernelCandidateName('vmlinux'));
    assert.ok(isKernelCandidateName('app.axf'));
    assert.ok(!isKernelCandidateName('main.c'));
    const ranked = rankKernels([
      { path: '/w/old/k.elf', mtime: 1 },
      { path: '/w/src/build/k.elf', mtime: 1 },
      { path: '/w/new/k.elf', mtime: 5 },
    ], '/w/src/main.c');
    assert.deepEqual(ranked.map((k) => k.path), ['/w/src/build/k.elf', '/w/new/k.elf', '/w/old/k.elf']);
  });

  test('UART text: lone \\n becomes \\r\\n, \\r\\n stays, UTF-8 split across chunks', () => {
    const c = new UartTextConverter();
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    assert.equal(c.convert(enc('a\nb\r\nc\r')), 'a\r\nb\r\nc\r');
    assert.equal(c.convert(enc('\nd')), '\nd', 'the \\r of the previous chunk pairs with this \\n');
    const euro = enc('€');
    assert.equal(c.convert(euro.subarray(0, 1)), '');
    assert.equal(c.convert(euro.subarray(1)), '€');
  });
});
