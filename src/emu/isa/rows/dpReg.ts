// Encoding table rows: data processing (register) — shifted and extended add/subtract, logical (shifted
// register), add/subtract with carry, conditional compare and select, one- and two-source operations,
// multiply-add and long multiplies.
import type { RowDef } from '../rowTypes';

export const DP_REG_ROWS = [] as const satisfies readonly RowDef[];
