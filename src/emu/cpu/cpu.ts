// One A64 processing element: its register file (a block of the StateMemory, see regs.ts), its soft TLBs,
// the pre-decoding run loop and the memory access paths.
//
// Run loop: instructions are decoded once per physical 4 KiB code page into executor closures (see
// decodeCache.ts); the loop calls them in sequence and leaves the page on a branch, an exception or a stop
// request. The PC of the executing instruction is implicit (page VA base + slot offset) and is written back
// when the loop leaves a page. Virtual time is `icount`, the number of retired instructions.
//
// Interpreter design and measured speed (bench/process.mjs: 107,285,125 guest instructions of integer C;
// bench/compare.mjs: the fixture kernel, 204,972,247; 2-core machine shared with other jobs, best of 3-5):
// - The inner loop calls `ops[i](this)`, counts icount on the Cpu (exact at every point an executor, a
//   device, a hook or the debugger can read it) and tests `flow`. A branch to a slot of the same page
//   (FLOW_LOCAL: the executor leaves the slot in Cpu.jumpSlot and writes no PC), with the translation
//   unchanged (DecodeCache.current still this page), stays in the inner loop; so does a plain branch
//   (FLOW_BRANCH) whose target is in the page. The budget is a slot limit computed once per straight-line
//   run. Interrupts are sampled at slice boundaries (Cpu.run returns), so staying in the loop changes no
//   guest-visible timing.
// - Executors are specialised at decode time so the hot ones are monomorphic closures with no calls they
//   cannot inline: B.cond per condition, in-page branch targets as constant slots, flag-setting add/sub
//   writing NZCV straight into the register file (u64.ts addsTo32/addsTo64), MOV, the common loads and
//   stores calling read32/write32... directly. V8 shares optimised code and type feedback between closures
//   made at one source site, so a helper closure passed in (ld/st) is a polymorphic call: hot forms need
//   closure literals of their own.
// - Fused groups (isa/exec/fused.ts, built by DecodeCache.fuse): a flag-setting compare + an in-page
//   B.cond, optionally after one or two plain ADD/SUB/MOV, run as one executor in the group's first slot
//   (over 40% of the bench's guest instructions). They behave as the separate instructions: icount counts each,
//   a budget that ends inside a group runs its first instruction alone (Cpu.runEnd), a breakpoint on a later
//   slot or a write to any of its words (noteWrite re-decodes three slots back) un-fuses it, and every later
//   slot keeps its own executor for branches landing there.
// - Figures (bench scripts, best of 3): before this work 92.6 MIPS (process) / 91.6 MIPS (kernel, wall with
//   Node start-up); specialised executors 110.3 / 116.6 (118.2 / 108.7 measured again later); compare +
//   B.cond pairs 131.2 / 135.1; triples 148.0 / 145.1; FLOW_LOCAL and quads 152.4 / 163.5. Runs vary by
//   5-10%, more when the machine is loaded: compare commits A/B, alternating runs.
//   qemu-aarch64 runs the same program at ~1300-1900 MIPS.
//   The profile is still dominated by the dispatch itself (the loop ~35-40% self time: megamorphic closure
//   call, icount and flow field traffic), then the fused groups (~20-30%, real work). The next step is
//   fewer dispatches: block-level code (JS `new Function` per basic block, or the wasm region JIT of
//   DESIGN.md), which would subsume the fused groups.
//
// Sync points: at the start of a slice, after an instruction that ends a block with FLOW_SYNC (MSR DAIF,
// ERET, ISB, an MSR to a timer or translation register, an interrupt line rising under an executor) and
// at the next timer deadline (the slice's instruction limit is clipped to it), the loop updates the timer
// outputs (timer.ts), wakes a WFI/WFE and takes a pending unmasked interrupt (exceptions.ts). Nothing
// else is checked per instruction, so interrupts cost nothing while none is pending.
//
// Translation: the soft TLB (three tables: read, write, fetch; 256 direct-mapped 4 KiB entries each, tag =
// VA page) holds only translations valid for one EL and the current translation registers. Each EL has its
// own (exception entry and return switch TLBs instead of flushing, since EL0 and EL1 share the EL1&0
// regime but not permissions); all are flushed on every write to SCTLR/TCR/TTBR/MAIR/HCR_EL2/PAN and every
// TLBI (TLBI by VA or ASID flushes everything too: always correct, and simpler than tracking the block size
// each 4 KiB entry came from; flushing on a TTBR write is how ASIDs are handled: no entry outlives its
// address space). A miss walks the tables (mmu.ts). Read entries grant reads, write entries writes, fetch
// entries execution.
//
// Exceptions inside an executor are thrown: a SyncException value (UNDEF, aborts, SVC...) or the STOP
// sentinel (a breakpoint slot). The loop catches them, so an executor never half-writes state after a fault:
// executors do all their memory accesses before writing registers.
import type { Bus } from '../memory/bus';
import { BusError } from '../memory/bus';
import type { StateMemory } from '../memory/stateMemory';
import {
  CPU_BLOCK_WORDS, I_C, I_DAIF, I_EL, I_N, I_PAN, I_PC, I_SP_EL, I_SPSEL, I_V, I_Z, SLOT_SP, TLB_BLOCK_WORDS,
  TLB_ENTRIES, TLB_FETCH, TLB_INVALID, TLB_READ, TLB_WRITE, TLB_WORDS,
} from './regs';
import { DecodeCache, type CodePage, type CodeStore } from './decodeCache';
import { SyncException, STOP, takeSyncException, takeInterrupt, wfiWakeup, EC, type AsyncKind } from './exceptions';
import { faultStatus, stage1Enabled, translateVa, paRangeBits, walk, type AccessKind, type FaultKind, type MmuSlots, type WalkResult } from './mmu';
import { ticksToNextDeadline, updateTimers } from './timer';
import { SysRegFile } from './sysregs';
import { cpuModel, type CpuModel } from './models';
import { FLOW_BRANCH, FLOW_LOCAL, FLOW_STOP, FLOW_SYNC } from './flow';
import { LocalMonitor } from './monitor';
import type { CpuIrqLines, InterruptPort } from './interrupts';
import type { Watchpoints } from './watchpoints';

