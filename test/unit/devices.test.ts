// Device-level tests: the PL011 driven through MMIO sequences as a driver would (flags, FIFO, interrupts,
// ID registers, bad accesses), PSCI and semihosting driven through HVC/SMC/HLT in a real Machine with tiny
// hand-assembled programs, and the generated device tree read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pl011 } from '../../src/emu/devices/pl011';
import { Machine, parseFdt } from '../../src/emu';

function uart() {
  const tx: number[] = [];
  const irqs: boolean[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const u = new Pl011({ onTx: (b) => tx.push(b), onIrq: (l) => irqs.push(l), guestError: (m) => errors.push(m), guestWarning: (m) => warnings.push(m) });
  return { u, m: u.mmio, tx, irqs, errors, warnings };
}

test('PL011: transmit through UARTDR, TXFE set and TXFF clear, warning once when not enabled', () => {
  const { m, tx, warnings } = uart();
  assert.equal(m.read(0x18, 4) & 0xb0, 0x90, 'FR: TXFE and RXFE set, TXFF clear');
  m.write(0x00, 4, 0x41);
  m.write(0x00, 1, 0x42);
  assert.deepEqual(tx, [0x41, 0x42]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /UARTEN/);
  const { m: m2, warnings: w2 } = uart();
  m2.write(0x30, 4, 0x301); // UARTEN | TXE | RXE
  m2.write(0x00, 4, 0x43);
  assert.equal(w2.length, 0);
});

test('PL011: receive FIFO: RXFE, data in order, host input beyond the FIFO waits and is never lost', () => {
  const { u, m } = uart();
  m.write(0x30, 4, 0x301);
  m.write(0x2c, 4, 0x10); // LCR_H.FEN: 32-entry FIFO
  const input = Array.from({ length: 40 }, (_, i) => 0x30 + i);
  u.input(input);
  assert.equal(m.read(0x18, 4) & 0x10, 0, 'RXFE clear');
  assert.equal(m.read(0x18, 4) & 0x40, 0x40, 'RXFF set with 32 bytes waiting');
  const got: number[] = [];
  while (!(m.read(0x18, 4) & 0x10)) got.push(m.read(0x00, 4) & 0xff);
  assert.deepEqual(got, input);
  assert.equal(m.read(0x00, 4), 0, 'reading an empty FIFO gives 0');
});

test('PL011: without FEN the FIFO is one character deep', () => {
  const { u, m } = uart();
  u.input([1, 2, 3]);
  assert.equal(m.read(0x18, 4) & 0x40, 0x40, 'RXFF with one byte');
  assert.equal(m.read(0x00, 4), 1);
  assert.equal(m.read(0x00, 4), 2);
  assert.equal(m.read(0x00, 4), 3);
  assert.equal(m.read(0x18, 4) & 0x10, 0x10);
});

test('PL011: interrupts: RX and TX raised through IMSC, MIS = RIS & IMSC, ICR clears, line follows', () => {
  const { u, m, irqs } = uart();
  assert.equal(m.read(0x3c, 4) & 0x20, 0x20, 'TXRIS: the transmit FIFO is always empty');
  assert.equal(m.read(0x40, 4), 0, 'nothing unmasked');
  m.write(0x38, 4, 0x10); // RXIM
  assert.deepEqual(irqs, []);
  u.input([0x61]);
  assert.equal(m.read(0x40, 4) & 0x10, 0x10, 'RXMIS');
  assert.deepEqual(irqs, [true]);
  m.read(0x00, 4);
  assert.equal(m.read(0x40, 4), 0);
  assert.deepEqual(irqs, [true, false]);
  m.write(0x38, 4, 0x20); // TXIM
  assert.deepEqual(irqs, [true, false, true]);
  assert.equal(m.peek(0x40, 4) & 0x20, 0x20);
});

test('PL011: ID registers, peek without side effects, bad accesses reported', () => {
  const { u, m, errors } = uart();
  assert.deepEqual([0xfe0, 0xfe4, 0xfe8, 0xfec].map((o) => m.read(o, 4)), [0x11, 0x10, 0x34, 0x00]);
  assert.deepEqual([0xff0, 0xff4, 0xff8, 0xffc].map((o) => m.read(o, 4)), [0x0d, 0xf0, 0x05, 0xb1]);
  u.input([0x7a]);
  assert.equal(m.peek(0x00, 4), 0x7a);
  assert.equal(m.peek(0x00, 4), 0x7a, 'peek does not pop');
  assert.equal(m.read(0x00, 4), 0x7a);
  m.read(0x800, 4);
  m.write(0x18, 4, 1);
  m.read(0x44, 4);
  assert.equal(errors.length, 3);
  assert.match(errors[0], /unimplemented offset 0x800/);
  assert.match(errors[1], /read-only register UARTFR/);
  assert.match(errors[2], /write-only register UARTICR/);
  assert.equal(u.snapshot().UARTFR !== undefined, true);
});

/** Assembles a raw program at 0x40080000 in a fresh machine (EL1 by default). */
function program(words: number[], el: 1 | 2 = 1) {
  const out: number[] = [];
  const m = new Machine({ el }, { console: (b) => out.push(...b) });
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0, true));
  m.load(bytes, 'prog.bin', { loadAddress: 0x40080000n });
  return { m, out };
}

