// Instruction semantics of the system-level additions of the integer ISA: CRC32/CRC32C against the standard
// check values, FEAT_FlagM/FlagM2 flag arithmetic, RNDR/RNDRRS determinism per seed, DC ZVA (block, EL0
// enable), AT and PAR_EL1, TLBI/IC/DC EL checks, SYS operations the model lacks, PAuth/BTI hints as NOPs
// and the non-hint PAuth instructions UNDEF, the ID registers each CPU model reports through MRS, and
// decode-time feature gating (a FEAT_FlagM/FEAT_LSE word UNDEFs on cortex-a72 and runs on max).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, CODE, RAM_BASE, type Harness } from '../helpers/cpuHarness';
import { CRC32_TABLE, CRC32C_TABLE, crcBytes } from '../../src/emu/isa/exec/crc';
import { CPU_MODELS, CPU_MODEL_NAMES, type CpuModelName } from '../../src/emu/cpu/models';
import { decode } from '../../src/emu/isa/decoder';
import { Machine } from '../../src/emu';

const CHECK = new TextEncoder().encode('123456789');
const VBAR = BigInt(RAM_BASE + 0x10000);

/** Runs one word; true when it completed (PC advanced), false when it raised an exception. */
function runs(h: Harness, word: number): boolean {
  h.cpu.sys.set('VBAR_EL1', VBAR);
  h.run([word], 1);
  return h.pc() === CODE + 4n;
}

const ec = (h: Harness): number => Number(h.cpu.sys.get('ESR_EL1') >> 26n);

/** Drops the harness CPU to EL0 (SP_EL0) with VBAR_EL1 set. */
function toEl0(h: Harness): void {
  h.cpu.sys.set('VBAR_EL1', VBAR);
  h.cpu.setElSp(0, 0);
}

function runAtEl0(h: Harness, word: number): boolean {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, word, true);
  h.bus.writeRamBytes(Number(CODE), bytes);
  h.cpu.code.clear();
  h.cpu.setPc(Number(CODE & 0xffffffffn) | 0, 0);
  h.cpu.run(1);
  return h.pc() === CODE + 4n;
}

test('CRC-32 and CRC-32C check values of "123456789" (tables)', () => {
  assert.equal(crcBytes(CRC32_TABLE, CHECK), 0xcbf43926);
  assert.equal(crcBytes(CRC32C_TABLE, CHECK), 0xe3069283);
});

test('CRC32B/H/W/X and CRC32CB/H/W/X instructions give the check values', () => {
  const u = (n: number): bigint => {
    let v = 0n;
    for (let k = n + 7; k >= n; k--) v = (v << 8n) | BigInt(CHECK[k] ?? 0);
    return v;
  };
  // [crc32x word, crc32w, crc32h, crc32b] for the CRC32 (C=0) and CRC32C (C=1) rows: crcNN w0, w0, {w,x}1
  for (const [c, expect] of [[0, 0xcbf43926], [1, 0xe3069283]] as const) {
    const x = (0x9ac14c00 | (c << 12)) >>> 0;
    const w = (0x1ac14800 | (c << 12)) >>> 0;
    const hw = (0x1ac14400 | (c << 12)) >>> 0;
    const b = (0x1ac14000 | (c << 12)) >>> 0;
    const h = makeHarness();
    // 8 bytes with crc32x, then '9' with crc32b
    h.setX(0, 0xffffffffn);
    h.setX(1, u(0));
    h.run([x]);
    h.setX(1, 0x39n);
    h.run([b]);
    assert.equal(Number(~h.x(0) & 0xffffffffn) >>> 0, expect, `crc32${c ? 'c' : ''}x+b`);
    // 4 + 2 + 2 + 1 bytes; the upper source bits beyond the size are ignored and Wd's upper half is 0
    h.setX(0, 0xdead0000ffffffffn);
    h.setX(1, 0xffffffff00000000n | (u(0) & 0xffffffffn));
    h.run([w]);
    h.setX(1, 0xffff0000n | ((u(4) & 0xffffn)));
    h.run([hw]);
    h.setX(1, (u(6) & 0xffffn));
    h.run([hw]);
    h.setX(1, 0xff00n | 0x39n);
    h.run([b]);
    assert.equal(h.x(0) >> 32n, 0n);
    assert.equal(Number(~h.x(0) & 0xffffffffn) >>> 0, expect, `crc32${c ? 'c' : ''}w+h+h+b`);
  }
});

