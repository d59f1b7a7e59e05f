// Device paths (UEFI 2.10 chapter 10): the byte strings that name the boot disk, its partition and the
// loaded file. Nodes are { Type u8, SubType u8, Length u16 } followed by data; a path ends with the
// End-Entire node (0x7F, 0xFF, length 4).
import { guidBytes } from '../../disk/guid';

function node(type: number, sub: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + data.length);
  b[0] = type;
  b[1] = sub;
  new DataView(b.buffer).setUint16(2, b.length, true);
  b.set(data, 4);
  return b;
}

export const END_NODE = Uint8Array.of(0x7f, 0xff, 4, 0);

/** A vendor-defined hardware node naming our built-in boot disk controller (Type 1, SubType 4). */
export function vendorNode(guid: string): Uint8Array {
  return node(1, 4, guidBytes(guid));
}

/** Hard drive media node (Type 4, SubType 1) for a GPT partition. */
export function hardDriveNode(partition: number, firstLba: number, sectors: number, partGuid: string): Uint8Array {
  const d = new Uint8Array(38);
  const dv = new DataView(d.buffer);
  dv.setUint32(0, partition, true);
  dv.setBigUint64(4, BigInt(firstLba), true);
  dv.setBigUint64(12, BigInt(sectors), true);
  d.set(guidBytes(partGuid), 20);
  d[36] = 2; // MBRType: GPT
  d[37] = 2; // SignatureType: GUID
  return node(4, 1, d);
}

/** File path media node (Type 4, SubType 4): a NUL-terminated UTF-16 path. */
export function filePathNode(path: string): Uint8Array {
  const d = new Uint8Array(2 * path.length + 2);
  for (let i = 0; i < path.length; i++) new DataView(d.buffer).setUint16(2 * i, path.charCodeAt(i), true);
  return node(4, 4, d);
}

export function concatPath(...nodes: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nodes.reduce((n, x) => n + x.length, 0) + END_NODE.length);
  let off = 0;
  for (const n of [...nodes, END_NODE]) {
    out.set(n, off);
    off += n.length;
  }
  return out;
}

/** Length in bytes of the device path at the start of `b` up to (not including) its end node; -1 if malformed. */
export function pathLength(b: Uint8Array): number {
  let off = 0;
  while (off + 4 <= b.length) {
    const len = b[off + 2] | (b[off + 3] << 8);
    if (b[off] === 0x7f && b[off + 1] === 0xff) return off;
    if (len < 4) return -1;
    off += len;
  }
  return -1;
}
