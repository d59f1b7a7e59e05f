// The GDB remote stub: answers GDB's packets from one Machine. CPUs are GDB threads 1..n (all-stop mode; no
// multiprocess extension). Breakpoints (Z0 software, Z1 hardware) are the Machine's breakpoints, so guest
// memory is never patched; watchpoints (Z2 write, Z3 read, Z4 access) are the Machine's watchpoints, which
// stop before the accessing instruction as GDB's AArch64 target expects (src/emu/cpu/watchpoints.ts).
//
// Pure protocol logic over src/emu's public API: no sockets, no timers. The host (src/cli/gdbServer.ts)
// feeds received bytes to `receive`, sends what `send` is given, and while `running` is true calls
// `runSlice` repeatedly, yielding to its event loop in between so that GDB's interrupt (0x03) is seen; the
// stub then stops at the next slice boundary and reports SIGINT, as QEMU does.
//
// Supported: qSupported (PacketSize, qXfer:features:read, QStartNoAckMode, vContSupported), target.xml,
// ?, g/G, p/P, m/M/X, Z0-Z4/z0-z4, c/s, vCont (c, C, s, S; per thread), qfThreadInfo/qsThreadInfo, qC,
// Hg/Hc, T (thread alive), qThreadExtraInfo, qAttached, qOffsets, qSymbol, qRcmd (monitor; see monitor.ts),
// D (detach: the guest runs on), k/vKill. Anything else gets the empty reply ("not supported").
import type { Machine, StopReason, Watchpoint, WatchKind } from '../emu';
import { escapeBinary, fromHex, framePacket, PacketReader, toHex, unescapeBinary, type PacketEvent } from './packets';
import { decodeRegister, encodeRegister, G_PACKET_REGS, gdbRegisters, readRegister, targetXml, writeRegister, type GdbRegister } from './registers';
import { BUILTIN_MONITOR_COMMANDS, runMonitor, type MonitorCommand } from './monitor';

export interface StubHost {
  /** Bytes for GDB (a Latin-1 string: one char per byte). */
  send(data: string): void;
  /** GDB detached (D): the host lets the guest run on without a debugger. */
  detach?(): void;
  /** GDB killed the target (k, vKill): the host ends the emulation. */
  kill?(): void;
}

export interface StubOptions {
  /** Extra monitor commands (panels' data); the built-in ones come first. */
  monitorCommands?: readonly MonitorCommand[];
  /** Instructions per runSlice call. Default 200,000. */
  slice?: number;
}

/** GDB's signal numbers in stop replies. */
const SIGINT = 2;
const SIGTRAP = 5;

const PACKET_SIZE = 0x4000;

const WATCH_KINDS: Record<string, WatchKind> = { '2': 'write', '3': 'read', '4': 'access' };
const STOP_WATCH_WORD: Record<WatchKind, string> = { write: 'watch', read: 'rwatch', access: 'awatch' };

const hex = (v: bigint): string => v.toString(16);

export class GdbStub {
  /** True while the guest runs (after c/vCont;c) until it stops; the host then calls runSlice. */
  running = false;
  /** The guest powered off or exited (a W reply was sent); the host may end once GDB disconnects. */
  exited: number | undefined;
  private readonly reader: PacketReader;
  private readonly regs: GdbRegister[];
  private readonly xml: string;
  private readonly monitor: readonly MonitorCommand[];
  private readonly slice: number;
  /** Threads selected by Hg (registers, memory) and Hc (legacy c/s), 1-based. */
  private gThread = 1;
  private cThread = 1;
  private lastStop: string;
  private interruptRequested = false;
  private readonly breakpoints = new Map<bigint, number>();
  private watches: Watchpoint[] = [];
  /** The reply to send after the ack of the current packet (QStartNoAckMode switches mode after it). */
  private noAckAfterReply = false;

  constructor(readonly machine: Machine, private readonly host: StubHost, opts: StubOptions = {}) {
    this.regs = gdbRegisters(machine);
    this.xml = targetXml(this.regs);
    this.monitor = [...BUILTIN_MONITOR_COMMANDS, ...(opts.monitorCommands ?? [])];
    this.slice = opts.slice ?? 200_000;
    this.lastStop = this.stopReply(SIGTRAP, 0);
    this.reader = new PacketReader((e) => this.onEvent(e), (a) => this.host.send(a));
  }

  get threadCount(): number {
    return this.machine.cpus.length;
  }

  /** Bytes received from GDB. */
  receive(chunk: string | Uint8Array): void {
    this.reader.feed(chunk);
  }

