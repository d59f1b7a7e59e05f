// The emulator's public API: everything outside src/emu (the debug adapter, the command line, tests of
// whole machines) goes through these exports. Pure TypeScript: no VS Code, no DAP, no file system.
export { Machine } from './machine/machine';
export type {
  StopReason, GuestErrorEvent, MachineEvents, StopOptions, LoadOptions, RegisterSet, DisassembledLine,
  ResumeOptions, MmuEnabledEvent, InterruptTakenEvent, TimerFiredEvent, ExceptionTakenEvent,
} from './machine/machine';
export type { WalkResult, WalkLevel, TranslationParams, Permissions } from './cpu/mmu';
export type { TimerSnapshot } from './cpu/timer';
export type { Watchpoint, WatchKind, WatchHit } from './cpu/watchpoints';
export type { MachineOptions, MachineName, MachineSpec } from './machine/spec';
export { parseSize, MAX_CPUS } from './machine/spec';
export { bootUefi, bootDiskUefi, isGptDisk, type UefiBootOptions } from './machine/uefiBoot';
export { UefiBootError } from './firmware/uefi';
export { buildDisk, inspectDisk, openEsp, type DiskSpec, type PartitionSpec } from './disk/diskImage';
export { readImageConfig, isAarch64Pe, type ImageFs, type ImageConfigResult, type MachineShape } from './disk/imageConfig';
export { CPU_MODELS, CPU_MODEL_NAMES, DEFAULT_CPU_MODEL, type CpuModel, type CpuModelName } from './cpu/models';
export { LoaderError, SymbolTable, loadKernel, type LoadedImage, type Sym, type Section, type SymbolMatch } from './loader';
export { disassemble, type Disassembly } from './isa/disasm';
export { EC_NAMES } from './cpu/exceptions';
export { parseFdt } from './machine/fdt';
export { Gic, type GicSnapshot } from './devices/gic/gic';
export type { GicEvent } from './devices/gic/events';
export { formatItsCommand, type ItsCommandRecord, type ItsCommand } from './devices/gic/itsCommands';
export {
  LinuxProcess, hwcapFor, detectCpuFeatures, syscallName,
  type ProcessOptions, type ProcessEvents, type ProcessStop, type ProcessReport, type CpuFeatures, type HostFs, type HostStat,
} from './process';
export {
  decodeTable, splitTables, readTablesFromRsdp, hexDump, type PhysReader, type SplitResult,
} from './acpi/decode';
export { formatTable } from './acpi/format';
export { disassembleAml, type AmlDisassembly } from './acpi/aml/disasm';
export type { AcpiField, AcpiStruct, AcpiValue, DecodedTable } from './acpi/types';
export { buildAcpiTables, type AcpiImage, type BuiltTable } from './firmware/acpi/build';
export { BUILTIN_PLATFORMS, virtPlatform, gravitonPlatform } from './firmware/acpi/machines';
export type { AcpiPlatform, AcpiCpu, AcpiGic, AcpiTimers, AcpiUart, AcpiRtc, AcpiPcie, AcpiWindow } from './firmware/acpi/platform';
export { crossCheck, type Finding } from './acpi/crossCheck';
