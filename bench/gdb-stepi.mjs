#!/usr/bin/env node
// Benchmark: latency of single-stepping through a GDB stub, ours (`a64 boot K --gdb`) beside QEMU's
// (`qemu-system-aarch64 -M virt -cpu cortex-a57 -kernel K -s -S`), on the same kernel from its entry:
//   protocol  N round trips of `vCont;s:1` + its stop reply + `g` (what GDB asks after each step), from a
//             minimal client in this script: the stub's own latency
//   gdb       `stepi N` in gdb-multiarch (timed with GDB's Python): what a user or a script sees
// Figures only, no assertions (shared, noisy machines). Needs dist/cli.js (npm run build), gdb-multiarch
// and qemu-system-aarch64. Usage: node bench/gdb-stepi.mjs [KERNEL.elf] [--steps N]
import { spawn, execFileSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const stepsAt = args.indexOf('--steps');
const STEPS = stepsAt >= 0 ? Number(args.splice(stepsAt, 2)[1]) : 1000;
const kernel = resolve(args[0] ?? 'test/fixtures/kernels/spin.elf');

const checksum = (d) => [...d].reduce((s, c) => (s + c.charCodeAt(0)) & 0xff, 0).toString(16).padStart(2, '0');
const frame = (d) => `$${d}#${checksum(d)}`;

function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startOurs() {
  const proc = spawn(process.execPath, ['dist/cli.js', 'boot', kernel, '--gdb', '127.0.0.1:0'], { stdio: ['pipe', 'ignore', 'pipe'] });
  const port = await new Promise((res, rej) => {
    let err = '';
    proc.stderr.on('data', (d) => {
      err += d;
      const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) res(Number(m[1]));
    });
    proc.on('exit', () => rej(new Error(`a64 exited: ${err}`)));
  });
  return { proc, port };
}

async function startQemu() {
  const port = await freePort();
  const proc = spawn('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-monitor', 'none', '-serial', 'null',
    '-kernel', kernel, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  return { proc, port };
}

/** Raw protocol: STEPS x (vCont;s + stop reply + g). Returns seconds. */
async function protocol(port) {
  const sock = await new Promise((res, rej) => {
    const s = connect(port, '127.0.0.1', () => res(s));
    s.on('error', rej);
  });
  sock.setNoDelay(true);
  let buf = '';
  let wake = null;
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    wake?.();
  });
  const next = async () => {
    for (;;) {
      const m = /\$([^#]*)#[0-9a-f]{2}/.exec(buf);
      if (m) {
        buf = buf.slice(m.index + m[0].length);
        return m[1];
      }
      await new Promise((r) => (wake = r));
    }
  };
  const ask = async (p) => {
    sock.write(frame(p));
    return next();
  };
  await ask('QStartNoAckMode');
  buf = buf.replace(/^\+*/, '');
  // QEMU names threads p1.1 when multiprocess is on; without qSupported:multiprocess+ both use plain ids
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < STEPS; i++) {
    const r = await ask('vCont;s:1');
    if (!r.startsWith('T05')) throw new Error(`step ${i}: ${r}`);
    await ask('g');
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  sock.destroy();
  return secs;
}

/** gdb-multiarch: `stepi STEPS`, timed inside GDB. Returns seconds. */
function viaGdb(port) {
  const out = execFileSync('gdb-multiarch', ['-batch', '-nx', '-ex', 'set pagination off', '-ex', `file ${kernel}`,
    '-ex', `target remote 127.0.0.1:${port}`, '-ex', 'python import time; t0 = time.perf_counter()',
    '-ex', `stepi ${STEPS}`, '-ex', 'python print("elapsed=%f" % (time.perf_counter() - t0))', '-ex', 'kill'],
  { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(/elapsed=([\d.]+)/.exec(out)[1]);
}

async function measure(name, start) {
  let t = await start();
  let p;
  try {
    p = await protocol(t.port);
  } finally {
    t.proc.kill();
  }
  t = await start();
  let g;
  try {
    g = viaGdb(t.port);
  } finally {
    t.proc.kill();
  }
  return { name, p, g };
}

const rows = [await measure('a64 (ours)', startOurs), await measure('qemu-system-aarch64', startQemu)];
console.log(`kernel: ${kernel}, ${STEPS} single steps from the entry`);
console.log('target                 protocol (s, us/step)     gdb stepi (s, us/step)');
for (const r of rows) {
  console.log(`${r.name.padEnd(22)} ${r.p.toFixed(3).padStart(7)} ${((r.p * 1e6) / STEPS).toFixed(0).padStart(8)}        ${r.g.toFixed(3).padStart(7)} ${((r.g * 1e6) / STEPS).toFixed(0).padStart(8)}`);
}
console.log(`ratio ours/QEMU: protocol ${(rows[0].p / rows[1].p).toFixed(2)}, gdb stepi ${(rows[0].g / rows[1].g).toFixed(2)}`);
