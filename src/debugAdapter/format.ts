// The one place where the debug adapter turns numbers into strings and strings back into numbers: register
// values (0x%016x), addresses and DAP memory references (0x…, unpadded), PSTATE decoded into its fields
// ("NZCV=0110 DAIF=1111 EL1h"), instruction words, and the parsing of values a user types (setVariable,
// evaluate, memory references). Nothing else in src/debugAdapter calls toString(16) or padStart on a number.

/** A 64-bit register value: 0x%016x. */
export function hex64(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;
}

/** A 32-bit value: 0x%08x (instruction words, 32-bit registers). */
export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/** An address or DAP memory reference: 0x40080000 (no padding). */
export function hexAddr(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** A small number in hex for offsets and sizes: 0x10. */
export function hexNum(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

/** The bytes of an instruction word as a DAP disassembler shows them: 8 hex digits, like objdump. */
export function instructionBytes(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

/** A register value shown in the Variables view. */
export function registerValue(v: bigint): string {
  return hex64(v);
}

/** Decoded fields of PSTATE in SPSR layout (NZCV[31:28], DAIF[9:6], M[3:0]). */
export interface PstateFields {
  n: number;
  z: number;
  c: number;
  v: number;
  d: number;
  a: number;
  i: number;
  f: number;
  el: number;
  /** SPSel: 1 = SP_ELx ('h'), 0 = SP_EL0 ('t'). */
  sp: number;
}

export function decodePstate(pstate: number): PstateFields {
  const bit = (n: number): number => (pstate >>> n) & 1;
  return {
    n: bit(31), z: bit(30), c: bit(29), v: bit(28),
    d: bit(9), a: bit(8), i: bit(7), f: bit(6),
    el: (pstate >>> 2) & 3, sp: pstate & 1,
  };
}

/** "NZCV=0110 DAIF=1111 EL1h". */
export function formatPstate(pstate: number): string {
  const p = decodePstate(pstate);
  return `NZCV=${p.n}${p.z}${p.c}${p.v} DAIF=${p.d}${p.a}${p.i}${p.f} EL${p.el}${p.sp ? 'h' : 't'}`;
}

/** "EL1h" / "EL0t". */
export function formatEl(el: number, spsel: number): string {
  return `EL${el}${spsel ? 'h' : 't'}`;
}

/** "0b0110" for a group of flag bits. */
export function formatBits(bits: number[]): string {
  return `0b${bits.join('')}`;
}

/** 'sym' or 'sym+0x10', as objdump names an address inside <>. */
export function formatSymbolOffset(name: string, offset: bigint): string {
  return offset === 0n ? name : `${name}+0x${offset.toString(16)}`;
}

/** An address and the symbol that covers it, as objdump shows them: '0x40080050 <c+0x4>'; or just the address. */
export function formatAddressSymbol(addr: bigint, symbol: string | undefined): string {
  return symbol ? `${hexAddr(addr)} <${symbol}>` : hexAddr(addr);
}

/** An evaluated value: '0x40080050 <c>' when a symbol covers it, '0x10 (16)' when small, else 0x%016x. */
export function formatValue(v: bigint, symbol: string | undefined): string {
  if (symbol) return formatAddressSymbol(v, symbol);
  if (v < 0x10000n) return `${hexAddr(v)} (${v.toString(10)})`;
  return hex64(v);
}

/** A PSTATE flag or other single bit. */
export function formatBit(v: number | bigint): string {
  return v ? '1' : '0';
}

/** ESR exception class as '0x00'. */
export function formatEc(ec: number): string {
  return `0x${ec.toString(16).padStart(2, '0')}`;
}

/**
 * Parses an integer as a user types it: 0x1f, 0b101, 0o17, 1234, -1, with optional '_' separators.
 * Returns undefined for anything else.
 */
export function parseInteger(text: string): bigint | undefined {
  const t = text.trim().replace(/_/g, '');
  const m = /^(-?)(0x[0-9a-f]+|0b[01]+|0o[0-7]+|[0-9]+)$/i.exec(t);
  if (!m) return undefined;
  const v = BigInt(m[2]!.toLowerCase());
  return m[1] ? -v : v;
}

/** Parses a DAP memory reference (what hexAddr produced, or any integer). */
export function parseAddress(ref: string): bigint | undefined {
  const v = parseInteger(ref);
  return v === undefined ? undefined : BigInt.asUintN(64, v);
}

/** Bytes as base64 (DAP readMemory / custom events) and back; btoa/atob exist in Node and in browsers. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** objdump prints "mnemonic\toperands\t// comment"; the disassembly view wants spaces. */
export function instructionText(text: string): string {
  const tab = text.indexOf('\t');
  if (tab < 0) return text;
  const mnemonic = text.slice(0, tab);
  return mnemonic.padEnd(8, ' ') + text.slice(tab + 1).replace(/\t/g, ' ');
}
