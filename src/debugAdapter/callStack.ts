// Threads and their call stacks. One thread per CPU: thread id cpu + 1, named "CPU n". Frame ids encode
// the CPU (cpu * FRAME_STRIDE + frame index + 1), so scopes and evaluate know whose registers a frame
// means. The stackTrace response comes from the target's unwinder (unwind.ts): a frame is named
// 'sym+0x10' (or by its address, then shown subtle) and carries its instruction pointer for VS Code's
// disassembly view; frames have no source until we read DWARF.

import { StackFrame, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './debugTarget';
import { hexAddr } from './format';

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

export async function stackTrace(t: DebugTarget, cpu: number, args: DebugProtocol.StackTraceArguments): Promise<DebugProtocol.StackTraceResponse['body']> {
  const start = args.startFrame ?? 0;
  const levels = args.levels && args.levels > 0 ? args.levels : DEFAULT_LEVELS;
  const frames = await t.stackFrames(cpu, Math.min(start + levels, MAX_FRAMES));
  return {
    stackFrames: frames.slice(start, start + levels).map((f, i) => {
      const sf: DebugProtocol.StackFrame = new StackFrame(cpu * FRAME_STRIDE + start + i + 1, f.location ?? hexAddr(f.pc));
      sf.instructionPointerReference = hexAddr(f.pc);
      sf.presentationHint = f.location ? 'normal' : 'subtle';
      sf.canRestart = false;
      return sf;
    }),
    totalFrames: frames.length,
  };
}
