// Arm semihosting (the "Semihosting for AArch32 and AArch64" specification), trapped from HLT #0xF000 in
// AArch64 state: operation number in w0, parameter (usually a pointer to a block of 64-bit words) in x1,
// result in x0. Bare-metal test suites and Nanos exit through it.
//
// Supported: SYS_OPEN of ":tt" (the console), SYS_CLOSE, SYS_WRITEC, SYS_WRITE0, SYS_WRITE, SYS_READ and
// SYS_READC (from console input), SYS_ISTTY, SYS_ISERROR, SYS_ERRNO, SYS_CLOCK/SYS_ELAPSED/SYS_TICKFREQ
// (virtual time: deterministic), SYS_TIME (a fixed epoch, never the host clock), SYS_HEAPINFO, SYS_EXIT and
// SYS_EXIT_EXTENDED. Files on the host are not opened (no file system in src/emu): SYS_OPEN of anything
// but ":tt" fails with -1 and is reported, like any other unsupported operation.
import type { Cpu } from '../cpu/cpu';

export const SEMIHOSTING_HLT_IMM = 0xf000;
const ADP_Stopped_ApplicationExit = 0x20026;

export interface SemihostingHost {
  /** Console output (the machine prints it where the user sees the UART). */
  write(bytes: Uint8Array, stream: 'stdout' | 'stderr'): void;
  /** Takes up to `max` bytes of console input; empty when none is waiting. */
  read(max: number): Uint8Array;
  exit(cpu: Cpu, code: number): void;
  guestError(cpu: Cpu, message: string): void;
  /** Start and size of guest RAM, for SYS_HEAPINFO. */
  ram: { base: number; size: number };
}

/** Console handles: stdin 1, stdout 2, stderr 3 (0 is never a valid handle). */
const TT_HANDLES: Record<number, 'stdin' | 'stdout' | 'stderr'> = { 1: 'stdin', 2: 'stdout', 3: 'stderr' };

function readU64(c: Cpu, addr: bigint): bigint {
  const lo = Number(addr & 0xffffffffn) | 0;
  const hi = Number(addr >> 32n) | 0;
  c.read64(lo, hi);
  return (BigInt(c.ldHi >>> 0) << 32n) | BigInt(c.ldLo >>> 0);
}

function readBytes(c: Cpu, addr: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const a = addr + BigInt(i);
    out[i] = c.read8(Number(a & 0xffffffffn) | 0, Number((a >> 32n) & 0xffffffffn) | 0);
  }
  return out;
}

function readCString(c: Cpu, addr: bigint, max = 1 << 16): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < max; i++) {
    const a = addr + BigInt(i);
    const b = c.read8(Number(a & 0xffffffffn) | 0, Number((a >> 32n) & 0xffffffffn) | 0);
    if (b === 0) break;
    bytes.push(b);
  }
  return Uint8Array.from(bytes);
}

