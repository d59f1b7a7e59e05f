// Oracle test of the branch and system disassembly against GNU objdump (binutils 2.40): random words per
// 'branch' and 'system' row (fixed seed), exhaustive sweeps of the fields objdump names (every hint,
// barrier option, MSR (immediate) field, and every MRS/MSR system register encoding, which also checks
// the generated sysregNameTable.ts), and random words over the whole branch/exception/system space
// (op0 = 101x). Our text must equal objdump's, whitespace aside; a word objdump calls undefined must be
// undecodable for us. Words objdump decodes that we leave undecoded are counted per category when they
// belong to instructions not implemented (SYSP/TLBIP and the other 128-bit system instructions, DSB nXS);
// any other is a failure. SYS/SYSL with their DC/IC/AT/TLBI aliases are in scope: every op1/CRn/CRm/op2 is
// swept with Rt = 0 and Rt = 31. FEAT_HBC's BC.cond, FEAT_SB's SB, FEAT_WFxT's WFET/WFIT and FEAT_TME's
// TSTART/TTEST/TCOMMIT/TCANCEL (rows/later.ts), the PAuth branches BRA*/BLRA*/RETA*/ERETA* (rows/pauth.ts)
// and DCPS1/2/3, DRPS are in scope: random words per row, and their register and immediate fields swept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS } from '../../src/emu/isa/decoder';
import { requireObjdump } from '../helpers/objdump';
import { biasedWord, compareWithObjdump, report, rng, sweepRow, type OracleResult } from '../helpers/encodingOracle';

const PER_ROW = Number(process.env.A64_BRSYS_WORDS ?? 3000);
const ROWS_BS = ROWS.filter((r) => r.cls === 'branch' || r.cls === 'system');

/** Mnemonics our branch/system rows print, collected from the per-row run (aliases included). */
const ours = new Set<string>();

function category(w: number, m: string): string | undefined {
  if (m === 'dsb' && ((w >>> 5) & 7) === 1) return 'DSB nXS';
  if (/^(sysp|tlbip|brb|gcs\w*|trcit)$/.test(m)) return 'SYSP and later system instructions';
  if (ours.has(m)) return undefined;
  return 'other';
}

function check(label: string, res: OracleResult): void {
  report(label, res);
  assert.deepEqual(res.mismatches.slice(0, 20), []);
  assert.deepEqual(res.missing.slice(0, 20), []);
}

test('branch and system rows: random words per row match objdump', () => {
  requireObjdump();
  const next = rng(0xb5a7);
  const words: number[] = [];
  for (const r of ROWS_BS) for (let k = 0; k < PER_ROW; k++) words.push(biasedWord(r, next));
  const res = compareWithObjdump(words, category);
  for (const m of res.ourMnemonics) ours.add(m);
  check(`objdump-branch-system random (${ROWS_BS.length} rows x ${PER_ROW})`, res);
});

test('hints, barriers, MSR (immediate) and every system register encoding match objdump', () => {
  requireObjdump();
  const next = rng(0x5e9);
  const words: number[] = [
    ...sweepRow('HINT', ['CRm', 'op2']),
    ...sweepRow('CLREX', ['CRm']),
    ...sweepRow('DSB', ['CRm']),
    ...sweepRow('DMB', ['CRm']),
    ...sweepRow('ISB', ['CRm']),
    ...sweepRow('MSR_imm', ['op1', 'CRm', 'op2']),
    ...sweepRow('RET', ['Rn']),
    ...sweepRow('BC_cond', ['cond'], [{ imm19: 0 }, { imm19: 1 }, { imm19: 0x7ffff }, { imm19: 0x40000 }]),
    ...sweepRow('SYS', ['op1', 'CRn', 'CRm', 'op2'], [{ Rt: 0 }, { Rt: 31 }, { Rt: 17 }]),
    ...sweepRow('SYSL', ['op1', 'CRn', 'CRm', 'op2'], [{ Rt: 0 }, { Rt: 31 }]),
    ...sweepRow('RMIF', ['imm6', 'mask'], [{ Rn: 3 }]),
    // PAuth branches: every Rn/Rm of the register forms, every M/R/L; the fixed-register forms
    ...sweepRow('BRA', ['R', 'L', 'M', 'Rn', 'Rm']),
    ...sweepRow('RETA', ['M']),
    ...sweepRow('ERETA', ['M']),
    // WFxT and TME register operands, debug state immediates
    ...sweepRow('WFET', ['Rd']),
    ...sweepRow('WFIT', ['Rd']),
    ...sweepRow('TSTART', ['Rt']),
    ...sweepRow('TTEST', ['Rt']),
    ...sweepRow('DCPS', ['LL'], [{ imm16: 0 }, { imm16: 1 }, { imm16: 0xffff }, { imm16: 0x8000 }]),
    ...sweepRow('TCANCEL', [], [{ imm16: 0 }, { imm16: 1 }, { imm16: 0xffff }, { imm16: 0x8000 }]),
  ];
  // every op0:op1:CRn:CRm:op2 for MRS and MSR (register), with a random Rt
  for (const id of ['MRS', 'MSR_reg']) {
    for (const w of sweepRow(id, ['op0', 'op1', 'CRn', 'CRm', 'op2'])) words.push((w | (next() & 31)) >>> 0);
    // op0 = 0 (hints, barriers, PSTATE and later instructions live there) with Rt = 31 and Rt = 0
    words.push(...sweepRow(id, ['op1', 'CRn', 'CRm', 'op2'], [{ op0: 0, Rt: 31 }, { op0: 0, Rt: 0 }]));
  }
  const res = compareWithObjdump(words, category);
  for (const m of res.ourMnemonics) ours.add(m);
  check('objdump-branch-system sweeps', res);
});

test('the whole branch/exception/system space: nothing in scope left undecoded, nothing extra decoded', () => {
  requireObjdump();
  const next = rng(0xe5c);
  const words: number[] = [];
  // op0 = 101x: bits 28:26 = 101
  for (let k = 0; k < 100_000; k++) words.push(((next() & ~(7 << 26)) | (5 << 26)) >>> 0);
  // and the system-instruction corner (bits 31:22 = 1101010100) more densely
  for (let k = 0; k < 50_000; k++) words.push(((next() & 0x3fffff) | 0xd5000000) >>> 0);
  check('objdump-branch-system space', compareWithObjdump(words, category));
});
