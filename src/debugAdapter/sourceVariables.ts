// The source-level Variables view and evaluate, over DWARF: the call stack unwound by CFI (dwarf/
// unwindCfi.ts; the target's frame-pointer unwinder when PC has no CFI), the scopes of a frame — Locals
// (parameters and locals of the function, of the lexical blocks and inlined calls covering its PC) and
// Globals (the variables of its compile unit) — beside Registers, each variable's location evaluated in
// that frame (its registers, CFA and frame base), values and children from dwarf/types.ts, setVariable of
// scalars, and C expressions for watch and hover (dwarf/cexpr.ts). A call the compiler inlined
// (DW_TAG_inlined_subroutine covering the PC) is a frame of its own: same PC and registers, named for the
// inlined function, its locals from its own scope, and its caller shown at the call's DW_AT_call_line.
// Variable references are handed out per stop and forgotten when the target runs again (reset()).

import { Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { frameOf, type FrameView } from './callStack';
import type { DebugTarget, TargetFrame } from './debugTarget';
import { CExpr, type ExprResult, type ExprScope } from './dwarf/cexpr';
import { DW_AT, DW_TAG } from './dwarf/constants';
import type { Die } from './dwarf/info';
import { evalLocation, evalValue, type ExprContext, type Location } from './dwarf/location';
import { childValues, formatCValue, isScalar, leBytes, resolveType, typeName, typeSize, type CValue, type ValueReader } from './dwarf/types';
import { unwindCfi, type UnwoundFrame } from './dwarf/unwindCfi';
import { formatValue, hexAddr, parseInteger } from './format';
import { u64le } from './memory';
import type { SourceInfo, SourceLine } from './sourceInfo';

/** First variables reference handed out here (registersScope.ts uses 1000-2999). */
const REF_BASE = 1_000_000;

type RefTarget =
  | { kind: 'locals'; cpu: number; index: number }
  | { kind: 'globals'; cpu: number; index: number }
  | { kind: 'value'; cpu: number; index: number; value: CValue };

export class SourceVariables {
  private refs = new Map<number, RefTarget>();
  private nextRef = REF_BASE;
  private frameCache = new Map<number, Promise<VFrame[]>>();

  constructor(private readonly t: DebugTarget, private readonly info: SourceInfo) {}

  /** Forgets references and unwound frames (the target ran). */
  reset(): void {
    this.refs.clear();
    this.nextRef = REF_BASE;
    this.frameCache.clear();
  }

  private ref(r: RefTarget): number {
    const id = this.nextRef++;
    this.refs.set(id, r);
    return id;
  }

  owns(ref: number): boolean {
    return ref >= REF_BASE;
  }

  /** The call stack of a CPU (inlined calls expanded): by CFI when its PC has CFI, else the target's unwinder. */
  frames(cpu: number, max = 256): Promise<VFrame[]> {
    let p = this.frameCache.get(cpu);
    if (!p) {
      p = this.unwind(cpu, Math.max(max, 256)).then((fs) => fs.flatMap((f) => this.expand(f)));
      this.frameCache.set(cpu, p);
    }
    return p;
  }

  /** One physical frame as its virtual frames, innermost inlined call first. */
  private expand(f: UnwoundFrame): VFrame[] {
    const pc = lookupPc(f);
    const chain = this.info.dwarf.scopesAt(pc);
    const segments: Die[][] = [];
    for (const d of chain) {
      if (!segments.length || d.tag === DW_TAG.inlined_subroutine) segments.push([d]);
      else segments[segments.length - 1]!.push(d);
    }
    if (!segments.length) return [{ ...f, scopes: [], name: this.t.symbolize(f.pc) ?? hexAddr(f.pc), line: this.lineOf(f) }];
    const out: VFrame[] = [];
    for (let k = segments.length - 1; k >= 0; k--) {
      const inner = segments[k + 1]?.[0];
      const line = inner ? this.info.callSite(inner) : this.lineOf(f);
      out.push({ ...f, scopes: segments[k]!, name: segments[k]![0]!.name ?? hexAddr(f.pc), line });
    }
    return out;
  }

  private lineOf(f: UnwoundFrame): SourceLine | undefined {
    return this.info.lineAt(f.how === 'pc' ? f.pc : f.pc - 4n);
  }

  /** The frames as the Call Stack view shows them. */
  async frameViews(cpu: number, max: number): Promise<FrameView[]> {
    return (await this.frames(cpu)).slice(0, max).map((f) => ({ pc: f.pc, name: f.name, line: f.line, subtle: !f.line && f.name.startsWith('0x') }));
  }

  private async unwind(cpu: number, max: number): Promise<UnwoundFrame[]> {
    const regs = await this.t.registers(cpu);
    const r0: (bigint | undefined)[] = [...regs.x, regs.sp];
    const frames = this.info.dwarf.cfiAt(regs.pc)
      ? await unwindCfi(this.info.dwarf, r0, regs.pc, (a) => this.readU64(a, cpu), max)
      : (await this.t.stackFrames(cpu, max)).map((f, i) => fromTargetFrame(f, i === 0 ? r0 : undefined));
    return this.throughVector(frames, cpu, regs.el);
  }

  /**
   * An exception handler's stack: the vector code (in the 2 KiB table at VBAR_ELx) keeps no frame record,
   * so the chain skips from the handler to the interrupted function's caller. Where a frame's PC lies in
   * the vector table, the interrupted code's frame is put after it: PC = ELR_ELx, X29 unchanged (vector
   * code that saves registers leaves X29 alone). Only the exception being handled at the current EL is
   * known this way; a nested one shows its innermost level.
   */
  private async throughVector(frames: UnwoundFrame[], cpu: number, el: number): Promise<UnwoundFrame[]> {
    if (el < 1) return frames;
    const vbar = await this.t.systemRegister(cpu, `VBAR_EL${el}`);
    const elr = await this.t.systemRegister(cpu, `ELR_EL${el}`);
    if (vbar === undefined || elr === undefined || vbar === 0n) return frames;
    const i = frames.findIndex((f) => f.pc >= vbar && f.pc < vbar + 0x800n);
    if (i < 0 || frames[i + 1]?.pc === elr) return frames;
    const regs: (bigint | undefined)[] = [];
    regs[29] = frames[i]!.regs[29];
    // ELR is the interrupted instruction itself, not a return address: looked up as is ('pc').
    return [...frames.slice(0, i + 1), { pc: elr, regs, how: 'pc', exception: true }, ...frames.slice(i + 1)];
  }

  private async readU64(a: bigint, cpu: number): Promise<bigint | undefined> {
    return u64le(await this.t.readMemory(a, 8, cpu));
  }

  async frameAt(frameId: number): Promise<{ cpu: number; index: number; frame: VFrame | undefined }> {
    const { cpu, index } = frameOf(frameId);
    return { cpu, index, frame: (await this.frames(cpu))[index] };
  }

  async scopes(frameId: number): Promise<DebugProtocol.Scope[]> {
    const { cpu, index, frame } = await this.frameAt(frameId);
    if (!frame) return [];
    const pc = lookupPc(frame);
    const out: DebugProtocol.Scope[] = [];
    if (frame.scopes.length) {
      const s: DebugProtocol.Scope = new Scope('Locals', this.ref({ kind: 'locals', cpu, index }), false);
      s.presentationHint = 'locals';
      out.push(s);
    }
    if (this.info.dwarf.unitAt(pc)) out.push(new Scope('Globals', this.ref({ kind: 'globals', cpu, index }), true));
    return out;
  }

  /** The DIEs of a frame's Locals: parameters first, inner declarations hiding outer ones. */
  localDies(frame: VFrame): Die[] {
    const chain = frame.scopes;
    const byName = new Map<string, Die>();
    for (const scope of chain) {
      for (const c of scope.children) {
        if (c.tag !== DW_TAG.formal_parameter && c.tag !== DW_TAG.variable) continue;
        const n = c.name;
        if (n === undefined) continue;
        byName.delete(n);
        byName.set(n, c);
      }
    }
    const all = [...byName.values()];
    // Parameters in declaration order: an inlined call's concrete DIEs may come in another order, so
    // order them by their abstract origins (declared in order).
    const declOrder = (d: Die): number => (d.ref(DW_AT.abstract_origin) ?? d).offset;
    const params = all.filter((d) => d.tag === DW_TAG.formal_parameter).sort((a, b) => declOrder(a) - declOrder(b));
    return [...params, ...all.filter((d) => d.tag !== DW_TAG.formal_parameter)];
  }

  async variables(ref: number, cpuHint = 0): Promise<DebugProtocol.Variable[]> {
    const r = this.refs.get(ref);
    if (!r) return [];
    const frame = (await this.frames(r.cpu))[r.index];
    if (!frame) return [];
    const rd = this.reader(r.cpu, frame);
    if (r.kind === 'value') {
      const kids = await childValues(r.value, rd);
      return Promise.all(kids.map((k) => this.variable(k.name, k.value, r.cpu, r.index, rd)));
    }
    const pc = lookupPc(frame);
    const dies = r.kind === 'locals' ? this.localDies(frame) : this.info.dwarf.unitVariables(this.info.dwarf.unitAt(pc)!);
    void cpuHint;
    return Promise.all(dies.map(async (d) => this.variable(d.name!, await this.valueOf(d, frame, r.cpu), r.cpu, r.index, rd, d.name)));
  }

  private async variable(name: string, v: CValue, cpu: number, index: number, rd: ValueReader, evaluateName?: string): Promise<DebugProtocol.Variable> {
    let value: string;
    try {
      value = await formatCValue(v, rd);
    } catch (e) {
      value = `<${e instanceof Error ? e.message : String(e)}>`;
    }
    const t = resolveType(v.type);
    const hasKids = !!t && !isScalar(t) || (t?.tag === DW_TAG.pointer_type && !!resolveType(t.ref(DW_AT.type)) && resolveType(t.ref(DW_AT.type))!.tag !== DW_TAG.subroutine_type && !value.startsWith('0x0 ') && value !== '0x0');
    const out: DebugProtocol.Variable = { name, value, type: typeName(v.type), variablesReference: hasKids ? this.ref({ kind: 'value', cpu, index, value: v }) : 0 };
    if (evaluateName) out.evaluateName = evaluateName;
    if (v.loc.k === 'memory') out.memoryReference = hexAddr(v.loc.address);
    if (t?.tag === DW_TAG.array_type) out.indexedVariables = Math.min(1000, typeSize(t) / Math.max(1, typeSize(t.ref(DW_AT.type))));
    return out;
  }

  private reader(cpu: number, frame: UnwoundFrame): ValueReader {
    return {
      memory: (a, n) => this.t.readMemory(a, n, cpu),
      register: (n) => frame.regs[n],
    };
  }

  /** The physical frame that called `frame` (skipping inlined frames sharing its registers). */
  private async callerOf(cpu: number, frame: VFrame): Promise<VFrame | undefined> {
    const fs = await this.frames(cpu);
    const i = fs.indexOf(frame);
    if (i < 0) return undefined;
    return fs.slice(i + 1).find((f) => f.regs !== frame.regs);
  }

  /**
   * DW_OP_entry_value(DW_OP_regN): the caller's DW_TAG_call_site for this return address, its parameter
   * whose location is that register, and the parameter's DW_AT_call_value evaluated in the caller's frame.
   */
  private async entryValue(cpu: number, frame: VFrame, inner: Uint8Array): Promise<bigint | undefined> {
    let reg: number | undefined;
    if (inner.length === 1 && inner[0]! >= 0x50 && inner[0]! <= 0x6f) reg = inner[0]! - 0x50;
    else if (inner[0] === 0x90 && inner.length >= 2 && inner[1]! < 0x80) reg = inner[1]!;
    if (reg === undefined) return undefined;
    const caller = await this.callerOf(cpu, frame);
    if (!caller) return undefined;
    const fn = this.info.dwarf.functionAt(caller.pc - 1n)?.die;
    if (!fn) return undefined;
    const site = findCallSite(fn, caller.pc);
    if (!site) return undefined;
    for (const p of site.children) {
      if (p.tag !== DW_TAG.call_site_parameter && p.tag !== DW_TAG.GNU_call_site_parameter) continue;
      const loc = p.attrs.get(DW_AT.location);
      if (!loc || (loc.k !== 'expr' && loc.k !== 'block')) continue;
      const l = loc.v;
      const at = l.length === 1 && l[0]! >= 0x50 && l[0]! <= 0x6f ? l[0]! - 0x50 : l[0] === 0x90 ? l[1] : undefined;
      if (at !== reg) continue;
      const value = p.attrs.get(DW_AT.call_value) ?? p.attrs.get(DW_AT.GNU_call_site_value);
      if (!value || (value.k !== 'expr' && value.k !== 'block')) return undefined;
      return evalValue(value.v, this.exprContext(cpu, caller, fn));
    }
    return undefined;
  }

  private exprContext(cpu: number, frame: VFrame, fn: Die | undefined): ExprContext {
    const pc = lookupPc(frame);
    const ctx: ExprContext = {
      reg: (n) => frame.regs[n],
      read: async (a, size) => {
        const raw = await this.t.readMemory(a, size, cpu);
        if (raw.some((b) => b === null)) return undefined;
        let v = 0n;
        for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]!);
        return v;
      },
      cfa: frame.cfa,
      addrIndex: fn ? (i) => fn.unit.addrIndex(i) : undefined,
      entryValue: (inner) => this.entryValue(cpu, frame, inner),
    };
    ctx.frameBase = async () => {
      const fb = fn?.attrs.get(DW_AT.frame_base);
      if (!fb || !fn) return undefined;
      const entry = fn.unit.locationList(fb).find((e) => pc >= e.start && pc < e.end);
      return entry ? evalValue(entry.expr, { ...ctx, frameBase: undefined }) : undefined;
    };
    return ctx;
  }

  /** A variable DIE's value in a frame (its location list entry for the frame's PC, evaluated there). */
  async valueOf(d: Die, frame: VFrame, cpu: number): Promise<CValue> {
    const type = d.type;
    const cv = d.attrs.get(DW_AT.const_value);
    if (cv) {
      if (cv.k === 'block') return { type, loc: { k: 'bytes', bytes: cv.v } };
      const n = cv.k === 'big' ? cv.v : BigInt(d.num(DW_AT.const_value) ?? 0);
      return { type, loc: { k: 'value', value: BigInt.asUintN(64, n) } };
    }
    const lv = d.attrs.get(DW_AT.location);
    if (!lv) return { type, loc: { k: 'unavailable', why: 'optimized out' } };
    const pc = lookupPc(frame);
    const fn = this.info.dwarf.functionAt(pc)?.die;
    let loc: Location;
    try {
      const entry = d.unit.locationList(lv).find((e) => pc >= e.start && pc < e.end);
      if (!entry) loc = { k: 'unavailable', why: 'optimized out' };
      else loc = await evalLocation(entry.expr, this.exprContext(cpu, frame, fn));
    } catch (e) {
      // A location this reader cannot read is that variable's problem, not the whole scope's.
      loc = { k: 'unavailable', why: e instanceof Error ? e.message : String(e) };
    }
    return { type, loc };
  }

  // ---- setVariable -------------------------------------------------------------------------------

  async setVariable(args: DebugProtocol.SetVariableArguments): Promise<DebugProtocol.SetVariableResponse['body']> {
    const r = this.refs.get(args.variablesReference);
    if (!r) throw new Error(`${args.name} cannot be written`);
    const frame = (await this.frames(r.cpu))[r.index];
    if (!frame) throw new Error('the frame is gone');
    const rd = this.reader(r.cpu, frame);
    let v: CValue | undefined;
    if (r.kind === 'value') v = (await childValues(r.value, rd)).find((k) => k.name === args.name)?.value;
    else {
      const pc = lookupPc(frame);
      const dies = r.kind === 'locals' ? this.localDies(frame) : this.info.dwarf.unitVariables(this.info.dwarf.unitAt(pc)!);
      const d = dies.find((x) => x.name === args.name);
      if (d) v = await this.valueOf(d, frame, r.cpu);
    }
    if (!v) throw new Error(`no variable ${args.name}`);
    await this.write(v, args.value, r.cpu, frame, r.index);
    this.frameCache.delete(r.cpu);
    const fresh = (await this.frames(r.cpu))[r.index] ?? frame;
    return { value: await formatCValue(v, this.reader(r.cpu, fresh)) };
  }

  private async write(v: CValue, text: string, cpu: number, frame: VFrame, index: number): Promise<void> {
    const t = resolveType(v.type);
    if (!isScalar(t)) throw new Error(`only scalars can be set (this is ${typeName(v.type)})`);
    let n = parseInteger(text);
    if (n === undefined && t?.tag === DW_TAG.enumeration_type) {
      const e = t.children.find((c) => c.tag === DW_TAG.enumerator && c.name === text.trim());
      if (e) n = BigInt(e.num(DW_AT.const_value) ?? 0);
    }
    if (n === undefined) {
      const r = await this.evaluateIn(cpu, frame, text);
      n = r.k === 'int' ? r.v : undefined;
      if (n === undefined) throw new Error(`'${text}' is not a number`);
    }
    const size = typeSize(t) || 8;
    if (v.bitSize !== undefined) {
      if (v.loc.k !== 'memory') throw new Error('bitfields can be set only in memory');
      const first = Math.floor((v.bitOffset ?? 0) / 8);
      const span = Math.ceil(((v.bitOffset ?? 0) % 8 + v.bitSize) / 8);
      const at = v.loc.address + BigInt(first);
      const raw = await this.t.readMemory(at, span, cpu);
      if (raw.some((b) => b === null)) throw new Error('the bitfield cannot be read');
      let word = 0n;
      for (let i = span - 1; i >= 0; i--) word = (word << 8n) | BigInt(raw[i]!);
      const shift = BigInt((v.bitOffset ?? 0) % 8);
      const mask = ((1n << BigInt(v.bitSize)) - 1n) << shift;
      word = (word & ~mask) | ((BigInt.asUintN(v.bitSize, n) << shift) & mask);
      await this.t.writeMemory(at, leBytes(word, span), cpu);
      return;
    }
    if (v.loc.k === 'memory') {
      const wrote = await this.t.writeMemory(v.loc.address, leBytes(n, size), cpu);
      if (wrote !== size) throw new Error(`memory at ${hexAddr(v.loc.address)} cannot be written`);
      return;
    }
    if (v.loc.k === 'register' && index === 0 && v.loc.reg <= 31) {
      const old = frame.regs[v.loc.reg] ?? 0n;
      const mask = size >= 8 ? (1n << 64n) - 1n : (1n << BigInt(size * 8)) - 1n;
      await this.t.setRegister(cpu, v.loc.reg === 31 ? 'sp' : `x${v.loc.reg}`, (old & ~mask) | (BigInt.asUintN(64, n) & mask));
      return;
    }
    throw new Error(v.loc.k === 'register' ? 'registers of callers cannot be written' : 'this value has no storage to write');
  }

  // ---- evaluate ----------------------------------------------------------------------------------

  private async evaluateIn(cpu: number, frame: VFrame, text: string): Promise<ExprResult> {
    const pc = lookupPc(frame);
    const locals = this.localDies(frame);
    const scope: ExprScope = {
      ...this.reader(cpu, frame),
      variable: async (name) => {
        const d = locals.find((x) => x.name === name) ?? this.info.dwarf.globalVariable(name, pc);
        return d ? this.valueOf(d, frame, cpu) : undefined;
      },
      type: (name) => this.info.dwarf.typeByName(name),
      symbol: (name) => this.t.lookupSymbol(name),
      registerByName: async (name) => {
        const m = /^([xw])(\d+)$/.exec(name);
        if (m && Number(m[2]) <= 30) {
          const v = frame.regs[Number(m[2])];
          return v === undefined ? undefined : m[1] === 'w' ? v & 0xffffffffn : v;
        }
        if (name === 'sp') return frame.regs[31];
        if (name === 'pc') return frame.pc;
        if (name === 'lr') return frame.regs[30];
        if (name === 'fp') return frame.regs[29];
        if (name === 'xzr' || name === 'wzr') return 0n;
        return this.t.systemRegister(cpu, name);
      },
    };
    return new CExpr(scope).evaluate(text);
  }

  /** Evaluates a C expression in a frame; undefined when the expression is not C this understands. */
  async evaluate(frameId: number | undefined, text: string): Promise<DebugProtocol.EvaluateResponse['body']> {
    const { cpu, index, frame } = await this.frameAt(frameId ?? 1);
    if (!frame) throw new Error('no such frame');
    const r = await this.evaluateIn(cpu, frame, text);
    if (r.k === 'int') {
      const v = BigInt.asUintN(64, r.v);
      const readable = (await this.t.readMemory(v, 1, cpu))[0] !== null;
      return { result: formatValue(v, this.t.symbolize(v)), variablesReference: 0, memoryReference: readable ? hexAddr(v) : undefined };
    }
    const v = await this.variable(text, r.v, cpu, index, this.reader(cpu, frame));
    return { result: v.value, type: v.type, variablesReference: v.variablesReference, indexedVariables: v.indexedVariables, memoryReference: v.memoryReference };
  }
}

