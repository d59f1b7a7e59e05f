// Encoding table rows: loads and stores — unsigned offset, pre/post-index, unscaled (LDUR/STUR), register
// offset, literal, and register pairs (LDP/STP/LDPSW).
import type { RowDef } from '../rowTypes';

export const LOAD_STORE_ROWS = [] as const satisfies readonly RowDef[];