function writeU64(c: Cpu, addr: bigint, v: bigint): void {
  v = BigInt.asUintN(64, v);
  c.write64(Number(addr & 0xffffffffn) | 0, Number(addr >> 32n) | 0, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
}

export class Semihosting {
  private errno = 0;
  constructor(private readonly host: SemihostingHost) {}

  /** Executes the call in w0/x1; returns true (HLT #0xF000 is always claimed when semihosting is on). */
  call(c: Cpu): boolean {
    const op = c.r[0] >>> 0;
    const param = (BigInt(c.r[3] >>> 0) << 32n) | BigInt(c.r[2] >>> 0);
    const arg = (i: number): bigint => readU64(c, param + BigInt(8 * i));
    let ret: bigint = 0n;
    switch (op) {
      case 0x01: { // SYS_OPEN [name, mode, length]
        const name = new TextDecoder().decode(readBytes(c, arg(0), Number(arg(2))));
        const mode = Number(arg(1));
        if (name === ':tt') ret = mode < 4 ? 1n : mode < 8 ? 2n : 3n;
        else {
          this.host.guestError(c, `semihosting: SYS_OPEN("${name}") — host files are not available`);
          ret = -1n;
          this.errno = 2;
        }
        break;
      }
      case 0x02: // SYS_CLOSE
        ret = 0n;
        break;
      case 0x03: // SYS_WRITEC
        this.host.write(readBytes(c, param, 1), 'stdout');
        return true; // x0 is corrupted per spec; we leave it
      case 0x04: // SYS_WRITE0
        this.host.write(readCString(c, param), 'stdout');
        return true;
      case 0x05: { // SYS_WRITE [handle, buf, len] -> bytes not written
        const h = Number(arg(0));
        const len = Number(arg(2));
        const stream = TT_HANDLES[h];
        if (stream === 'stdout' || stream === 'stderr') {
          this.host.write(readBytes(c, arg(1), len), stream);
          ret = 0n;
        } else {
          ret = BigInt(len);
          this.errno = 9;
        }
        break;
      }
      case 0x06: { // SYS_READ [handle, buf, len] -> bytes not read
        const h = Number(arg(0));
        const len = Number(arg(2));
        if (TT_HANDLES[h] !== 'stdin') {
          ret = BigInt(len);
          break;
        }
        const data = this.host.read(len);
        const buf = arg(1);
        for (let i = 0; i < data.length; i++) {
          const a = buf + BigInt(i);
          c.write8(Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0, data[i]);
        }
        ret = BigInt(len - data.length);
        break;
      }
      case 0x07: { // SYS_READC
        const d = this.host.read(1);
        ret = d.length ? BigInt(d[0]) : -1n;
        break;
      }
      case 0x08: // SYS_ISERROR [status]
        ret = BigInt.asIntN(64, arg(0)) < 0n ? 1n : 0n;
        break;
      case 0x09: // SYS_ISTTY [handle]
        ret = TT_HANDLES[Number(arg(0))] ? 1n : 0n;
        break;
      case 0x10: // SYS_CLOCK: centiseconds of virtual time
        ret = BigInt(Math.floor(c.icount / (c.opts.cntfrq / 100)));
        break;
      case 0x11: // SYS_TIME: seconds since the epoch; fixed so runs are deterministic
        ret = 1_700_000_000n;
        break;
      case 0x13: // SYS_ERRNO
        ret = BigInt(this.errno);
        break;
      case 0x16: { // SYS_HEAPINFO [pointer to 4-word block]
        const block = arg(0);
        const { base, size } = this.host.ram;
        const end = BigInt(base + size);
        writeU64(c, block, BigInt(base + size / 2));
        writeU64(c, block + 8n, end - 0x100000n);
        writeU64(c, block + 16n, end);
        writeU64(c, block + 24n, end - 0x100000n);
        ret = 0n;
        break;
      }
      case 0x18: { // SYS_EXIT [reason, subcode] (AArch64 passes a block)
        const reason = Number(arg(0));
        const sub = Number(BigInt.asIntN(32, arg(1)));
        this.host.exit(c, reason === ADP_Stopped_ApplicationExit ? sub : 1);
        return true;
      }
      case 0x20: { // SYS_EXIT_EXTENDED [reason, subcode]
        const reason = Number(arg(0));
        const sub = Number(BigInt.asIntN(32, arg(1)));
        this.host.exit(c, reason === ADP_Stopped_ApplicationExit ? sub : 1);
        return true;
      }
      case 0x30: // SYS_ELAPSED: 64-bit tick count written to the block
        writeU64(c, param, BigInt(c.icount));
        ret = 0n;
        break;
      case 0x31: // SYS_TICKFREQ
        ret = BigInt(c.opts.cntfrq);
        break;
      default:
        this.host.guestError(c, `semihosting: unsupported operation 0x${op.toString(16)}`);
        ret = -1n;
    }
    const v = BigInt.asUintN(64, ret);
    c.r[0] = Number(v & 0xffffffffn) | 0;
    c.r[1] = Number(v >> 32n) | 0;
    return true;
  }
}
