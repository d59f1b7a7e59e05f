/* kstart.S - the kernel's entry at offset 0 of kernel.bin: x0 = RSDP from the loader; the loader's stack
 * is still usable (after ExitBootServices nothing else runs), so go straight to C. */
	.section .text.start, "ax"
	.global _start
_start:
	b	kmain
