// Names of system registers as GNU objdump prints them in MRS/MSR (lower case), falling back to the
// generic s<op0>_<op1>_c<CRn>_c<CRm>_<op2> form for encodings we do not name.
import { SYSREGS, sysregKey } from '../cpu/sysregs';

const NAMES = new Map<number, string>(SYSREGS.map((d) => [sysregKey(d.op0, d.op1, d.crn, d.crm, d.op2), d.name.toLowerCase()]));

export function sysregName(op0: number, op1: number, crn: number, crm: number, op2: number): string {
  return NAMES.get(sysregKey(op0, op1, crn, crm, op2)) ?? `s${op0}_${op1}_c${crn}_c${crm}_${op2}`;
}
