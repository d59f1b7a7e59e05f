// The SIMD&FP plumbing around the floating-point executors (their arithmetic is proved against QEMU in
// test/oracle/qemu-fp.test.ts): the CPACR_EL1.FPEN and CPTR_EL2.TFP access traps (EC 0x07, to EL1 or EL2,
// for data processing, loads/stores and MRS/MSR of FPCR/FPSR), FPCR/FPSR's writable bits per model, feature
// gating of the FP16/JSCVT rows, a scalar write clearing the upper bits of V while FMOV to V.D[1] keeps the
// lower half, and the process mode's HWCAP_FP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE, RAM_BASE, type Harness } from '../helpers/cpuHarness';
import { I_VREG } from '../../src/emu/cpu/regs';
import type { CpuModelName } from '../../src/emu/cpu/models';
import { detectCpuFeatures, hwcapFor } from '../../src/emu/process';

const VBAR = BigInt(RAM_BASE + 0x10000);
const FADD_S = 0x1e222820; // fadd s0, s1, s2
const LDR_Q = 0x3dc00020; // ldr q0, [x1]
const MRS_FPCR = 0xd53b4400; // mrs x0, fpcr
const MSR_FPCR = 0xd51b4400; // msr fpcr, x0
const MRS_FPSR = 0xd53b4420; // mrs x0, fpsr
const MSR_FPSR = 0xd51b4420; // msr fpsr, x0

function setup(opts: { highestEl?: 1 | 2; model?: CpuModelName } = {}): Harness {
  const h = makeHarness({}, opts);
  h.cpu.sys.set('VBAR_EL1', VBAR);
  if (opts.highestEl === 2) h.cpu.sys.set('VBAR_EL2', VBAR + 0x1000n);
  h.setX(1, BigInt(RAM_BASE + 0x2000));
  return h;
}

/** Runs one word at `el` (0, 1 or 2); true when it completed. */
function runAt(h: Harness, word: number, el: number): boolean {
  h.cpu.setElSp(el, el ? 1 : 0);
  h.run([word], 1);
  return h.pc() === CODE + 4n;
}

const esr = (h: Harness, el: number): bigint => h.cpu.sys.get(`ESR_EL${el}`);

test('CPACR_EL1.FPEN traps SIMD&FP instructions and FPCR/FPSR accesses with EC 0x07', () => {
  for (const word of [FADD_S, LDR_Q, MRS_FPCR, MSR_FPSR]) {
    const h = setup();
    h.cpu.sys.set('CPACR_EL1', 0n);
    assert.equal(runAt(h, word, 1), false, `0x${word.toString(16)} traps at EL1 with FPEN = 00`);
    assert.equal(esr(h, 1), (0x07n << 26n) | (1n << 25n) | 0x1e00000n);
    assert.equal(h.pc(), VBAR + 0x200n, 'current EL, SP_ELx vector');
    h.cpu.sys.set('CPACR_EL1', 1n << 20n);
    assert.equal(runAt(h, word, 1), true, 'FPEN = 01: EL1 runs it');
    assert.equal(runAt(h, word, 0), false, 'FPEN = 01: EL0 traps');
    assert.equal(Number(esr(h, 1) >> 26n), 0x07);
    assert.equal(h.pc(), VBAR + 0x400n, 'lower EL vector');
    h.cpu.sys.set('CPACR_EL1', 2n << 20n);
    assert.equal(runAt(h, word, 1), false, 'FPEN = 10 traps EL1 too');
    h.cpu.sys.set('CPACR_EL1', 3n << 20n);
    assert.equal(runAt(h, word, 0), true, 'FPEN = 11: EL0 runs it');
  }
});