/** Slots of SCTLR_EL1/EL2 in the register block, for the alignment-check flag (SCTLR_ELx.A, bit 1). */
const SCTLR_EL1_SLOT = SysRegFile.byName('SCTLR_EL1')!.slot;
const SCTLR_EL2_SLOT = SysRegFile.byName('SCTLR_EL2')!.slot;
const slotOf = (n: string): number => SysRegFile.byName(n)!.slot;
/** The registers the table walk reads. */
export const MMU_SLOTS: MmuSlots = {
  sctlr1: SCTLR_EL1_SLOT, tcr1: slotOf('TCR_EL1'), ttbr0_1: slotOf('TTBR0_EL1'), ttbr1_1: slotOf('TTBR1_EL1'), mair1: slotOf('MAIR_EL1'),
  sctlr2: SCTLR_EL2_SLOT, tcr2: slotOf('TCR_EL2'), ttbr0_2: slotOf('TTBR0_EL2'), mair2: slotOf('MAIR_EL2'),
};

/** Why `run` returned. */
export type CpuStop =
  | 'budget' // instruction budget used up
  | 'breakpoint' // reached a breakpoint slot (PC is at it, not executed)
  | 'halt' // a hook asked to stop (power off, semihosting exit, device event); see Cpu.haltReason
  | 'wfi'; // WFI/WFE with nothing to do

/** Services the machine provides to the CPU: firmware calls, semihosting, time. */
export interface CpuHooks {
  /** HVC #imm. Return true when the machine handled it as a firmware call (PSCI conduit). */
  hvc(cpu: Cpu, imm: number): boolean;
  /** SMC #imm. Return true when handled (PSCI conduit when booted at EL2). */
  smc(cpu: Cpu, imm: number): boolean;
  /**
   * SVC #imm. Return true when the machine handled it as a system call (the Linux process mode, acting as
   * the EL0 program's kernel); the SVC then completes like any instruction, with no exception taken.
   */
  svc?(cpu: Cpu, imm: number): boolean;
  /** HLT #imm. Return true when handled (semihosting uses HLT #0xF000). */
  hlt(cpu: Cpu, imm: number): boolean;
  /** A guest-visible problem the user should hear about (unmapped access, undefined instruction...). */
  guestError(cpu: Cpu, message: string): void;
  /** The guest can make no further progress (an exception loop); the machine reports it and stops. */
  fatal?(cpu: Cpu, message: string): void;
  /** Called after an exception is taken; return true to stop execution there (debugger exception filters). */
  exceptionTaken?(cpu: Cpu, ex: SyncException, fromPc: bigint): boolean;
  /** Called after an asynchronous exception (IRQ, FIQ, SError, or a virtual one) is taken. */
  interruptTaken?(cpu: Cpu, kind: AsyncKind, targetEl: number): void;
  /** A generic timer output rose (timer.ts): CNTP, CNTV or CNTHP, and its PPI. */
  timerFired?(cpu: Cpu, timer: string, ppi: number): void;
  /** Stage 1 translation was turned on (SCTLR_ELx.M 0 -> 1) for a regime. */
  mmuEnabled?(cpu: Cpu, regime: 'EL1&0' | 'EL2'): void;
  /** ERET completed: the CPU left `fromEl` (its EL and PC are the restored ones). */
  exceptionReturned?(cpu: Cpu, fromEl: number): void;
  /** SEV: signal an event to every CPU of the machine (the machine sets their event registers). */
  sev?(cpu: Cpu): void;
}

export interface CpuOptions {
  /** Implemented exception levels: highest is 1 or 2 (no EL3: firmware calls are handled by the machine). */
  highestEl: 1 | 2;
  /** Counter frequency, CNTFRQ_EL0. */
  cntfrq: number;
  /** Affinity value for MPIDR_EL1. */
  mpidr: number;
  /**
   * The CPU model (ID registers and feature set; models.ts). Default 'max', everything implemented: a bare
   * CPU (the Linux process mode, tests) runs whatever decodes. Machines pass their spec's model, whose
   * default is DEFAULT_CPU_MODEL.
   */
  model?: CpuModel;
  /** Seed of the FEAT_RNG generator behind RNDR/RNDRRS. Default: DEFAULT_RNG_SEED. */
  rngSeed?: number;
  /** The interrupt controller's CPU-facing side (ICC_* registers, core PPIs); none on a bare CPU. */
  interrupts?: InterruptPort;
  /** Decoded code shared with the other CPUs of the machine (decodeCache.ts); a CPU of its own otherwise. */
  codeStore?: CodeStore;
}

export class Cpu implements CpuIrqLines {
  /** Registers: X0..X33 pairs, PC, PSTATE, banked SPs, system registers (see regs.ts). */
  readonly r: Int32Array;
  /** The soft TLB of the current EL (one of tlbSets), as int32 tags and uint32 host offsets. */
  tlb: Int32Array;
  tlbHost: Uint32Array;
  /** One soft TLB per EL (0, 1, 2), so exception entry and return switch TLBs instead of flushing. */
  private readonly tlbSets: Int32Array[] = [];
  private readonly tlbHostSets: Uint32Array[] = [];
  private readonly fetchPaSets: Float64Array[] = [];
  readonly dv: DataView;
  readonly u8: Uint8Array;
  readonly sys: SysRegFile;
  readonly code: DecodeCache;
  /** The CPU model, and its feature set that gates rows and operations tagged with a feature (models.ts). */
  readonly model: CpuModel;
  readonly features: ReadonlySet<string>;

