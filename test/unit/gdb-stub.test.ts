// The GDB stub (src/gdb/stub.ts) driven in-process by packets, on the calls and spin fixture kernels
// (symbols from their ELF files): handshake and no-ack mode, the target description, registers, memory,
// breakpoints and watchpoints against what the Machine reports directly, stepping, the interrupt byte,
// threads, monitor commands, and malformed packets answered with errors. The end-to-end comparison with
// gdb-multiarch and QEMU's gdbstub is test/oracle/gdb.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Machine } from '../../src/emu';
import { GdbStub } from '../../src/gdb/stub';
import { framePacket, fromHex, toHex } from '../../src/gdb/packets';

function session(kernel: string) {
  const m = new Machine({});
  m.load(readFileSync(`test/fixtures/kernels/${kernel}.elf`), `${kernel}.elf`);
  let wire = '';
  const stub = new GdbStub(m, { send: (d) => (wire += d) });
  /** Sends one packet (framed, with a correct checksum) and returns the packets that came back. */
  const send = (data: string): string[] => {
    wire = '';
    stub.receive(framePacket(data));
    return replies();
  };
  const replies = (): string[] => {
    const out: string[] = [];
    const re = /\$([^#]*)#([0-9a-f]{2})/g;
    for (let x = re.exec(wire); x; x = re.exec(wire)) out.push(x[1]);
    wire = '';
    return out;
  };
  const last = (data: string): string => send(data).at(-1)!;
  /** Continues and runs slices until the stub reports a stop. */
  const cont = (packet = 'vCont;c'): string => {
    assert.deepEqual(send(packet), []);
    let out: string[] = [];
    for (let i = 0; i < 1000 && stub.running; i++) {
      stub.runSlice();
      out = out.concat(replies());
    }
    return out.at(-1)!;
  };
  const sym = (name: string): bigint => m.symbols.lookup(name)!.value;
  const pc = (): bigint => m.registers().pc;
  return { m, stub, send, last, cont, sym, pc, raw: () => wire };
}

const le64 = (v: bigint): string => {
  let s = '';
  for (let i = 0; i < 8; i++) s += Number((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
  return s;
};

test('gdb stub: handshake, no-ack mode, target description', () => {
  const s = session('calls');
  s.stub.receive('+');
  assert.match(s.last('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386'), /qXfer:features:read\+/);
  assert.equal(s.last('QStartNoAckMode'), 'OK');
  // no acks from now on, and checksums are not checked
  s.stub.receive('$?#00');
  assert.equal(s.raw().startsWith('+'), false);
  // target.xml in small pieces, as GDB reads it
  let xml = '';
  for (let off = 0; ; off += 0x100) {
    const r = s.last(`qXfer:features:read:target.xml:${off.toString(16)},100`);
    xml += r.slice(1).replace(/}(.)/g, (_, c: string) => String.fromCharCode(c.charCodeAt(0) ^ 0x20));
    if (r[0] === 'l') break;
    assert.equal(r[0], 'm');
  }
  for (const f of ['org.gnu.gdb.aarch64.core', 'org.gnu.gdb.aarch64.fpu', 'org.a64studio.sys']) assert.ok(xml.includes(`<feature name="${f}">`), f);
  for (const r of ['x0', 'x30', 'sp', 'pc', 'cpsr', 'v0', 'v31', 'fpsr', 'fpcr', 'SCTLR_EL1', 'TCR_EL1', 'TTBR0_EL1', 'TTBR1_EL1', 'MAIR_EL1', 'VBAR_EL1', 'ESR_EL1', 'FAR_EL1', 'ELR_EL1', 'SPSR_EL1', 'CurrentEL', 'DAIF']) {
    assert.match(xml, new RegExp(`<reg name="${r}" `), r);
  }
  assert.ok(!xml.includes('"RNDR"'), 'registers whose read has side effects are left out');
  assert.equal(s.last('qXfer:features:read:other.xml:0,100'), 'E00');
});

test('gdb stub: registers (g, p, P, G) match the machine', () => {
  const s = session('calls');
  const g = s.last('g');
  assert.equal(g.length, 31 * 16 + 16 + 16 + 8 + 32 * 32 + 8 + 8);
  assert.equal(g.slice(32 * 16, 33 * 16), le64(s.pc()), 'pc in g');
  assert.equal(s.last('p20'), le64(s.pc()));
  assert.equal(s.last('p1'), le64(s.m.registers().x[1]));
  assert.equal(s.last('P5=1122334455667788'), 'OK');
  assert.equal(s.m.registers().x[5], 0x8877665544332211n);
  assert.equal(s.last('P21=c5030060'), 'OK'); // cpsr: NZCV 0110, DAIF, EL1h
  assert.equal(s.m.registers().pstate, 0x600003c5);
  // system registers by p/P: VBAR_EL1's number from the description
  const xml = s.last('qXfer:features:read:target.xml:0,10000').slice(1);
  const vbar = Number(/<reg name="VBAR_EL1" bitsize="64" type="int" regnum="(\d+)"/.exec(xml)![1]);
  assert.equal(s.last(`P${vbar.toString(16)}=0008084000000000`), 'OK');
  assert.equal(s.m.sysreg(0, 'VBAR_EL1'), 0x40080800n);
  assert.equal(s.last(`p${vbar.toString(16)}`), '0008084000000000');
  // G writes back what g read (with x7 changed)
  const g2 = g.slice(0, 7 * 16) + le64(0xabcdn) + g.slice(8 * 16);
  assert.equal(s.last('G' + g2), 'OK');
  assert.equal(s.m.registers().x[7], 0xabcdn);
  assert.equal(s.last('p1000'), 'E00');
  assert.equal(s.last('P1=12'), 'E00', 'a value of the wrong size');
});

test('gdb stub: memory reads and writes (m, M, X)', () => {
  const s = session('calls');
  const c = s.sym('c');
  const bytes = s.m.readMemory(c, 16).map((b) => b!.toString(16).padStart(2, '0')).join('');
  assert.equal(s.last(`m${c.toString(16)},10`), bytes);
  const counter = s.sym('counter');
  assert.equal(s.last(`M${counter.toString(16)},4:2a000000`), 'OK');
  assert.equal(s.last(`m${counter.toString(16)},4`), '2a000000');
  // X: binary with an escaped '}' (0x7d) and '#' (0x23)
  assert.equal(s.last(`X${counter.toString(16)},4:}]}\x03\x01\x02`), 'OK');
  assert.deepEqual(s.m.readMemory(counter, 4), [0x7d, 0x23, 1, 2]);
  assert.equal(s.last('m0,4'), 'E0e', 'nothing mapped at 0');
  assert.equal(s.last('mzz,4'), 'E01');
  assert.equal(s.last(`M${counter.toString(16)},4:2a`), 'E01', 'short data');
});

test('gdb stub: software and hardware breakpoints stop at the function, without patching memory', () => {
  const s = session('calls');
  const c = s.sym('c');
  const before = s.last(`m${c.toString(16)},4`);
  assert.equal(s.last(`Z0,${c.toString(16)},4`), 'OK');
  assert.equal(s.last(`m${c.toString(16)},4`), before, 'memory unchanged');
  assert.equal(s.cont(), 'T05thread:1;');
  assert.equal(s.pc(), c);
  assert.equal(s.last('?'), 'T05thread:1;');
  // Z1 at the same place, then removing Z0 keeps the breakpoint
  assert.equal(s.last(`Z1,${c.toString(16)},4`), 'OK');
  assert.equal(s.last(`z0,${c.toString(16)},4`), 'OK');
  s.send('vCont;s:1'); // step off it
  assert.equal(s.cont('c'), 'T05thread:1;');
  assert.equal(s.pc(), c);
  assert.equal(s.last(`z1,${c.toString(16)},4`), 'OK');
  s.send('s');
  // no breakpoint left: the kernel runs to its power off
  assert.equal(s.cont(), 'W00');
  assert.equal(s.stub.exited, 0);
});

test('gdb stub: watchpoints report watch/rwatch/awatch with the data address, PC at the accessing instruction', () => {
  const s = session('calls');
  const counter = s.sym('counter');
  const c = s.sym('c');
  const a = counter.toString(16);
  assert.equal(s.last(`Z2,${a},4`), 'OK');
  // start.S zeroes .bss with STP: the first write to counter is there
  assert.equal(s.cont(), `T05thread:1;watch:${a};`);
  assert.ok(s.pc() < c, 'the .bss clearing loop in _start');
  assert.equal(s.last(`z2,${a},4`), 'OK');
  assert.equal(s.last(`Z3,${a},4`), 'OK');
  assert.equal(s.cont(), `T05thread:1;rwatch:${a};`);
  assert.equal(s.pc(), c + 0xcn, 'c+12: ldr w1, [x2, #816]');
  assert.equal(s.last(`z3,${a},4`), 'OK');
  // as GDB does: step over the accessing instruction with the watchpoint removed
  assert.equal(s.last('vCont;s:1'), 'T05thread:1;');
  assert.equal(s.last(`Z4,${a},4`), 'OK');
  // a step onto a watched access reports the watchpoint and does not execute it (as hardware)
  assert.equal(s.last('vCont;s:1'), 'T05thread:1;');
  assert.equal(s.last('vCont;s:1'), `T05thread:1;awatch:${a};`);
  assert.equal(s.pc(), c + 0x14n);
  s.send('vCont;s:1');
  assert.equal(s.pc(), c + 0x14n);
  assert.equal(s.last(`z4,${a},4`), 'OK');
  assert.equal(s.last('vCont;s:1'), 'T05thread:1;');
  assert.equal(s.last(`Z4,${a},4`), 'OK');
  // the next access is the load in the second call of c
  assert.equal(s.cont(), `T05thread:1;awatch:${a};`);
  assert.equal(s.pc(), c + 0xcn);
  assert.match(s.send('qRcmd,' + toHex('info watchpoints')).map((p) => (p[0] === 'O' && p !== 'OK' ? fromHex(p.slice(1)) : p)).join(''), /access 0x[0-9a-f]+ length 4\nOK$/);
});

test('gdb stub: vCont stepping, threads, and the interrupt byte', () => {
  const s = session('spin');
  const pc0 = s.pc();
  assert.equal(s.last('vCont?'), 'vCont;c;C;s;S');
  assert.equal(s.last('vCont;s:1;c'), 'T05thread:1;');
  assert.equal(s.pc(), pc0 + 4n);
  assert.equal(s.last('qfThreadInfo'), 'm1');
  assert.equal(s.last('qsThreadInfo'), 'l');
  assert.equal(s.last('qC'), 'QC1');
  assert.equal(s.last('T1'), 'OK');
  assert.equal(s.last('T2'), 'E00');
  assert.equal(s.last('Hg1'), 'OK');
  assert.equal(s.last('Hg2'), 'E00');
  assert.equal(s.last('Hc-1'), 'OK');
  assert.equal(fromHex(s.last('qThreadExtraInfo,1')), 'CPU#0 EL1');
  assert.equal(s.last('qAttached'), '1');
  assert.equal(s.last('qOffsets'), 'Text=0;Data=0;Bss=0');
  // spin never ends: continue, run a few slices, interrupt
  assert.deepEqual(s.send('c'), []);
  for (let i = 0; i < 3; i++) assert.equal(s.stub.runSlice(), 'running');
  s.stub.receive('\x03');
  assert.equal(s.stub.runSlice(), 'stopped');
  assert.equal(s.last('?'), 'T02thread:1;');
  assert.ok(s.m.icount > 3 * 100_000);
});

test('gdb stub: monitor commands and unsupported or malformed packets', () => {
  const s = session('calls');
  const mon = (cmd: string): string => {
    const r = s.send('qRcmd,' + toHex(cmd));
    assert.equal(r.at(-1), 'OK');
    return r.slice(0, -1).map((p) => fromHex(p.slice(1))).join('');
  };
  assert.match(mon('help'), /monitor info registers.*\n(.*\n)*monitor sysreg NAME \[VALUE\]/);
  assert.match(mon('info registers'), /^x0 +0x0000000040000000/m);
  assert.match(mon('info registers'), /^SCTLR_EL1 +0x0000000030d00800$/m);
  assert.equal(mon('sysreg sctlr_el1'), 'SCTLR_EL1 = 0x0000000030d00800\n');
  assert.equal(mon('sysreg TPIDR_EL1 0x1234'), 'TPIDR_EL1 = 0x0000000000001234\n');
  assert.match(mon('sysreg NOPE_EL1'), /no system register 'NOPE_EL1'/);
  assert.match(mon('sysreg TPIDR_EL1 banana'), /not a 64-bit number/);
  assert.match(mon('info cpus'), /^\* CPU #0 \(thread 1\): pc=0x0000000040080000 ---- DAIF EL1h$/m);
  assert.match(mon('frobnicate'), /unknown monitor command 'frobnicate'/);
  assert.equal(s.last('vMustReplyEmpty'), '');
  assert.equal(s.last('qTStatus'), '');
  assert.equal(s.last('Z9,0,4'), 'E01');
  assert.equal(s.last('Z2,40080000,0'), 'E01');
  assert.equal(s.last('qRcmd,zz'), 'E01');
});
