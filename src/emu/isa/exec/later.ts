// Executors for the later-feature rows of rows/later.ts. No model advertises FEAT_HBC or FEAT_SB, so the
// decode cache's feature gating makes these instructions UNDEFINED on every model today; a model that adds
// a feature (and sets its ID register field) gets the executor below.
//   BC.cond  architecturally B.cond (the "behaves consistently" hint only guides branch prediction): B.cond's
//            executor.
//   SB       a speculation barrier: this interpreter does not speculate, so it has no effect.
import type { Fields } from '../pattern';
import { BRANCH_EXEC } from './branch';
import type { At, Exec } from './types';

const nothing: Exec = () => {};

export const LATER_EXEC = {
  BC_cond: (f: Fields, at: At): Exec => BRANCH_EXEC.B_cond(f, at),
  SB: (): Exec => nothing,
};
