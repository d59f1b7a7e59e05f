// Lines the `a64` commands print about a run (not the guest's output): the --stats figures and the report
// of an emulator error, in one spelling for every command.

/** `a64: N instructions retired in S s: M MIPS` on stderr; `t0` from process.hrtime.bigint(). */
export function printStats(instructions: number, t0: bigint): void {
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(`a64: ${instructions} instructions retired in ${secs.toFixed(3)} s: ${(instructions / secs / 1e6).toFixed(2)} MIPS\n`);
}

/** An exception out of the emulator is a bug of ours: say so, with the stack, on stderr. */
export function printEmulatorError(e: unknown): void {
  process.stderr.write(`a64: emulator error: ${(e as Error).stack ?? e}\n`);
}
