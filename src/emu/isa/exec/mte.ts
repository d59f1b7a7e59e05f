// Executors for the Memory Tagging Extension rows (rows/mte.ts). Not implemented: the models do not
// advertise FEAT_MTE/FEAT_MTE2 (ID_AA64PFR1.MTE = 0 on every model in cpu/models.ts), so the decode cache's
// feature gating already installs UNDEF for these rows and these executors are never reached through it.
// They are explicit UNDEF executors all the same (the dispatch in handlers.ts needs one per row), so a
// caller that bypasses the gating still gets the architecturally right behaviour of a CPU without MTE.
import type { Exec } from './types';

const undef: Exec = (c) => c.undefined();
const notImplemented = (): Exec => undef;

export const MTE_EXEC = {
  IRG: notImplemented,
  GMI: notImplemented,
  SUBP: notImplemented,
  SUBPS: notImplemented,
  ADDG: notImplemented,
  SUBG: notImplemented,
  STZGM: notImplemented,
  STG_post: notImplemented,
  STG_off: notImplemented,
  STG_pre: notImplemented,
  LDG: notImplemented,
  STZG_post: notImplemented,
  STZG_off: notImplemented,
  STZG_pre: notImplemented,
  STGM: notImplemented,
  ST2G_post: notImplemented,
  ST2G_off: notImplemented,
  ST2G_pre: notImplemented,
  LDGM: notImplemented,
  STZ2G_post: notImplemented,
  STZ2G_off: notImplemented,
  STZ2G_pre: notImplemented,
  STGP_post: notImplemented,
  STGP_off: notImplemented,
  STGP_pre: notImplemented,
};
