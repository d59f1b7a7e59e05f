// The emulator's public API: everything outside src/emu (the debug adapter, the command line, tests of
// whole machines) goes through these exports. Pure TypeScript: no VS Code, no DAP, no file system.
export { Machine } from './machine/machine';
export type {
  StopReason, GuestErrorEvent, MachineEvents, StopOptions, LoadOptions, RegisterSet, DisassembledLine,
  MmuEnabledEvent, InterruptTakenEvent, TimerFiredEvent, ExceptionTakenEvent,
} from './machine/machine';
export type { WalkResult, WalkLevel, TranslationParams, Permissions } from './cpu/mmu';
export type { TimerSnapshot } from './cpu/timer';
export type { MachineOptions, MachineName, MachineSpec } from './machine/spec';
export { parseSize, MAX_CPUS } from './machine/spec';
export { CPU_MODELS, CPU_MODEL_NAMES, DEFAULT_CPU_MODEL, type CpuModel, type CpuModelName } from './cpu/models';
export { LoaderError, SymbolTable, loadKernel, type LoadedImage, type Sym, type Section, type SymbolMatch } from './loader';
export { disassemble, type Disassembly } from './isa/disasm';
export { EC_NAMES } from './cpu/exceptions';
export { parseFdt } from './machine/fdt';
export {
  LinuxProcess, hwcapFor, detectCpuFeatures, syscallName,
  type ProcessOptions, type ProcessEvents, type ProcessStop, type ProcessReport, type CpuFeatures,
} from './process';