  /**
   * Runs one slice of the guest while `running`. Returns 'running' (call again after yielding), 'stopped'
   * (a stop reply was sent) or 'idle' (every CPU waits for an interrupt nothing can raise yet: call again
   * later, or stop it with GDB's interrupt).
   */
  runSlice(): 'running' | 'stopped' | 'idle' {
    if (!this.running) return 'stopped';
    if (this.interruptRequested) {
      this.interruptRequested = false;
      this.reportStop(this.stopReply(SIGINT, 0));
      return 'stopped';
    }
    // GDB steps over its own breakpoints and watchpoints, so nothing is skipped at the resume PC
    const r = this.machine.run(this.slice, { skipAtPc: false });
    if (r.kind === 'budget') return 'running';
    if (r.kind === 'idle') return 'idle';
    this.reportStop(this.replyFor(r));
    return 'stopped';
  }

  // ---- packets --------------------------------------------------------------------------------

  private onEvent(e: PacketEvent): void {
    if (e.kind === 'interrupt') {
      if (this.running) this.interruptRequested = true;
      return;
    }
    if (e.kind !== 'packet') return;
    let reply: string | null;
    try {
      reply = this.handle(e.data);
    } catch (err) {
      // a malformed packet gets an error reply, never a crash of the server
      this.host.send(framePacket(this.consoleOutput(`a64 gdb stub: ${(err as Error).message}\n`)));
      reply = 'E01';
    }
    if (reply !== null) this.reply(reply);
  }

  private reply(data: string): void {
    this.host.send(framePacket(data));
    if (this.noAckAfterReply) {
      this.noAckAfterReply = false;
      this.reader.noAck = true;
    }
  }

  /** Answers one packet; null when the answer comes later (a continue's stop reply). */
  private handle(p: string): string | null {
    const c = p[0];
    switch (c) {
      case '?':
        return this.lastStop;
      case 'g':
        return this.readAllRegisters();
      case 'G':
        return this.writeAllRegisters(p.slice(1));
      case 'p': {
        const v = readRegister(this.machine, this.gThread - 1, parseInt(p.slice(1), 16), this.regs);
        return v === undefined ? 'E00' : encodeRegister(v, this.regs[parseInt(p.slice(1), 16)].bits);
      }
      case 'P': {
        const [n, val] = p.slice(1).split('=');
        const i = parseInt(n, 16);
        const reg = this.regs[i];
        const v = reg ? decodeRegister(val ?? '', reg.bits) : undefined;
        if (v === undefined) return 'E00';
        return writeRegister(this.machine, this.gThread - 1, i, v, this.regs) ? 'OK' : 'E00';
      }
      case 'm':
        return this.readMemory(p.slice(1));
      case 'M':
        return this.writeMemory(p.slice(1), false);
      case 'X':
        return this.writeMemory(p.slice(1), true);
      case 'Z':
      case 'z':
        return this.breakOrWatch(c === 'Z', p.slice(1));
      case 'c':
        return this.resume([{ action: 'c', thread: -1 }], p.slice(1));
      case 's':
        return this.resume([{ action: 's', thread: this.cThread > 0 ? this.cThread : this.gThread }], p.slice(1));
      case 'H': {
        const t = this.parseThread(p.slice(2));
        if (t === undefined || (t > 0 && t > this.threadCount)) return 'E00';
        if (p[1] === 'g') this.gThread = t > 0 ? t : this.gThread;
        else if (p[1] === 'c') this.cThread = t;
        else return 'E00';
        return 'OK';
      }
      case 'T': {
        const t = this.parseThread(p.slice(1));
        return t !== undefined && t >= 1 && t <= this.threadCount ? 'OK' : 'E00';
      }
      case 'D':
        this.clearDebugState();
        this.reply('OK');
        this.host.detach?.();
        return null;
      case 'k':
        this.host.kill?.();
        return null;
      case 'v':
        return this.handleV(p);
      case 'q':
      case 'Q':
        return this.handleQuery(p);
      default:
        return '';
    }
  }

