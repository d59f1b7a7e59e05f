// Executors of the Advanced SIMD structure loads and stores (rows/simdLoadStore.ts), following the Arm ARM's
// pseudocode: elements are transferred one by one at increasing addresses (structure by structure,
// interleaving the registers of LD2-LD4), each element an access of its own size. Loads gather every
// element before any register is written, so a fault leaves the registers as they were; stores may have
// written the elements before the faulting one (the architecture allows it). A 64-bit (Q = 0) multiple-
// structure or replicate load clears the upper half of each register it writes; a single-lane load keeps
// the other lanes. Post-index: by the bytes transferred (Rm = 31) or by Xm (read before the writeback).
import type { Cpu } from '../../cpu/cpu';
import { I_VREG } from '../../cpu/regs';
import type { Fields } from '../pattern';
import { MULTI, multiBytes, singleInfo } from '../rows/simdLoadStore';
import type { Exec, Handler } from './types';

let aHi = 0;
function add64(aLo: number, aHi_: number, bLo: number, bHi: number): number {
  const s = (aLo >>> 0) + (bLo >>> 0);
  aHi = (aHi_ + bHi + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

/** Scratch image of up to four registers (4 x 16 bytes) for loads. */
const tmp = new Uint8Array(64);
const tmpDv = new DataView(tmp.buffer);

/** Byte offset of V[n] in the state memory. */
const vByte = (c: Cpu, n: number): number => c.r.byteOffset + (I_VREG + 4 * n) * 4;

function readTo(c: Cpu, lo: number, hi: number, scale: number, at: number): void {
  switch (scale) {
    case 0: tmp[at] = c.read8(lo, hi); return;
    case 1: tmpDv.setUint16(at, c.read16(lo, hi), true); return;
    case 2: tmpDv.setInt32(at, c.read32(lo, hi), true); return;
    default:
      c.read64(lo, hi);
      tmpDv.setInt32(at, c.ldLo, true);
      tmpDv.setInt32(at + 4, c.ldHi, true);
  }
}

function writeFrom(c: Cpu, lo: number, hi: number, scale: number, byteAt: number): void {
  const dv = c.dv;
  switch (scale) {
    case 0: c.write8(lo, hi, c.u8[byteAt]); return;
    case 1: c.write16(lo, hi, dv.getUint16(byteAt, true)); return;
    case 2: c.write32(lo, hi, dv.getInt32(byteAt, true)); return;
    default: c.write64(lo, hi, dv.getInt32(byteAt, true), dv.getInt32(byteAt + 4, true));
  }
}

/** Post-index writeback: Xn += (Rm = 31 ? imm : Xm). */
function writeback(c: Cpu, n: number, m: number, imm: number, lo: number, hi: number): void {
  const r = c.r;
  if (m === 31) r[n] = add64(lo, hi, imm, 0);
  else r[n] = add64(lo, hi, r[2 * m], r[2 * m + 1]);
  r[n + 1] = aHi;
}

function multi(post: boolean): Handler {
  return (f: Fields): Exec => {
    const [rpt, selem] = MULTI[f.opcode]!;
    const scale = f.size;
    const ebytes = 1 << scale;
    const regBytes = f.Q ? 16 : 8;
    const elements = regBytes / ebytes;
    const n = 2 * f.Rn;
    const t = f.Rt;
    const load = f.L === 1;
    const m = f.Rm ?? 0;
    const total = multiBytes(f);
    const nregs = rpt * selem;
    return (c) => {
      const r = c.r;
      const bLo = r[n];
      const bHi = r[n + 1];
      let off = 0;
      for (let rr = 0; rr < rpt; rr++) {
        for (let e = 0; e < elements; e++) {
          for (let s = 0; s < selem; s++) {
            const k = rr + s; // register within the list
            const lo = add64(bLo, bHi, off, 0);
            if (load) readTo(c, lo, aHi, scale, k * 16 + e * ebytes);
            else writeFrom(c, lo, aHi, scale, vByte(c, (t + k) % 32) + e * ebytes);
            off += ebytes;
          }
        }
      }
      if (load) {
        for (let k = 0; k < nregs; k++) {
          const v = vByte(c, (t + k) % 32);
          c.u8.set(tmp.subarray(k * 16, k * 16 + regBytes), v);
          if (regBytes === 8) c.u8.fill(0, v + 8, v + 16);
        }
      }
      if (post) writeback(c, n, m, total, bLo, bHi);
    };
  };
}

function single(post: boolean): Handler {
  return (f: Fields): Exec => {
    const info = singleInfo(f)!;
    const { scale, selem, replicate, index } = info;
    const ebytes = 1 << scale;
    const n = 2 * f.Rn;
    const t = f.Rt;
    const load = f.L === 1;
    const m = f.Rm ?? 0;
    const total = selem * ebytes;
    const regBytes = f.Q ? 16 : 8;
    return (c) => {
      const r = c.r;
      const bLo = r[n];
      const bHi = r[n + 1];
      for (let s = 0; s < selem; s++) {
        const lo = add64(bLo, bHi, s * ebytes, 0);
        if (load) readTo(c, lo, aHi, scale, s * 16);
        else writeFrom(c, lo, aHi, scale, vByte(c, (t + s) % 32) + index * ebytes);
      }
      if (load) {
        for (let s = 0; s < selem; s++) {
          const v = vByte(c, (t + s) % 32);
          if (replicate) {
            for (let e = 0; e < regBytes; e += ebytes) c.u8.set(tmp.subarray(s * 16, s * 16 + ebytes), v + e);
            if (regBytes === 8) c.u8.fill(0, v + 8, v + 16);
          } else c.u8.set(tmp.subarray(s * 16, s * 16 + ebytes), v + index * ebytes);
        }
      }
      if (post) writeback(c, n, m, total, bLo, bHi);
    };
  };
}

export const SIMD_LOAD_STORE_EXEC = {
  LDST_multi: multi(false),
  LDST_multi_post: multi(true),
  LDST_single: single(false),
  LDST_single_post: single(true),
} satisfies Record<string, Handler>;
