// Threads and their call stacks. One thread per CPU: thread id cpu + 1, named "CPU n". Frame ids encode
// the CPU (cpu * FRAME_STRIDE + frame index + 1), so scopes and evaluate know whose registers a frame
// means. The stackTrace response comes from the target's unwinder (unwind.ts): a frame is named
// 'sym+0x10' (or by its address, then shown subtle) and carries its instruction pointer for VS Code's
// disassembly view; with DWARF line info a frame is named for its function and carries its source file
// and line (for a caller, the line of the call: its return address minus 4 is looked up); a call the
// compiler inlined is a frame of its own, at the same PC (sourceVariables.ts).

import { Source, StackFrame, Thread } from '@vscode/debugadapter';
import { basename } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './debugTarget';
import { hexAddr } from './format';
import type { SourceInfo, SourceLine } from './sourceInfo';

const FRAME_STRIDE = 0x10000;
const DEFAULT_LEVELS = 64;
const MAX_FRAMES = 256;

export function threads(cpuCount: number | undefined): DebugProtocol.Thread[] {
  const n = Math.max(1, cpuCount ?? 1);
  return Array.from({ length: n }, (_, i) => new Thread(i + 1, `CPU ${i}`));
}

/** The CPU of a thread id; CPU 0 for a missing or unknown one. */
export function cpuOfThread(threadId: number | undefined, cpuCount: number | undefined): number {
  const cpu = (threadId ?? 1) - 1;
  const n = cpuCount ?? 1;
  return cpu >= 0 && cpu < n ? cpu : 0;
}

/** The CPU whose stack a frame id belongs to. */
export function cpuOfFrame(frameId: number): number {
  return Math.floor((frameId - 1) / FRAME_STRIDE);
}

/** The frame a frame id names: its CPU and its index in the call stack. */
export function frameOf(frameId: number): { cpu: number; index: number } {
  return { cpu: cpuOfFrame(frameId), index: (frameId - 1) % FRAME_STRIDE };
}

/** A DAP Source for an absolute path. */
export function sourceOf(path: string): DebugProtocol.Source {
  return new Source(basename(path), path);
}

/** A frame as the Call Stack view shows it (sourceVariables.ts builds these, inlined calls included). */
export interface FrameView {
  pc: bigint;
  name: string;
  line?: SourceLine;
  /** Shown subtle: no symbol and no source. */
  subtle?: boolean;
}

/** Frame views from the target's unwinder, named and placed by DWARF when the kernel has it. */
export async function targetFrameViews(t: DebugTarget, cpu: number, max: number, info?: SourceInfo): Promise<FrameView[]> {
  const frames = await t.stackFrames(cpu, max);
  return frames.map((f) => {
    const lookup = f.how === 'pc' ? f.pc : f.pc - 4n;
    const line = info?.lineAt(lookup);
    return { pc: f.pc, name: info?.functionName(lookup) ?? f.location ?? hexAddr(f.pc), line, subtle: !f.location && !line };
  });
}

export async function stackTrace(cpu: number, args: DebugProtocol.StackTraceArguments,
  views: (cpu: number, max: number) => Promise<FrameView[]>): Promise<DebugProtocol.StackTraceResponse['body']> {
  const start = args.startFrame ?? 0;
  const levels = args.levels && args.levels > 0 ? args.levels : DEFAULT_LEVELS;
  const frames = await views(cpu, Math.min(start + levels, MAX_FRAMES));
  return {
    stackFrames: frames.slice(start, start + levels).map((f, i) => {
      const sf: DebugProtocol.StackFrame = new StackFrame(cpu * FRAME_STRIDE + start + i + 1, f.name);
      if (f.line) {
        sf.source = sourceOf(f.line.path);
        sf.line = f.line.line;
        sf.column = Math.max(1, f.line.column);
      }
      sf.instructionPointerReference = hexAddr(f.pc);
      sf.presentationHint = f.subtle ? 'subtle' : 'normal';
      sf.canRestart = false;
      return sf;
    }),
    totalFrames: frames.length,
  };
}
