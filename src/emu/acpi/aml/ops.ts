// The AML opcode table (ACPI 6.5 section 20.2) used by the AML parser: for each opcode its ASL name and the
// kinds of its fixed arguments. T = TermArg, S = SuperName/Target (0x00 = no target), N = NameString,
// B/W/D = byte/word/dword data. Opcodes with a PkgLength or special syntax (Scope, Method, Buffer, Package,
// If/Else/While, Field, Device...) are parsed by hand in parse.ts and are not listed here.

export type ArgKind = 'T' | 'S' | 'N' | 'B' | 'W' | 'D';

export interface OpDef {
  readonly name: string;
  readonly args: string;
}

const ops = (entries: [number, string, string][]): Map<number, OpDef> =>
  new Map(entries.map(([code, name, args]) => [code, { name, args }]));

export const OPS = ops([
  [0x06, 'Alias', 'NN'],
  [0x70, 'Store', 'TS'], [0x71, 'RefOf', 'S'], [0x72, 'Add', 'TTS'], [0x73, 'Concatenate', 'TTS'],
  [0x74, 'Subtract', 'TTS'], [0x75, 'Increment', 'S'], [0x76, 'Decrement', 'S'], [0x77, 'Multiply', 'TTS'],
  [0x78, 'Divide', 'TTSS'], [0x79, 'ShiftLeft', 'TTS'], [0x7a, 'ShiftRight', 'TTS'], [0x7b, 'And', 'TTS'],
  [0x7c, 'NAnd', 'TTS'], [0x7d, 'Or', 'TTS'], [0x7e, 'NOr', 'TTS'], [0x7f, 'XOr', 'TTS'], [0x80, 'Not', 'TS'],
  [0x81, 'FindSetLeftBit', 'TS'], [0x82, 'FindSetRightBit', 'TS'], [0x83, 'DerefOf', 'T'],
  [0x84, 'ConcatenateResTemplate', 'TTS'], [0x85, 'Mod', 'TTS'], [0x86, 'Notify', 'ST'], [0x87, 'SizeOf', 'S'],
  [0x88, 'Index', 'TTS'], [0x89, 'Match', 'TBTBTT'], [0x8a, 'CreateDWordField', 'TTN'],
  [0x8b, 'CreateWordField', 'TTN'], [0x8c, 'CreateByteField', 'TTN'], [0x8d, 'CreateBitField', 'TTN'],
  [0x8e, 'ObjectType', 'S'], [0x8f, 'CreateQWordField', 'TTN'], [0x90, 'LAnd', 'TT'], [0x91, 'LOr', 'TT'],
  [0x92, 'LNot', 'T'], [0x93, 'LEqual', 'TT'], [0x94, 'LGreater', 'TT'], [0x95, 'LLess', 'TT'],
  [0x96, 'ToBuffer', 'TS'], [0x97, 'ToDecimalString', 'TS'], [0x98, 'ToHexString', 'TS'], [0x99, 'ToInteger', 'TS'],
  [0x9c, 'ToString', 'TTS'], [0x9d, 'CopyObject', 'TS'], [0x9e, 'Mid', 'TTTS'], [0x9f, 'Continue', ''],
  [0xa3, 'Noop', ''], [0xa4, 'Return', 'T'], [0xa5, 'Break', ''], [0xcc, 'BreakPoint', ''],
]);

/** Opcodes after the 0x5B ExtOpPrefix. */
export const EXT_OPS = ops([
  [0x01, 'Mutex', 'NB'], [0x02, 'Event', 'N'], [0x12, 'CondRefOf', 'SS'], [0x13, 'CreateField', 'TTTN'],
  [0x1f, 'LoadTable', 'TTTTTT'], [0x20, 'Load', 'NS'], [0x21, 'Stall', 'T'], [0x22, 'Sleep', 'T'],
  [0x23, 'Acquire', 'SW'], [0x24, 'Signal', 'S'], [0x25, 'Wait', 'ST'], [0x26, 'Reset', 'S'], [0x27, 'Release', 'S'],
  [0x28, 'FromBCD', 'TS'], [0x29, 'ToBCD', 'TS'], [0x30, 'Revision', ''], [0x31, 'Debug', ''], [0x32, 'Fatal', 'BDT'],
  [0x33, 'Timer', ''], [0x80, 'OperationRegion', 'NBTT'],
]);

export const REGION_SPACES: Record<number, string> = {
  0: 'SystemMemory', 1: 'SystemIO', 2: 'PCI_Config', 3: 'EmbeddedControl', 4: 'SMBus', 5: 'SystemCMOS',
  6: 'PCIBARTarget', 7: 'IPMI', 8: 'GeneralPurposeIO', 9: 'GenericSerialBus', 10: 'PCC', 11: 'PlatformRtMechanism',
};
