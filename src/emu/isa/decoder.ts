// The decoder, built from the encoding table at load time. Rows are bucketed by bits [28:25] (the A64
// top-level "op0" group) and, within a bucket, ordered so that a row always comes before the rows it
// declares precedence over (`over`); rows that do not overlap may come in any order. The table lint test
// checks that every overlapping pair is declared, so the order never decides by accident.
import { compilePattern, extractFields, type CompiledPattern, type Fields } from './pattern';
import type { RowDef } from './rowTypes';
import { TABLE, type RowId } from './table';

export interface Row extends RowDef {
  readonly id: RowId;
  readonly index: number;
  readonly p: CompiledPattern;
}

export interface Decoded {
  readonly row: Row;
  readonly f: Fields;
}

export const ROWS: readonly Row[] = (TABLE as readonly RowDef[]).map((d, index) => ({
  ...d,
  id: d.id as RowId,
  index,
  p: compilePattern(d.pattern),
}));

export const ROW_BY_ID: ReadonlyMap<string, Row> = new Map(ROWS.map((r) => [r.id, r]));

/** Rows ordered so that each comes before every row it takes precedence over. */
function precedenceOrder(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  const state = new Map<string, 1 | 2>();
  const overriders = new Map<string, Row[]>();
  for (const r of rows) {
    for (const o of r.over ?? []) {
      if (!ROW_BY_ID.has(o)) throw new Error(`encoding table: ${r.id} is declared over unknown row ${o}`);
      const list = overriders.get(o) ?? [];
      list.push(r);
      overriders.set(o, list);
    }
  }
  const visit = (r: Row): void => {
    const s = state.get(r.id);
    if (s === 2) return;
    if (s === 1) throw new Error(`encoding table: precedence cycle through ${r.id}`);
    state.set(r.id, 1);
    for (const o of overriders.get(r.id) ?? []) visit(o);
    state.set(r.id, 2);
    out.push(r);
  };
  for (const r of rows) visit(r);
  return out;
}

const ORDER = precedenceOrder(ROWS);

const BUCKETS: Row[][] = Array.from({ length: 16 }, (_, b) => {
  const word = b << 25;
  const bits = 0xf << 25;
  return ORDER.filter((r) => ((r.p.value ^ word) & r.p.mask & bits) === 0);
});

if (new Set(ROWS.map((r) => r.id)).size !== ROWS.length) throw new Error('encoding table: duplicate row id');

/** Decodes a word; null when no row matches or the matching row's UNDEF guard rejects the fields. */
export function decode(word: number): Decoded | null {
  const w = word >>> 0;
  const cands = BUCKETS[(w >>> 25) & 0xf];
  for (let i = 0; i < cands.length; i++) {
    const row = cands[i];
    if (((w & row.p.mask) >>> 0) === row.p.value) {
      const f = extractFields(row.p, w);
      if (row.undef?.(f)) return null;
      return { row, f };
    }
  }
  return null;
}
