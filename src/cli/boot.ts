// `a64 boot FILE`: boots a kernel on an emulated machine with the guest's UART on stdout and the terminal
// (or a pipe) on its input. Exit status: 0 when the guest powers off (or exits through semihosting with 0),
// the guest's semihosting status otherwise, and for the emulator's own reasons:
//   EXIT_INSN_LIMIT (124)  --max-insns reached
//   EXIT_IDLE (123)        every CPU waits for an interrupt that nothing can raise
//   EXIT_ERROR (125)       emulator error (a bug: please report it)
//   EXIT_LOAD (126)        the kernel file could not be loaded (the message names the file and problem)
//   EXIT_RESET (122)       the guest asked for a system reset (not yet restartable from the CLI)
//   EXIT_STUCK (121)       the guest can make no progress (an exception vector that faults itself)
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CPU_MODEL_NAMES, DEFAULT_CPU_MODEL, MAX_CPUS, Machine, bootDiskUefi, isGptDisk, parseSize, type StopReason } from '../emu';
import { parseArgs, UsageError } from './args';
import { printEmulatorError, printStats } from './report';
import { parseGdbAddress, serveGdb } from './gdbServer';

export const EXIT_STUCK = 121;
export const EXIT_RESET = 122;
export const EXIT_IDLE = 123;
export const EXIT_INSN_LIMIT = 124;
export const EXIT_ERROR = 125;
export const EXIT_LOAD = 126;

const SLICE = 1_000_000;

