// CRC32 and CRC32C (FEAT_CRC32) as the A64 instructions define them: the bit-reflected CRC of the data
// (1, 2, 4 or 8 bytes of Rm, least significant byte first) over the 32-bit accumulator Rn, with no initial
// or final inversion (software adds those: the CRC-32 of a message is ~crc32(~0, message)). Byte-at-a-time
// tables of the reflected polynomials 0xEDB88320 (CRC-32, ISO-HDLC) and 0x82F63B78 (CRC-32C, Castagnoli),
// built once at load; everything stays in 32-bit integers.

function makeTable(poly: number): Int32Array {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c;
  }
  return t;
}

export const CRC32_TABLE = makeTable(0xedb88320);
export const CRC32C_TABLE = makeTable(0x82f63b78);

/** Folds the low `bytes` (1, 2 or 4) bytes of v into crc, least significant first. */
export function crcWord(t: Int32Array, crc: number, v: number, bytes: number): number {
  for (let k = 0; k < bytes; k++) {
    crc = t[(crc ^ v) & 0xff] ^ (crc >>> 8);
    v >>>= 8;
  }
  return crc | 0;
}

/** CRC of a byte string, software convention (initial ~0, final inversion): the standard check values. */
export function crcBytes(t: Int32Array, data: Uint8Array): number {
  let crc = -1;
  for (const b of data) crc = crcWord(t, crc, b, 1);
  return ~crc >>> 0;
}
