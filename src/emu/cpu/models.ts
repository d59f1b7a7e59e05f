// CPU models: one record per model the user can pick (`--cpu`, the `cpu` launch option). A record holds
// the identification registers the guest reads and the set of architecture features the emulator enables
// for the model. The ID register values describe exactly what this emulator implements for that model,
// not everything the silicon has: no PMU, no RAS, no PAuth, no BTI, no MTE, no SVE, no VHE/UAO, so those
// fields are 0 even where the real core has them; FEAT_PAN only on max for now (Neoverse N1 has it too).
// MIDR values are the real ones.
//
// Feature gating: an encoding-table row with a `feature` tag decodes (and disassembles) on every model, but
// executes only when the CPU's feature set has the tag; otherwise the decode cache installs UNDEF for it
// (see rowTypes.ts RowDef.feature and decodeCache.ts). System registers (SysRegDef.feature) and SYS
// operations (sysOps.ts) are gated the same way at execution. Feature names follow Arm's FEAT_* names:
//   FEAT_CRC32     CRC32/CRC32C                       ID_AA64ISAR0.CRC32 = 1
//   FEAT_LSE       LSE atomics (CAS, LDADD, SWP...)   ID_AA64ISAR0.Atomic = 2
//   FEAT_LRCPC     LDAPR                              ID_AA64ISAR1.LRCPC = 1
//   FEAT_LRCPC2    LDAPUR/STLUR                       ID_AA64ISAR1.LRCPC = 2 (implies FEAT_LRCPC)
//   FEAT_LOR       LDLAR/STLLR, LOR registers         ID_AA64MMFR1.LO = 1 (no LORegions: LORID_EL1 = 0)
//   FEAT_FlagM     CFINV, RMIF, SETF8/16              ID_AA64ISAR0.TS = 1
//   FEAT_FlagM2    AXFLAG, XAFLAG                     ID_AA64ISAR0.TS = 2
//   FEAT_RNG       RNDR, RNDRRS                       ID_AA64ISAR0.RNDR = 1
//   FEAT_DPB       DC CVAP                            ID_AA64ISAR1.DPB = 1
//   FEAT_DPB2      DC CVADP                           ID_AA64ISAR1.DPB = 2
//   FEAT_TLBIOS    TLBI *OS                           ID_AA64ISAR0.TLB = 1
//   FEAT_TLBIRANGE TLBI R*                            ID_AA64ISAR0.TLB = 2
//   FEAT_RDM       SQRDMLAH, SQRDMLSH                 ID_AA64ISAR0.RDM = 1
//   FEAT_DotProd   SDOT, UDOT                         ID_AA64ISAR0.DP = 1
//   FEAT_CSSC      ABS, CNT, CTZ, SMAX/SMIN/UMAX/UMIN ID_AA64ISAR2.CSSC = 1
//   FP, AdvSIMD    scalar FP, SIMD&FP loads/stores    ID_AA64PFR0.FP = AdvSIMD = 0 (every model: base ARMv8)
//   FEAT_FP16      half-precision arithmetic          ID_AA64PFR0.FP = AdvSIMD = 1 (the two fields must agree;
//                  the scalar half-precision rows are implemented, the vector ones arrive with Advanced SIMD)
//   FEAT_JSCVT     FJCVTZS                            ID_AA64ISAR1.JSCVT = 1
//   FEAT_FRINTTS   FRINT32/64{Z,X}                    ID_AA64ISAR1.FRINTTS = 1
// Tags on rows that no model advertises (they disassemble, and execute as UNDEF everywhere; not implemented:
// the models do not advertise them): FEAT_MTE/FEAT_MTE2 (rows/mte.ts: IRG, GMI, SUBP(S), ADDG, SUBG, LDG,
// STG, STZG, ST2G, STZ2G, STGP, LDGM, STGM, STZGM; ID_AA64PFR1.MTE = 0), FEAT_HBC (BC.cond, whose executor
// is B.cond's; ID_AA64ISAR2.BC = 0) and FEAT_SB (SB, a no-op executor; ID_AA64ISAR1.SB = 0), FEAT_WFxT
// (WFET/WFIT; ISAR2.WFxT = 0), FEAT_TME (TSTART/TTEST/TCOMMIT/TCANCEL; ISAR0.TME = 0), FEAT_LS64,
// FEAT_LS64_V, FEAT_LS64_ACCDATA (LD64B, ST64B, ST64BV, ST64BV0; ISAR1.LS64 = 0), rows/later.ts;
// FEAT_PAuth (rows/pauth.ts: PAC*/AUT*/XPAC*, PACGA, BRA*/BLRA*, RETA*, ERETA*, LDRAA/LDRAB; ISAR1.APA/API/
// GPA/GPI = 0; the hint-space forms stay HINT no-ops) and FEAT_MOPS (rows/mops.ts: CPY*, SET*, SETG*;
// ISAR2.MOPS = 0).
// The machines' default model is 'cortex-a57' (the IDs they always had; the kernels' recorded QEMU runs use
// `-cpu cortex-a57`). A Cpu built without a model (the Linux process mode, instruction tests) is 'max'.

