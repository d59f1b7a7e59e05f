// Oracle test of the data-processing disassembly against GNU objdump (binutils 2.40): for every row of the
// 'dpimm' and 'dpreg' classes, random words matching the row's pattern (fixed seed; register and immediate
// fields biased toward the values aliases and reserved encodings hinge on) are disassembled by us and by
// aarch64-linux-gnu-objdump in one batch and compared word for word, whitespace aside. A word objdump
// shows as '.inst ... ; undefined' must be undecodable for us too, and the other way round. The immediate
// fields of the logical-immediate, bitfield and extract rows (where the reserved encodings and the alias
// choices live) are also swept exhaustively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { disassemble } from '../../src/emu/isa/disasm';
import { normalize, objdumpWords, requireObjdump } from '../helpers/objdump';
import { biasedWord, rng } from '../helpers/dpWords';

const BASE = 0x40080000n;

const PER_ROW = Number(process.env.A64_DP_WORDS ?? 3000);

/** Compares our text with objdump's for `words` (owner[i] names the row the word was made for). */
function compare(words: number[], owner: string[], label: string): number {
  const theirs = objdumpWords(words, BASE);
  const bad = new Map<string, string[]>();
  for (let i = 0; i < words.length; i++) {
    const ours = normalize(disassemble(words[i], BASE + BigInt(4 * i)).text);
    const ref = normalize(theirs[i]);
    if (ours !== ref) {
      const list = bad.get(owner[i]) ?? [];
      list.push(`0x${words[i].toString(16).padStart(8, '0')}: ours '${ours}' objdump '${ref}'`);
      bad.set(owner[i], list);
    }
  }
  let total = 0;
  for (const [id, list] of bad) {
    total += list.length;
    console.log(`${id}: ${list.length} mismatches\n  ${list.slice(0, 6).join('\n  ')}`);
  }
  console.log(`${label}: ${new Set(owner).size} rows, ${words.length} words compared, ${total} mismatches`);
  return total;
}

/** Every value of the `sweep` fields of a row, once per assignment of the other fields in `fixed`. */
function sweepRow(id: string, sweep: string[], fixed: Record<string, number>[]): number[] {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id}`);
  const specs = sweep.map((n) => {
    const s = row.p.fields.find((x) => x.name === n);
    if (!s) throw new Error(`${id} has no field ${n}`);
    return s;
  });
  const bits = specs.reduce((a, s) => a + s.width, 0);
  const out: number[] = [];
  for (const fx of fixed) {
    let base = row.p.value;
    for (const [name, v] of Object.entries(fx)) {
      const s = row.p.fields.find((x) => x.name === name)!;
      base = (base | (v << s.lsb)) >>> 0;
    }
    for (let k = 0; k < 2 ** bits; k++) {
      let w = base;
      let rest = k;
      for (const s of specs) {
        w = (w | ((rest & ((1 << s.width) - 1)) << s.lsb)) >>> 0;
        rest >>>= s.width;
      }
      out.push(w);
    }
  }
  return out;
}

test('immediate fields of logical, bitfield and extract rows, exhaustively', () => {
  requireObjdump();
  const words: number[] = [];
  const owner: string[] = [];
  const add = (id: string, ws: number[]): void => {
    words.push(...ws);
    for (let i = 0; i < ws.length; i++) owner.push(id);
  };
  const regs = [{ Rd: 31, Rn: 31 }, { Rd: 3, Rn: 5 }, { Rd: 7, Rn: 31 }];
  for (const id of ['AND_imm', 'ORR_imm', 'EOR_imm', 'ANDS_imm', 'SBFM', 'BFM', 'UBFM']) {
    add(id, sweepRow(id, ['sf', 'N', 'immr', 'imms'], regs));
  }
  add('EXTR', sweepRow('EXTR', ['sf', 'N', 'imms', 'Rm'], [{ Rd: 1, Rn: 2 }, { Rd: 31, Rn: 31 }]));
  assert.equal(compare(words, owner, 'objdump-dp sweep'), 0);
});

test('data-processing disassembly matches objdump', () => {
  requireObjdump();
  const next = rng(0xd47a);
  const rows = ROWS.filter((r) => r.cls === 'dpimm' || r.cls === 'dpreg');
  const words: number[] = [];
  const owner: string[] = [];
  for (const r of rows) {
    for (let k = 0; k < PER_ROW; k++) {
      words.push(biasedWord(r, next));
      owner.push(r.id);
    }
  }
  assert.equal(compare(words, owner, 'objdump-dp random'), 0);
});
