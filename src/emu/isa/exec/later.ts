// Executors for the later-feature rows of rows/later.ts. No model advertises FEAT_HBC or FEAT_SB, so the
// decode cache's feature gating makes these instructions UNDEFINED on every model today; a model that adds
// a feature (and sets its ID register field) gets the executor below.
//   BC.cond  architecturally B.cond (the "behaves consistently" hint only guides branch prediction): B.cond's
//            executor.
//   SB       a speculation barrier: this interpreter does not speculate, so it has no effect.
// WFET/WFIT (FEAT_WFxT), TSTART/TTEST/TCOMMIT/TCANCEL (FEAT_TME) and LD64B/ST64B/ST64BV/ST64BV0 (FEAT_LS64*)
// are not implemented: their executors are UNDEF, what a CPU without those features does.
import type { Fields } from '../pattern';
import { BRANCH_EXEC } from './branch';
import type { At, Exec } from './types';

const nothing: Exec = () => {};
const undef: Exec = (c) => c.undefined();
const notImplemented = (): Exec => undef;

export const LATER_EXEC = {
  BC_cond: (f: Fields, at: At): Exec => BRANCH_EXEC.B_cond(f, at),
  SB: (): Exec => nothing,
  WFET: notImplemented,
  WFIT: notImplemented,
  TSTART: notImplemented,
  TTEST: notImplemented,
  TCOMMIT: notImplemented,
  TCANCEL: notImplemented,
  LD64B: notImplemented,
  ST64B: notImplemented,
  ST64BV: notImplemented,
  ST64BV0: notImplemented,
};
