// Proves the real-VS-Code harness without A64 Studio itself: generates a throwaway extension (fake-extension.mjs)
// into .work/, packs it with vsce, and checks in code-server what the real extension relies on:
//  1. with .vscode/launch.json naming type "a64", F5 starts the inline adapter and the terminal text is read;
//  2. with no launch.json, F5 opens VS Code's "Select debugger" picker (the harness reports it clearly), and
//     choosing our debugger there lets resolveDebugConfiguration fill in the empty configuration;
//  3. with no launch.json but an open editor whose language the debugger contributes (`languages`), F5 starts at once.
// Screenshots go to .work/selftest-*.png. Needs bash test/vscode/setup.sh. Run: node --test test/vscode/selftest.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as h from './harness.mjs';
import { writeFakeExtension } from './fake-extension.mjs';

const GREETING = 'Hello from A64 Studio!';
const DIR = join(h.WORK, 'selftest');
const skip = h.harnessInstalled() ? false : `harness not installed: run bash ${join(h.HERE, 'setup.sh')}`;

function folder(name, launchJson) {
  const f = join(DIR, name);
  rmSync(f, { recursive: true, force: true });
  mkdirSync(f, { recursive: true });
  writeFileSync(join(f, 'README.md'), '# harness self-test folder\n');
  if (launchJson) {
    mkdirSync(join(f, '.vscode'));
    writeFileSync(join(f, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [
      { type: 'a64', request: 'launch', name: 'Boot hello', program: '${workspaceFolder}/hello.elf' }] }, null, 2));
  }
  return f;
}

let vsix;
let vsixMarkdown;
before(() => {
  if (skip) return;
  vsix = h.buildVsix(writeFakeExtension(join(DIR, 'ext')), join(DIR, 'fake.vsix'));
  vsixMarkdown = h.buildVsix(writeFakeExtension(join(DIR, 'ext-md'), { languages: ['markdown'] }), join(DIR, 'fake-md.vsix'));
});

test('F5 with launch.json: inline adapter writes to a pseudoterminal that the harness reads', { skip, timeout: 120_000 }, async (t) => {
  const t0 = Date.now();
  try {
    await h.startCodeServer({ folder: folder('with-launch', true), vsix });
    await h.openWorkbench();
    await h.pressF5();
    const text = await h.waitForTerminalText(GREETING, 60_000);
    assert.match(text, /Boot hello/, 'the launch.json configuration reached the adapter');
    await h.screenshot(join(h.WORK, 'selftest-launch.png'));
  } finally {
    await h.stop();
  }
  t.diagnostic(`timings ${JSON.stringify(h.timings())}, whole ${Date.now() - t0} ms`);
});

test('F5 without launch.json: "Select debugger" picker; choosing a64 resolves an empty config', { skip, timeout: 120_000 }, async () => {
  try {
    await h.startCodeServer({ folder: folder('no-launch', false), vsix });
    const page = await h.openWorkbench();
    await assert.rejects(h.pressF5({ failureScreenshot: join(h.WORK, 'selftest-picker.png') }),
      /"Select debugger" picker.*A64 Studio \(fake\)/s);
    await page.keyboard.press('Escape');
    await sleep(500);
    await h.pressF5({ pick: 'A64 Studio (fake)' });
    const text = await h.waitForTerminalText(GREETING, 60_000);
    assert.match(text, /Boot \(default\)/, 'resolveDebugConfiguration filled in the empty configuration');
  } finally {
    await h.stop();
  }
});

test('F5 without launch.json, editor open in a language the debugger claims: no picker', { skip, timeout: 120_000 }, async () => {
  try {
    await h.startCodeServer({ folder: folder('no-launch-md', false), vsix: vsixMarkdown });
    const page = await h.openWorkbench();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).first().dblclick();
    await page.waitForSelector('.part.editor .monaco-editor', { state: 'visible', timeout: 30_000 });
    await h.pressF5();
    const text = await h.waitForTerminalText(GREETING, 60_000);
    assert.match(text, /Boot \(default\)/);
  } finally {
    await h.stop();
  }
});