  /** Retired instructions: the machine's virtual time. */
  icount = 0;
  /** Set by executors: FLOW_BRANCH (PC written), FLOW_STOP (leave the loop after this instruction). */
  flow = 0;
  /** VA of the page being executed (lo, hi). */
  pageVaLo = 0;
  pageVaHi = 0;
  /** Scratch results of 64-bit loads (lo, hi). */
  ldLo = 0;
  ldHi = 0;
  /**
   * icount at which the current `run` must stop (its budget, less the faults): a fused compare + B.cond
   * (isa/exec/fused.ts) runs the compare alone when the B.cond would not fit.
   */
  runEnd = 0;
  /** Target slot of a FLOW_LOCAL branch (in the executing page). */
  jumpSlot = 0;
  /** icount at which a breakpoint slot executes its instruction instead of stopping (resume past it). */
  bpSkipAt = -1;
  /** Why a hook stopped the CPU ('poweroff', 'exit', 'reset', a device event...). */
  haltReason = '';
  /** Set by WFI/WFE: the CPU is in its low-power state until a wake-up event. */
  waiting = false;
  /** The wait is a WFE (also woken by the event register). */
  waitingForEvent = false;
  /** The event register (SEV, SEVL, exception return, ...), consumed by WFE. */
  eventRegister = false;
  /** A physical SError is pending (Machine.raiseSError). */
  serrorPending = false;
  /** The machine clock (counter ticks) when this CPU's current quantum started, and icount then. */
  clockBase = 0;
  clockIcount = 0;
  /** Levels the generic timers drive (bit 0 CNTP, 1 CNTV, 2 CNTHP; timer.ts). */
  timerOut = 0;
  /** SCTLR_EL1.M / SCTLR_EL2.M as last seen (for the mmuEnabled event). */
  private mmuBits = 0;
  /** Levels of the IRQ and FIQ inputs driven by the interrupt controller (interrupts.ts). */
  irqLine = false;
  fiqLine = false;
  /** Powered off by PSCI CPU_OFF / SYSTEM_OFF. */
  off = false;
  /** The local exclusive monitor (LDXR/STXR; see monitor.ts). */
  readonly monitor: LocalMonitor;
  /**
   * SCTLR_ELx.A of the current EL: normal loads and stores must be aligned. Kept up to date by
   * updateAlignCheck, called when the EL changes, when a block ends with FLOW_SYNC (an MSR to SCTLR does)
   * and when `run` starts (the debugger may have written SCTLR). The fast paths never test it: they AND
   * the address with am16/am32/am64, which keep the low address bits when the check is on, so an
   * unaligned address misses the TLB tag compare and the slow path raises the alignment fault.
   */
  alignCheck = false;
  am16 = ~0xfff;
  am32 = ~0xfff;
  am64 = ~0xfff;
  /**
   * Watchpoints (watchpoints.ts), null when none: their pages stay off the TLB fast paths (fill) and the
   * data slow paths call `watch.check` first. Set through Machine.setWatchpoints, which flushes the TLB.
   */
  watch: Watchpoints | null = null;

  constructor(
    readonly index: number,
    readonly mem: StateMemory,
    readonly bus: Bus,
    readonly hooks: CpuHooks,
    readonly opts: CpuOptions,
  ) {
    this.model = opts.model ?? cpuModel('max');
    this.features = new Set(this.model.features);
    const base = mem.alloc(CPU_BLOCK_WORDS * 4, 64);
    this.r = new Int32Array(mem.memory.buffer, base, CPU_BLOCK_WORDS);
    for (let el = 0; el < 3; el++) {
      const tbase = mem.alloc(TLB_BLOCK_WORDS * 4, 64);
      this.tlbSets.push(new Int32Array(mem.memory.buffer, tbase, TLB_BLOCK_WORDS));
      this.tlbHostSets.push(new Uint32Array(mem.memory.buffer, tbase, TLB_BLOCK_WORDS));
      this.fetchPaSets.push(new Float64Array(TLB_ENTRIES));
    }
    this.tlb = this.tlbSets[1];
    this.tlbHost = this.tlbHostSets[1];
    this.fetchPa = this.fetchPaSets[1];
    this.dv = mem.dv;
    this.u8 = mem.u8;
    this.sys = new SysRegFile(this);
    this.code = new DecodeCache(this, opts.codeStore);
    this.monitor = new LocalMonitor(index);
    this.reset();
  }

  reset(): void {
    this.r.fill(0);
    this.sys.reset();
    this.r[I_DAIF] = 0xf;
    this.r[I_EL] = this.opts.highestEl;
    this.r[I_SPSEL] = 1;
    this.flushTlb();
    this.selectTlb();
    this.icount = 0;
    this.flow = 0;
    this.waiting = false;
    this.waitingForEvent = false;
    this.eventRegister = false;
    this.serrorPending = false;
    this.irqLine = false;
    this.fiqLine = false;
    this.clockBase = 0;
    this.clockIcount = 0;
    if (this.timerOut) {
      // drive the timer PPIs low again
      this.timerOut = 0;
      for (const ppi of [30, 27, 26]) this.opts.interrupts?.setPpiLevel(this.index, ppi, false);
    }
    this.mmuBits = 0;
    this.off = false;
    this.monitor.clear();
    this.updateAlignCheck();
  }

  /** The system counter as this CPU reads it now (CNTPCT_EL0): deterministic virtual time. */
  counter(): number {
    return this.clockBase + (this.icount - this.clockIcount);
  }

  /** Sets the counter to `ticks` now (the machine does, at the start of each quantum). */
  setClock(ticks: number): void {
    this.clockBase = ticks;
    this.clockIcount = this.icount;
  }

  /**
   * Translation state changed (an MSR to SCTLR/TCR/TTBR/MAIR/HCR_EL2/PAN, a TLBI, a debugger write):
   * drops the soft TLB and publishes mmuEnabled when SCTLR_ELx.M went from 0 to 1.
   */
  translationChanged(): void {
    this.flushTlb();
    const bits = (this.r[SCTLR_EL1_SLOT] & 1) | ((this.r[SCTLR_EL2_SLOT] & 1) << 1);
    const rose = bits & ~this.mmuBits;
    this.mmuBits = bits;
    if (rose & 1) this.hooks.mmuEnabled?.(this, 'EL1&0');
    if (rose & 2) this.hooks.mmuEnabled?.(this, 'EL2');
  }

