// Names of system registers as GNU objdump prints them in MRS/MSR (lower case), from the table generated
// from objdump (sysregNameTable.ts), falling back to the generic s<op0>_<op1>_c<CRn>_c<CRm>_<op2> form for
// encodings objdump does not name. A few registers are named differently for reads and writes (the debug
// comms channel: DBGDTRRX_EL0 reads, DBGDTRTX_EL0 writes).
import { sysregKey } from '../cpu/sysregs';
import { SYSREG_NAMES, SYSREG_WRITE_NAMES } from './sysregNameTable';

function parse(table: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of table.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) m.set(parseInt(line.slice(0, sp), 16), line.slice(sp + 1));
  }
  return m;
}

const NAMES = parse(SYSREG_NAMES);
const WRITE_NAMES = parse(SYSREG_WRITE_NAMES);

/** `write`: the name as MSR prints it (MRS otherwise). */
export function sysregName(op0: number, op1: number, crn: number, crm: number, op2: number, write = false): string {
  const k = sysregKey(op0, op1, crn, crm, op2);
  return (write ? WRITE_NAMES.get(k) : undefined) ?? NAMES.get(k) ?? `s${op0}_${op1}_c${crn}_c${crm}_${op2}`;
}
