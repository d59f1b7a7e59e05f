// AML -> ASL disassembly for the ACPI viewer and `a64 acpi decode`: prints the tree from parse.ts as
// legacy (non-operator) ASL in the shape `iasl -dl` prints it — DefinitionBlock, Scope/Device/Method,
// Name with EisaId/Unicode/ToUUID/ResourceTemplate recognised where iasl recognises them, LNot(LEqual)
// folded into LNotEqual, Else { If } folded into ElseIf — so the two compare equal once comments and
// whitespace are removed. Never throws: undecodable AML is reported in `errors` and shown as a comment.
import { parseAml, type AmlNode, type FieldItem } from './parse';
import { resourceTemplateAsl } from './resourceAsl';
import { REGION_SPACES } from './ops';

const hx = (v: bigint | number, w: number) => '0x' + v.toString(16).toUpperCase().padStart(w, '0');

function intText(n: Extract<AmlNode, { k: 'int' }>): string {
  switch (n.enc) {
    case 'Zero': case 'One': case 'Ones': return n.enc;
    case 'byte': return hx(n.v, 2);
    case 'word': return hx(n.v, 4);
    case 'dword': return hx(n.v, 8);
    default: return hx(n.v, 16);
  }
}

function eisaIdText(v: number): string | null {
  const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  const c1 = (b[0] >> 2) & 0x1f;
  const c2 = ((b[0] & 3) << 3) | (b[1] >> 5);
  const c3 = b[1] & 0x1f;
  if (b[0] & 0x80 || !c1 || !c2 || !c3) return null;
  const letters = String.fromCharCode(c1 + 0x40, c2 + 0x40, c3 + 0x40);
  const num = ((b[2] << 8) | b[3]).toString(16).toUpperCase().padStart(4, '0');
  return `EisaId ("${letters}${num}")`;
}

function uuidText(b: Uint8Array): string {
  const h = (i: number) => b[i].toString(16).padStart(2, '0');
  const g = (idx: number[]) => idx.map(h).join('');
  return `ToUUID ("${g([3, 2, 1, 0])}-${g([5, 4])}-${g([7, 6])}-${g([8, 9])}-${g([10, 11, 12, 13, 14, 15])}")`;
}

function unicodeText(b: Uint8Array): string | null {
  if (b.length < 4 || b.length % 2 || b[b.length - 1] || b[b.length - 2]) return null;
  let s = '';
  for (let i = 0; i < b.length - 2; i += 2) {
    if (b[i + 1] !== 0 || b[i] < 0x20 || b[i] > 0x7e) return null;
    s += String.fromCharCode(b[i]);
  }
  return `Unicode (${JSON.stringify(s)})`;
}

const strText = (s: string) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';

class Printer {
  readonly lines: string[] = [];
  /** For each line, the table offset of the AML object it prints (undefined for braces and headers). */
  readonly offsets: (number | undefined)[] = [];
  private depth = 0;
  private cur: number | undefined;

  private emit(s: string): void {
    this.lines.push('    '.repeat(this.depth) + s);
    this.offsets.push(s === '{' || s === '}' ? undefined : this.cur);
  }

  /** An expression as one line (buffers, packages and templates print as multiple lines elsewhere). */
  expr(n: AmlNode, ctx?: string): string {
    switch (n.k) {
      case 'int':
        if (n.enc === 'dword' && (ctx === '_HID' || ctx === '_CID')) return eisaIdText(Number(n.v)) ?? intText(n);
        return intText(n);
      case 'str': return strText(n.v);
      case 'name': return n.path;
      case 'kw': return n.text;
      case 'none': return '';
      case 'call': return `${n.path} (${n.args.map((a) => this.expr(a)).join(', ')})`;
      case 'op': return this.opText(n);
      case 'error': return `/* AML error: ${n.message} */`;
      default: return this.multi(n, ctx).join(' ');
    }
  }

