// The shape of a row of the A64 encoding table (see table.ts). One row per encoding: its bit pattern with
// named fields, an encoding-level UNDEF guard, the assembly template (GNU objdump's spelling), the
// disassembly-only aliases, Arm's encoding id and the feature it belongs to. Overlaps between rows are
// explicit: a row lists in `over` the rows it takes precedence over; the table lint fails on any overlap
// that is not declared.
import type { Fields } from './pattern';

/** 'fp': scalar floating point; 'fpldst': SIMD&FP loads and stores; 'simd': Advanced SIMD; 'crypto': the
 * cryptographic extension (all four are subject to the SIMD&FP access traps, cpu/sysregs.ts fpTrapCheck). */
export type IsaClass = 'dpimm' | 'dpreg' | 'branch' | 'ldst' | 'system' | 'fp' | 'fpldst' | 'simd' | 'crypto';

export interface DisasmContext {
  /** Address of the instruction. */
  readonly pc: bigint;
  /** Names an address as objdump does inside <>: `sym` or `sym+0x10`; undefined when unknown. */
  readonly symbolize?: (addr: bigint) => string | undefined;
  /** Set by operand functions that emit objdump's trailing `// ...` comment. */
  comment?: string;
}

/** Formats an operand (or a piece of the mnemonic) from the fields. */
export type OperandFn = (f: Fields, ctx: DisasmContext) => string;

export interface AliasDef {
  /** Arm's alias condition, over the row's fields. */
  readonly when: (f: Fields) => boolean;
  readonly asm: string;
}

export interface RowDef {
  /** Unique id, hardware spelling with a form suffix: 'ADD_imm', 'LDR_imm_post', 'B_cond'. */
  readonly id: string;
  readonly cls: IsaClass;
  readonly pattern: string;
  /** Arm's encoding id(s) (Arm ARM "Encoding" names), for cross-reference. */
  readonly arm: string;
  /**
   * Architecture feature (Arm's name: 'FEAT_LSE', 'FEAT_CRC32', 'FEAT_FlagM'...); absent means the ARMv8.0
   * base. Feature gating: the row decodes and disassembles on every CPU model (the disassembler follows
   * objdump, which knows every feature), but the decode cache (cpu/decodeCache.ts) installs UNDEF instead of
   * the row's executor when the CPU's feature set (`cpu.features`, from the model in cpu/models.ts) lacks
   * the tag. The check is made once per decoded slot, never on the run loop's hot path. Features that cover
   * only some encodings of a row (SYS operations, system registers) are gated by their executor instead
   * (sysOps.ts, SysRegDef.feature). The list of tags and the ID register fields they set is in models.ts.
   */
  readonly feature?: string;
  /**
   * Template. Placeholders in braces:
   *   {X:f} {W:f} {R:f}      register from field f as Xn / Wn / by field sf; 31 is xzr/wzr
   *   {XS:f} {WS:f} {RS:f}   same, but 31 is sp/wsp
   *   {#d:f} {#x:f}          '#' and field f in decimal / in hex with 0x
   *   {@name}                the operand function `name` (row `ops` first, then the shared ones)
   *   {?f:text}              `text` when field f is non-zero
   */
  readonly asm: string;
  readonly aliases?: readonly AliasDef[];
  /** Encoding-level UNDEF guard: true for reserved field values. */
  readonly undef?: (f: Fields) => boolean;
  /** Rows this one takes precedence over where both patterns match. */
  readonly over?: readonly string[];
  readonly ops?: Readonly<Record<string, OperandFn>>;
}
