// Executors for the cryptographic extensions (rows/crypto.ts), written from the Arm ARM's pseudocode:
//   AES     AESE/AESD: state = Vd EOR Vn, then (Inv)ShiftRows and (Inv)SubBytes; AESMC/AESIMC: (Inv)MixColumns
//           of Vn. Byte i of the register is the state byte of row i mod 4, column i div 4 (FIPS-197 order).
//           The S-boxes are computed at load from their definition (inverse in GF(2^8), affine map).
//   SHA1    SHA1C/P/M: four rounds with choose/parity/majority over X = Vd, y = Sn and W = Vm; SHA1H, SU0, SU1.
//   SHA256  SHA256H/H2 (the two halves of four rounds), SU0, SU1; everything in 32-bit words.
//   SHA512  SHA512H/H2/SU0/SU1 on 64-bit lanes, with BigInt (FEAT_SHA512 is advertised only by `max`).
//   SHA3    EOR3, BCAX, RAX1, XAR on words.
import type { Fields } from '../../pattern';
import type { Exec } from '../types';
import { vw } from './lanes';

// ---- AES ----

const gmul = (a: number, b: number): number => {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return r;
};

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inv = 0;
  if (x) for (let y = 1; y < 256; y++) if (gmul(x, y) === 1) { inv = y; break; }
  let s = inv;
  for (let k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
  s ^= 0x63;
  SBOX[x] = s;
  INV_SBOX[s] = x;
}

const bytesOf = (r: Int32Array, b: number, out: Uint8Array): void => {
  for (let i = 0; i < 16; i++) out[i] = (r[b + (i >> 2)] >>> ((i & 3) * 8)) & 0xff;
};
const putBytes = (r: Int32Array, b: number, src: Uint8Array): void => {
  for (let k = 0; k < 4; k++) r[b + k] = src[4 * k] | (src[4 * k + 1] << 8) | (src[4 * k + 2] << 16) | (src[4 * k + 3] << 24);
};

const S1 = new Uint8Array(16);
const S2 = new Uint8Array(16);

function aesRound(inverse: boolean) {
  return (f: Fields): Exec => {
    const d = vw(f.Rd);
    const n = vw(f.Rn);
    const box = inverse ? INV_SBOX : SBOX;
    return (c) => {
      const r = c.r;
      for (let k = 0; k < 4; k++) r[d + k] ^= r[n + k];
      bytesOf(r, d, S1);
      for (let row = 0; row < 4; row++) {
        for (let col = 0; col < 4; col++) {
          const from = inverse ? (col - row + 4) & 3 : (col + row) & 3;
          S2[row + 4 * col] = box[S1[row + 4 * from]];
        }
      }
      putBytes(r, d, S2);
    };
  };
}

function aesMix(inverse: boolean) {
  const m = inverse ? [14, 11, 13, 9] : [2, 3, 1, 1];
  return (f: Fields): Exec => {
    const d = vw(f.Rd);
    const n = vw(f.Rn);
    return (c) => {
      const r = c.r;
      bytesOf(r, n, S1);
      for (let col = 0; col < 4; col++) {
        for (let row = 0; row < 4; row++) {
          let v = 0;
          for (let k = 0; k < 4; k++) v ^= gmul(S1[4 * col + ((row + k) & 3)], m[k]);
          S2[4 * col + row] = v;
        }
      }
      putBytes(r, d, S2);
    };
  };
}

// ---- SHA-1 and SHA-256 ----

const rol = (x: number, s: number): number => (x << s) | (x >>> (32 - s));
const ror = (x: number, s: number): number => (x >>> s) | (x << (32 - s));
const choose = (x: number, y: number, z: number): number => ((y ^ z) & x) ^ z;
const parity = (x: number, y: number, z: number): number => x ^ y ^ z;
const majority = (x: number, y: number, z: number): number => (x & y) | ((x | y) & z);

const X = new Int32Array(4);
const Y = new Int32Array(4);
const W = new Int32Array(4);

