// The Linux process mode's public face: LinuxProcess runs a static AArch64 Linux executable at EL0 with the
// emulator as its kernel; the rest are its option, event and layout types and the HWCAP helpers.
export { LinuxProcess, type ProcessOptions, type ProcessEvents, type ProcessStop, type ProcessReport } from './process';
export { hwcapFor, detectCpuFeatures, type CpuFeatures } from './hwcap';
export { syscallName } from './syscallNames';
export { SYSCALLS } from './syscalls';
export type { ProcessLayout, ProcessLayoutOptions } from './layout';
export { MMAP_BASE, STACK_TOP, DEFAULT_HEAP, DEFAULT_MMAP, DEFAULT_STACK } from './layout';
export type { HostFs, HostStat } from './files';
