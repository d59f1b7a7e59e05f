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

test('MTE tag arithmetic (IRG, GMI, SUBP, SUBPS/CMPP, ADDG, SUBG): registers and immediates, exhaustively', () => {
  requireObjdump();
  const words: number[] = [];
  const owner: string[] = [];
  const add = (id: string, ws: number[]): void => {
    words.push(...ws);
    for (let i = 0; i < ws.length; i++) owner.push(id);
  };
  // every Rd/Rn/Rm coincidence that touches 31 (SP or XZR) or repeats a register
  for (const id of ['IRG', 'GMI', 'SUBP', 'SUBPS']) {
    add(id, sweepRow(id, ['Rd', 'Rm'], [{ Rn: 31 }, { Rn: 0 }, { Rn: 30 }]));
    add(id, sweepRow(id, ['Rn'], [{ Rd: 31, Rm: 31 }, { Rd: 5, Rm: 31 }, { Rd: 31, Rm: 5 }]));
  }
  for (const id of ['ADDG', 'SUBG']) {
    add(id, sweepRow(id, ['uimm6', 'uimm4'], [{ Rd: 31, Rn: 31 }, { Rd: 1, Rn: 2 }]));
    add(id, sweepRow(id, ['Rd', 'Rn'], [{ uimm6: 1, uimm4: 15 }]));
  }
  // and the unallocated neighbours: the 2-source opcodes of the 64-bit forms with S = 0 and 1, and
  // ADDG/SUBG with op3 != 00 or S = 1, must be undefined for both (or decode to the same text)
  for (let opcode = 0; opcode < 64; opcode++) {
    for (const s of [0, 1]) {
      const w = (0x9ac00000 | (s << 29) | (3 << 16) | (opcode << 10) | (2 << 5) | 1) >>> 0;
      words.push(w);
      owner.push(`2src opcode ${opcode} S ${s}`);
    }
  }
  for (const base of [0x91800000, 0xd1800000, 0xb1800000, 0xf1800000, 0x11800000]) {
    for (const op3 of [0, 1, 2, 3]) {
      words.push((base | (5 << 16) | (op3 << 14) | (7 << 10) | (3 << 5) | 4) >>> 0);
      owner.push(`addg/subg space 0x${base.toString(16)} op3 ${op3}`);
    }
  }
  assert.equal(compare(words, owner, 'objdump-dp MTE'), 0);
});

test('PAuth (PAC*, AUT*, XPAC*, PACGA) and FEAT_CSSC rows: fields and the 1-source space, exhaustively', () => {
  requireObjdump();
  const words: number[] = [];
  const owner: string[] = [];
  const add = (id: string, ws: number[]): void => {
    words.push(...ws);
    for (let i = 0; i < ws.length; i++) owner.push(id);
  };
  for (const id of ['PAC_reg', 'AUT_reg']) {
    add(id, sweepRow(id, ['Z', 'D', 'B', 'Rn'], [{ Rd: 0 }, { Rd: 31 }]));
    add(id, sweepRow(id, ['Rd'], [{ Rn: 31 }, { Rn: 7 }]));
  }
  add('XPAC', sweepRow('XPAC', ['D', 'Rd'], [{}]));
  add('PACGA', sweepRow('PACGA', ['Rm', 'Rn'], [{ Rd: 31 }]));
  for (const id of ['SMAX_imm', 'UMAX_imm', 'SMIN_imm', 'UMIN_imm']) {
    add(id, sweepRow(id, ['sf', 'imm8'], [{ Rd: 31, Rn: 31 }, { Rd: 1, Rn: 2 }]));
  }
  for (const id of ['CTZ', 'CNT', 'ABS']) add(id, sweepRow(id, ['sf', 'Rn'], [{ Rd: 31 }, { Rd: 4 }]));
  // every 1-source opcode and opcode2 (bits 21:10) for both widths and S, with Rn = 31 and Rn = 3: what
  // objdump leaves undefined must be undefined for us
  for (let op = 0; op < 1 << 12; op++) {
    for (const top of [0x5ac00000, 0xdac00000, 0x7ac00000, 0xfac00000]) {
      for (const rn of [31, 3]) {
        words.push((top | (op << 10) | (rn << 5) | 2) >>> 0);
        owner.push(`1-source space 0x${top.toString(16)}`);
      }
    }
  }
  // the min/max immediate space: opc 0100..1111 and bit 22 = 0/1
  for (let opc = 0; opc < 16; opc++) {
    for (const top of [0, 0x80000000]) {
      for (const b22 of [0, 1]) {
        words.push((top | (0x23 << 23) | (b22 << 22) | (opc << 18) | (0x81 << 10) | (3 << 5) | 2) >>> 0);
        owner.push('min/max immediate space');
      }
    }
  }
  assert.equal(compare(words, owner, 'objdump-dp PAuth/CSSC'), 0);
});