  private handleV(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      const actions: { action: string; thread: number }[] = [];
      for (const part of p.slice(6).split(';')) {
        const [a, t] = part.split(':');
        const thread = t === undefined ? -1 : this.parseThread(t);
        if (thread === undefined || !'cCsS'.includes(a[0] ?? '?')) return 'E00';
        actions.push({ action: a[0].toLowerCase(), thread });
      }
      return this.resume(actions, '');
    }
    if (p.startsWith('vKill')) {
      this.reply('OK');
      this.host.kill?.();
      return null;
    }
    // vMustReplyEmpty, vFile, vRun, vAttach...: not supported
    return '';
  }

  private handleQuery(p: string): string {
    const [name, rest] = splitOnce(p, ':');
    switch (name) {
      case 'qSupported':
        return `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;QStartNoAckMode+;vContSupported+`;
      case 'QStartNoAckMode':
        this.noAckAfterReply = true;
        return 'OK';
      case 'qXfer': {
        // qXfer:features:read:ANNEX:OFFSET,LENGTH
        const m = /^features:read:([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(rest ?? '');
        if (!m) return '';
        if (m[1] !== 'target.xml') return 'E00';
        const off = parseInt(m[2], 16);
        const len = parseInt(m[3], 16);
        const chunk = this.xml.slice(off, off + len);
        return (off + len >= this.xml.length ? 'l' : 'm') + escapeBinary(chunk);
      }
      case 'qfThreadInfo':
        return 'm' + Array.from({ length: this.threadCount }, (_, i) => hex(BigInt(i + 1))).join(',');
      case 'qsThreadInfo':
        return 'l';
      case 'qC':
        return `QC${hex(BigInt(this.gThread))}`;
      case 'qAttached':
        // attached to an existing target: GDB detaches (rather than kills) when it quits
        return '1';
      case 'qOffsets':
        return 'Text=0;Data=0;Bss=0';
      case 'qSymbol':
        return 'OK';
      case 'qRcmd': {
        const cmd = fromHex(rest ?? '');
        const out = runMonitor(cmd, { machine: this.machine, cpu: this.gThread - 1 }, this.monitor);
        // output travels in O packets, the command's end in OK
        for (let i = 0; i < out.length; i += 512) this.host.send(framePacket(this.consoleOutput(out.slice(i, i + 512))));
        return 'OK';
      }
      default:
        if (p.startsWith('qRcmd,')) return this.handleQuery('qRcmd:' + p.slice(6));
        if (p.startsWith('qThreadExtraInfo,')) {
          const t = this.parseThread(p.slice('qThreadExtraInfo,'.length));
          if (t === undefined || t < 1 || t > this.threadCount) return 'E00';
          const r = this.machine.registers(t - 1);
          return toHex(`CPU#${t - 1} EL${r.el}`);
        }
        return '';
    }
  }

  // ---- registers and memory -------------------------------------------------------------------

  private readAllRegisters(): string {
    let s = '';
    const set = this.machine.registers(this.gThread - 1);
    for (let n = 0; n < G_PACKET_REGS; n++) {
      s += encodeRegister(readRegister(this.machine, this.gThread - 1, n, this.regs, set) ?? 0n, this.regs[n].bits);
    }
    return s;
  }

  private writeAllRegisters(data: string): string {
    let pos = 0;
    for (let n = 0; n < G_PACKET_REGS && pos < data.length; n++) {
      const digits = this.regs[n].bits / 4;
      const v = decodeRegister(data.slice(pos, pos + digits), this.regs[n].bits);
      if (v === undefined) return 'E00';
      writeRegister(this.machine, this.gThread - 1, n, v, this.regs);
      pos += digits;
    }
    return 'OK';
  }

  private parseAddrLen(text: string): [bigint, number] | undefined {
    const m = /^([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(text);
    if (!m) return undefined;
    const addr = BigInt('0x' + m[1]);
    const len = parseInt(m[2], 16);
    if (addr >= 1n << 64n || len > PACKET_SIZE) return undefined;
    return [addr, len];
  }

  private readMemory(args: string): string {
    const al = this.parseAddrLen(args);
    if (!al) return 'E01';
    const bytes = this.machine.readMemory(al[0], al[1], this.gThread - 1);
    let s = '';
    for (const b of bytes) {
      if (b === null) break;
      s += b.toString(16).padStart(2, '0');
    }
    // nothing readable: EFAULT; otherwise the readable prefix, as GDB allows
    return s === '' && al[1] > 0 ? 'E0e' : s;
  }

  private writeMemory(args: string, binary: boolean): string {
    const [head, body] = splitOnce(args, ':');
    const al = this.parseAddrLen(head);
    if (!al || body === undefined) return 'E01';
    let data: Uint8Array;
    if (binary) {
      const raw = unescapeBinary(body);
      data = Uint8Array.from(raw, (ch) => ch.charCodeAt(0) & 0xff);
    } else {
      if (body.length !== 2 * al[1] || /[^0-9a-fA-F]/.test(body)) return 'E01';
      data = Uint8Array.from({ length: al[1] }, (_, i) => parseInt(body.substr(2 * i, 2), 16));
    }
    if (data.length !== al[1]) return 'E01';
    if (data.length === 0) return 'OK';
    return this.machine.writeMemory(al[0], data, this.gThread - 1) === data.length ? 'OK' : 'E0e';
  }

  // ---- breakpoints and watchpoints ------------------------------------------------------------

  private breakOrWatch(insert: boolean, args: string): string {
    const m = /^([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)/.exec(args);
    if (!m) return 'E01';
    const addr = BigInt('0x' + m[2]);
    const kind = m[1];
    if (kind === '0' || kind === '1') {
      // software and hardware breakpoints are both the Machine's (no memory patching); counted so that a
      // Z0 and a Z1 at one address need both removing
      const n = this.breakpoints.get(addr) ?? 0;
      if (insert) {
        if (n === 0 && !this.machine.setBreakpoint(addr)) return 'E0e';
        this.breakpoints.set(addr, n + 1);
      } else if (n > 0) {
        if (n === 1) {
          this.machine.clearBreakpoint(addr);
          this.breakpoints.delete(addr);
        } else this.breakpoints.set(addr, n - 1);
      }
      return 'OK';
    }
    const length = parseInt(m[3], 16);
    const wkind = WATCH_KINDS[kind];
    if (insert) {
      if (length < 1) return 'E01';
      const next = [...this.watches, { address: addr, length, kind: wkind }];
      try {
        this.machine.setWatchpoints(next);
      } catch {
        return 'E01';
      }
      this.watches = next;
    } else {
      const i = this.watches.findIndex((w) => w.address === addr && w.length === length && w.kind === wkind);
      if (i >= 0) {
        this.watches.splice(i, 1);
        this.machine.setWatchpoints(this.watches);
      }
    }
    return 'OK';
  }

  private clearDebugState(): void {
    for (const a of this.breakpoints.keys()) this.machine.clearBreakpoint(a);
    this.breakpoints.clear();
    this.watches = [];
    this.machine.setWatchpoints([]);
  }

  // ---- run control ------------------------------------------------------------------------------

  /**
   * c/s/vCont. A step action for a thread steps that CPU one instruction and replies at once (other CPUs
   * stay frozen: the stepped CPU's step is the only progress); otherwise the guest continues until a stop.
   */
  private resume(actions: { action: string; thread: number }[], addrText: string): string | null {
    if (this.exited !== undefined) return `W${(this.exited & 0xff).toString(16).padStart(2, '0')}`;
    if (addrText) {
      const a = BigInt('0x' + addrText);
      this.machine.setX(this.cThread > 0 ? this.cThread - 1 : this.gThread - 1, 32, a);
    }
    const step = actions.find((a) => a.action === 's');
    if (step) {
      const t = step.thread > 0 ? step.thread : this.cThread > 0 ? this.cThread : this.gThread;
      const r = this.machine.step(t - 1, { skipAtPc: false });
      const reply = r.kind === 'step' || r.kind === 'budget' || r.kind === 'idle' ? this.stopReply(SIGTRAP, t - 1) : this.replyFor(r);
      this.setStop(reply);
      return reply;
    }
    this.running = true;
    this.interruptRequested = false;
    return null;
  }

  private reportStop(reply: string): void {
    this.running = false;
    this.setStop(reply);
    this.reply(reply);
  }

  private setStop(reply: string): void {
    this.lastStop = reply;
  }

  private stopReply(signal: number, cpu: number, extra = ''): string {
    this.gThread = cpu + 1;
    return `T${signal.toString(16).padStart(2, '0')}thread:${hex(BigInt(cpu + 1))};${extra}`;
  }

  /** The stop reply for a Machine stop reason (W for the end of the guest). */
  private replyFor(r: StopReason): string {
    switch (r.kind) {
      case 'watchpoint':
        return this.stopReply(SIGTRAP, r.cpu, `${STOP_WATCH_WORD[r.hit.watch.kind]}:${hex(r.hit.address)};`);
      case 'breakpoint':
      case 'step':
        return this.stopReply(SIGTRAP, r.cpu);
      case 'poweroff':
      case 'reset':
        this.host.send(framePacket(this.consoleOutput(`a64: the guest ${r.kind === 'reset' ? 'requested a system reset' : 'powered off'}\n`)));
        this.exited = 0;
        this.running = false;
        return 'W00';
      case 'exit':
        this.exited = r.code;
        this.running = false;
        return `W${(r.code & 0xff).toString(16).padStart(2, '0')}`;
      case 'exception':
        this.host.send(framePacket(this.consoleOutput(`a64: exception ${r.description} from 0x${hex(r.from)}\n`)));
        return this.stopReply(SIGTRAP, r.cpu);
      case 'guest-error':
        this.host.send(framePacket(this.consoleOutput(`a64: ${r.message}\n`)));
        return this.stopReply(SIGTRAP, r.cpu);
      default:
        return this.stopReply(SIGTRAP, 0);
    }
  }

  /** An O packet's data: console output for GDB to print. */
  private consoleOutput(text: string): string {
    return 'O' + toHex(text);
  }

  /** Thread id text: hex, 0 (any) or -1 (all); 0 and -1 map to 0 and -1. */
  private parseThread(text: string): number | undefined {
    if (text === '-1') return -1;
    if (!/^[0-9a-fA-F]+$/.test(text)) return undefined;
    return parseInt(text, 16);
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
