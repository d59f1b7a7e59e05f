// iasl (acpica-tools) as the ACPI oracle: disassembling data tables into `[offset length] Name : value`
// lines, disassembling AML to legacy ASL (-dl), compiling ASL. Plus the comparison rules the ACPI oracle
// tests share: a field agrees when iasl prints a field at the same offset and length with the same value;
// ASL agrees when the texts are equal once comments and whitespace are removed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AcpiField, DecodedTable } from '../../src/emu';

export function requireIasl(): void {
  const r = spawnSync('iasl', ['-v'], { encoding: 'utf8' });
  if (r.error) throw new Error('iasl not found: install the Debian package acpica-tools (apt-get install -y acpica-tools)');
}

export interface IaslRun {
  status: number | null;
  output: string;
  dsl: string;
}

/** `iasl FLAG name.dat` in `dir`; returns its exit status, its messages and the .dsl it wrote. */
export function iaslDisassemble(dir: string, name: string, bytes: Uint8Array, flag = '-d'): IaslRun {
  const dat = join(dir, `${name}.dat`);
  const dsl = join(dir, `${name}.dsl`);
  writeFileSync(dat, bytes);
  const r = spawnSync('iasl', [flag, dat], { encoding: 'utf8', cwd: dir });
  return { status: r.status, output: r.stdout + r.stderr, dsl: existsSync(dsl) ? readFileSync(dsl, 'utf8') : '' };
}

/** `iasl [FLAGS] -p OUT FILE.dsl` (compile); returns status, messages and the AML it wrote. */
export function iaslCompile(dir: string, dslPath: string, outBase: string, flags: string[] = []): { status: number | null; output: string; aml: Uint8Array | null } {
  const r = spawnSync('iasl', [...flags, '-p', join(dir, outBase), dslPath], { encoding: 'utf8', cwd: dir });
  const aml = join(dir, `${outBase}.aml`);
  return { status: r.status, output: r.stdout + r.stderr, aml: existsSync(aml) ? new Uint8Array(readFileSync(aml)) : null };
}

export interface IaslField {
  offset: number;
  length: number;
  name: string;
  value: string;
}

/** The `[00Ah 0010   6]   Oem ID : "BOCHS "` lines of a data table disassembly. */
export function parseIaslFields(dsl: string): IaslField[] {
  const out: IaslField[] = [];
  for (const line of dsl.split('\n')) {
    const m = /^\[([0-9A-F]+)h (\d+)\s+(\d+)\]\s+(.*?) : (.*)$/.exec(line);
    if (!m) continue;
    out.push({ offset: parseInt(m[1], 16), length: Number(m[3]), name: m[4].trim(), value: m[5].trim() });
  }
  return out;
}

function allFields(fields: readonly AcpiField[], out: AcpiField[] = []): AcpiField[] {
  for (const f of fields) {
    if (f.bits) continue;
    out.push(f);
    if (f.children) allFields(f.children, out);
  }
  return out;
}

export function tableFields(t: DecodedTable): AcpiField[] {
  const out: AcpiField[] = [];
  const walk = (s: DecodedTable['root']) => {
    allFields(s.fields, out);
    s.children.forEach(walk);
  };
  walk(t.root);
  return out;
}

export interface FieldComparison {
  compared: number;
  mismatches: string[];
  /** iasl fields (offset, length) that our decoder has no field for. */
  missing: string[];
}

/** Compares iasl's fields with ours: same offset and length, same value (numbers by value, strings by text). */
export function compareFields(iasl: IaslField[], ours: DecodedTable, ignore: (f: IaslField) => boolean = () => false): FieldComparison {
  const mine = tableFields(ours);
  const res: FieldComparison = { compared: 0, mismatches: [], missing: [] };
  for (const f of iasl) {
    if (f.value.startsWith('[') || ignore(f)) continue; // a structure heading such as [Generic Address Structure]
    const m = mine.find((x) => x.offset === f.offset && x.length === f.length);
    const label = `${ours.signature} [${f.offset} ${f.length}] ${f.name}`;
    if (!m) {
      res.missing.push(`${label} = ${f.value}`);
      continue;
    }
    res.compared++;
    const sm = /^"(.*)"/.exec(f.value);
    if (sm) {
      if (String(m.value).replace(/\0+$/, '') !== sm[1]) res.mismatches.push(`${label}: iasl "${sm[1]}", ours ${JSON.stringify(m.value)}`);
      continue;
    }
    const hm = /^([0-9A-F]+)\b/.exec(f.value);
    if (!hm) {
      res.mismatches.push(`${label}: cannot read iasl value '${f.value}'`);
      continue;
    }
    const want = BigInt('0x' + hm[1]);
    let got: bigint;
    if (typeof m.value === 'string') {
      // byte arrays (reserved runs): iasl prints them as one little-endian number
      got = 0n;
      m.raw.forEach((b, i) => { got |= BigInt(b) << BigInt(8 * i); });
    } else got = BigInt(m.value);
    if (got !== want) res.mismatches.push(`${label}: iasl 0x${want.toString(16)}, ours 0x${got.toString(16)} (${m.name})`);
  }
  return res;
}

/** ASL with comments, External declarations and all whitespace removed. External declarations are compile
 *  hints, not namespace objects: iasl synthesizes them for names a table uses but does not define, and
 *  spells the paths of the ones it finds in the AML its own way (`_SB_.EXTM` for `\_SB.EXTM`). */
export function normalizeAsl(text: string): string {
  return text.replace(/External \([^)]*\)/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/\s+/g, '');
}

/** Where two normalized texts first differ, with context, for assertion messages. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}:\n ours: ${a.slice(Math.max(0, i - 120), i + 120)}\n iasl: ${b.slice(Math.max(0, i - 120), i + 120)}`;
}