const flags = (h: Harness): string => [...'NZCV'].map((ch, i) => ((h.cpu.nzcv >>> (31 - i)) & 1 ? ch : ch.toLowerCase())).join('');
const setFlags = (h: Harness, s: string): void => {
  h.cpu.nzcv = [...s].reduce((v, ch, i) => v | (ch === ch.toUpperCase() ? 1 << (31 - i) : 0), 0) >>> 0;
};

test('FEAT_FlagM: CFINV, RMIF, SETF8, SETF16; FEAT_FlagM2: AXFLAG, XAFLAG', () => {
  const h = makeHarness();
  const one = (word: number, before: string, after: string, x1?: bigint): void => {
    if (x1 !== undefined) h.setX(1, x1);
    setFlags(h, before);
    assert.ok(runs(h, word), `0x${word.toString(16)} ran`);
    assert.equal(flags(h), after, `0x${word.toString(16)} from ${before}`);
  };
  one(0xd500401f, 'nzcv', 'nzCv'); // cfinv
  one(0xd500401f, 'NZCV', 'NZcV');
  // rmif x1, #5, #3: bits 6:5 of x1 -> C, V (N, Z kept)
  one(0xba028423, 'NZcv', 'NZCV', 0b1100000n);
  one(0xba028423, 'nzCV', 'nzcv', 0b0011111n);
  // rmif x1, #63, #15: ROR by 63 = ROL by 1: bit 63 -> bit 0 (V), bits 2:0 -> 3:1 (N Z C)
  one((0xba000400 | (63 << 15) | (1 << 5) | 15) >>> 0, 'nzcv', 'NzCV', 0x8000000000000005n);
  // setf8 w1: N = bit 7, Z = low byte zero, V = bit 8 ^ bit 7, C kept
  one(0x3a00082d, 'nzCv', 'NzCV', 0x80n);
  one(0x3a00082d, 'NzcV', 'nZcV', 0x100n);
  one(0x3a00082d, 'NZCV', 'nzCV', 0xffffff7fn); // bit 8 = 1, bit 7 = 0
  one(0x3a00082d, 'NZcV', 'Nzcv', 0xffffff80n);
  // setf16 w1
  one(0x3a00482d, 'nzcv', 'NzcV', 0x8000n);
  one(0x3a00482d, 'nzcv', 'nZcv', 0xfffe0000n);
  one(0x3a00482d, 'nzcv', 'nZcV', 0x10000n);
  // axflag: N = 0, Z |= V, C &= !V, V = 0
  one(0xd500405f, 'NzCV', 'nZcv');
  one(0xd500405f, 'NzCv', 'nzCv');
  // xaflag: N = !C & !Z, Z = Z & C, C = C | Z, V = !C & Z
  one(0xd500403f, 'nzcv', 'Nzcv');
  one(0xd500403f, 'nZcv', 'nzCV');
  one(0xd500403f, 'nZCv', 'nZCv');
  one(0xd500403f, 'nzCv', 'nzCv');
});

const MRS_RNDR = 0xd53b2400; // mrs x0, rndr
const MRS_RNDRRS = 0xd53b2420; // mrs x0, rndrrs

function randoms(seed: number | undefined, n: number): bigint[] {
  const h = makeHarness({}, { rngSeed: seed });
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    setFlags(h, 'NZCV');
    assert.ok(runs(h, i % 2 ? MRS_RNDRRS : MRS_RNDR));
    assert.equal(flags(h), 'nzcv', 'RNDR reports success with NZCV = 0000');
    out.push(h.x(0));
  }
  return out;
}

test('RNDR/RNDRRS: deterministic per seed, different seeds differ, values look random', () => {
  const a = randoms(undefined, 64);
  assert.deepEqual(randoms(undefined, 64), a);
  assert.deepEqual(randoms(7, 8), randoms(7, 8));
  assert.notDeepEqual(randoms(7, 8), a.slice(0, 8));
  assert.equal(new Set(a).size, a.length);
  // about half of the 4096 bits are ones
  let ones = 0;
  for (const v of a) for (let k = 0n; k < 64n; k++) ones += Number((v >> k) & 1n);
  assert.ok(ones > 1900 && ones < 2200, `ones ${ones}`);
  // a reset reseeds: the same sequence again
  const h = makeHarness();
  runs(h, MRS_RNDR);
  const first = h.x(0);
  h.cpu.reset();
  runs(h, MRS_RNDR);
  assert.equal(h.x(0), first);
});

