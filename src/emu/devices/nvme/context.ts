// What the NVMe command handlers (admin.ts, io.ts) see of the controller: guest memory through PRPs, the
// namespace's block backend, the queues, and the per-controller feature values.
import type { CowDisk } from '../../disk/cowDisk';
import type { CompletionQueue, SubmissionQueue } from './queues';

export interface NvmeContext {
  readonly disk: CowDisk;
  readonly serial: string;
  readonly pageSize: number;
  readonly sqs: Map<number, SubmissionQueue>;
  readonly cqs: Map<number, CompletionQueue>;
  /** Feature values set by Set Features (those we store), by Feature Identifier. */
  readonly features: Map<number, number>;
  /** Copies `data` to the host buffer the PRPs describe; throws on a bad PRP or unmapped memory. */
  toHost(prp1: number, prp2: number, data: Uint8Array): void;
  /** Reads `length` bytes from the host buffer the PRPs describe. */
  fromHost(prp1: number, prp2: number, length: number): Uint8Array;
  guestError(message: string): void;
}
