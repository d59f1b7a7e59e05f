// Executors for the FEAT_CSSC rows of rows/cssc.ts (ABS, CNT, CTZ, SMAX/SMIN/UMAX/UMIN). Not implemented
// yet: no model advertises FEAT_CSSC (ID_AA64ISAR2.CSSC = 0), so the decode cache's feature gating installs
// UNDEF for them and these UNDEF executors are what a caller bypassing the gating gets.
import type { Exec } from './types';

const undef: Exec = (c) => c.undefined();
const notImplemented = (): Exec => undef;

export const CSSC_EXEC = {
  CTZ: notImplemented,
  CNT: notImplemented,
  ABS: notImplemented,
  SMAX_reg: notImplemented,
  UMAX_reg: notImplemented,
  SMIN_reg: notImplemented,
  UMIN_reg: notImplemented,
  SMAX_imm: notImplemented,
  UMAX_imm: notImplemented,
  SMIN_imm: notImplemented,
  UMIN_imm: notImplemented,
};
