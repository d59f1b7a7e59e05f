// `a64 run ELF [args...]`: runs a static AArch64 Linux executable in the emulator's process mode (src/emu/
// process): the program's fd 1/2 are our stdout/stderr, its fd 0 reads our stdin, and our exit status is
// the program's. The current directory (or --root DIR) is mapped read-only as the program's "/" and working
// directory. Options go before the ELF; everything after it is the program's argv. Exit status:
//   the program's exit status, or 128 + signal when an exception killed it (SIGSEGV 139, SIGILL 132...),
//   as a shell reports it; EXIT_INSN_LIMIT (124) --max-insns reached; EXIT_LOAD (126) unloadable file;
//   EXIT_ERROR (125) emulator error. Unsupported system calls are reported on stderr, once per number.
import { readFileSync, readSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isatty } from 'node:tty';
import { LinuxProcess, syscallName, type ProcessStop } from '../emu';
import { EXIT_ERROR, EXIT_INSN_LIMIT, EXIT_LOAD } from './boot';
import { UsageError } from './args';
import { printEmulatorError, printStats } from './report';
import { nodeHostFs } from './hostFs';

const SLICE = 5_000_000;

interface RunOptions {
  maxInsns: number;
  stats: boolean;
  quiet: boolean;
  seed: number;
  /** The host directory mapped read-only as the program's "/" (default: the current directory). */
  root: string;
}

/** Splits `[options] ELF [args...]`: options end at the first non-option word. */
function parse(argv: string[]): { o: RunOptions; file: string; args: string[] } {
  const o: RunOptions = { maxInsns: Infinity, stats: false, quiet: false, seed: 0, root: '.' };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    const value = (): string => {
      const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      return v;
    };
    if (name === '') {
      i++;
      break;
    } else if (name === 'max-insns') {
      o.maxInsns = Number(value());
      if (Number.isNaN(o.maxInsns) || o.maxInsns <= 0) throw new UsageError('--max-insns needs a positive number');
    } else if (name === 'seed') {
      o.seed = Number(value());
      if (!Number.isInteger(o.seed)) throw new UsageError('--seed needs an integer');
    } else if (name === 'root') {
      o.root = value();
      if (nodeHostFs.lstat(o.root)?.kind !== 'dir') throw new UsageError(`--root ${o.root}: not a directory`);
    } else if (name === 'stats' && eq < 0) o.stats = true;
    else if (name === 'quiet-guest-errors' && eq < 0) o.quiet = true;
    else throw new UsageError(`unknown option --${name}`);
  }
  if (i >= argv.length) throw new UsageError('run needs an executable');
  return { o, file: argv[i], args: argv.slice(i + 1) };
}

/** Reads our stdin synchronously (the guest's read(0) blocks, as it would on Linux). */
function readStdin(max: number): Uint8Array {
  const buf = Buffer.alloc(Math.min(max, 65536));
  for (;;) {
    try {
      const n = readSync(0, buf, 0, buf.length, null);
      return buf.subarray(0, n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === 'EOF') return new Uint8Array(0);
      throw e;
    }
  }
}

export async function runCommand(argv: string[]): Promise<number> {
  const { o, file, args } = parse(argv);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`a64: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return EXIT_LOAD;
  }
  const out: Buffer[] = [];
  const flush = (): void => {
    if (out.length) process.stdout.write(Buffer.concat(out.splice(0)));
  };
  let p: LinuxProcess;
  try {
    p = new LinuxProcess(bytes, basename(file), {
      argv: [file, ...args], envp: hostEnv(), seed: o.seed, fs: nodeHostFs, root: resolve(o.root),
      tty: [0, 1, 2].map((fd) => isatty(fd)),
    }, {
      output: (fd, data) => {
        if (fd === 1) out.push(Buffer.from(data));
        else {
          flush();
          process.stderr.write(data);
        }
      },
      input: (max) => {
        flush();
        return readStdin(max);
      },
      unsupportedSyscall: (e) => {
        if (!o.quiet) process.stderr.write(`a64: unsupported system call ${e.nr} (${e.name ?? 'unknown'}) at insn ${e.icount}: returned -ENOSYS\n`);
      },
      guestError: (e) => {
        if (!o.quiet) process.stderr.write(`a64: guest error${e.pc !== undefined ? ` at pc 0x${e.pc.toString(16)}` : ''} (insn ${e.icount}): ${e.message}\n`);
      },
    });
  } catch (e) {
    process.stderr.write(`a64: ${(e as Error).message}\n`);
    return EXIT_LOAD;
  }

  const t0 = process.hrtime.bigint();
  let code = EXIT_ERROR;
  let reason = '';
  try {
    for (;;) {
      const left = o.maxInsns - p.icount;
      if (left <= 0) {
        code = EXIT_INSN_LIMIT;
        reason = `instruction limit reached (${o.maxInsns} instructions)`;
        break;
      }
      const stop: ProcessStop = p.run(Math.min(SLICE, left));
      flush();
      if (stop.kind === 'budget') continue;
      if (stop.kind === 'exit') code = stop.code;
      else {
        code = 128 + stop.signal;
        reason = `${basename(file)}: ${stop.message}`;
      }
      break;
    }
  } catch (e) {
    flush();
    printEmulatorError(e);
    code = EXIT_ERROR;
  }
  flush();
  if (reason) process.stderr.write(`a64: ${reason}\n`);
  if (o.stats) {
    printStats(p.icount, t0);
    const calls = [...p.syscallCounts].sort((a, b) => a[0] - b[0]).map(([nr, c]) => `${syscallName(nr) ?? nr}:${c}`);
    process.stderr.write(`a64: system calls: ${calls.join(' ') || 'none'}\n`);
  }
  return code;
}

/** The program's environment: ours, as a shell passes it. */
function hostEnv(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
}
