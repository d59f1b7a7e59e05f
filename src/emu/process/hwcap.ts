// AT_HWCAP / AT_HWCAP2 for the initial stack: the bits say what the CPU implements, so that libc picks
// routines the emulator can run (glibc and musl choose memcpy/strlen variants and atomics from them).
// `hwcapFor` maps a feature set to the bits (arch/arm64/include/uapi/asm/hwcap.h); `detectCpuFeatures`
// derives the feature set from the encoding table at run time, by asking the decoder whether one
// representative instruction of each feature decodes. When the CPU-model work makes features selectable
// it can pass its own set to hwcapFor instead.
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
}

export const HWCAP_FP = 1 << 0;
export const HWCAP_ASIMD = 1 << 1;
export const HWCAP_CRC32 = 1 << 7;
export const HWCAP_ATOMICS = 1 << 8;
export const HWCAP_LRCPC = 1 << 15;
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
};

/** The features whose representative instruction the decoder knows. */
export function detectCpuFeatures(): CpuFeatures {
  const f = {} as CpuFeatures;
  for (const k of Object.keys(PROBES) as (keyof CpuFeatures)[]) f[k] = decode(PROBES[k]) !== null;
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
  return { hwcap: hwcap >>> 0, hwcap2: f.frint ? HWCAP2_FRINT : 0 };
}