  /** The EC 0x18 exception of a trapped MSR/MRS/SYS, taken to `el`. */
  sysregTrap(iss: number, el: number): SyncException {
    return new SyncException(EC.MSR_TRAP, iss, { targetEl: el });
  }

  /** Raises (or withdraws) a physical SError: taken at the next sync point when unmasked. */
  setSError(pending: boolean): void {
    this.serrorPending = pending;
    if (pending) this.flow |= FLOW_SYNC;
  }

  /** Recomputes alignCheck and the fast-path masks from SCTLR_ELx.A of the current EL (EL0/EL1: SCTLR_EL1). */
  updateAlignCheck(): void {
    const a = (this.r[this.r[I_EL] === 2 ? SCTLR_EL2_SLOT : SCTLR_EL1_SLOT] >>> 1) & 1;
    this.alignCheck = a === 1;
    this.am16 = a ? ~0xffe : ~0xfff;
    this.am32 = a ? ~0xffc : ~0xfff;
    this.am64 = a ? ~0xff8 : ~0xfff;
  }

  // A rising line ends the executing block (when the GIC changes it under one of this CPU's own
  // instructions, e.g. an MMIO write or an ICC_* MSR) so the interrupt is taken before the next instruction.
  setIrqLine(level: boolean): void {
    this.irqLine = level;
    if (level) this.flow |= FLOW_SYNC;
  }
  setFiqLine(level: boolean): void {
    this.fiqLine = level;
    if (level) this.flow |= FLOW_SYNC;
  }

  // ---- PC and PSTATE ----------------------------------------------------------------------------------

  get pcLo(): number {
    return this.r[I_PC];
  }
  get pcHi(): number {
    return this.r[I_PC + 1];
  }
  setPc(lo: number, hi: number): void {
    this.r[I_PC] = lo;
    this.r[I_PC + 1] = hi;
  }
  /** Branch from an executor: sets PC and ends the page. */
  branch(lo: number, hi: number): void {
    this.r[I_PC] = lo;
    this.r[I_PC + 1] = hi;
    this.flow |= FLOW_BRANCH;
  }

  get el(): number {
    return this.r[I_EL];
  }

  /** Changes EL and/or SPSel, keeping the banked stack pointers in step with slot 31. */
  setElSp(el: number, spsel: number): void {
    const r = this.r;
    const cur = r[I_SPSEL] ? r[I_EL] : 0;
    r[I_SP_EL + 2 * cur] = r[2 * SLOT_SP];
    r[I_SP_EL + 2 * cur + 1] = r[2 * SLOT_SP + 1];
    r[I_EL] = el;
    r[I_SPSEL] = el === 0 ? 0 : spsel;
    const nxt = r[I_SPSEL] ? el : 0;
    r[2 * SLOT_SP] = r[I_SP_EL + 2 * nxt];
    r[2 * SLOT_SP + 1] = r[I_SP_EL + 2 * nxt + 1];
    this.selectTlb();
    // Exception entry and return come through here: both clear the local exclusive monitor. (So does an
    // MSR to SPSel, an extra clear the architecture permits: the monitor may be cleared at any time.)
    this.monitor.clear();
    this.updateAlignCheck();
  }

  /** Reads a banked SP_ELn (slot 31 when it is the current one). */
  getSpEl(n: number): [number, number] {
    const r = this.r;
    const cur = r[I_SPSEL] ? r[I_EL] : 0;
    if (n === cur) return [r[2 * SLOT_SP], r[2 * SLOT_SP + 1]];
    return [r[I_SP_EL + 2 * n], r[I_SP_EL + 2 * n + 1]];
  }

  setSpEl(n: number, lo: number, hi: number): void {
    const r = this.r;
    const cur = r[I_SPSEL] ? r[I_EL] : 0;
    if (n === cur) {
      r[2 * SLOT_SP] = lo;
      r[2 * SLOT_SP + 1] = hi;
    } else {
      r[I_SP_EL + 2 * n] = lo;
      r[I_SP_EL + 2 * n + 1] = hi;
    }
  }

  /** PSTATE in SPSR layout (AArch64): NZCV[31:28], PAN[22], D A I F [9:6], M[3:0] = EL<<2 | SPSel. */
  packPstate(): number {
    const r = this.r;
    return (
      ((r[I_N] << 31) | (r[I_Z] << 30) | (r[I_C] << 29) | (r[I_V] << 28) | (r[I_PAN] << 22) | (r[I_DAIF] << 6) | (r[I_EL] << 2) | r[I_SPSEL]) >>> 0
    );
  }

  /** NZCV as in the NZCV register (bits 31:28). */
  get nzcv(): number {
    const r = this.r;
    return ((r[I_N] << 31) | (r[I_Z] << 30) | (r[I_C] << 29) | (r[I_V] << 28)) >>> 0;
  }
  set nzcv(v: number) {
    const r = this.r;
    r[I_N] = (v >>> 31) & 1;
    r[I_Z] = (v >>> 30) & 1;
    r[I_C] = (v >>> 29) & 1;
    r[I_V] = (v >>> 28) & 1;
  }

  // ---- running ----------------------------------------------------------------------------------------

