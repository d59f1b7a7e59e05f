// `a64 build-image CONFIG -o disk.img` and `a64 image ls disk.img`: disk images from an Ops-style config
// (src/emu/disk/imageConfig.ts) and their inspection. Errors name the config key or the image and the
// problem; exit status 1 for bad input, 0 otherwise. The output file is written only when the whole image
// was built (never a half-written disk), through a temporary file renamed into place.
import { readFileSync, statSync, readdirSync, writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDisk, inspectDisk } from '../emu/disk/diskImage';
import { readImageConfig, type ImageFs } from '../emu/disk/imageConfig';
import { parseArgs, UsageError } from './args';

/** The host file system as the image builder sees it. */
export const nodeImageFs: ImageFs = {
  readFile: (p) => readFileSync(p),
  kind: (p) => {
    try {
      const s = statSync(p);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  list: (d) => readdirSync(d),
};

export function buildImageCommand(argv: string[]): number {
  const a = parseArgs(argv.map((x) => (x === '-o' ? '--o' : x)), ['o', 'output'], ['quiet']);
  const [config] = a.positional;
  const out = (a.flags.get('o') ?? a.flags.get('output')) as string | undefined;
  if (!config || a.positional.length > 1) throw new UsageError('build-image takes one CONFIG file');
  if (!out) throw new UsageError('build-image needs -o FILE (--o FILE or --output FILE)');
  let text: string;
  try {
    text = readFileSync(config, 'utf8');
  } catch (e) {
    process.stderr.write(`a64: ${config}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  const r = readImageConfig(text, resolve(config), nodeImageFs);
  for (const w of r.warnings) process.stderr.write(`a64: warning: ${w}\n`);
  for (const e of r.errors) process.stderr.write(`a64: ${e}\n`);
  if (!r.disk) return 1;
  let disk: Uint8Array;
  try {
    disk = buildDisk(r.disk);
  } catch (e) {
    process.stderr.write(`a64: ${config}: ${(e as Error).message}\n`);
    return 1;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, disk);
  renameSync(tmp, out);
  if (!a.flags.has('quiet')) {
    process.stdout.write(`${out}: ${(disk.length / (1 << 20)).toFixed(0)} MiB, machine ${r.shape.machine}, ${r.shape.cpus} CPU(s), ${r.shape.memoryMiB} MiB${r.shape.flavor ? ` (${r.shape.flavor})` : ''}\n`);
    printImage(disk, out);
  }
  return 0;
}

function printImage(disk: Uint8Array, name: string): number {
  const r = inspectDisk(disk, name);
  for (const e of r.errors) process.stderr.write(`a64: ${e}\n`);
  for (const p of r.partitions) {
    process.stdout.write(`  ${p.index}  LBA ${p.firstLba}..${p.lastLba}  ${(p.sizeBytes / (1 << 20)).toFixed(1)} MiB  ${p.name}  type ${p.type}\n`);
    if (p.fatError) process.stdout.write(`     (unreadable FAT32: ${p.fatError})\n`);
    for (const f of p.files ?? []) process.stdout.write(`     ${f.path}${f.entry.dir ? '/' : `  ${f.entry.size}`}\n`);
  }
  return r.errors.length || !r.partitions.length ? 1 : 0;
}

export function imageCommand(argv: string[]): number {
  const [sub, file, ...extra] = argv;
  if (sub !== 'ls' || !file || extra.length) throw new UsageError('usage: a64 image ls DISK.img');
  let disk: Uint8Array;
  try {
    disk = readFileSync(file);
  } catch (e) {
    process.stderr.write(`a64: ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  return printImage(disk, file);
}
