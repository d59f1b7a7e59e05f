// Encoding table rows: the memory copy and memory set instructions (FEAT_MOPS) — CPYFP/CPYFM/CPYFE (forward
// only) and CPYP/CPYM/CPYE, each with its 16 read/write option suffixes (op2: WT, RT, T, WN, ..., TN),
// SETP/SETM/SETE and the tag-setting SETGP/SETGM/SETGE (FEAT_MOPS with FEAT_MTE), each with its 4 options
// (T, N, TN). Layout: sz 011 o0 01 op1 0 Rs op2 01 Rn Rd; SET* is op1 = 11 with the stage in op2<15:14>.
// They decode and disassemble (objdump 2.40's spelling) on every model; no model advertises FEAT_MOPS
// (ID_AA64ISAR2.MOPS = 0), so the feature gating makes them UNDEFINED at run time, and their executors
// (exec/mops.ts) are UNDEF too.
//
// Reserved encodings, as objdump 2.40 treats them: sz != 00 is unallocated. Register choices the Arm ARM
// makes CONSTRAINED UNPREDICTABLE (any of Rd/Rs/Rn equal to another, or 31, for CPY*; Rd or Rn 31, or any
// two equal, for SET*, where Rs = 31 is XZR and allowed) are printed as undefined by objdump; we decode them
// as UNDEFINED too (the Constraint_UNDEF choice, one of those the Arm ARM permits).
import type { Fields } from '../pattern';
import type { RowDef } from '../rowTypes';

/** CPY* option suffixes by op2 (bits 15:12): write then read hints, N = non-temporal, T = unprivileged. */
const CPY_OPTS = ['', 'wt', 'rt', 't', 'wn', 'wtwn', 'rtwn', 'twn', 'rn', 'wtrn', 'rtrn', 'trn', 'n', 'wtn', 'rtn', 'tn'];
/** SET* option suffixes by op2<13:12>. */
const SET_OPTS = ['', 't', 'n', 'tn'];

const cpyUndef = (f: Fields): boolean =>
  f.Rd === 31 || f.Rs === 31 || f.Rn === 31 || f.Rd === f.Rs || f.Rd === f.Rn || f.Rs === f.Rn;
const setUndef = (f: Fields): boolean => f.Rd === 31 || f.Rn === 31 || f.Rd === f.Rn || f.Rs === f.Rd || f.Rs === f.Rn;

/** CPYF* (o0 = 0) and CPY* (o0 = 1); stage op1 = 00 prologue, 01 main, 10 epilogue. */
const cpy = <const I extends string>(id: I, o0: number, op1: string, name: string) => ({
  id, cls: 'ldst', feature: 'FEAT_MOPS', arm: `${name.toUpperCase()}_CPY_memcms`,
  pattern: `00 011 ${o0} 01 ${op1} 0 Rs:5 op2:4 01 Rn:5 Rd:5`,
  undef: cpyUndef,
  asm: `${name}{@opt} [{X:Rd}]!, [{X:Rs}]!, {X:Rn}!`,
  ops: { opt: (f: Fields) => CPY_OPTS[f.op2] },
}) as const;

/** SET* (o0 = 0) and SETG* (o0 = 1): op1 = 11, stage in op2<15:14> (11 unallocated), options in op2<13:12>. */
const set = <const I extends string>(id: I, o0: number, stage: string, name: string) => ({
  id, cls: 'ldst', feature: 'FEAT_MOPS', arm: `${name.toUpperCase()}_SET_memcms`,
  pattern: `00 011 ${o0} 01 11 0 Rs:5 ${stage} opt:2 01 Rn:5 Rd:5`,
  undef: setUndef,
  asm: `${name}{@opt} [{X:Rd}]!, {X:Rn}!, {X:Rs}`,
  ops: { opt: (f: Fields) => SET_OPTS[f.opt] },
}) as const;

export const MOPS_ROWS = [
  cpy('CPYFP', 0, '00', 'cpyfp'),
  cpy('CPYFM', 0, '01', 'cpyfm'),
  cpy('CPYFE', 0, '10', 'cpyfe'),
  cpy('CPYP', 1, '00', 'cpyp'),
  cpy('CPYM', 1, '01', 'cpym'),
  cpy('CPYE', 1, '10', 'cpye'),
  set('SETP', 0, '00', 'setp'),
  set('SETM', 0, '01', 'setm'),
  set('SETE', 0, '10', 'sete'),
  set('SETGP', 1, '00', 'setgp'),
  set('SETGM', 1, '01', 'setgm'),
  set('SETGE', 1, '10', 'setge'),
] as const satisfies readonly RowDef[];
