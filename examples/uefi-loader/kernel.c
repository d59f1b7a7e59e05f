/* kernel.c - the tiny kernel the example loader starts, written the way a unikernel finds its console on
 * an SBSA server: no device tree and no fixed addresses, only ACPI. x0 holds the RSDP; the kernel follows
 * the XSDT to the SPCR table, prints through the UART it describes (PL011/SBSA or 16550 with 8- or 32-bit
 * register access), lists the tables it found, and powers off with PSCI SYSTEM_OFF over the conduit the
 * FADT names (HVC or SMC). Position independent: it runs wherever the loader put it. */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

static volatile u8 *uart;
static int uart_kind;  /* SPCR interface type */
static int uart_shift; /* 16550 register spacing: 0 (bytes) or 2 (32-bit registers) */

static u32 rd32(const void *p) { const u8 *b = p; return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24; }
static u64 rd64(const void *p) { return rd32(p) | (u64)rd32((const u8 *)p + 4) << 32; }

static void putc_(char c) {
  if (!uart) return;
  if (uart_kind == 0x00 || uart_kind == 0x12) { /* 16550: wait for THRE in LSR, then THR */
    if (uart_shift == 2) {
      while (!(*(volatile u32 *)(uart + (5 << 2)) & 0x20)) {}
      *(volatile u32 *)uart = (u8)c;
    } else {
      while (!(uart[5] & 0x20)) {}
      uart[0] = (u8)c;
    }
  } else { /* PL011 / SBSA generic UART: wait while TXFF, then DR */
    while (*(volatile u32 *)(uart + 0x18) & 0x20) {}
    *(volatile u32 *)uart = (u8)c;
  }
}
static void puts_(const char *s) { while (*s) { if (*s == '\n') putc_('\r'); putc_(*s++); } }
static void puthex(u64 v, int digits) {
  puts_("0x");
  for (int i = digits - 1; i >= 0; i--) putc_("0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}
static void putn(const char *s, int n) { for (int i = 0; i < n; i++) putc_(s[i]); }
static int sig_is(const u8 *t, const char *s) { return t[0] == s[0] && t[1] == s[1] && t[2] == s[2] && t[3] == s[3]; }

static u64 psci_system_off(int smc) {
  register u64 x0 __asm__("x0") = 0x84000008; /* PSCI SYSTEM_OFF */
  if (smc) __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
  else __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
  return x0;
}

void kmain(const u8 *rsdp) {
  const u8 *xsdt = (const u8 *)rd64(rsdp + 24);
  u32 n = (rd32(xsdt + 4) - 36) / 8;
  const u8 *spcr = 0, *fadt = 0;
  for (u32 i = 0; i < n; i++) {
    const u8 *t = (const u8 *)rd64(xsdt + 36 + 8 * i);
    if (sig_is(t, "SPCR")) spcr = t;
    if (sig_is(t, "FACP")) fadt = t;
  }
  if (!spcr) for (;;) __asm__ volatile("wfi"); /* no console: nothing we can say */
  uart_kind = spcr[36];
  uart = (volatile u8 *)rd64(spcr + 44);
  uart_shift = spcr[43] == 3 ? 2 : 0; /* GAS access size 3: 32-bit registers, 4 bytes apart */
  puts_("kernel: console from SPCR: interface type ");
  puthex(uart_kind, 2);
  puts_(" at ");
  puthex((u64)uart, 8);
  puts_(uart_shift ? ", 32-bit registers\n" : "\n");
  puts_("kernel: RSDP OEM ");
  putn((const char *)rsdp + 9, 6);
  puts_(", XSDT tables:");
  for (u32 i = 0; i < n; i++) {
    putc_(' ');
    putn((const char *)rd64(xsdt + 36 + 8 * i), 4);
  }
  puts_("\n");
  int smc = fadt && !(fadt[129] & 2); /* ARM_BOOT_ARCH: PSCI_USE_HVC is bit 1 */
  puts_(smc ? "kernel: PSCI SYSTEM_OFF via SMC\n" : "kernel: PSCI SYSTEM_OFF via HVC\n");
  psci_system_off(smc);
  for (;;) __asm__ volatile("wfi");
}
