// Fused compare + B.cond (isa/exec/fused.ts): the pair is one executor in the compare's slot, yet it must
// behave as two instructions. Breakpoint on the B.cond (stops there, flags already set), single-step
// (the compare alone), a budget ending between the two, a guest store over the B.cond word, a branch landing
// on the B.cond, and a differential check of every fusable form and condition against step-by-step runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE } from '../helpers/cpuHarness';

const NOP = 0xd503201f;
/** B.cond from byte offset `from` to `to` (same program). */
const bcond = (cond: number, from: number, to: number): number => (0x54000000 | ((((to - from) >> 2) & 0x7ffff) << 5) | cond) >>> 0;
/** B from `from` to `to`. */
const b = (from: number, to: number): number => (0x14000000 | (((to - from) >> 2) & 0x3ffffff)) >>> 0;
const CMP_W0_IMM = (imm: number): number => (0x7100001f | (imm << 10)) >>> 0; // cmp w0, #imm
const ADD_X = (d: number, imm: number): number => (0x91000000 | (imm << 10) | (d << 5) | d) >>> 0; // add xd, xd, #imm
const EQ = 0;
const NE = 1;

test('fused CMP + B.cond: taken and not taken, icount counts both', () => {
  // 0: cmp w0,#5; 4: b.eq 0x10; 8: add x1,#1; c: b 0x14; 10: add x2,#1; 14: nop
  const prog = [CMP_W0_IMM(5), bcond(EQ, 4, 0x10), ADD_X(1, 1), b(0xc, 0x14), ADD_X(2, 1), NOP];
  for (const [w0, x1, x2, n] of [[5n, 0n, 1n, 3], [4n, 1n, 0n, 4]] as const) {
    const h = makeHarness();
    h.setX(0, w0);
    assert.equal(h.run(prog, n), 'budget');
    assert.equal(h.cpu.icount, n);
    assert.equal(h.x(1), x1);
    assert.equal(h.x(2), x2);
    assert.equal(h.pc(), CODE + 0x14n);
  }
});

test('fused pair: a breakpoint on the B.cond stops there with the flags of the CMP, then resumes', () => {
  const prog = [CMP_W0_IMM(5), bcond(EQ, 4, 0x10), ADD_X(1, 1), b(0xc, 0x14), ADD_X(2, 1), NOP];
  const h = makeHarness();
  h.cpu.code.setBreakpoint(Number(CODE) + 4);
  h.setX(0, 5n);
  assert.equal(h.run(prog, 100), 'breakpoint');
  assert.equal(h.pc(), CODE + 4n);
  assert.equal(h.cpu.icount, 1);
  assert.equal(h.cpu.nzcv >>> 28, 0b0110); // Z and C from 5 - 5
  h.cpu.bpSkipAt = h.cpu.icount;
  assert.equal(h.cpu.run(2), 'budget');
  assert.equal(h.x(2), 1n);
  assert.equal(h.pc(), CODE + 0x14n);
  // cleared: the pair fuses again and runs straight through
  h.cpu.code.clearBreakpoint(Number(CODE) + 4);
  h.setX(2, 0n);
  h.cpu.setPc(Number(CODE), 0);
  assert.equal(h.cpu.run(3), 'budget');
  assert.equal(h.x(2), 1n);
  assert.equal(h.pc(), CODE + 0x14n);
});

test('fused pair: single-step runs the CMP alone, then the B.cond', () => {
  const prog = [CMP_W0_IMM(5), bcond(EQ, 4, 0x10), ADD_X(1, 1), b(0xc, 0x14), ADD_X(2, 1), NOP];
  const h = makeHarness();
  h.setX(0, 5n);
  assert.equal(h.run(prog, 1), 'budget');
  assert.equal(h.pc(), CODE + 4n);
  assert.equal(h.cpu.icount, 1);
  assert.equal(h.cpu.nzcv >>> 28, 0b0110);
  assert.equal(h.cpu.run(1), 'budget');
  assert.equal(h.pc(), CODE + 0x10n);
  assert.equal(h.cpu.icount, 2);
});

