// `a64 acpi decode FILE...` prints ACPI tables field by field (a table binary such as
// /sys/firmware/acpi/tables/APIC, tables laid end to end, `acpidump` text, or a directory of such files,
// e.g. a copy of /sys/firmware/acpi/tables); DSDT/SSDT come with their
// AML disassembled to ASL. `a64 acpi dump --machine virt|graviton [--cpus N] [--base ADDR] [--out DIR]`
// builds our tables for a machine and prints them the same way, or writes one SIG.dat per table (RSDP as
// RSDP.dat) into DIR. Exit status: 0, 1 when a table has decode errors, 126 when a file cannot be read.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PLATFORMS, buildAcpiTables, decodeTable, formatTable, splitTables } from '../emu';
import { parseArgs, UsageError } from './args';

export function acpiCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === 'decode') return decode(rest);
  if (sub === 'dump') return dump(rest);
  throw new UsageError(sub ? `unknown acpi subcommand '${sub}'` : 'acpi needs a subcommand: decode or dump');
}

function decode(argv: string[]): number {
  const { positional } = parseArgs(argv, [], []);
  if (!positional.length) throw new UsageError('acpi decode needs at least one file');
  let status = 0;
  const files: string[] = [];
  for (const p of positional) {
    let dir = false;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      // reported below when reading
    }
    if (!dir) files.push(p);
    else for (const n of readdirSync(p).sort()) if (statSync(join(p, n)).isFile()) files.push(join(p, n));
  }
  for (const file of files) {
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(file));
    } catch (e) {
      process.stderr.write(`a64: ${file}: ${(e as Error).message}\n`);
      return 126;
    }
    if (data.length === 0) {
      process.stderr.write(`a64: ${file}: empty file\n`);
      status = 1;
      continue;
    }
    const { tables, errors } = splitTables(data, file);
    for (const e of errors) process.stderr.write(`a64: ${e}\n`);
    if (errors.length) status = 1;
    for (const t of tables) {
      const d = decodeTable(t.bytes, t.where);
      process.stdout.write(formatTable(d) + '\n');
      if (d.errors.length) status = 1;
    }
  }
  return status;
}

function dump(argv: string[]): number {
  const { positional, flags } = parseArgs(argv, ['machine', 'cpus', 'base', 'out'], []);
  if (positional.length) throw new UsageError(`acpi dump takes no file arguments (got '${positional[0]}')`);
  const machine = String(flags.get('machine') ?? 'virt');
  const make = BUILTIN_PLATFORMS[machine];
  if (!make) throw new UsageError(`unknown machine '${machine}' (virt or graviton)`);
  const cpus = flags.has('cpus') ? Number(flags.get('cpus')) : undefined;
  if (cpus !== undefined && !(Number.isInteger(cpus) && cpus >= 1 && cpus <= 512)) throw new UsageError('--cpus must be 1-512');
  const base = flags.has('base') ? Number(flags.get('base')) : 0x4000_0000;
  if (!Number.isSafeInteger(base) || base < 0) throw new UsageError(`--base: invalid address '${String(flags.get('base'))}'`);
  const img = buildAcpiTables(make(cpus), base);
  const out = flags.get('out');
  if (typeof out === 'string') {
    mkdirSync(out, { recursive: true });
    for (const t of img.tables) {
      const name = t.signature === 'RSD PTR ' ? 'RSDP' : t.signature;
      writeFileSync(join(out, `${name}.dat`), t.bytes);
    }
    process.stdout.write(`wrote ${img.tables.length} tables for ${machine} to ${out} (RSDP at 0x${img.rsdpAddress.toString(16)})\n`);
    return 0;
  }
  let status = 0;
  for (const t of img.tables) {
    const d = decodeTable(t.bytes, `${machine} 0x${t.address.toString(16)}`);
    process.stdout.write(formatTable(d) + '\n');
    if (d.errors.length) status = 1;
  }
  return status;
}
