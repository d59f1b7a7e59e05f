// GICv3 distributor (GICD_*, one 64 KiB frame): the SPIs' enable, pending, active, group, priority,
// trigger and routing state, and the global group enables. Affinity routing is always on (GICD_CTLR.ARE
// RAO/WI, as QEMU: the GICv2-compatible legacy mode is not modelled), so the SGI/PPI words of the banked
// registers (GICD_IGROUPR0, GICD_ISENABLER0...) are RAZ/WI here and live in each redistributor's SGI frame,
// and GICD_ITARGETSR/GICD_SGIR/GICD_[CS]PENDSGIR are RAZ/WI. Single Security state (GICD_CTLR.DS RAO/WI,
// see config.ts): GICD_IGRPMODR and GICD_NSACR are RAZ/WI. No message-based SPIs (GICD_TYPER.MBIS = 0),
// no extended SPI range (ESPI = 0), GICD_STATUSR RAZ/WI.
//
// IRQ input lines: setSpiLevel(intid, level). Level-sensitive SPIs are pending while the line is high (or
// latched by GICD_ISPENDR); edge-triggered SPIs latch on a rising edge (IrqBank).
import { GicFrame, merge, type GicRegDef } from './frame';
import { IrqBank } from './irqState';
import { ID_BITS, IIDR_ARM, NUM_IRQ, PIDR2_GICV3, SPI_START } from './config';

export const GICD_CTLR_ENABLE_GRP0 = 1 << 0;
export const GICD_CTLR_ENABLE_GRP1 = 1 << 1;
export const GICD_CTLR_ARE = 1 << 4;
export const GICD_CTLR_DS = 1 << 6;

export interface DistributorHost {
  /** Re-evaluate every CPU's highest-priority pending interrupt and IRQ/FIQ lines. */
  update(): void;
  /** An interrupt became pending (for the 'interrupt asserted' event). */
  asserted(intid: number, cpu: number | undefined): void;
  numCpus: number;
  guestError(message: string): void;
}

export class Distributor {
  readonly bank = new IrqBank(NUM_IRQ);
  /** GICD_CTLR group enables (bits 0 and 1). */
  enables = 0;
  /** GICD_IROUTER<n>: Aff2.Aff1.Aff0 and IRM (bit 31) in lo, Aff3 in hi. */
  readonly irouterLo = new Uint32Array(NUM_IRQ);
  readonly irouterHi = new Uint32Array(NUM_IRQ);
  readonly frame: GicFrame;

