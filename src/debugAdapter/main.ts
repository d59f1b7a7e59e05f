// Entry point of dist/debugAdapter.js: the A64 debug adapter as a standalone process speaking DAP over
// stdin/stdout (used by the adapter tests and by any DAP client; inside VS Code the extension normally runs
// the same session inline, see src/extension/inlineAdapter.ts).
import { DebugSession } from '@vscode/debugadapter';
import { A64DebugSession } from './session';

/** DebugSession.run constructs the session itself, with the library's (obsolete) constructor arguments. */
class StdioSession extends A64DebugSession {
  constructor() {
    super();
  }
}

DebugSession.run(StdioSession);
