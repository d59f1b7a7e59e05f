// AML parser: bytes of a DSDT/SSDT body -> a tree of AmlNode. Each node keeps its byte offset so a viewer
// can link ASL back to bytes. Method invocations need each method's argument count, which AML does not
// encode at the call site: parseAml() first collects the Method declarations of the table (their bodies
// are skipped by PkgLength, so a call misparsed in pass 1 cannot derail the outer structure), then parses
// again with that knowledge. Errors (truncation, unknown opcodes) stop the current package and are
// reported with their offset; parsing resumes after the package.
import { EXT_OPS, OPS } from './ops';

export type AmlNode =
  | { k: 'int'; at: number; v: bigint; enc: 'Zero' | 'One' | 'Ones' | 'byte' | 'word' | 'dword' | 'qword' }
  | { k: 'str'; at: number; v: string }
  | { k: 'name'; at: number; path: string }
  | { k: 'call'; at: number; path: string; args: AmlNode[] }
  | { k: 'kw'; at: number; text: string }
  | { k: 'none'; at: number }
  | { k: 'op'; at: number; name: string; args: AmlNode[]; raw?: number[] }
  | { k: 'block'; at: number; name: string; head: AmlNode[]; body: AmlNode[] }
  | { k: 'method'; at: number; path: string; argc: number; serialized: boolean; sync: number; body: AmlNode[] }
  | { k: 'buffer'; at: number; size: AmlNode; bytes: Uint8Array }
  | { k: 'package'; at: number; count: AmlNode; elems: AmlNode[]; variable: boolean }
  | { k: 'field'; at: number; name: 'Field' | 'IndexField' | 'BankField'; head: AmlNode[]; flags: number; items: FieldItem[] }
  | { k: 'error'; at: number; message: string };

export type FieldItem =
  | { k: 'named'; name: string; bits: number }
  | { k: 'reserved'; bits: number }
  | { k: 'access'; type: number; attrib: number };

class AmlError extends Error {
  constructor(readonly at: number, message: string) {
    super(message);
  }
}

const LEAD = (c: number) => (c >= 0x41 && c <= 0x5a) || c === 0x5f;

export class AmlParser {
  pos = 0;
  readonly errors: string[] = [];

  constructor(
    private readonly b: Uint8Array,
    private readonly base: number,
    private readonly methods: Map<string, number>,
  ) {}