const DC_ZVA_X0 = 0xd50b7420;

test('DC ZVA zeroes the aligned 64-byte block through the write path; EL0 needs SCTLR_EL1.DZE', () => {
  const h = makeHarness();
  const base = RAM_BASE + 0x20000;
  h.bus.writeRamBytes(base, new Uint8Array(256).fill(0xa5));
  h.setX(0, BigInt(base + 0x40 + 0x27));
  assert.ok(runs(h, DC_ZVA_X0));
  const mem = new Uint8Array(256);
  for (let i = 0; i < 256; i++) mem[i] = h.cpu.read8(base + i, 0);
  assert.ok(mem.subarray(0, 0x40).every((b) => b === 0xa5));
  assert.ok(mem.subarray(0x40, 0x80).every((b) => b === 0));
  assert.ok(mem.subarray(0x80).every((b) => b === 0xa5));
  // DCZID_EL0: BS = 4 (64 bytes), DZP = 0 at EL1
  assert.ok(runs(h, 0xd53b00e0)); // mrs x0, dczid_el0
  assert.equal(h.x(0), 4n);
  // an unmapped address is a data abort, not a silent no-op
  h.setX(0, 0x1000n);
  assert.equal(runs(h, DC_ZVA_X0), false);
  assert.equal(ec(h), 0x25);
  // at EL0 with DZE = 0: trapped to EL1 with EC 0x18; DCZID_EL0.DZP = 1
  const e = makeHarness();
  e.setX(0, BigInt(base));
  toEl0(e);
  assert.equal(runAtEl0(e, 0xd53b00e0), true);
  assert.equal(e.x(0), 0x14n);
  toEl0(e);
  e.setX(0, BigInt(base));
  assert.equal(runAtEl0(e, DC_ZVA_X0), false);
  assert.equal(ec(e), 0x18);
  assert.equal(e.cpu.sys.get('ESR_EL1') & 0x1ffffffn, (1n << 20n) | (1n << 17n) | (3n << 14n) | (7n << 10n) | (4n << 1n));
  // with DZE = 1 it runs at EL0
  const d = makeHarness();
  d.bus.writeRamBytes(base, new Uint8Array(64).fill(0xa5));
  d.cpu.sys.set('SCTLR_EL1', d.cpu.sys.get('SCTLR_EL1') | (1n << 14n));
  toEl0(d);
  d.setX(0, BigInt(base));
  assert.equal(runAtEl0(d, DC_ZVA_X0), true);
  assert.equal(d.cpu.read8(base + 63, 0), 0);
});

test('AT S1E1R/W write PAR_EL1 for the identity translation; a bad address reports F = 1', () => {
  const h = makeHarness();
  h.setX(0, 0x40001234n);
  assert.ok(runs(h, 0xd5087800)); // at s1e1r, x0
  // as qemu-system-aarch64 7.2 reports it with the MMU off: NS (bit 9), RES1 bit 11, SH 0b00, ATTR 0
  assert.equal(h.cpu.sys.get('PAR_EL1'), 0x40001000n | 0xa00n);
  h.setX(3, 0x0000_8000_1234_5678n);
  assert.ok(runs(h, 0xd5087823)); // at s1e1w, x3
  assert.equal(h.cpu.sys.get('PAR_EL1'), 0x8000_1234_5000n | 0xa00n);
  h.setX(0, 1n << 48n);
  assert.ok(runs(h, 0xd5087800));
  assert.equal(h.cpu.sys.get('PAR_EL1'), 0x801n);
  // AT at EL0 is UNDEFINED
  toEl0(h);
  assert.equal(runAtEl0(h, 0xd5087800), false);
  assert.equal(ec(h), 0);
});

