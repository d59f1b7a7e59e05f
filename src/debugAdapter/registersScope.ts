// The Registers scope of a frame, one per CPU: X0..X30, SP and PC (each with a memory reference and an
// evaluateName), and PSTATE, whose children are the NZCV flags (writable), DAIF (read-only), the
// exception level and the stack pointer selection. Variable references encode the CPU: REF_REGISTERS +
// cpu for the scope, REF_PSTATE + cpu for PSTATE's children. setVariable writes a general register from
// any expression evaluate.ts understands, or a flag from 0 or 1, and says which views the write makes stale.

import { Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget, RegisterName } from './debugTarget';
import { evaluateValue } from './evaluate';
import { decodePstate, formatBit, formatPstate, hexAddr, parseInteger, registerValue } from './format';

const REF_REGISTERS = 1000;
const REF_PSTATE = 2000;
/** References per kind: one per CPU. */
const REF_SPAN = 1000;

const READ_ONLY: DebugProtocol.VariablePresentationHint = { attributes: ['readOnly'] };

/** What a variables reference names: the registers or the PSTATE fields of a CPU. */
function decodeReference(ref: number): { kind: 'registers' | 'pstate'; cpu: number } | undefined {
  if (ref >= REF_REGISTERS && ref < REF_REGISTERS + REF_SPAN) return { kind: 'registers', cpu: ref - REF_REGISTERS };
  if (ref >= REF_PSTATE && ref < REF_PSTATE + REF_SPAN) return { kind: 'pstate', cpu: ref - REF_PSTATE };
  return undefined;
}

export function registersScope(cpu: number): DebugProtocol.Scope {
  const scope: DebugProtocol.Scope = new Scope('Registers', REF_REGISTERS + cpu, false);
  scope.presentationHint = 'registers';
  scope.namedVariables = 34;
  return scope;
}

/** The children of a variables reference: registers, PSTATE fields, or nothing for an unknown one. */
export async function registerVariables(t: DebugTarget, ref: number): Promise<DebugProtocol.Variable[]> {
  const what = decodeReference(ref);
  if (!what) return [];
  const r = await t.registers(what.cpu);
  if (what.kind === 'registers') {
    const reg = (name: string, v: bigint, evaluateName: string): DebugProtocol.Variable =>
      ({ name, value: registerValue(v), variablesReference: 0, evaluateName, memoryReference: hexAddr(v) });
    return [
      ...r.x.map((v, i) => reg(`X${i}`, v, `$x${i}`)),
      reg('SP', r.sp, '$sp'),
      reg('PC', r.pc, '$pc'),
      { name: 'PSTATE', value: formatPstate(r.pstate), variablesReference: REF_PSTATE + what.cpu, namedVariables: 10 },
    ];
  }
  const p = decodePstate(r.pstate);
  const flag = (name: string, v: number, readOnly: boolean): DebugProtocol.Variable =>
    ({ name, value: formatBit(v), variablesReference: 0, presentationHint: readOnly ? READ_ONLY : undefined });
  return [
    flag('N', p.n, false), flag('Z', p.z, false), flag('C', p.c, false), flag('V', p.v, false),
    flag('D', p.d, true), flag('A', p.a, true), flag('I', p.i, true), flag('F', p.f, true),
    { name: 'EL', value: `EL${p.el}`, variablesReference: 0, presentationHint: READ_ONLY },
    { name: 'SP', value: p.sp ? `SP_EL${p.el} (h)` : 'SP_EL0 (t)', variablesReference: 0, presentationHint: READ_ONLY },
  ];
}

export interface RegisterWrite {
  body: DebugProtocol.SetVariableResponse['body'];
  /** What the write makes stale, for an `invalidated` event after the response. */
  invalidated?: DebugProtocol.InvalidatedAreas;
}

export async function setRegisterVariable(t: DebugTarget, args: DebugProtocol.SetVariableArguments): Promise<RegisterWrite> {
  const what = decodeReference(args.variablesReference);
  const name = args.name.toUpperCase();
  if (what?.kind === 'registers') {
    const reg = /^X([0-9]|[12][0-9]|30)$/.test(name) || name === 'SP' || name === 'PC' ? (name.toLowerCase() as RegisterName) : undefined;
    if (!reg) throw new Error(`${args.name} cannot be written here`);
    const v = await evaluateValue(t, args.value, what.cpu);
    await t.setRegister(what.cpu, reg, v);
    const framesMove = reg === 'pc' || reg === 'sp' || reg === 'x29' || reg === 'x30';
    return {
      body: { value: registerValue(BigInt.asUintN(64, v)), memoryReference: hexAddr(v) },
      invalidated: framesMove ? 'stacks' : undefined,
    };
  }
  if (what?.kind === 'pstate') {
    if (!['N', 'Z', 'C', 'V'].includes(name)) throw new Error(`only N, Z, C and V can be written (not ${args.name})`);
    const v = parseInteger(args.value);
    if (v !== 0n && v !== 1n) throw new Error(`${args.name} is a flag: write 0 or 1`);
    await t.setRegister(what.cpu, name.toLowerCase() as RegisterName, v);
    return { body: { value: formatBit(v) }, invalidated: 'variables' };
  }
  throw new Error(`${args.name} cannot be written`);
}
