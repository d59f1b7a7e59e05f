// `a64 boot FILE --gdb HOST:PORT` (src/cli/gdbServer.ts) over a real socket, speaking the protocol by hand:
// the guest waits before its first instruction; `c` runs it in slices and the interrupt byte stops it
// (SIGINT); UART output flows while GDB has it running; detaching lets it run on; a debugger that connects
// later stops it where it is; `k` ends the command with status 0; a guest that powers off under GDB is
// reported with W00 and the command exits 0 when GDB leaves; bad --gdb values are usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { framePacket, fromHex, toHex } from '../../src/gdb/packets';

const CLI = 'dist/cli.js';

interface Boot {
  proc: ChildProcess;
  port: number;
  stdout: () => string;
  exit: Promise<number | null>;
}

function boot(kernel: string): Promise<Boot> {
  const proc = spawn(process.execPath, [CLI, 'boot', `test/fixtures/kernels/${kernel}.elf`, '--gdb', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no listening message: ${err}`)), 30_000);
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        res({ proc, port: Number(m[1]), stdout: () => out, exit });
      }
    });
  });
}

/** A minimal GDB: sends packets, collects reply packets (acks are skipped). */
class Client {
  private buf = '';
  private waiters: (() => void)[] = [];
  constructor(readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(port: number): Promise<Client> {
    return new Promise((res, rej) => {
      const s = connect(port, '127.0.0.1', () => res(new Client(s)));
      s.on('error', rej);
    });
  }
  /** The next packet's data (O packets included). */
  async next(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /\$([^#]*)#[0-9a-f]{2}/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m.index + m[0].length);
        return m[1];
      }
      if (Date.now() > deadline) throw new Error(`no reply; have '${this.buf}'`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }
  send(data: string): void {
    this.sock.write(Buffer.from(framePacket(data), 'latin1'));
  }
  async ask(data: string): Promise<string> {
    this.send(data);
    return this.next();
  }
  async monitor(cmd: string): Promise<string> {
    this.send('qRcmd,' + toHex(cmd));
    let out = '';
    for (let p = await this.next(); p !== 'OK'; p = await this.next()) out += fromHex(p.slice(1));
    return out;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('boot --gdb: waits before the first instruction, continue / interrupt, detach, reattach, kill', async () => {
  const b = await boot('spin');
  try {
    const g = await Client.open(b.port);
    assert.equal(await g.ask('QStartNoAckMode'), 'OK');
    assert.equal(await g.ask('?'), 'T05thread:1;');
    assert.equal(await g.monitor('icount'), '0\n', 'no instruction before the debugger');
    assert.equal(await g.ask('p20'), '0000084000000000', 'PC at the ELF entry');
    g.send('c');
    await sleep(300);
    g.sock.write('\x03');
    assert.equal(await g.next(), 'T02thread:1;');
    const n1 = Number((await g.monitor('icount')).trim());
    assert.ok(n1 > 0);
    assert.match(b.stdout(), /spinning/, 'UART output while running under GDB');
    // detach: the guest runs on without the debugger
    assert.equal(await g.ask('D'), 'OK');
    await sleep(300);
    const g2 = await Client.open(b.port);
    assert.equal(await g2.ask('?'), 'T05thread:1;', 'a new debugger finds the guest stopped');
    const n2 = Number((await g2.monitor('icount')).trim());
    assert.ok(n2 > n1, `the guest ran while detached (${n1} -> ${n2})`);
    await sleep(200);
    assert.equal(Number((await g2.monitor('icount')).trim()), n2, 'and stays stopped');
    g2.send('k');
    assert.equal(await b.exit, 0);
  } finally {
    b.proc.kill();
  }
});

test('boot --gdb: a guest that powers off is reported (W00) and the command exits 0 when GDB leaves', async () => {
  const b = await boot('calls');
  try {
    const g = await Client.open(b.port);
    g.send('vCont;c');
    assert.equal(await g.next(), 'O' + toHex('a64: the guest powered off\n'));
    assert.equal(await g.next(), 'W00');
    g.sock.end();
    assert.equal(await b.exit, 0);
    assert.match(b.stdout(), /calls: total=100 counter=5/);
  } finally {
    b.proc.kill();
  }
});

test('boot --gdb: bad addresses are usage errors', () => {
  for (const bad of ['127.0.0.1:x', 'host:70000', 'nonsense']) {
    const r = spawnSync(process.execPath, [CLI, 'boot', 'test/fixtures/kernels/spin.elf', '--gdb', bad], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /--gdb needs HOST:PORT or PORT/);
  }
  const r = spawnSync(process.execPath, [CLI, 'boot', 'test/fixtures/kernels/spin.elf', '--gdb', ':0', '--max-insns', '10'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--max-insns cannot be used with --gdb/);
});
