// Bundles the three entry points of the extension: the VS Code extension host module, the standalone
// debug adapter (for running over stdio), and the `a64` command line. All are CommonJS for Node.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};
const builds = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/debugAdapter/main.ts'], outfile: 'dist/debugAdapter.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
for (const b of builds) {
  if (watch) await (await esbuild.context({ ...common, ...b })).watch();
  else await esbuild.build({ ...common, ...b });
}