export async function bootCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, ['machine', 'memory', 'el', 'max-insns', 'load-address', 'append', 'cpu', 'rng-seed', 'gdb', 'firmware', 'cpus', 'disk', 'disk-if', 'initrd'], ['stats', 'no-semihosting', 'quiet-guest-errors', 'virtio-rng', 'virtio-console', 'disk-writeback']);
  if (a.positional.length !== 1) throw new UsageError('boot needs exactly one kernel file');
  const file = a.positional[0];
  const machine = (a.flags.get('machine') as string | undefined) ?? 'virt';
  if (machine !== 'virt' && machine !== 'graviton') throw new UsageError(`unknown machine '${machine}' (available: virt, graviton)`);
  const elText = (a.flags.get('el') as string | undefined) ?? '1';
  if (elText !== '1' && elText !== '2') throw new UsageError(`--el must be 1 or 2 (got ${elText})`);
  const maxInsns = a.flags.has('max-insns') ? Number(a.flags.get('max-insns')) : Infinity;
  if (Number.isNaN(maxInsns) || maxInsns <= 0) throw new UsageError('--max-insns needs a positive number');
  const memory = a.flags.has('memory') ? parseSize(a.flags.get('memory') as string) : undefined; // the machine's default
  const cpu = (a.flags.get('cpu') as string | undefined) ?? (machine === 'graviton' ? 'neoverse-n1' : DEFAULT_CPU_MODEL);
  if (!(CPU_MODEL_NAMES as string[]).includes(cpu)) throw new UsageError(`unknown --cpu '${cpu}' (available: ${CPU_MODEL_NAMES.join(', ')})`);
  const cpusText = (a.flags.get('cpus') as string | undefined) ?? '1';
  const cpus = Number(cpusText);
  if (!/^\d+$/.test(cpusText) || cpus < 1 || cpus > MAX_CPUS) throw new UsageError(`--cpus must be a number from 1 to ${MAX_CPUS} (got ${cpusText})`);
  const seedText = a.flags.get('rng-seed') as string | undefined;
  const rngSeed = seedText === undefined ? undefined : Number(seedText);
  if (rngSeed !== undefined && !Number.isInteger(rngSeed)) throw new UsageError(`--rng-seed needs an integer (got ${seedText})`);

  const firmware = a.flags.get('firmware') as string | undefined;
  if (firmware !== undefined && firmware !== 'uefi' && firmware !== 'none') throw new UsageError(`--firmware must be uefi or none (got ${firmware})`);
  const gdb = a.flags.get('gdb') as string | undefined;
  if (gdb !== undefined) {
    parseGdbAddress(gdb); // a usage error before anything is loaded
    if (a.flags.has('max-insns')) throw new UsageError('--max-insns cannot be used with --gdb (the debugger controls the run)');
  }

  const diskIf = (a.flags.get('disk-if') as string | undefined) ?? 'nvme';
  if (diskIf !== 'nvme' && diskIf !== 'virtio') throw new UsageError(`--disk-if must be nvme or virtio (got ${diskIf})`);
  const disks: { image: Uint8Array; name: string; interface: 'nvme' | 'virtio' }[] = [];
  const diskPaths = a.all.get('disk') ?? [];
  if (a.flags.has('disk-writeback') && !diskPaths.length) throw new UsageError('--disk-writeback needs a --disk');
  for (const d of diskPaths) {
    try {
      disks.push({ image: readFileSync(d), name: basename(d), interface: diskIf });
    } catch (e) {
      process.stderr.write(`a64: ${d}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
      return EXIT_LOAD;
    }
  }

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`a64: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return EXIT_LOAD;
  }

  const quietErrors = a.flags.has('quiet-guest-errors');
  const m = new Machine(
    { machine, memory, el: Number(elText) as 1 | 2, cpu, cpus, rngSeed, semihosting: !a.flags.has('no-semihosting'), bootargs: a.flags.get('append') as string | undefined, disks, virtioRng: a.flags.has('virtio-rng'), virtioConsole: a.flags.has('virtio-console') },
    {
      uartTx: (_u, b) => out.push(b),
      console: (data, stream) => (stream === 'stderr' ? process.stderr.write(data) : flushThen(data)),
      guestError: (e) => {
        if (!quietErrors) process.stderr.write(`a64: guest error at pc 0x${e.pc.toString(16)} (insn ${e.icount}): ${e.message}\n`);
      },
      guestWarning: (e) => {
        if (!quietErrors) process.stderr.write(`a64: guest warning at pc 0x${e.pc.toString(16)}: ${e.message}\n`);
      },
    },
  );
  const out: number[] = [];
  const flush = (): void => {
    if (out.length) {
      process.stdout.write(Uint8Array.from(out));
      out.length = 0;
    }
  };
  const flushThen = (data: Uint8Array): void => {
    flush();
    process.stdout.write(data);
  };

  try {
    const la = a.flags.get('load-address') as string | undefined;
    // A GPT disk image boots through the built-in UEFI firmware (as on a cloud instance); --firmware none
    // refuses that, --firmware uefi insists on it.
    const uefi = firmware === 'uefi' || (firmware === undefined && isGptDisk(bytes));
    if (uefi) {
      if (!isGptDisk(bytes)) throw new Error(`${file}: --firmware uefi needs a GPT disk image (build one with a64 build-image)`);
      bootDiskUefi(m, bytes, { diskName: basename(file), loadOptions: a.flags.get('append') as string | undefined });
    } else {
      const initrdPath = a.flags.get('initrd') as string | undefined;
      let initrd: Uint8Array | undefined;
      if (initrdPath) {
        try {
          initrd = readFileSync(initrdPath);
        } catch (e) {
          throw new Error(`${initrdPath}: cannot read the initrd: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
      m.load(bytes, basename(file), { loadAddress: la ? BigInt(la) : undefined, initrd });
    }
  } catch (e) {
    process.stderr.write(`a64: ${(e as Error).message}\n`);
    return EXIT_LOAD;
  }

  // Host input: the terminal in raw mode, or a pipe.
  const stdin = process.stdin;
  const onData = (d: Buffer): void => {
    if (stdin.isTTY && d.length === 1 && d[0] === 0x1d) {
      // Ctrl-] leaves, like telnet/QEMU monitors
      process.stderr.write('\na64: stopped by Ctrl-]\n');
      process.exit(EXIT_ERROR);
    }
    m.input(0, d);
  };
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.on('error', () => {});

  if (gdb !== undefined) {
    // the GDB stub drives the machine (gdbServer.ts); the guest waits for the debugger
    let status = EXIT_ERROR;
    try {
      status = await serveGdb(m, gdb, { flush });
    } catch (e) {
      flush();
      printEmulatorError(e);
    }
    stdin.off('data', onData);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdin.unref?.();
    return status;
  }

  const t0 = process.hrtime.bigint();
  let code = EXIT_ERROR;
  let reason = '';
  try {
    for (;;) {
      const left = maxInsns - m.icount;
      if (left <= 0) {
        code = EXIT_INSN_LIMIT;
        reason = `instruction limit reached (${maxInsns} instructions)`;
        break;
      }
      const stop: StopReason = m.run(Math.min(SLICE, left));
      flush();
      if (stop.kind === 'budget') {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      if (stop.kind === 'idle') {
        // Only host input could change anything: wait for some, or give up when stdin is closed.
        const got = await waitForInput(m, stdin);
        if (got) continue;
        code = EXIT_IDLE;
        reason = `the guest waits for an interrupt (WFI/WFE at pc 0x${m.registers(stop.cpu).pc.toString(16)}) and nothing can raise one`;
        break;
      }
      if (stop.kind === 'poweroff') {
        code = 0;
        break;
      }
      if (stop.kind === 'exit') {
        code = stop.code & 0xff;
        break;
      }
      if (stop.kind === 'reset') {
        code = EXIT_RESET;
        reason = 'the guest requested a system reset';
        break;
      }
      if (stop.kind === 'guest-error') {
        code = EXIT_STUCK;
        reason = `guest stopped: ${stop.message}`;
        break;
      }
      code = EXIT_ERROR;
      reason = `unexpected stop: ${stop.kind}`;
      break;
    }
  } catch (e) {
    flush();
    printEmulatorError(e);
    code = EXIT_ERROR;
  }
  flush();
  stdin.off('data', onData);
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  stdin.unref?.();
  if (reason) process.stderr.write(`a64: ${reason}\n`);
  if (a.flags.has('disk-writeback')) writeBack(m, diskPaths);
  if (a.flags.has('stats')) printStats(m.icount, t0);
  return code;
}

/** --disk-writeback: the guest's writes (kept in each disk's overlay) go to the image files. */
function writeBack(m: Machine, paths: string[]): void {
  m.pci?.disks.forEach((d, i) => {
    const sectors = d.disk.commit();
    if (!sectors.length) return;
    try {
      writeFileSync(paths[i]!, d.disk.image);
      process.stderr.write(`a64: ${paths[i]}: wrote ${sectors.length} sector${sectors.length === 1 ? '' : 's'} the guest changed\n`);
    } catch (e) {
      process.stderr.write(`a64: ${paths[i]}: could not write back the guest's changes: ${(e as Error).message}\n`);
    }
  });
}

/** Waits until host input reaches the machine (true) or stdin ends (false). */
function waitForInput(m: Machine, stdin: NodeJS.ReadStream): Promise<boolean> {
  if (m.uarts[0]?.rxWaiting) return Promise.resolve(true);
  if (stdin.readableEnded || stdin.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('close', onEnd);
      resolve(v);
    };
    const onData = (): void => {
      setImmediate(() => done(true));
    };
    const onEnd = (): void => done(false);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('close', onEnd);
  });
}
