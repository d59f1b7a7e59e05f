// Breakpoint bookkeeping. The target places breakpoints by address; this file numbers them for DAP and
// remembers which ids sit at which address, so a stop can name the breakpoints it hit. It answers
// setBreakpoints (source lines bound through the DWARF line table, sourceInfo.ts: a line without code
// moves to the next line that has some, and the response says which line; several addresses when the
// line's code is duplicated or inlined; unverified when the kernel has no line info), setFunctionBreakpoints
// ('sym', 'sym+0x10' or an address) and setInstructionBreakpoints (memory reference + offset). Exception
// filters live in exceptionFilters.ts.

import { Breakpoint } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointResult, DebugTarget } from './debugTarget';
import { hexAddr } from './format';
import { referencedAddress } from './memory';
import type { SourceInfo } from './sourceInfo';

const NO_LINES_MESSAGE = 'the kernel has no DWARF line information (build it with -g); use function or instruction breakpoints';

/** The breakpoints a stop at an address hit: the DAP stopped reason and their ids. */
export interface BreakpointHits {
  reason: 'function breakpoint' | 'instruction breakpoint' | 'breakpoint';
  ids: number[];
}

export class Breakpoints {
  private nextId = 1;
  /** address -> DAP breakpoint ids, per kind. */
  private functionBps = new Map<bigint, number[]>();
  private instructionBps = new Map<bigint, number[]>();
  /** Per source path: the bound breakpoints (id and addresses). */
  private sourceBps = new Map<string, { id: number; addresses: bigint[] }[]>();
  private sourceByAddress = new Map<bigint, number[]>();

  async sourceBreakpoints(t: DebugTarget | undefined, info: SourceInfo | undefined, args: DebugProtocol.SetBreakpointsArguments): Promise<DebugProtocol.Breakpoint[]> {
    const bps = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const path = args.source.path ?? args.source.name ?? '';
    const bound: { id: number; addresses: bigint[] }[] = [];
    const answers = bps.map((b) => {
      const bp: DebugProtocol.Breakpoint = new Breakpoint(false, b.line);
      bp.id = this.nextId++;
      const where = info?.hasLines ? info.bind(path, b.line) : undefined;
      if (!where || !where.addresses.length) {
        bp.message = !info?.hasLines ? NO_LINES_MESSAGE : `no code at or after line ${b.line} of ${path}`;
        bp.reason = 'failed';
        return bp;
      }
      bp.verified = true;
      bp.line = where.line;
      bp.source = args.source;
      bp.instructionReference = hexAddr(where.addresses[0]!);
      bound.push({ id: bp.id, addresses: where.addresses });
      return bp;
    });
    this.sourceBps.set(path, bound);
    this.sourceByAddress = new Map();
    for (const list of this.sourceBps.values()) {
      for (const b of list) {
        for (const a of b.addresses) {
          const ids = this.sourceByAddress.get(a);
          if (ids) ids.push(b.id);
          else this.sourceByAddress.set(a, [b.id]);
        }
      }
    }
    if (t) {
      const addresses = [...this.sourceByAddress.keys()];
      const results = await t.setSourceBreakpoints(addresses);
      const failed = new Map<bigint, string>();
      results.forEach((r, i) => { if (!r.verified) failed.set(addresses[i]!, r.message ?? 'cannot be placed'); });
      for (const bp of answers) {
        const b = bound.find((x) => x.id === bp.id);
        const problem = b && b.addresses.map((a) => failed.get(a)).find((m) => m !== undefined);
        if (problem && b.addresses.every((a) => failed.has(a))) {
          bp.verified = false;
          bp.message = problem;
          bp.reason = 'failed';
        }
      }
    }
    return answers;
  }

  async setFunctionBreakpoints(t: DebugTarget, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<DebugProtocol.Breakpoint[]> {
    const results = await t.setFunctionBreakpoints(args.breakpoints.map((b) => b.name));
    this.functionBps = new Map();
    return results.map((r) => this.answer(r, r.address, this.functionBps));
  }

  async setInstructionBreakpoints(t: DebugTarget, args: DebugProtocol.SetInstructionBreakpointsArguments): Promise<DebugProtocol.Breakpoint[]> {
    const addrs = args.breakpoints.map((b) => referencedAddress(b.instructionReference, b.offset ?? 0));
    const results = await t.setInstructionBreakpoints(addrs.filter((a): a is bigint => a !== undefined));
    this.instructionBps = new Map();
    let k = 0;
    return addrs.map((a, i) => {
      if (a === undefined) {
        const bp: DebugProtocol.Breakpoint = new Breakpoint(false);
        bp.message = `'${args.breakpoints[i]!.instructionReference}' is not an address`;
        bp.reason = 'failed';
        return bp;
      }
      return this.answer(results[k++]!, a, this.instructionBps);
    });
  }

  /** A DAP breakpoint for what the target made of one request; a verified one is recorded at its address. */
  private answer(r: BreakpointResult, address: bigint | undefined, into: Map<bigint, number[]>): DebugProtocol.Breakpoint {
    const bp: DebugProtocol.Breakpoint = new Breakpoint(r.verified);
    bp.id = this.nextId++;
    if (address !== undefined) bp.instructionReference = hexAddr(address);
    if (r.message) bp.message = r.message;
    if (r.verified && address !== undefined) {
      const list = into.get(address);
      if (list) list.push(bp.id);
      else into.set(address, [bp.id]);
    } else {
      bp.reason = 'failed';
    }
    return bp;
  }

  /** Whether a function or instruction breakpoint is set at the address. */
  has(address: bigint): boolean {
    return this.functionBps.has(address) || this.instructionBps.has(address) || this.sourceByAddress.has(address);
  }

  hitsAt(address: bigint): BreakpointHits {
    const fn = this.functionBps.get(address);
    const insn = this.instructionBps.get(address);
    const src = this.sourceByAddress.get(address);
    return {
      reason: src ? 'breakpoint' : fn ? 'function breakpoint' : insn ? 'instruction breakpoint' : 'breakpoint',
      ids: [...(src ?? []), ...(fn ?? []), ...(insn ?? [])],
    };
  }
}
