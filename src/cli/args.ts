// Command-line argument parsing for the `a64` CLI: positional arguments and --flag[=value] options, with a
// clear error for unknown flags and missing values.

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
  /** Every value of each valued flag, in order (for repeatable flags such as --disk). */
  all: Map<string, string[]>;
}

export class UsageError extends Error {}

/** `valued` names the flags that take a value (`--memory 512M` or `--memory=512M`). */
export function parseArgs(argv: string[], valued: readonly string[], boolean: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const all = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (valued.includes(name)) {
      const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
      all.set(name, [...(all.get(name) ?? []), v]);
    } else if (boolean.includes(name) && eq < 0) {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, flags, all };
}
