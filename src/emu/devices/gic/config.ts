// Fixed parameters of our GICv3 model, chosen to match QEMU's `virt` GICv3 (hw/intc/arm_gicv3*.c as of
// QEMU 7.2) so that kernels see the same ID registers on both:
// - 256 interrupt IDs below the LPIs (SGIs 0-15, PPIs 16-31, SPIs 32-255): GICD_TYPER.ITLinesNumber = 7,
//   what QEMU 7.2's virt reports.
// - 16 bits of interrupt ID (GICD_TYPER.IDbits = 15), LPIs from 8192 (IHI 0069 1.2.1).
// - 5 bits of priority and 5 bits of preemption in the CPU interface (Cortex-A57/A72 and QEMU's default):
//   ICC_PMR_EL1 keeps bits [7:3], only ICC_AP0R0_EL1/ICC_AP1R0_EL1 exist, the minimum ICC_BPR0_EL1 is 2.
// - A single Security state (GICD_CTLR.DS = 1): the machine has no EL3, as QEMU's virt without
//   secure=on. Group 0 is signalled as FIQ, Group 1 as IRQ; GICD_IGRPMODR is RAZ/WI.

export const NUM_IRQ = 256;
export const SPI_START = 32;
export const LPI_START = 8192;
/** GICD_TYPER.IDbits + 1. */
export const ID_BITS = 16;
export const PRI_BITS = 5;
export const PRE_BITS = 5;
/** Priority bits the CPU interface implements (ICC_PMR_EL1, ICC_RPR_EL1). */
export const PRI_MASK = (0xff << (8 - PRI_BITS)) & 0xff;
export const INTID_SPURIOUS = 1023;
/** Idle running priority (ICC_RPR_EL1 when no interrupt is active). */
export const IDLE_PRIORITY = 0xff;

/** Redistributor stride: RD_base + SGI_base, 64 KiB each. */
export const GICR_STRIDE = 0x20000;
export const GICR_SGI_OFFSET = 0x10000;

/** The JEP106 code of Arm in GICD_IIDR/GICR_IIDR/GITS_IIDR.Implementer form. */
export const IIDR_ARM = 0x43b;
/** PIDR2 of every GIC frame: ArchRev 3 (GICv3), JEDEC bit, JEP106 identity bits. */
export const PIDR2_GICV3 = 0x3b;
