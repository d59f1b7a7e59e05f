// Executors for the memory copy/set rows of rows/mops.ts (CPYF*, CPY*, SET*, SETG*). Not implemented: no
// model advertises FEAT_MOPS (ID_AA64ISAR2.MOPS = 0 in cpu/models.ts), so the decode cache's feature gating
// already installs UNDEF for them; these explicit UNDEF executors keep a caller that bypasses the gating
// architecturally right for a CPU without FEAT_MOPS.
import type { Exec } from './types';

const undef: Exec = (c) => c.undefined();
const notImplemented = (): Exec => undef;

export const MOPS_EXEC = {
  CPYFP: notImplemented,
  CPYFM: notImplemented,
  CPYFE: notImplemented,
  CPYP: notImplemented,
  CPYM: notImplemented,
  CPYE: notImplemented,
  SETP: notImplemented,
  SETM: notImplemented,
  SETE: notImplemented,
  SETGP: notImplemented,
  SETGM: notImplemented,
  SETGE: notImplemented,
};
