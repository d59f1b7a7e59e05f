#!/usr/bin/env node
// Benchmark: latency of 1,000 DAP `stepIn` round trips (request -> response -> stopped event -> the
// stackTrace VS Code asks for after every stop) against dist/debugAdapter.js on a kernel, instruction
// granularity, from a minimal DAP client in this script (no VS Code). Printed beside the GDB-stub figures of
// bench/gdb-stepi.mjs for the same kind of work. Figures only (shared, noisy machines).
// Usage: node bench/dap-step.mjs [KERNEL.elf] [--steps N]     (needs `npm run build`)
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--steps');
const STEPS = at >= 0 ? Number(args.splice(at, 2)[1]) : 1000;
const kernel = resolve(args[0] ?? 'test/fixtures/kernels/spin.elf');

const child = spawn(process.execPath, ['dist/debugAdapter.js'], { stdio: ['pipe', 'pipe', 'inherit'] });
let seq = 1;
let buf = Buffer.alloc(0);
const waiters = [];
const events = [];
child.stdout.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const h = buf.indexOf('\r\n\r\n');
    if (h < 0) return;
    const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString())[1]);
    if (buf.length < h + 4 + len) return;
    const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString());
    buf = buf.subarray(h + 4 + len);
    events.push(msg);
    for (let i = 0; i < waiters.length; i++) {
      if (waiters[i].match(msg)) {
        waiters.splice(i, 1)[0].resolve(msg);
        break;
      }
    }
  }
});
const send = (command, args = {}) => {
  const s = seq++;
  const body = JSON.stringify({ seq: s, type: 'request', command, arguments: args });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  return wait((m) => m.type === 'response' && m.request_seq === s);
};
const wait = (match) => {
  const i = events.findIndex(match);
  if (i >= 0) return Promise.resolve(events.splice(i, 1)[0]);
  return new Promise((res) => waiters.push({ match, resolve: res }));
};
const stoppedEvent = () => wait((m) => m.type === 'event' && m.event === 'stopped');

await send('initialize', { adapterID: 'a64', linesStartAt1: true, columnsStartAt1: true });
const launched = send('launch', { kernel, stopOnEntry: true });
await wait((m) => m.type === 'event' && m.event === 'initialized');
await send('configurationDone');
await launched;
await stoppedEvent();
events.length = 0;

const t0 = process.hrtime.bigint();
for (let i = 0; i < STEPS; i++) {
  const st = stoppedEvent();
  await send('stepIn', { threadId: 1, granularity: 'instruction' });
  await st;
  await send('stackTrace', { threadId: 1, startFrame: 0, levels: 1 });
}
const us = Number(process.hrtime.bigint() - t0) / 1000 / STEPS;
console.log(`kernel: ${kernel}`);
console.log(`DAP stepIn + stopped + stackTrace: ${STEPS} round trips, ${us.toFixed(0)} us each (${(1e6 / us).toFixed(0)} steps/s)`);
await send('disconnect', { terminateDebuggee: true });
child.kill();
