// The `a64` launch configuration and what a launch does with it before the guest runs: validating the
// attributes and filling in defaults (every problem is a LaunchError naming the attribute), reading the
// kernel file and refusing files that are certainly not kernels (each message names the file), loading
// the kernel on a target (the loader's LoaderError passes through as is), and the line the debug console
// shows once the kernel is loaded. LaunchErrors and LoaderErrors are the user's to fix, so the session
// shows them to the user; other failures are bugs.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { resolve as resolvePath } from 'node:path';
import { CPU_MODEL_NAMES, DEFAULT_CPU_MODEL, LoaderError, parseSize, type CpuModelName } from '../emu/index';
import type { DebugTarget, TargetLoadInfo } from './debugTarget';
import { formatAddressSymbol, hexAddr, parseInteger } from './format';

/** The `a64` launch configuration (package.json contributes its schema). */
export interface A64LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path of the kernel image (ELF, arm64 Linux Image, or raw binary with loadAddress). */
  kernel?: string;
  machine?: string;
  /** Guest RAM: '512M', '2G', or bytes. */
  memory?: string | number;
  /** Exception level at entry. */
  el?: number;
  /** CPU model: 'cortex-a57' (default), 'cortex-a72', 'neoverse-n1' or 'max'. */
  cpu?: string;
  stopOnEntry?: boolean;
  semihosting?: boolean;
  cwd?: string;
  /** Load address for a raw binary or Linux Image (hex string or number). */
  loadAddress?: string | number;
  bootargs?: string;
  /** What next and step in step by: 'source' lines (default; instructions where there is no line info) or 'instruction'. */
  stepping?: string;
  /** Log the DAP traffic to the debug console. */
  trace?: boolean;
}

/** The validated launch configuration. */
export interface LaunchOptions {
  /** Absolute path of the kernel image. */
  path: string;
  memory: number;
  /** The memory size as the user wrote it. */
  memoryText: string;
  el: 1 | 2;
  cpu: CpuModelName;
  stopOnEntry: boolean;
  semihosting: boolean;
  loadAddress?: bigint;
  bootargs?: string;
  stepping: StepMode;
}

/** The stepping granularity a session starts with (the toolbar command switches it). */
export type StepMode = 'source' | 'instruction';

export class LaunchError extends Error {}

/** Whether a failure is a problem with the launch configuration or the kernel, for the user to fix. */
export function isLaunchProblem(e: unknown): boolean {
  return e instanceof LaunchError || e instanceof LoaderError;
}