  /**
   * Runs at most `budget` instructions. Returns why it stopped; PC is then the next instruction to execute.
   */
  run(budget: number): CpuStop {
    if (this.off) return 'halt';
    const start = this.icount;
    const hardEnd = start + budget;
    // Exceptions that retire no instruction (aborts, UNDEF) still use up budget, so a guest faulting in a
    // loop cannot keep run() from returning.
    let faults = 0;
    this.updateAlignCheck();
    let end = hardEnd;
    let sync = true;
    this.flow &= FLOW_STOP;
    for (;;) {
      if (sync) {
        // a sync point: timers, wake-up, interrupts, and the next timer deadline as the slice's limit
        sync = false;
        updateTimers(this);
        if (this.waiting) {
          if (!(wfiWakeup(this) || (this.waitingForEvent && this.eventRegister))) return 'wfi';
          this.waiting = false;
          if (this.waitingForEvent) this.eventRegister = false;
          this.waitingForEvent = false;
        }
        if (takeInterrupt(this, this.r[I_PC], this.r[I_PC + 1])) this.flow = 0;
        const ticks = ticksToNextDeadline(this);
        end = ticks < hardEnd - this.icount - faults ? this.icount + faults + Math.max(ticks, 1) : hardEnd;
        this.runEnd = end - faults;
      }
      if (this.icount + faults >= end) {
        if (end >= hardEnd) break;
        sync = true;
        continue;
      }
      let page: CodePage;
      const pcLo = this.r[I_PC];
      const pcHi = this.r[I_PC + 1];
      try {
        page = this.code.pageFor(pcLo, pcHi);
      } catch (e) {
        if (this.deliver(e, pcLo, pcHi)) this.runEnd = end - ++faults;
        if (this.flow & FLOW_STOP) return this.finishStop();
        sync = true;
        continue;
      }
      const pageLo = pcLo & ~0xfff;
      this.pageVaLo = pageLo;
      this.pageVaHi = pcHi;
      const ops = page.ops;
      const code = this.code;
      const r = this.r;
      let i = (pcLo & 0xfff) >>> 2;
      this.flow = 0;
      try {
        for (;;) {
          // Straight-line run within the page: stops at the page end, the budget, or a flow flag.
          let lim = i + (end - faults - this.icount);
          if (lim > 1024) lim = 1024;
          for (;;) {
            ops[i](this);
            this.icount++;
            if (this.flow !== 0 || ++i === lim) break;
          }
          const flow = this.flow;
          if (flow === FLOW_LOCAL) {
            // a branch within this page (PC not written; a fused group, taken or not): stay in the loop
            // unless translation changed or the budget is used up
            i = this.jumpSlot;
            this.flow = 0;
            if (code.current === page && this.icount + faults < end) continue;
            this.setNextSequential(i);
          } else if (flow === FLOW_BRANCH) {
            // A plain branch to an aligned slot of this page, translation unchanged: stay in the loop.
            const to = r[I_PC];
            if ((to & ~0xffc) === pageLo && r[I_PC + 1] === pcHi && code.current === page && this.icount + faults < end) {
              i = (to & 0xfff) >>> 2;
              this.flow = 0;
              continue;
            }
          } else if (flow === 0) {
            // fell off the page (or out of budget): PC is the next sequential instruction
            this.setNextSequential(i);
          } else if (flow & FLOW_LOCAL) {
            // never set with another flag today; if it were, leave as a plain branch
            this.setNextSequential(this.jumpSlot);
            this.flow = (flow & ~FLOW_LOCAL) | FLOW_BRANCH;
          }
          break;
        }
      } catch (e) {
        if (this.deliver(e, (this.pageVaLo + (i << 2)) | 0, this.pageVaHi)) this.runEnd = end - ++faults;
        if (this.flow & FLOW_STOP) return this.finishStop();
        // an exception changes EL and masks: a sync point (a lower-priority interrupt may now be taken)
        sync = true;
        continue;
      }
      if (this.flow !== 0) {
        if (this.flow & FLOW_SYNC) {
          this.updateAlignCheck();
          sync = true;
        }
        if (!(this.flow & FLOW_BRANCH)) this.setNextSequential(i + 1);
        if (this.flow & FLOW_STOP) return this.finishStop();
      }
    }
    return 'budget';
  }

  private setNextSequential(i: number): void {
    // page base is 4 KiB aligned, so lo + 0x1000 carries into hi only when lo wraps to 0
    const lo = (this.pageVaLo + (i << 2)) | 0;
    const carry = i === 1024 && lo === 0 ? 1 : 0;
    this.r[I_PC] = lo;
    this.r[I_PC + 1] = (this.pageVaHi + carry) | 0;
  }

  private finishStop(): CpuStop {
    this.flow = 0;
    if (this.stopKind === 'breakpoint') {
      this.stopKind = '';
      return 'breakpoint';
    }
    if (this.waiting) return 'wfi';
    return 'halt';
  }

  private stopKind = '';

  /** icount and vector of the last exception that retired no instruction (exception-loop detection). */
  private lastFault = { icount: -1, vectorLo: 0, vectorHi: 0 };

  /**
   * Handles something thrown out of an executor at instruction address (pcLo, pcHi). Returns true when an
   * exception was taken without retiring the instruction (a fault), false otherwise.
   */
  private deliver(e: unknown, pcLo: number, pcHi: number): boolean {
    this.bpSkipAt = -1;
    if (e === STOP) {
      this.setPc(pcLo, pcHi);
      this.stopKind = 'breakpoint';
      this.flow = FLOW_STOP;
      return false;
    }
    let ex: SyncException;
    if (e instanceof SyncException) ex = e;
    else if (e instanceof BusError) ex = this.busAbort(e);
    else throw e;
    if (ex.returnNext) this.icount++; // SVC/HVC/SMC-style: the instruction itself completed
    // keep a stop request made while the exception was raised (e.g. by a guest-error hook)
    this.flow &= FLOW_STOP;
    const fault = !ex.returnNext;
    // A fault at the very vector the previous fault went to, with nothing retired in between, repeats forever.
    if (fault && this.lastFault.icount === this.icount && this.lastFault.vectorLo === pcLo && this.lastFault.vectorHi === pcHi) {
      this.hooks.fatal?.(this, `exception loop: the exception vector at 0x${(pcHi >>> 0).toString(16)}_${(pcLo >>> 0).toString(16).padStart(8, '0')} faults itself (ESR EC 0x${ex.ec.toString(16)}); is VBAR_EL${Math.max(this.el, 1)} set?`);
      this.flow |= FLOW_STOP;
      return true;
    }
    takeSyncException(this, ex, pcLo, pcHi);
    if (fault) this.lastFault = { icount: this.icount, vectorLo: this.r[I_PC], vectorHi: this.r[I_PC + 1] };
    const fromPc = (BigInt(pcHi >>> 0) << 32n) | BigInt(pcLo >>> 0);
    if (this.hooks.exceptionTaken?.(this, ex, fromPc)) {
      this.haltReason = `exception:${ex.ec}`;
      this.flow |= FLOW_STOP;
    }
    return fault;
  }