test('fused pair: a budget ending between the CMP and the B.cond stops exactly there', () => {
  // 0: add x3,#1; 4: add x3,#1; 8: cmp w0,#5; c: b.eq 0x14; 10: add x1,#1; 14: nop
  const prog = [ADD_X(3, 1), ADD_X(3, 1), CMP_W0_IMM(5), bcond(EQ, 0xc, 0x14), ADD_X(1, 1), NOP];
  const h = makeHarness();
  h.setX(0, 5n);
  assert.equal(h.run(prog, 3), 'budget');
  assert.equal(h.cpu.icount, 3);
  assert.equal(h.pc(), CODE + 0xcn);
  assert.equal(h.cpu.run(1), 'budget');
  assert.equal(h.pc(), CODE + 0x14n);
  assert.equal(h.x(1), 0n);
});

test('fused pair: a guest store over the B.cond word is seen on the next pass', () => {
  // 0: cmp w0,#0; 4: b.ne 0xc (overwritten with NOP by the store); 8: add x1,#1; c: str w3,[x2];
  // 10: add x4,#1; 14: cmp x4,#2; 18: b.ne 0; 1c: nop
  const prog = [
    CMP_W0_IMM(0), bcond(NE, 4, 0xc), ADD_X(1, 1), 0xb9000043, ADD_X(4, 1), 0xf100089f, bcond(NE, 0x18, 0), NOP,
  ];
  const h = makeHarness();
  h.setX(0, 1n);
  h.setX(2, CODE + 4n);
  h.setX(3, BigInt(NOP));
  // pass 1: cmp, b.ne taken, str, add, cmp, b.ne (6); pass 2: cmp, nop, add x1, str, add, cmp, b.ne (7)
  assert.equal(h.run(prog, 13), 'budget');
  assert.equal(h.x(1), 1n);
  assert.equal(h.x(4), 2n);
  assert.equal(h.pc(), CODE + 0x1cn);
});

test('fused pair: a branch landing on the B.cond tests the flags set before the branch', () => {
  // 0: cmp w0,#1; 4: b.ne 0x14; 8: add x1,#1; c: cmp w0,#2; 10: b 4; 14: add x2,#1; 18: nop
  const prog = [CMP_W0_IMM(1), bcond(NE, 4, 0x14), ADD_X(1, 1), CMP_W0_IMM(2), b(0x10, 4), ADD_X(2, 1), NOP];
  const h = makeHarness();
  h.setX(0, 1n);
  assert.equal(h.run(prog, 7), 'budget');
  assert.equal(h.x(1), 1n);
  assert.equal(h.x(2), 1n);
  assert.equal(h.pc(), CODE + 0x18n);
});

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

test('fused pairs match step-by-step execution for every fusable form and condition', () => {
  // compare forms: x0 (or w0) against x1 or an immediate; some write Rd = x5
  const forms: [string, number][] = [
    ['cmp w0,#imm', 0x7100001f], ['cmp x0,#imm', 0xf100001f], ['cmn w0,#imm', 0x3100001f], ['cmn x0,#imm', 0xb100001f],
    ['cmp w0,#imm,lsl12', 0x7140001f], ['subs x5,x0,#imm', 0xf1000005], ['adds w5,w0,#imm', 0x31000005],
    ['cmp w0,w1', 0x6b01001f], ['cmp x0,x1', 0xeb01001f], ['cmn w0,w1', 0x2b01001f], ['cmn x0,x1', 0xab01001f],
    ['subs w5,w0,w1', 0x6b010005], ['adds x5,x0,x1', 0xab010005],
    ['tst w0,#0xff', 0x72001c1f], ['tst x0,#1', 0xf240001f], ['tst x0,#0xffff0000ffff0000', 0xf2103c1f],
    ['tst w0,w1', 0x6a01001f], ['tst x0,x1', 0xea01001f], ['ands x5,x0,x1', 0xea010005],
  ];
  const next = rng(12345);
  const interesting = [0n, 1n, 2n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn];
  const pick = (): bigint => {
    const k = next() % 14;
    if (k < interesting.length) return interesting[k];
    return (BigInt(next()) << 32n) | BigInt(next());
  };
  const h = makeHarness();
  let fusedRuns = 0;
  for (const [name, base] of forms) {
    for (let cond = 0; cond < 16; cond++) {
      for (let k = 0; k < 12; k++) {
        const imm = next() & 0xfff;
        const word = (base & 0x7f800000) === 0x71000000 || (base & 0x7f800000) === 0x31000000 ? (base | (imm << 10)) >>> 0 : base;
        const prog = [word, bcond(cond, 4, 0x10), ADD_X(6, 1), NOP, ADD_X(7, 1), NOP];
        const x0 = pick();
        const x1 = k === 0 ? x0 : pick();
        const nzcv0 = (next() & 0xf) << 28;
        const state = (): string => `pc=${h.pc()} nzcv=${h.cpu.nzcv >>> 28} x5=${h.x(5)} icount=${h.cpu.icount}`;
        const setup = (): void => {
          h.setX(0, x0);
          h.setX(1, x1);
          h.setX(5, 0x5555n);
          h.cpu.nzcv = nzcv0;
          h.cpu.icount = 0;
        };
        setup();
        h.run(prog, 2);
        const fused = state();
        setup();
        h.run(prog, 1);
        h.cpu.run(1);
        const stepped = state();
        assert.equal(fused, stepped, `${name} (${word.toString(16)}) cond ${cond} x0=${x0.toString(16)} x1=${x1.toString(16)}`);
        fusedRuns++;
      }
    }
  }
  assert.equal(fusedRuns, forms.length * 16 * 12);
});

