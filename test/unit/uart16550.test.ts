// The 16550 UART driven through MMIO sequences as drivers do: Linux's 8250 probe (the IER, loopback and FIFO
// tests that decide "16550A"), DLAB banking of the divisor latch, transmit, receive through the FIFO with
// trigger levels, the IIR priority order and its read-to-clear THR-empty source, the Graviton register
// spacing (32-bit registers 4 bytes apart), side-effect-free peeks, and bad offsets reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Uart16550 } from '../../src/emu/devices/uart16550';

const RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function uart(regShift: 0 | 2 = 0) {
  const tx: number[] = [];
  const irqs: boolean[] = [];
  const errors: string[] = [];
  const u = new Uart16550({ regShift, onTx: (b) => tx.push(b), onIrq: (l) => irqs.push(l), guestError: (m) => errors.push(m) });
  const size = regShift ? 4 : 1;
  const rd = (i: number) => u.read(i << regShift, size);
  const wr = (i: number, v: number) => u.write(i << regShift, size, v);
  return { u, rd, wr, tx, irqs, errors };
}

test('16550: passes the Linux 8250 autoconfig tests for a 16550A (IER, loopback MSR, FIFO bits in IIR)', () => {
  const { rd, wr } = uart();
  wr(IER, 0);
  assert.equal(rd(IER) & 0x0f, 0);
  wr(IER, 0x0f);
  assert.equal(rd(IER) & 0x0f, 0x0f);
  wr(IER, 0);
  wr(MCR, 0x10 | 0x0a); // LOOP | RTS | OUT2
  assert.equal(rd(MSR) & 0xf0, 0x90, 'loopback: CTS from RTS, DCD from OUT2');
  wr(MCR, 0);
  wr(FCR, 0x01);
  assert.equal(rd(IIR) >> 6, 3, 'FIFOs enabled read back as 0b11 in IIR[7:6]');
  wr(FCR, 0);
  assert.equal(rd(IIR) >> 6, 0);
  wr(IER, 0x40);
  assert.equal(rd(IER) & 0x40, 0, 'not an XScale: IER bit 6 is not writable');
});

test('16550: DLAB banks the divisor latch over RBR/THR and IER; scratch register holds its value', () => {
  const { u, rd, wr, tx } = uart();
  wr(LCR, 0x83); // DLAB, 8N1
  wr(0, 0x01);
  wr(1, 0x02);
  assert.equal(rd(0), 0x01);
  assert.equal(rd(1), 0x02);
  assert.deepEqual(tx, [], 'a DLL write does not transmit');
  wr(LCR, 0x03);
  assert.equal(rd(IER), 0, 'IER untouched by the DLM write');
  wr(SCR, 0x5a);
  assert.equal(rd(SCR), 0x5a);
  assert.equal(u.snapshot().divisor, 0x0201);
  assert.equal(u.snapshot().LCR, 0x03);
});

test('16550: transmit is immediate: LSR.THRE and TEMT stay set, bytes reach the backend in order', () => {
  const { rd, wr, tx } = uart();
  assert.equal(rd(LSR) & 0x61, 0x60, 'THRE | TEMT, no data ready');
  for (const c of 'ok\n') wr(RBR, c.charCodeAt(0));
  assert.deepEqual(tx, [0x6f, 0x6b, 0x0a]);
  assert.equal(rd(LSR) & 0x60, 0x60);
});

test('16550: receive through the FIFO: DR, order, trigger level vs timeout, nothing lost beyond 16 bytes', () => {
  const { u, rd, wr, irqs } = uart();
  wr(FCR, 0x01 | 0x80); // FIFO on, trigger 8
  wr(IER, 0x01); // ERBFI
  assert.equal(rd(IIR) & 0x0f, 0x1, 'nothing pending');
  u.input([1, 2, 3]);
  assert.equal(rd(IIR) & 0x0f, 0xc, 'below the trigger level: character timeout');
  assert.equal(irqs.at(-1), true);
  u.input(Array.from({ length: 20 }, (_, i) => 4 + i));
  assert.equal(rd(IIR) & 0x0f, 0x4, 'at or above the trigger: received data available');
  const got: number[] = [];
  while (rd(LSR) & 1) got.push(rd(RBR));
  assert.deepEqual(got, Array.from({ length: 23 }, (_, i) => 1 + i));
  assert.equal(rd(IIR) & 0x0f, 0x1);
  assert.equal(irqs.at(-1), false, 'the line drops once the FIFO is drained');
});

test('16550: without the FIFO, one byte at a time; the next arrives when RBR is read', () => {
  const { u, rd } = uart();
  u.input([0x41, 0x42]);
  assert.equal(u.snapshot().rxFifo.length, 1);
  assert.equal(rd(RBR), 0x41);
  assert.equal(rd(RBR), 0x42);
  assert.equal(rd(LSR) & 1, 0);
});

test('16550: THR-empty interrupt raised on enable, cleared by reading IIR, raised again after a write; lower priority than data', () => {
  const { u, rd, wr, irqs } = uart();
  wr(IER, 0x02); // ETBEI
  assert.equal(irqs.at(-1), true);
  assert.equal(u.snapshot().IIR & 0x0f, 0x2, 'peek does not clear it');
  assert.equal(rd(IIR) & 0x0f, 0x2);
  assert.equal(rd(IIR) & 0x0f, 0x1, 'reading IIR cleared the THR-empty source');
  assert.equal(irqs.at(-1), false);
  wr(RBR, 0x20);
  assert.equal(irqs.at(-1), true);
  wr(IER, 0x03);
  u.input([9]);
  assert.equal(rd(IIR) & 0x0f, 0x4, 'received data outranks THR empty');
  rd(RBR);
  assert.equal(rd(IIR) & 0x0f, 0x2);
});

test('16550: loopback returns transmitted bytes to the receiver and sends nothing out', () => {
  const { rd, wr, tx } = uart();
  wr(MCR, 0x10);
  wr(RBR, 0x77);
  assert.equal(tx.length, 0);
  assert.equal(rd(LSR) & 1, 1);
  assert.equal(rd(RBR), 0x77);
});

test('16550: Graviton spacing (reg-shift 2, 32-bit accesses); misaligned and out-of-range offsets are reported', () => {
  const { u, rd, wr, tx, errors } = uart(2);
  wr(RBR, 0x48);
  assert.deepEqual(tx, [0x48]);
  wr(SCR, 0xa5);
  assert.equal(rd(SCR), 0xa5);
  assert.equal(u.peek(SCR << 2, 4), 0xa5);
  u.read(0x5, 1);
  u.write(0x40, 4, 1);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /offset 0x5.*4 bytes apart/);
  wr(LSR, 0);
  assert.match(errors[2], /read-only register LSR/);
});

test('16550: peeks never consume received data', () => {
  const { u, rd } = uart();
  u.input([0x31]);
  assert.equal(u.peek(0, 1), 0x31);
  assert.equal(u.peek(0, 1), 0x31);
  assert.equal(u.snapshot().bytesIn, 0);
  assert.equal(rd(RBR), 0x31);
  assert.equal(u.snapshot().bytesIn, 1);
});
