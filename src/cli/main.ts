// The `a64` command line: the same emulator as the VS Code extension, headless.
//   a64 boot FILE [--machine virt] [--cpu MODEL] [--memory 512M] [--el 1|2] [--cpus N] [--max-insns N] [--stats]
//   a64 run [--max-insns N] [--stats] ELF [args...]
//   a64 disasm FILE
//   a64 build-image CONFIG -o DISK.img;  a64 image ls DISK.img
//   a64 acpi decode FILE... | a64 acpi dump --machine virt|graviton [--out DIR]
import { bootCommand, EXIT_ERROR } from './boot';
import { runCommand } from './run';
import { disasmCommand } from './disasm';
import { buildImageCommand, imageCommand } from './image';
import { acpiCommand } from './acpi';
import { UsageError } from './args';

const USAGE = `usage:
  a64 boot FILE [--machine virt] [--cpu MODEL] [--memory 512M] [--el 1|2] [--cpus N] [--max-insns N] [--stats]
               [--load-address ADDR] [--initrd FILE] [--append CMDLINE] [--no-semihosting] [--rng-seed N] [--gdb HOST:PORT]
               [--disk IMG]... [--disk-if nvme|virtio] [--disk-writeback] [--virtio-rng] [--virtio-console]
      Boot FILE (ELF, arm64 Linux Image or raw binary). The guest UART is on stdout and reads stdin.
      --disk: attach IMG on the PCIe host (repeatable; 00:01.0 onwards) as an NVMe controller (default) or
      a virtio-blk-pci device (--disk-if virtio). Guest writes stay in memory and IMG is not modified,
      unless --disk-writeback: then the sectors the guest wrote are saved to IMG when the run ends.
      --virtio-rng: a virtio-rng-pci device after the disks (its bytes follow --rng-seed).
      --virtio-console: a virtio-console-pci device (one port) after those; its output goes to stdout.
      --cpu: cortex-a57 (default), cortex-a72, neoverse-n1 (Graviton2) or max (every implemented feature).
      --gdb: serve the GDB remote protocol on HOST:PORT (default host 127.0.0.1; port 0 picks one) and
      wait for gdb before the first instruction (like QEMU -s -S): gdb-multiarch -ex 'target remote :PORT'.
      Exit status: 0 on power off, the guest's semihosting exit status, 124 instruction limit,
      123 guest idle forever, 126 unloadable file, 125 emulator error, 2 usage.
  a64 run [--max-insns N] [--stats] [--seed N] [--root DIR] [--quiet-guest-errors] ELF [ARGS...]
      Run a static AArch64 Linux executable with the emulator as its kernel (stdin, stdout, stderr are
      the program's). Exit status: the program's, 128+signal when it is killed, 124 instruction limit,
      126 unloadable file, 125 emulator error. Unsupported system calls are reported on stderr.
  a64 disasm FILE
      Disassemble the executable sections of an ELF file in objdump -d layout.
  a64 build-image CONFIG -o DISK.img [--quiet]
      Build a GPT disk image (FAT32 EFI System Partition with EFI/BOOT/BOOTAA64.EFI, and a FAT32 data
      partition) from an Ops-style config.json; prints the partitions and files. Exit status 1 on bad input.
  a64 image ls DISK.img
      List a disk image's partitions and the files of its FAT32 ones.
  a64 acpi decode FILE...
      Print ACPI tables field by field with their raw bytes (a table binary, tables end to end, or acpidump
      text); DSDT/SSDT AML disassembled to ASL. Exit status 1 when a table cannot be fully decoded.
  a64 acpi dump [--machine virt|graviton] [--cpus N] [--base ADDR] [--out DIR]
      Build the ACPI tables of a machine and print them, or write SIG.dat files into DIR.
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
      case 'build-image':
        return buildImageCommand(rest);
      case 'image':
        return imageCommand(rest);
      case 'acpi':
        return acpiCommand(rest);
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
