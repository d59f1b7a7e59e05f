// The execute dispatch: one Handler per row of the encoding table. The type below makes a row without a
// handler (or a handler without a row) a compile error.
import type { RowId } from './table';
import type { Handler } from './exec/types';
import { ATOMIC_EXEC } from './exec/atomics';
import { BRANCH_EXEC } from './exec/branch';
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
import { MTE_EXEC } from './exec/mte';
import { SYSTEM_EXEC } from './exec/system';

type Exact<T, K extends PropertyKey> = T & Record<Exclude<keyof T, K>, never>;

const ALL = { ...DP_IMM_EXEC, ...DP_REG_EXEC, ...BRANCH_EXEC, ...LOAD_STORE_EXEC, ...ATOMIC_EXEC, ...SYSTEM_EXEC,
  ...MTE_EXEC, ...LATER_EXEC, ...FP_SCALAR_EXEC, ...FP_LOAD_STORE_EXEC, ...SIMD_LOAD_STORE_EXEC,
  ...FP_SIMD_SCALAR_EXEC, ...FP_VECTOR_EXEC, ...FP_VECTOR_MISC_EXEC,
  ...FP_VECTOR_ELEM_EXEC };

export const HANDLERS: { readonly [K in RowId]: Handler } = ALL satisfies Exact<typeof ALL, RowId>;
