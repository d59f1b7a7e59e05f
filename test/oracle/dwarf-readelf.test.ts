// The DWARF reader (src/debugAdapter/dwarf/) against GNU readelf on every ELF built from source in the
// repo (DWARF 5 as GCC 12 emits it, and the DWARF 4 build of the dwarf fixture): the decoded line rows
// (readelf -wL: file, line, address, is_stmt), the CFI rows (readelf --debug-dump=frames-interp: LOC, the
// CFA rule and every register saved at CFA+N), and the DIE tree (readelf --debug-dump=info: each DIE's
// offset and tag, and its DW_AT_name, DW_AT_byte_size and DW_AT_low_pc values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadKernel } from '../../src/emu/index';
import { DW_AT, DW_TAG } from '../../src/debugAdapter/dwarf/constants';
import { DebugInfo, sectionsOf } from '../../src/debugAdapter/dwarf/debugInfo';
import { cfiRows } from '../../src/debugAdapter/dwarf/frames';
import type { Die } from '../../src/debugAdapter/dwarf/info';
import { parseLineProgram } from '../../src/debugAdapter/dwarf/lineTable';

const READELF = 'aarch64-linux-gnu-readelf';
const have = spawnSync(READELF, ['--version']).status === 0;
const skip = have ? undefined : `${READELF} is not installed`;

const kernels = 'test/fixtures/kernels';
const elfs = [
  'examples/hello/hello.elf',
  ...readdirSync(kernels).filter((f) => f.endsWith('.elf')).map((f) => `${kernels}/${f}`),
  ...readdirSync(`${kernels}/dwarf`).filter((f) => f.endsWith('.elf')).map((f) => `${kernels}/dwarf/${f}`),
];