test('CPTR_EL2.TFP traps EL1 and EL2 SIMD&FP use to EL2', () => {
  const h = setup({ highestEl: 2 });
  h.cpu.sys.set('CPACR_EL1', 3n << 20n);
  assert.equal(runAt(h, FADD_S, 1), true);
  h.cpu.sys.set('CPTR_EL2', 0x33ffn | 0x400n);
  assert.equal(runAt(h, FADD_S, 1), false);
  assert.equal(Number(esr(h, 2) >> 26n), 0x07, 'taken to EL2');
  assert.equal(h.cpu.el, 2);
  assert.equal(runAt(h, MRS_FPCR, 2), false, 'EL2 itself is trapped');
  h.cpu.sys.set('CPTR_EL2', 0x33ffn);
  assert.equal(runAt(h, MRS_FPCR, 2), true);
});

test('FPCR keeps AHP, DN, FZ, RMode (and FZ16 with FEAT_FP16); FPSR keeps QC and the cumulative flags', () => {
  for (const [model, fpcr] of [['max', 0x07c80000n], ['cortex-a57', 0x07c00000n]] as const) {
    const h = setup({ model });
    h.cpu.sys.set('CPACR_EL1', 3n << 20n);
    h.setX(0, 0xffffffffffffffffn);
    assert.ok(runAt(h, MSR_FPCR, 1));
    assert.ok(runAt(h, MRS_FPCR, 1));
    assert.equal(h.x(0), fpcr, model);
    h.setX(0, 0xffffffffffffffffn);
    assert.ok(runAt(h, MSR_FPSR, 1));
    assert.ok(runAt(h, MRS_FPSR, 1));
    assert.equal(h.x(0), 0x0800009fn);
  }
});

test('FP16 and FJCVTZS rows UNDEF on models without FEAT_FP16 / FEAT_JSCVT', () => {
  const cases: [number, CpuModelName[], CpuModelName[]][] = [
    [0x1ee22820, ['cortex-a57', 'cortex-a72'], ['neoverse-n1', 'max']], // fadd h0, h1, h2
    [0x1e7e0020, ['cortex-a57', 'cortex-a72', 'neoverse-n1'], ['max']], // fjcvtzs w0, d1
    [0x1e684020, ['cortex-a57', 'neoverse-n1'], ['max']], // frint32z d0, d1
    [0x1ee24020, [], ['cortex-a57', 'max']], // fcvt s0, h1 (base ARMv8)
  ];
  for (const [word, undef, run] of cases) {
    for (const model of [...undef, ...run]) {
      const h = setup({ model });
      h.cpu.sys.set('CPACR_EL1', 3n << 20n);
      assert.equal(runAt(h, word, 1), run.includes(model), `0x${word.toString(16)} on ${model}`);
      if (!run.includes(model)) assert.equal(Number(esr(h, 1) >> 26n), 0, 'UNDEF');
    }
  }
});

test('scalar writes clear the upper bits of V; FMOV V.D[1] keeps the lower half', () => {
  const h = setup();
  h.cpu.sys.set('CPACR_EL1', 3n << 20n);
  const v = (n: number) => Array.from(h.cpu.r.subarray(I_VREG + 4 * n, I_VREG + 4 * n + 4), (x) => x >>> 0);
  h.cpu.r.fill(-1, I_VREG, I_VREG + 12);
  h.cpu.r[I_VREG + 4] = 0x3f800000; // s1 = 1.0
  h.cpu.r[I_VREG + 8] = 0x40000000; // s2 = 2.0
  assert.ok(runAt(h, FADD_S, 1));
  assert.deepEqual(v(0), [0x40400000, 0, 0, 0], 's0 = 3.0, upper bits cleared');
  h.setX(3, 0x1122334455667788n);
  assert.ok(runAt(h, 0x9eaf0060, 1)); // fmov v0.d[1], x3
  assert.deepEqual(v(0), [0x40400000, 0, 0x55667788, 0x11223344]);
});

test('the process mode advertises HWCAP_FP', () => {
  assert.ok(hwcapFor(detectCpuFeatures()).hwcap & 1);
});