function sha1Hash(fn: (x: number, y: number, z: number) => number) {
  return (f: Fields): Exec => {
    const d = vw(f.Rd);
    const n = vw(f.Rn);
    const m = vw(f.Rm);
    return (c) => {
      const r = c.r;
      let x0 = r[d], x1 = r[d + 1], x2 = r[d + 2], x3 = r[d + 3];
      let y = r[n];
      for (let e = 0; e < 4; e++) {
        const t = fn(x1, x2, x3);
        y = (y + rol(x0, 5) + t + r[m + e]) | 0;
        x1 = rol(x1, 30);
        // <y, X> = ROL(y : X, 32)
        const top = x3;
        x3 = x2; x2 = x1; x1 = x0; x0 = y;
        y = top;
      }
      r[d] = x0; r[d + 1] = x1; r[d + 2] = x2; r[d + 3] = x3;
    };
  };
}

function sha1h(f: Fields): Exec {
  const d = vw(f.Rd);
  const n = vw(f.Rn);
  return (c) => {
    const r = c.r;
    const v = rol(r[n], 30);
    r[d] = v; r[d + 1] = 0; r[d + 2] = 0; r[d + 3] = 0;
  };
}

function sha1su0(f: Fields): Exec {
  const d = vw(f.Rd);
  const n = vw(f.Rn);
  const m = vw(f.Rm);
  return (c) => {
    const r = c.r;
    const t0 = r[d + 2], t1 = r[d + 3], t2 = r[n], t3 = r[n + 1];
    r[d] ^= t0 ^ r[m];
    r[d + 1] ^= t1 ^ r[m + 1];
    r[d + 2] ^= t2 ^ r[m + 2];
    r[d + 3] ^= t3 ^ r[m + 3];
  };
}

function sha1su1(f: Fields): Exec {
  const d = vw(f.Rd);
  const n = vw(f.Rn);
  return (c) => {
    const r = c.r;
    const t0 = r[d] ^ r[n + 1], t1 = r[d + 1] ^ r[n + 2], t2 = r[d + 2] ^ r[n + 3], t3 = r[d + 3];
    r[d] = rol(t0, 1);
    r[d + 1] = rol(t1, 1);
    r[d + 2] = rol(t2, 1);
    r[d + 3] = rol(t3, 1) ^ rol(t0, 2);
  };
}

const sigma0 = (x: number): number => ror(x, 2) ^ ror(x, 13) ^ ror(x, 22);
const sigma1 = (x: number): number => ror(x, 6) ^ ror(x, 11) ^ ror(x, 25);

function sha256Hash(part1: boolean) {
  return (f: Fields): Exec => {
    const d = vw(f.Rd);
    const n = vw(f.Rn);
    const m = vw(f.Rm);
    return (c) => {
      const r = c.r;
      // part 1: X = Vd, Y = Vn, result X; part 2: X = Vn, Y = Vd, result Y
      const xs = part1 ? d : n;
      const ys = part1 ? n : d;
      for (let k = 0; k < 4; k++) { X[k] = r[xs + k]; Y[k] = r[ys + k]; W[k] = r[m + k]; }
      for (let e = 0; e < 4; e++) {
        const chs = choose(Y[0], Y[1], Y[2]);
        const maj = majority(X[0], X[1], X[2]);
        const t = (Y[3] + sigma1(Y[0]) + chs + W[e]) | 0;
        X[3] = (t + X[3]) | 0;
        Y[3] = (t + sigma0(X[0]) + maj) | 0;
        // <Y, X> = ROL(Y : X, 32)
        const xTop = X[3];
        X[3] = X[2]; X[2] = X[1]; X[1] = X[0]; X[0] = Y[3];
        Y[3] = Y[2]; Y[2] = Y[1]; Y[1] = Y[0]; Y[0] = xTop;
      }
      const res = part1 ? X : Y;
      for (let k = 0; k < 4; k++) r[d + k] = res[k];
    };
  };
}