  /** An access to a physical address with nothing behind it: a synchronous external abort. */
  private busAbort(e: BusError): SyncException {
    const what = e.fetch ? 'instruction fetch from' : e.write ? 'write to' : 'read from';
    this.hooks.guestError(this, `${what} unmapped physical address 0x${e.pa.toString(16)} (${e.size} bytes)`);
    const ec = e.fetch ? (this.el === 0 ? EC.IABT_LOWER : EC.IABT_CUR) : this.el === 0 ? EC.DABT_LOWER : EC.DABT_CUR;
    // ISS: DFSC/IFSC = 0b010000 synchronous external abort, not on a translation table walk; WnR for writes
    const iss = 0x10 | (e.write ? 1 << 6 : 0);
    return new SyncException(ec, iss, { far: [this.faultVaLo, this.faultVaHi] });
  }

  /** VA of the access in progress on a slow path (for FAR). */
  faultVaLo = 0;
  faultVaHi = 0;

  /** Asks a running loop to stop after the current instruction. */
  requestStop(reason: string): void {
    this.haltReason = reason;
    this.flow |= FLOW_STOP;
  }

  // ---- translation and the soft TLB ---------------------------------------------------------------

  /** Drops every translation (all three ELs' TLBs): translation registers or TLBI changed something. */
  flushTlb(): void {
    for (const t of this.tlbSets) for (let i = 0; i < TLB_BLOCK_WORDS; i += 3) t[i] = TLB_INVALID;
    this.lastVaLo[0] = TLB_INVALID;
    this.lastVaLo[1] = TLB_INVALID;
    this.code.forgetCurrent();
  }

  /**
   * Switches to the soft TLB of the current EL (EL0 and EL1 share the EL1&0 regime but not permissions,
   * so each EL keeps its own entries; all are flushed together by flushTlb).
   */
  private selectTlb(): void {
    const el = this.r[I_EL];
    this.tlb = this.tlbSets[el];
    this.tlbHost = this.tlbHostSets[el];
    this.fetchPa = this.fetchPaSets[el];
    this.lastVaLo[0] = TLB_INVALID;
    this.lastVaLo[1] = TLB_INVALID;
    this.code.forgetCurrent();
  }

  /** Drops write-TLB entries, so code pages registered since are written through the slow path. */
  flushWriteTlb(): void {
    for (const t of this.tlbSets) for (let i = TLB_WRITE; i < TLB_WRITE + TLB_WORDS; i += 3) t[i] = TLB_INVALID;
  }

  /**
   * Translates a VA to a PA (a JS number) for an access at the current EL, or throws its abort (the
   * translation, access flag, permission or address size fault, with DFSC/IFSC, WnR and FAR). With stage
   * 1 off, VA = PA below the model's PARange.
   */
  translate(lo: number, hi: number, write: boolean, fetch: boolean): number {
    const el = this.r[I_EL];
    if (!stage1Enabled(this, MMU_SLOTS, el)) {
      if (hi >>> 0 < 2 ** (paRangeBits(this) - 32)) return (hi >>> 0) * 0x100000000 + (lo >>> 0);
      throw this.abort('address-size', 0, lo, hi, write, fetch);
    }
    // the last data translation of each kind (MMIO and page-crossing accesses never enter the soft TLB)
    const k = write ? 1 : 0;
    const page = lo & ~0xfff;
    if (!fetch && this.lastVaLo[k] === page && this.lastVaHi[k] === hi) return this.lastPa[k] + (lo & 0xfff);
    const r = translateVa(this, MMU_SLOTS, lo, hi, fetch ? 'fetch' : write ? 'write' : 'read', el);
    if (typeof r === 'number') {
      if (!fetch) {
        this.lastVaLo[k] = page;
        this.lastVaHi[k] = hi;
        this.lastPa[k] = r - (r % 4096);
      }
      return r;
    }
    throw this.abort(r.kind, r.level, lo, hi, write, fetch);
  }

  /** translate's one-entry caches for reads [0] and writes [1] (cleared with the soft TLB). */
  private readonly lastVaLo = new Int32Array([1, 1]);
  private readonly lastVaHi = new Int32Array(2);
  private readonly lastPa = new Float64Array(2);

  /** The side-effect-free walk at `el` (default: the current EL), for the debugger's "translate address". */
  walk(va: bigint, el = this.el, fetch = false): WalkResult {
    va = BigInt.asUintN(64, va);
    return walk(this, MMU_SLOTS, Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0, el, fetch);
  }

  /** Translation for an AT instruction: the PA or the fault, for `el`'s permissions, never throwing. */
  translateAt(lo: number, hi: number, kind: AccessKind, el: number): number | { kind: FaultKind; level: number } {
    return translateVa(this, MMU_SLOTS, lo, hi, kind, el);
  }

  /**
   * Runs an unprivileged load/store (LDTR/STTR...) executor: at EL1 with stage 1 on, its accesses are checked
   * with EL0's permissions (and PAN does not apply). Done by running it as EL0, with EL0's soft TLB; a
   * fault is still reported as one from the current EL. At EL0, EL2, or with the MMU off, it is an
   * ordinary access.
   */
  unprivileged(exec: (c: Cpu) => void): void {
    if (this.r[I_EL] !== 1 || !stage1Enabled(this, MMU_SLOTS, 1)) {
      exec(this);
      return;
    }
    this.r[I_EL] = 0;
    this.selectTlb();
    try {
      exec(this);
    } catch (e) {
      if (e instanceof SyncException && e.ec === EC.DABT_LOWER) throw new SyncException(EC.DABT_CUR, e.iss, { far: e.far });
      throw e;
    } finally {
      this.r[I_EL] = 1;
      this.selectTlb();
    }
  }

  /** The data or instruction abort of a failed translation. */
  abort(kind: FaultKind, level: number, lo: number, hi: number, write: boolean, fetch: boolean): SyncException {
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    const lower = this.el === 0;
    const ec = fetch ? (lower ? EC.IABT_LOWER : EC.IABT_CUR) : lower ? EC.DABT_LOWER : EC.DABT_CUR;
    // ISV = 0 (no instruction syndrome for stage 1 aborts, as QEMU reports them); WnR for writes
    return new SyncException(ec, faultStatus(kind, level) | (write && !fetch ? 1 << 6 : 0), { far: [lo, hi] });
  }

