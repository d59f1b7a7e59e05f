// Shared machinery of the objdump oracle tests for instruction classes: random words for a row (with the
// register fields biased toward the coincidences CONSTRAINED UNPREDICTABLE and alias rules hinge on),
// exhaustive field sweeps, and a comparison that sorts every word into one of four outcomes:
//   match         we and objdump print the same text (both '.inst ... ; undefined' included)
//   mismatch      we decode it and print something else, or decode what objdump calls undefined
//   outOfScope    objdump decodes a word we leave undecoded, and the caller says it is outside the class
//                 being tested (FP/SIMD, atomics, exclusives...): counted per category and mnemonic, not
//                 a failure
//   missing       objdump decodes a word we leave undecoded, inside the class: a failure
import { ROWS, decode } from '../../src/emu/isa/decoder';
import { disassemble } from '../../src/emu/isa/disasm';
import { normalize, objdumpWords } from './objdump';

export const BASE = 0x40080000n;

type Row = (typeof ROWS)[number];

export { rng } from './rng';

function field(row: Row, name: string) {
  return row.p.fields.find((x) => x.name === name);
}

function put(row: Row, w: number, name: string, v: number): number {
  const s = field(row, name);
  if (!s) return w;
  const m = ((2 ** s.width - 1) * 2 ** s.lsb) >>> 0;
  return ((w & ~m) | ((v * 2 ** s.lsb) & m)) >>> 0;
}

function get(row: Row, w: number, name: string): number | undefined {
  const s = field(row, name);
  return s ? Math.floor(w / 2 ** s.lsb) % 2 ** s.width : undefined;
}

/** Random word matching a row: fields uniform, often an edge value, registers often equal to each other. */
export function biasedWord(row: Row, next: () => number): number {
  let w = ((next() & ~row.p.mask) | row.p.value) >>> 0;
  for (const s of row.p.fields) {
    if (next() % 4 !== 0) continue;
    const max = 2 ** s.width - 1;
    const edges = [0, max, 1, max - 1, 2 ** (s.width - 1), 2 ** (s.width - 1) - 1, 31, 30].filter((v) => v <= max);
    w = put(row, w, s.name, edges[next() % edges.length]);
  }
  const regs = ['Rt', 'Rt2', 'Rn', 'Rm', 'Rd'].filter((r) => field(row, r));
  if (regs.length >= 2 && next() % 3 === 0) {
    const a = regs[next() % regs.length];
    const b = regs[next() % regs.length];
    w = put(row, w, b, get(row, w, a)!);
  }
  return w;
}

/** Every value of the `sweep` fields of a row, for each assignment of other fields in `fixed`. */
export function sweepRow(id: string, sweep: string[], fixed: Record<string, number>[] = [{}]): number[] {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id}`);
  for (const n of [...sweep, ...fixed.flatMap((f) => Object.keys(f))]) if (!field(row, n)) throw new Error(`${id} has no field ${n}`);
  const bits = sweep.reduce((a, n) => a + field(row, n)!.width, 0);
  const out: number[] = [];
  for (const fx of fixed) {
    let base = row.p.value;
    for (const [name, v] of Object.entries(fx)) base = put(row, base, name, v);
    for (let k = 0; k < 2 ** bits; k++) {
      let w = base;
      let rest = k;
      for (const n of sweep) {
        const width = field(row, n)!.width;
        w = put(row, w, n, rest % 2 ** width);
        rest = Math.floor(rest / 2 ** width);
      }
      out.push(w);
    }
  }
  return out;
}

const NOP = 0xd503201f;

/**
 * objdump's text per word. objdump -D replaces a run of zero words by '...', so each zero word is sent
 * followed by a NOP, which keeps it on its own line; addresses are kept (the disassembly of PC-relative
 * words depends on them) by placing every word at BASE + 4 * index and the NOPs in between.
 */
function objdumpSeparated(words: number[]): string[] {
  if (!words.includes(0)) return objdumpWords(words, BASE);
  // Disassemble the zero words apart, each followed by a NOP: udf is not PC-relative, so its address
  // does not matter.
  const out = objdumpWords(words.map((w) => (w === 0 ? NOP : w)), BASE);
  const zeros = objdumpWords([0, NOP], BASE);
  return words.map((w, i) => (w === 0 ? zeros[0] : out[i]));
}

export interface OracleResult {
  compared: number;
  matches: number;
  /** Words both sides call undefined (part of matches). */
  bothUndefined: number;
  mismatches: string[];
  missing: string[];
  /** Out-of-scope words objdump decodes, per 'category: mnemonic'. */
  outOfScope: Map<string, number>;
  /** Mnemonics we printed for decoded words. */
  ourMnemonics: Set<string>;
}

/**
 * Disassembles `words` with objdump (one batch) and with us, and sorts them (see the file comment).
 * `outOfScope(word, mnemonic)` names the category (e.g. 'FP/SIMD') of a word objdump decodes and we do
 * not when it is outside the class under test, and returns undefined when it is inside.
 */
export function compareWithObjdump(words: number[], outOfScope: (word: number, mnemonic: string) => string | undefined): OracleResult {
  const theirs = objdumpSeparated(words);
  const res: OracleResult = {
    compared: words.length, matches: 0, bothUndefined: 0, mismatches: [], missing: [], outOfScope: new Map(), ourMnemonics: new Set(),
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const d = disassemble(w, BASE + BigInt(4 * i));
    const ours = normalize(d.text);
    const ref = normalize(theirs[i]);
    if (!ref) throw new Error(`objdump printed nothing for word ${i} (0x${w.toString(16)})`);
    const hex = `0x${w.toString(16).padStart(8, '0')}`;
    if (decode(w)) res.ourMnemonics.add(d.mnemonic);
    if (ours === ref) {
      res.matches++;
      if (!d.rowId) res.bothUndefined++;
      continue;
    }
    if (d.rowId) {
      res.mismatches.push(`${hex} ${d.rowId}: ours '${ours}' objdump '${ref}'`);
      continue;
    }
    const mnemonic = ref.split(' ')[0];
    const category = outOfScope(w, mnemonic);
    if (category !== undefined) {
      const key = `${category}: ${mnemonic}`;
      res.outOfScope.set(key, (res.outOfScope.get(key) ?? 0) + 1);
    } else {
      res.missing.push(`${hex}: undecoded by us, objdump '${ref}'`);
    }
  }
  return res;
}

/** One line of figures, and the first few problems, for the test log. */
export function report(label: string, r: OracleResult): void {
  const oos = [...r.outOfScope.entries()].sort((a, b) => b[1] - a[1]);
  const oosTotal = oos.reduce((a, [, n]) => a + n, 0);
  const byCategory = new Map<string, number>();
  for (const [k, n] of oos) byCategory.set(k.split(':')[0], (byCategory.get(k.split(':')[0]) ?? 0) + n);
  console.log(
    `${label}: ${r.compared} words compared, ${r.matches} match (${r.bothUndefined} undefined for both), ` +
      `${r.mismatches.length} mismatches, ${r.missing.length} in-scope words we do not decode, ` +
      `${oosTotal} out-of-scope words objdump decodes`,
  );
  if (oos.length) {
    console.log(`  out of scope by category: ${[...byCategory].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    console.log(`  out of scope by mnemonic: ${oos.slice(0, 60).map(([m, n]) => `${m} ${n}`).join(', ')}${oos.length > 60 ? ', ...' : ''}`);
  }
  for (const s of [...r.mismatches.slice(0, 10), ...r.missing.slice(0, 10)]) console.log(`  ${s}`);
}
