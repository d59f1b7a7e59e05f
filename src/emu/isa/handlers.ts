// The execute dispatch: one Handler per row of the encoding table. The type below makes a row without a
// handler (or a handler without a row) a compile error.
import type { RowId } from './table';
import type { Handler } from './exec/types';
import { ATOMIC_EXEC } from './exec/atomics';
import { BRANCH_EXEC } from './exec/branch';
import { CSSC_EXEC } from './exec/cssc';
import { DP_IMM_EXEC } from './exec/dpImm';
import { DP_REG_EXEC } from './exec/dpReg';
import { FP_SCALAR_EXEC } from './exec/fpScalar';
import { FP_LOAD_STORE_EXEC } from './exec/fpLoadStore';
import { SIMD_LOAD_STORE_EXEC } from './exec/simdLoadStore';
import { FP_SIMD_SCALAR_EXEC } from './exec/fpSimdScalar';
import { FP_VECTOR_EXEC } from './exec/fpVector';
import { FP_VECTOR_MISC_EXEC } from './exec/fpVectorMisc';
import { FP_VECTOR_ELEM_EXEC } from './exec/fpVectorElem';
import { LATER_EXEC } from './exec/later';
import { LOAD_STORE_EXEC } from './exec/loadStore';
import { MOPS_EXEC } from './exec/mops';
import { MTE_EXEC } from './exec/mte';
import { PAUTH_EXEC } from './exec/pauth';
import { SYSTEM_EXEC } from './exec/system';
import { SIMD_LONG_EXEC } from './exec/simd/long';
import { SIMD_MISC_EXEC } from './exec/simd/misc';
import { SIMD_PERMUTE_EXEC } from './exec/simd/permute';
import { SIMD_SHIFT_EXEC } from './exec/simd/shift';
import { SIMD_THREE_SAME_EXEC } from './exec/simd/threeSame';

type Exact<T, K extends PropertyKey> = T & Record<Exclude<keyof T, K>, never>;

const ALL = {
  ...DP_IMM_EXEC,
  ...DP_REG_EXEC,
  ...BRANCH_EXEC,
  ...LOAD_STORE_EXEC,
  ...ATOMIC_EXEC,
  ...SYSTEM_EXEC,
  ...MTE_EXEC,
  ...LATER_EXEC,
  ...PAUTH_EXEC,
  ...CSSC_EXEC,
  ...MOPS_EXEC,
  ...SIMD_THREE_SAME_EXEC,
  ...SIMD_PERMUTE_EXEC,
  ...SIMD_MISC_EXEC,
  ...SIMD_SHIFT_EXEC,
  ...SIMD_LONG_EXEC,
  ...FP_SCALAR_EXEC,
  ...FP_LOAD_STORE_EXEC,
  ...SIMD_LOAD_STORE_EXEC,
  ...FP_SIMD_SCALAR_EXEC,
  ...FP_VECTOR_EXEC,
  ...FP_VECTOR_MISC_EXEC,
  ...FP_VECTOR_ELEM_EXEC,
};

export const HANDLERS: { readonly [K in RowId]: Handler } = ALL satisfies Exact<typeof ALL, RowId>;
