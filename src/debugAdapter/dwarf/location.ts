// The DWARF expression evaluator (DWARF 5 section 2.5-2.6) for variable locations, frame bases and CFA
// expressions: a stack machine over 64-bit values (BigInt: this is the debugger's edge, not the CPU's hot
// path). Its result is where a value lives — memory at an address, a register, a computed value
// (DW_OP_stack_value), literal bytes (DW_OP_implicit_value), or pieces of those — or why it cannot be
// known: DW_OP_entry_value (the value a register had on entry to the function) is asked of the caller
// (ExprContext.entryValue: its call site's DW_AT_call_value, as GDB does) and is unavailable when the
// caller has no call site for it; so are an unreadable memory word and an empty location (optimised out).

import { ByteReader, DwarfError } from './reader';

export type Location =
  | { k: 'memory'; address: bigint }
  | { k: 'register'; reg: number }
  | { k: 'value'; value: bigint }
  | { k: 'bytes'; bytes: Uint8Array }
  | { k: 'pieces'; pieces: { loc: Location; size: number }[] }
  | { k: 'unavailable'; why: string };

export interface ExprContext {
  /** A register by DWARF number (0-30 X0-X30, 31 SP); undefined when the frame does not know it. */
  reg(n: number): bigint | undefined;
  /** Reads `size` bytes little-endian; undefined when unreadable. */
  read(address: bigint, size: number): Promise<bigint | undefined>;
  /** The enclosing function's frame base (DW_AT_frame_base), for DW_OP_fbreg. */
  frameBase?(): Promise<bigint | undefined>;
  /** The canonical frame address of the frame, for DW_OP_call_frame_cfa. */
  cfa?: bigint;
  /** .debug_addr lookups for DW_OP_addrx / DW_OP_constx. */
  addrIndex?(index: number): bigint;
  /** Values pushed before the expression runs (a CFA expression's initial CFA, for example). */
  initial?: bigint[];
  /**
   * The value a register-location expression (DW_OP_regN) had on entry to the function, from the caller's
   * call site (DW_TAG_call_site_parameter); undefined when it cannot be known.
   */
  entryValue?(expr: Uint8Array): Promise<bigint | undefined>;
}

const MASK = 0xffffffffffffffffn;
const u64 = (v: bigint): bigint => v & MASK;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

class Unavailable extends Error {}

/** Evaluates an expression into a location. */
export async function evalLocation(expr: Uint8Array, ctx: ExprContext): Promise<Location> {
  if (expr.length === 0) return { k: 'unavailable', why: 'optimized out' };
  try {
    return await run(expr, ctx);
  } catch (e) {
    if (e instanceof Unavailable) return { k: 'unavailable', why: e.message };
    throw e;
  }
}

/** Evaluates an expression whose result is an address or value (frame base, CFA expression). */
export async function evalValue(expr: Uint8Array, ctx: ExprContext): Promise<bigint | undefined> {
  const loc = await evalLocation(expr, ctx);
  if (loc.k === 'memory') return loc.address;
  if (loc.k === 'value') return loc.value;
  if (loc.k === 'register') return ctx.reg(loc.reg);
  return undefined;
}

