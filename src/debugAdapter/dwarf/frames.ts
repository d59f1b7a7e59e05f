// Call frame information: CIEs and FDEs from .debug_frame (CIE id 0xffffffff, absolute addresses) and
// .eh_frame (CIE id 0, 'z' augmentation, pointer encodings such as pcrel|sdata4), and the CFA program run up
// to a PC, giving the row the unwinder uses: how to compute the CFA (register + offset, or an expression)
// and where each register of the caller is (undefined, same value, saved at CFA+N, CFA+N itself, in
// another register, or by expression). DWARF register numbers on AArch64: 0-30 = X0-X30, 31 = SP.
//
// DW_CFA_AARCH64_negate_ra_state (0x2d) toggles whether the return address is signed (PAC); the fixtures
// are built without branch protection and no key is modelled, so it is accepted and ignored.

import { ByteReader, DwarfError } from './reader';

export type RegRule =
  | { k: 'undefined' }
  | { k: 'same' }
  | { k: 'offset'; n: number }
  | { k: 'val_offset'; n: number }
  | { k: 'register'; reg: number }
  | { k: 'expression'; expr: Uint8Array }
  | { k: 'val_expression'; expr: Uint8Array };

export type CfaRule = { k: 'reg'; reg: number; offset: number } | { k: 'expr'; expr: Uint8Array };

export interface CfiRow {
  /** The row applies from this address (inclusive). */
  loc: bigint;
  cfa: CfaRule;
  regs: Map<number, RegRule>;
}

export interface Cie {
  offset: number;
  codeAlign: number;
  dataAlign: number;
  raReg: number;
  fdeEncoding: number;
  addressSize: number;
  /** 'z' augmentation: FDEs carry augmentation data to skip. */
  augData: boolean;
  initial: Uint8Array;
}

export interface Fde {
  offset: number;
  cie: Cie;
  start: bigint;
  end: bigint;
  instructions: Uint8Array;
}

const DW_EH_PE_omit = 0xff;

/** Reads a pointer in an .eh_frame encoding; `here` is the address of the field (for pcrel). */
function readEncoded(r: ByteReader, enc: number, here: bigint, addressSize: number): bigint {
  if (enc === DW_EH_PE_omit) return 0n;
  let v: bigint;
  switch (enc & 0x0f) {
    case 0x00: v = r.uN(addressSize); break;
    case 0x01: v = r.ulebBig(); break;
    case 0x02: v = BigInt(r.u16()); break;
    case 0x03: v = BigInt(r.u32()); break;
    case 0x04: v = r.u64(); break;
    case 0x09: v = r.slebBig(); break;
    case 0x0a: v = BigInt(r.i16()); break;
    case 0x0b: v = BigInt(r.i32()); break;
    case 0x0c: v = r.i64(); break;
    default: throw new DwarfError(`.eh_frame: pointer encoding 0x${enc.toString(16)} is not supported`);
  }
  if ((enc & 0x70) === 0x10) v += here;
  return BigInt.asUintN(64, v);
}

