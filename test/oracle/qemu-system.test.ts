// Differential test of the system instructions that are deterministic at EL0, against QEMU user mode
// (qemu-aarch64): every hint (NOP, YIELD, WFE, WFI, SEV, SEVL and every other HINT #imm, the pointer
// authentication and BTI hints among them), the barriers DSB/DMB/ISB and CLREX with every CRm, MRS/MSR
// NZCV and TPIDR_EL0 with every Rt, and FEAT_FlagM/FlagM2's CFINV, AXFLAG, XAFLAG. Each case's block loads
// x0..x7 and NZCV, runs the instruction, and stores x0..x7, NZCV and TPIDR_EL0 (so an MSR's effect shows,
// and TPIDR_EL0 carries from case to case the same way in both runs). One program runs under QEMU and under
// our Linux process mode (test/helpers/qemuOracle.ts); every stored value must agree.
//
// Left out by design: MRS of the ID registers and the other registers whose values are the CPU model's
// (CTR_EL0, DCZID_EL0, MIDR through the EL0 ID emulation), the counters (CNTVCT_EL0: time), RNDR/RNDRRS
// (random), DC ZVA (its block size is DCZID's), FPCR/FPSR (the FP/SIMD work), and SB (FEAT_SB: our models
// do not have it). QEMU runs with `-cpu max,pauth=off`: our models do not implement FEAT_PAuth, and on a
// CPU without it the PAC/AUT hints (PACIASP, AUTIASP, XPACLRI...) are NOPs (Arm ARM C6.2, "PACIASP ...
// this instruction executes as a NOP" when FEAT_PAuth is not implemented); QEMU's max with PAuth on would
// sign X30.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROWS, decode, type Row } from '../../src/emu/isa/decoder';
import { biasedWord, rng } from '../helpers/encodingOracle';
import {
  LOAD_X0_X9, Mismatches, START, START_INSNS, STORE_X0_X7, buildAndRunQemu, caseAt, casesPerRow, diffRegisters, inst, limitRegs,
  putField, quads, qword, requireQemuTools, runOurs, symbol, writeAndExit,
} from '../helpers/qemuOracle';

const QEMU_CPU = ['-cpu', 'max,pauth=off'];
/** Rows compared whole (every word of the row). */
const WHOLE = ['NOP', 'YIELD', 'WFE', 'WFI', 'SEV', 'SEVL', 'HINT', 'CLREX', 'DSB', 'DMB', 'ISB', 'CFINV', 'AXFLAG', 'XAFLAG'];
/** MRS/MSR: only these system registers (op0, op1, CRn, CRm, op2). */
const SYSREGS: Record<string, [number, number, number, number, number]> = {
  NZCV: [3, 3, 4, 2, 0],
  TPIDR_EL0: [3, 3, 13, 0, 2],
};
const SYSTEM_ROWS: Row[] = ROWS.filter((r) => WHOLE.includes(r.id) || r.id === 'MRS' || r.id === 'MSR_reg');
const PER_ROW = casesPerRow('A64_SYSTEM_CASES', 300, SYSTEM_ROWS.length);
/** Instructions per case block. */
const BLOCK = LOAD_X0_X9.length + 1 + 1 + 2 + STORE_X0_X7.length + 1;
/** Bytes stored per case: x0..x7, NZCV, TPIDR_EL0. */
const OUT = 80;
const NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'nzcv', 'tpidr_el0'];
const CHUNK = 40_000;

interface Case {
  row: string;
  word: number;
  /** x0..x7, NZCV (bits 31:28), and a pad. */
  inputs: bigint[];
}

const EDGES = [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffffn, 0x80000000n, 0xf0000000n];

function makeCases(): Case[] {
  const next = rng(0x5c5);
  const cases: Case[] = [];
  for (const row of SYSTEM_ROWS) {
    let made = 0;
    for (let tries = 0; made < PER_ROW && tries < PER_ROW * 50; tries++) {
      let w = biasedWord(row, next);
      // the first tries walk every hint number and every barrier option
      if (row.id === 'HINT' && tries < 128) w = putField(row, putField(row, w, 'CRm', tries >> 3), 'op2', tries & 7);
      if (['CLREX', 'DSB', 'DMB', 'ISB'].includes(row.id) && tries < 16) w = putField(row, w, 'CRm', tries);
      if (row.id === 'MRS' || row.id === 'MSR_reg') {
        const names = Object.keys(SYSREGS);
        const [op0, op1, crn, crm, op2] = SYSREGS[names[next() % names.length]];
        w = putField(row, w, 'op0', op0);
        w = putField(row, w, 'op1', op1);
        w = putField(row, w, 'CRn', crn);
        w = putField(row, w, 'CRm', crm);
        w = putField(row, w, 'op2', op2);
        w = limitRegs(row, w, ['Rt']);
      }
      const d = decode(w);
      if (!d || d.row.id !== row.id) continue;
      const inputs: bigint[] = [];
      for (let i = 0; i < 8; i++) {
        inputs.push(next() % 3 === 0 ? EDGES[next() % EDGES.length] : (BigInt(next()) << 32n) | BigInt(next()));
      }
      inputs.push(BigInt((next() & 0xf0000000) >>> 0), 0n);
      cases.push({ row: row.id, word: w, inputs });
      made++;
    }
  }
  return cases;
}

function program(cases: Case[]): string {
  const lines = [...START];
  for (const c of cases) {
    lines.push(
      ...LOAD_X0_X9, '  msr nzcv, x8', inst(c.word), '  mrs x8, nzcv', '  mrs x9, tpidr_el0', ...STORE_X0_X7, '  stp x8, x9, [x21], #16',
    );
  }
  lines.push(...writeAndExit('outputs', cases.length * OUT), '.ltorg', '.data', '.balign 16', 'inputs:');
  for (const c of cases) lines.push(quads(c.inputs));
  lines.push('.bss', '.balign 16', 'outputs:', `  .skip ${cases.length * OUT}`);
  return lines.join('\n') + '\n';
}

test('system instructions deterministic at EL0: our process mode agrees with qemu-aarch64', () => {
  requireQemuTools();
  const cases = makeCases();
  const bad = new Mismatches();
  for (let k = 0; k < cases.length; k += CHUNK) {
    const chunk = cases.slice(k, k + CHUNK);
    const { out: ref, elf, image } = buildAndRunQemu('system', program(chunk), chunk.length * OUT, {}, QEMU_CPU);
    const first = symbol(image, '_start') + 4 * START_INSNS;
    const ours = runOurs(elf, chunk.length * OUT, (pc) => caseAt(chunk, first, 4 * BLOCK, pc));
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      const at = (b: Buffer) => NAMES.map((_, j) => qword(b, i * OUT + 8 * j));
      bad.add(c.row, c.word, c.inputs, diffRegisters(NAMES, at(ours), at(ref)));
    }
  }
  assert.equal(bad.report('qemu-system', cases, 5), 0);
});