  private err(msg: string, at = this.pos): never {
    throw new AmlError(this.base + at, msg);
  }
  private byte(): number {
    if (this.pos >= this.b.length) this.err('unexpected end of AML');
    return this.b[this.pos++];
  }
  private uint(n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i++) v |= BigInt(this.byte()) << BigInt(8 * i);
    return v;
  }

  /** PkgLength; returns the end offset of the package. */
  private pkgEnd(): number {
    const start = this.pos;
    const b0 = this.byte();
    const n = b0 >> 6;
    let len = n === 0 ? b0 & 0x3f : b0 & 0x0f;
    for (let i = 0; i < n; i++) len |= this.byte() << (4 + 8 * i);
    const end = start + len;
    if (end > this.b.length) this.err(`package length ${len} runs past the end of the AML (${this.b.length - start} bytes left)`);
    return end;
  }

  private seg(): string {
    if (this.pos + 4 > this.b.length) this.err('truncated name segment');
    let s = '';
    for (let i = 0; i < 4; i++) {
      const c = this.b[this.pos++];
      if (!(LEAD(c) || (i > 0 && c >= 0x30 && c <= 0x39))) this.err(`invalid name segment byte 0x${c.toString(16)}`);
      s += String.fromCharCode(c);
    }
    return s;
  }

  /** NameString as ASL prints it: trailing '_' padding of each segment removed. */
  nameString(): string {
    let prefix = '';
    if (this.b[this.pos] === 0x5c) {
      prefix = '\\';
      this.pos++;
    } else {
      while (this.b[this.pos] === 0x5e) {
        prefix += '^';
        this.pos++;
      }
    }
    const c = this.byte();
    let segs: string[];
    if (c === 0x00) segs = [];
    else if (c === 0x2e) segs = [this.seg(), this.seg()];
    else if (c === 0x2f) {
      const n = this.byte();
      segs = Array.from({ length: n }, () => this.seg());
    } else {
      this.pos--;
      segs = [this.seg()];
    }
    return prefix + segs.map((s) => s.replace(/_+$/, '') || '_').join('.');
  }

  private isDataStart(c: number): boolean {
    return this.isNameStart(c) || (c >= 0x60 && c <= 0x6e) || [0x00, 0x01, 0xff, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e].includes(c);
  }

  private isNameStart(c: number): boolean {
    return LEAD(c) || c === 0x5c || c === 0x5e || c === 0x2e || c === 0x2f;
  }

  termList(end: number): AmlNode[] {
    const out: AmlNode[] = [];
    while (this.pos < end) {
      const at = this.pos;
      try {
        const t = this.term(end);
        // A bare name as a statement can only be a method call: a method of another table (declared
        // External, or not at all) whose argument count we do not know. Take the data terms that follow
        // (names, constants, locals, args) as its arguments, as iasl's disassembler infers them.
        if (t.k === 'name') {
          const args: AmlNode[] = [];
          while (this.pos < end && this.isDataStart(this.b[this.pos])) args.push(this.term(end));
          out.push({ k: 'call', at: t.at, path: t.path, args });
        } else out.push(t);
      } catch (e) {
        if (!(e instanceof AmlError)) throw e;
        this.errors.push(`offset 0x${e.at.toString(16)}: ${e.message}`);
        out.push({ k: 'error', at: this.base + at, message: e.message });
        this.pos = end;
      }
    }
    if (this.pos > end) this.errors.push(`offset 0x${(this.base + end).toString(16)}: an object runs past the end of its package`);
    return out;
  }

  private target(): AmlNode {
    if (this.b[this.pos] === 0x00) {
      this.pos++;
      return { k: 'none', at: this.base + this.pos - 1 };
    }
    return this.term(this.b.length, true);
  }

  private args(spec: string): AmlNode[] {
    const out: AmlNode[] = [];
    for (const a of spec) {
      const at = this.base + this.pos;
      if (a === 'T') out.push(this.term(this.b.length));
      else if (a === 'S') out.push(this.target());
      else if (a === 'N') out.push({ k: 'name', at, path: this.nameString() });
      else if (a === 'B') out.push({ k: 'int', at, v: this.uint(1), enc: 'byte' });
      else if (a === 'W') out.push({ k: 'int', at, v: this.uint(2), enc: 'word' });
      else out.push({ k: 'int', at, v: this.uint(4), enc: 'dword' });
    }
    return out;
  }

  /** One term (object, statement or expression). `superName`: a bare name is never a method call. */
  term(end: number, superName = false): AmlNode {
    const at = this.base + this.pos;
    const op = this.byte();
    switch (op) {
      case 0x00: return { k: 'int', at, v: 0n, enc: 'Zero' };
      case 0x01: return { k: 'int', at, v: 1n, enc: 'One' };
      case 0xff: return { k: 'int', at, v: 0xffff_ffff_ffff_ffffn, enc: 'Ones' };
      case 0x0a: return { k: 'int', at, v: this.uint(1), enc: 'byte' };
      case 0x0b: return { k: 'int', at, v: this.uint(2), enc: 'word' };
      case 0x0c: return { k: 'int', at, v: this.uint(4), enc: 'dword' };
      case 0x0e: return { k: 'int', at, v: this.uint(8), enc: 'qword' };
      case 0x0d: {
        let s = '';
        for (let c = this.byte(); c !== 0; c = this.byte()) s += String.fromCharCode(c);
        return { k: 'str', at, v: s };
      }
      case 0x08: {
        const path = this.nameString();
        return { k: 'op', at, name: 'Name', args: [{ k: 'name', at, path }, this.term(end)] };
      }
      case 0x10: {
        const e = this.pkgEnd();
        const path = this.nameString();
        return { k: 'block', at, name: 'Scope', head: [{ k: 'name', at, path }], body: this.termList(e) };
      }
      case 0x11: {
        const e = this.pkgEnd();
        const size = this.term(e);
        const bytes = this.b.slice(this.pos, e);
        this.pos = e;
        return { k: 'buffer', at, size, bytes };
      }
      case 0x12:
      case 0x13: {
        const e = this.pkgEnd();
        const count: AmlNode = op === 0x12 ? { k: 'int', at, v: BigInt(this.byte()), enc: 'byte' } : this.term(e);
        const elems: AmlNode[] = [];
        while (this.pos < e) elems.push(this.packageElement(e));
        return { k: 'package', at, count, elems, variable: op === 0x13 };
      }
      case 0x14: {
        const e = this.pkgEnd();
        const path = this.nameString();
        const flags = this.byte();
        return { k: 'method', at, path, argc: flags & 7, serialized: (flags & 8) !== 0, sync: flags >> 4, body: this.termList(e) };
      }
      case 0x15: {
        const path = this.nameString();
        const type = this.byte();
        const argc = this.byte();
        return { k: 'op', at, name: 'External', args: [{ k: 'name', at, path }, { k: 'int', at, v: BigInt(type), enc: 'byte' }, { k: 'int', at, v: BigInt(argc), enc: 'byte' }] };
      }
      case 0x2e: case 0x2f: case 0x5c: case 0x5e:
        this.pos--;
        return this.nameRef(at, superName);
      case 0xa0: case 0xa2: {
        const e = this.pkgEnd();
        const pred = this.term(e);
        return { k: 'block', at, name: op === 0xa0 ? 'If' : 'While', head: [pred], body: this.termList(e) };
      }
      case 0xa1: {
        const e = this.pkgEnd();
        return { k: 'block', at, name: 'Else', head: [], body: this.termList(e) };
      }
      case 0x5b: return this.ext(at, end);
      default:
        if (op >= 0x60 && op <= 0x67) return { k: 'kw', at, text: `Local${op - 0x60}` };
        if (op >= 0x68 && op <= 0x6e) return { k: 'kw', at, text: `Arg${op - 0x68}` };
        if (LEAD(op)) {
          this.pos--;
          return this.nameRef(at, superName);
        }
        {
          const d = OPS.get(op);
          if (!d) this.err(`unknown AML opcode 0x${op.toString(16).padStart(2, '0')}`, this.pos - 1);
          return { k: 'op', at, name: d.name, args: this.args(d.args) };
        }
    }
  }

  /** Package elements are data objects or names (never method calls). */
  private packageElement(end: number): AmlNode {
    const c = this.b[this.pos];
    if (this.isNameStart(c)) return { k: 'name', at: this.base + this.pos, path: this.nameString() };
    return this.term(end);
  }

  private nameRef(at: number, superName: boolean): AmlNode {
    const path = this.nameString();
    const argc = superName ? undefined : this.methods.get(path) ?? this.methods.get(path.split('.').pop()!.replace(/^[\\^]+/, ''));
    if (argc === undefined || argc === 0) return argc === 0 ? { k: 'call', at, path, args: [] } : { k: 'name', at, path };
    const args: AmlNode[] = [];
    for (let i = 0; i < argc; i++) args.push(this.term(this.b.length));
    return { k: 'call', at, path, args };
  }

  private ext(at: number, _end: number): AmlNode {
    const op = this.byte();
    switch (op) {
      case 0x82: case 0x85: {
        const e = this.pkgEnd();
        const path = this.nameString();
        return { k: 'block', at, name: op === 0x82 ? 'Device' : 'ThermalZone', head: [{ k: 'name', at, path }], body: this.termList(e) };
      }
      case 0x83: {
        const e = this.pkgEnd();
        const path = this.nameString();
        const head = [{ k: 'name', at, path } as AmlNode, ...this.args('BDB')];
        return { k: 'block', at, name: 'Processor', head, body: this.termList(e) };
      }
      case 0x84: {
        const e = this.pkgEnd();
        const path = this.nameString();
        const head = [{ k: 'name', at, path } as AmlNode, ...this.args('BW')];
        return { k: 'block', at, name: 'PowerResource', head, body: this.termList(e) };
      }
      case 0x81: case 0x86: case 0x87: {
        const e = this.pkgEnd();
        const head: AmlNode[] = [{ k: 'name', at, path: this.nameString() }];
        if (op === 0x86) head.push({ k: 'name', at, path: this.nameString() });
        if (op === 0x87) head.push({ k: 'name', at, path: this.nameString() }, this.term(e));
        const flags = this.byte();
        const items: FieldItem[] = [];
        while (this.pos < e) {
          const c = this.b[this.pos];
          if (c === 0x00) {
            this.pos++;
            items.push({ k: 'reserved', bits: this.pkgBits() });
          } else if (c === 0x01) {
            this.pos++;
            items.push({ k: 'access', type: this.byte(), attrib: this.byte() });
          } else {
            const name = this.seg().replace(/_+$/, '') || '_';
            items.push({ k: 'named', name, bits: this.pkgBits() });
          }
        }
        return { k: 'field', at, name: op === 0x81 ? 'Field' : op === 0x86 ? 'IndexField' : 'BankField', head, flags, items };
      }
      default: {
        const d = EXT_OPS.get(op);
        if (!d) this.err(`unknown AML opcode 0x5b 0x${op.toString(16).padStart(2, '0')}`, this.pos - 2);
        if (d.name === 'Revision' || d.name === 'Debug' || d.name === 'Timer') return { k: 'kw', at, text: d.name };
        return { k: 'op', at, name: d.name, args: this.args(d.args) };
      }
    }
  }

  /** A field's PkgLength-encoded bit count. */
  private pkgBits(): number {
    const b0 = this.byte();
    const n = b0 >> 6;
    let len = n === 0 ? b0 & 0x3f : b0 & 0x0f;
    for (let i = 0; i < n; i++) len |= this.byte() << (4 + 8 * i);
    return len;
  }
}