  constructor(private readonly host: DistributorHost) {
    const b = this.bank;
    const bitsReg = (name: string, offset: number, read: (i: number) => number, write?: (i: number, v: number) => void): GicRegDef => ({
      name, offset, count: 32, access: 'rw',
      read: (i) => (i === 0 ? 0 : read(i)),
      write: (i, v) => {
        if (i === 0 || !write) return;
        write(i, v);
        host.update();
      },
    });
    const raz = (name: string, offset: number, count = 1): GicRegDef => ({ name, offset, count, access: 'rw' });
    const regs: GicRegDef[] = [
      {
        name: 'GICD_CTLR', offset: 0x0000, access: 'rw',
        read: () => this.ctlr(),
        write: (_i, v) => {
          this.enables = v & (GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
          host.update();
        },
      },
      { name: 'GICD_TYPER', offset: 0x0004, access: 'ro', read: () => this.typer() },
      { name: 'GICD_IIDR', offset: 0x0008, access: 'ro', read: () => IIDR_ARM },
      { name: 'GICD_TYPER2', offset: 0x000c, access: 'ro' },
      raz('GICD_STATUSR', 0x0010),
      bitsReg('GICD_IGROUPR', 0x0080, (i) => b.bits(b.group, 32 * i), (i, v) => {
        for (let k = 0; k < 32 && 32 * i + k < NUM_IRQ; k++) b.group[32 * i + k] = (v >>> k) & 1;
      }),
      bitsReg('GICD_ISENABLER', 0x0100, (i) => b.bits(b.enabled, 32 * i), (i, v) => b.forBits(v, 32 * i, (n) => (b.enabled[n] = 1))),
      bitsReg('GICD_ICENABLER', 0x0180, (i) => b.bits(b.enabled, 32 * i), (i, v) => b.forBits(v, 32 * i, (n) => (b.enabled[n] = 0))),
      bitsReg('GICD_ISPENDR', 0x0200, (i) => b.bits((n) => b.pending(n), 32 * i), (i, v) => b.forBits(v, 32 * i, (n) => {
        if (!b.pending(n)) host.asserted(n, undefined);
        b.latch[n] = 1;
      })),
      bitsReg('GICD_ICPENDR', 0x0280, (i) => b.bits((n) => b.pending(n), 32 * i), (i, v) => b.forBits(v, 32 * i, (n) => (b.latch[n] = 0))),
      bitsReg('GICD_ISACTIVER', 0x0300, (i) => b.bits(b.active, 32 * i), (i, v) => b.forBits(v, 32 * i, (n) => (b.active[n] = 1))),
      bitsReg('GICD_ICACTIVER', 0x0380, (i) => b.bits(b.active, 32 * i), (i, v) => b.forBits(v, 32 * i, (n) => (b.active[n] = 0))),
      {
        name: 'GICD_IPRIORITYR', offset: 0x0400, count: 255, access: 'rw', bytes: true,
        read: (i) => (i < 8 ? 0 : priorityWord(b.priority, 4 * i)),
        write: (i, v, _h, mask) => {
          if (i < 8) return;
          writePriorityWord(b.priority, 4 * i, v, mask);
          host.update();
        },
      },
      { ...raz('GICD_ITARGETSR', 0x0800, 255), bytes: true },
      {
        name: 'GICD_ICFGR', offset: 0x0c00, count: 64, access: 'rw',
        read: (i) => (i < 2 ? 0 : cfgWord(b.edge, 16 * i)),
        write: (i, v) => {
          if (i < 2) return;
          writeCfgWord(b.edge, 16 * i, v);
          host.update();
        },
      },
      raz('GICD_IGRPMODR', 0x0d00, 32),
      raz('GICD_NSACR', 0x0e00, 64),
      { name: 'GICD_SGIR', offset: 0x0f00, access: 'wo' },
      raz('GICD_CPENDSGIR', 0x0f10, 4),
      raz('GICD_SPENDSGIR', 0x0f20, 4),
      {
        name: 'GICD_IROUTER', offset: 0x6000 + 8 * SPI_START, count: NUM_IRQ - SPI_START, width: 8, access: 'rw',
        read: (i, half) => (half ? this.irouterHi[SPI_START + i] : this.irouterLo[SPI_START + i]),
        write: (i, v, half) => {
          if (half) this.irouterHi[SPI_START + i] = v & 0xff;
          else this.irouterLo[SPI_START + i] = v & 0x00ffffff; // IRM RAZ/WI (No1N)
          host.update();
        },
      },
      ...idRegs('GICD', 0x92),
    ];
    this.frame = new GicFrame('gicv3-distributor', regs, host.guestError);
  }

  reset(): void {
    this.bank.reset();
    this.enables = 0;
    this.irouterLo.fill(0);
    this.irouterHi.fill(0);
  }

  ctlr(): number {
    return this.enables | GICD_CTLR_ARE | GICD_CTLR_DS;
  }

  typer(): number {
    // ITLinesNumber, CPUNumber (only meaningful without affinity routing; QEMU fills it anyway), LPIS,
    // IDbits, A3V (Aff3 supported), No1N = 1 (no 1-of-N SPI routing, as QEMU: GICD_IROUTER.IRM is RAZ/WI).
    // SecurityExtn = 0 (single Security state), MBIS = 0.
    const itLines = NUM_IRQ / 32 - 1;
    const cpuNumber = Math.min(this.host.numCpus - 1, 7);
    return (itLines | (cpuNumber << 5) | (1 << 17) | ((ID_BITS - 1) << 19) | (1 << 24) | (1 << 25)) >>> 0;
  }

  /** An SPI's input line (device interrupt output). */
  setSpiLevel(intid: number, level: boolean): void {
    if (intid < SPI_START || intid >= NUM_IRQ) throw new Error(`GIC: SPI ${intid} out of range`);
    const b = this.bank;
    const wasPending = b.pending(intid);
    b.setLevel(intid, level);
    if (!wasPending && b.pending(intid)) this.host.asserted(intid, undefined);
    this.host.update();
  }
}

export function priorityWord(p: Uint8Array, first: number): number {
  return (p[first] | (p[first + 1] << 8) | (p[first + 2] << 16) | (p[first + 3] << 24)) >>> 0;
}

export function writePriorityWord(p: Uint8Array, first: number, v: number, mask: number): void {
  const w = merge(priorityWord(p, first), v, mask);
  for (let k = 0; k < 4; k++) if (first + k < p.length) p[first + k] = (w >>> (8 * k)) & 0xff;
}

export function cfgWord(edge: Uint8Array, first: number): number {
  let v = 0;
  for (let k = 0; k < 16 && first + k < edge.length; k++) if (edge[first + k]) v |= 2 << (2 * k);
  return v >>> 0;
}

export function writeCfgWord(edge: Uint8Array, first: number, v: number): void {
  for (let k = 0; k < 16 && first + k < edge.length; k++) edge[first + k] = (v >>> (2 * k + 1)) & 1;
}

/**
 * The CoreSight-style identification registers at 0xFFD0..0xFFFC, with QEMU's values (PIDR0 differs by
 * frame: `pidr0`). PIDR2.ArchRev = 3 says GICv3.
 */
export function idRegs(prefix: string, pidr0: number): GicRegDef[] {
  const ids: [string, number, number][] = [
    ['PIDR4', 0xffd0, 0x44], ['PIDR5', 0xffd4, 0], ['PIDR6', 0xffd8, 0], ['PIDR7', 0xffdc, 0],
    ['PIDR0', 0xffe0, pidr0], ['PIDR1', 0xffe4, 0xb4], ['PIDR2', 0xffe8, PIDR2_GICV3], ['PIDR3', 0xffec, 0],
    ['CIDR0', 0xfff0, 0x0d], ['CIDR1', 0xfff4, 0xf0], ['CIDR2', 0xfff8, 0x05], ['CIDR3', 0xfffc, 0xb1],
  ];
  return ids.map(([n, offset, v]) => ({ name: `${prefix}_${n}`, offset, access: 'ro', read: () => v }));
}
