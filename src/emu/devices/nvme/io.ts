// NVMe I/O commands of the NVM command set (NVMe 1.4 §6): Flush, Write and Read on namespace 1, data
// through PRPs, blocks through the copy-on-write disk. Transfers above MDTS (2^7 pages) are refused with
// Invalid Field, ranges past the namespace with LBA Out of Range, as QEMU does.
import type { NvmeContext } from './context';
import { MDTS } from './identify';
import type { Command, Completion } from './queues';
import {
  IO_FLUSH, IO_READ, IO_WRITE, SC_DATA_TRANSFER_ERROR, SC_INVALID_FIELD, SC_INVALID_NAMESPACE,
  SC_INVALID_OPCODE, SC_LBA_OUT_OF_RANGE, SC_SUCCESS,
} from './regs';

const fail = (status: number): Completion => ({ status, result: 0 });

export function ioCommand(ctx: NvmeContext, c: Command): Completion {
  if (c.opcode === IO_FLUSH) {
    if (c.nsid !== 1 && c.nsid !== 0xffff_ffff) return fail(SC_INVALID_NAMESPACE);
    return { status: SC_SUCCESS, result: 0 };
  }
  if (c.opcode !== IO_READ && c.opcode !== IO_WRITE) return fail(SC_INVALID_OPCODE);
  if (c.nsid !== 1) return fail(SC_INVALID_NAMESPACE);
  if (c.psdt !== 0) return fail(SC_INVALID_FIELD);
  const slba = c.cdw11 * 0x1_0000_0000 + c.cdw10;
  const blocks = (c.cdw12 & 0xffff) + 1;
  const bytes = blocks * 512;
  if (bytes > 2 ** MDTS * ctx.pageSize) return fail(SC_INVALID_FIELD);
  if (slba + blocks > ctx.disk.sectors) return fail(SC_LBA_OUT_OF_RANGE);
  try {
    if (c.opcode === IO_READ) {
      const data = new Uint8Array(bytes);
      ctx.disk.read(slba, data);
      ctx.toHost(c.prp1, c.prp2, data);
    } else {
      ctx.disk.write(slba, ctx.fromHost(c.prp1, c.prp2, bytes));
    }
  } catch (e) {
    ctx.guestError(`nvme: ${c.opcode === IO_READ ? 'read' : 'write'} of LBA ${slba}+${blocks}: ${(e as Error).message}`);
    return fail(SC_DATA_TRANSFER_ERROR);
  }
  return { status: SC_SUCCESS, result: 0 };
}
