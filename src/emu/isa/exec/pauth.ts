// Executors for the pointer authentication rows of rows/pauth.ts (PAC*, AUT*, XPAC*, PACGA, BRA*/BLRA*,
// RETA*, ERETA*, LDRAA/LDRAB). Not implemented: no model advertises FEAT_PAuth (ID_AA64ISAR1.APA/API/GPA/
// GPI = 0 in cpu/models.ts), so the decode cache's feature gating already installs UNDEF for these rows.
// They are explicit UNDEF executors all the same (the dispatch in handlers.ts needs one per row), so a
// caller that bypasses the gating still gets the behaviour of a CPU without PAuth.
import type { Exec } from './types';

const undef: Exec = (c) => c.undefined();
const notImplemented = (): Exec => undef;

export const PAUTH_EXEC = {
  PAC_reg: notImplemented,
  AUT_reg: notImplemented,
  XPAC: notImplemented,
  PACGA: notImplemented,
  BRA: notImplemented,
  RETA: notImplemented,
  ERETA: notImplemented,
  LDRA: notImplemented,
};