// ---- triples: ADD/SUB/MOV + compare + B.cond ----------------------------------------------------------

const SUB_X0_1 = 0xd1000400; // sub x0, x0, #1
const CMP_X0_0 = 0xf100001f; // cmp x0, #0

test('fused triple: single-step, a budget inside it, and breakpoints on its compare and its B.cond', () => {
  // 0: sub x0,x0,#1; 4: cmp x0,#0; 8: b.ne 0; c: nop — a countdown loop, 3 instructions a pass
  const prog = [SUB_X0_1, CMP_X0_0, bcond(NE, 8, 0), NOP];
  const h = makeHarness();
  h.setX(0, 3n);
  assert.equal(h.run(prog, 9), 'budget');
  assert.equal(h.x(0), 0n);
  assert.equal(h.pc(), CODE + 0xcn);
  for (let budget = 1; budget <= 3; budget++) {
    h.setX(0, 3n);
    const ic0 = h.cpu.icount;
    assert.equal(h.run(prog, budget), 'budget');
    assert.equal(h.x(0), 2n);
    assert.equal(h.pc(), CODE + BigInt(budget * 4) % 0xcn);
    assert.equal(h.cpu.icount - ic0, budget);
  }
  for (const at of [4, 8]) {
    h.cpu.code.setBreakpoint(Number(CODE) + at);
    h.setX(0, 3n);
    h.cpu.icount = 0;
    h.cpu.nzcv = 0;
    assert.equal(h.run(prog, 100), 'breakpoint');
    assert.equal(h.pc(), CODE + BigInt(at));
    assert.equal(h.x(0), 2n); // the SUB ran
    assert.equal(h.cpu.icount, at / 4);
    assert.equal(h.cpu.nzcv >>> 28, at === 8 ? 0b0010 : 0); // the CMP ran only when stopped on the B.cond
    h.cpu.code.clearBreakpoint(Number(CODE) + at);
    h.cpu.bpSkipAt = h.cpu.icount;
    assert.equal(h.cpu.run(9 - at / 4), 'budget');
    assert.equal(h.x(0), 0n);
    assert.equal(h.pc(), CODE + 0xcn);
  }
});

