// Entry point of dist/debugAdapter.js: the A64 debug adapter as a standalone process speaking DAP over
// stdin/stdout (used by the adapter tests and by any DAP client; inside VS Code the extension normally runs
// the same session inline, see src/extension/inlineAdapter.ts). The process ends when its client goes
// away (stdin closes), even if the guest is still running.
import { DebugSession } from '@vscode/debugadapter';
import { A64DebugSession } from './session';

/** DebugSession.run constructs the session itself, with the library's (obsolete) constructor arguments. */
class StdioSession extends A64DebugSession {
  constructor() {
    super();
  }
}

DebugSession.run(StdioSession);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
