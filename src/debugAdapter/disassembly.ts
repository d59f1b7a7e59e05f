// The disassemble request. The first instruction is at the memory reference plus the byte offset plus four
// bytes per instructionOffset (negative when VS Code's disassembly view scrolls up from PC), aligned down
// to a word; at most 4096 instructions. A word that cannot be read becomes a '??' placeholder marked
// invalid, a symbol that starts at an address labels its line, and objdump's tabs become spaces.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './debugTarget';
import { hexAddr, instructionBytes, instructionText } from './format';
import { requireReferencedAddress } from './memory';

const MAX_DISASSEMBLE = 4096;

export async function disassemble(t: DebugTarget, args: DebugProtocol.DisassembleArguments): Promise<DebugProtocol.DisassembleResponse['body']> {
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
      return {
        address: hexAddr(l.address),
        instructionBytes: instructionBytes(l.word),
        instruction: instructionText(l.text),
        symbol: l.label,
      };
    }),
  };
}
