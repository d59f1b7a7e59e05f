// The SIMD and crypto features of each CPU model agree three ways: the feature set that gates execution
// (cpu/models.ts), the ID_AA64ISAR0_EL1 fields the guest reads, and the AT_HWCAP bits the process mode
// derives for the model; and feature-gated SIMD/crypto words UNDEF on models without the feature and run
// on the others. (What the instructions compute is checked against QEMU in test/oracle/qemu-simd.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CPU_MODELS, CPU_MODEL_NAMES, type CpuModelName } from '../../src/emu/cpu/models';
import {
  HWCAP_AES, HWCAP_ASIMDDP, HWCAP_ASIMDRDM, HWCAP_PMULL, HWCAP_SHA1, HWCAP_SHA2, HWCAP_SHA3, HWCAP_SHA512, detectCpuFeatures, hwcapFor,
} from '../../src/emu/process/hwcap';
import { disassemble } from '../../src/emu/isa/disasm';
import { makeHarness, CODE, RAM_BASE } from '../helpers/cpuHarness';

const field = (v: bigint, lsb: number): number => Number((v >> BigInt(lsb)) & 0xfn);

test('ID_AA64ISAR0 crypto/RDM/DotProd fields, the feature sets and AT_HWCAP agree on every model', () => {
  for (const name of CPU_MODEL_NAMES) {
    const m = CPU_MODELS[name];
    const has = (f: string): boolean => m.features.includes(f);
    const isar0 = m.isar0;
    assert.equal(field(isar0, 4), has('FEAT_PMULL') ? 2 : has('FEAT_AES') ? 1 : 0, `${name} AES`);
    assert.equal(field(isar0, 8), has('FEAT_SHA1') ? 1 : 0, `${name} SHA1`);
    assert.equal(field(isar0, 12), has('FEAT_SHA512') ? 2 : has('FEAT_SHA256') ? 1 : 0, `${name} SHA2`);
    assert.equal(field(isar0, 32), has('FEAT_SHA3') ? 1 : 0, `${name} SHA3`);
    assert.equal(field(isar0, 28), has('FEAT_RDM') ? 1 : 0, `${name} RDM`);
    assert.equal(field(isar0, 44), has('FEAT_DotProd') ? 1 : 0, `${name} DP`);
    const { hwcap } = hwcapFor(detectCpuFeatures(new Set(m.features)));
    const bit = (b: number): boolean => (hwcap & b) !== 0;
    assert.equal(bit(HWCAP_AES), field(isar0, 4) >= 1, `${name} HWCAP_AES`);
    assert.equal(bit(HWCAP_PMULL), field(isar0, 4) === 2, `${name} HWCAP_PMULL`);
    assert.equal(bit(HWCAP_SHA1), field(isar0, 8) === 1, `${name} HWCAP_SHA1`);
    assert.equal(bit(HWCAP_SHA2), field(isar0, 12) >= 1, `${name} HWCAP_SHA2`);
    assert.equal(bit(HWCAP_SHA512), field(isar0, 12) === 2, `${name} HWCAP_SHA512`);
    assert.equal(bit(HWCAP_SHA3), field(isar0, 32) === 1, `${name} HWCAP_SHA3`);
    assert.equal(bit(HWCAP_ASIMDRDM), field(isar0, 28) === 1, `${name} HWCAP_ASIMDRDM`);
    assert.equal(bit(HWCAP_ASIMDDP), field(isar0, 44) === 1, `${name} HWCAP_ASIMDDP`);
  }
  // Graviton2 (Neoverse N1): AES, PMULL, SHA1, SHA2, DotProd, RDM; no SHA512, no SHA3
  const n1 = CPU_MODELS['neoverse-n1'].features;
  for (const f of ['FEAT_AES', 'FEAT_PMULL', 'FEAT_SHA1', 'FEAT_SHA256', 'FEAT_DotProd', 'FEAT_RDM']) assert.ok(n1.includes(f), f);
  for (const f of ['FEAT_SHA512', 'FEAT_SHA3']) assert.ok(!n1.includes(f), f);
});

test('feature gating: crypto, RDM and DotProd words UNDEF where the model lacks the feature', () => {
  const VBAR = BigInt(RAM_BASE + 0x10000);
  const runs = (model: CpuModelName, word: number): boolean => {
    const h = makeHarness({}, { model });
    h.cpu.sys.set('VBAR_EL1', VBAR);
    h.cpu.sys.set('CPACR_EL1', 3n << 20n); // no SIMD&FP access trap: only the feature decides
    h.run([word], 1);
    const ok = h.pc() === CODE + 4n;
    if (!ok) assert.equal(Number(h.cpu.sys.get('ESR_EL1') >> 26n), 0, `${model} 0x${word.toString(16)}: UNDEF`);
    return ok;
  };
  const cases: [string, number, CpuModelName[], CpuModelName[]][] = [
    ['aese v0.16b, v1.16b', 0x4e284820, ['cortex-a57', 'cortex-a72'], ['neoverse-n1', 'max']],
    ['pmull v0.1q, v1.1d, v2.1d', 0x0ee2e020, ['cortex-a57', 'cortex-a72'], ['neoverse-n1', 'max']],
    ['sha256h q0, q1, v2.4s', 0x5e024020, ['cortex-a72'], ['neoverse-n1', 'max']],
    ['sha512su0 v0.2d, v1.2d', 0xcec08020, ['cortex-a72', 'neoverse-n1'], ['max']],
    ['eor3 v0.16b, v1.16b, v2.16b, v3.16b', 0xce020c20, ['neoverse-n1'], ['max']],
    ['sdot v0.4s, v1.16b, v2.16b', 0x4e829420, ['cortex-a57'], ['neoverse-n1', 'max']],
    ['sqrdmlah v0.4s, v1.4s, v2.4s', 0x6e828420, ['cortex-a72'], ['neoverse-n1', 'max']],
    ['add v0.4s, v1.4s, v2.4s', 0x4ea28420, [], ['cortex-a57', 'neoverse-n1', 'max']],
    ['pmull v0.8h, v1.8b, v2.8b', 0x0e22e020, [], ['cortex-a57', 'max']],
  ];
  for (const [asm, word, undef, ok] of cases) {
    assert.equal(disassemble(word, 0n).text.replace(/\s+/g, ' '), asm);
    for (const m of undef) assert.equal(runs(m, word), false, `${asm} on ${m}`);
    for (const m of ok) assert.equal(runs(m, word), true, `${asm} on ${m}`);
  }
});
