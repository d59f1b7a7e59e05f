#!/usr/bin/env node
// Benchmark: do breakpoints cost anything while the guest runs? Boots the CPU-bound fixture kernel through
// the emulator's API three ways — no breakpoints; a breakpoint on every instruction of the output routines,
// which sit in the same 4 KiB page as the hot loop but run only at the end (each hit is continued); and
// the same breakpoints set and cleared again — and prints MIPS for each (best of N). Breakpoints live in
// the pre-decoded pages as stopping slots, so the run loop never checks for them.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const out = join('out', 'bench', 'emu.cjs');
await esbuild.build({ entryPoints: ['src/emu/index.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const { Machine } = createRequire(join(process.cwd(), 'package.json'))(`./${out}`);

const kernel = 'test/fixtures/kernels/bench.elf';
const bytes = readFileSync(kernel);
const runs = Number(process.env.RUNS ?? 3);

function once(setup) {
  const m = new Machine({});
  m.load(bytes, 'bench.elf');
  setup(m);
  const t0 = process.hrtime.bigint();
  let stop;
  do stop = m.run(10_000_000);
  while (stop.kind === 'budget' || stop.kind === 'breakpoint');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (stop.kind !== 'poweroff') throw new Error(`unexpected stop ${JSON.stringify(stop, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v))}`);
  return m.icount / secs / 1e6;
}

const cold = (m) => ['uart_puts', 'uart_put_dec', 'uart_put_hex', 'uart_putc', 'system_off'].flatMap((name) => {
  const s = m.symbols.lookup(name);
  return Array.from({ length: Number(s.size / 4n) }, (_, i) => s.value + BigInt(4 * i));
});
let count = 0;
const cases = {
  'no breakpoints': () => {},
  'breakpoints in the hot page': (m) => cold(m).forEach((a) => (m.setBreakpoint(a), count++)),
  'same breakpoints, set then cleared': (m) => {
    cold(m).forEach((a) => m.setBreakpoint(a));
    m.clearBreakpoints();
  },
};
// Each case runs in a process of its own, so JIT state and garbage left by one case cannot slow another.
const only = process.argv[2];
if (only !== undefined) {
  const [name, setup] = Object.entries(cases)[Number(only)];
  const best = Math.max(...Array.from({ length: runs }, () => once(setup)));
  console.log(`${name.padEnd(36)} ${best.toFixed(1)} MIPS${count ? ` (${count / runs} breakpoints)` : ''}`);
} else {
  const { spawnSync } = await import('node:child_process');
  for (let i = 0; i < Object.keys(cases).length; i++) {
    spawnSync(process.execPath, [process.argv[1], String(i)], { stdio: 'inherit' });
  }
}
