// GNU objdump as an oracle: disassembles a list of words placed at an address and returns, per word, the
// text objdump prints (mnemonic and operands, tabs kept), so tests can compare our disassembler with it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OBJDUMP = process.env.A64_OBJDUMP ?? 'aarch64-linux-gnu-objdump';

export function haveObjdump(): boolean {
  try {
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function requireObjdump(): void {
  if (!haveObjdump()) {
    throw new Error(`${OBJDUMP} not found: install Debian's binutils-aarch64-linux-gnu (apt-get install binutils-aarch64-linux-gnu)`);
  }
}

/** objdump's disassembly of each word, keyed by address. */
export function objdumpWords(words: number[], base = 0x40080000n): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'a64-objdump-'));
  try {
    const bytes = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => bytes.writeUInt32LE(w >>> 0, i * 4));
    const file = join(dir, 'words.bin');
    writeFileSync(file, bytes);
    const out = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-m', 'aarch64', `--adjust-vma=0x${base.toString(16)}`, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const res: string[] = new Array(words.length).fill('');
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
      if (!m) continue;
      const idx = Number((BigInt('0x' + m[1]) - base) / 4n);
      if (idx >= 0 && idx < words.length) res[idx] = m[3];
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whitespace-insensitive form used for comparison (objdump pads before its comments). */
export function normalize(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
