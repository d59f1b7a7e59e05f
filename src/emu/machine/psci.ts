// PSCI (Arm Power State Coordination Interface, DEN0022) as the machine's firmware, reached over the SMC
// Calling Convention through the machine's conduit (HVC when the guest starts at EL1, SMC when it starts at
// EL2, as QEMU's virt does). Function ID in w0, arguments in x1..x3, result in x0.
//
// Implemented: PSCI_VERSION (1.1), PSCI_FEATURES, CPU_ON, CPU_OFF, AFFINITY_INFO (level 0), SYSTEM_OFF,
// SYSTEM_RESET, MIGRATE_INFO_TYPE. CPU_ON powers the target on at once (it never reports ON_PENDING): it
// starts at the machine's entry EL with the MMU off, DAIF masked, x0 = the context ID. Any other function ID
// (PSCI or another SMCCC service) returns NOT_SUPPORTED (-1), as SMCCC requires. The SMC32 and SMC64
// forms take the same arguments; the SMC32 ones use the low 32 bits of x1..x3.
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

export const PSCI_STATUS = { SUCCESS: 0, NOT_SUPPORTED: -1, INVALID_PARAMETERS: -2, DENIED: -3, ALREADY_ON: -4, INVALID_ADDRESS: -9 } as const;
const { SUCCESS, NOT_SUPPORTED, INVALID_PARAMETERS } = PSCI_STATUS;

/** x<n> as a BigInt; the SMC32 forms use its low 32 bits. */
function xArg(c: Cpu, n: number, smc32: boolean): bigint {
  const lo = BigInt(c.r[2 * n] >>> 0);
  return smc32 ? lo : (BigInt(c.r[2 * n + 1] >>> 0) << 32n) | lo;
}

export interface PsciHost {
  /** The guest asked for power off or reset; the machine stops. */
  powerOff(cpu: Cpu, kind: 'poweroff' | 'reset'): void;
  /** CPU_ON: powers on the CPU with this affinity at `entry` with x0 = context; returns a PSCI status. */
  cpuOn(cpu: Cpu, affinity: bigint, entry: bigint, context: bigint): number;
  /** CPU_OFF of the calling CPU. */
  cpuOff(cpu: Cpu): void;
  /** AFFINITY_INFO at level 0: 0 ON, 1 OFF, or INVALID_PARAMETERS for an unknown affinity. */
  affinityInfo(affinity: bigint): number;
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
    case PSCI.AFFINITY_INFO_64: {
      const smc32 = fn === PSCI.AFFINITY_INFO_32;
      // only affinity level 0 (a single PE) is supported
      setX0(c, xArg(c, 2, smc32) !== 0n ? INVALID_PARAMETERS : host.affinityInfo(xArg(c, 1, smc32)));
      break;
    }
    case PSCI.CPU_ON_32:
    case PSCI.CPU_ON_64: {
      const smc32 = fn === PSCI.CPU_ON_32;
      setX0(c, host.cpuOn(c, xArg(c, 1, smc32), xArg(c, 2, smc32), xArg(c, 3, smc32)));
      break;
    }
    case PSCI.CPU_OFF:
      host.cpuOff(c);
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
