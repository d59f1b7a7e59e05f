// The GIC/ITS debugging of A64 Studio in a real VS Code (code-server + headless Chromium, harness.mjs): open
// examples/gic-its (its launch.json boots test/fixtures/kernels/gic/gic_its.elf and stops on entry), press F5,
// tick "ITS MAPTI" and "LPI delivered" in the Breakpoints view (the exception filters the adapter advertises),
// continue: the guest stops after the GITS_CWRITER store that ran the MAPTI (the Call Stack says so), and the
// GIC/ITS view in Run and Debug shows the mapping DeviceID 0 → EventID 3 → LPI 8192 → redistributor 0;
// continue again: it stops on the LPI's delivery and the view shows LPI 8192 pending; the MSI path form
// follows (0, 3) to the CPU and names PSTATE.I as the block; then "Edit Condition" on ITS MAPTI
// (`DeviceID == 0x258`) and continue: it passes device 0's MAPTIs and stops at device 600's, which the view
// then shows. Screenshots: test/vscode/screenshots/gic-*.png.
// Needs the harness (bash test/vscode/setup.sh); skipped without it unless A64_VSCODE_REQUIRED=1.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as h from './harness.mjs';

const ROOT = resolve(h.HERE, '..', '..');
const FOLDER = join(ROOT, 'examples', 'gic-its');
const VSIX = join(h.WORK, 'a64-studio.vsix');
const notInstalled = `real-VS-Code harness not installed: run bash ${join(h.HERE, 'setup.sh')}`;
const skip = !h.harnessInstalled() && process.env.A64_VSCODE_REQUIRED !== '1' ? notInstalled : false;

