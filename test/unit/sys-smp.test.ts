// SMP on the CPU side: CPUs of a machine share decoded code by physical page (a store by one CPU into a page
// another has decoded is seen by both, and a page that becomes code leaves every CPU's write fast path), the
// round-robin machine runs the PSCI test kernel the same way every time (icount per CPU, counter, output),
// and PSCI CPU_ON/AFFINITY_INFO answer as the specification says for bad input. The kernel's output itself
// is checked against QEMU in test/cli (sys_smp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeHarness, CODE } from '../helpers/cpuHarness';
import { CodeStore } from '../../src/emu/cpu/decodeCache';
import { Machine } from '../../src/emu';

const MOVZ_X0_1 = 0xd2800020; // mov x0, #1
const MOVZ_X0_2 = 0xd2800040; // mov x0, #2
const B_SELF = 0x14000000;

test('a store by one CPU into code another CPU decoded re-decodes it for both (shared CodeStore)', () => {
  const store = new CodeStore();
  const a = makeHarness({}, { codeStore: store });
  const b = makeHarness({}, { with: a, index: 1, codeStore: store });
  const STR_W1 = 0xb9000001; // str w1, [x0]
  b.bus.writeRamBytes(Number(CODE) + 0x1000, new Uint8Array(new Uint32Array([STR_W1, STR_W1, B_SELF]).buffer));
  // CPU 1 stores into CPU 0's future code page first: the page enters CPU 1's write TLB
  b.setX(0, CODE + 0x800n);
  b.cpu.setPc(Number(CODE) + 0x1000, 0);
  b.cpu.run(1);
  // CPU 0 decodes and runs the page: it becomes code, every CPU's write TLB must drop it
  a.run([MOVZ_X0_1, B_SELF], 2);
  assert.equal(a.x(0), 1n);
  b.setX(0, CODE);
  b.setX(1, BigInt(MOVZ_X0_2));
  b.cpu.run(1);
  a.cpu.setPc(Number(CODE), 0);
  a.cpu.run(1);
  assert.equal(a.x(0), 2n, 'CPU 0 executes the word CPU 1 stored');
});

test('the PSCI kernel on 2 CPUs runs identically twice (deterministic round-robin and clock)', () => {
  const elf = readFileSync('test/fixtures/kernels/sys/smp.elf');
  const once = (): string => {
    let out = '';
    const m = new Machine({ cpus: 2 }, { uartTx: (_u, byte) => (out += String.fromCharCode(byte)) });
    m.load(elf, 'smp.elf');
    const r = m.run(50_000_000);
    return JSON.stringify({ r, out, icounts: m.cpus.map((c) => c.icount), counter: m.counter });
  };
  const first = once();
  assert.match(first, /smp: done/);
  assert.equal(once(), first);
});

test('PSCI: CPU_ON of an unknown affinity or a CPU that is on, AFFINITY_INFO of both', () => {
  const m = new Machine({ cpus: 2 });
  // hvc #0 four times with the arguments set by the test between them
  const words = [0xd4000002, 0xd4000002, 0xd4000002, 0xd4000002, B_SELF];
  m.load(new Uint8Array(new Uint32Array(words).buffer), 'psci.bin');
  const c = m.cpus[0];
  const call = (fn: number, x1: bigint, x2 = 0n): bigint => {
    m.setX(0, 0, BigInt(fn));
    m.setX(0, 1, x1);
    m.setX(0, 2, x2);
    m.step(0);
    return BigInt.asIntN(64, m.registers(0).x[0]);
  };
  assert.equal(call(0xc4000004, 1n), 1n, 'AFFINITY_INFO(1): OFF');
  assert.equal(call(0xc4000003, 0x100n, 0x4008_0000n), -2n, 'CPU_ON(unknown): INVALID_PARAMETERS');
  assert.equal(call(0xc4000003, 0n, 0x4008_0000n), -4n, 'CPU_ON(self): ALREADY_ON');
  assert.equal(call(0xc4000003, 1n, 0x4008_0010n), 0n, 'CPU_ON(1): SUCCESS');
  assert.equal(m.cpus[1].off, false);
  assert.equal(m.registers(1).pc, 0x4008_0010n);
  assert.equal(c.icount, 4);
});

test('WFE on a lock word: a waiter wakes after another CPU ran, without SEV (no global-monitor event modelled)', () => {
  const words = new Array<number>(0x140 / 4).fill(0xd503201f);
  // CPU 0: delay, then a plain store of 1 to 0x40100000
  [0xd2a80200, 0xd289c402, 0xf1000442, 0x54ffffe1, 0x52800021, 0xb9000001, 0x14000000].forEach((w, i) => (words[i] = w));
  // CPU 1 at +0x100: ldaxr/cbnz/wfe loop on it, then x5 = 7 and WFI forever
  [0xd2a80200, 0x885ffc01, 0x35000061, 0xd503205f, 0x17fffffd, 0xd28000e5, 0xd503207f, 0x17ffffff].forEach((w, i) => (words[0x40 + i] = w));
  const m = new Machine({ cpus: 2, memory: 64 * 1024 * 1024 });
  m.load(new Uint8Array(new Uint32Array(words).buffer), 'wfe.bin');
  const c1 = m.cpus[1];
  c1.off = false;
  c1.setPc(Number(m.registers(0).pc) + 0x100, 0); // the image's load address + 0x100
  m.run(200_000);
  assert.equal(m.registers(1).x[5], 7n, 'CPU 1 saw the store and left its WFE loop');
  assert.ok(c1.icount < 1000, `CPU 1 slept in WFE most of the time (${c1.icount} instructions)`);
});

test('global monitor: a store by another CPU between LDXR and STXR makes the STXR fail; untouched, it succeeds', () => {
  // CPU 0: ldxr w1, [x0]; stxr w3, w1, [x0] (twice); CPU 1 at +0x100: str w2, [x0]
  const words = new Array<number>(0x48).fill(0xd503201f);
  [0x885f7c01, 0x88037c01, 0x885f7c01, 0x88037c01].forEach((w, i) => (words[i] = w));
  words[0x40] = 0xb9000002;
  const m = new Machine({ cpus: 2, memory: 64 * 1024 * 1024 });
  m.load(new Uint8Array(new Uint32Array(words).buffer), 'excl.bin');
  const base = m.registers(0).pc;
  const c1 = m.cpus[1];
  c1.off = false;
  c1.setPc(Number(base) + 0x100, 0);
  for (const cpu of [0, 1]) {
    m.setX(cpu, 0, base + 0x1000n);
    m.setX(cpu, 2, 0x55n);
  }
  m.step(0); // ldxr
  m.step(1); // the other CPU stores
  m.step(0); // stxr
  assert.equal(m.registers(0).x[3], 1n, 'the reservation was broken');
  m.step(0);
  m.step(0);
  assert.equal(m.registers(0).x[3], 0n, 'nothing in between: success');
});