async function run(expr: Uint8Array, ctx: ExprContext): Promise<Location> {
  const r = new ByteReader(expr);
  const st: bigint[] = [...(ctx.initial ?? [])];
  const pieces: { loc: Location; size: number }[] = [];
  let loc: Location | undefined;
  const pop = (): bigint => {
    const v = st.pop();
    if (v === undefined) throw new DwarfError('DWARF expression pops an empty stack');
    return v;
  };
  const reg = (n: number): bigint => {
    const v = ctx.reg(n);
    if (v === undefined) throw new Unavailable(`register ${regName(n)} of this frame is not known`);
    return v;
  };
  const read = async (a: bigint, size: number): Promise<bigint> => {
    const v = await ctx.read(a, size);
    if (v === undefined) throw new Unavailable(`memory at 0x${a.toString(16)} cannot be read`);
    return v;
  };
  while (!r.done) {
    const op = r.u8();
    if (op >= 0x30 && op <= 0x4f) { st.push(BigInt(op - 0x30)); continue; } // lit0..31
    if (op >= 0x50 && op <= 0x6f) { loc = { k: 'register', reg: op - 0x50 }; continue; } // reg0..31
    if (op >= 0x70 && op <= 0x8f) { st.push(u64(reg(op - 0x70) + BigInt(r.sleb()))); continue; } // breg0..31
    switch (op) {
      case 0x03: st.push(r.u64()); break; // addr
      case 0x06: st.push(await read(pop(), 8)); break; // deref
      case 0x08: st.push(BigInt(r.u8())); break;
      case 0x09: st.push(u64(BigInt(r.i8()))); break;
      case 0x0a: st.push(BigInt(r.u16())); break;
      case 0x0b: st.push(u64(BigInt(r.i16()))); break;
      case 0x0c: st.push(BigInt(r.u32())); break;
      case 0x0d: st.push(u64(BigInt(r.i32()))); break;
      case 0x0e: st.push(r.u64()); break;
      case 0x0f: st.push(r.u64()); break;
      case 0x10: st.push(r.ulebBig()); break; // constu
      case 0x11: st.push(u64(r.slebBig())); break; // consts
      case 0x12: st.push(st[st.length - 1] ?? pop()); break; // dup
      case 0x13: pop(); break; // drop
      case 0x14: st.push(st[st.length - 2] ?? pop()); break; // over
      case 0x15: { const i = r.u8(); const v = st[st.length - 1 - i]; if (v === undefined) throw new DwarfError('DW_OP_pick out of range'); st.push(v); break; }
      case 0x16: { const a = pop(); const b = pop(); st.push(a, b); break; } // swap
      case 0x17: { const a = pop(); const b = pop(); const c = pop(); st.push(a, c, b); break; } // rot
      case 0x19: { const a = s64(pop()); st.push(u64(a < 0n ? -a : a)); break; } // abs
      case 0x1a: { const b = pop(); st.push(pop() & b); break; }
      case 0x1b: { const b = s64(pop()); const a = s64(pop()); if (b === 0n) throw new Unavailable('division by zero'); st.push(u64(a / b)); break; }
      case 0x1c: { const b = pop(); st.push(u64(pop() - b)); break; } // minus
      case 0x1d: { const b = pop(); const a = pop(); if (b === 0n) throw new Unavailable('division by zero'); st.push(a % b); break; }
      case 0x1e: { const b = pop(); st.push(u64(pop() * b)); break; }
      case 0x1f: st.push(u64(-pop())); break; // neg
      case 0x20: st.push(u64(~pop())); break; // not
      case 0x21: { const b = pop(); st.push(pop() | b); break; }
      case 0x22: { const b = pop(); st.push(u64(pop() + b)); break; } // plus
      case 0x23: st.push(u64(pop() + r.ulebBig())); break; // plus_uconst
      case 0x24: { const b = pop(); st.push(b >= 64n ? 0n : u64(pop() << b)); break; }
      case 0x25: { const b = pop(); st.push(b >= 64n ? 0n : pop() >> b); break; }
      case 0x26: { const b = pop(); st.push(u64(s64(pop()) >> (b >= 64n ? 63n : b))); break; }
      case 0x27: { const b = pop(); st.push(pop() ^ b); break; }
      case 0x28: { const off = r.i16(); if (pop() !== 0n) r.pos += off; break; } // bra
      case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: { // eq ge gt le lt ne
        const b = s64(pop());
        const a = s64(pop());
        const t = op === 0x29 ? a === b : op === 0x2a ? a >= b : op === 0x2b ? a > b : op === 0x2c ? a <= b : op === 0x2d ? a < b : a !== b;
        st.push(t ? 1n : 0n);
        break;
      }
      case 0x2f: { const off = r.i16(); r.pos += off; break; } // skip
      case 0x90: loc = { k: 'register', reg: r.uleb() }; break; // regx
      case 0x91: { // fbreg
        const off = BigInt(r.sleb());
        const fb = ctx.frameBase ? await ctx.frameBase() : undefined;
        if (fb === undefined) throw new Unavailable('the frame base is not known');
        st.push(u64(fb + off));
        break;
      }
      case 0x92: { const n = r.uleb(); st.push(u64(reg(n) + BigInt(r.sleb()))); break; } // bregx
      case 0x93: { // piece
        const size = r.uleb();
        pieces.push({ loc: loc ?? (st.length ? { k: 'memory', address: pop() } : { k: 'unavailable', why: 'optimized out' }), size });
        loc = undefined;
        break;
      }
      case 0x94: { const size = r.u8(); st.push(await read(pop(), size)); break; } // deref_size
      case 0x96: break; // nop
      case 0x9c: // call_frame_cfa
        if (ctx.cfa === undefined) throw new Unavailable('the frame\'s CFA is not known');
        st.push(ctx.cfa);
        break;
      case 0x9e: { const n = r.uleb(); loc = { k: 'bytes', bytes: r.block(n).slice() }; break; } // implicit_value
      case 0x9f: loc = { k: 'value', value: pop() }; break; // stack_value
      case 0xa1: case 0xa2: { // addrx, constx
        const i = r.uleb();
        if (!ctx.addrIndex) throw new DwarfError('DW_OP_addrx without .debug_addr');
        st.push(ctx.addrIndex(i));
        break;
      }
      case 0xa3: case 0xf3: { // entry_value, GNU_entry_value (see the top of this file)
        const inner = r.block(r.uleb());
        const v = ctx.entryValue ? await ctx.entryValue(inner) : undefined;
        if (v === undefined) throw new Unavailable('entry value (no call site information)');
        st.push(v);
        break;
      }
      case 0xe0: case 0x9b: throw new Unavailable('thread-local storage'); // GNU_push_tls_address, form_tls_address
      case 0xfa: r.skip(4); throw new Unavailable('a parameter of the caller (DW_OP_GNU_parameter_ref)');
      default:
        throw new DwarfError(`DWARF expression: opcode 0x${op.toString(16)} is not supported`);
    }
  }
  if (pieces.length) return { k: 'pieces', pieces };
  if (loc) return loc;
  if (!st.length) return { k: 'unavailable', why: 'optimized out' };
  return { k: 'memory', address: st[st.length - 1]! };
}

export function regName(n: number): string {
  return n === 31 ? 'sp' : n <= 30 ? `x${n}` : `r${n}`;
}
