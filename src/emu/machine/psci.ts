// PSCI (Arm Power State Coordination Interface, DEN0022) as the machine's firmware, reached over the SMC
// Calling Convention through the machine's conduit (HVC when the guest starts at EL1, SMC when it starts at
// EL2, as QEMU's virt does). Function ID in w0, arguments in x1..x3, result in x0.
//
// Implemented: PSCI_VERSION (1.1), PSCI_FEATURES, CPU_OFF, SYSTEM_OFF, SYSTEM_RESET, AFFINITY_INFO,
// MIGRATE_INFO_TYPE. CPU_ON answers ALREADY_ON for CPU 0 and INVALID_PARAMETERS otherwise until SMP exists.
// Any other function ID (PSCI or another SMCCC service) returns NOT_SUPPORTED (-1), as SMCCC requires.
import type { Cpu } from '../cpu/cpu';

export const PSCI = {
  VERSION: 0x84000000,
  CPU_SUSPEND_32: 0x84000001,
  CPU_OFF: 0x84000002,
  CPU_ON_32: 0x84000003,
  AFFINITY_INFO_32: 0x84000004,
  MIGRATE_INFO_TYPE: 0x84000006,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
  FEATURES: 0x8400000a,
  CPU_ON_64: 0xc4000003,
  AFFINITY_INFO_64: 0xc4000004,
} as const;

const SUCCESS = 0;
const NOT_SUPPORTED = -1;
const INVALID_PARAMETERS = -2;
const ALREADY_ON = -4;

export interface PsciHost {
  /** The guest asked for power off or reset; the machine stops. */
  powerOff(cpu: Cpu, kind: 'poweroff' | 'reset'): void;
}

const SUPPORTED = new Set<number>([
  PSCI.VERSION, PSCI.CPU_OFF, PSCI.CPU_ON_32, PSCI.CPU_ON_64, PSCI.AFFINITY_INFO_32, PSCI.AFFINITY_INFO_64,
  PSCI.MIGRATE_INFO_TYPE, PSCI.SYSTEM_OFF, PSCI.SYSTEM_RESET, PSCI.FEATURES,
]);

function setX0(c: Cpu, v: number): void {
  c.r[0] = v | 0;
  c.r[1] = v < 0 ? -1 : 0;
}

/** Handles an SMCCC call; always claims it (unknown functions get NOT_SUPPORTED). */
export function psciCall(c: Cpu, host: PsciHost): boolean {
  const fn = c.r[0] >>> 0;
  switch (fn) {
    case PSCI.VERSION:
      setX0(c, 0x00010001);
      break;
    case PSCI.FEATURES:
      setX0(c, SUPPORTED.has(c.r[2] >>> 0) ? SUCCESS : NOT_SUPPORTED);
      break;
    case PSCI.MIGRATE_INFO_TYPE:
      setX0(c, 2); // Trusted OS not present or does not require migration
      break;
    case PSCI.AFFINITY_INFO_32:
    case PSCI.AFFINITY_INFO_64:
      setX0(c, c.r[2] === 0 && c.r[3] === 0 ? 0 /* ON */ : INVALID_PARAMETERS);
      break;
    case PSCI.CPU_ON_32:
    case PSCI.CPU_ON_64:
      setX0(c, c.r[2] === 0 && c.r[3] === 0 ? ALREADY_ON : INVALID_PARAMETERS);
      break;
    case PSCI.CPU_OFF:
      c.off = true;
      host.powerOff(c, 'poweroff');
      break;
    case PSCI.SYSTEM_OFF:
      host.powerOff(c, 'poweroff');
      break;
    case PSCI.SYSTEM_RESET:
      host.powerOff(c, 'reset');
      break;
    default:
      setX0(c, NOT_SUPPORTED);
  }
  return true;
}
