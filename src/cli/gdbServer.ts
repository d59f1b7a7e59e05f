// `a64 boot FILE --gdb HOST:PORT`: serves the GDB remote protocol (src/gdb) on a TCP socket. Like QEMU's
// `-s -S`, the guest waits for a debugger before its first instruction. While GDB has it running, the guest
// runs in slices with the event loop turning in between, so GDB's interrupt (Ctrl-C) and the guest's UART
// input are seen within a slice. When GDB detaches (D) or its connection drops, breakpoints and watchpoints
// are removed and the guest runs on by itself; the server keeps listening, and a debugger that connects
// later stops the guest where it is. `kill` ends the emulation (exit status 0, as QEMU). The guest's own
// end (power off, semihosting exit) is reported to GDB (W packet); the command then exits with the guest's
// status when GDB disconnects. Listens on loopback unless HOST says otherwise.
import { createServer, type Socket } from 'node:net';
import type { Machine } from '../emu';
import { GdbStub } from '../gdb/stub';
import { latin1 } from '../gdb/packets';
import { UsageError } from './args';

export interface GdbServerIo {
  /** Writes pending guest UART output. */
  flush(): void;
}

/** Parses HOST:PORT, :PORT, PORT or tcp::PORT; the host defaults to 127.0.0.1. Port 0 picks a free one. */
export function parseGdbAddress(text: string): { host: string; port: number } {
  const t = text.startsWith('tcp:') ? text.slice(4) : text;
  const i = t.lastIndexOf(':');
  const host = i < 0 || i === 0 ? '127.0.0.1' : t.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const portText = i < 0 ? t : t.slice(i + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--gdb needs HOST:PORT or PORT (got '${text}')`);
  return { host, port };
}

const yieldToEvents = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Serves GDB until the emulation ends; resolves with the command's exit status. */
export function serveGdb(m: Machine, address: string, io: GdbServerIo): Promise<number> {
  const { host, port } = parseGdbAddress(address);
  return new Promise((resolve) => {
    let stub: GdbStub | null = null;
    let socket: Socket | null = null;
    /** The guest runs with no debugger attached (after a detach or a dropped connection). */
    let free = false;
    let freeLoop = false;
    let finished = false;
    let driving = false;

    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      io.flush();
      server.close();
      socket?.destroy();
      resolve(code);
    };

    /** Runs the guest for GDB while the stub says so. */
    const drive = async (s: GdbStub): Promise<void> => {
      if (driving) return;
      driving = true;
      while (stub === s && s.running && !finished) {
        const r = s.runSlice();
        io.flush();
        if (r === 'idle') await sleep(10);
        else await yieldToEvents();
      }
      driving = false;
    };

    /** Runs the guest without a debugger until a debugger connects or the guest ends. */
    const runFree = async (): Promise<void> => {
      if (freeLoop) return;
      freeLoop = true;
      while (free && !finished) {
        const r = m.run(200_000, { skipAtPc: false });
        io.flush();
        if (r.kind === 'budget') await yieldToEvents();
        else if (r.kind === 'idle') await sleep(10);
        else if (r.kind === 'poweroff') finish(0);
        else if (r.kind === 'exit') finish(r.code & 0xff);
        else if (r.kind === 'reset') {
          process.stderr.write('a64: the guest requested a system reset\n');
          finish(122);
        } else if (r.kind === 'guest-error') {
          process.stderr.write(`a64: guest stopped: ${r.message}\n`);
          finish(121);
        }
        // breakpoint/watchpoint/exception stops cannot happen: the debug state was cleared
      }
      freeLoop = false;
    };

    const release = (): void => {
      // GDB left: the guest runs on by itself (or, if it has ended, the command ends with its status)
      const s = stub;
      stub = null;
      socket = null;
      if (s?.exited !== undefined) return finish(s.exited & 0xff);
      m.clearBreakpoints();
      m.setWatchpoints([]);
      process.stderr.write('a64: gdb disconnected; the guest runs on\n');
      free = true;
      void runFree();
    };

    const server = createServer((sock) => {
      if (stub) {
        // one debugger at a time
        sock.end();
        return;
      }
      free = false; // a running guest stops at its current slice boundary
      socket = sock;
      sock.setNoDelay(true);
      const s = new GdbStub(m, {
        send: (data) => {
          io.flush(); // the guest's output comes before the stop GDB is told of
          sock.write(Buffer.from(data, 'latin1'));
        },
        detach: () => sock.end(),
        kill: () => {
          process.stderr.write('a64: terminated by gdb\n');
          finish(0);
        },
      });
      stub = s;
      sock.on('data', (d: Buffer) => {
        if (stub !== s) return;
        s.receive(latin1(d));
        if (s.running) void drive(s);
      });
      sock.on('close', () => {
        if (stub === s) release();
      });
      sock.on('error', () => {});
    });
    server.on('error', (e) => {
      process.stderr.write(`a64: --gdb ${address}: ${e.message}\n`);
      finish(125);
    });
    server.listen(port, host, () => {
      const a = server.address();
      const where = typeof a === 'object' && a ? `${a.address}:${a.port}` : address;
      process.stderr.write(`a64: waiting for gdb on ${where} (target remote ${where})\n`);
    });
  });
}
