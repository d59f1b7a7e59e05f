// The decoded form of ACPI tables: what the parser produces and what the ACPI viewer, `a64 acpi decode` and
// the tests consume. Every field carries its name, its offset and length inside its table, its raw bytes
// and its decoded value, so a viewer can show the bytes beside each field. A table is a tree of structures
// (the table itself, then its subtables: MADT entries, IORT nodes, PPTT nodes...). Problems with the bytes
// are reported as warnings (the table is still usable: bad checksum, reserved bits set, unknown revision)
// or errors (the table cannot be fully decoded: truncated, a length pointing past the end).

/** A decoded value: numbers up to 32 bits are `number`, 64-bit ones `bigint`, names and strings `string`. */
export type AcpiValue = number | bigint | string;

export interface AcpiField {
  readonly name: string;
  /** Offset from the start of the table (for an RSDP, from its first byte). */
  readonly offset: number;
  readonly length: number;
  readonly raw: Uint8Array;
  readonly value: AcpiValue;
  /** Human text for the value, e.g. `0x03 (ARM PL011 UART)`. */
  readonly text: string;
  /** Sub-fields: named flag bits, or the parts of a Generic Address Structure. Bit fields have
   *  `offset`/`length` of their containing field and a `bits` range. */
  readonly children?: readonly AcpiField[];
  /** For a flag bit field: [low bit, width]. */
  readonly bits?: readonly [number, number];
}

export interface AcpiStruct {
  /** e.g. `GIC CPU Interface (GICC)` */
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: AcpiField[];
  readonly children: AcpiStruct[];
}

export interface DecodedTable {
  /** Four characters (`APIC`, `DSDT`...) or `RSD PTR ` for the RSDP. */
  readonly signature: string;
  /** Long name, e.g. `Multiple APIC Description Table (MADT)`. */
  readonly title: string;
  /** The table's bytes (as many as were available). */
  readonly bytes: Uint8Array;
  /** Where the table was found: a file offset in a blob, a guest physical address... (informational). */
  readonly origin?: string;
  /** The table itself: header and fixed fields, with subtables as children. */
  readonly root: AcpiStruct;
  readonly warnings: string[];
  readonly errors: string[];
  /** DSDT/SSDT: the AML body disassembled to ASL (legacy, non-operator form), or the reason it failed. */
  readonly asl?: string;
  /** Per line of `asl`, the table offset of the AML object it prints (undefined for braces). */
  readonly aslLineOffsets?: readonly (number | undefined)[];
}

/** A malformed blob: thrown inside the decoders, caught at the API edge and turned into `errors`. */
export class AcpiDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcpiDecodeError';
  }
}
