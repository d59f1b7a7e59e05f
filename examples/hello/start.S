/*
 * start.S - entry point of the "hello" example kernel.
 *
 * QEMU's -kernel loader jumps to _start (the ELF entry, 0x40080000) with the MMU and caches off, at EL1
 * (or at EL2 with -M virt,virtualization=on). x0 is passed on to kernel_main as the device tree address;
 * note that QEMU 7.2 sets x0 only for Linux-style images and leaves it 0 for an ELF. This file parks every
 * CPU but CPU 0, sets up a 16-byte aligned stack, zeroes .bss, and calls kernel_main(dtb) in hello.c with
 * a null frame pointer and link register so that a debugger's stack walk stops here. If kernel_main ever
 * returns, the kernel powers the machine off.
 */
	.section .text.boot, "ax"
	.global	_start
	.type	_start, %function
_start:
	mov	x19, x0			// the DTB address (if any); callee-saved across the setup below

	mrs	x1, mpidr_el1		// only CPU 0 runs the kernel; others wait forever
	and	x1, x1, #0xff
	cbnz	x1, park

	adrp	x1, __stack_top		// the stack grows down from __stack_top (16-byte aligned, see link.ld)
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1

	adrp	x1, __bss_start		// zero .bss, 8 bytes at a time (link.ld aligns both ends to 16)
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b

2:	mov	x29, xzr		// terminate the frame-pointer chain
	mov	x30, xzr
	mov	x0, x19
	bl	kernel_main
	bl	system_off		// does not return

park:
	wfe
	b	park
	.size	_start, . - _start

	.section .note.GNU-stack, "", %progbits
