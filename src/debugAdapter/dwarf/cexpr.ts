// Watch and hover expressions in C over the selected frame: identifiers (locals and parameters, then
// globals, then ELF symbols as addresses), registers ($x0-$x30, $w0-$w30, $sp, $pc, $lr, $fp, and system
// registers by name: $sctlr_el1, $vbar_el1), integer
// literals, member access (a.b, p->c), indexing (arr[3], p[i]), unary * & - ~ !, casts to a named type
// with optional pointers ((uint32_t *)0x09000018, (struct point *)p), and + - * / % << >> & ^ | with C's
// pointer arithmetic. The result is a typed value (CValue, shown with its children) or a plain integer.

import { DW_AT, DW_TAG } from './constants';
import { Die } from './info';
import { childValues, memberValue, resolveType, scalarValue, typeSize, type CValue, type ValueReader } from './types';

export type ExprResult = { k: 'value'; v: CValue } | { k: 'int'; v: bigint };

export interface ExprScope extends ValueReader {
  /** A local, parameter or global by name. */
  variable(name: string): Promise<CValue | undefined>;
  /** A type by C spelling ('int', 'struct point'). */
  type(name: string): Die | undefined;
  symbol(name: string): bigint | undefined;
  /** $x0..$x30, $w0..$w30, $sp, $pc, $lr, $fp, $xzr, and system registers ($sctlr_el1). */
  registerByName(name: string): Promise<bigint | undefined>;
}

class PointerTo extends Die {
  constructor(private readonly target: Die | undefined, unit: Die['unit']) {
    super(unit, -1, DW_TAG.pointer_type, new Map([[DW_AT.byte_size, { k: 'num', v: 8 }]]), undefined);
  }

  override ref(at: number): Die | undefined {
    return at === DW_AT.type ? this.target : super.ref(at);
  }
}

const TOKEN = /\s*(0x[0-9a-f]+|0b[01]+|\d+|\$?[A-Za-z_]\w*|->|<<|>>|[-+*/%&|^~!()[\].])/iy;

export class CExpr {
  private toks: string[] = [];
  private i = 0;

  constructor(private readonly scope: ExprScope) {}

  async evaluate(text: string): Promise<ExprResult> {
    this.toks = tokenize(text);
    this.i = 0;
    const r = await this.binary(0);
    if (this.i < this.toks.length) throw new Error(`unexpected '${this.toks[this.i]}'`);
    return r;
  }

  private peek(): string | undefined {
    return this.toks[this.i];
  }

  private take(t?: string): string {
    const tok = this.toks[this.i];
    if (tok === undefined || (t !== undefined && tok !== t)) throw new Error(t ? `expected '${t}'` : 'unexpected end of expression');
    this.i++;
    return tok;
  }

  private static PREC: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

  private async binary(min: number): Promise<ExprResult> {
    let left = await this.unary();
    for (;;) {
      const op = this.peek();
      const p = op !== undefined ? CExpr.PREC[op] : undefined;
      if (p === undefined || p <= min) return left;
      this.take();
      const right = await this.binary(p);
      left = await this.arith(op!, left, right);
    }
  }

  private async arith(op: string, a: ExprResult, b: ExprResult): Promise<ExprResult> {
    const pa = a.k === 'value' ? resolveType(a.v.type) : undefined;
    if ((op === '+' || op === '-') && pa?.tag === DW_TAG.pointer_type) {
      const n = await this.int(b);
      const size = BigInt(typeSize(pa.ref(DW_AT.type)) || 1);
      const base = await this.int(a);
      return { k: 'value', v: { type: a.k === 'value' ? a.v.type : undefined, loc: { k: 'value', value: BigInt.asUintN(64, op === '+' ? base + n * size : base - n * size) } } };
    }
    const x = await this.int(a);
    const y = await this.int(b);
    let r: bigint;
    switch (op) {
      case '+': r = x + y; break;
      case '-': r = x - y; break;
      case '*': r = x * y; break;
      case '/': if (y === 0n) throw new Error('division by zero'); r = x / y; break;
      case '%': if (y === 0n) throw new Error('division by zero'); r = x % y; break;
      case '<<': r = x << y; break;
      case '>>': r = x >> y; break;
      case '&': r = x & y; break;
      case '^': r = x ^ y; break;
      default: r = x | y;
    }
    return { k: 'int', v: BigInt.asIntN(64, r) };
  }

  private async int(r: ExprResult): Promise<bigint> {
    if (r.k === 'int') return r.v;
    const t = resolveType(r.v.type);
    if (t?.tag === DW_TAG.array_type && r.v.loc.k === 'memory') return r.v.loc.address;
    const x = await scalarValue(r.v, this.scope);
    if (typeof x === 'string') throw new Error(x);
    return x;
  }

  /** A cast's type: a type name and stars, when the tokens at i spell one inside parentheses. */
  private castType(): Die | undefined | null {
    const save = this.i;
    if (this.peek() !== '(') return null;
    this.i++;
    let name = '';
    while (this.peek() && /^(struct|union|enum|const|volatile|unsigned|signed|[A-Za-z_]\w*)$/.test(this.peek()!) && !this.peek()!.startsWith('$')) {
      const w = this.take();
      if (w === 'const' || w === 'volatile') continue;
      name = name ? `${name} ${w}` : w;
    }
    let stars = 0;
    while (this.peek() === '*') {
      this.i++;
      stars++;
    }
    if (!name || this.peek() !== ')') {
      this.i = save;
      return null;
    }
    let t = name === 'void' ? undefined : this.scope.type(name);
    if (t === undefined && name !== 'void') {
      this.i = save;
      return null;
    }
    this.i++;
    const unit = t?.unit ?? this.anyUnit();
    for (let k = 0; k < stars; k++) t = new PointerTo(t, unit);
    if (!unit && stars) throw new Error('no debug information to build a pointer type');
    return t;
  }

