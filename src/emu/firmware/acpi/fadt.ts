// FADT (signature FACP), revision 6.3, hardware-reduced: no legacy PM blocks, no FACS; ARM_BOOT_ARCH says
// PSCI is implemented and whether its conduit is HVC; X_DSDT points at the DSDT.
import { TableWriter } from './writer';
import type { AcpiPlatform } from './platform';

export const FADT_HW_REDUCED_ACPI = 1 << 20;
export const ARM_PSCI_COMPLIANT = 1 << 0;
export const ARM_PSCI_USE_HVC = 1 << 1;

export function buildFadt(p: AcpiPlatform, dsdtAddress: number): Uint8Array {
  const w = new TableWriter().header('FACP', 6, p.oemId, p.oemTableId);
  w.u32(0); // FIRMWARE_CTRL: no FACS on a hardware-reduced platform
  w.u32(0); // DSDT: the 64-bit X_DSDT is used (our tables may sit above 4 GiB)
  w.u8(0); // reserved
  w.u8(4); // Preferred_PM_Profile: Enterprise Server
  w.zeros(109 - 46); // SCI_INT .. CENTURY: all zero when hardware-reduced
  w.u16(0); // IAPC_BOOT_ARCH
  w.u8(0); // reserved
  w.u32(FADT_HW_REDUCED_ACPI); // Flags
  w.zeros(12); // RESET_REG
  w.u8(0); // RESET_VALUE
  w.u16(ARM_PSCI_COMPLIANT | (p.psci === 'hvc' ? ARM_PSCI_USE_HVC : 0)); // ARM_BOOT_ARCH
  w.u8(3); // FADT Minor Version: ACPI 6.3 (revision >= 6: Linux 4.x then wants 80-byte GICCs, madt.ts)
  w.u64(0); // X_FIRMWARE_CTRL
  w.u64(dsdtAddress); // X_DSDT
  w.zeros(12 * 10); // X_PM1a_EVT_BLK .. SLEEP_STATUS_REG
  w.u64(0); // Hypervisor Vendor Identity
  return w.finish();
}
