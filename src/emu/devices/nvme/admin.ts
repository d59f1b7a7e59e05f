// NVMe admin commands (NVMe 1.4 §5): Create/Delete I/O Submission and Completion Queue, Identify (CNS 0,
// 1, 2, 3, and 5/6 for CSI 0), Get/Set Features, Get Log Page, Abort and Asynchronous Event Request.
//
// Choices (QEMU 7.2's answers kept where a driver can see them):
// - Set Features Number of Queues answers 63/63 (64 I/O queue pairs) whatever was asked, as QEMU.
// - Set Features Interrupt Coalescing is refused with Feature Not Changeable (QEMU 7.2 does the same);
//   Get Features returns 0 for it. Arbitration, Power Management, Temperature Threshold, Error Recovery,
//   Volatile Write Cache and Asynchronous Event Configuration are stored and returned, without effect.
// - Get Log Page returns zeros for the error, SMART/health and firmware slot logs.
// - Asynchronous Event Requests stay outstanding (no events are generated); Abort aborts nothing (DW0 bit 0 = 1).
import type { NvmeContext } from './context';
import { activeNamespaceList, identifyController, identifyNamespace, namespaceDescriptors, NUM_NAMESPACES } from './identify';
import type { Command, Completion } from './queues';
import {
  ADMIN_ABORT, ADMIN_ASYNC_EVENT, ADMIN_CREATE_CQ, ADMIN_CREATE_SQ, ADMIN_DELETE_CQ, ADMIN_DELETE_SQ,
  ADMIN_GET_FEATURES, ADMIN_GET_LOG_PAGE, ADMIN_IDENTIFY, ADMIN_SET_FEATURES, FEAT_INTERRUPT_COALESCING,
  FEAT_NUM_QUEUES, MAX_IO_QUEUES, MQES, MSIX_VECTORS, SC_CQ_INVALID, SC_DATA_TRANSFER_ERROR, SC_FEATURE_NOT_CHANGEABLE,
  SC_INVALID_FIELD, SC_INVALID_NAMESPACE, SC_INVALID_OPCODE, SC_INVALID_QID, SC_INVALID_QSIZE,
  SC_INVALID_QUEUE_DELETION, SC_INVALID_VECTOR, SC_SUCCESS,
} from './regs';

const ok = (result = 0): Completion => ({ status: SC_SUCCESS, result });
const fail = (status: number): Completion => ({ status, result: 0 });
const STORED_FEATURES = new Set([0x01, 0x02, 0x04, 0x05, 0x06, 0x0b]);
const QUEUES_RESULT = ((MAX_IO_QUEUES - 1) << 16) | (MAX_IO_QUEUES - 1);

/** Runs an admin command; null when it stays outstanding (AER). */
export function adminCommand(ctx: NvmeContext, c: Command): Completion | null {
  if (c.psdt !== 0) return fail(SC_INVALID_FIELD); // SGLs are not supported (SGLS = 0)
  switch (c.opcode) {
    case ADMIN_CREATE_CQ: return createCq(ctx, c);
    case ADMIN_CREATE_SQ: return createSq(ctx, c);
    case ADMIN_DELETE_SQ: {
      const qid = c.cdw10 & 0xffff;
      if (qid === 0 || !ctx.sqs.has(qid)) return fail(SC_INVALID_QID);
      ctx.sqs.delete(qid);
      return ok();
    }
    case ADMIN_DELETE_CQ: {
      const qid = c.cdw10 & 0xffff;
      if (qid === 0 || !ctx.cqs.has(qid)) return fail(SC_INVALID_QID);
      for (const sq of ctx.sqs.values()) if (sq.cqid === qid) return fail(SC_INVALID_QUEUE_DELETION);
      ctx.cqs.delete(qid);
      return ok();
    }
    case ADMIN_IDENTIFY: return identify(ctx, c);
    case ADMIN_GET_FEATURES: {
      const fid = c.cdw10 & 0xff;
      if (fid === FEAT_NUM_QUEUES) return ok(QUEUES_RESULT);
      if (fid === FEAT_INTERRUPT_COALESCING) return ok(0);
      if (STORED_FEATURES.has(fid)) return ok(ctx.features.get(fid) ?? 0);
      return fail(SC_INVALID_FIELD);
    }
    case ADMIN_SET_FEATURES: {
      const fid = c.cdw10 & 0xff;
      if (fid === FEAT_NUM_QUEUES) return ok(QUEUES_RESULT);
      if (fid === FEAT_INTERRUPT_COALESCING) return fail(SC_FEATURE_NOT_CHANGEABLE);
      if (STORED_FEATURES.has(fid)) {
        ctx.features.set(fid, c.cdw11);
        return ok();
      }
      return fail(SC_INVALID_FIELD);
    }
    case ADMIN_GET_LOG_PAGE: {
      const lid = c.cdw10 & 0xff;
      if (lid < 1 || lid > 3) return fail(SC_INVALID_FIELD);
      const dwords = ((c.cdw10 >>> 16) | ((c.cdw11 & 0xffff) << 16)) + 1;
      return transfer(ctx, c, new Uint8Array(Math.min(dwords * 4, 4096)));
    }
    case ADMIN_ABORT: return ok(1);
    case ADMIN_ASYNC_EVENT: return null;
    default: return fail(SC_INVALID_OPCODE);
  }
}

