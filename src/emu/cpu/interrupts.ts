// The boundary between a CPU and its interrupt controller (DESIGN.md: "the CPU talks to the GIC through an
// injected interface"). The CPU side never imports a device: the machine creates the GIC and hands each Cpu
// an InterruptPort (CpuOptions.interrupts). The GIC side never imports the CPU: it drives a CpuIrqLines per
// CPU, which the Cpu implements.
//
//   CPU -> GIC: ICC_* system register accesses (the GICv3 CPU interface lives in the GIC model, which knows
//               priorities, groups and the pending/active state), and the level of the CPU's private
//               peripheral interrupts that originate in the core (generic timer PPIs 26/27/30, PMU 23).
//   GIC -> CPU: the IRQ and FIQ lines (level), re-evaluated by the GIC whenever its state changes. The CPU
//               samples them at slice boundaries and after instructions that end a block (MSR DAIF, ERET,
//               ISB, WFI), as DESIGN.md's deterministic-time rules say.
//
// Register names are the architectural ones (ICC_IAR1_EL1, ICC_PMR_EL1, ...). An access the port does not
// implement returns undefined / false and the CPU treats it as UNDEFINED.

/** Implemented by the interrupt controller, one per machine; `cpu` is the Cpu.index of the accessing CPU. */
export interface InterruptPort {
  /** MRS of an ICC_* register; undefined when the register does not exist in this GIC (UNDEFINED). */
  readIcc(cpu: number, name: string, el: number): bigint | undefined;
  /** MSR to an ICC_* register; false when it does not exist (UNDEFINED). */
  writeIcc(cpu: number, name: string, el: number, value: bigint): boolean;
  /** A private peripheral interrupt driven by the core itself (timers: 26 CNTHP, 27 CNTV, 30 CNTP; 23 PMU). */
  setPpiLevel(cpu: number, intid: number, level: boolean): void;
}

/** Implemented by each Cpu; the GIC calls these when the line it drives changes level. */
export interface CpuIrqLines {
  setIrqLine(level: boolean): void;
  setFiqLine(level: boolean): void;
}
