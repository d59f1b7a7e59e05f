// The A64 encoding table: every instruction the emulator knows, one row per encoding (see rowTypes.ts).
// The decoder, the executor dispatch (handlers.ts, where a row without a handler is a compile error), the
// disassembler, the random-encoding tests and the grammar's mnemonic list are all derived from it. Rows
// live in rows/, one file per instruction class.
import { ATOMIC_ROWS } from './rows/atomics';
import { CSSC_ROWS } from './rows/cssc';
import { BRANCH_ROWS } from './rows/branch';
import { DP_IMM_ROWS } from './rows/dpImm';
import { DP_REG_ROWS } from './rows/dpReg';
import { FP_ROWS } from './rows/fp';
import { FP_LOAD_STORE_ROWS } from './rows/fpLoadStore';
import { SIMD_LOAD_STORE_ROWS } from './rows/simdLoadStore';
import { FP_SIMD_SCALAR_ROWS } from './rows/fpSimdScalar';
import { FP_VECTOR_ROWS } from './rows/fpVector';
import { FP_VECTOR_MISC_ROWS } from './rows/fpVectorMisc';
import { FP_VECTOR_ELEM_ROWS } from './rows/fpVectorElem';
import { LATER_ROWS } from './rows/later';
import { LOAD_STORE_ROWS } from './rows/loadStore';
import { MOPS_ROWS } from './rows/mops';
import { MTE_ROWS } from './rows/mte';
import { PAUTH_ROWS } from './rows/pauth';
import { SIMD_LONG_ROWS } from './rows/simdLong';
import { SIMD_MISC_ROWS } from './rows/simdMisc';
import { SIMD_PERMUTE_ROWS } from './rows/simdPermute';
import { SIMD_SHIFT_ROWS } from './rows/simdShift';
import { SIMD_THREE_SAME_ROWS } from './rows/simdThreeSame';
import { SYSTEM_ROWS } from './rows/system';

export const TABLE = [
  ...DP_IMM_ROWS,
  ...DP_REG_ROWS,
  ...BRANCH_ROWS,
  ...LOAD_STORE_ROWS,
  ...ATOMIC_ROWS,
  ...SYSTEM_ROWS,
  ...MTE_ROWS,
  ...LATER_ROWS,
  ...PAUTH_ROWS,
  ...CSSC_ROWS,
  ...MOPS_ROWS,
  ...SIMD_THREE_SAME_ROWS,
  ...SIMD_PERMUTE_ROWS,
  ...SIMD_MISC_ROWS,
  ...SIMD_SHIFT_ROWS,
  ...SIMD_LONG_ROWS,
  ...FP_ROWS,
  ...FP_LOAD_STORE_ROWS,
  ...SIMD_LOAD_STORE_ROWS,
  ...FP_SIMD_SCALAR_ROWS,
  ...FP_VECTOR_ROWS,
  ...FP_VECTOR_MISC_ROWS,
  ...FP_VECTOR_ELEM_ROWS,
] as const;

export type RowId = (typeof TABLE)[number]['id'];