before(() => {
  if (skip) return;
  assert.ok(h.harnessInstalled(), notInstalled);
  assert.ok(existsSync(FOLDER), `example folder missing: ${FOLDER}`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  h.buildVsix(ROOT, VSIX);
});

/** Waits until `read()` returns text matching `re`; fails with the last text and a screenshot. */
async function waitForText(what, read, re, timeoutMs = 60_000) {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    last = await read().catch((e) => `(unreadable: ${e.message})`);
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  const shot = join(h.WORK, 'failures', `gic-${what.replace(/\W+/g, '-')}-${Date.now()}.png`);
  await h.screenshot(shot).catch(() => {});
  throw new Error(`${what}: no match for ${re} within ${timeoutMs} ms (screenshot ${shot}); last text:\n${last.slice(0, 3000)}`);
}

test('examples/gic-its: MAPTI exception breakpoint from the Breakpoints view, the GIC/ITS view shows the mapping and the LPI',
  { skip, timeout: 240_000 }, async (t) => {
    const t0 = Date.now();
    try {
      await h.startCodeServer({ folder: FOLDER, vsix: VSIX });
      const page = await h.openWorkbench();
      // A taller window and a wider side bar, so the screenshots show the panel's tables.
      await page.setViewportSize({ width: 1600, height: 1100 });
      await h.pressF5();
      // Stopped on entry; show Run and Debug (the activity bar badge covers the icon's centre: force the click).
      await page.locator('.activitybar .action-item a[aria-label^="Run and Debug"]').first().click({ force: true });
      const header = (name) => page.locator('.pane-header', { hasText: name }).first();
      await header('Call Stack').waitFor({ timeout: 30_000 });
      await waitForText('stop on entry', () => header('Call Stack').innerText(), /Paused on entry/i);
      // Room for the Breakpoints list: fold Variables and Watch.
      for (const name of ['Variables', 'Watch']) {
        if ((await header(name).getAttribute('aria-expanded')) === 'true') await header(name).click();
      }
      const filterRow = (label) => page.locator('.debug-breakpoints .monaco-list-row', { hasText: label }).first();
      const list = page.locator('.debug-breakpoints .monaco-list').first();
      await list.waitFor({ timeout: 30_000 });
      for (const label of ['ITS MAPTI', 'LPI delivered']) {
        // the list renders only the rows in view: scroll down until the filter's row exists
        for (let i = 0; i < 20 && !(await filterRow(label).count()); i++) {
          await list.hover();
          await page.mouse.wheel(0, 120);
          await page.waitForTimeout(150);
        }
        await filterRow(label).waitFor({ timeout: 30_000 });
        // VS Code draws the checkbox itself (a toggle with role=checkbox; an <input> in older versions)
        const box = filterRow(label).locator('[role=checkbox], input[type=checkbox]').first();
        await box.click();
        await waitForText(`${label} ticked`, async () => String(await box.getAttribute('aria-checked') ?? await box.isChecked()), /true/, 10_000);
      }
      // Now the GIC/ITS view gets the space: fold Breakpoints, unfold GIC/ITS; widen the side bar.
      await header('Breakpoints').click();
      if ((await header('GIC/ITS').getAttribute('aria-expanded')) !== 'true') await header('GIC/ITS').click();
      const bar = await page.locator('.part.sidebar').boundingBox();
      await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
      await page.mouse.down();
      await page.mouse.move(bar.x + 720, bar.y + 300, { steps: 10 });
      await page.mouse.up();
      const webview = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      const panelText = () => webview.locator('body').innerText({ timeout: 5_000 });
      await waitForText('panel before the ITS runs', panelText, /No device mapped/);

      const cont = () => page.locator('.debug-toolbar .action-item .codicon-debug-continue').first().click();
      await cont();
      await waitForText('MAPTI stop', () => header('Call Stack').innerText(), /ITS MAPTI DeviceID=0x0 EventID=0x3 pINTID=8192 ICID=0/);
      const mapping = await waitForText('mapping in the panel', panelText, /0x0\s+0x[0-9a-f]+ \(5 bits\)\s+3\s+LPI 8192\s+0\s+redistributor 0/);
      assert.match(mapping, /MAPTI\s+DeviceID=0x0 EventID=3 pINTID=8192 ICID=0\s+ok/);
      // the call stack's frames are in the editor already: give its room to the GIC/ITS view
      if ((await header('Call Stack').getAttribute('aria-expanded')) === 'true') await header('Call Stack').click();
      await webview.locator('#lpis').scrollIntoViewIfNeeded();
      await h.screenshot(join(h.HERE, 'screenshots', 'gic-mapti.png'));

      await cont();
      // VS Code's exception widget in the editor shows the adapter's exceptionInfo for the new stop
      await waitForText('LPI stop', () => page.locator('.exception-widget').first().innerText({ timeout: 5_000 }),
        /LPI 8192 delivered to CPU 0 \(DeviceID=0x0 EventID=0x3, GITS_TRANSLATER\)[\s\S]*Caused by the instruction at 0x[0-9a-f]+ <main\+0x[0-9a-f]+>/);
      await waitForText('pending LPI in the panel', panelText, /8192\s+yes\s+0xa0\s+pending\s+0x0\/3/);
      await webview.locator('#dev').fill('0');
      await webview.locator('#evt').fill('3');
      await webview.locator('#msi button').click();
      await waitForText('MSI path', panelText, /IRQs masked at CPU 0/);
      await webview.locator('#lpis').scrollIntoViewIfNeeded();
      await h.screenshot(join(h.HERE, 'screenshots', 'gic-lpi.png'));
      await webview.locator('#msiOut').scrollIntoViewIfNeeded();
      await h.screenshot(join(h.HERE, 'screenshots', 'gic-msi-path.png'));

      // A condition from the Breakpoints view: "ITS MAPTI" only for DeviceID 600 (behind the two-level device
      // table), "LPI delivered" off. Continuing passes every MAPTI of device 0 and stops at device 600's.
      await header('Breakpoints').click();
      const lpiBox = filterRow('LPI delivered').locator('[role=checkbox], input[type=checkbox]').first();
      for (let i = 0; i < 20 && !(await filterRow('LPI delivered').count()); i++) {
        await list.hover();
        await page.mouse.wheel(0, 120);
        await page.waitForTimeout(150);
      }
      await lpiBox.click();
      await waitForText('LPI delivered unticked', async () => String(await lpiBox.getAttribute('aria-checked') ?? await lpiBox.isChecked()), /false/, 10_000);
      for (let i = 0; i < 20 && !(await filterRow('ITS MAPTI').count()); i++) {
        await list.hover();
        await page.mouse.wheel(0, -120);
        await page.waitForTimeout(150);
      }
      await filterRow('ITS MAPTI').click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Edit Condition' }).first();
      await item.hover();
      await page.keyboard.press('Enter');
      const input = page.locator('.debug-breakpoints input, .debug-breakpoints textarea').first();
      await input.waitFor({ timeout: 10_000 }).catch(async (e) => {
        await h.screenshot(join(h.WORK, 'failures', `gic-edit-condition-${Date.now()}.png`)).catch(() => {});
        const dump = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].filter((x) => x.getClientRects().length).map((x) => `${x.tagName} ${x.className} parent=${x.parentElement?.className} ${x.closest('[class*=pane]')?.className}`).join('\n'));
        const menus = await page.evaluate(() => [...document.querySelectorAll('.monaco-menu .action-label')].map((x) => x.textContent).join('|'));
        throw new Error(`${e.message}\ninputs:\n${dump}\nmenus: ${menus}`);
      });
      await input.fill('DeviceID == 0x258');
      await input.press('Enter');
      await cont();
      await waitForText('conditional MAPTI stop', () => page.locator('.exception-widget').first().innerText({ timeout: 5_000 }),
        /ITS MAPTI DeviceID=0x258 EventID=0x0 pINTID=8197 ICID=0[\s\S]*Filter: ITS MAPTI if DeviceID == 0x258/);
      await header('Breakpoints').click();
      await waitForText('device 600 in the panel', panelText, /0x258\s+0x[0-9a-f]+ \(5 bits\)\s+0\s+LPI 8197\s+0\s+redistributor 0/);
      await webview.locator('#its').scrollIntoViewIfNeeded();
      await h.screenshot(join(h.HERE, 'screenshots', 'gic-mapti-condition.png'));
    } finally {
      await h.stop();
    }
    const tm = h.timings();
    t.diagnostic(`workbench ready ${tm.workbenchReady} ms, session ${tm.sessionStarted} ms; test ${Date.now() - t0} ms`);
  });