export type CpuModelName = 'cortex-a57' | 'cortex-a72' | 'neoverse-n1' | 'max';

export interface CpuModel {
  readonly name: CpuModelName;
  /** Device tree `compatible` of the cpu nodes. */
  readonly dtCompatible: string;
  readonly features: readonly string[];
  readonly midr: bigint;
  readonly revidr: bigint;
  /** Without the EL2 field [11:8], which follows the machine (EL2 implemented or not). */
  readonly pfr0: bigint;
  readonly pfr1: bigint;
  readonly isar0: bigint;
  readonly isar1: bigint;
  readonly isar2: bigint;
  readonly mmfr0: bigint;
  readonly mmfr1: bigint;
  readonly mmfr2: bigint;
  readonly dfr0: bigint;
  readonly ctr: bigint;
  /** DCZID_EL0.BS: log2 of the DC ZVA block in 4-byte words (4: 64 bytes). DZP is computed. */
  readonly dczid: number;
  readonly clidr: bigint;
}

/** EL0 and EL1 AArch64 only [7:0] = 0x11; FP [19:16] and AdvSIMD [23:20] = 0 (implemented, no FP16). */
const PFR0 = 0x00000011n;
/** The same with FEAT_FP16: FP = AdvSIMD = 1. */
const PFR0_FP16 = 0x00110011n;
/** DebugVer 6 (Armv8.0 debug), PMUVer 0 (no PMU), BRPs/WRPs 1 (two of each: the architectural minimum). */
const DFR0 = 0x00101006n;
/** PARange 48 bits, 16-bit ASIDs, no mixed endian, 4K/16K/64K granules. */
const MMFR0_48 = 0x00100025n;

const field = (v: number, lsb: number): bigint => BigInt(v) << BigInt(lsb);

const A57_A72_COMMON = {
  features: ['FEAT_CRC32'],
  revidr: 0n,
  pfr0: PFR0,
  pfr1: 0n,
  isar0: field(1, 16), // CRC32
  isar1: 0n,
  isar2: 0n,
  // PARange 44 bits, 16-bit ASIDs, no mixed endian, 4K/64K granules (16K not supported)
  mmfr0: 0x00000024n,
  mmfr1: 0n,
  mmfr2: 0n,
  dfr0: DFR0,
  ctr: 0x8444c004n, // 64-byte lines, PIPT I-cache
  dczid: 4,
  clidr: 0x0a200023n, // L1 I/D, L2 unified; LoUU 1, LoC 2, LoUIS 1
} as const;

