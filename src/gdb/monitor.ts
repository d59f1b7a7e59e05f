// `monitor` commands of the GDB stub (qRcmd): text in, text out, over the emulator's public API. A command
// is a row (words, argument synopsis, help, run); the stub takes extra rows from its creator, so the panels'
// data (GIC state, ITS tables, ACPI tables, page-table walks) can be offered as `monitor info gic` etc. by
// adding rows, without touching the protocol code.
import type { Machine } from '../emu';
import { gdbRegisters } from './registers';

export interface MonitorContext {
  readonly machine: Machine;
  /** The CPU GDB has selected (Hg), 0-based. */
  readonly cpu: number;
}

export interface MonitorCommand {
  /** The command's words, e.g. ['info', 'registers']. */
  readonly words: readonly string[];
  /** Argument synopsis for help, e.g. 'NAME [VALUE]'. */
  readonly args?: string;
  readonly help: string;
  /** Returns the text to print (lines end in \n). Throws MonitorError for a usage problem. */
  run(ctx: MonitorContext, args: string[]): string;
}

export class MonitorError extends Error {}

const hex64 = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;

/** PSTATE in SPSR layout, decoded: NZCV, DAIF and the mode (EL1h...). */
export function describePstate(p: number): string {
  const flags = ['N', 'Z', 'C', 'V'].map((f, i) => ((p >>> (31 - i)) & 1 ? f : '-')).join('');
  const daif = ['D', 'A', 'I', 'F'].map((f, i) => ((p >>> (9 - i)) & 1 ? f : '-')).join('');
  return `${flags} ${daif} EL${(p >>> 2) & 3}${p & 1 ? 'h' : 't'}`;
}

function parseValue(text: string): bigint {
  try {
    const v = BigInt(text);
    if (v < 0n || v >= 1n << 64n) throw new Error();
    return v;
  } catch {
    throw new MonitorError(`'${text}' is not a 64-bit number (use 0x... for hex)`);
  }
}

function checkArgs(args: string[], min: number, max: number, synopsis: string): void {
  if (args.length < min || args.length > max) throw new MonitorError(`usage: monitor ${synopsis}`);
}

export const BUILTIN_MONITOR_COMMANDS: readonly MonitorCommand[] = [
  {
    words: ['info', 'registers'],
    help: 'general registers, PSTATE decoded, and every system register of the selected CPU',
    run: ({ machine, cpu }, args) => {
      checkArgs(args, 0, 0, 'info registers');
      const r = machine.registers(cpu);
      const lines: string[] = [];
      for (let i = 0; i < 31; i += 2) {
        const a = `x${i}`.padEnd(4) + ' ' + hex64(r.x[i]);
        lines.push(i + 1 < 31 ? `${a}   ${`x${i + 1}`.padEnd(4)} ${hex64(r.x[i + 1])}` : `${a}   sp   ${hex64(r.sp)}`);
      }
      lines.push(`pc   ${hex64(r.pc)}   pstate 0x${r.pstate.toString(16).padStart(8, '0')} (${describePstate(r.pstate)})`);
      for (const reg of gdbRegisters(machine)) {
        if (reg.sysreg) lines.push(`${reg.sysreg.padEnd(18)} ${hex64(machine.sysreg(cpu, reg.sysreg) ?? 0n)}`);
      }
      return lines.join('\n') + '\n';
    },
  },
  {
    words: ['sysreg'],
    args: 'NAME [VALUE]',
    help: 'read (or write) a system register by its architectural name, e.g. monitor sysreg SCTLR_EL1',
    run: ({ machine, cpu }, args) => {
      checkArgs(args, 1, 2, 'sysreg NAME [VALUE]');
      const name = machine.sysregNames(cpu).find((n) => n.toLowerCase() === args[0].toLowerCase());
      if (!name) throw new MonitorError(`no system register '${args[0]}' on this CPU (monitor info sysregs lists them)`);
      if (args.length === 2 && !machine.setSysreg(cpu, name, parseValue(args[1]))) throw new MonitorError(`${name} cannot be written`);
      return `${name} = ${hex64(machine.sysreg(cpu, name) ?? 0n)}\n`;
    },
  },
  {
    words: ['info', 'sysregs'],
    help: 'names of the system registers the CPU implements',
    run: ({ machine, cpu }, args) => {
      checkArgs(args, 0, 0, 'info sysregs');
      return machine.sysregNames(cpu).join(' ') + '\n';
    },
  },
  {
    words: ['info', 'cpus'],
    help: 'the CPUs (GDB threads 1..n): PC, exception level',
    run: ({ machine, cpu }, args) => {
      checkArgs(args, 0, 0, 'info cpus');
      let out = '';
      for (let i = 0; i < machine.cpus.length; i++) {
        const r = machine.registers(i);
        out += `${i === cpu ? '*' : ' '} CPU #${i} (thread ${i + 1}): pc=${hex64(r.pc)} ${describePstate(r.pstate)}\n`;
      }
      return out;
    },
  },
  {
    words: ['info', 'watchpoints'],
    help: 'the watchpoints set in the emulator',
    run: ({ machine }, args) => {
      checkArgs(args, 0, 0, 'info watchpoints');
      const w = machine.watchpoints;
      if (!w.length) return 'no watchpoints\n';
      return w.map((x) => `${x.kind.padEnd(6)} 0x${x.address.toString(16)} length ${x.length}\n`).join('');
    },
  },
  {
    words: ['icount'],
    help: 'instructions retired (the virtual time)',
    run: ({ machine }, args) => {
      checkArgs(args, 0, 0, 'icount');
      return `${machine.icount}\n`;
    },
  },
];

/** Runs a monitor command line against `commands`; unknown commands and usage errors give a message. */
export function runMonitor(line: string, ctx: MonitorContext, commands: readonly MonitorCommand[]): string {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words[0] === 'help' || words[0] === '?') return monitorHelp(commands);
  // the longest command whose words start the line
  let best: MonitorCommand | undefined;
  for (const c of commands) {
    if (c.words.length <= words.length && c.words.every((w, i) => w === words[i].toLowerCase())) {
      if (!best || c.words.length > best.words.length) best = c;
    }
  }
  if (!best) return `unknown monitor command '${line.trim()}'; monitor help lists them\n`;
  try {
    return best.run(ctx, words.slice(best.words.length));
  } catch (e) {
    if (e instanceof MonitorError) return `${e.message}\n`;
    throw e;
  }
}

export function monitorHelp(commands: readonly MonitorCommand[]): string {
  const rows = commands.map((c) => [`monitor ${c.words.join(' ')}${c.args ? ' ' + c.args : ''}`, c.help]);
  rows.push(['monitor help', 'this list']);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `${a.padEnd(w)}  ${b}\n`).join('');
}
