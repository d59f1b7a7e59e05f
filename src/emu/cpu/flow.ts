// Flags an executor sets in Cpu.flow to leave the straight-line run loop. Kept in their own module so that
// instruction executors can import them without importing the Cpu class at load time.

/** The executor wrote PC (a taken branch, ERET, an exception entry). */
export const FLOW_BRANCH = 1;
/** Leave the run loop after this instruction (halt, WFI, device event, debugger request). */
export const FLOW_STOP = 2;
/** End the block so pending interrupts are sampled (writes to DAIF, GIC priority mask...). */
export const FLOW_SYNC = 4;
/**
 * A taken branch to a slot of the executing page (Cpu.jumpSlot), PC not written: the loop goes on there, or
 * writes PC from the slot when it leaves. Set alone, by in-page B/B.cond/CBZ/TBZ and the fused groups (isa/exec/fused.ts),
 * taken or not.
 */
export const FLOW_LOCAL = 32;
