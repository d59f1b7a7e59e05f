// The disassembler: the decoded row's template (or the first alias whose condition holds), rendered in GNU
// objdump's spelling. Unallocated words print as objdump prints them.
import { decode } from './decoder';
import { renderTemplate } from './template';
import type { DisasmContext } from './rowTypes';

export interface Disassembly {
  readonly mnemonic: string;
  readonly operands: string;
  /** objdump's trailing comment without the '// ' (e.g. '#1' after 'mov x0, #0x1'). */
  readonly comment?: string;
  /** Mnemonic, a tab, operands, and '\t// comment' when there is one: objdump's layout. */
  readonly text: string;
  /** Row id, or undefined for an unallocated word. */
  readonly rowId?: string;
}

export function disassemble(word: number, pc: bigint, symbolize?: (addr: bigint) => string | undefined): Disassembly {
  const w = word >>> 0;
  const d = decode(w);
  if (!d) {
    const text = `.inst\t0x${w.toString(16).padStart(8, '0')} ; undefined`;
    return { mnemonic: '.inst', operands: `0x${w.toString(16).padStart(8, '0')} ; undefined`, text };
  }
  const ctx: DisasmContext = { pc, symbolize };
  let tpl = d.row.asm;
  let key: string = d.row.id;
  const aliases = d.row.aliases ?? [];
  for (let i = 0; i < aliases.length; i++) {
    if (aliases[i].when(d.f)) {
      tpl = aliases[i].asm;
      key = `${d.row.id}#${i}`;
      break;
    }
  }
  const s = renderTemplate(key, tpl, d.f, ctx, d.row.ops);
  const sp = s.indexOf(' ');
  const mnemonic = sp < 0 ? s : s.slice(0, sp);
  const operands = sp < 0 ? '' : s.slice(sp + 1);
  let text = operands ? `${mnemonic}\t${operands}` : mnemonic;
  if (ctx.comment) text += `\t// ${ctx.comment}`;
  return { mnemonic, operands, comment: ctx.comment, text, rowId: d.row.id };
}