function readelf(args: string[], elf: string): string {
  const r = spawnSync(READELF, [...args, elf], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function load(elf: string): DebugInfo {
  const img = loadKernel(new Uint8Array(readFileSync(elf)), elf, { ramBase: 0x40000000n });
  const di = new DebugInfo(sectionsOf(img.sections ?? []));
  assert.deepEqual(di.notes, []);
  return di;
}

for (const elf of elfs) {
  test(`${elf}: line rows equal readelf -wL`, { skip }, () => {
    const di = load(elf);
    const ours: string[] = [];
    for (const u of di.units) {
      const off = u.root.num(DW_AT.stmt_list);
      if (off === undefined) continue;
      const p = parseLineProgram({ line: di.sections.line!, str: di.sections.str, lineStr: di.sections.lineStr }, off, u.compDir);
      for (const r of p.rows) if (!r.endSequence) ours.push(`${basename(p.files[r.file]!)} ${r.line} 0x${r.address.toString(16)}${r.isStmt ? ' x' : ''}`);
    }
    const theirs: string[] = [];
    for (const line of readelf(['-wL'], elf).split('\n')) {
      const m = /^(\S+)\s+(\d+)\s+(0x[0-9a-f]+)(.*)$/.exec(line);
      if (m) theirs.push(`${m[1]} ${m[2]} ${m[3]}${/\sx\s*$/.test(m[4]!) ? ' x' : ''}`);
    }
    assert.ok(theirs.length > 0, 'readelf printed rows');
    assert.deepEqual(ours, theirs);
  });

  test(`${elf}: CFI rows equal readelf --debug-dump=frames-interp`, { skip }, () => {
    const di = load(elf);
    const ours: string[] = [];
    // readelf prints no table for an FDE without instructions (the CIE's rule holds throughout).
    for (const fde of di.allFdes().filter((f) => f.instructions.some((b) => b !== 0))) {
      for (const row of cfiRows(fde)) {
        const cfa = row.cfa.k === 'reg' ? `${row.cfa.reg === 31 ? 'sp' : `x${row.cfa.reg}`}+${row.cfa.offset}` : 'exp';
        const saved = [...row.regs].filter(([, r]) => r.k === 'offset').sort((a, b) => a[0] - b[0])
          .map(([n, r]) => `${n === 30 ? 'ra' : `x${n}`}=c${(r as { n: number }).n}`);
        ours.push(`${row.loc.toString(16).padStart(16, '0')} ${cfa} ${saved.join(' ')}`.trim());
      }
    }
    const theirs: string[] = [];
    let cols: string[] = [];
    let inFde = false;
    for (const line of readelf(['--debug-dump=frames-interp'], elf).split('\n')) {
      if (/ FDE /.test(line)) inFde = true;
      else if (/ CIE /.test(line)) inFde = false;
      const head = /^\s+LOC\s+CFA\s*(.*)$/.exec(line);
      if (head) {
        cols = head[1]!.trim().split(/\s+/).filter(Boolean);
        continue;
      }
      const m = /^([0-9a-f]{16}) (\S+)\s*(.*)$/.exec(line);
      if (!m || !inFde) continue;
      const vals = m[3]!.trim().split(/\s+/).filter(Boolean);
      const saved = cols.map((c, i) => [c, vals[i]!] as const).filter(([, v]) => /^c-?\d+$/.test(v))
        .sort((a, b) => regIndex(a[0]) - regIndex(b[0])).map(([c, v]) => `${c}=${v}`);
      theirs.push(`${m[1]} ${m[2]} ${saved.join(' ')}`.trim());
    }
    assert.deepEqual(ours, theirs);
  });

  test(`${elf}: DIE tags and names, sizes and low_pc equal readelf --debug-dump=info`, { skip }, () => {
    const di = load(elf);
    const ours: string[] = [];
    const tagName = new Map<number, string>(Object.entries(DW_TAG).map(([k, v]) => [v, `DW_TAG_${k}`]));
    const walk = (d: Die): void => {
      const parts = [`<${d.offset.toString(16)}> ${tagName.get(d.tag) ?? `tag 0x${d.tag.toString(16)}`}`];
      const name = d.str(DW_AT.name);
      if (name !== undefined) parts.push(`name=${name}`);
      const size = d.num(DW_AT.byte_size);
      if (size !== undefined) parts.push(`byte_size=${size}`);
      const low = d.attrs.get(DW_AT.low_pc);
      if (low) parts.push(`low_pc=0x${d.unit.addr(low)!.toString(16)}`);
      ours.push(parts.join(' '));
      d.children.forEach(walk);
    };
    for (const u of di.units) walk(u.root);
    const theirs: string[] = [];
    let cur: string[] | undefined;
    let attrs: Record<string, string> = {};
    const flush = (): void => {
      if (cur) theirs.push([...cur, ...['name', 'byte_size', 'low_pc'].filter((k) => k in attrs).map((k) => `${k}=${attrs[k]}`)].join(' '));
      cur = undefined;
      attrs = {};
    };
    for (const line of readelf(['--debug-dump=info'], elf).split('\n')) {
      const die = /^\s*<\d+><([0-9a-f]+)>: Abbrev Number: \d+ \((DW_TAG_\w+)\)/.exec(line);
      if (die) {
        flush();
        const known = [...tagName.values()].includes(die[2]!);
        cur = [`<${die[1]}> ${known ? die[2] : `tag 0x${tagCode(die[2]!)}`}`];
        continue;
      }
      if (/Abbrev Number: 0/.test(line)) { flush(); continue; }
      const at = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$/.exec(line);
      if (!at || !cur) continue;
      const value = at[2]!.replace(/^\((?:indirect (?:line )?string|indexed string: 0x[0-9a-f]+), offset: (?:0x)?[0-9a-f]+\): /, '').trimEnd();
      if (at[1] === 'DW_AT_name') attrs.name = value;
      else if (at[1] === 'DW_AT_byte_size') attrs.byte_size = String(Number(value));
      else if (at[1] === 'DW_AT_low_pc') attrs.low_pc = `0x${BigInt(value).toString(16)}`;
    }
    flush();
    assert.equal(ours.length, theirs.length, 'DIE count');
    assert.deepEqual(ours, theirs);
  });
}

function regIndex(c: string): number {
  return c === 'ra' ? 30 : Number(c.slice(1));
}

/** readelf spells tags this reader has no name for; their numbers come from DWARF 5's table. */
function tagCode(name: string): string {
  const codes: Record<string, number> = {
    DW_TAG_unspecified_type: 0x3b, DW_TAG_call_site: 0x48, DW_TAG_GNU_call_site: 0x4109, DW_TAG_label: 0x0a,
    DW_TAG_call_site_parameter: 0x49, DW_TAG_GNU_call_site_parameter: 0x410a,
  };
  return (codes[name] ?? -1).toString(16);
}
