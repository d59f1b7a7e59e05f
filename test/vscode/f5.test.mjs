// The real-VS-Code tests of A64 Studio: build the .vsix from the repository root (npm run build, then vsce package
// --no-dependencies), install it into a fresh code-server, open examples/hello and press F5:
//  1. with nothing open, as a user who has just opened the folder: the guest's greeting must appear in a terminal
//     without any question (needs examples/hello/.vscode/launch.json: without one VS Code asks "Select debugger");
//     saves test/vscode/screenshots/f5-hello.png (committed, so a reviewer sees what a user sees);
//  2. with hello.c open: the debugger contribution's `languages` lets VS Code choose a64 by itself;
//     saves test/vscode/screenshots/f5-hello-editor.png;
//  3. in a copy of the folder without .vscode/launch.json: VS Code asks which debugger, the user picks
//     "A64 Emulator", and the extension finds hello.elf by itself (its configuration provider).
// Needs the harness installed (bash test/vscode/setup.sh); without it the tests are skipped, or fail when
// A64_VSCODE_REQUIRED=1. Run:  node --test test/vscode/f5.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as h from './harness.mjs';

const ROOT = resolve(h.HERE, '..', '..');
const FOLDER = join(ROOT, 'examples', 'hello');
const VSIX = join(h.WORK, 'a64-studio.vsix');
const GREETING = 'Hello from A64 Studio!';
const notInstalled = `real-VS-Code harness not installed: run bash ${join(h.HERE, 'setup.sh')}`;
const skip = !h.harnessInstalled() && process.env.A64_VSCODE_REQUIRED !== '1' ? notInstalled : false;

before(() => {
  if (skip) return;
  assert.ok(h.harnessInstalled(), notInstalled);
  assert.ok(existsSync(FOLDER), `example folder missing: ${FOLDER}`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  // Without .vscodeignore (or "files") vsce packs the whole tree, test/vscode/.work (about 1 GB) included.
  assert.ok(existsSync(join(ROOT, '.vscodeignore')) || Array.isArray(manifest.files),
    'the extension needs a .vscodeignore (or a "files" list in package.json) so vsce packs only dist/ and assets');
  const t0 = Date.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  h.buildVsix(ROOT, VSIX);
  const size = statSync(VSIX).size;
  assert.ok(size < 50 * 1024 * 1024, `vsix is ${(size / 1048576).toFixed(1)} MB: .vscodeignore lets too much in`);
  console.log(`built ${VSIX} (${(size / 1024).toFixed(0)} KB) in ${Date.now() - t0} ms`);
});

async function f5(t, { openFile, shot, folder = FOLDER, pick }) {
  const t0 = Date.now();
  try {
    await h.startCodeServer({ folder, vsix: VSIX });
    const page = await h.openWorkbench();
    if (openFile) {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: openFile }).first().dblclick();
      await page.waitForSelector('.part.editor .monaco-editor', { state: 'visible', timeout: 30_000 });
    }
    await h.pressF5({ pick });
    await h.waitForTerminalText(GREETING, 90_000);
    await h.screenshot(join(h.HERE, 'screenshots', shot));
  } finally {
    await h.stop();
  }
  const tm = h.timings();
  t.diagnostic(`code-server listening ${tm.codeServerListening} ms, workbench ready ${tm.workbenchReady} ms, ` +
    `session ${tm.sessionStarted} ms, greeting ${tm.terminalText} ms after start; test ${Date.now() - t0} ms`);
}

test('F5 in examples/hello, nothing open: the greeting appears in a terminal, no picker', { skip, timeout: 150_000 },
  (t) => f5(t, { shot: 'f5-hello.png' }));

test('F5 in examples/hello with hello.c open: the greeting appears in a terminal', { skip, timeout: 150_000 },
  (t) => f5(t, { openFile: 'hello.c', shot: 'f5-hello-editor.png' }));

test('F5 in a folder without launch.json: pick "A64 Emulator", the extension finds the ELF and boots it', { skip, timeout: 150_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'a64-nolaunch-'));
    try {
      for (const f of ['hello.elf', 'hello.c', 'start.S']) cpSync(join(FOLDER, f), join(dir, f));
      await f5(t, { folder: dir, pick: 'A64 Emulator', shot: 'f5-pick-debugger.png' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