  private anyUnit(): Die['unit'] {
    const t = this.scope.type('int') ?? this.scope.type('char');
    return t?.unit as Die['unit'];
  }

  private async unary(): Promise<ExprResult> {
    const tok = this.peek();
    if (tok === '(') {
      const cast = this.castType();
      if (cast !== null) {
        const v = await this.unary();
        const t = cast;
        if (v.k === 'value' && resolveType(t)?.tag !== DW_TAG.pointer_type && !isIntegral(t)) return { k: 'value', v: { type: t, loc: v.v.loc } };
        const x = await this.int(v);
        return { k: 'value', v: { type: t, loc: { k: 'value', value: BigInt.asUintN(64, x) } } };
      }
    }
    if (tok === '*') {
      this.take();
      const v = await this.unary();
      return this.deref(v);
    }
    if (tok === '&') {
      this.take();
      const v = await this.unary();
      if (v.k !== 'value' || v.v.loc.k !== 'memory') throw new Error('cannot take the address of that');
      return { k: 'value', v: { type: new PointerTo(v.v.type, (v.v.type ?? this.scope.type('int'))!.unit), loc: { k: 'value', value: v.v.loc.address } } };
    }
    if (tok === '-' || tok === '~' || tok === '!') {
      this.take();
      const x = await this.int(await this.unary());
      return { k: 'int', v: tok === '-' ? -x : tok === '~' ? ~x : x === 0n ? 1n : 0n };
    }
    return this.postfix(await this.primary());
  }

  private async deref(v: ExprResult): Promise<ExprResult> {
    if (v.k === 'int') {
      // A bare address: a 64-bit word, as the register-level evaluator reads it.
      const type = this.scope.type('long unsigned int') ?? this.scope.type('unsigned long');
      if (!type) throw new Error('no type to read that address as');
      return { k: 'value', v: { type, loc: { k: 'memory', address: BigInt.asUintN(64, v.v) } } };
    }
    const t = resolveType(v.v.type);
    if (t?.tag === DW_TAG.array_type) {
      const first = (await childValues(v.v, this.scope, 1))[0];
      if (!first) throw new Error('empty array');
      return { k: 'value', v: first.value };
    }
    if (t?.tag !== DW_TAG.pointer_type) throw new Error('not a pointer');
    const address = await this.int(v);
    return { k: 'value', v: { type: t.ref(DW_AT.type), loc: { k: 'memory', address } } };
  }

  private async postfix(v: ExprResult): Promise<ExprResult> {
    for (;;) {
      const tok = this.peek();
      if (tok === '.' || tok === '->') {
        this.take();
        const name = this.take();
        let base = v;
        if (tok === '->') base = await this.deref(v);
        if (base.k !== 'value') throw new Error(`'${name}': not a struct or union`);
        const st = resolveType(base.v.type);
        const m = st?.children.find((c) => c.tag === DW_TAG.member && c.name === name);
        if (!m) throw new Error(`no member '${name}'`);
        v = { k: 'value', v: memberValue(base.v, m) };
        continue;
      }
      if (tok === '[') {
        this.take();
        const idx = await this.int(await this.binary(0));
        this.take(']');
        v = await this.deref(await this.arith('+', await this.decay(v), { k: 'int', v: idx }));
        continue;
      }
      return v;
    }
  }

  /** An array becomes a pointer to its first element. */
  private async decay(v: ExprResult): Promise<ExprResult> {
    if (v.k !== 'value') return v;
    const t = resolveType(v.v.type);
    if (t?.tag !== DW_TAG.array_type) return v;
    if (v.v.loc.k !== 'memory') throw new Error('the array is not in memory');
    return { k: 'value', v: { type: new PointerTo(t.ref(DW_AT.type), t.unit), loc: { k: 'value', value: v.v.loc.address } } };
  }

  private async primary(): Promise<ExprResult> {
    const tok = this.take();
    if (tok === '(') {
      const v = await this.binary(0);
      this.take(')');
      return v;
    }
    if (/^(0x|0b|\d)/i.test(tok)) return { k: 'int', v: BigInt(tok.toLowerCase()) };
    if (tok.startsWith('$')) {
      const r = await this.scope.registerByName(tok.slice(1).toLowerCase());
      if (r === undefined) throw new Error(`unknown register '${tok}'`);
      return { k: 'int', v: r };
    }
    const v = await this.scope.variable(tok);
    if (v) return { k: 'value', v };
    const sym = this.scope.symbol(tok);
    if (sym !== undefined) return { k: 'int', v: sym };
    throw new Error(`no variable or symbol '${tok}'`);
  }
}

function isIntegral(t: Die | undefined): boolean {
  const d = resolveType(t);
  return !!d && (d.tag === DW_TAG.base_type || d.tag === DW_TAG.enumeration_type);
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  const src = text.trim();
  while (pos < src.length) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m || m.index !== pos) throw new Error(`cannot read '${src.slice(pos)}'`);
    out.push(m[1]!);
    pos = TOKEN.lastIndex;
    while (src[pos] === ' ') pos++;
  }
  return out;
}
