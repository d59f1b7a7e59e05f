// The extension's entry point (dist/extension.js). activate() wires the `a64` debugger into VS Code: the
// debug configuration provider (F5 without launch.json finds and boots a kernel), the adapter descriptor
// factory (the debug adapter runs inline in the extension host), the UART terminals, the command that
// boots a kernel from the Explorer's context menu, the disk-image task type and command (imageTasks.ts), the
// GIC/ITS panel in the Run and Debug view (gicPanel.ts), and the instruction/source stepping toggle.
import * as vscode from 'vscode';
import { A64ConfigurationProvider } from './configProvider';
import { InlineAdapterFactory } from './inlineAdapter';
import { SteppingToggle } from './stepping';
import { UartTerminals } from './uartTerminal';
import { registerImageTasks } from './imageTasks';
import { GicPanel } from './gicPanel';

export function activate(context: vscode.ExtensionContext): void {
  const provider = new A64ConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider('a64', provider),
    vscode.debug.registerDebugConfigurationProvider('a64', provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory('a64', new InlineAdapterFactory()),
    new UartTerminals(),
    ...registerImageTasks(context),
    new GicPanel(context.extensionUri),
    new SteppingToggle(),
    vscode.commands.registerCommand('a64.debugKernel', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showErrorMessage('A64 Studio: choose a kernel file in the Explorer first.');
        return;
      }
      const folder = vscode.workspace.getWorkspaceFolder(target);
      const base = target.path.slice(target.path.lastIndexOf('/') + 1);
      await vscode.debug.startDebugging(folder, { type: 'a64', request: 'launch', name: `A64: boot ${base}`, kernel: target.fsPath, stopOnEntry: false });
    }),
  );
}

export function deactivate(): void {
  // Sessions end with their debug sessions; nothing else to release.
}
