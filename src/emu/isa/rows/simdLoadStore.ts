// Encoding table rows: the Advanced SIMD structure loads and stores — LD1-LD4/ST1-ST4 of multiple
// structures (LD1/ST1 of one to four registers), of a single structure to one lane, and LD1R-LD4R (one
// structure replicated to all lanes), each without offset or post-indexed (Rm = 31: by the bytes
// transferred, written as an immediate; otherwise by Xm). Decoding per the Arm ARM (LD1 (multiple
// structures) ... LD4R): multiple-structure opcodes 0000 LD4, 0010 LD1 x4, 0100 LD3, 0110 LD1 x3,
// 0111 LD1 x1, 1000 LD2, 1010 LD1 x2 (others unallocated; the 1D arrangement only for LD1/ST1); single
// structure: opcode<2:1> the element size (11: replicate, loads only, S = 0), selem = opcode<0>:R + 1.
// Spelling: GNU objdump ('{v0.16b, v1.16b}', '{v0.8b-v3.8b}', '{v2.s}[1]').
import type { Fields } from '../pattern';
import { xreg } from '../operands';
import type { OperandFn, RowDef } from '../rowTypes';

/** (registers repeated, structure elements) of a multiple-structure opcode; undefined when unallocated. */
export const MULTI: Record<number, [number, number] | undefined> = {
  0: [1, 4], 2: [4, 1], 4: [1, 3], 6: [3, 1], 7: [1, 1], 8: [1, 2], 10: [2, 1],
};

const ARR = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];

/** A register list of n registers from t with element suffix `e` (wrapping past v31 to v0). */
function list(t: number, n: number, e: string): string {
  const reg = (k: number) => `v${(t + k) % 32}.${e}`;
  // objdump writes a range for three or four registers, except when the list wraps past v31
  if (n <= 2 || t + n - 1 > 31) return `{${Array.from({ length: n }, (_, k) => reg(k)).join(', ')}}`;
  return `{${reg(0)}-${reg(n - 1)}}`;
}

export interface SingleInfo {
  /** log2 of the element size. */
  scale: number;
  selem: number;
  replicate: boolean;
  index: number;
}

/** The single-structure decoding; undefined for unallocated encodings. */
export function singleInfo(f: Fields): SingleInfo | undefined {
  let scale = f.opc >> 1;
  const selem = (((f.opc & 1) << 1) | f.R) + 1;
  let index = 0;
  switch (scale) {
    case 3:
      if (!f.L || f.S) return undefined;
      return { scale: f.size, selem, replicate: true, index: 0 };
    case 0:
      index = (f.Q << 3) | (f.S << 2) | f.size;
      break;
    case 1:
      if (f.size & 1) return undefined;
      index = (f.Q << 2) | (f.S << 1) | (f.size >> 1);
      break;
    default:
      if (f.size & 2) return undefined;
      if (f.size & 1) {
        if (f.S) return undefined;
        index = f.Q;
        scale = 3;
      } else index = (f.Q << 1) | f.S;
  }
  return { scale, selem, replicate: false, index };
}

/** Bytes a post-indexed immediate form moves. */
export function multiBytes(f: Fields): number {
  const [rpt, selem] = MULTI[f.opcode]!;
  return (f.Q ? 16 : 8) * rpt * selem;
}

const addr = (post: boolean, bytes: (f: Fields) => number): OperandFn => (f) => {
  const base = `[${xreg(f.Rn, true)}]`;
  if (!post) return base;
  return f.Rm === 31 ? `${base}, #${bytes(f)}` : `${base}, ${xreg(f.Rm, false)}`;
};

const multiName: OperandFn = (f) => `${f.L ? 'ld' : 'st'}${MULTI[f.opcode]![1]}`;
const multiList: OperandFn = (f) => {
  const [rpt, selem] = MULTI[f.opcode]!;
  return list(f.Rt, rpt * selem, ARR[(f.size << 1) | f.Q]);
};
const multiUndef = (f: Fields): boolean => {
  const m = MULTI[f.opcode];
  return !m || (f.size === 3 && !f.Q && m[1] !== 1);
};

const singleName: OperandFn = (f) => {
  const s = singleInfo(f)!;
  return `${f.L ? 'ld' : 'st'}${s.selem}${s.replicate ? 'r' : ''}`;
};
const singleList: OperandFn = (f) => {
  const s = singleInfo(f)!;
  if (s.replicate) return list(f.Rt, s.selem, ARR[(f.size << 1) | f.Q]);
  return `${list(f.Rt, s.selem, 'bhsd'[s.scale])}[${s.index}]`;
};
const singleBytes = (f: Fields): number => {
  const s = singleInfo(f)!;
  return s.selem << s.scale;
};

export const SIMD_LOAD_STORE_ROWS = [
  {
    id: 'LDST_multi', cls: 'fpldst', arm: 'LD1|LD2|LD3|LD4|ST1|ST2|ST3|ST4_asisdlse',
    pattern: '0 Q:1 0011000 L:1 000000 opcode:4 size:2 Rn:5 Rt:5', undef: multiUndef,
    asm: '{@name} {@list}, {@addr}', ops: { name: multiName, list: multiList, addr: addr(false, multiBytes) },
  },
  {
    id: 'LDST_multi_post', cls: 'fpldst', arm: 'LD1|LD2|LD3|LD4|ST1|ST2|ST3|ST4_asisdlsep',
    pattern: '0 Q:1 0011001 L:1 0 Rm:5 opcode:4 size:2 Rn:5 Rt:5', undef: multiUndef,
    asm: '{@name} {@list}, {@addr}', ops: { name: multiName, list: multiList, addr: addr(true, multiBytes) },
  },
  {
    id: 'LDST_single', cls: 'fpldst', arm: 'LD1-LD4|ST1-ST4|LD1R-LD4R_asisdlso',
    pattern: '0 Q:1 0011010 L:1 R:1 00000 opc:3 S:1 size:2 Rn:5 Rt:5', undef: (f: Fields) => !singleInfo(f),
    asm: '{@name} {@list}, {@addr}', ops: { name: singleName, list: singleList, addr: addr(false, singleBytes) },
  },
  {
    id: 'LDST_single_post', cls: 'fpldst', arm: 'LD1-LD4|ST1-ST4|LD1R-LD4R_asisdlsop',
    pattern: '0 Q:1 0011011 L:1 R:1 Rm:5 opc:3 S:1 size:2 Rn:5 Rt:5', undef: (f: Fields) => !singleInfo(f),
    asm: '{@name} {@list}, {@addr}', ops: { name: singleName, list: singleList, addr: addr(true, singleBytes) },
  },
] as const satisfies readonly RowDef[];
