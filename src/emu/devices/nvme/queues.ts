// NVMe submission and completion queues as the controller tracks them (NVMe 1.4 §4.1): circular buffers in
// guest memory, the controller owning the SQ head and CQ tail (and the CQ's phase tag, which it inverts
// each time its tail wraps), the host owning SQ tail and CQ head through the doorbells.
export interface SubmissionQueue {
  readonly qid: number;
  readonly base: number;
  /** Entries (1's based). */
  readonly size: number;
  readonly cqid: number;
  head: number;
  tail: number;
}

export interface CompletionQueue {
  readonly qid: number;
  readonly base: number;
  readonly size: number;
  /** MSI-X vector and whether completions interrupt. */
  readonly vector: number;
  readonly interrupts: boolean;
  head: number;
  tail: number;
  phase: number;
}

export function cqFull(cq: CompletionQueue): boolean {
  return (cq.tail + 1) % cq.size === cq.head;
}

/** A submission queue entry's fields (64 bytes, §4.2). */
export interface Command {
  opcode: number;
  /** Bits 15:14 of CDW0: 0 PRPs, otherwise SGLs (not supported). */
  psdt: number;
  cid: number;
  nsid: number;
  prp1: number;
  prp2: number;
  cdw10: number;
  cdw11: number;
  cdw12: number;
  cdw13: number;
  cdw14: number;
  cdw15: number;
}

export function parseCommand(b: Uint8Array): Command {
  const dv = new DataView(b.buffer, b.byteOffset, 64);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number): number => u32(o + 4) * 0x1_0000_0000 + u32(o);
  const cdw0 = u32(0);
  return {
    opcode: cdw0 & 0xff, psdt: (cdw0 >>> 14) & 3, cid: cdw0 >>> 16, nsid: u32(4),
    prp1: u64(24), prp2: u64(32),
    cdw10: u32(40), cdw11: u32(44), cdw12: u32(48), cdw13: u32(52), cdw14: u32(56), cdw15: u32(60),
  };
}

/** Outcome of a command: a status (Status Field value) and DW0, or null while the command stays outstanding. */
export interface Completion {
  status: number;
  result: number;
}
