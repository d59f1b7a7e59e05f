// What the built-in UEFI firmware needs from the machine it runs on. The machine implements it (the CPU
// that called a service, guest physical memory, the console UART, the boot disk's bytes, the ACPI tables
// it placed, virtual time); the firmware never imports the CPU or devices. Addresses are guest physical
// addresses as numbers (RAM lies far below 2^53).

export interface FirmwareHost {
  /** Guest RAM: the firmware manages [base, base + size) as the UEFI memory map. */
  readonly ramBase: number;
  readonly ramSize: number;
  read(addr: number, length: number): Uint8Array;
  write(addr: number, bytes: Uint8Array): void;
  /** X register n (0..30) of the calling CPU, and setting it. */
  x(n: number): bigint;
  setX(n: number, v: bigint): void;
  /** The calling CPU's stack pointer (of its current EL), and setting it. */
  sp(): bigint;
  setSp(v: bigint): void;
  /** Console output (UTF-16 text already converted). */
  console(text: string): void;
  /** Console input: the next key, or undefined when none is waiting. */
  readKey?(): number | undefined;
  /** The boot disk's bytes (copy-on-write by the machine: writes land in the machine's overlay). */
  readonly disk?: Uint8Array;
  /** Physical address of the ACPI RSDP the machine placed in memory (reserved as ACPI memory). */
  readonly acpiRsdp?: number;
  /** Ranges the machine already uses (ACPI tables, DTB...), kept out of the allocator. */
  readonly reserved?: readonly { base: number; size: number; type: number }[];
  /** Seconds of virtual time since power on (for GetTime, Stall, timers). */
  seconds(): number;
  /** Advance virtual time (Stall, WaitForEvent on a timer), in microseconds. */
  advance?(microseconds: number): void;
  /** A service the loader called that we do not implement, or a misuse: reported, never silent. */
  report(message: string): void;
  /** ResetSystem: 'cold' | 'warm' | 'shutdown'. */
  reset(kind: 'cold' | 'warm' | 'shutdown', status: bigint): void;
}
