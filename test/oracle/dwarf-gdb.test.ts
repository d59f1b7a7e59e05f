// Line breakpoints bind where GDB binds them: for every line of the dwarf fixture's C sources (dwarf.c and
// common/board.c) in each build (-O0, -O2, -O2 DWARF 4), `gdb-multiarch -batch -ex 'break FILE:LINE'`
// on the ELF gives the address and the line it reports (or, for several locations, their number);
// SourceInfo.bind (src/debugAdapter/sourceInfo.ts) must give the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadKernel } from '../../src/emu/index';
import { SourceInfo } from '../../src/debugAdapter/sourceInfo';

const GDB = 'gdb-multiarch';
const skip = spawnSync(GDB, ['--version']).status === 0 ? undefined : `${GDB} is not installed`;
const dir = 'test/fixtures/kernels/dwarf';
const sources = [['dwarf.c', `${dir}/dwarf.c`], ['board.c', 'test/fixtures/kernels/common/board.c']] as const;

for (const build of ['dwarf_O0', 'dwarf_O2', 'dwarf_O2_dw4']) {
  test(`${build}: line breakpoints bind where gdb binds them`, { skip, timeout: 300_000 }, () => {
    const elf = `${dir}/${build}.elf`;
    const img = loadKernel(new Uint8Array(readFileSync(elf)), elf, { ramBase: 0x40000000n });
    const info = new SourceInfo(img.sections!.map((s) => ({ name: s.name, addr: s.addr, data: s.data })), resolve(elf));
    const mismatches: string[] = [];
    let compared = 0;
    for (const [name, path] of sources) {
      const count = readFileSync(path, 'utf8').split('\n').length;
      const lines = Array.from({ length: count }, (_, i) => i + 1);
      const r = spawnSync(GDB, ['-batch', '-nx', ...lines.flatMap((l) => ['-ex', `break ${name}:${l}`]), elf], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const answers = r.stdout.split('\n').concat(r.stderr.split('\n')).filter((l) => /^Breakpoint \d+ at|^No line \d+ in file/.test(l));
      let k = 0;
      for (const line of lines) {
        const text = answers[k];
        const ours = info.bind(resolve(path), line);
        if (text && /^No line (\d+)/.exec(text)?.[1] === String(line)) {
          k++;
          if (ours) mismatches.push(`${name}:${line}: gdb has no line, we bind ${ours.addresses.map((a) => a.toString(16))}`);
          compared++;
          continue;
        }
        const m = /^Breakpoint (\d+) at (0x[0-9a-f]+): (?:file )?\S+?(?:, line |:)(\d+)\.(?: \((\d+) locations\))?/.exec(text ?? '');
        k++;
        if (!m) {
          mismatches.push(`${name}:${line}: gdb said '${text}'`);
          continue;
        }
        compared++;
        // With several locations GDB names the line asked for, not the lines bound: compare the count.
        const theirs = m[4] ? `${m[4]} locations` : `${m[2]} line ${m[3]}`;
        const mine = !ours ? 'unbound' : ours.addresses.length > 1 ? `${ours.addresses.length} locations` : `0x${ours.addresses[0]!.toString(16)} line ${ours.line}`;
        if (theirs !== mine) mismatches.push(`${name}:${line}: gdb ${theirs}, ours ${mine}`);
      }
    }
    assert.ok(compared > 100, `${compared} lines compared`);
    assert.deepEqual(mismatches, []);
  });
}
