// Encoding table rows: the cryptographic extensions. FEAT_AES (AESE, AESD, AESMC, AESIMC), FEAT_SHA1
// (SHA1C/P/M/H/SU0/SU1), FEAT_SHA256 (SHA256H/H2/SU0/SU1), FEAT_SHA512 (SHA512H/H2/SU0/SU1) and FEAT_SHA3
// (EOR3, RAX1, XAR, BCAX). PMULL of 64-bit lanes (FEAT_PMULL) is in rows/simdLong.ts. Which models
// advertise which feature is in cpu/models.ts.
import type { RowDef } from '../rowTypes';

const bits = (v: number, n: number): string => v.toString(2).padStart(n, '0');

const aes = <I extends string>(id: I, opc: number, name: string) => ({
  id, cls: 'crypto', arm: `${name.toUpperCase()}_B_cryptoaes`, feature: 'FEAT_AES',
  pattern: `01001110 00 10100 ${bits(opc, 5)} 10 Rn:5 Rd:5`,
  asm: `${name} v{n:Rd}.16b, v{n:Rn}.16b`,
}) as const;

const sha3r = <I extends string>(id: I, opc: number, name: string, asm: string, feature: string) => ({
  id, cls: 'crypto', arm: `${name.toUpperCase()}_cryptosha3`, feature,
  pattern: `01011110 00 0 Rm:5 0 ${bits(opc, 3)} 00 Rn:5 Rd:5`,
  asm,
}) as const;

const sha2r = <I extends string>(id: I, opc: number, name: string, asm: string, feature: string) => ({
  id, cls: 'crypto', arm: `${name.toUpperCase()}_cryptosha2`, feature,
  pattern: `01011110 00 10100 ${bits(opc, 5)} 10 Rn:5 Rd:5`,
  asm,
}) as const;

const sha512 = <I extends string>(id: I, opc: number, name: string, asm: string, feature: string) => ({
  id, cls: 'crypto', arm: `${name.toUpperCase()}_cryptosha512_3`, feature,
  pattern: `11001110011 Rm:5 1 0 00 ${bits(opc, 2)} Rn:5 Rd:5`,
  asm,
}) as const;

const four = <I extends string>(id: I, op0: number, name: string) => ({
  id, cls: 'crypto', arm: `${name.toUpperCase()}_VVV16_crypto4`, feature: 'FEAT_SHA3',
  pattern: `11001110 0 ${bits(op0, 2)} Rm:5 0 Ra:5 Rn:5 Rd:5`,
  asm: `${name} v{n:Rd}.16b, v{n:Rn}.16b, v{n:Rm}.16b, v{n:Ra}.16b`,
}) as const;

export const CRYPTO_ROWS = [
  aes('AESE', 0b00100, 'aese'), aes('AESD', 0b00101, 'aesd'), aes('AESMC', 0b00110, 'aesmc'), aes('AESIMC', 0b00111, 'aesimc'),
  sha3r('SHA1C', 0b000, 'sha1c', 'sha1c q{n:Rd}, s{n:Rn}, v{n:Rm}.4s', 'FEAT_SHA1'),
  sha3r('SHA1P', 0b001, 'sha1p', 'sha1p q{n:Rd}, s{n:Rn}, v{n:Rm}.4s', 'FEAT_SHA1'),
  sha3r('SHA1M', 0b010, 'sha1m', 'sha1m q{n:Rd}, s{n:Rn}, v{n:Rm}.4s', 'FEAT_SHA1'),
  sha3r('SHA1SU0', 0b011, 'sha1su0', 'sha1su0 v{n:Rd}.4s, v{n:Rn}.4s, v{n:Rm}.4s', 'FEAT_SHA1'),
  sha3r('SHA256H', 0b100, 'sha256h', 'sha256h q{n:Rd}, q{n:Rn}, v{n:Rm}.4s', 'FEAT_SHA256'),
  sha3r('SHA256H2', 0b101, 'sha256h2', 'sha256h2 q{n:Rd}, q{n:Rn}, v{n:Rm}.4s', 'FEAT_SHA256'),
  sha3r('SHA256SU1', 0b110, 'sha256su1', 'sha256su1 v{n:Rd}.4s, v{n:Rn}.4s, v{n:Rm}.4s', 'FEAT_SHA256'),
  sha2r('SHA1H', 0b00000, 'sha1h', 'sha1h s{n:Rd}, s{n:Rn}', 'FEAT_SHA1'),
  sha2r('SHA1SU1', 0b00001, 'sha1su1', 'sha1su1 v{n:Rd}.4s, v{n:Rn}.4s', 'FEAT_SHA1'),
  sha2r('SHA256SU0', 0b00010, 'sha256su0', 'sha256su0 v{n:Rd}.4s, v{n:Rn}.4s', 'FEAT_SHA256'),
  sha512('SHA512H', 0b00, 'sha512h', 'sha512h q{n:Rd}, q{n:Rn}, v{n:Rm}.2d', 'FEAT_SHA512'),
  sha512('SHA512H2', 0b01, 'sha512h2', 'sha512h2 q{n:Rd}, q{n:Rn}, v{n:Rm}.2d', 'FEAT_SHA512'),
  sha512('SHA512SU1', 0b10, 'sha512su1', 'sha512su1 v{n:Rd}.2d, v{n:Rn}.2d, v{n:Rm}.2d', 'FEAT_SHA512'),
  sha512('RAX1', 0b11, 'rax1', 'rax1 v{n:Rd}.2d, v{n:Rn}.2d, v{n:Rm}.2d', 'FEAT_SHA3'),
  {
    id: 'SHA512SU0', cls: 'crypto', arm: 'SHA512SU0_VV2_cryptosha512_2', feature: 'FEAT_SHA512',
    pattern: '11001110 11000000 1000 00 Rn:5 Rd:5',
    asm: 'sha512su0 v{n:Rd}.2d, v{n:Rn}.2d',
  },
  four('EOR3', 0b00, 'eor3'), four('BCAX', 0b01, 'bcax'),
  {
    id: 'XAR', cls: 'crypto', arm: 'XAR_VVV2_crypto3_imm6', feature: 'FEAT_SHA3',
    pattern: '11001110 100 Rm:5 imm6:6 Rn:5 Rd:5',
    asm: 'xar v{n:Rd}.2d, v{n:Rn}.2d, v{n:Rm}.2d, {#d:imm6}',
  },
] as const satisfies readonly RowDef[];
