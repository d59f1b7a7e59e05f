// The initial process stack, as Linux's create_elf_tables() builds it (fs/binfmt_elf.c), from the top:
//   8 zero bytes; the strings: AT_EXECFN's file name, argv, envp; "aarch64" (AT_PLATFORM); 16 AT_RANDOM
//   bytes; padding; then, upwards from SP: argc, argv[] NULL, envp[] NULL, auxv pairs ending in AT_NULL.
// SP is 16-byte aligned (the AAPCS64 requirement at process entry).
import type { GuestMemory } from './guestMemory';

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_EXECFN = 31;

export interface InitialStackSpec {
  argv: readonly string[];
  envp: readonly string[];
  /** File name for AT_EXECFN (argv[0] when not given). */
  execfn?: string;
  phdr: bigint;
  phent: number;
  phnum: number;
  entry: bigint;
  hwcap: number;
  hwcap2: number;
  uid: number;
  gid: number;
  /** The 16 AT_RANDOM bytes. */
  random: Uint8Array;
  /** Clock ticks per second for times() (AT_CLKTCK). */
  clktck?: number;
}

const utf8 = (s: string): Uint8Array => {
  const b = new TextEncoder().encode(s);
  const z = new Uint8Array(b.length + 1);
  z.set(b);
  return z;
};

/** Writes the stack below `top`; returns SP, and the auxv for tests and debuggers. */
export function buildInitialStack(mem: GuestMemory, top: number, s: InitialStackSpec): { sp: number; auxv: [number, bigint][] } {
  let p = top - 8;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length;
    if (!mem.write(p, bytes)) throw new Error('the initial stack does not fit in the stack region');
    return p;
  };
  const execfn = put(utf8(s.execfn ?? s.argv[0] ?? ''));
  const envAddrs = s.envp.map((e) => put(utf8(e)));
  const argAddrs = s.argv.map((a) => put(utf8(a)));
  const platform = put(utf8('aarch64'));
  p -= p % 16;
  const random = put(s.random.subarray(0, 16));
  const auxv: [number, bigint][] = [
    [AT_HWCAP, BigInt(s.hwcap)],
    [AT_PAGESZ, 4096n],
    [AT_CLKTCK, BigInt(s.clktck ?? 100)],
    [AT_PHDR, s.phdr],
    [AT_PHENT, BigInt(s.phent)],
    [AT_PHNUM, BigInt(s.phnum)],
    [AT_BASE, 0n],
    [AT_FLAGS, 0n],
    [AT_ENTRY, s.entry],
    [AT_UID, BigInt(s.uid)],
    [AT_EUID, BigInt(s.uid)],
    [AT_GID, BigInt(s.gid)],
    [AT_EGID, BigInt(s.gid)],
    [AT_SECURE, 0n],
    [AT_RANDOM, BigInt(random)],
    [AT_HWCAP2, BigInt(s.hwcap2)],
    [AT_EXECFN, BigInt(execfn)],
    [AT_PLATFORM, BigInt(platform)],
    [AT_NULL, 0n],
  ];
  const words: bigint[] = [BigInt(s.argv.length), ...argAddrs.map(BigInt), 0n, ...envAddrs.map(BigInt), 0n];
  for (const [k, v] of auxv) words.push(BigInt(k), v);
  // SP is above 2^32, so align with arithmetic rather than a 32-bit &
  const sp = p - 8 * words.length - ((p - 8 * words.length) % 16);
  if (!mem.writeU64s(sp, words)) throw new Error('the initial stack does not fit in the stack region');
  return { sp, auxv };
}
