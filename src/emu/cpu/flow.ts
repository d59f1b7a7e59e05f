// Flags an executor sets in Cpu.flow to leave the straight-line run loop. Kept in their own module so that
// instruction executors can import them without importing the Cpu class at load time.

/** The executor wrote PC (a taken branch, ERET, an exception entry). */
export const FLOW_BRANCH = 1;
/** Leave the run loop after this instruction (halt, WFI, device event, debugger request). */
export const FLOW_STOP = 2;
/** End the block so pending interrupts are sampled (writes to DAIF, GIC priority mask...). */
export const FLOW_SYNC = 4;
/**
 * A fused compare + B.cond (isa/exec/fused.ts) retired both and the branch was not taken: the loop resumes
 * two slots on. Set only by those executors, never combined with another flag.
 */
export const FLOW_SKIP = 8;
/** As FLOW_SKIP for a fused ALU instruction + compare + B.cond: the loop resumes three slots on. */
export const FLOW_SKIP3 = 16;