/** A frame of the Call Stack view: a physical frame, or an inlined call inside one. */
export interface VFrame extends UnwoundFrame {
  /** The scope chain of this frame (subprogram or inlined_subroutine first, then covering blocks). */
  scopes: Die[];
  name: string;
  line?: SourceLine;
}

/** The call site DIE in a function (at any depth) whose return address is `ret`. */
function findCallSite(fn: Die, ret: bigint): Die | undefined {
  const stack = [fn];
  while (stack.length) {
    const d = stack.pop()!;
    if (d.tag === DW_TAG.call_site || d.tag === DW_TAG.GNU_call_site) {
      const v = d.attrs.get(DW_AT.call_return_pc) ?? d.attrs.get(DW_AT.low_pc);
      if (v && d.unit.addr(v) === ret) return d;
    }
    for (const c of d.children) stack.push(c);
  }
  return undefined;
}

/** The PC to look up a frame's scopes and locations at: a caller's return address minus one. */
function lookupPc(f: UnwoundFrame): bigint {
  return f.how === 'pc' ? f.pc : f.pc - 1n;
}

function fromTargetFrame(f: TargetFrame, regs0: (bigint | undefined)[] | undefined): UnwoundFrame {
  const regs: (bigint | undefined)[] = regs0 ? [...regs0] : [];
  if (!regs0 && f.fp !== undefined) regs[29] = f.fp;
  return { pc: f.pc, regs, cfa: f.cfa, how: f.how === 'pc' ? 'pc' : 'frame-record' };
}
