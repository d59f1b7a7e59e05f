// FADT, signature FACP (ACPI 6.5 section 5.2.9). On Arm only the hardware-reduced form matters: Flags bit
// 20 HW_REDUCED_ACPI, ARM_BOOT_ARCH (PSCI_COMPLIANT, PSCI_USE_HVC) and X_DSDT; the legacy PM blocks are
// decoded but expected to be zero. Older, shorter FADTs decode as far as their length goes.
import { fieldsLength, type FieldDef, type FlagDef, type TableReader } from '../reader';
import type { AcpiStruct } from '../types';

const FLAGS: readonly FlagDef[] = [
  'WBINVD', 'WBINVD_FLUSH', 'PROC_C1', 'P_LVL2_UP', 'PWR_BUTTON', 'SLP_BUTTON', 'FIX_RTC', 'RTC_S4',
  'TMR_VAL_EXT', 'DCK_CAP', 'RESET_REG_SUP', 'SEALED_CASE', 'HEADLESS', 'CPU_SW_SLP', 'PCI_EXP_WAK',
  'USE_PLATFORM_CLOCK', 'S4_RTC_STS_VALID', 'REMOTE_POWER_ON_CAPABLE', 'FORCE_APIC_CLUSTER_MODEL',
  'FORCE_APIC_PHYSICAL_DESTINATION_MODE', 'HW_REDUCED_ACPI', 'LOW_POWER_S0_IDLE_CAPABLE',
  'PERSISTENT_CPU_CACHES',
].map((name, bit) => (bit === 22 ? { name, bit, width: 2 } : { name, bit }));

export const ARM_BOOT_ARCH_FLAGS: readonly FlagDef[] = [
  { bit: 0, name: 'PSCI_COMPLIANT' },
  { bit: 1, name: 'PSCI_USE_HVC' },
];

const u8 = (name: string): FieldDef => ({ name, kind: 'u8' });
const u16 = (name: string): FieldDef => ({ name, kind: 'u16' });
const u32 = (name: string): FieldDef => ({ name, kind: 'u32' });

export const FADT_FIELDS: readonly FieldDef[] = [
  u32('FIRMWARE_CTRL'), u32('DSDT'), { name: 'Reserved (INT_MODEL)', kind: 'u8' },
  { name: 'Preferred_PM_Profile', kind: 'u8', names: { 0: 'Unspecified', 1: 'Desktop', 2: 'Mobile', 3: 'Workstation', 4: 'Enterprise Server', 5: 'SOHO Server', 6: 'Appliance PC', 7: 'Performance Server', 8: 'Tablet' } },
  u16('SCI_INT'), u32('SMI_CMD'), u8('ACPI_ENABLE'), u8('ACPI_DISABLE'), u8('S4BIOS_REQ'), u8('PSTATE_CNT'),
  u32('PM1a_EVT_BLK'), u32('PM1b_EVT_BLK'), u32('PM1a_CNT_BLK'), u32('PM1b_CNT_BLK'), u32('PM2_CNT_BLK'),
  u32('PM_TMR_BLK'), u32('GPE0_BLK'), u32('GPE1_BLK'), u8('PM1_EVT_LEN'), u8('PM1_CNT_LEN'), u8('PM2_CNT_LEN'),
  u8('PM_TMR_LEN'), u8('GPE0_BLK_LEN'), u8('GPE1_BLK_LEN'), u8('GPE1_BASE'), u8('CST_CNT'), u16('P_LVL2_LAT'),
  u16('P_LVL3_LAT'), u16('FLUSH_SIZE'), u16('FLUSH_STRIDE'), u8('DUTY_OFFSET'), u8('DUTY_WIDTH'), u8('DAY_ALRM'),
  u8('MON_ALRM'), u8('CENTURY'), u16('IAPC_BOOT_ARCH'), { name: 'Reserved', kind: 'u8', reserved: true },
  { name: 'Flags', kind: 'u32', flags: FLAGS },
  { name: 'RESET_REG', kind: 'gas' }, u8('RESET_VALUE'),
  { name: 'ARM_BOOT_ARCH', kind: 'u16', flags: ARM_BOOT_ARCH_FLAGS }, u8('FADT Minor Version'),
  { name: 'X_FIRMWARE_CTRL', kind: 'u64' }, { name: 'X_DSDT', kind: 'u64' },
  { name: 'X_PM1a_EVT_BLK', kind: 'gas' }, { name: 'X_PM1b_EVT_BLK', kind: 'gas' },
  { name: 'X_PM1a_CNT_BLK', kind: 'gas' }, { name: 'X_PM1b_CNT_BLK', kind: 'gas' },
  { name: 'X_PM2_CNT_BLK', kind: 'gas' }, { name: 'X_PM_TMR_BLK', kind: 'gas' },
  { name: 'X_GPE0_BLK', kind: 'gas' }, { name: 'X_GPE1_BLK', kind: 'gas' },
  { name: 'SLEEP_CONTROL_REG', kind: 'gas' }, { name: 'SLEEP_STATUS_REG', kind: 'gas' },
  { name: 'Hypervisor Vendor Identity', kind: 'u64' },
];

export function decodeFadt(r: TableReader, root: AcpiStruct, len: number): void {
  let o = 36;
  for (const d of FADT_FIELDS) {
    const f = fieldsLength([d]);
    if (o + f > len) break; // an older, shorter FADT ends here
    root.fields.push(r.field(o, d));
    o += f;
  }
  if (len >= 116) {
    const flags = r.u32(112);
    if (!(flags & (1 << 20))) r.warnings.push(`${r.where}: HW_REDUCED_ACPI (Flags bit 20) is clear: Arm systems are hardware-reduced`);
  }
}
