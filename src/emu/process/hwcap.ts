// AT_HWCAP / AT_HWCAP2 for the initial stack: the bits say what the CPU implements, so that libc picks
// routines the emulator can run (glibc and musl choose memcpy/strlen variants and atomics from them).
// `hwcapFor` maps a feature set to the bits (arch/arm64/include/uapi/asm/hwcap.h); `detectCpuFeatures`
// derives the feature set from the encoding table at run time, by asking the decoder whether one
// representative instruction of each feature decodes and, for a row with a feature tag, whether the CPU
// model (the process mode's CPU is `max`) has that feature: the bits then agree with ID_AA64ISAR0 of the
// same model (cpu/models.ts). When the CPU-model work makes features selectable it can pass its own set
// to hwcapFor instead.
import { cpuModel } from '../cpu/models';
import { decode } from '../isa/decoder';

export interface CpuFeatures {
  /** Scalar floating point (HWCAP_FP). */
  fp: boolean;
  /** Advanced SIMD (HWCAP_ASIMD). */
  asimd: boolean;
  /** CRC32/CRC32C (HWCAP_CRC32). */
  crc32: boolean;
  /** FEAT_LSE atomics (HWCAP_ATOMICS). */
  atomics: boolean;
  /** FEAT_LRCPC: LDAPR (HWCAP_LRCPC). */
  lrcpc: boolean;
  /** FEAT_FlagM: CFINV, RMIF, SETF (HWCAP_FLAGM). */
  flagm: boolean;
  /** FEAT_FP16 scalar (HWCAP_FPHP). */
  fphp: boolean;
  /** FEAT_FP16 vector (HWCAP_ASIMDHP). */
  asimdhp: boolean;
  /** FEAT_JSCVT: FJCVTZS (HWCAP_JSCVT). */
  jscvt: boolean;
  /** FEAT_FRINTTS: FRINT32/64 (HWCAP2_FRINT). */
  frint: boolean;
  /** FEAT_AES (HWCAP_AES). */
  aes?: boolean;
  /** FEAT_PMULL: PMULL of 64-bit lanes (HWCAP_PMULL). */
  pmull?: boolean;
  /** FEAT_SHA1 (HWCAP_SHA1). */
  sha1?: boolean;
  /** FEAT_SHA256 (HWCAP_SHA2). */
  sha2?: boolean;
  /** FEAT_SHA512 (HWCAP_SHA512). */
  sha512?: boolean;
  /** FEAT_SHA3 (HWCAP_SHA3). */
  sha3?: boolean;
  /** FEAT_RDM: SQRDMLAH/SQRDMLSH (HWCAP_ASIMDRDM). */
  asimdrdm?: boolean;
  /** FEAT_DotProd: SDOT/UDOT (HWCAP_ASIMDDP). */
  asimddp?: boolean;
}

export const HWCAP_FP = 1 << 0;
export const HWCAP_ASIMD = 1 << 1;
export const HWCAP_AES = 1 << 3;
export const HWCAP_PMULL = 1 << 4;
export const HWCAP_SHA1 = 1 << 5;
export const HWCAP_SHA2 = 1 << 6;
export const HWCAP_CRC32 = 1 << 7;
export const HWCAP_ATOMICS = 1 << 8;
export const HWCAP_ASIMDRDM = 1 << 12;
export const HWCAP_LRCPC = 1 << 15;
export const HWCAP_SHA3 = 1 << 17;
export const HWCAP_ASIMDDP = 1 << 20;
export const HWCAP_SHA512 = 1 << 21;
export const HWCAP_FLAGM = 1 << 27;
export const HWCAP_FPHP = 1 << 9;
export const HWCAP_ASIMDHP = 1 << 10;
export const HWCAP_JSCVT = 1 << 13;
export const HWCAP2_FRINT = 1 << 8;

/** Representative encodings: a feature counts as implemented when its word decodes. */
const PROBES: Record<keyof CpuFeatures, number> = {
  fp: 0x1e602800, // fadd d0, d0, d0
  asimd: 0x4e208400, // add v0.16b, v0.16b, v0.16b
  crc32: 0x1ac04000, // crc32b w0, w0, w0
  atomics: 0xf8200000, // ldadd x0, x0, [x0]
  lrcpc: 0xf8bfc000, // ldapr x0, [x0]
  flagm: 0xd500401f, // cfinv
  fphp: 0x1ee02800, // fadd h0, h0, h0
  asimdhp: 0x4e401400, // fadd v0.8h, v0.8h, v0.8h
  jscvt: 0x1e7e0000, // fjcvtzs w0, d0
  frint: 0x1e284000, // frint32z s0, s0
  aes: 0x4e284800, // aese v0.16b, v0.16b
  pmull: 0x0ee0e000, // pmull v0.1q, v0.1d, v0.1d
  sha1: 0x5e280800, // sha1h s0, s0
  sha2: 0x5e282800, // sha256su0 v0.4s, v0.4s
  sha512: 0xcec08000, // sha512su0 v0.2d, v0.2d
  sha3: 0xce000000, // eor3 v0.16b, v0.16b, v0.16b, v0.16b
  asimdrdm: 0x2e408400, // sqrdmlah v0.4h, v0.4h, v0.4h
  asimddp: 0x0e809400, // sdot v0.2s, v0.8b, v0.8b
};

/** The features whose representative instruction the decoder knows and the CPU model (default `max`) has. */
export function detectCpuFeatures(model: ReadonlySet<string> = new Set(cpuModel('max').features)): CpuFeatures {
  const f = {} as CpuFeatures;
  for (const k of Object.keys(PROBES) as (keyof CpuFeatures)[]) {
    const d = decode(PROBES[k]);
    f[k] = d !== null && (d.row.feature === undefined || model.has(d.row.feature));
  }
  return f;
}

/** AT_HWCAP and AT_HWCAP2 for a feature set. */
export function hwcapFor(f: CpuFeatures): { hwcap: number; hwcap2: number } {
  let hwcap = 0;
  if (f.fp) hwcap |= HWCAP_FP;
  if (f.asimd) hwcap |= HWCAP_ASIMD;
  if (f.crc32) hwcap |= HWCAP_CRC32;
  if (f.atomics) hwcap |= HWCAP_ATOMICS;
  if (f.lrcpc) hwcap |= HWCAP_LRCPC;
  if (f.flagm) hwcap |= HWCAP_FLAGM;
  // Linux reports FPHP/ASIMDHP only together (both from ID_AA64PFR0's FP and AdvSIMD fields, which agree)
  if (f.fphp && f.asimdhp) hwcap |= HWCAP_FPHP | HWCAP_ASIMDHP;
  if (f.jscvt) hwcap |= HWCAP_JSCVT;
  if (f.aes) hwcap |= HWCAP_AES;
  if (f.pmull) hwcap |= HWCAP_PMULL;
  if (f.sha1) hwcap |= HWCAP_SHA1;
  if (f.sha2) hwcap |= HWCAP_SHA2;
  if (f.sha512) hwcap |= HWCAP_SHA512;
  if (f.sha3) hwcap |= HWCAP_SHA3;
  if (f.asimdrdm) hwcap |= HWCAP_ASIMDRDM;
  if (f.asimddp) hwcap |= HWCAP_ASIMDDP;
  return { hwcap: hwcap >>> 0, hwcap2: f.frint ? HWCAP2_FRINT : 0 };
}