  /** Fills a TLB table entry for the page of (lo, hi) when it is RAM; returns the entry index or -1. */
  private fill(table: number, lo: number, hi: number, write: boolean, fetch: boolean): number {
    const pa = this.translate(lo, hi, write, fetch);
    if (this.watch !== null && this.watch.blocksFill(lo, hi, write)) return -1;
    const pageOff = this.bus.ramOffset(pa - (pa % 4096));
    if (pageOff < 0 || this.bus.ramOffset(pa - (pa % 4096) + 4095) !== pageOff + 4095) return -1;
    if (write && this.code.isCodePage(Math.floor(pa / 4096))) return -1;
    const e = table + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    this.tlb[e] = lo & ~0xfff;
    this.tlb[e + 1] = hi;
    this.tlbHost[e + 2] = pageOff;
    return e;
  }

  /** Physical page addresses of the current fetch TLB's entries (the host offset is in the entry). */
  private fetchPa: Float64Array;

  /**
   * Host offset in StateMemory of the RAM page holding the instruction at (lo, hi); its physical address
   * is left in fetchedPa. Goes through the fetch TLB, so a page switch costs a walk only on a miss.
   */
  fetchPage(lo: number, hi: number): number {
    const k = (lo >>> 12) & (TLB_ENTRIES - 1);
    const e = TLB_FETCH + k * 3;
    const t = this.tlb;
    if (t[e] === (lo & ~0xfff) && t[e + 1] === hi) {
      this.fetchedPa = this.fetchPa[k];
      return this.tlbHost[e + 2];
    }
    const pa = this.translate(lo, hi, false, true);
    const base = pa - (pa % 4096);
    const host = this.bus.ramOffset(base);
    if (host < 0 || this.bus.ramOffset(base + 4095) !== host + 4095) {
      this.faultVaLo = lo;
      this.faultVaHi = hi;
      const be = new BusError(pa, false, 4);
      be.fetch = true;
      throw be;
    }
    t[e] = lo & ~0xfff;
    t[e + 1] = hi;
    this.tlbHost[e + 2] = host;
    this.fetchPa[k] = base;
    this.fetchedPa = base;
    return host;
  }

  /** Physical address of the page fetchPage returned last. */
  fetchedPa = 0;

  // ---- data accesses: fast path through the TLB, slow path through translate + bus ------------------

