// Threads and their call stacks. One thread per CPU: thread id cpu + 1, named "CPU n". Frame ids encode
// the CPU (cpu * FRAME_STRIDE + frame index + 1), so scopes and evaluate know whose registers a frame
// means. The stackTrace response comes from the target's unwinder (unwind.ts): a frame is named
// 'sym+0x10' (or by its address, then shown subtle) and carries its instruction pointer for VS Code's
// disassembly view; with DWARF line info a frame is named for its function and carries its source file
// and line (for a caller, the line of the call: its return address minus 4 is looked up).

import { Source, StackFrame, Thread } from '@vscode/debugadapter';
import { basename } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget, TargetFrame } from './debugTarget';
import { hexAddr } from './format';
import type { SourceInfo } from './sourceInfo';

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

export async function stackTrace(t: DebugTarget, cpu: number, args: DebugProtocol.StackTraceArguments, info?: SourceInfo,
  unwind: (cpu: number, max: number) => Promise<TargetFrame[]> = (c, n) => t.stackFrames(c, n)): Promise<DebugProtocol.StackTraceResponse['body']> {
  const start = args.startFrame ?? 0;
  const levels = args.levels && args.levels > 0 ? args.levels : DEFAULT_LEVELS;
  const frames = await unwind(cpu, Math.min(start + levels, MAX_FRAMES));
  return {
    stackFrames: frames.slice(start, start + levels).map((f, i) => {
      const lookup = f.how === 'pc' ? f.pc : f.pc - 4n;
      const line = info?.lineAt(lookup);
      const name = info?.functionName(lookup) ?? f.location ?? hexAddr(f.pc);
      const sf: DebugProtocol.StackFrame = new StackFrame(cpu * FRAME_STRIDE + start + i + 1, name);
      if (line) {
        sf.source = sourceOf(line.path);
        sf.line = line.line;
        sf.column = Math.max(1, line.column);
      }
      sf.instructionPointerReference = hexAddr(f.pc);
      sf.presentationHint = f.location || line ? 'normal' : 'subtle';
      sf.canRestart = false;
      return sf;
    }),
    totalFrames: frames.length,
  };
}
