// Conditions on exception breakpoint filters ("ITS MAPTI" with `DeviceID == 0x8 && EventID == 0`): a small
// expression language over the numeric fields of one event, parsed once when the filter is set and then
// evaluated on every event of its kind — by a closure tree, never by eval. Grammar (lowest precedence
// first):
//   or      := and ('||' and)*
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | compare
//   compare := primary (('==' | '!=' | '<' | '<=' | '>' | '>=') primary)?      (no chains: a < b < c)
//   primary := number | field | '(' or ')'
// Numbers are decimal or 0x hexadecimal (up to 2^53 - 1, exact in a double); field names are matched
// case-insensitively against the event's fields; a bare number or field is true when it is not zero.
// Every malformed condition gets a ConditionError whose message names the column and what was expected.

export class ConditionError extends Error {}

export interface CompiledCondition {
  /** The condition as written. */
  readonly source: string;
  /** The canonical names of the fields it reads. */
  readonly fields: readonly string[];
  test(values: Readonly<Record<string, number>>): boolean;
}

type Node = (v: Readonly<Record<string, number>>) => number;

interface Token {
  kind: 'num' | 'id' | 'op' | 'end';
  text: string;
  value?: number;
  /** 1-based column. */
  col: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'];
const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const col = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-f]+|\d+)(?![\w])/i.exec(text.slice(i));
    if (num) {
      const value = Number(BigInt(num[1]!));
      if (!Number.isSafeInteger(value)) throw new ConditionError(`column ${col}: the number ${num[1]} is too large (the largest is 0x1fffffffffffff)`);
      out.push({ kind: 'num', text: num[1]!, value, col });
      i += num[1]!.length;
      continue;
    }
    if (/\d/.test(ch)) {
      const bad = /^\w+/.exec(text.slice(i))![0];
      throw new ConditionError(`column ${col}: '${bad}' is not a number (write decimal, or hexadecimal as 0x1f)`);
    }
    const id = /^[A-Za-z_][\w]*/.exec(text.slice(i));
    if (id) {
      out.push({ kind: 'id', text: id[0], col });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, col });
      i += op.length;
      continue;
    }
    if (ch === '=') throw new ConditionError(`column ${col}: '=' is not an operator; compare with '=='`);
    if (ch === '&' || ch === '|') throw new ConditionError(`column ${col}: '${ch}' is not an operator; use '${ch}${ch}'`);
    throw new ConditionError(`column ${col}: unexpected character '${ch}'`);
  }
  out.push({ kind: 'end', text: '', col: text.length + 1 });
  return out;
}

/**
 * Parses a condition over the given field names (as the filter spells them). Throws ConditionError with a
 * message for the user when the text is malformed or names a field the event does not have.
 */
export function compileCondition(text: string, fieldNames: readonly string[]): CompiledCondition {
  const byLower = new Map(fieldNames.map((f) => [f.toLowerCase(), f]));
  const toks = tokenize(text);
  const used = new Set<string>();
  let p = 0;
  const peek = (): Token => toks[p]!;
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end of the condition' : `'${t.text}'`);
  const fail = (t: Token, expected: string): never => {
    throw new ConditionError(`column ${t.col}: expected ${expected}, found ${describe(t)}`);
  };
  const isOp = (t: Token, ...ops: string[]): boolean => t.kind === 'op' && ops.includes(t.text);

  function primary(): Node {
    const t = peek();
    if (t.kind === 'num') {
      p++;
      const v = t.value!;
      return () => v;
    }
    if (t.kind === 'id') {
      p++;
      const name = byLower.get(t.text.toLowerCase());
      if (name === undefined) {
        throw new ConditionError(`column ${t.col}: unknown field '${t.text}'; this filter's fields are ${fieldNames.join(', ') || '(none)'}`);
      }
      used.add(name);
      return (v) => v[name] ?? 0;
    }
    if (isOp(t, '(')) {
      p++;
      const inner = or();
      if (!isOp(peek(), ')')) fail(peek(), `')' to close the '(' at column ${t.col}`);
      p++;
      return inner;
    }
    return fail(t, 'a number, a field name or (');
  }

  function compare(): Node {
    const left = primary();
    const t = peek();
    if (t.kind !== 'op' || !(t.text in COMPARE)) return left;
    p++;
    const right = primary();
    const after = peek();
    if (after.kind === 'op' && after.text in COMPARE) {
      throw new ConditionError(`column ${after.col}: comparisons cannot be chained; join them with && or ||`);
    }
    const f = COMPARE[t.text]!;
    return (v) => (f(left(v), right(v)) ? 1 : 0);
  }

  function unary(): Node {
    if (isOp(peek(), '!')) {
      p++;
      const inner = unary();
      return (v) => (inner(v) === 0 ? 1 : 0);
    }
    return compare();
  }

  function and(): Node {
    let left = unary();
    while (isOp(peek(), '&&')) {
      p++;
      const l = left;
      const r = unary();
      left = (v) => (l(v) !== 0 && r(v) !== 0 ? 1 : 0);
    }
    return left;
  }

  function or(): Node {
    let left = and();
    while (isOp(peek(), '||')) {
      p++;
      const l = left;
      const r = and();
      left = (v) => (l(v) !== 0 || r(v) !== 0 ? 1 : 0);
    }
    return left;
  }

  if (peek().kind === 'end') throw new ConditionError('the condition is empty');
  const root = or();
  const rest = peek();
  if (isOp(rest, ')')) throw new ConditionError(`column ${rest.col}: this ')' closes no '('`);
  if (rest.kind !== 'end') fail(rest, 'an operator (==, !=, <, <=, >, >=, &&, ||) or the end');
  return { source: text, fields: [...used], test: (v) => root(v) !== 0 };
}
