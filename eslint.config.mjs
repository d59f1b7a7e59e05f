// Lint rules, including the layering of DESIGN.md enforced as import restrictions:
//   src/emu            imports only itself (and elfy, in its loader)
//   src/debugAdapter   imports src/emu's public API and @vscode/debugadapter, never vscode
//   src/extension      imports vscode and only types from the adapter, except the inline adapter factory
//   src/gdb            the GDB remote protocol: imports src/emu's public API only; no sockets, no host access
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.cache/**', 'examples/**', 'test/vscode/.work/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/emu/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', '@vscode/*'], message: 'src/emu must not depend on VS Code or DAP.' },
          { group: ['**/debugAdapter/**', '**/extension/**', '**/cli/**'], message: 'src/emu imports only itself.' },
          { group: ['fs', 'node:*', 'path', 'child_process', 'os'], message: 'src/emu has no file system or host access; the caller passes bytes.' },
          { group: ['elfy'], message: 'elfy is used only in src/emu/loader.' },
        ],
      }],
    },
  },
  {
    files: ['src/emu/loader/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', '@vscode/*'], message: 'src/emu must not depend on VS Code or DAP.' },
          { group: ['**/debugAdapter/**', '**/extension/**', '**/cli/**'], message: 'src/emu imports only itself.' },
          { group: ['fs', 'node:*', 'path', 'child_process', 'os'], message: 'src/emu has no file system or host access.' },
        ],
      }],
    },
  },
  {
    files: ['src/emu/devices/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/cpu/**', '**/isa/**'], message: 'Devices never import the CPU (DESIGN.md).' },
          { group: ['vscode', '@vscode/*', 'fs', 'node:*', 'elfy'], message: 'Devices are pure emulator code.' },
        ],
      }],
    },
  },
  {
    files: ['src/debugAdapter/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The adapter never imports vscode.' }],
        patterns: [
          { group: ['**/extension/**'], message: 'The adapter does not depend on the extension.' },
          { group: ['**/emu/*/**', '!**/emu/index'], message: "Use src/emu's public API (src/emu/index.ts)." },
        ],
      }],
    },
  },
  {
    files: ['src/gdb/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', '@vscode/*'], message: 'src/gdb must not depend on VS Code or DAP.' },
          { group: ['**/debugAdapter/**', '**/extension/**', '**/cli/**'], message: 'src/gdb imports only src/emu (public API) and itself.' },
          { group: ['**/emu/*/**', '!**/emu/index'], message: "Use src/emu's public API (src/emu/index.ts)." },
          { group: ['fs', 'node:*', 'path', 'child_process', 'os', 'net', 'elfy'], message: 'src/gdb is pure protocol logic; the transport lives in src/cli.' },
        ],
      }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/inlineAdapter.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/debugAdapter/**', '**/emu/**'], allowTypeImports: true, message: 'The extension imports only types from the adapter (inlineAdapter.ts is the one exception).' },
        ],
      }],
    },
  },
);
