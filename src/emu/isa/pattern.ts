// Encoding patterns: the bit-pattern strings of the encoding table, e.g.
//   'sf:1 0 0 100010 sh:1 imm12:12 Rn:5 Rd:5'
// read most-significant bit first. A token is either literal bits ('0', '1', or 'x' for "any") or a named
// field 'name:width'. A pattern compiles to a mask/value pair (the literal bits) and a list of field
// extractors. Field names follow the Arm ARM (Rd, Rn, imm12, sf, ...).

export interface FieldSpec {
  readonly name: string;
  readonly lsb: number;
  readonly width: number;
}

export interface CompiledPattern {
  /** Bits fixed by the pattern. */
  readonly mask: number;
  /** Their values. */
  readonly value: number;
  readonly fields: readonly FieldSpec[];
}

export type Fields = Record<string, number>;

export function compilePattern(pattern: string): CompiledPattern {
  let pos = 32;
  let mask = 0;
  let value = 0;
  const fields: FieldSpec[] = [];
  for (const tok of pattern.trim().split(/\s+/)) {
    const named = /^([A-Za-z][A-Za-z0-9_]*):(\d+)$/.exec(tok);
    if (named) {
      const width = Number(named[2]);
      pos -= width;
      if (width < 1 || pos < 0) throw new Error(`pattern '${pattern}': field ${tok} does not fit`);
      if (fields.some((f) => f.name === named[1])) throw new Error(`pattern '${pattern}': field ${named[1]} twice`);
      fields.push({ name: named[1], lsb: pos, width });
      continue;
    }
    if (!/^[01x]+$/.test(tok)) throw new Error(`pattern '${pattern}': bad token '${tok}'`);
    for (const ch of tok) {
      pos -= 1;
      if (pos < 0) throw new Error(`pattern '${pattern}': more than 32 bits`);
      if (ch !== 'x') {
        mask |= 1 << pos;
        if (ch === '1') value |= 1 << pos;
      }
    }
  }
  if (pos !== 0) throw new Error(`pattern '${pattern}': ${32 - pos} bits, expected 32`);
  return { mask: mask >>> 0, value: value >>> 0, fields };
}

export function extractFields(p: CompiledPattern, word: number): Fields {
  const f: Fields = {};
  for (const s of p.fields) f[s.name] = s.width === 32 ? word >>> 0 : (word >>> s.lsb) & ((1 << s.width) - 1);
  return f;
}

/** True when some word matches both patterns. */
export function patternsOverlap(a: CompiledPattern, b: CompiledPattern): boolean {
  return ((a.value ^ b.value) & a.mask & b.mask) === 0;
}

/** Sign-extends the low `bits` bits of v to a JS number. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return bits >= 32 ? v | 0 : (v << s) >> s;
}
