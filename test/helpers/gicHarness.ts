// A GICv3 on its own for MMIO-sequence tests: guest memory as a byte array at RAM_BASE (for the ITS tables
// and the LPI tables), recorded IRQ/FIQ line changes per CPU, events, guest errors and warnings, and
// helpers that access the frames as a driver would (distributor, redistributor RD/SGI frames, ITS).
import { Gic } from '../../src/emu/devices/gic/gic';
import type { GicEvent } from '../../src/emu/devices/gic/events';
import type { GuestMemory } from '../../src/emu/devices/gic/itsTables';

export const RAM = 0x4000_0000;
const RAM_SIZE = 4 * 1024 * 1024;

export interface GicHarness {
  gic: Gic;
  ram: Uint8Array;
  events: GicEvent[];
  errors: string[];
  warnings: string[];
  irq: boolean[];
  fiq: boolean[];
  gicd: { r(off: number, size?: 1 | 2 | 4): number; w(off: number, v: number, size?: 1 | 2 | 4): void };
  /** CPU n's redistributor (RD_base at 0, SGI_base at 0x10000). */
  gicr(n: number): { r(off: number, size?: 1 | 2 | 4): number; w(off: number, v: number, size?: 1 | 2 | 4): void; w64(off: number, v: bigint): void; r64(off: number): bigint };
  gits: { r(off: number): number; w(off: number, v: number): void; w64(off: number, v: bigint): void; r64(off: number): bigint };
  icc(cpu: number, name: string, v?: bigint): bigint | undefined;
  /** Brings the GIC up as a kernel does: ARE + both groups, redistributors awake, CPU interfaces open. */
  init(): void;
  w64(pa: number, v: bigint): void;
}

export function makeGic(numCpus = 1): GicHarness {
  const ram = new Uint8Array(RAM_SIZE);
  const dv = new DataView(ram.buffer);
  const at = (pa: number, n: number): number => {
    if (pa < RAM || pa + n > RAM + RAM_SIZE) throw new Error(`no RAM at 0x${pa.toString(16)}`);
    return pa - RAM;
  };
  const mem: GuestMemory = {
    read32: (pa) => dv.getUint32(at(pa, 4), true),
    read8: (pa) => ram[at(pa, 1)],
    write32: (pa, v) => dv.setUint32(at(pa, 4), v >>> 0, true),
    write8: (pa, v) => (ram[at(pa, 1)] = v & 0xff),
  };
  const events: GicEvent[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const irq: boolean[] = [];
  const fiq: boolean[] = [];
  const gic = new Gic({ numCpus, mem, peekMem: mem, events: (e) => events.push(e), guestError: (m) => errors.push(m), guestWarning: (m) => warnings.push(m) });
  for (let i = 0; i < numCpus; i++) {
    irq.push(false);
    fiq.push(false);
    gic.connectCpu(i, { setIrqLine: (l) => (irq[i] = l), setFiqLine: (l) => (fiq[i] = l) });
  }
  const d = gic.distributor.frame;
  const rr = gic.redistributorRegion;
  const it = gic.itsRegion;
  const h: GicHarness = {
    gic, ram, events, errors, warnings, irq, fiq,
    gicd: { r: (off, size = 4) => d.read(off, size), w: (off, v, size = 4) => d.write(off, size, v) },
    gicr: (n) => ({
      r: (off, size = 4) => rr.read(n * 0x20000 + off, size),
      w: (off, v, size = 4) => rr.write(n * 0x20000 + off, size, v),
      w64: (off, v) => {
        rr.write(n * 0x20000 + off, 4, Number(v & 0xffffffffn));
        rr.write(n * 0x20000 + off + 4, 4, Number(v >> 32n));
      },
      r64: (off) => BigInt(rr.read(n * 0x20000 + off, 4)) | (BigInt(rr.read(n * 0x20000 + off + 4, 4)) << 32n),
    }),
    gits: {
      r: (off) => it.read(off, 4),
      w: (off, v) => it.write(off, 4, v),
      w64: (off, v) => {
        it.write(off, 4, Number(v & 0xffffffffn));
        it.write(off + 4, 4, Number(v >> 32n));
      },
      r64: (off) => BigInt(it.read(off, 4)) | (BigInt(it.read(off + 4, 4)) << 32n),
    },
    icc: (cpu, name, v) => {
      if (v === undefined) return gic.readIcc(cpu, name, 1);
      assert(gic.writeIcc(cpu, name, 1, v), `${name} write accepted`);
      return undefined;
    },
    init: () => {
      h.gicd.w(0x0, 0x13);
      for (let c = 0; c < numCpus; c++) {
        h.gicr(c).w(0x14, 0);
        gic.writeIcc(c, 'ICC_PMR_EL1', 1, 0xffn);
        gic.writeIcc(c, 'ICC_IGRPEN0_EL1', 1, 1n);
        gic.writeIcc(c, 'ICC_IGRPEN1_EL1', 1, 1n);
      }
    },
    w64: (pa, v) => {
      mem.write32(pa, Number(v & 0xffffffffn));
      mem.write32(pa + 4, Number(v >> 32n));
    },
  };
  return h;
}

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`not true: ${what}`);
}
