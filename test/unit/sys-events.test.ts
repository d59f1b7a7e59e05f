// The machine's typed system events on the QEMU-checked sys kernels: mmuEnabled (once, with the TTBRs and
// TCR the kernel wrote), exceptionTaken with the ESR the kernel prints (its output is compared with QEMU
// in test/cli), interruptTaken for the virtual IRQ and FIQ, exceptionReturned, and cpuPower for PSCI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Machine, type MachineEvents } from '../../src/emu';

function boot(elf: string, opts: { el?: 1 | 2; cpus?: number }, events: MachineEvents): { out: string; stop: string } {
  let out = '';
  const m = new Machine({ el: opts.el, cpus: opts.cpus }, { ...events, uartTx: (_u, b) => (out += String.fromCharCode(b)) });
  m.load(readFileSync(`test/fixtures/kernels/sys/${elf}`), elf);
  const r = m.run(100_000_000);
  return { out, stop: r.kind };
}

test('mmu4k: mmuEnabled once for EL1&0 with the tables it set; data aborts as exceptionTaken with ESR and FAR', () => {
  const mmu: string[] = [];
  const taken: string[] = [];
  const r = boot('mmu4k.elf', {}, {
    mmuEnabled: (e) => mmu.push(`${e.regime} tcr=${e.tcr.toString(16)} ttbr0=${e.ttbr0.toString(16)}`),
    exceptionTaken: (e) => taken.push(`${e.ec.toString(16)} ${e.esr.toString(16)} ${e.fromEl}->${e.targetEl} far=${e.far?.toString(16)}`),
  });
  assert.equal(r.stop, 'poweroff');
  assert.equal(mmu.length, 1);
  assert.match(mmu[0], /^EL1&0 tcr=2b5193519 ttbr0=400[0-9a-f]{5}$/);
  assert.deepEqual(taken, [
    '25 96000007 1->1 far=40203010',
    '25 9600004f 1->1 far=40201020',
    '25 9600000b 1->1 far=40202030',
    '25 96000004 1->1 far=10000000000',
    '25 96000005 1->1 far=ffffff8040000000',
    '21 8600000f 1->1 far=40204000',
  ]);
});

test('el2: HVC and traps taken to EL2 from EL1, virtual IRQ/FIQ taken at EL1, ERETs back', () => {
  const taken: string[] = [];
  const irqs: string[] = [];
  let erets = 0;
  const r = boot('el2.elf', { el: 2 }, {
    exceptionTaken: (e) => taken.push(`${e.ec.toString(16)} ${e.fromEl}->${e.targetEl}`),
    interruptTaken: (e) => irqs.push(`${e.kind} EL${e.targetEl} vector=${(e.vector & 0x7ffn).toString(16)}`),
    exceptionReturned: () => erets++,
  });
  assert.equal(r.stop, 'poweroff');
  assert.deepEqual(irqs, ['virq EL1 vector=280', 'vfiq EL1 vector=300']);
  // hvc #1, hvc #2/#3 around each test, the four traps, hvc #4
  assert.deepEqual(taken.filter((t) => !t.startsWith('16')), ['1 1->2', '18 1->2', '18 1->2', '17 1->2']);
  assert.ok(taken.every((t) => t.endsWith('1->2')));
  assert.equal(erets, taken.length - 1 + irqs.length + 1, 'every exception returned except the final hvc #4 (power off); plus the first ERET to EL1');
});

test('smp: cpuPower events for both CPU_ONs and CPU_OFFs of CPU 1', () => {
  const power: string[] = [];
  boot('smp.elf', { cpus: 2 }, { cpuPower: (e) => power.push(`${e.cpu}:${e.on ? 'on' : 'off'}`) });
  assert.deepEqual(power, ['1:on', '1:off', '1:on', '1:off']);
});
