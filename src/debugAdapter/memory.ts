// Guest memory through DAP: memory references (an address, plus a request's byte offset), the readMemory
// request (at most 1 MiB; the readable prefix as base64, then how many bytes after it are unreadable) and
// the writeMemory request (a partial write fails unless the client allows it), and little-endian words
// from bytes that may be unreadable — shared by evaluate's `*` (evaluate.ts), the unwinder (unwind.ts)
// and the target's step over (emuTarget.ts).

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './debugTarget';
import { fromBase64, hexAddr, parseAddress, toBase64 } from './format';

const MAX_READ = 1 << 20;

/** The address a DAP memory reference plus a byte offset names (wrapping at 64 bits), or undefined. */
export function referencedAddress(ref: string, offset: number | bigint = 0): bigint | undefined {
  const base = parseAddress(ref);
  return base === undefined ? undefined : BigInt.asUintN(64, base + BigInt(offset));
}

/** As referencedAddress, but a reference that is not an address is an error. */
export function requireReferencedAddress(ref: string, offset: number | bigint = 0): bigint {
  const address = referencedAddress(ref, offset);
  if (address === undefined) throw new Error(`'${ref}' is not a memory reference`);
  return address;
}

/** The little-endian value of the bytes; undefined when any of them is unreadable (null). */
function littleEndian(bytes: readonly (number | null)[], size: number): bigint | undefined {
  if (bytes.length < size) return undefined;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) {
    const b = bytes[i];
    if (b === null || b === undefined) return undefined;
    v = (v << 8n) | BigInt(b);
  }
  return v;
}

/** A 64-bit little-endian word from 8 bytes read from the guest, or undefined if any is unreadable. */
export function u64le(bytes: readonly (number | null)[]): bigint | undefined {
  return littleEndian(bytes, 8);
}

/** A 32-bit little-endian word (an instruction) from 4 bytes, or undefined if any is unreadable. */
export function u32le(bytes: readonly (number | null)[]): number | undefined {
  const v = littleEndian(bytes, 4);
  return v === undefined ? undefined : Number(v);
}

export async function readMemory(t: DebugTarget, args: DebugProtocol.ReadMemoryArguments): Promise<DebugProtocol.ReadMemoryResponse['body']> {
  const address = requireReferencedAddress(args.memoryReference, args.offset ?? 0);
  const count = Math.max(0, Math.min(args.count, MAX_READ));
  const bytes = await t.readMemory(address, count);
  let n = 0;
  while (n < bytes.length && bytes[n] !== null) n++;
  let unreadable = 0;
  while (n + unreadable < bytes.length && bytes[n + unreadable] === null) unreadable++;
  const data = Uint8Array.from(bytes.slice(0, n) as number[]);
  return { address: hexAddr(address), data: toBase64(data), unreadableBytes: unreadable || undefined };
}

export async function writeMemory(t: DebugTarget, args: DebugProtocol.WriteMemoryArguments): Promise<{ offset: number; bytesWritten: number }> {
  const address = requireReferencedAddress(args.memoryReference, args.offset ?? 0);
  const data = fromBase64(args.data);
  const written = await t.writeMemory(address, data);
  if (written < data.length && !args.allowPartial) {
    throw new Error(`only ${written} of ${data.length} bytes at ${hexAddr(address)} are writable RAM`);
  }
  return { offset: 0, bytesWritten: written };
}
