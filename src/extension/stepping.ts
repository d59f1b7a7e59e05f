// The instruction/source stepping toggle: two commands that share one toolbar slot of an `a64` debug
// session (the context key a64.instructionStepping picks which one shows). Each sends the adapter's
// custom request a64.setStepping, so Step Over / Step Into then step by instruction or by source line
// whichever view has focus. The state is per debug session; the key follows the active session.
import * as vscode from 'vscode';

const KEY = 'a64.instructionStepping';

export class SteppingToggle implements vscode.Disposable {
  private readonly instruction = new Map<string, boolean>();
  private readonly subs: vscode.Disposable[];

  constructor() {
    this.subs = [
      vscode.commands.registerCommand('a64.useInstructionStepping', () => this.set('instruction')),
      vscode.commands.registerCommand('a64.useSourceStepping', () => this.set('source')),
      vscode.debug.onDidChangeActiveDebugSession((s) => void this.showKey(s)),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== 'a64') return;
        this.instruction.set(s.id, s.configuration.stepping === 'instruction');
        void this.showKey(s);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.instruction.delete(s.id)),
    ];
  }

  private async set(granularity: 'source' | 'instruction'): Promise<void> {
    const s = vscode.debug.activeDebugSession;
    if (!s || s.type !== 'a64') {
      void vscode.window.showInformationMessage('A64 Studio: no A64 debug session is active.');
      return;
    }
    const r = (await s.customRequest('a64.setStepping', { granularity })) as { granularity: string; sourceAvailable: boolean };
    this.instruction.set(s.id, r.granularity === 'instruction');
    await this.showKey(s);
    const note = r.granularity === 'source' && !r.sourceAvailable ? ' (the kernel has no line info: steps stay by instruction)' : '';
    vscode.window.setStatusBarMessage(`A64: stepping by ${r.granularity === 'instruction' ? 'instruction' : 'source line'}${note}`, 4000);
  }

  private async showKey(s: vscode.DebugSession | undefined): Promise<void> {
    const on = !!s && s.type === 'a64' && !!this.instruction.get(s.id);
    await vscode.commands.executeCommand('setContext', KEY, on);
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }
}
