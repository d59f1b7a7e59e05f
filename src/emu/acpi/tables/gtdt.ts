// GTDT (ACPI 6.5 section 5.2.25): the generic timer's interrupts (GSIVs of the secure and non-secure EL1
// physical, EL1 virtual and EL2 physical timers, and with revision 3 the EL2 virtual timer) with their
// trigger/polarity/always-on flags; platform timers (GT blocks, SBSA watchdogs) decode as header + hex.
import type { FieldDef, FlagDef, TableReader } from '../reader';
import type { AcpiStruct } from '../types';
import { decodeSubtables } from './madt';

export const TIMER_FLAGS: readonly FlagDef[] = [
  { bit: 0, name: 'Trigger Mode', names: { 0: 'Level', 1: 'Edge' } },
  { bit: 1, name: 'Polarity', names: { 0: 'Active High', 1: 'Active Low' } },
  { bit: 2, name: 'Always On' },
];

const FIELDS: readonly FieldDef[] = [
  { name: 'Counter Block Address', kind: 'u64' },
  { name: 'Reserved', kind: 'u32' },
  { name: 'Secure EL1 Timer GSIV', kind: 'u32', decimal: false },
  { name: 'Secure EL1 Timer Flags', kind: 'u32', flags: TIMER_FLAGS },
  { name: 'Non-Secure EL1 Timer GSIV', kind: 'u32' },
  { name: 'Non-Secure EL1 Timer Flags', kind: 'u32', flags: TIMER_FLAGS },
  { name: 'Virtual EL1 Timer GSIV', kind: 'u32' },
  { name: 'Virtual EL1 Timer Flags', kind: 'u32', flags: TIMER_FLAGS },
  { name: 'EL2 Timer GSIV', kind: 'u32' },
  { name: 'EL2 Timer Flags', kind: 'u32', flags: TIMER_FLAGS },
  { name: 'Counter Read Block Address', kind: 'u64' },
  { name: 'Platform Timer Count', kind: 'u32' },
  { name: 'Platform Timer Offset', kind: 'u32' },
];
const REV3: readonly FieldDef[] = [
  { name: 'Virtual EL2 Timer GSIV', kind: 'u32' },
  { name: 'Virtual EL2 Timer Flags', kind: 'u32', flags: TIMER_FLAGS },
];

export function decodeGtdt(r: TableReader, root: AcpiStruct, len: number): void {
  let o = r.fields(36, FIELDS, root.fields);
  if (r.u8(8) >= 3) o = r.fields(o, REV3, root.fields);
  const count = r.u32(88);
  const at = r.u32(92);
  if (count === 0) return;
  if (at < o || at > len) {
    r.warnings.push(`${r.where}: Platform Timer Offset ${at} is outside the table`);
    return;
  }
  decodeSubtables(r, root, at, len, 2, (type, off, l) => {
    const st: AcpiStruct = { name: type === 0 ? 'GT Block' : type === 1 ? 'Arm Generic Watchdog' : `Platform Timer type ${type}`, offset: off, length: l, fields: [], children: [] };
    r.fields(off, [{ name: 'Type', kind: 'u8' }, { name: 'Length', kind: 'u16' }], st.fields);
    if (l > 3) st.fields.push(r.field(off + 3, { name: 'Data', kind: { bytes: l - 3 } }));
    return st;
  });
}
