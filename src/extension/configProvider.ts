// Debug configurations for the `a64` debugger. F5 in a folder without launch.json reaches
// resolveDebugConfiguration with an empty configuration: we find a kernel in the workspace (an AArch64
// ELF: magic, 64-bit little-endian, e_machine 183 — only the first 20 bytes are read), preferring files
// named *.elf, and boot it. `provideDebugConfigurations` offers the same when VS Code creates a launch.json
// or lists dynamic configurations. With no kernel found we say so and cancel the launch.
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { isAarch64ElfHeader, isKernelCandidateName, rankKernels } from './kernelProbe';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';

async function readHeader(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    if (uri.scheme === 'file') {
      const f = await open(uri.fsPath, 'r');
      try {
        const buf = new Uint8Array(20);
        const { bytesRead } = await f.read(buf, 0, 20, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await f.close();
      }
    }
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > 64 * 1024 * 1024) return undefined;
    return (await vscode.workspace.fs.readFile(uri)).subarray(0, 20);
  } catch {
    return undefined;
  }
}

async function mtime(uri: vscode.Uri): Promise<number> {
  try {
    return (await vscode.workspace.fs.stat(uri)).mtime;
  } catch {
    return 0;
  }
}

/**
 * AArch64 ELF kernels in the workspace (or in `folder`), best first: files named *.elf before others, then
 * the ones nearest to the active editor's file, then the most recently modified.
 */
export async function findKernels(folder?: vscode.WorkspaceFolder, limit = 20): Promise<vscode.Uri[]> {
  const include = (glob: string): vscode.GlobPattern => (folder ? new vscode.RelativePattern(folder, glob) : glob);
  const check = async (uris: vscode.Uri[]): Promise<vscode.Uri[]> => {
    const ok: vscode.Uri[] = [];
    for (const u of uris) {
      const h = await readHeader(u);
      if (h && isAarch64ElfHeader(h)) ok.push(u);
    }
    return ok;
  };
  let found = await check(await vscode.workspace.findFiles(include('**/*.elf'), EXCLUDE, 200));
  if (!found.length) {
    // No *.elf: look at files without an extension and the usual other ELF names (kernel, *.axf, *.out).
    const others = await vscode.workspace.findFiles(include('**/*'), EXCLUDE, 2000);
    const candidates = others.filter((u) => isKernelCandidateName(u.path.slice(u.path.lastIndexOf('/') + 1)));
    found = await check(candidates.slice(0, 500));
  }
  const active = vscode.window.activeTextEditor?.document.uri.path;
  const withTimes = await Promise.all(found.map(async (u) => ({ u, path: u.path, mtime: await mtime(u) })));
  const scored = rankKernels(withTimes, active);
  return scored.slice(0, limit).map((s) => s.u);
}

function configFor(kernel: vscode.Uri, folder?: vscode.WorkspaceFolder): vscode.DebugConfiguration {
  const ws = vscode.workspace.getWorkspaceFolder(kernel);
  const base = kernel.path.slice(kernel.path.lastIndexOf('/') + 1);
  let path = kernel.fsPath;
  let shown = base;
  if (ws && folder) {
    // ${workspaceFolder} is the launching folder; a kernel in another folder of the workspace names its own.
    const rel = vscode.workspace.asRelativePath(kernel, false);
    path = ws.uri.toString() === folder.uri.toString() ? `\${workspaceFolder}/${rel}` : `\${workspaceFolder:${ws.name}}/${rel}`;
    shown = rel;
  }
  return { type: 'a64', request: 'launch', name: `A64: boot ${shown}`, kernel: path, stopOnEntry: false };
}

export class A64ConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const kernels = await findKernels(folder, 5);
    if (!kernels.length) {
      return [{ type: 'a64', request: 'launch', name: 'A64: boot kernel', kernel: '${workspaceFolder}/build/kernel.elf', stopOnEntry: false }];
    }
    return kernels.map((k) => configFor(k, folder));
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const empty = !config.type && !config.request && !config.name;
    if (!empty && config.kernel) return config;
    const kernels = await findKernels(folder, 1);
    if (!kernels.length) {
      void vscode.window.showErrorMessage(
        'A64 Studio: no AArch64 ELF kernel found in the workspace. Build one (e.g. `make`), or add an "a64" launch configuration with "kernel" set to your image.',
      );
      return undefined;
    }
    const found = configFor(kernels[0]!, folder);
    if (empty) return found;
    return { ...found, ...config, kernel: found.kernel };
  }
}
