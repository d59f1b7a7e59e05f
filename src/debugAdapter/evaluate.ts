// Expression evaluation for the debug console and watches, and for the values setVariable writes into
// registers. A small language: terms joined by + and -, where a term is a register ($x0..$x30, $w0..$w30,
// $sp, $pc, $lr, $fp, $xzr; the '$' may be left off), a number (0x.., 0b.., 0o.., decimal) or a symbol;
// a leading '*' reads the 64-bit word at the resulting address. Results wrap to 64 bits; the evaluate
// request shows them with their symbol and offers a memory reference when the address is readable.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { cpuOfFrame } from './callStack';
import type { DebugTarget, TargetRegisters } from './debugTarget';
import { formatValue, hexAddr, parseInteger } from './format';
import { u64le } from './memory';

export async function evaluateValue(t: DebugTarget, expression: string, cpu: number): Promise<bigint> {
  let text = expression.trim();
  let deref = false;
  if (text.startsWith('*')) {
    deref = true;
    text = text.slice(1).trim();
    if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  }
  const parts = text.split(/\s*([+-])\s*/).filter((p) => p !== '');
  if (!parts.length) throw new Error('empty expression');
  let value = 0n;
  let sign = 1n;
  let expectTerm = true;
  const regs = await t.registers(cpu);
  for (const p of parts) {
    if (p === '+' || p === '-') {
      if (p === '-') sign = -sign;
      expectTerm = true;
      continue;
    }
    if (!expectTerm) throw new Error(`cannot evaluate '${expression}'`);
    value += sign * term(t, p, regs);
    sign = 1n;
    expectTerm = false;
  }
  if (expectTerm) throw new Error(`cannot evaluate '${expression}': it ends in an operator`);
  value = BigInt.asUintN(64, value);
  if (deref) {
    const word = u64le(await t.readMemory(value, 8, cpu));
    if (word === undefined) throw new Error(`memory at ${hexAddr(value)} cannot be read`);
    value = word;
  }
  return value;
}

function term(t: DebugTarget, text: string, regs: TargetRegisters): bigint {
  const n = parseInteger(text);
  if (n !== undefined) return n;
  const sym = /^\$/.test(text) ? undefined : t.lookupSymbol(text);
  if (sym !== undefined) return sym;
  const r = /^\$?([xw])([0-9]|[12][0-9]|30)$/i.exec(text);
  if (r) {
    const v = regs.x[Number(r[2])]!;
    return r[1]!.toLowerCase() === 'w' ? v & 0xffffffffn : v;
  }
  switch (text.toLowerCase()) {
    case '$sp': case 'sp': return regs.sp;
    case '$pc': case 'pc': return regs.pc;
    case '$lr': case 'lr': return regs.x[30]!;
    case '$fp': case 'fp': return regs.x[29]!;
    case '$xzr': case 'xzr': case '$wzr': case 'wzr': return 0n;
  }
  throw new Error(`unknown register or symbol '${text}'`);
}

export async function evaluate(t: DebugTarget, args: DebugProtocol.EvaluateArguments): Promise<DebugProtocol.EvaluateResponse['body']> {
  const cpu = args.frameId ? cpuOfFrame(args.frameId) : 0;
  const v = await evaluateValue(t, args.expression, cpu);
  const sym = t.symbolize(v);
  const readable = (await t.readMemory(v, 1, cpu))[0] !== null;
  return { result: formatValue(v, sym), variablesReference: 0, memoryReference: readable ? hexAddr(v) : undefined };
}