  private opText(n: Extract<AmlNode, { k: 'op' }>): string {
    if (n.name === 'LNot' && n.args[0].k === 'op') {
      const inner = n.args[0];
      const fold = { LEqual: 'LNotEqual', LGreater: 'LLessEqual', LLess: 'LGreaterEqual' }[inner.name];
      if (fold) return `${fold} (${inner.args.map((a) => this.expr(a)).join(', ')})`;
    }
    if (n.name === 'Name') return `Name (${this.expr(n.args[0])}, ${this.expr(n.args[1], (n.args[0] as { path: string }).path)})`;
    if (n.name === 'OperationRegion') {
      const sp = n.args[1] as Extract<AmlNode, { k: 'int' }>;
      return `OperationRegion (${this.expr(n.args[0])}, ${REGION_SPACES[Number(sp.v)] ?? hx(sp.v, 2)}, ${this.expr(n.args[2])}, ${this.expr(n.args[3])})`;
    }
    if (n.name === 'External') {
      const types = ['UnknownObj', 'IntObj', 'StrObj', 'BuffObj', 'PkgObj', 'FieldUnitObj', 'DeviceObj', 'EventObj', 'MethodObj', 'MutexObj', 'OpRegionObj', 'PowerResObj', 'ProcessorObj', 'ThermalZoneObj', 'BuffFieldObj', 'DDBHandleObj'];
      const t = Number((n.args[1] as { v: bigint }).v);
      return `External (${this.expr(n.args[0])}, ${types[t] ?? 'UnknownObj'})`;
    }
    // Targets that are absent are dropped from the end of the argument list.
    const args = n.args.map((a) => this.expr(a));
    while (args.length && n.args[args.length - 1].k === 'none') args.pop();
    return args.length || !['Noop', 'Break', 'Continue', 'BreakPoint'].includes(n.name) ? `${n.name} (${args.join(', ')})` : n.name;
  }

  /** Multi-line forms: buffers, packages. Returns lines relative to the current depth. */
  multi(n: AmlNode, ctx?: string, direct = false): string[] {
    if (n.k === 'buffer') {
      if (n.bytes.length === 16 && n.size.k === 'int' && n.size.v === 16n && !direct) return [uuidText(n.bytes)];
      const rt = resourceTemplateAsl(n.bytes);
      if (rt && n.size.k === 'int' && n.size.v === BigInt(n.bytes.length)) return rt;
      if (ctx === '_STR') {
        const u = unicodeText(n.bytes);
        if (u) return [u];
      }
      const size = this.expr(n.size);
      if (n.bytes.length === 0) return [`Buffer (${size}) {}`];
      const out = [`Buffer (${size})`, '{'];
      for (let i = 0; i < n.bytes.length; i += 8) {
        const row = Array.from(n.bytes.subarray(i, i + 8), (x) => hx(x, 2)).join(', ');
        out.push(`    ${row}${i + 8 < n.bytes.length ? ',' : ''}`);
      }
      out.push('}');
      return out;
    }
    if (n.k === 'package') {
      const out = [`${n.variable && n.count.k !== 'int' ? 'VarPackage' : 'Package'} (${this.expr(n.count)})`, '{'];
      n.elems.forEach((e, i) => {
        const sub = this.multiOrLine(e, ctx === '_CID' ? '_CID' : undefined);
        sub[sub.length - 1] += i < n.elems.length - 1 ? ',' : '';
        out.push(...sub.map((l) => '    ' + l));
      });
      out.push('}');
      return out;
    }
    return [this.expr(n, ctx)];
  }

  private multiOrLine(n: AmlNode, ctx?: string, direct = false): string[] {
    return n.k === 'buffer' || n.k === 'package' ? this.multi(n, ctx, direct) : [this.expr(n, ctx)];
  }

  private emitMulti(prefix: string, n: AmlNode, ctx: string | undefined, suffix: string, direct = false): void {
    const lines = this.multiOrLine(n, ctx, direct);
    lines[0] = prefix + lines[0];
    lines[lines.length - 1] += suffix;
    for (const l of lines) this.emit(l);
  }

