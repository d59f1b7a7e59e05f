// The PCIe part of a machine spec: the host bridge's ECAM window and memory windows, the INTx SPIs, and
// the disks to attach as PCI functions. `virt` uses QEMU's map for `-M virt` (hw/arm/virt.c with its
// default highmem=on): ECAM at 0x40_1000_0000 (256 buses, 256 MiB), 32-bit MMIO 0x1000_0000-0x3EFE_FFFF,
// PIO 0x3EFF_0000 (64 KiB), 64-bit MMIO 0x80_0000_0000 (512 GiB), INTA-INTD on SPIs 3-6, MSIs to the ITS with
// DeviceID = requester ID (msi-map identity over 0x10000 IDs).
export interface PcieWindow {
  readonly base: number;
  readonly size: number;
}

export type DiskInterface = 'nvme' | 'virtio';

export interface DiskOption {
  /** The image bytes (the machine keeps writes in a copy-on-write overlay; see CowDisk). */
  readonly image: Uint8Array;
  readonly name?: string;
  /** Default: nvme. */
  readonly interface?: DiskInterface;
  /** NVMe SN / virtio-blk GET_ID (at most 20 ASCII characters). Default 'a64'. */
  readonly serial?: string;
}

export interface PcieSpec {
  readonly ecam: PcieWindow;
  readonly busEnd: number;
  readonly pio: PcieWindow;
  readonly mmio32: PcieWindow;
  readonly mmio64: PcieWindow;
  /** SPI of INTA (INTB-INTD follow). */
  readonly intxSpi: number;
  readonly disks: readonly DiskOption[];
  /** A virtio-rng-pci function after the disks, with this seed for its generator. */
  readonly rng?: { readonly seed: number };
  /** A virtio-console-pci function (one port) after the disks and the rng. */
  readonly console?: boolean;
}

export const VIRT_PCIE = {
  ECAM: { base: 0x40_1000_0000, size: 0x1000_0000 },
  PIO: { base: 0x3eff_0000, size: 0x1_0000 },
  MMIO32: { base: 0x1000_0000, size: 0x2eff_0000 },
  MMIO64: { base: 0x80_0000_0000, size: 0x80_0000_0000 },
  INTX_SPI: 3,
} as const;

/**
 * graviton (ours, the SBSA-style server of firmware/acpi/machines.ts): the low ECAM 0x3F00_0000 with 16 buses,
 * the same memory windows as virt, no I/O window (the PIO window is kept in the spec for the DT ranges but
 * no device has I/O BARs), INTx SPIs 3-6.
 */
export function gravitonPcie(disks: readonly DiskOption[] = []): PcieSpec {
  return {
    ecam: { base: 0x3f00_0000, size: 0x100_0000 }, busEnd: 15, pio: VIRT_PCIE.PIO, mmio32: VIRT_PCIE.MMIO32,
    mmio64: VIRT_PCIE.MMIO64, intxSpi: VIRT_PCIE.INTX_SPI, disks,
  };
}

export function virtPcie(disks: readonly DiskOption[] = [], rng?: { seed: number }, console = false): PcieSpec {
  return {
    ecam: VIRT_PCIE.ECAM, busEnd: 0xff, pio: VIRT_PCIE.PIO, mmio32: VIRT_PCIE.MMIO32, mmio64: VIRT_PCIE.MMIO64,
    intxSpi: VIRT_PCIE.INTX_SPI, disks, rng, console,
  };
}