  read8(lo: number, hi: number): number {
    const e = TLB_READ + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & ~0xfff) && t[e + 1] === hi) return this.u8[this.tlbHost[e + 2] + (lo & 0xfff)];
    return this.readSlow(lo, hi, 1);
  }
  read16(lo: number, hi: number): number {
    const e = TLB_READ + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & this.am16) && t[e + 1] === hi && (lo & 0xfff) <= 0xffe) {
      return this.dv.getUint16(this.tlbHost[e + 2] + (lo & 0xfff), true);
    }
    return this.readSlow(lo, hi, 2);
  }
  /** 32-bit read, returned as a signed int32. */
  read32(lo: number, hi: number): number {
    const e = TLB_READ + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & this.am32) && t[e + 1] === hi && (lo & 0xfff) <= 0xffc) {
      return this.dv.getInt32(this.tlbHost[e + 2] + (lo & 0xfff), true);
    }
    return this.readSlow(lo, hi, 4) | 0;
  }
  /** 64-bit read into ldLo/ldHi. */
  read64(lo: number, hi: number): void {
    const e = TLB_READ + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & this.am64) && t[e + 1] === hi && (lo & 0xfff) <= 0xff8) {
      const o = this.tlbHost[e + 2] + (lo & 0xfff);
      this.ldLo = this.dv.getInt32(o, true);
      this.ldHi = this.dv.getInt32(o + 4, true);
      return;
    }
    this.read64Slow(lo, hi);
  }

  write8(lo: number, hi: number, v: number): void {
    const e = TLB_WRITE + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & ~0xfff) && t[e + 1] === hi) {
      this.u8[this.tlbHost[e + 2] + (lo & 0xfff)] = v;
      return;
    }
    this.writeSlow(lo, hi, 1, v);
  }
  write16(lo: number, hi: number, v: number): void {
    const e = TLB_WRITE + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & this.am16) && t[e + 1] === hi && (lo & 0xfff) <= 0xffe) {
      this.dv.setUint16(this.tlbHost[e + 2] + (lo & 0xfff), v, true);
      return;
    }
    this.writeSlow(lo, hi, 2, v);
  }
  write32(lo: number, hi: number, v: number): void {
    const e = TLB_WRITE + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & this.am32) && t[e + 1] === hi && (lo & 0xfff) <= 0xffc) {
      this.dv.setInt32(this.tlbHost[e + 2] + (lo & 0xfff), v, true);
      return;
    }
    this.writeSlow(lo, hi, 4, v);
  }
  write64(lo: number, hi: number, vLo: number, vHi: number): void {
    const e = TLB_WRITE + ((lo >>> 12) & (TLB_ENTRIES - 1)) * 3;
    const t = this.tlb;
    if (t[e] === (lo & this.am64) && t[e + 1] === hi && (lo & 0xfff) <= 0xff8) {
      const o = this.tlbHost[e + 2] + (lo & 0xfff);
      this.dv.setInt32(o, vLo, true);
      this.dv.setInt32(o + 4, vHi, true);
      return;
    }
    this.write64Slow(lo, hi, vLo, vHi);
  }

  private readSlow(lo: number, hi: number, size: 1 | 2 | 4): number {
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    if (this.alignCheck && (lo & (size - 1)) !== 0) this.alignmentFault(lo, hi, false);
    if (this.watch !== null) this.watch.check(this, lo, hi, size, false);
    if ((lo & 0xfff) + size > 0x1000) {
      // crosses a page: byte by byte, each through its own translation
      let v = 0;
      for (let k = 0; k < size; k++) v |= this.readSlowByte(lo + k, hi + (((lo >>> 0) + k) > 0xffffffff ? 1 : 0)) << (8 * k);
      return size === 4 ? v : v & ((1 << (8 * size)) - 1);
    }
    if (this.fill(TLB_READ, lo, hi, false, false) >= 0) {
      return size === 1 ? this.read8(lo, hi) : size === 2 ? this.read16(lo, hi) : this.read32(lo, hi) >>> 0;
    }
    const pa = this.translate(lo, hi, false, false);
    return this.bus.read(pa, size);
  }

  private readSlowByte(lo: number, hi: number): number {
    lo |= 0;
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    if (this.fill(TLB_READ, lo, hi, false, false) >= 0) return this.read8(lo, hi);
    return this.bus.read(this.translate(lo, hi, false, false), 1);
  }

  private read64Slow(lo: number, hi: number): void {
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    if (this.alignCheck && (lo & 7) !== 0) this.alignmentFault(lo, hi, false);
    if (this.watch !== null) this.watch.check(this, lo, hi, 8, false);
    if ((lo & 0xfff) <= 0xff8) {
      if (this.fill(TLB_READ, lo, hi, false, false) >= 0) return this.read64(lo, hi);
      const [l, h] = this.bus.read64(this.translate(lo, hi, false, false));
      this.ldLo = l;
      this.ldHi = h;
      return;
    }
    const lo2 = (lo + 4) | 0;
    const hi2 = (hi + ((lo >>> 0) + 4 > 0xffffffff ? 1 : 0)) | 0;
    const a = this.readSlow(lo, hi, 4) | 0;
    const b = this.readSlow(lo2, hi2, 4) | 0;
    this.ldLo = a;
    this.ldHi = b;
  }

  private writeSlow(lo: number, hi: number, size: 1 | 2 | 4, v: number): void {
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    if (this.alignCheck && (lo & (size - 1)) !== 0) this.alignmentFault(lo, hi, true);
    if (this.watch !== null) this.watch.check(this, lo, hi, size, true);
    if ((lo & 0xfff) + size > 0x1000) {
      this.probeSecondPage(lo, hi);
      for (let k = 0; k < size; k++) {
        const l = (lo + k) | 0;
        const h = (hi + ((lo >>> 0) + k > 0xffffffff ? 1 : 0)) | 0;
        this.writeSlowOne(l, h, 1, (v >>> (8 * k)) & 0xff);
      }
      return;
    }
    this.writeSlowOne(lo, hi, size, v);
  }

  private writeSlowOne(lo: number, hi: number, size: 1 | 2 | 4, v: number): void {
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    const pa = this.translate(lo, hi, true, false);
    this.code.noteWrite(pa, size);
    if (this.fill(TLB_WRITE, lo, hi, true, false) >= 0) {
      if (size === 1) this.write8(lo, hi, v);
      else if (size === 2) this.write16(lo, hi, v);
      else this.write32(lo, hi, v);
      return;
    }
    this.bus.write(pa, size, v);
  }

  private write64Slow(lo: number, hi: number, vLo: number, vHi: number): void {
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    if (this.alignCheck && (lo & 7) !== 0) this.alignmentFault(lo, hi, true);
    if (this.watch !== null) this.watch.check(this, lo, hi, 8, true);
    if ((lo & 0xfff) <= 0xff8) {
      const pa = this.translate(lo, hi, true, false);
      this.code.noteWrite(pa, 8);
      if (this.fill(TLB_WRITE, lo, hi, true, false) >= 0) return this.write64(lo, hi, vLo, vHi);
      this.bus.write64(pa, vLo, vHi);
      return;
    }
    this.probeSecondPage(lo, hi);
    const lo2 = (lo + 4) | 0;
    const hi2 = (hi + ((lo >>> 0) + 4 > 0xffffffff ? 1 : 0)) | 0;
    this.writeSlow(lo, hi, 4, vLo);
    this.writeSlow(lo2, hi2, 4, vHi);
  }

  /**
   * A store that crosses from the page of (lo, hi) into the next one: the next page is translated and its
   * physical address checked for something mapped before any byte is written, so a store that faults on
   * its second page writes nothing, as QEMU does (memory is left as it was, so a kernel that maps the page
   * and restarts the store never sees a half-written value). The fault names the first byte of that page
   * in FAR. Only page-crossing stores (slow path) pay for it.
   */
  private probeSecondPage(lo: number, hi: number): void {
    const lo2 = ((lo & ~0xfff) + 0x1000) | 0;
    const hi2 = (hi + (lo2 === 0 ? 1 : 0)) | 0;
    this.faultVaLo = lo2;
    this.faultVaHi = hi2;
    const pa = this.translate(lo2, hi2, true, false);
    if (!this.bus.find(pa)) throw new BusError(pa, true, 1);
    this.faultVaLo = lo;
    this.faultVaHi = hi;
  }

  // ---- exceptions raised by executors ------------------------------------------------------------

  /** Branch to a misaligned PC: the PC alignment fault, taken when the instruction is fetched. */
  pcAlignmentFault(lo: number, hi: number): never {
    throw new SyncException(EC.PC_ALIGN, 0, { far: [lo, hi] });
  }

  /**
   * Data abort, alignment fault (DFSC 0b100001), for the access at (lo, hi): raised by normal accesses when
   * SCTLR_ELx.A is set and by exclusive, ordered and atomic accesses always. ISV = 0; WnR for writes.
   */
  alignmentFault(lo: number, hi: number, write: boolean): never {
    const ec = this.el === 0 ? EC.DABT_LOWER : EC.DABT_CUR;
    throw new SyncException(ec, 0x21 | (write ? 1 << 6 : 0), { far: [lo, hi] });
  }

  /** Throws the UNDEF exception for the executing instruction. */
  undefined(): never {
    throw new SyncException(EC.UNKNOWN, 0);
  }
}

export { SyncException, STOP, FLOW_BRANCH, FLOW_STOP };
