#!/usr/bin/env node
// The full differential run against qemu-aarch64: every class's QEMU oracle test (test/oracle/qemu-*.test.ts:
// data processing, loads/stores, exclusives and atomics, branches, system, and FEAT_CSSC against its
// definitions) with at least 100,000 cases per
// class (A64_DIFF_MIN_CASES, shared among the class's rows), each run under QEMU and under our Linux process
// mode. CI runs the same tests with their small default budgets (`node test/run.mjs oracle`); this is the
// long run whose figures go in the notes. Prints, per class, rows, cases and mismatches, and exits
// non-zero when any class has a mismatch or fails.
//   node scripts/differential.mjs [--min N] [CLASS...]      (CLASS: dp, ldst, atomics, branch, system, cssc)
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const i = args.indexOf('--min');
const min = i >= 0 ? args.splice(i, 2)[1] : '100000';
const classes = args.length ? args : ['dp', 'ldst', 'atomics', 'branch', 'system', 'cssc'];
const files = classes.map((c) => `test/oracle/qemu-${c}.test.ts`);
const t0 = Date.now();
const r = spawnSync(process.execPath, ['test/run.mjs', ...files], {
  env: { ...process.env, A64_DIFF_MIN_CASES: min },
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
const lines = out.split('\n');
// the per-row mismatch lines and the one-line summary each test prints
for (const l of lines) if (/^# \S+: \d+ mismatches/.test(l) || /^#\s{3}/.test(l)) console.log(l.replace(/^# /, ''));
console.log(`\ndifferential run, at least ${min} cases per class (${((Date.now() - t0) / 1000).toFixed(0)} s):`);
let bad = r.status !== 0;
for (const c of classes) {
  const m = lines.map((l) => new RegExp(`qemu-${c}: (\\d+) rows, (\\d+) cases, (\\d+) mismatches`).exec(l)).find(Boolean);
  if (!m) {
    console.log(`  ${c.padEnd(8)} no result (the test failed before comparing; see below)`);
    bad = true;
    continue;
  }
  console.log(`  ${c.padEnd(8)} ${m[1].padStart(4)} rows ${m[2].padStart(8)} cases ${m[3].padStart(6)} mismatches`);
  if (m[3] !== '0') bad = true;
}
if (r.status !== 0) console.log(lines.filter((l) => /not ok|Error|fail/i.test(l)).slice(0, 40).join('\n'));
process.exit(bad ? 1 : 0);
