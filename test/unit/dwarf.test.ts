// The DWARF reader's pieces without external tools: LEB128 against the examples of the DWARF 5 standard
// (section 7.6, tables 7.6 and 7.7), the expression evaluator on hand-assembled expressions (registers,
// frame base, pieces, stack values, branches, entry values), and bad input: every truncation and a
// sweep of corrupted bytes of a real fixture's DWARF sections load without throwing (problems become notes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadKernel } from '../../src/emu/index';
import { DebugInfo, sectionsOf } from '../../src/debugAdapter/dwarf/debugInfo';
import { evalLocation, type ExprContext } from '../../src/debugAdapter/dwarf/location';
import { ByteReader, DwarfError } from '../../src/debugAdapter/dwarf/reader';

test('LEB128: the DWARF 5 examples', () => {
  const u: [number[], number][] = [[[2], 2], [[127], 127], [[0x80, 1], 128], [[0x81, 1], 129], [[0x82, 1], 130], [[0xb9, 0x64], 12857]];
  for (const [bytes, v] of u) {
    assert.equal(new ByteReader(Uint8Array.from(bytes)).uleb(), v);
    assert.equal(new ByteReader(Uint8Array.from(bytes)).ulebBig(), BigInt(v));
  }
  const s: [number[], number][] = [[[2], 2], [[0x7e], -2], [[0xff, 0], 127], [[0x81, 0x7f], -127], [[0x80, 1], 128], [[0x80, 0x7f], -128], [[0x81, 1], 129], [[0xff, 0x7e], -129]];
  for (const [bytes, v] of s) {
    assert.equal(new ByteReader(Uint8Array.from(bytes)).sleb(), v);
    assert.equal(new ByteReader(Uint8Array.from(bytes)).slebBig(), BigInt(v));
  }
  assert.equal(new ByteReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).ulebBig(), 0xffffffffffffffffn);
  assert.throws(() => new ByteReader(Uint8Array.from([0x80])).uleb(), DwarfError);
});

const ctx = (regs: Record<number, bigint>, mem: Record<string, bigint> = {}, extra: Partial<ExprContext> = {}): ExprContext => ({
  reg: (n) => regs[n],
  read: async (a) => mem[a.toString(16)],
  ...extra,
});
const E = (...b: number[]): Uint8Array => Uint8Array.from(b);

test('expressions: registers, breg, fbreg, call_frame_cfa, deref, stack_value, pieces, branches, entry values', async () => {
  assert.deepEqual(await evalLocation(E(0x50 + 3), ctx({})), { k: 'register', reg: 3 }); // DW_OP_reg3
  assert.deepEqual(await evalLocation(E(0x90, 40), ctx({})), { k: 'register', reg: 40 }); // DW_OP_regx 40
  // DW_OP_breg31 -16 (sp - 16)
  assert.deepEqual(await evalLocation(E(0x8f, 0x70), ctx({ 31: 0x1000n })), { k: 'memory', address: 0xff0n });
  // DW_OP_fbreg -20 with frame base = DW_OP_call_frame_cfa
  assert.deepEqual(await evalLocation(E(0x91, 0x6c), ctx({}, {}, { frameBase: async () => 0x2000n })), { k: 'memory', address: 0x2000n - 20n });
  assert.deepEqual(await evalLocation(E(0x9c), ctx({}, {}, { cfa: 0x3000n })), { k: 'memory', address: 0x3000n });
  // DW_OP_breg0 0; DW_OP_deref; DW_OP_stack_value
  assert.deepEqual(await evalLocation(E(0x70, 0, 0x06, 0x9f), ctx({ 0: 0x40n }, { 40: 0x1234n })), { k: 'value', value: 0x1234n });
  // DW_OP_lit5 DW_OP_lit3 DW_OP_minus DW_OP_stack_value
  assert.deepEqual(await evalLocation(E(0x35, 0x33, 0x1c, 0x9f), ctx({})), { k: 'value', value: 2n });
  // DW_OP_lit1 DW_OP_bra +1 DW_OP_lit9 DW_OP_lit7 DW_OP_stack_value: branch taken over lit9
  assert.deepEqual(await evalLocation(E(0x31, 0x28, 1, 0, 0x39, 0x37, 0x9f), ctx({})), { k: 'value', value: 7n });
  // DW_OP_reg1 DW_OP_piece 4 DW_OP_breg31 8 DW_OP_piece 4
  assert.deepEqual(await evalLocation(E(0x51, 0x93, 4, 0x8f, 8, 0x93, 4), ctx({ 31: 0x100n })), {
    k: 'pieces', pieces: [{ loc: { k: 'register', reg: 1 }, size: 4 }, { loc: { k: 'memory', address: 0x108n }, size: 4 }],
  });
  // DW_OP_entry_value(DW_OP_reg0) DW_OP_stack_value: unavailable, not an error
  const ev = await evalLocation(E(0xa3, 1, 0x50, 0x9f), ctx({}));
  assert.equal(ev.k, 'unavailable');
  // A register the frame does not know, and an empty expression.
  assert.equal((await evalLocation(E(0x73, 0), ctx({}))).k, 'unavailable');
  assert.deepEqual(await evalLocation(E(), ctx({})), { k: 'unavailable', why: 'optimized out' });
  await assert.rejects(evalLocation(E(0xfe), ctx({})), DwarfError);
});

test('bad input: truncated and corrupted DWARF sections load with notes, never throw', () => {
  const elf = 'test/fixtures/kernels/dwarf/dwarf_O2.elf';
  const img = loadKernel(new Uint8Array(readFileSync(elf)), elf, { ramBase: 0x40000000n });
  const sections = img.sections!.filter((s) => s.name.startsWith('.debug_') || s.name === '.eh_frame');
  const good = new DebugInfo(sectionsOf(sections));
  assert.deepEqual(good.notes, []);
  let noted = 0;
  for (const victim of sections) {
    for (const cut of [0, 1, 7, Math.floor(victim.data.length / 2), victim.data.length - 1]) {
      const list = sections.map((s) => (s === victim ? { ...s, data: s.data.subarray(0, cut) } : s));
      const di = new DebugInfo(sectionsOf(list));
      if (di.notes.length) noted++;
    }
    // Flip bytes across the section (a deterministic sweep).
    for (let i = 0; i < victim.data.length; i += Math.max(1, Math.floor(victim.data.length / 64))) {
      const copy = victim.data.slice();
      copy[i] = copy[i]! ^ 0xa5;
      const list = sections.map((s) => (s === victim ? { ...s, data: copy } : s));
      const di = new DebugInfo(sectionsOf(list));
      for (const f of di.functions.slice(0, 4)) di.scopesAt(f.start);
    }
  }
  assert.ok(noted > 0, 'truncations are reported');
});
