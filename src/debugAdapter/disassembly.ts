// The disassemble request. The first instruction is at the memory reference plus the byte offset plus four
// bytes per instructionOffset (negative when VS Code's disassembly view scrolls up from PC), aligned down
// to a word; at most 4096 instructions. A word that cannot be read becomes a '??' placeholder marked
// invalid, a symbol that starts at an address labels its line, and objdump's tabs become spaces. With
// DWARF line info each instruction carries its source location (file, line, column), which VS Code uses
// to interleave source lines in its disassembly view.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './debugTarget';
import { hexAddr, instructionBytes, instructionText } from './format';
import { sourceOf } from './callStack';
import { requireReferencedAddress } from './memory';
import type { SourceInfo } from './sourceInfo';

const MAX_DISASSEMBLE = 4096;

export async function disassemble(t: DebugTarget, args: DebugProtocol.DisassembleArguments, info?: SourceInfo): Promise<DebugProtocol.DisassembleResponse['body']> {
  const offset = BigInt(args.offset ?? 0) + 4n * BigInt(args.instructionOffset ?? 0);
  let start = requireReferencedAddress(args.memoryReference, offset);
  start -= BigInt.asUintN(2, start);
  const count = Math.max(0, Math.min(args.instructionCount, MAX_DISASSEMBLE));
  const lines = await t.disassemble(start, count);
  return {
    instructions: lines.map((l): DebugProtocol.DisassembledInstruction => {
      if (l.word === null) {
        return { address: hexAddr(l.address), instruction: '??', presentationHint: 'invalid', symbol: l.label };
      }
      const insn: DebugProtocol.DisassembledInstruction = {
        address: hexAddr(l.address),
        instructionBytes: instructionBytes(l.word),
        instruction: instructionText(l.text),
        symbol: l.label,
      };
      const line = info?.lineAt(l.address);
      if (line) {
        insn.location = sourceOf(line.path);
        insn.line = line.line;
        if (line.column > 0) insn.column = line.column;
      }
      return insn;
    }),
  };
}
