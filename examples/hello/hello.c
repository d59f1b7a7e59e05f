/*
 * hello.c - the C part of the "hello" example kernel for QEMU's virt machine.
 *
 * kernel_main() is called by start.S. It prints a greeting on the PL011 UART at 0x09000000 (polling the
 * TXFF flag before each write), the exception level it runs at, and a few Fibonacci numbers formatted by a
 * hand-written integer-to-decimal routine, then powers the machine off through PSCI SYSTEM_OFF: HVC at EL1
 * (QEMU's conduit without virtualization), SMC at EL2 (QEMU's conduit with -M virt,virtualization=on).
 * The functions call each other on purpose, so that stepping over a BL in a debugger means something.
 * Built with -mgeneral-regs-only: integer instructions only.
 */
#include <stdint.h>

#define UART0_BASE	0x09000000UL	/* PL011 on QEMU virt */
#define UART_DR		0x00		/* data register */
#define UART_FR		0x18		/* flag register */
#define UART_FR_TXFF	(1u << 5)	/* transmit FIFO full */
#define UART_CR		0x30		/* control register */
#define UART_CR_UARTEN	(1u << 0)	/* UART enable */
#define UART_CR_TXE	(1u << 8)	/* transmit enable */
#define UART_CR_RXE	(1u << 9)	/* receive enable */

#define PSCI_SYSTEM_OFF	0x84000008u	/* SMC32 function id */

void kernel_main(uint64_t dtb);
void system_off(void) __attribute__((noreturn));

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

/* Enables the UART. QEMU transmits without this, real PL011s do not: do it as hardware needs. */
__attribute__((noinline)) void uart_init(void)
{
	mmio_write32(UART0_BASE + UART_CR, UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
}

/* Writes one byte, waiting while the transmit FIFO is full. */
__attribute__((noinline)) void uart_putc(char c)
{
	while (mmio_read32(UART0_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART0_BASE + UART_DR, (uint8_t)c);
}

/* Writes a NUL-terminated string; "\n" becomes "\r\n" for the terminal. */
__attribute__((noinline)) void uart_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

/* Writes an unsigned number in decimal, without any library help. */
__attribute__((noinline)) void uart_put_dec(uint64_t value)
{
	char buf[21];		/* 2^64 - 1 has 20 digits */
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	uart_puts(&buf[i]);
}

/* The exception level we run at (CurrentEL bits [3:2]). */
__attribute__((noinline)) unsigned int current_el(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (unsigned int)((el >> 2) & 3);
}

/* The n-th Fibonacci number, computed iteratively. */
__attribute__((noinline)) uint64_t fib(unsigned int n)
{
	uint64_t a = 0, b = 1;

	while (n-- > 0) {
		uint64_t next = a + b;

		a = b;
		b = next;
	}
	return a;
}

static void print_fibonacci(unsigned int count)
{
	uart_puts("Fibonacci:");
	for (unsigned int n = 0; n < count; n++) {
		uart_putc(' ');
		uart_put_dec(fib(n));
	}
	uart_puts("\n");
}

/* PSCI SYSTEM_OFF: QEMU exits. The conduit depends on the level we were started at. */
void system_off(void)
{
	unsigned int el = current_el();
	/* Bound to x0 only after the call above: a call would clobber it. */
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (el >= 2)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	for (;;)		/* not reached: SYSTEM_OFF does not return */
		__asm__ volatile("wfi");
}

void kernel_main(uint64_t dtb)
{
	(void)dtb;
	uart_init();
	uart_puts("Hello from A64 Studio!\n");
	uart_puts("Running at EL");
	uart_put_dec(current_el());
	uart_puts("\n");
	print_fibonacci(12);
	uart_puts("Powering off.\n");
}
