// EFI_STATUS values (UEFI 2.10 appendix D): errors have the top bit set, warnings do not.
const ERR = 1n << 63n;
export const EFI = {
  SUCCESS: 0n,
  LOAD_ERROR: ERR | 1n,
  INVALID_PARAMETER: ERR | 2n,
  UNSUPPORTED: ERR | 3n,
  BAD_BUFFER_SIZE: ERR | 4n,
  BUFFER_TOO_SMALL: ERR | 5n,
  NOT_READY: ERR | 6n,
  DEVICE_ERROR: ERR | 7n,
  WRITE_PROTECTED: ERR | 8n,
  OUT_OF_RESOURCES: ERR | 9n,
  NOT_FOUND: ERR | 14n,
  ACCESS_DENIED: ERR | 15n,
  ABORTED: ERR | 21n,
  WARN_DELETE_FAILURE: 2n,
} as const;

const NAMES = new Map<bigint, string>(Object.entries(EFI).map(([k, v]) => [v, `EFI_${k}`]));

/** "EFI_NOT_FOUND" or the number in hex. */
export function statusName(s: bigint): string {
  return NAMES.get(s) ?? `0x${s.toString(16)}`;
}
