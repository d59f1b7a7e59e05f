// Misbehaving guests must not crash the emulator: seeded random configuration writes, register writes,
// doorbells and notifications over random queue memory (garbage commands, PRPs, descriptor chains) for the
// NVMe controller and virtio-blk through the real machine wiring (PciWiring over a Bus). Every access must
// return normally; problems become guest errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bus } from '../../src/emu/memory/bus';
import { StateMemory } from '../../src/emu/memory/stateMemory';
import { PciWiring } from '../../src/emu/machine/pciWiring';
import { virtPcie, VIRT_PCIE } from '../../src/emu/machine/pcie';
import { rng } from '../helpers/rng';

const RAM = 0x4000_0000;
const RAM_SIZE = 1 << 20;

function machine(seed: number) {
  const mem = new StateMemory(RAM_SIZE + (1 << 20));
  const bus = new Bus(mem);
  bus.addRam('ram', RAM, RAM_SIZE);
  const errors: string[] = [];
  const image = new Uint8Array(64 * 512).map((_, i) => i & 0xff);
  const w = new PciWiring(virtPcie([{ image: image.slice() }, { image: image.slice(), interface: 'virtio' }]), {
    bus, noteWrite: () => {}, guestError: (m) => errors.push(m), guestWarning: (m) => errors.push(m),
  });
  w.assignBars();
  const r = rng(seed);
  // random RAM: queues and descriptors the devices will read are garbage
  for (let i = 0; i < RAM_SIZE; i += 4) bus.write(RAM + i, 4, r());
  return { bus, w, errors, r };
}

test('random guest behaviour against NVMe and virtio-blk never throws (3 seeds x 3000 accesses)', () => {
  for (const seed of [1, 2, 3]) {
    const { bus, w, errors, r } = machine(seed);
    const ecam = VIRT_PCIE.ECAM.base;
    const bars = w.host.activeWindows();
    assert.equal(bars.length, 3, 'NVMe BAR0, virtio BAR1 and BAR4');
    const ramAddr = (): number => RAM + (r() % (RAM_SIZE >>> 12)) * 4096;
    for (let i = 0; i < 3000; i++) {
      const kind = r() % 8;
      const size = ([1, 2, 4] as const)[r() % 3];
      try {
        if (kind === 0) { // config space (rarely: it can switch the BARs off)
          if (r() % 8 === 0) bus.write(ecam + ((1 + (r() % 2)) << 15) + (r() % 0x100), size, r());
        }
        else if (kind === 1) { // NVMe registers: sometimes a sane enable with queues in RAM
          const b = bars[0]!.base;
          bus.write(b + 0x24, 4, ((r() % 16) << 16) | (r() % 16));
          bus.write(b + 0x28, 4, ramAddr());
          bus.write(b + 0x30, 4, ramAddr());
          bus.write(b + 0x14, 4, r() & 1 ? (1 | (6 << 16) | (4 << 20)) : r());
        } else if (kind === 2) bus.write(bars[0]!.base + 0x1000 + 4 * (r() % 6), 4, r() % 16); // doorbells
        else if (kind === 3) bus.write(bars[0]!.base + (r() % 0x4000 & ~(size - 1)), size, r());
        else if (kind === 4) { // virtio common configuration with plausible values
          const b = bars.find((x) => x.end - x.base === 0x4000 && x.base !== bars[0]!.base)!.base;
          bus.write(b + 0x14, 1, [0, 3, 0xb, 0xf][r() % 4]!);
          bus.write(b + 0x08, 4, 1);
          bus.write(b + 0x0c, 4, 1);
          bus.write(b + 0x20, 4, ramAddr());
          bus.write(b + 0x28, 4, ramAddr());
          bus.write(b + 0x30, 4, ramAddr());
          bus.write(b + 0x1c, 2, 1);
        } else if (kind === 5) { // virtio notify
          const b = bars.find((x) => x.end - x.base === 0x4000 && x.base !== bars[0]!.base)!.base;
          bus.write(b + 0x3000, 2, r() % 2);
        } else if (kind === 6) bus.write(bars[1]!.base + (r() % 0x1000 & ~3), 4, r());
        else bus.read(bars[r() % bars.length]!.base + (r() % 0x4000 & ~(size - 1)), size);
      } catch (e) {
        if ((e as { constructor?: { name?: string } }).constructor?.name === 'BusError') continue; // a BAR moved away: the CPU would take an abort
        throw e;
      }
    }
    assert.ok(errors.length > 0, "garbage is reported");
  }
});
