#!/usr/bin/env node
// Runs test suites with Node's built-in test runner (TypeScript through tsx).
//   node test/run.mjs               the default suites: unit, cli and adapter
//   node test/run.mjs oracle        suites that compare against GNU objdump / QEMU (need the apt tools)
//   node test/run.mjs FILE...       just those files
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

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
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
