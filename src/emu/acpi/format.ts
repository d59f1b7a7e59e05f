// Text rendering of decoded tables for `a64 acpi decode`/`acpi dump` and for copying out of the viewer:
// one line per field — `[offset length] name : value` with the raw bytes beside it — then flag bits and
// Generic Address Structure parts indented under their field, subtables in order, warnings and errors,
// and for a DSDT/SSDT the AML disassembled to ASL.
import { hexBytes } from './reader';
import type { AcpiField, AcpiStruct, DecodedTable } from './types';

const MAX_RAW = 16;

function fieldLines(f: AcpiField, indent: string, out: string[]): void {
  const where = f.bits ? '' : `[${f.offset.toString(16).toUpperCase().padStart(3, '0')}h ${String(f.offset).padStart(4)} ${String(f.length).padStart(3)}]`;
  const name = (f.bits ? `  ${f.name}` : f.name).padStart(34 - indent.length);
  let raw = '';
  if (!f.bits) raw = f.raw.length > MAX_RAW ? `${hexBytes(f.raw.subarray(0, MAX_RAW))} ...` : hexBytes(f.raw);
  const bits = f.bits ? ` [bit${f.bits[1] > 1 ? 's' : ''} ${f.bits[0]}${f.bits[1] > 1 ? '-' + (f.bits[0] + f.bits[1] - 1) : ''}]` : '';
  const text = f.length > MAX_RAW && !f.bits && typeof f.value === 'string' && !f.text.startsWith('"') ? `(${f.length} bytes)` : f.text;
  out.push(`${where.padEnd(16)}${indent}${name} : ${text}${bits}${raw ? `    | ${raw}` : ''}`);
  for (const c of f.children ?? []) fieldLines(c, indent + '  ', out);
}

function structLines(s: AcpiStruct, depth: number, out: string[]): void {
  if (depth > 0) out.push('', `${'  '.repeat(depth - 1)}${s.name} (offset ${s.offset}, ${s.length} bytes)`);
  for (const f of s.fields) fieldLines(f, '  '.repeat(Math.max(0, depth - 1)), out);
  for (const c of s.children) structLines(c, depth + 1, out);
}

export function formatTable(t: DecodedTable): string {
  const out: string[] = [`${t.signature.trim()}: ${t.title}${t.origin ? ` — ${t.origin}` : ''}, ${t.bytes.length} bytes`];
  structLines(t.root, 0, out);
  for (const w of t.warnings) out.push(`warning: ${w}`);
  for (const e of t.errors) out.push(`error: ${e}`);
  if (t.asl !== undefined) out.push('', t.asl);
  return out.join('\n') + '\n';
}
