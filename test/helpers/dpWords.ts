// Random instruction words for the encoding-table tests: a deterministic PRNG, and words matching a row's
// pattern with the fields biased toward the values that alias choices and reserved encodings hinge on.
import type { Row } from '../../src/emu/isa/decoder';

export { rng } from './rng';

/** Random word for a row: literal bits fixed, each field uniform or (often) one of its edge values. */
export function biasedWord(row: Row, next: () => number): number {
  let w = ((next() & ~row.p.mask) | row.p.value) >>> 0;
  const put = (name: string, v: number): void => {
    const s = row.p.fields.find((x) => x.name === name);
    if (!s) return;
    const m = ((2 ** s.width - 1) * 2 ** s.lsb) >>> 0;
    w = ((w & ~m) | ((v * 2 ** s.lsb) & m)) >>> 0;
  };
  const get = (name: string): number | undefined => {
    const s = row.p.fields.find((x) => x.name === name);
    return s ? Math.floor(w / 2 ** s.lsb) % 2 ** s.width : undefined;
  };
  for (const s of row.p.fields) {
    if (next() % 4 !== 0) continue;
    const max = 2 ** s.width - 1;
    const edges = [0, max, 1, max - 1, 7, 15, 31, 32, 63, 30].filter((v) => v <= max);
    put(s.name, edges[next() % edges.length]);
  }
  // alias conditions that compare fields: Rn = Rm (ror, cinc, cneg...), imms + 1 = immr (lsl), imms < immr
  const rn = get('Rn');
  if (rn !== undefined && next() % 6 === 0) put('Rm', rn);
  const imms = get('imms');
  if (imms !== undefined && next() % 6 === 0) put('immr', imms + 1);
  return w;
}
