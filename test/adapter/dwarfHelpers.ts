// Shared pieces of the DWARF adapter tests: the fixture kernels of test/fixtures/kernels/dwarf, the line
// of a marker text in dwarf.c (so no test hard-codes a line number), and GNU binutils as the oracle of
// which source lines an address starts (objdump --dwarf=decodedline: every row with its is_stmt flag) and
// which line it is on (addr2line); tests that need them skip when binutils is not installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KERNELS, launch, stopped } from './helpers';

export const DWARF_DIR = join(KERNELS, 'dwarf');
export const DWARF_C = join(DWARF_DIR, 'dwarf.c');
export const O0 = join(DWARF_DIR, 'dwarf_O0.elf');
export const O2 = join(DWARF_DIR, 'dwarf_O2.elf');
export const O2_DW4 = join(DWARF_DIR, 'dwarf_O2_dw4.elf');

const sourceLines = readFileSync(DWARF_C, 'utf8').split('\n');

/** The 1-based line of dwarf.c holding `text` (the first one). */
export function lineOf(text: string): number {
  const i = sourceLines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`no '${text}' in dwarf.c`);
  return i + 1;
}

const ADDR2LINE = 'aarch64-linux-gnu-addr2line';
export const haveAddr2line = spawnSync(ADDR2LINE, ['--version']).status === 0;
export const NO_BINUTILS = haveAddr2line ? undefined : `${ADDR2LINE} is not installed`;

/** addr2line's file:line for an address (discriminators stripped). */
export function addr2line(elf: string, address: bigint): { file: string; line: number } {
  const r = spawnSync(ADDR2LINE, ['-e', elf, `0x${address.toString(16)}`], { encoding: 'utf8' });
  const m = /^(.*):(\d+)/.exec(r.stdout.trim());
  if (!m) throw new Error(`addr2line: ${r.stdout} ${r.stderr}`);
  return { file: m[1]!, line: Number(m[2]) };
}

/** Launches with source breakpoints on dwarf.c lines and waits for the first stop. */
export async function runToLines(dc: DebugClient, elf: string, lines: number[]): Promise<{ stop: DebugProtocol.StoppedEvent; bps: DebugProtocol.Breakpoint[] }> {
  const first = stopped(dc);
  let bps: DebugProtocol.Breakpoint[] = [];
  await launch(dc, { kernel: elf }, async () => {
    const r = await dc.setBreakpointsRequest({ source: { path: DWARF_C }, breakpoints: lines.map((line) => ({ line })) });
    bps = r.body.breakpoints;
  });
  return { stop: await first, bps };
}

export interface DecodedRow {
  file: string;
  line: number;
  address: bigint;
  stmt: boolean;
}

/** The rows of `objdump --dwarf=decodedline` (file basename, line, address, is_stmt). */
export function decodedLines(elf: string): DecodedRow[] {
  const r = spawnSync('aarch64-linux-gnu-objdump', ['--dwarf=decodedline', elf], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const rows: DecodedRow[] = [];
  for (const text of r.stdout.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(0x[0-9a-f]+)(.*)$/.exec(text);
    if (!m) continue;
    rows.push({ file: m[1]!, line: Number(m[2]), address: BigInt(m[3]!), stmt: /\sx\s*$/.test(m[4]!) });
  }
  return rows;
}