function transfer(ctx: NvmeContext, c: Command, data: Uint8Array): Completion {
  try {
    ctx.toHost(c.prp1, c.prp2, data);
  } catch (e) {
    ctx.guestError(`nvme: admin data transfer failed: ${(e as Error).message}`);
    return fail(SC_DATA_TRANSFER_ERROR);
  }
  return ok();
}

function identify(ctx: NvmeContext, c: Command): Completion {
  const cns = c.cdw10 & 0xff;
  switch (cns) {
    case 0x00:
      if (c.nsid === 0 || (c.nsid > NUM_NAMESPACES && c.nsid !== 0xffff_ffff)) return fail(SC_INVALID_NAMESPACE);
      return transfer(ctx, c, c.nsid === 1 ? identifyNamespace(ctx.disk.sectors) : new Uint8Array(4096));
    case 0x01: return transfer(ctx, c, identifyController(ctx.serial));
    case 0x02:
      if (c.nsid >= 0xffff_fffe) return fail(SC_INVALID_NAMESPACE);
      return transfer(ctx, c, activeNamespaceList(c.nsid));
    case 0x03:
      if (c.nsid !== 1) return fail(SC_INVALID_NAMESPACE);
      return transfer(ctx, c, namespaceDescriptors());
    case 0x05: // I/O command set specific namespace: nothing beyond the NVM base for CSI 0
      if ((c.cdw11 >>> 24) !== 0) return fail(SC_INVALID_FIELD);
      if (c.nsid !== 1) return fail(SC_INVALID_NAMESPACE);
      return transfer(ctx, c, new Uint8Array(4096));
    case 0x06: // I/O command set specific controller (CSI 0, NVM): all zero (no non-MDTS limits)
      if ((c.cdw11 >>> 24) !== 0) return fail(SC_INVALID_FIELD);
      return transfer(ctx, c, new Uint8Array(4096));
    default: return fail(SC_INVALID_FIELD);
  }
}

function createCq(ctx: NvmeContext, c: Command): Completion {
  const qid = c.cdw10 & 0xffff;
  const size = (c.cdw10 >>> 16) + 1;
  const vector = c.cdw11 >>> 16;
  if (qid === 0 || qid > MAX_IO_QUEUES || ctx.cqs.has(qid)) return fail(SC_INVALID_QID);
  if (size < 2 || size > MQES + 1) return fail(SC_INVALID_QSIZE);
  if (!(c.cdw11 & 1) || c.prp1 % ctx.pageSize) return fail(SC_INVALID_FIELD); // CAP.CQR: contiguous only
  if (vector >= MSIX_VECTORS) return fail(SC_INVALID_VECTOR);
  ctx.cqs.set(qid, { qid, base: c.prp1, size, vector, interrupts: (c.cdw11 & 2) !== 0, head: 0, tail: 0, phase: 1 });
  return ok();
}

function createSq(ctx: NvmeContext, c: Command): Completion {
  const qid = c.cdw10 & 0xffff;
  const size = (c.cdw10 >>> 16) + 1;
  const cqid = c.cdw11 >>> 16;
  if (qid === 0 || qid > MAX_IO_QUEUES || ctx.sqs.has(qid)) return fail(SC_INVALID_QID);
  if (cqid === 0 || !ctx.cqs.has(cqid)) return fail(SC_CQ_INVALID);
  if (size < 2 || size > MQES + 1) return fail(SC_INVALID_QSIZE);
  if (!(c.cdw11 & 1) || c.prp1 % ctx.pageSize) return fail(SC_INVALID_FIELD);
  ctx.sqs.set(qid, { qid, base: c.prp1, size, cqid, head: 0, tail: 0 });
  return ok();
}