function sha256su0(f: Fields): Exec {
  const d = vw(f.Rd);
  const n = vw(f.Rn);
  return (c) => {
    const r = c.r;
    const t = [r[d + 1], r[d + 2], r[d + 3], r[n]];
    for (let e = 0; e < 4; e++) {
      const x = t[e];
      r[d + e] = ((ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + r[d + e]) | 0;
    }
  };
}

function sha256su1(f: Fields): Exec {
  const d = vw(f.Rd);
  const n = vw(f.Rn);
  const m = vw(f.Rm);
  const s1 = (x: number): number => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
  return (c) => {
    const r = c.r;
    const t0 = [r[n + 1], r[n + 2], r[n + 3], r[m]];
    const res = [0, 0, 0, 0];
    res[0] = (s1(r[m + 2]) + r[d] + t0[0]) | 0;
    res[1] = (s1(r[m + 3]) + r[d + 1] + t0[1]) | 0;
    res[2] = (s1(res[0]) + r[d + 2] + t0[2]) | 0;
    res[3] = (s1(res[1]) + r[d + 3] + t0[3]) | 0;
    for (let k = 0; k < 4; k++) r[d + k] = res[k];
  };
}

// ---- SHA-512 (BigInt: FEAT_SHA512 only on `max`) ----

const M64 = (1n << 64n) - 1n;
const get64 = (r: Int32Array, b: number, k: number): bigint => (BigInt(r[b + 2 * k + 1] >>> 0) << 32n) | BigInt(r[b + 2 * k] >>> 0);
const put64 = (r: Int32Array, b: number, k: number, v: bigint): void => {
  r[b + 2 * k] = Number(v & 0xffffffffn) | 0;
  r[b + 2 * k + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
};
const ror64 = (x: bigint, s: bigint): bigint => ((x >> s) | (x << (64n - s))) & M64;
const not64 = (x: bigint): bigint => x ^ M64;

function sha512h(f: Fields): Exec {
  const d = vw(f.Rd), n = vw(f.Rn), m = vw(f.Rm);
  const S1 = (x: bigint): bigint => ror64(x, 14n) ^ ror64(x, 18n) ^ ror64(x, 41n);
  return (c) => {
    const r = c.r;
    const x0 = get64(r, n, 0), x1 = get64(r, n, 1), y0 = get64(r, m, 0), y1 = get64(r, m, 1);
    const w0 = get64(r, d, 0), w1 = get64(r, d, 1);
    const hi = (((y1 & x0) ^ (not64(y1) & x1)) + S1(y1) + w1) & M64;
    const tmp = (hi + y0) & M64;
    const lo = (((tmp & y1) ^ (not64(tmp) & x0)) + S1(tmp) + w0) & M64;
    put64(r, d, 0, lo);
    put64(r, d, 1, hi);
  };
}

function sha512h2(f: Fields): Exec {
  const d = vw(f.Rd), n = vw(f.Rn), m = vw(f.Rm);
  const S0 = (x: bigint): bigint => ror64(x, 28n) ^ ror64(x, 34n) ^ ror64(x, 39n);
  return (c) => {
    const r = c.r;
    const x0 = get64(r, n, 0), y0 = get64(r, m, 0), y1 = get64(r, m, 1);
    const w0 = get64(r, d, 0), w1 = get64(r, d, 1);
    const hi = (((x0 & y1) ^ (x0 & y0) ^ (y1 & y0)) + S0(y0) + w1) & M64;
    const lo = (((hi & y0) ^ (hi & y1) ^ (y1 & y0)) + S0(hi) + w0) & M64;
    put64(r, d, 0, lo);
    put64(r, d, 1, hi);
  };
}

function sha512su0(f: Fields): Exec {
  const d = vw(f.Rd), n = vw(f.Rn);
  const s0 = (x: bigint): bigint => ror64(x, 1n) ^ ror64(x, 8n) ^ (x >> 7n);
  return (c) => {
    const r = c.r;
    const w0 = get64(r, d, 0), w1 = get64(r, d, 1), x0 = get64(r, n, 0);
    put64(r, d, 0, (w0 + s0(w1)) & M64);
    put64(r, d, 1, (w1 + s0(x0)) & M64);
  };
}

function sha512su1(f: Fields): Exec {
  const d = vw(f.Rd), n = vw(f.Rn), m = vw(f.Rm);
  const s1 = (x: bigint): bigint => ror64(x, 19n) ^ ror64(x, 61n) ^ (x >> 6n);
  return (c) => {
    const r = c.r;
    const w0 = get64(r, d, 0), w1 = get64(r, d, 1), x0 = get64(r, n, 0), x1 = get64(r, n, 1);
    const y0 = get64(r, m, 0), y1 = get64(r, m, 1);
    put64(r, d, 1, (w1 + s1(x1) + y1) & M64);
    put64(r, d, 0, (w0 + s1(x0) + y0) & M64);
  };
}

// ---- SHA-3 ----

function threeWay(op: (n: number, m: number, a: number) => number) {
  return (f: Fields): Exec => {
    const d = vw(f.Rd), n = vw(f.Rn), m = vw(f.Rm), a = vw(f.Ra);
    return (c) => {
      const r = c.r;
      for (let k = 0; k < 4; k++) r[d + k] = op(r[n + k], r[m + k], r[a + k]);
    };
  };
}

/** ROR of a 64-bit lane (lo, hi words) by s in 0..63, into dst[at], dst[at + 1]. */
function rorWords(lo: number, hi: number, s: number, dst: Int32Array, at: number): void {
  if (s >= 32) {
    const t = lo; lo = hi; hi = t; s -= 32;
  }
  if (s === 0) { dst[at] = lo; dst[at + 1] = hi; return; }
  dst[at] = (lo >>> s) | (hi << (32 - s));
  dst[at + 1] = (hi >>> s) | (lo << (32 - s));
}

function rax1(f: Fields): Exec {
  const d = vw(f.Rd), n = vw(f.Rn), m = vw(f.Rm);
  const T = new Int32Array(4);
  return (c) => {
    const r = c.r;
    for (let k = 0; k < 2; k++) rorWords(r[m + 2 * k], r[m + 2 * k + 1], 63, T, 2 * k); // ROL 1
    for (let k = 0; k < 4; k++) r[d + k] = r[n + k] ^ T[k];
  };
}

function xar(f: Fields): Exec {
  const d = vw(f.Rd), n = vw(f.Rn), m = vw(f.Rm);
  const s = f.imm6;
  const T = new Int32Array(4);
  return (c) => {
    const r = c.r;
    for (let k = 0; k < 2; k++) rorWords(r[n + 2 * k] ^ r[m + 2 * k], r[n + 2 * k + 1] ^ r[m + 2 * k + 1], s, T, 2 * k);
    for (let k = 0; k < 4; k++) r[d + k] = T[k];
  };
}

export const CRYPTO_EXEC = {
  AESE: aesRound(false), AESD: aesRound(true), AESMC: aesMix(false), AESIMC: aesMix(true),
  SHA1C: sha1Hash(choose), SHA1P: sha1Hash(parity), SHA1M: sha1Hash(majority), SHA1SU0: sha1su0,
  SHA256H: sha256Hash(true), SHA256H2: sha256Hash(false), SHA256SU1: sha256su1,
  SHA1H: sha1h, SHA1SU1: sha1su1, SHA256SU0: sha256su0,
  SHA512H: sha512h, SHA512H2: sha512h2, SHA512SU1: sha512su1, RAX1: rax1, SHA512SU0: sha512su0,
  EOR3: threeWay((n, m, a) => n ^ m ^ a), BCAX: threeWay((n, m, a) => n ^ (m & ~a)), XAR: xar,
};