// Encodings from aarch64-linux-gnu-as.
const MOVZ_W0 = (imm: number, hw = 0) => 0x52800000 | (hw << 21) | (imm << 5); // movz w0, #imm, lsl #16*hw
const MOVZ_X = (rd: number, imm: number, hw = 0) => (0xd2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const MOVK_W0 = (imm: number, hw: number) => 0x72800000 | (hw << 21) | (imm << 5);
const HVC0 = 0xd4000002;
const SMC0 = 0xd4000003;
const HLT_F000 = 0xd45e0000;
const B_SELF = 0x14000000;

test('PSCI over HVC at EL1: VERSION is 1.1, FEATURES, unknown calls NOT_SUPPORTED, SYSTEM_OFF stops', () => {
  const { m } = program([
    MOVZ_W0(0x0000), MOVK_W0(0x8400, 1), HVC0, // PSCI_VERSION
    0xaa0003f3, // mov x19, x0
    MOVZ_W0(0x000a), MOVK_W0(0x8400, 1), MOVZ_X(1, 0x0008), 0xf2b08001, HVC0, // FEATURES(SYSTEM_OFF): x1 = 0x84000008
    0xaa0003f4, // mov x20, x0
    MOVZ_W0(0x1234), MOVK_W0(0x8600, 1), HVC0, // an unknown SMCCC function
    0xaa0003f5, // mov x21, x0
    MOVZ_W0(0x0008), MOVK_W0(0x8400, 1), HVC0, // SYSTEM_OFF
    B_SELF,
  ]);
  const stop = m.run(1000);
  assert.equal(stop.kind, 'poweroff');
  const r = m.registers();
  assert.equal(r.x[19], 0x10001n);
  assert.equal(r.x[20], 0n);
  assert.equal(r.x[21], 0xffffffffffffffffn);
});

test('PSCI conduit follows the entry EL: SMC at EL2; HVC at EL2 is an ordinary exception', () => {
  const { m } = program([MOVZ_W0(0x0009), MOVK_W0(0x8400, 1), SMC0, B_SELF], 2); // SYSTEM_RESET
  assert.equal(m.run(100).kind, 'reset');
  const { m: m1 } = program([MOVZ_W0(0x0008), MOVK_W0(0x8400, 1), HVC0, B_SELF], 2);
  assert.equal(m1.run(3).kind, 'budget', 'HVC at EL2 does not reach PSCI: it traps to the EL2 vectors');
  assert.equal(m1.registers().el, 2);
  assert.equal(m1.registers().pc, 0x200n, 'VBAR_EL2 (0) + 0x200: current EL with SP_ELx');
  assert.equal(m1.sysreg(0, 'ESR_EL2')! >> 26n, 0x16n, 'ESR_EL2.EC = HVC from AArch64');
});

test('semihosting: SYS_WRITE0, SYS_WRITEC and SYS_EXIT_EXTENDED with a status', () => {
  // data at 0x40081000: "hi\n\0" ; 'Z' ; exit block {0x20026, 7}
  const words = new Array(0x400 + 8).fill(0xd503201f); // nops
  const code = [
    MOVZ_X(1, 0x1000), 0xf2a80101, // movk x1, #0x4008, lsl #16: x1 = 0x40081000
    MOVZ_W0(0x04), HLT_F000, // SYS_WRITE0
    MOVZ_X(1, 0x1004), 0xf2a80101, MOVZ_W0(0x03), HLT_F000, // SYS_WRITEC 'Z'
    MOVZ_X(1, 0x1008), 0xf2a80101, MOVZ_W0(0x20), HLT_F000, // SYS_EXIT_EXTENDED
    B_SELF,
  ];
  code.forEach((w, i) => (words[i] = w));
  words[0x400] = 0x000a6968; // "hi\n\0"
  words[0x401] = 0x5a; // 'Z'
  words[0x402] = 0x20026;
  words[0x403] = 0;
  words[0x404] = 7;
  words[0x405] = 0;
  const { m, out } = program(words);
  const stop = m.run(1000);
  assert.deepEqual(stop, { kind: 'exit', code: 7 });
  assert.equal(String.fromCharCode(...out), 'hi\nZ');
});

test('semihosting disabled: HLT #0xF000 is an undefined instruction', () => {
  const m = new Machine({ semihosting: false });
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setUint32(0, HLT_F000, true);
  m.load(bytes, 'p.bin', { loadAddress: 0x40080000n });
  m.run(1);
  assert.equal(m.cpus[0].sys.get('ESR_EL1') >> 26n, 0n, 'ESR.EC = 0 (unknown reason)');
});

test('device tree: placed at the start of RAM, x0 points at it, describes memory, PSCI and the PL011', () => {
  const { m } = program([B_SELF]);
  const r = m.registers();
  assert.equal(r.x[0], 0x40000000n);
  const head = m.readMemory(0x40000000n, 8).map((b) => b ?? 0);
  const size = (head[4] << 24) | (head[5] << 16) | (head[6] << 8) | head[7];
  const dtb = Uint8Array.from(m.readMemory(0x40000000n, size).map((b) => b ?? 0));
  const t = parseFdt(dtb);
  assert.deepEqual(t.root.getStrings('compatible'), ['linux,dummy-virt']);
  assert.deepEqual(t.find('/memory@40000000')?.getCells('reg'), [0, 0x40000000, 0, 512 * 1024 * 1024]);
  assert.equal(t.find('/psci')?.getString('method'), 'hvc');
  assert.deepEqual(t.find('/pl011@9000000')?.getStrings('compatible'), ['arm,pl011', 'arm,primecell']);
  assert.equal(t.find('/chosen')?.getString('stdout-path'), '/pl011@9000000');
  assert.equal(m.registers().el, 1);
});

test('a guest whose exception vector faults itself is reported and stopped, not spun forever', () => {
  const { m } = program([0x00000000]); // udf #0 with VBAR_EL1 = 0: vectors to 0x200, where nothing is mapped
  const errors: string[] = [];
  m.events.guestError = (e) => errors.push(e.message);
  const stop = m.run(1_000_000);
  assert.equal(stop.kind, 'guest-error');
  assert.match(stop.kind === 'guest-error' ? stop.message : '', /exception loop: the exception vector at 0x0_00000200 faults itself/);
  assert.ok(errors.some((e) => /instruction fetch from unmapped physical address 0x200/.test(e)), errors.join('\n'));
});

/** The DTB a machine would hand a kernel (as Machine.load places it). */
function machineDtb(m: Machine): ReturnType<typeof parseFdt> {
  m.load(Uint8Array.from([0x1f, 0x20, 0x03, 0xd5]), 'wfi.bin'); // a raw one-word kernel; the DTB goes to RAM
  const at = m.registers().x[0];
  const head = m.readMemory(at, 8).map((b) => b ?? 0);
  const size = (head[4] << 24) | (head[5] << 16) | (head[6] << 8) | head[7];
  return parseFdt(Uint8Array.from(m.readMemory(at, size).map((b) => b ?? 0)));
}

test('graviton: a byte-spaced 16550 and a PL031 from the spec, in the device tree and on the bus; virt has the PL031 too', () => {
  const g = new Machine({ machine: 'graviton', memory: 64 * 1024 * 1024 });
  const t = machineDtb(g);
  assert.deepEqual(t.find('/serial@9000000')?.getStrings('compatible'), ['ns16550a']);
  assert.deepEqual(t.find('/serial@9000000')?.getCells('reg-shift'), [0]);
  assert.deepEqual(t.find('/serial@9000000')?.getCells('reg-io-width'), [1]);
  assert.equal(t.find('/chosen')?.getString('stdout-path'), '/serial@9000000');
  assert.deepEqual(t.find('/rtc@9010000')?.getStrings('compatible'), ['arm,pl031', 'arm,primecell']);
  assert.equal(g.spec.cpuModel, 'neoverse-n1');
  // the 16550's scratch register through the bus, byte-spaced; the RTC counts from the fixed epoch
  g.bus.write(0x0900_0007, 1, 0x5a);
  assert.equal(g.bus.read(0x0900_0007, 1), 0x5a);
  assert.equal(g.bus.read(0x0901_0000, 4), 1_767_225_600);
  assert.ok(machineDtb(new Machine({ memory: 64 * 1024 * 1024 })).find('/pl031@9010000'));
});
