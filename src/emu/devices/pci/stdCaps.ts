// Standard capabilities that PCIe endpoints carry and that our devices declare for the guest to find,
// with the values QEMU 7.2 gives them: Power Management (version 1.2, No_Soft_Reset, PowerState writable)
// and the PCI Express capability of an endpoint (version 2, Role-Based Error Reporting, x1 at 2.5 GT/s).
// Neither has an effect here: power states and link settings are stored only.
import type { ConfigSpace } from './config';

export function addPowerManagementCap(cfg: ConfigSpace, offset: number): void {
  cfg.addCapability(offset, 0x01, 8);
  cfg.set16(offset + 2, 0x0003); // PMC: version 1.2
  cfg.set16(offset + 4, 0x0008); // PMCSR: No_Soft_Reset, D0
  cfg.writable(offset + 4, 2, 0x0003);
  cfg.snapshotReset();
}

export function addPciExpressEndpointCap(cfg: ConfigSpace, offset: number): void {
  cfg.addCapability(offset, 0x10, 0x3c);
  cfg.set16(offset + 2, 0x0002); // PCIe Capabilities: version 2, device/port type 0 (endpoint)
  cfg.set32(offset + 4, 1 << 15); // Device Capabilities: Role-Based Error Reporting
  cfg.writable(offset + 8, 2, 0x7fff); // Device Control
  cfg.set16(offset + 8, 0x2810 & 0x7fff); // Device Control: relaxed ordering, no snoop, MPS 128, MRRS 512
  cfg.set32(offset + 0x0c, 0x0000_0011); // Link Capabilities: 2.5 GT/s, x1
  cfg.set16(offset + 0x12, 0x0011); // Link Status: 2.5 GT/s, x1
  cfg.snapshotReset();
}
