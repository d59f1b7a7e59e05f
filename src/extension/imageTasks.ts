// Disk images from VS Code: a task type `a64-image` (so a launch configuration's preLaunchTask can build
// the image it boots) and the command "Build Disk Image" on a config.json in the Explorer. The task runs
// the bundled command line (dist/cli.js build-image) in the extension host's Node; its messages
// ("a64: /path/config.json: Files[2]: no such file ...") feed the $a64-image problem matcher, so a bad key
// shows up in the Problems view against the config file.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const IMAGE_TASK_TYPE = 'a64-image';

interface ImageTaskDefinition extends vscode.TaskDefinition {
  config: string;
  output?: string;
}

function imageTask(ext: vscode.ExtensionContext, def: ImageTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope): vscode.Task {
  const cli = path.join(ext.extensionPath, 'dist', 'cli.js');
  const output = def.output ?? path.join(path.dirname(def.config), 'disk.img');
  const exec = new vscode.ProcessExecution(process.execPath, [cli, 'build-image', def.config, '-o', output], {
    env: { ELECTRON_RUN_AS_NODE: '1' },
    cwd: path.dirname(def.config),
  });
  const task = new vscode.Task(def, scope, `build ${path.basename(output)}`, 'a64', exec, '$a64-image');
  task.group = vscode.TaskGroup.Build;
  return task;
}

export function registerImageTasks(ext: vscode.ExtensionContext): vscode.Disposable[] {
  const provider: vscode.TaskProvider = {
    provideTasks: async () => {
      const configs = await vscode.workspace.findFiles('**/config.json', '**/node_modules/**', 20);
      return configs.map((u) => imageTask(ext, { type: IMAGE_TASK_TYPE, config: u.fsPath }, vscode.workspace.getWorkspaceFolder(u) ?? vscode.TaskScope.Workspace));
    },
    resolveTask: (task) => {
      const def = task.definition as ImageTaskDefinition;
      if (!def.config) return undefined;
      const folder = typeof task.scope === 'object' ? task.scope : undefined;
      const config = path.isAbsolute(def.config) || !folder ? def.config : path.join(folder.uri.fsPath, def.config);
      return imageTask(ext, { ...def, config }, task.scope ?? vscode.TaskScope.Workspace);
    },
  };
  return [
    vscode.tasks.registerTaskProvider(IMAGE_TASK_TYPE, provider),
    vscode.commands.registerCommand('a64.buildImage', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target || !target.fsPath.endsWith('.json')) {
        void vscode.window.showErrorMessage('A64 Studio: choose an image config (config.json) in the Explorer first.');
        return;
      }
      const scope = vscode.workspace.getWorkspaceFolder(target) ?? vscode.TaskScope.Workspace;
      await vscode.tasks.executeTask(imageTask(ext, { type: IMAGE_TASK_TYPE, config: target.fsPath }, scope));
    }),
  ];
}
