// Table lint and random-encoding fuzz: every row's pattern is well formed; every pair of rows whose patterns
// overlap declares which wins; random words matching a row decode back to that row (or to a row declared
// over it, or to UNDEF by its guard); disassembly never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode, ROW_BY_ID } from '../../src/emu/isa/decoder';
import { patternsOverlap } from '../../src/emu/isa/pattern';
import { disassemble } from '../../src/emu/isa/disasm';
import { HANDLERS } from '../../src/emu/isa/handlers';

import { rng } from '../helpers/rng';

function overrides(a: string, b: string, seen = new Set<string>()): boolean {
  if (seen.has(a)) return false;
  seen.add(a);
  const row = ROW_BY_ID.get(a)!;
  return (row.over ?? []).some((o) => o === b || overrides(o, b, seen));
}

test('every row has a handler and a well-formed pattern', () => {
  for (const r of ROWS) {
    assert.equal(typeof HANDLERS[r.id], 'function', `${r.id} has no handler`);
    assert.ok(r.arm.length > 0, `${r.id} has no Arm encoding id`);
  }
});

test('overlapping rows declare their precedence', () => {
  const missing: string[] = [];
  for (let i = 0; i < ROWS.length; i++) {
    for (let j = i + 1; j < ROWS.length; j++) {
      const a = ROWS[i];
      const b = ROWS[j];
      if (!patternsOverlap(a.p, b.p)) continue;
      if (!overrides(a.id, b.id) && !overrides(b.id, a.id)) missing.push(`${a.id} / ${b.id}`);
    }
  }
  assert.deepEqual(missing, [], 'undeclared overlaps');
});

test('random words matching each row decode to it and disassemble', () => {
  const next = rng(0x5eed);
  for (const r of ROWS) {
    let hits = 0;
    for (let k = 0; k < 300; k++) {
      const w = ((next() & ~r.p.mask) | r.p.value) >>> 0;
      const d = decode(w);
      const text = disassemble(w, 0x40080000n).text;
      assert.ok(text.length > 0);
      if (!d) {
        assert.ok(r.undef || ROWS.some((o) => o.id !== r.id && patternsOverlap(o.p, r.p)), `${r.id}: 0x${w.toString(16)} does not decode`);
        continue;
      }
      if (d.row.id === r.id) hits++;
      else assert.ok(overrides(d.row.id, r.id), `${r.id}: 0x${w.toString(16)} decoded as ${d.row.id}, which is not declared over it`);
      // the handler must build an executor for any decodable word without throwing
      assert.equal(typeof HANDLERS[d.row.id](d.f, { off: 0 }), 'function');
    }
    assert.ok(hits > 0, `${r.id}: no random word decoded to it`);
  }
});
