// The one file of the extension allowed to import the debug adapter itself (eslint.config.mjs): a
// descriptor factory that runs an A64DebugSession inside the extension host, so the emulator needs no
// separate process and UART traffic, pause and custom requests go straight to the session object.
import * as vscode from 'vscode';
import { A64DebugSession } from '../debugAdapter/session';

export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(_session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterInlineImplementation(new A64DebugSession());
  }
}
