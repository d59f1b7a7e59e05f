#!/usr/bin/env node
// Runs test suites with Node's built-in test runner. Each test file is bundled with esbuild first (as the
// shipped code is), so the emulator runs at full speed: under a per-module transpiler every imported
// constant read in a hot loop becomes a getter call and the CPU runs several times slower.
//   node test/run.mjs               the default suites: unit, cli and adapter (need only Node)
//   node test/run.mjs oracle        suites that compare against GNU objdump / QEMU / dtc (need the apt tools)
//   node test/run.mjs FILE...       just those files
import { readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';

function find(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const suites = args.length ? args : ['unit', 'cli', 'adapter'];
const files = suites.flatMap((s) => (s.endsWith('.ts') ? [s] : find(join('test', s))));
if (!files.length) {
  console.error(`no test files for: ${suites.join(' ')}`);
  process.exit(1);
}
const outdir = join('out', 'test');
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: files,
  outdir,
  outbase: '.',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  packages: 'external',
  logLevel: 'warning',
});
const outs = files.map((f) => join(outdir, relative('.', f)).replace(/\.ts$/, '.js'));
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...outs], { stdio: 'inherit' });
process.exit(r.status ?? 1);
