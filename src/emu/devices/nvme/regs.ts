// NVMe 1.4 facts the controller model uses: controller register offsets (§3.1), the fields of CC and
// CSTS, opcodes (§5, §6), status values as they appear in a completion queue entry's Status Field
// (bits 31:17 of DW3: SC in [7:0], SCT in [10:8], DNR in bit 14), and the capability values we advertise.
export const REG_CAP = 0x00;
export const REG_VS = 0x08;
export const REG_INTMS = 0x0c;
export const REG_INTMC = 0x10;
export const REG_CC = 0x14;
export const REG_CSTS = 0x1c;
export const REG_NSSR = 0x20;
export const REG_AQA = 0x24;
export const REG_ASQ = 0x28;
export const REG_ACQ = 0x30;
export const DOORBELL_BASE = 0x1000;

export const CC_EN = 1 << 0;
export const CC_SHN_SHIFT = 14;
export const CSTS_RDY = 1 << 0;
export const CSTS_CFS = 1 << 1;
export const CSTS_SHST_COMPLETE = 2 << 2;

/** Version 1.4.0. */
export const NVME_VERSION = 0x0001_0400;
/** I/O queue pairs we support (QEMU's default max_ioqpairs), and MSI-X vectors (one more, for admin). */
export const MAX_IO_QUEUES = 64;
export const MSIX_VECTORS = MAX_IO_QUEUES + 1;
/** Maximum Queue Entries Supported, 0's based (2048 entries). */
export const MQES = 0x7ff;
/**
 * CAP, as QEMU 7.2 advertises it (guest-visible values kept identical where they describe what we do):
 * MQES 0x7FF, CQR 1 (contiguous queues required), TO 15 (7.5 s), DSTRD 0, CSS bit 0 (NVM) and bits 6, 7
 * (I/O command sets, admin-only), MPSMIN 0 (4 KiB), MPSMAX 4 (64 KiB).
 */
export const CAP_LO = ((0x0f << 24) | (1 << 16) | MQES) >>> 0;
export const CAP_HI = ((4 << 20) | (((1 << 0) | (1 << 6) | (1 << 7)) << 5)) >>> 0;

export const ADMIN_DELETE_SQ = 0x00;
export const ADMIN_CREATE_SQ = 0x01;
export const ADMIN_GET_LOG_PAGE = 0x02;
export const ADMIN_DELETE_CQ = 0x04;
export const ADMIN_CREATE_CQ = 0x05;
export const ADMIN_IDENTIFY = 0x06;
export const ADMIN_ABORT = 0x08;
export const ADMIN_SET_FEATURES = 0x09;
export const ADMIN_GET_FEATURES = 0x0a;
export const ADMIN_ASYNC_EVENT = 0x0c;

export const IO_FLUSH = 0x00;
export const IO_WRITE = 0x01;
export const IO_READ = 0x02;

export const FEAT_NUM_QUEUES = 0x07;
export const FEAT_INTERRUPT_COALESCING = 0x08;

export const DNR = 1 << 14;
export const SC_SUCCESS = 0x0000;
export const SC_INVALID_OPCODE = 0x0001 | DNR;
export const SC_INVALID_FIELD = 0x0002 | DNR;
export const SC_DATA_TRANSFER_ERROR = 0x0004;
export const SC_INVALID_NAMESPACE = 0x000b | DNR;
export const SC_LBA_OUT_OF_RANGE = 0x0080 | DNR;
/** Command specific (SCT 1). */
export const SC_CQ_INVALID = 0x0100 | DNR;
export const SC_INVALID_QID = 0x0101 | DNR;
export const SC_INVALID_QSIZE = 0x0102 | DNR;
export const SC_INVALID_VECTOR = 0x0108 | DNR;
export const SC_INVALID_QUEUE_DELETION = 0x010c | DNR;
export const SC_FEATURE_NOT_CHANGEABLE = 0x010e | DNR;