test('TLBI flushes the soft TLB; TLBI/AT/IC IALLU UNDEF at EL0; cache maintenance at EL0 follows SCTLR_EL1.UCI', () => {
  const h = makeHarness();
  let flushes = 0;
  const orig = h.cpu.flushTlb.bind(h.cpu);
  h.cpu.flushTlb = () => {
    flushes++;
    orig();
  };
  assert.ok(runs(h, 0xd508831f)); // tlbi vmalle1is
  assert.ok(runs(h, 0xd5088720)); // tlbi vae1, x0
  assert.equal(flushes, 2);
  assert.ok(runs(h, 0xd508751f)); // ic iallu
  assert.ok(runs(h, 0xd50b7e20)); // dc civac, x0
  assert.ok(runs(h, 0xd5087620)); // dc ivac, x0
  // EL2 operations without EL2, EL3 operations, SYSL and unnamed SYS: UNDEF
  for (const w of [0xd50c871f, 0xd50e871f, 0xd5287800, 0xd5080000]) {
    assert.equal(runs(h, w), false, `0x${w.toString(16)}`);
    assert.equal(ec(h), 0);
  }
  // with EL2, at EL2: tlbi alle2 runs
  const e2 = makeHarness({}, { highestEl: 2 });
  assert.ok(runs(e2, 0xd50c871f));
  // EL0
  for (const w of [0xd508831f, 0xd508751f, 0xd5087620]) {
    toEl0(h);
    assert.equal(runAtEl0(h, w), false, `0x${w.toString(16)} at EL0`);
    assert.equal(ec(h), 0);
  }
  toEl0(h);
  assert.equal(runAtEl0(h, 0xd50b7e20), false, 'dc civac at EL0 with UCI = 0');
  assert.equal(ec(h), 0x18);
  h.cpu.sys.set('SCTLR_EL1', h.cpu.sys.get('SCTLR_EL1') | (1n << 26n));
  toEl0(h);
  assert.equal(runAtEl0(h, 0xd50b7e20), true, 'dc civac at EL0 with UCI = 1');
  toEl0(h);
  assert.equal(runAtEl0(h, 0xd50b7520), true, 'ic ivau at EL0 with UCI = 1');
});

test('PAuth and BTI hints execute as NOPs; PACGA, PACIA, RETAA, BRAA, LDRAA are UNDEFINED', () => {
  for (const model of CPU_MODEL_NAMES) {
    const h = makeHarness({}, { model });
    for (const w of [0xd503233f, 0xd50323bf, 0xd50320ff, 0xd503241f, 0xd503245f, 0xd503249f, 0xd50324df]) {
      h.setX(30, 0x1234n);
      assert.ok(runs(h, w), `${model}: hint 0x${w.toString(16)}`);
      assert.equal(h.x(30), 0x1234n);
    }
    // pacga x0, x1, x2; pacia x0, x1; autia x0, x1; xpaci x0; retaa; braa x0, x1; ldraa x0, [x1]
    for (const w of [0x9ac23020, 0xdac10020, 0xdac11020, 0xdac143e0, 0xd65f0bff, 0xd71f0801, 0xf8200420]) {
      assert.equal(runs(h, w), false, `${model}: 0x${w.toString(16)}`);
      assert.equal(ec(h), 0);
    }
  }
});

/** MRS words of the ID registers, by name. */
const ID_MRS: Record<string, number> = {
  MIDR_EL1: 0xd5380000, REVIDR_EL1: 0xd53800c0, ID_AA64PFR0_EL1: 0xd5380400, ID_AA64PFR1_EL1: 0xd5380420,
  ID_AA64DFR0_EL1: 0xd5380500, ID_AA64ISAR0_EL1: 0xd5380600, ID_AA64ISAR1_EL1: 0xd5380620,
  ID_AA64ISAR2_EL1: 0xd5380640, ID_AA64MMFR0_EL1: 0xd5380700, ID_AA64MMFR1_EL1: 0xd5380720,
  ID_AA64MMFR2_EL1: 0xd5380740, CTR_EL0: 0xd53b0020, DCZID_EL0: 0xd53b00e0, CLIDR_EL1: 0xd5390020,
};