/** Validates the launch configuration; every problem is a LaunchError naming the attribute. */
export function parseLaunchArguments(args: A64LaunchArguments): LaunchOptions {
  const bad = (what: string): never => { throw new LaunchError(`launch configuration: ${what}`); };
  if (typeof args.kernel !== 'string' || args.kernel.trim() === '') {
    bad('"kernel" is required: the path of the kernel image to boot (an ELF file, an arm64 Linux Image, or a raw binary)');
  }
  const machine = args.machine ?? 'virt';
  if (machine !== 'virt') bad(`"machine": '${machine}' is not supported (supported: 'virt')`);
  const memoryText = args.memory === undefined ? '512M' : String(args.memory);
  let memory = 0;
  try {
    memory = typeof args.memory === 'number' ? args.memory : parseSize(memoryText);
  } catch (e) {
    bad(`"memory": ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(memory >= 1 << 20) || memory > 4 * 1024 ** 3) bad(`"memory": ${memoryText} is outside 1M..4G`);
  const el = args.el ?? 1;
  if (el !== 1 && el !== 2) bad(`"el": ${String(el)} is not 1 or 2`);
  const cpu = args.cpu ?? DEFAULT_CPU_MODEL;
  if (!(CPU_MODEL_NAMES as readonly string[]).includes(cpu)) bad(`"cpu": '${cpu}' is not a CPU model (models: ${CPU_MODEL_NAMES.join(', ')})`);
  let loadAddress: bigint | undefined;
  if (args.loadAddress !== undefined) {
    loadAddress = parseInteger(String(args.loadAddress));
    if (loadAddress === undefined || loadAddress < 0n) bad(`"loadAddress": '${String(args.loadAddress)}' is not an address`);
  }
  const stepping = args.stepping ?? 'source';
  if (stepping !== 'source' && stepping !== 'instruction') bad(`"stepping": '${stepping}' is not 'source' or 'instruction'`);
  const cwd = args.cwd ?? process.cwd();
  return {
    path: resolvePath(cwd, args.kernel!),
    memory,
    memoryText,
    el: el as 1 | 2,
    cpu: cpu as CpuModelName,
    stopOnEntry: !!args.stopOnEntry,
    semihosting: args.semihosting ?? true,
    loadAddress,
    bootargs: args.bootargs,
    stepping: stepping as StepMode,
  };
}

/** Reads the kernel file with `read` and checks its bytes (checkKernelBytes); failures name the file. */
export async function readKernel(read: (path: string) => Promise<Uint8Array>, opts: LaunchOptions): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await read(opts.path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
    throw new LaunchError(`${opts.path}: cannot read the kernel image: ${why}`);
  }
  checkKernelBytes(opts.path, bytes, opts.loadAddress !== undefined);
  return bytes;
}

/**
 * Catches files that are certainly not kernels before the loader would boot them as raw binaries: empty
 * files, text files, and `.elf` files without the ELF magic. (The loader itself rejects malformed ELF
 * files, compressed kernels, uImages and PE files with messages naming the file.)
 */
export function checkKernelBytes(path: string, bytes: Uint8Array, rawAllowed: boolean): void {
  if (bytes.length === 0) throw new LaunchError(`${path}: the file is empty`);
  const elf = bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  const image = bytes.length >= 0x40 && bytes[0x38] === 0x41 && bytes[0x39] === 0x52 && bytes[0x3a] === 0x4d && bytes[0x3b] === 0x64;
  if (elf || image) return;
  if (/\.(elf|axf|out)$/i.test(path)) {
    throw new LaunchError(`${path}: not an ELF file (it does not start with the ELF magic 7f 45 4c 46)`);
  }
  if (!rawAllowed && looksLikeText(bytes)) {
    throw new LaunchError(`${path}: this is a text file, not a kernel image (expected an ELF file, an arm64 Linux Image, or a raw binary with "loadAddress")`);
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return false;
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13 || b >= 0x80) printable++;
  }
  return printable / n > 0.95;
}

/** Loads the kernel on a fresh target; on failure the target is disposed and the error is a launch problem. */
export async function loadKernel(target: DebugTarget, opts: LaunchOptions, bytes: Uint8Array): Promise<TargetLoadInfo> {
  try {
    return await target.load({
      bytes, fileName: opts.path, machine: 'virt', memory: opts.memory, el: opts.el, cpu: opts.cpu,
      semihosting: opts.semihosting, loadAddress: opts.loadAddress, bootargs: opts.bootargs,
    });
  } catch (e) {
    target.dispose();
    if (e instanceof LoaderError) throw e;
    throw new LaunchError(e instanceof Error ? e.message : String(e));
  }
}

/** "A64 Studio: /w/k.elf (elf, 12 symbols) on virt, 1 CPU, 512M RAM, entry 0x40080000 <_start> at EL1, …". */
export function launchSummary(opts: LaunchOptions, info: TargetLoadInfo, symbolize: (address: bigint) => string | undefined): string {
  return `A64 Studio: ${opts.path} (${info.kind}, ${info.symbolCount} symbols) on virt, ${info.cpus} CPU, ` +
    `${opts.memoryText} RAM, entry ${formatAddressSymbol(info.entry, symbolize(info.entry))} at EL${opts.el}` +
    `${info.dtbAddress !== undefined ? `, device tree at ${hexAddr(info.dtbAddress)}` : ''}\n`;
}