test('fused triple: a guest store over its compare or its B.cond word is seen on the next pass', () => {
  // 0: sub x0,x0,#1; 4: cmp x0,#0; 8: b.ne 0; c: str w3,[x2]; 10: b 0 — the store overwrites the compare
  // with cmp x0,#1 or the B.cond with a NOP
  const CMP_X0_1 = 0xf100041f;
  const prog = [SUB_X0_1, CMP_X0_0, bcond(NE, 8, 0), 0xb9000043, b(0x10, 0), NOP];
  for (const [at, word] of [[4, CMP_X0_1], [8, NOP]]) {
    const h = makeHarness();
    h.setX(0, 2n);
    h.setX(2, CODE + BigInt(at));
    h.setX(3, BigInt(word));
    // x0 2 -> 1 (loop), 1 -> 0 (falls out), store, b 0
    assert.equal(h.run(prog, 8), 'budget');
    assert.equal(h.pc(), CODE);
    assert.equal(h.x(0), 0n);
    h.setX(0, 5n);
    if (at === 4) {
      assert.equal(h.cpu.run(3 * 4), 'budget'); // 5 -> 4 -> 3 -> 2 -> 1, leaving the loop at 1
      assert.equal(h.x(0), 1n);
      assert.equal(h.pc(), CODE + 0xcn);
    } else {
      assert.equal(h.cpu.run(5), 'budget'); // sub, cmp, nop, str, b: no loop
      assert.equal(h.x(0), 4n);
      assert.equal(h.pc(), CODE);
    }
  }
});

test('fused triples match step-by-step execution', () => {
  const pres: [string, number][] = [
    ['add x1,x1,#7', 0x91001c21], ['sub w1,w1,#3', 0x51000c21], ['add w1,w0,w1', 0x0b010001], ['sub x1,x0,x1', 0xcb010001],
    ['mov x1,x0', 0xaa0003e1], ['mov w1,w0', 0x2a0003e1], ['add x1,x1,#1,lsl12', 0x91400421], ['sub x0,x0,#1', SUB_X0_1],
  ];
  const cmps: [string, number][] = [
    ['cmp w0,#5', CMP_W0_IMM(5)], ['cmp x0,#0', CMP_X0_0], ['cmp w0,w1', 0x6b01001f], ['cmp x0,x1', 0xeb01001f],
    ['cmn w0,w1', 0x2b01001f], ['cmn x0,x1', 0xab01001f], ['subs w5,w0,w1', 0x6b010005], ['adds x5,x0,#9', 0xb1002405],
  ];
  const next = rng(777);
  const interesting = [0n, 1n, 5n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x8000000000000000n, 0xffffffffffffffffn];
  const pick = (): bigint => {
    const k = next() % 12;
    return k < interesting.length ? interesting[k] : (BigInt(next()) << 32n) | BigInt(next());
  };
  const h = makeHarness();
  for (const [pn, pw] of pres) {
    for (const [cn, cw] of cmps) {
      for (let cond = 0; cond < 14; cond++) {
        const prog = [pw, cw, bcond(cond, 8, 0x14), ADD_X(6, 1), NOP, ADD_X(7, 1), NOP];
        const x0 = pick();
        const x1 = next() & 1 ? x0 : pick();
        const state = (): string => `pc=${h.pc()} nzcv=${h.cpu.nzcv >>> 28} x0=${h.x(0)} x1=${h.x(1)} x5=${h.x(5)} icount=${h.cpu.icount}`;
        const setup = (): void => {
          h.setX(0, x0);
          h.setX(1, x1);
          h.setX(5, 0x5555n);
          h.cpu.nzcv = 0;
          h.cpu.icount = 0;
        };
        setup();
        h.run(prog, 3);
        const fused = state();
        setup();
        h.run(prog, 1);
        h.cpu.run(1);
        h.cpu.run(1);
        assert.equal(fused, state(), `${pn}; ${cn}; b.cond ${cond} x0=${x0.toString(16)} x1=${x1.toString(16)}`);
      }
    }
  }
});

// ---- quads: two ADD/SUB/MOV + compare + B.cond ----------------------------------------------------------