  statement(n: AmlNode, next?: AmlNode): boolean {
    this.cur = n.at;
    switch (n.k) {
      case 'block': {
        if (n.name === 'Else' && n.body.length >= 1 && n.body[0].k === 'block' && n.body[0].name === 'If' &&
          (n.body.length === 1 || (n.body.length === 2 && n.body[1].k === 'block' && n.body[1].name === 'Else'))) {
          const inner = n.body[0];
          this.emit(`ElseIf (${this.expr(inner.head[0])})`);
          this.body(inner.body);
          if (n.body.length === 2) this.statement(n.body[1]);
          return false;
        }
        const head = n.name === 'Else' ? 'Else' : `${n.name} (${n.head.map((h) => this.expr(h)).join(', ')})`;
        this.emit(head);
        this.body(n.body);
        return false;
      }
      case 'method':
        this.emit(`Method (${n.path}, ${n.argc}, ${n.serialized ? 'Serialized' : 'NotSerialized'}${n.sync ? ', ' + n.sync : ''})`);
        this.body(n.body);
        return false;
      case 'field': {
        const f = n.flags;
        const acc = ['AnyAcc', 'ByteAcc', 'WordAcc', 'DWordAcc', 'QWordAcc', 'BufferAcc'][f & 0xf] ?? 'AnyAcc';
        const upd = ['Preserve', 'WriteAsOnes', 'WriteAsZeros'][(f >> 5) & 3] ?? 'Preserve';
        this.emit(`${n.name} (${n.head.map((h) => this.expr(h)).join(', ')}, ${acc}, ${f & 0x10 ? 'Lock' : 'NoLock'}, ${upd})`);
        this.emit('{');
        this.depth++;
        this.fieldItems(n.items);
        this.depth--;
        this.emit('}');
        return false;
      }
      case 'op':
        if (n.name === 'Name' && (n.args[1].k === 'buffer' || n.args[1].k === 'package')) {
          const path = (n.args[0] as { path: string }).path;
          this.emitMulti(`Name (${path}, `, n.args[1], path, ')', true);
          return false;
        }
        if (n.name === 'Return' && (n.args[0].k === 'buffer' || n.args[0].k === 'package')) {
          this.emitMulti('Return (', n.args[0], undefined, ')');
          return false;
        }
        this.emit(this.opText(n));
        return false;
      default:
        void next;
        this.emit(this.multiOrLine(n).join(' '));
        return false;
    }
  }

  private fieldItems(items: FieldItem[]): void {
    let bit = 0;
    const out: string[] = [];
    for (const it of items) {
      if (it.k === 'named') {
        out.push(`${it.name}, ${it.bits}`);
        bit += it.bits;
      } else if (it.k === 'reserved') {
        bit += it.bits;
        out.push(bit % 8 === 0 ? `Offset (${hx(bit / 8, 2)})` : `, ${it.bits}`);
      } else {
        out.push(`AccessAs (${['AnyAcc', 'ByteAcc', 'WordAcc', 'DWordAcc', 'QWordAcc', 'BufferAcc'][it.type & 0xf] ?? 'AnyAcc'}, ${hx(it.attrib, 2)})`);
      }
    }
    out.forEach((l, i) => this.emit(l + (i < out.length - 1 ? ', ' : '')));
  }

  body(nodes: AmlNode[]): void {
    this.emit('{');
    this.depth++;
    nodes.forEach((n, i) => this.statement(n, nodes[i + 1]));
    this.depth--;
    this.emit('}');
  }
}

export interface AmlDisassembly {
  asl: string;
  /** Per line of `asl`: the offset in the table of the AML object the line prints, for linking ASL to bytes. */
  lineOffsets: (number | undefined)[];
  errors: string[];
}

/** Disassembles a whole DSDT/SSDT (header included) to ASL. */
export function disassembleAml(table: Uint8Array): AmlDisassembly {
  if (table.length < 36) return { asl: '', lineOffsets: [], errors: [`table is ${table.length} bytes, shorter than its 36-byte header`] };
  const ascii = (o: number, n: number) => String.fromCharCode(...table.subarray(o, o + n)).replace(/\0.*$/s, "");
  const dv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const { nodes, errors } = parseAml(table.subarray(36), 36);
  // iasl stores External declarations in AML inside `If (Zero) { ... }` (never executed); like iasl's
  // disassembler, print them as declarations at the top instead of as a dead If block.
  const isExternal = (n: AmlNode) => n.k === 'op' && n.name === 'External';
  const externals: AmlNode[] = [];
  const rest = nodes.filter((n) => {
    if (n.k === 'block' && n.name === 'If' && n.head[0]?.k === 'int' && n.head[0].v === 0n && n.body.length > 0 && n.body.every(isExternal)) {
      externals.push(...n.body);
      return false;
    }
    if (isExternal(n)) {
      externals.push(n);
      return false;
    }
    return true;
  });
  const p = new Printer();
  p.lines.push(`DefinitionBlock ("", "${ascii(0, 4)}", ${table[8]}, "${ascii(10, 6)}", "${ascii(16, 8)}", ${hx(dv.getUint32(24, true), 8)})`);
  p.offsets.push(0);
  p.body([...externals, ...rest]);
  return { asl: p.lines.join('\n') + '\n', lineOffsets: p.offsets, errors };
}