/** Every FDE of a .debug_frame (eh = false) or .eh_frame (eh = true, loaded at sectionAddr), sorted by start. */
export function parseCfi(bytes: Uint8Array, eh: boolean, sectionAddr = 0n): Fde[] {
  const r = new ByteReader(bytes);
  const cies = new Map<number, Cie>();
  const fdes: Fde[] = [];
  const cieAt = (off: number): Cie => {
    let c = cies.get(off);
    if (!c) cies.set(off, (c = parseCie(bytes, off, eh)));
    return c;
  };
  while (r.pos + 4 <= bytes.length) {
    const offset = r.pos;
    const { dwarf64, end, length } = r.initialLength();
    if (length === 0) {
      if (eh) break; // .eh_frame terminator
      continue;
    }
    const idPos = r.pos;
    const id = dwarf64 ? r.u64n() : r.u32();
    const isCie = eh ? id === 0 : dwarf64 ? id === Number.MAX_SAFE_INTEGER || id === 2 ** 64 - 1 : id === 0xffffffff;
    if (!isCie) {
      const cie = cieAt(eh ? idPos - id : id);
      const here = sectionAddr + BigInt(r.pos);
      const enc = eh ? cie.fdeEncoding : 0x00;
      const start = readEncoded(r, enc, here, cie.addressSize);
      const range = readEncoded(r, enc & 0x0f, 0n, cie.addressSize);
      if (cie.augData) r.skip(r.uleb());
      fdes.push({ offset, cie, start, end: start + range, instructions: bytes.subarray(r.pos, end) });
    }
    r.pos = end;
  }
  return fdes.filter((f) => f.end > f.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

function parseCie(bytes: Uint8Array, offset: number, eh: boolean): Cie {
  const r = new ByteReader(bytes, offset);
  const { dwarf64, end } = r.initialLength();
  if (dwarf64) r.u64();
  else r.u32();
  const version = r.u8();
  if (version !== 1 && version !== 3 && version !== 4) throw new DwarfError(`CIE at 0x${offset.toString(16)}: version ${version}`);
  const aug = r.cstr();
  let addressSize = 8;
  if (version >= 4) {
    addressSize = r.u8();
    r.u8(); // segment selector size
  }
  const codeAlign = r.uleb();
  const dataAlign = r.sleb();
  const raReg = version === 1 ? r.u8() : r.uleb();
  let fdeEncoding = 0;
  let z = false;
  if (aug.startsWith('z')) {
    z = true;
    const len = r.uleb();
    const augEnd = r.pos + len;
    for (const ch of aug.slice(1)) {
      if (ch === 'R') fdeEncoding = r.u8();
      else if (ch === 'L') r.u8();
      else if (ch === 'P') {
        const penc = r.u8();
        readEncoded(r, penc & 0x7f, 0n, addressSize);
      } else if (ch === 'S' || ch === 'B') {
        // signal frame / AArch64 B-key: no data
      } else break;
    }
    r.pos = augEnd;
  } else if (aug !== '' && eh) {
    throw new DwarfError(`CIE at 0x${offset.toString(16)}: augmentation '${aug}' is not supported`);
  }
  return { offset, codeAlign, dataAlign, raReg, fdeEncoding, addressSize, augData: z, initial: bytes.subarray(r.pos, end) };
}

/** The FDE covering pc (binary search), or undefined. */
export function findFde(fdes: Fde[], pc: bigint): Fde | undefined {
  let lo = 0;
  let hi = fdes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fdes[mid]!;
    if (pc < f.start) hi = mid - 1;
    else if (pc >= f.end) lo = mid + 1;
    else return f;
  }
  return undefined;
}

/**
 * Runs the CIE's initial instructions and the FDE's up to `pc`, and returns the row in effect at pc. With
 * pc = undefined, returns every row of the FDE (for tests against readelf's interpreted frames).
 */
export function cfiRows(fde: Fde, pc?: bigint): CfiRow[] {
  const cie = fde.cie;
  const rows: CfiRow[] = [];
  let row: CfiRow = { loc: fde.start, cfa: { k: 'reg', reg: 31, offset: 0 }, regs: new Map() };
  const stack: CfiRow[] = [];
  const clone = (x: CfiRow): CfiRow => ({ loc: x.loc, cfa: x.cfa, regs: new Map(x.regs) });
  run(cie.initial, true);
  const initial = clone(row);
  run(fde.instructions, false);
  rows.push(row);
  return pc === undefined ? rows : rows.slice(-1);

  /** Returns true when it stopped early because the next row starts after pc. */
  function run(code: Uint8Array, inCie: boolean): boolean {
    const r = new ByteReader(code);
    const advance = (delta: number): boolean => {
      const next = row.loc + BigInt(delta * cie.codeAlign);
      if (pc !== undefined && next > pc) return true;
      rows.push(row);
      row = clone(row);
      row.loc = next;
      return false;
    };
    while (!r.done) {
      const op = r.u8();
      const hi2 = op & 0xc0;
      const low = op & 0x3f;
      if (hi2 === 0x40) {
        if (advance(low)) return true;
        continue;
      }
      if (hi2 === 0x80) {
        row.regs.set(low, { k: 'offset', n: r.uleb() * cie.dataAlign });
        continue;
      }
      if (hi2 === 0xc0) {
        restore(low);
        continue;
      }
      switch (op) {
        case 0x00: break;
        case 0x01: {
          const target = r.uN(cie.addressSize);
          if (advance(Number(target - row.loc) / cie.codeAlign)) return true;
          break;
        }
        case 0x02: if (advance(r.u8())) return true; break;
        case 0x03: if (advance(r.u16())) return true; break;
        case 0x04: if (advance(r.u32())) return true; break;
        case 0x05: { const reg = r.uleb(); row.regs.set(reg, { k: 'offset', n: r.uleb() * cie.dataAlign }); break; }
        case 0x06: restore(r.uleb()); break;
        case 0x07: row.regs.set(r.uleb(), { k: 'undefined' }); break;
        case 0x08: row.regs.set(r.uleb(), { k: 'same' }); break;
        case 0x09: { const reg = r.uleb(); row.regs.set(reg, { k: 'register', reg: r.uleb() }); break; }
        case 0x0a: stack.push(clone(row)); break;
        case 0x0b: {
          const s = stack.pop();
          if (s) {
            row.cfa = s.cfa;
            row.regs = s.regs;
          }
          break;
        }
        case 0x0c: { const reg = r.uleb(); row.cfa = { k: 'reg', reg, offset: r.uleb() }; break; }
        case 0x0d: row.cfa = { k: 'reg', reg: r.uleb(), offset: row.cfa.k === 'reg' ? row.cfa.offset : 0 }; break;
        case 0x0e: if (row.cfa.k === 'reg') row.cfa = { ...row.cfa, offset: r.uleb() }; else r.uleb(); break;
        case 0x0f: row.cfa = { k: 'expr', expr: r.block(r.uleb()) }; break;
        case 0x10: { const reg = r.uleb(); row.regs.set(reg, { k: 'expression', expr: r.block(r.uleb()) }); break; }
        case 0x11: { const reg = r.uleb(); row.regs.set(reg, { k: 'offset', n: r.sleb() * cie.dataAlign }); break; }
        case 0x12: { const reg = r.uleb(); row.cfa = { k: 'reg', reg, offset: r.sleb() * cie.dataAlign }; break; }
        case 0x13: { const off = r.sleb() * cie.dataAlign; if (row.cfa.k === 'reg') row.cfa = { ...row.cfa, offset: off }; break; }
        case 0x14: { const reg = r.uleb(); row.regs.set(reg, { k: 'val_offset', n: r.uleb() * cie.dataAlign }); break; }
        case 0x15: { const reg = r.uleb(); row.regs.set(reg, { k: 'val_offset', n: r.sleb() * cie.dataAlign }); break; }
        case 0x16: { const reg = r.uleb(); row.regs.set(reg, { k: 'val_expression', expr: r.block(r.uleb()) }); break; }
        case 0x2d: break; // DW_CFA_AARCH64_negate_ra_state (see the top of this file)
        case 0x2e: r.uleb(); break; // DW_CFA_GNU_args_size
        case 0x2f: { const reg = r.uleb(); row.regs.set(reg, { k: 'offset', n: -r.uleb() * cie.dataAlign }); break; }
        default: throw new DwarfError(`FDE at 0x${fde.offset.toString(16)}: unknown CFA instruction 0x${op.toString(16)}`);
      }
    }
    return false;

    function restore(reg: number): void {
      if (inCie) return;
      const init = initial.regs.get(reg);
      if (init) row.regs.set(reg, init);
      else row.regs.delete(reg);
    }
  }
}
