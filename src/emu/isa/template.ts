// Renders the assembly templates of the encoding table (syntax documented on RowDef.asm in rowTypes.ts).
// Templates are parsed once per row into a list of parts.
import type { Fields } from './pattern';
import type { DisasmContext, OperandFn } from './rowTypes';
import { SHARED_OPS, wreg, xreg } from './operands';

type Part = string | ((f: Fields, ctx: DisasmContext) => string);

const cache = new Map<string, Part[]>();

/** `key` names the template's owner (row id, alias index) so parsed templates are cached per owner. */
export function renderTemplate(key: string, tpl: string, f: Fields, ctx: DisasmContext, ops?: Readonly<Record<string, OperandFn>>): string {
  let parts = cache.get(key);
  if (!parts) {
    parts = parseTemplate(tpl, ops);
    cache.set(key, parts);
  }
  let s = '';
  for (const p of parts) s += typeof p === 'string' ? p : p(f, ctx);
  return s;
}

export function parseTemplate(tpl: string, ops?: Readonly<Record<string, OperandFn>>): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      parts.push(tpl.slice(i));
      break;
    }
    if (open > i) parts.push(tpl.slice(i, open));
    const close = tpl.indexOf('}', open);
    if (close < 0) throw new Error(`template '${tpl}': unclosed {`);
    parts.push(placeholder(tpl, tpl.slice(open + 1, close), ops));
    i = close + 1;
  }
  return parts;
}

function placeholder(tpl: string, body: string, ops?: Readonly<Record<string, OperandFn>>): Part {
  if (body.startsWith('@')) {
    const name = body.slice(1);
    const fn = ops?.[name] ?? SHARED_OPS[name];
    if (!fn) throw new Error(`template '${tpl}': no operand function @${name}`);
    return fn;
  }
  if (body.startsWith('?')) {
    const colon = body.indexOf(':');
    const field = body.slice(1, colon);
    const text = body.slice(colon + 1);
    return (f) => (f[field] ? text : '');
  }
  const colon = body.indexOf(':');
  if (colon < 0) throw new Error(`template '${tpl}': bad placeholder {${body}}`);
  const kind = body.slice(0, colon);
  const field = body.slice(colon + 1);
  const need = (f: Fields): number => {
    const v = f[field];
    if (v === undefined) throw new Error(`template '${tpl}': no field ${field}`);
    return v;
  };
  switch (kind) {
    case 'X': return (f) => xreg(need(f), false);
    case 'W': return (f) => wreg(need(f), false);
    case 'R': return (f) => (f.sf ? xreg(need(f), false) : wreg(need(f), false));
    case 'XS': return (f) => xreg(need(f), true);
    case 'WS': return (f) => wreg(need(f), true);
    case 'RS': return (f) => (f.sf ? xreg(need(f), true) : wreg(need(f), true));
    case '#d': return (f) => `#${need(f)}`;
    case 'n': return (f) => String(need(f));
    case '#x': return (f) => `#0x${need(f).toString(16)}`;
    default: throw new Error(`template '${tpl}': unknown placeholder kind ${kind}`);
  }
}
