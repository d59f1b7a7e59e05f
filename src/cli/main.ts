// The `a64` command line: the same emulator as the VS Code extension, headless.
//   a64 boot FILE [--machine virt] [--cpu MODEL] [--memory 512M] [--el 1|2] [--cpus N] [--max-insns N] [--stats]
//   a64 run [--max-insns N] [--stats] ELF [args...]
//   a64 disasm FILE
import { bootCommand, EXIT_ERROR } from './boot';
import { runCommand } from './run';
import { disasmCommand } from './disasm';
import { UsageError } from './args';

const USAGE = `usage:
  a64 boot FILE [--machine virt] [--cpu MODEL] [--memory 512M] [--el 1|2] [--cpus N] [--max-insns N] [--stats]
               [--load-address ADDR] [--append CMDLINE] [--no-semihosting] [--rng-seed N]
      Boot FILE (ELF, arm64 Linux Image or raw binary). The guest UART is on stdout and reads stdin.
      --cpu: cortex-a57 (default), cortex-a72, neoverse-n1 (Graviton2) or max (every implemented feature).
      Exit status: 0 on power off, the guest's semihosting exit status, 124 instruction limit,
      123 guest idle forever, 126 unloadable file, 125 emulator error, 2 usage.
  a64 run [--max-insns N] [--stats] [--seed N] [--quiet-guest-errors] ELF [ARGS...]
      Run a static AArch64 Linux executable with the emulator as its kernel (stdin, stdout, stderr are
      the program's). Exit status: the program's, 128+signal when it is killed, 124 instruction limit,
      126 unloadable file, 125 emulator error. Unsupported system calls are reported on stderr.
  a64 disasm FILE
      Disassemble the executable sections of an ELF file in objdump -d layout.
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'boot':
        return await bootCommand(rest);
      case 'run':
        return await runCommand(rest);
      case 'disasm':
        return disasmCommand(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`a64: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`a64: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
}

main(process.argv.slice(2)).then((code) => {
  // Let stdout drain (pipes are asynchronous) before exiting.
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
});