export const CPU_MODELS: Readonly<Record<CpuModelName, CpuModel>> = {
  'cortex-a57': { ...A57_A72_COMMON, name: 'cortex-a57', dtCompatible: 'arm,cortex-a57', midr: 0x411fd073n },
  'cortex-a72': { ...A57_A72_COMMON, name: 'cortex-a72', dtCompatible: 'arm,cortex-a72', midr: 0x410fd083n },
  'neoverse-n1': {
    name: 'neoverse-n1',
    dtCompatible: 'arm,neoverse-n1',
    features: ['FEAT_CRC32', 'FEAT_LSE', 'FEAT_LRCPC', 'FEAT_LOR', 'FEAT_DPB', 'FEAT_RDM', 'FEAT_FP16', 'FEAT_DotProd'],
    midr: 0x413fd0c1n,
    revidr: 0n,
    pfr0: PFR0_FP16,
    pfr1: 0n,
    isar0: field(1, 16) | field(2, 20) | field(1, 28) | field(1, 44), // CRC32, Atomic, RDM, DP
    isar1: field(1, 0) | field(1, 20), // DPB, LRCPC
    isar2: 0n,
    mmfr0: MMFR0_48,
    mmfr1: field(1, 16), // LO
    mmfr2: 0n,
    dfr0: DFR0,
    ctr: 0x9444c004n, // IDC: no D-cache clean needed for I/D coherence
    dczid: 4,
    clidr: 0x0a200023n,
  },
  max: {
    name: 'max',
    dtCompatible: 'arm,armv8',
    features: [
      'FEAT_CRC32', 'FEAT_LSE', 'FEAT_LRCPC', 'FEAT_LRCPC2', 'FEAT_LOR', 'FEAT_FlagM', 'FEAT_FlagM2', 'FEAT_RNG', 'FEAT_DPB',
      'FEAT_DPB2', 'FEAT_TLBIOS', 'FEAT_TLBIRANGE', 'FEAT_RDM', 'FEAT_DotProd', 'FEAT_CSSC', 'FEAT_PAN', 'FEAT_FP16', 'FEAT_JSCVT',
      'FEAT_FRINTTS',
    ],
    midr: 0x000f0510n, // QEMU's `-cpu max` convention: implementer 0 (reserved for software use)
    revidr: 0n,
    pfr0: PFR0_FP16,
    pfr1: 0n,
    // CRC32, Atomic, RDM, DP, TS (FlagM2), TLB (OS + range), RNDR
    isar0: field(1, 16) | field(2, 20) | field(1, 28) | field(1, 44) | field(2, 52) | field(2, 56) | field(1, 60),
    // DPB (CVADP), JSCVT, LRCPC (LDAPUR), FRINTTS
    isar1: field(2, 0) | field(1, 12) | field(2, 20) | field(1, 32),
    isar2: field(1, 52), // CSSC
    mmfr0: MMFR0_48,
    mmfr1: field(1, 16) | field(1, 20), // LO, PAN
    mmfr2: 0n,
    dfr0: DFR0,
    ctr: 0xb444c004n, // IDC and DIC: decoded code is invalidated on every write, no IC IVAU needed
    dczid: 4,
    clidr: 0x0a200023n,
  },
};

export const DEFAULT_CPU_MODEL: CpuModelName = 'cortex-a57';

export const CPU_MODEL_NAMES = Object.keys(CPU_MODELS) as CpuModelName[];

/** The model named `name`; throws a clear error naming the choices. */
export function cpuModel(name: string = DEFAULT_CPU_MODEL): CpuModel {
  const m = (CPU_MODELS as Record<string, CpuModel | undefined>)[name];
  if (!m) throw new Error(`unknown CPU model '${name}' (available: ${CPU_MODEL_NAMES.join(', ')})`);
  return m;
}

/** Default seed of the FEAT_RNG generator (RNDR/RNDRRS): guests see the same numbers on every run. */
export const DEFAULT_RNG_SEED = 0x5eed_a64;