test('ID registers read through MRS match each CPU model', () => {
  const fieldOf = (v: bigint, lsb: number): number => Number((v >> BigInt(lsb)) & 0xfn);
  for (const name of CPU_MODEL_NAMES) {
    const m = CPU_MODELS[name];
    for (const el of [1, 2] as const) {
      const h = makeHarness({}, { model: name, highestEl: el });
      const read = (reg: string): bigint => {
        const w = ID_MRS[reg];
        assert.ok(runs(h, (w | 5) >>> 0), `${name}: mrs ${reg}`);
        return h.x(5);
      };
      assert.equal(read('MIDR_EL1'), m.midr);
      assert.equal(read('REVIDR_EL1'), m.revidr);
      assert.equal(read('ID_AA64PFR0_EL1'), m.pfr0 | (el === 2 ? 0x100n : 0n));
      assert.equal(read('ID_AA64PFR1_EL1'), m.pfr1);
      assert.equal(read('ID_AA64DFR0_EL1'), m.dfr0);
      assert.equal(read('ID_AA64ISAR0_EL1'), m.isar0);
      assert.equal(read('ID_AA64ISAR1_EL1'), m.isar1);
      assert.equal(read('ID_AA64ISAR2_EL1'), m.isar2);
      assert.equal(read('ID_AA64MMFR0_EL1'), m.mmfr0);
      assert.equal(read('ID_AA64MMFR1_EL1'), m.mmfr1);
      assert.equal(read('ID_AA64MMFR2_EL1'), m.mmfr2);
      assert.equal(read('CTR_EL0'), m.ctr);
      assert.equal(read('DCZID_EL0'), BigInt(m.dczid));
      assert.equal(read('CLIDR_EL1'), m.clidr);
      const pfr0 = read('ID_AA64PFR0_EL1');
      const fp16 = m.features.includes('FEAT_FP16') ? 1 : 0;
      assert.equal(fieldOf(pfr0, 16), fp16, 'FP implemented, with FP16 when the model has it');
      assert.equal(fieldOf(pfr0, 20), fp16, 'AdvSIMD agrees with FP');
      assert.equal(fieldOf(read('ID_AA64PFR1_EL1'), 0), 0, 'BT: no BTI');
      const isar1 = read('ID_AA64ISAR1_EL1');
      for (const lsb of [4, 8, 24, 28]) assert.equal(fieldOf(isar1, lsb), 0, `ISAR1 PAuth field at ${lsb}`);
      // the feature fields agree with the feature set that gates execution
      const isar0 = read('ID_AA64ISAR0_EL1');
      const has = (f: string): boolean => m.features.includes(f);
      assert.equal(fieldOf(isar0, 16), has('FEAT_CRC32') ? 1 : 0);
      assert.equal(fieldOf(isar0, 20), has('FEAT_LSE') ? 2 : 0);
      assert.equal(fieldOf(isar0, 52), has('FEAT_FlagM2') ? 2 : has('FEAT_FlagM') ? 1 : 0);
      assert.equal(fieldOf(isar0, 60), has('FEAT_RNG') ? 1 : 0);
      assert.equal(fieldOf(isar1, 20), has('FEAT_LRCPC2') ? 2 : has('FEAT_LRCPC') ? 1 : 0);
      assert.equal(fieldOf(isar1, 0), has('FEAT_DPB2') ? 2 : has('FEAT_DPB') ? 1 : 0);
      assert.equal(fieldOf(read('ID_AA64ISAR2_EL1'), 52), has('FEAT_CSSC') ? 1 : 0);
      assert.equal(fieldOf(isar0, 44), has('FEAT_DotProd') ? 1 : 0);
      assert.equal(fieldOf(isar1, 12), has('FEAT_JSCVT') ? 1 : 0);
      assert.equal(fieldOf(isar1, 32), has('FEAT_FRINTTS') ? 1 : 0);
    }
  }
  // MIDRs of the real parts
  assert.equal(CPU_MODELS['cortex-a72'].midr, 0x410fd083n);
  assert.equal(CPU_MODELS['neoverse-n1'].midr, 0x413fd0c1n);
});

