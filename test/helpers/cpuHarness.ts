// A bare CPU on a bus with RAM, for instruction-semantics tests: no machine, no devices. Words are placed
// at CODE, registers set through BigInt helpers, and the CPU run for a number of instructions. The CPU model
// is 'max' (every feature the emulator implements) unless a test names another.
import { StateMemory } from '../../src/emu/memory/stateMemory';
import { Bus } from '../../src/emu/memory/bus';
import { Cpu, type CpuHooks } from '../../src/emu/cpu/cpu';
import { I_PC } from '../../src/emu/cpu/regs';
import { cpuModel, type CpuModelName } from '../../src/emu/cpu/models';
import type { InterruptPort } from '../../src/emu/cpu/interrupts';
import type { CodeStore } from '../../src/emu/cpu/decodeCache';

export const RAM_BASE = 0x4000_0000;
export const CODE = 0x4008_0000n;

export interface Harness {
  cpu: Cpu;
  bus: Bus;
  errors: string[];
  x(n: number): bigint;
  setX(n: number, v: bigint): void;
  pc(): bigint;
  /** Writes the words at CODE (or `at`), sets PC there, runs `count` instructions (default: all words). */
  run(words: number[], count?: number, at?: bigint): ReturnType<Cpu['run']>;
}

export interface HarnessOptions {
  highestEl?: 1 | 2;
  model?: CpuModelName;
  rngSeed?: number;
  /** An interrupt controller port (tests of timers and interrupts). */
  interrupts?: InterruptPort;
  /** Share another harness's memory, bus and decoded code (a second CPU: SMP tests). */
  with?: Harness;
  index?: number;
  codeStore?: CodeStore;
}

export function makeHarness(hooks: Partial<CpuHooks> = {}, opts: HarnessOptions = {}): Harness {
  const mem = opts.with ? opts.with.cpu.mem : new StateMemory(64 * 1024 * 1024);
  const bus = opts.with ? opts.with.bus : new Bus(mem);
  if (!opts.with) bus.addRam('ram', RAM_BASE, 32 * 1024 * 1024);
  const errors: string[] = [];
  const cpu = new Cpu(opts.index ?? 0, mem, bus, {
    hvc: () => false,
    smc: () => false,
    hlt: () => false,
    guestError: (_c, m) => errors.push(m),
    ...hooks,
  }, {
    highestEl: opts.highestEl ?? 1, cntfrq: 62_500_000, mpidr: opts.index ?? 0, model: cpuModel(opts.model ?? 'max'), rngSeed: opts.rngSeed,
    interrupts: opts.interrupts, codeStore: opts.codeStore,
  });
  const h: Harness = {
    cpu,
    bus,
    errors,
    x: (n) => (BigInt(cpu.r[2 * n + 1] >>> 0) << 32n) | BigInt(cpu.r[2 * n] >>> 0),
    setX: (n, v) => {
      v = BigInt.asUintN(64, v);
      cpu.r[2 * n] = Number(v & 0xffffffffn) | 0;
      cpu.r[2 * n + 1] = Number(v >> 32n) | 0;
    },
    pc: () => (BigInt(cpu.r[I_PC + 1] >>> 0) << 32n) | BigInt(cpu.r[I_PC] >>> 0),
    run: (words, count, at = CODE) => {
      const bytes = new Uint8Array(words.length * 4);
      const dv = new DataView(bytes.buffer);
      words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
      bus.writeRamBytes(Number(at), bytes);
      cpu.code.clear();
      cpu.setPc(Number(at & 0xffffffffn) | 0, Number(at >> 32n) | 0);
      return cpu.run(count ?? words.length);
    },
  };
  return h;
}
