// The host bridge function at 00:00.0 that QEMU's GPEX shows (Red Hat 1b36:0008, class 06:00:00 "host
// bridge", no BARs, no capabilities), so that enumeration sees the same bus as under QEMU.
import { ConfigSpace } from './config';
import type { PciFunction } from './function';

export class HostBridgeFunction implements PciFunction {
  readonly name = 'pcie-host-bridge';
  readonly config = new ConfigSpace({
    vendor: 0x1b36, device: 0x0008, classCode: 0x060000, revision: 0,
    subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 0,
  });

  bar(): undefined {
    return undefined;
  }

  reset(): void {
    this.config.reset();
  }
}
