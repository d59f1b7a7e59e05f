// The SYS (op0 = 1) operations by encoding: the alias GNU objdump prints for each named op1:CRn:CRm:op2
// (dc, ic, at, tlbi, cfp/dvp/cpp; from the generated sysOpNameTable.ts), whether it takes a register, and
// the architectural facts the executor needs: which group it belongs to, the architecture feature that
// adds it, and the lowest EL and EL2 requirement. The executor (exec/system.ts) decides per CPU model.
import { SYS_OP_NAMES } from './sysOpNameTable';

export interface SysOp {
  /** dc, ic, at, tlbi, cfp, dvp or cpp. */
  readonly group: string;
  /** The operation as objdump spells it: 'civac', 'vmalle1is', 's1e1r'... */
  readonly op: string;
  /** Takes Xt (objdump prints it; for the others Rt is ignored). */
  readonly reg: boolean;
  /**
   * The feature that adds it (undefined: ARMv8.0), or 'none' for operations of features this emulator does
   * not implement on any model (MTE, RME, SPECRES, EL3-only operations): those UNDEF.
   */
  readonly feature?: string;
  /** Needs EL2 to be implemented and the CPU to be at EL2 (EL2 operations and stage-2/all-EL1 ones). */
  readonly el2: boolean;
}

/** 14-bit op1:CRn:CRm:op2 key. */
export function sysOpKey(op1: number, crn: number, crm: number, op2: number): number {
  return (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

function featureOf(group: string, op: string): string | undefined {
  switch (group) {
    case 'ic':
      return undefined;
    case 'dc':
      if (['ivac', 'isw', 'csw', 'cisw', 'zva', 'cvac', 'cvau', 'civac'].includes(op)) return undefined;
      if (op === 'cvap') return 'FEAT_DPB';
      if (op === 'cvadp') return 'FEAT_DPB2';
      return 'none'; // MTE tag operations (g*), RME (cipapa, cigdpapa)
    case 'at':
      if (op.startsWith('s1e3')) return 'none';
      if (op === 's1e1rp' || op === 's1e1wp') return 'FEAT_PAN2';
      return undefined;
    case 'tlbi':
      if (op.includes('e3') || op.startsWith('pa') || op.startsWith('rpa')) return 'none'; // EL3, RME
      if (op.startsWith('r')) return 'FEAT_TLBIRANGE';
      if (op.endsWith('os')) return 'FEAT_TLBIOS';
      return undefined;
    default:
      return 'none'; // cfp/dvp/cpp rctx: FEAT_SPECRES
  }
}

function needsEl2(group: string, op: string): boolean {
  if (group === 'at') return op.startsWith('s1e2') || op.startsWith('s12');
  if (group === 'tlbi') return op.includes('e2') || op.includes('ipas2') || op.startsWith('alle1') || op.startsWith('vmalls12');
  return false;
}

const OPS = new Map<number, SysOp>();
for (const line of SYS_OP_NAMES.split('\n')) {
  const [key, group, op, r] = line.split(' ');
  if (!op) continue;
  OPS.set(parseInt(key, 16), { group, op, reg: r === 'r', feature: featureOf(group, op), el2: needsEl2(group, op) });
}

/** The named operation of a SYS encoding, or undefined (objdump prints it as 'sys'). */
export function sysOp(op1: number, crn: number, crm: number, op2: number): SysOp | undefined {
  return OPS.get(sysOpKey(op1, crn, crm, op2));
}