test('feature gating: FEAT_FlagM, FEAT_RNG and FEAT_LSE words UNDEF on cortex-a72 and run on max', () => {
  const ldadd = 0xf8210040; // ldadd x1, x0, [x2]
  const lse = decode(ldadd)?.row.feature === 'FEAT_LSE';
  const cases: [string, number, CpuModelName[], CpuModelName[]][] = [
    ['cfinv', 0xd500401f, ['cortex-a57', 'cortex-a72', 'neoverse-n1'], ['max']],
    ['setf8 w1', 0x3a00082d, ['cortex-a72', 'neoverse-n1'], ['max']],
    ['mrs x0, rndr', MRS_RNDR, ['cortex-a72', 'neoverse-n1'], ['max']],
    ['axflag', 0xd500405f, ['cortex-a72', 'neoverse-n1'], ['max']],
    ['crc32b w0, w1, w2', 0x1ac24020, [], ['cortex-a57', 'cortex-a72', 'neoverse-n1', 'max']],
    ['dc cvap, x0', 0xd50b7c20, ['cortex-a72'], ['neoverse-n1', 'max']],
    ['tlbi vmalle1os', 0xd508811f, ['cortex-a72', 'neoverse-n1'], ['max']],
    ['ctz x2, xzr (FEAT_CSSC)', 0xdac01be2, ['cortex-a57', 'cortex-a72', 'neoverse-n1'], ['max']],
    ['smax wzr, wzr, #-1 (FEAT_CSSC)', 0x11c3ffff, ['cortex-a57', 'cortex-a72', 'neoverse-n1'], ['max']],
    ...(lse ? [['ldadd x1, x0, [x2]', ldadd, ['cortex-a72'], ['neoverse-n1', 'max']] as [string, number, CpuModelName[], CpuModelName[]]] : []),
  ];
  for (const [asm, word, undef, ok] of cases) {
    for (const model of undef) {
      const h = makeHarness({}, { model });
      h.setX(0, BigInt(RAM_BASE + 0x30000));
      h.setX(2, BigInt(RAM_BASE + 0x30000));
      assert.equal(runs(h, word), false, `${asm} on ${model}`);
      assert.equal(ec(h), 0, `${asm} on ${model}: UNDEF`);
    }
    for (const model of ok) {
      const h = makeHarness({}, { model });
      h.setX(0, BigInt(RAM_BASE + 0x30000));
      h.setX(2, BigInt(RAM_BASE + 0x30000));
      assert.equal(runs(h, word), true, `${asm} on ${model}`);
    }
  }
  assert.ok(lse, 'ldadd decodes to a FEAT_LSE row');
});

test('the machine builds its CPUs from the `cpu` option; the DTB cpu compatible follows the model', () => {
  assert.equal(new Machine().cpus[0].model.name, 'cortex-a57');
  for (const name of CPU_MODEL_NAMES) {
    const m = new Machine({ cpu: name });
    assert.equal(m.cpus[0].model.name, name);
    assert.equal(m.spec.cpuCompatible, CPU_MODELS[name].dtCompatible);
  }
  assert.throws(() => new Machine({ cpu: 'cortex-a53' }), /unknown CPU model 'cortex-a53'.*available: cortex-a57, cortex-a72, neoverse-n1, max/);
});

test('PAuth, MOPS, WFxT, TME, LS64 and debug-state words decode but UNDEF on every model', () => {
  // one word per row family (spellings checked against objdump by the oracle suites)
  const cases: [string, number, string][] = [
    ['pacia x2, x3', 0xdac10062, 'PAC_reg'],
    ['autdzb xzr', 0xdac13fff, 'AUT_reg'],
    ['xpaci xzr', 0xdac143ff, 'XPAC'],
    ['pacga x3, x2, x1', 0x9ac13043, 'PACGA'],
    ['braa x3, x5', 0xd71f0865, 'BRA'],
    ['blraaz x3', 0xd63f087f, 'BRA'],
    ['retaa', 0xd65f0bff, 'RETA'],
    ['eretab', 0xd69f0fff, 'ERETA'],
    ['ldraa xzr, [x4, #8]!', 0xf8201c9f, 'LDRA'],
    ['cpyfp [x2]!, [x5]!, x3!', 0x19050462, 'CPYFP'],
    ['setgmn [x2]!, x3!, x5', 0x1dc56462, 'SETGM'],
    ['wfet x3', 0xd5031003, 'WFET'],
    ['tstart x3', 0xd5233063, 'TSTART'],
    ['tcommit', 0xd503307f, 'TCOMMIT'],
    ['tcancel #5', 0xd46000a0, 'TCANCEL'],
    ['ld64b x2, [x3]', 0xf83fd062, 'LD64B'],
    ['st64bv0 x5, x2, [x3]', 0xf825a062, 'ST64BV0'],
    ['dcps1', 0xd4a00001, 'DCPS'],
    ['drps', 0xd6bf03e0, 'DRPS'],
  ];
  for (const [asm, word, id] of cases) {
    assert.equal(decode(word)?.row.id, id, asm);
    for (const model of CPU_MODEL_NAMES) {
      const h = makeHarness({}, { model });
      h.setX(3, BigInt(RAM_BASE + 0x30000));
      h.setX(4, BigInt(RAM_BASE + 0x30000));
      assert.equal(runs(h, word), false, `${asm} on ${model}`);
      assert.equal(ec(h), 0, `${asm} on ${model}: UNDEF (EC 0)`);
    }
  }
});