/** Collects Method declarations (name -> argument count), full path and last segment, over the whole tree. */
function collectMethods(nodes: AmlNode[], scope: string, out: Map<string, number>): void {
  for (const n of nodes) {
    if (n.k === 'method') {
      out.set(n.path, n.argc);
      out.set(n.path.split('.').pop()!.replace(/^[\\^]+/, ''), n.argc);
      collectMethods(n.body, scope, out);
    } else if (n.k === 'block') collectMethods(n.body, scope, out);
    else if (n.k === 'op' && n.name === 'External' && n.args[1].k === 'int' && n.args[1].v === 8n && n.args[2].k === 'int') {
      const p = (n.args[0] as { path: string }).path;
      out.set(p, Number(n.args[2].v));
      out.set(p.split('.').pop()!.replace(/^[\\^]+/, ''), Number(n.args[2].v));
    }
  }
}

export function parseAml(aml: Uint8Array, base = 36): { nodes: AmlNode[]; errors: string[] } {
  const methods = new Map<string, number>();
  try {
    const p1 = new AmlParser(aml, base, new Map());
    collectMethods(p1.termList(aml.length), '', methods);
  } catch {
    // pass 1 is best effort
  }
  const p = new AmlParser(aml, base, methods);
  const nodes = p.termList(aml.length);
  return { nodes, errors: p.errors };
}
