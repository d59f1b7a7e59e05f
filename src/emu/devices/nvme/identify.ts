// The Identify data structures (NVMe 1.4 §5.15.2): controller (CNS 01h), namespace (CNS 00h), active
// namespace ID list (CNS 02h) and namespace identification descriptor list (CNS 03h, the CSI only).
// Values shared with QEMU's controller (IDs, MDTS, queue entry sizes, NN) are QEMU 7.2's, so a driver sizes
// things the same on both; the model number and firmware revision are ours.
import { NVME_VERSION } from './regs';

export const MODEL = 'A64 Studio NVMe Ctrl';
export const FIRMWARE = '1.0';
/** NN: QEMU's NVME_MAX_NAMESPACES. Only namespace 1 exists (is active). */
export const NUM_NAMESPACES = 256;
export const MDTS = 7;

function text(buf: Uint8Array, off: number, len: number, s: string): void {
  for (let i = 0; i < len; i++) buf[off + i] = i < s.length ? s.charCodeAt(i) & 0x7f : 0x20;
}

function le(buf: Uint8Array, off: number, bytes: number, v: number): void {
  for (let i = 0; i < bytes; i++) buf[off + i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
}

export function identifyController(serial: string): Uint8Array {
  const b = new Uint8Array(4096);
  le(b, 0, 2, 0x1b36); // VID
  le(b, 2, 2, 0x1af4); // SSVID
  text(b, 4, 20, serial); // SN
  text(b, 24, 40, MODEL); // MN
  text(b, 64, 8, FIRMWARE); // FR
  b[72] = 6; // RAB
  le(b, 73, 3, 0x525400); // IEEE OUI (QEMU's)
  b[77] = MDTS; // 2^7 pages of 4 KiB
  le(b, 80, 4, NVME_VERSION); // VER
  b[111] = 1; // CNTRLTYPE: I/O controller
  b[258] = 3; // ACL
  b[259] = 3; // AERL
  b[260] = 0x03; // FRMW: slot 1 read-only, one slot
  le(b, 266, 2, 0x0157); // WCTEMP
  le(b, 268, 2, 0x0175); // CCTEMP
  b[512] = 0x66; // SQES: 64 bytes
  b[513] = 0x44; // CQES: 16 bytes
  le(b, 516, 4, NUM_NAMESPACES); // NN
  b[525] = 0x07; // VWC: volatile write cache present, Flush with NSID FFFFFFFFh supported
  const nqn = `nqn.2026-11.dev.a64studio:${serial}`;
  for (let i = 0; i < nqn.length && i < 255; i++) b[768 + i] = nqn.charCodeAt(i) & 0x7f; // SUBNQN
  le(b, 2048, 2, 0x09c4); // power state 0: MP 25 W
  return b;
}

export function identifyNamespace(sectors: number): Uint8Array {
  const b = new Uint8Array(4096);
  le(b, 0, 8, sectors); // NSZE
  le(b, 8, 8, sectors); // NCAP
  le(b, 16, 8, sectors); // NUSE
  b[25] = 0; // NLBAF: one format
  b[26] = 0; // FLBAS: format 0, no metadata
  b[130] = 9; // LBAF0.LBADS: 512-byte blocks
  return b;
}

/**
 * Namespace identification descriptors of namespace 1: only the Command Set Identifier (NIDT 04h, NVM).
 * A driver that enabled all I/O command sets (CC.CSS = 110b, because CAP.CSS says they are supported, as
 * Linux does) needs it to accept the namespace; no EUI-64/NGUID/UUID is given.
 */
export function namespaceDescriptors(): Uint8Array {
  const b = new Uint8Array(4096);
  b[0] = 0x04; // NIDT: CSI
  b[1] = 1; // NIDL
  b[4] = 0; // CSI 0: NVM command set
  return b;
}

/** Active namespace IDs greater than `after`. */
export function activeNamespaceList(after: number): Uint8Array {
  const b = new Uint8Array(4096);
  if (after < 1) le(b, 0, 4, 1);
  return b;
}
