// How the configuration provider recognises and ranks kernels in a workspace, kept free of the vscode
// module so it can be unit-tested: an AArch64 ELF is recognised by its first 20 bytes (magic, ELFCLASS64,
// little-endian, e_machine 183); files named *.elf come first, then the others that often hold kernels
// (no extension, *.axf, *.out, vmlinux*); among them, the one nearest to the file in the active editor,
// then the most recently modified, then the shortest path.

export const EM_AARCH64 = 183;

/** True when the first 20 bytes are those of a 64-bit little-endian AArch64 ELF file. */
export function isAarch64ElfHeader(h: Uint8Array): boolean {
  return h.length >= 20 && h[0] === 0x7f && h[1] === 0x45 && h[2] === 0x4c && h[3] === 0x46 &&
    h[4] === 2 && h[5] === 1 && (h[18]! | (h[19]! << 8)) === EM_AARCH64;
}

/** A file name worth probing when the workspace has no *.elf kernel. */
export function isKernelCandidateName(base: string): boolean {
  return !base.includes('.') || /\.(axf|out|debug)$/i.test(base) || /^vmlinux/.test(base);
}

/** Number of leading path segments two '/'-separated paths share. */
export function commonDepth(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

export interface KernelCandidate {
  path: string;
  mtime: number;
}

/** Best first (see the top of this file). */
export function rankKernels<T extends KernelCandidate>(found: T[], activePath: string | undefined): T[] {
  const near = (p: string): number => (activePath ? commonDepth(activePath, p) : 0);
  return [...found].sort((a, b) => near(b.path) - near(a.path) || b.mtime - a.mtime || a.path.length - b.path.length);
}