test('fused quad: every budget inside it, breakpoints on each later slot, a store over its last word', () => {
  // 0: add x9,x9,#1; 4: sub x0,x0,#1; 8: cmp x0,#0; c: b.ne 0; 10: nop — 4 instructions a pass
  const prog = [ADD_X(9, 1), SUB_X0_1, CMP_X0_0, bcond(NE, 0xc, 0), NOP];
  const h = makeHarness();
  h.setX(0, 3n);
  assert.equal(h.run(prog, 12), 'budget');
  assert.equal(h.x(0), 0n);
  assert.equal(h.x(9), 3n);
  assert.equal(h.pc(), CODE + 0x10n);
  for (let budget = 1; budget <= 4; budget++) {
    h.setX(0, 3n);
    h.setX(9, 0n);
    const ic0 = h.cpu.icount;
    assert.equal(h.run(prog, budget), 'budget');
    assert.equal(h.x(9), 1n);
    assert.equal(h.x(0), budget >= 2 ? 2n : 3n);
    assert.equal(h.pc(), CODE + BigInt(budget * 4) % 0x10n);
    assert.equal(h.cpu.icount - ic0, budget);
  }
  for (const at of [4, 8, 0xc]) {
    h.cpu.code.setBreakpoint(Number(CODE) + at);
    h.setX(0, 3n);
    h.setX(9, 0n);
    h.cpu.icount = 0;
    h.cpu.nzcv = 0;
    assert.equal(h.run(prog, 100), 'breakpoint');
    assert.equal(h.pc(), CODE + BigInt(at));
    assert.equal(h.x(9), 1n);
    assert.equal(h.x(0), at >= 8 ? 2n : 3n);
    assert.equal(h.cpu.icount, at / 4);
    assert.equal(h.cpu.nzcv >>> 28, at === 0xc ? 0b0010 : 0);
    h.cpu.code.clearBreakpoint(Number(CODE) + at);
    h.cpu.bpSkipAt = h.cpu.icount;
    assert.equal(h.cpu.run(12 - at / 4), 'budget');
    assert.equal(h.x(0), 0n);
    assert.equal(h.x(9), 3n);
    assert.equal(h.pc(), CODE + 0x10n);
  }
  // 0: add x9; 4: sub x0; 8: cmp x0,#0; c: b.ne 0 (overwritten with a NOP); 10: str w3,[x2]; 14: b 0
  const prog2 = [ADD_X(9, 1), SUB_X0_1, CMP_X0_0, bcond(NE, 0xc, 0), 0xb9000043, b(0x14, 0), NOP];
  h.setX(0, 2n);
  h.setX(2, CODE + 0xcn);
  h.setX(3, BigInt(NOP));
  assert.equal(h.run(prog2, 10), 'budget'); // two passes, the store, b 0
  assert.equal(h.pc(), CODE);
  h.setX(0, 5n);
  assert.equal(h.cpu.run(6), 'budget'); // add, sub, cmp, nop, str, b: no loop
  assert.equal(h.x(0), 4n);
  assert.equal(h.pc(), CODE);
});

test('fused quads match step-by-step execution', () => {
  const pres: number[] = [0x91001c21, 0x51000c21, 0x0b010001, 0xcb010001, 0xaa0003e1, 0x2a0003e1, SUB_X0_1, 0x8b010000];
  const cmps: number[] = [CMP_W0_IMM(5), CMP_X0_0, 0x6b01001f, 0xeb01001f, 0x2b01001f, 0xab01001f, 0x6b010005, 0xb1002405];
  const next = rng(4242);
  const pick = (): bigint => BigInt.asUintN(64, next() & 3 ? BigInt(next() & 7) - 2n : (BigInt(next()) << 32n) | BigInt(next()));
  const h = makeHarness();
  for (const p1 of pres) {
    for (const p2 of pres) {
      for (const cw of cmps) {
        const cond = next() % 14;
        const prog = [p1, p2, cw, bcond(cond, 0xc, 0x18), ADD_X(6, 1), NOP, ADD_X(7, 1), NOP];
        const x0 = pick();
        const x1 = pick();
        const state = (): string => `pc=${h.pc()} nzcv=${h.cpu.nzcv >>> 28} x0=${h.x(0)} x1=${h.x(1)} x5=${h.x(5)} icount=${h.cpu.icount}`;
        const setup = (): void => {
          h.setX(0, x0);
          h.setX(1, x1);
          h.setX(5, 0x5555n);
          h.cpu.nzcv = 0;
          h.cpu.icount = 0;
        };
        setup();
        h.run(prog, 4);
        const fused = state();
        setup();
        for (let k = 0; k < 4; k++) {
          if (k === 0) h.run(prog, 1);
          else h.cpu.run(1);
        }
        assert.equal(fused, state(), `${p1.toString(16)}; ${p2.toString(16)}; ${cw.toString(16)}; b.cond ${cond} x0=${x0} x1=${x1}`);
      }
    }
  }
});
