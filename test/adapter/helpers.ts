// Shared setup of the adapter tests: bundles src/debugAdapter/main.ts exactly as esbuild.mjs bundles
// dist/debugAdapter.js (same options; into .cache/, one bundle per test process, so the tests always run
// the current sources and parallel test files never race on dist/), starts it as a child process speaking
// DAP over stdio through @vscode/debugadapter-testsupport's DebugClient, and drives the usual launch
// sequence. Timeouts are generous: the machine running the tests is shared and can be slow.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The repository: the nearest folder up from this file (or its bundle in out/test) with our package.json. */
function findRoot(): string {
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'a64-studio') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const ROOT = findRoot();
export const HELLO = join(ROOT, 'examples/hello/hello.elf');
export const KERNELS = join(ROOT, 'test/fixtures/kernels');
export const kernel = (name: string): string => join(KERNELS, `${name}.elf`);

/** Per DAP request/event wait. */
export const TIMEOUT = 60_000;
/** Per test. */
export const TEST_TIMEOUT = 180_000;

let bundled: Promise<string> | undefined;

/** Path of a freshly bundled adapter (A64_ADAPTER_JS overrides, e.g. to test dist/debugAdapter.js). */
export function adapterPath(): Promise<string> {
  if (process.env.A64_ADAPTER_JS) return Promise.resolve(resolve(process.env.A64_ADAPTER_JS));
  bundled ??= (async () => {
    const dir = join(ROOT, '.cache', 'adapter-test');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `debugAdapter.${process.pid}.js`);
    await esbuild.build({
      entryPoints: [join(ROOT, 'src/debugAdapter/main.ts')],
      outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning',
    });
    process.on('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundled;
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', await adapterPath(), 'a64', undefined, true);
  dc.defaultTimeout = TIMEOUT;
  await dc.start();
  return dc;
}

export interface LaunchArgs {
  kernel: string;
  stopOnEntry?: boolean;
  el?: number;
  memory?: string;
  semihosting?: boolean;
  [key: string]: unknown;
}

/**
 * initialize → launch → (initialized) → configure() → configurationDone. Resolves once configurationDone
 * was answered; register waits for events the launch causes before calling this.
 */
export async function launch(dc: DebugClient, args: LaunchArgs, configure?: () => Promise<unknown>): Promise<void> {
  const initialized = dc.waitForEvent('initialized');
  await dc.launch(args);
  await initialized;
  if (configure) await configure();
  await dc.configurationDoneRequest();
}

/**
 * Waits for an event. Register the wait before the request that causes the event; the returned promise
 * never counts as an unhandled rejection when a test fails before awaiting it.
 */
export function event<T extends DebugProtocol.Event>(dc: DebugClient, name: string): Promise<T> {
  const p = dc.waitForEvent(name) as Promise<T>;
  p.catch(() => undefined);
  return p;
}

export function stopped(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  return event<DebugProtocol.StoppedEvent>(dc, 'stopped');
}

/** Requests DebugClient has no method for (readMemory, writeMemory, setInstructionBreakpoints). */
export async function request<R extends DebugProtocol.Response>(dc: DebugClient, command: string, args: object): Promise<R> {
  return (await dc.customRequest(command, args)) as R;
}

export async function topFrame(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 });
  return st.body.stackFrames[0]!;
}

export async function pc(dc: DebugClient): Promise<bigint> {
  return BigInt((await topFrame(dc)).instructionPointerReference!);
}

/** Collects the text of output events of a category. */
export function collectOutput(dc: DebugClient, category = 'stdout'): { text: string } {
  const acc = { text: '' };
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if ((e.body.category ?? 'console') === category) acc.text += e.body.output;
  });
  return acc;
}

/** Waits until cond() holds, polling (for output that arrives in pieces). */
export async function until(cond: () => boolean, what: string, timeout = TIMEOUT): Promise<void> {
  const end = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function stop(dc: DebugClient): Promise<void> {
  // The adapter may already have exited (the guest powered off): then the disconnect request is never
  // answered, so do not wait for it longer than a few seconds.
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([dc.stop(), new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
  } catch {
    // already gone
  } finally {
    clearTimeout(timer);
  }
}
