// The GIC/ITS panel: a webview view in the Run and Debug view (package.json: views.debug "a64.gicPanel").
// It asks the active a64 debug session for a64/gicSnapshot and, when the user picked a (DeviceID, EventID),
// a64/msiPath (protocol: src/debugAdapter/gicProtocol.ts), renders them to HTML in the extension host
// (gicPanelHtml.ts) and posts the text to the webview (media/gicPanel.js places it; no framework, CSP with a
// nonce, no inline styles). One SessionClient per debug session caches the last snapshot by generation:
// while the guest is stopped, a refresh whose generation has not moved (a64/stateChanged events carry it)
// reuses the cache; while it runs, the panel re-reads at most four times a second, and only while visible.
import * as vscode from 'vscode';
import type { GicSnapshotBody, MsiPathBody, StateChangedBody } from '../debugAdapter/gicProtocol';
import { esc, renderGic, renderMsi } from './gicPanelHtml';

export const GIC_VIEW_ID = 'a64.gicPanel';
/** Fastest refresh while the guest runs: 4 per second. */
const MIN_INTERVAL_MS = 250;

class SessionClient {
  /** The newest generation announced by a64/stateChanged. */
  generation = 0;
  running = false;
  private cached?: GicSnapshotBody;

  constructor(readonly session: vscode.DebugSession) {}

  stateChanged(b: StateChangedBody): void {
    this.generation = Math.max(this.generation, b.generation);
    this.running = b.state === 'running';
  }

  /** The snapshot; from the cache when the guest is stopped and nothing changed since it was read. */
  async snapshot(): Promise<GicSnapshotBody> {
    const c = this.cached;
    if (c && !this.running && c.state !== 'running' && c.generation >= this.generation) return c;
    const body = (await this.session.customRequest('a64/gicSnapshot', {})) as GicSnapshotBody;
    this.cached = body;
    this.generation = Math.max(this.generation, body.generation);
    if (body.state === 'stopped') this.running = false;
    return body;
  }

  async msiPath(deviceId: string, eventId: string): Promise<MsiPathBody> {
    return (await this.session.customRequest('a64/msiPath', { deviceId, eventId })) as MsiPathBody;
  }
}

type FromWebview = { type: 'ready' } | { type: 'msiPath'; deviceId: string; eventId: string };

export class GicPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private readonly clients = new Map<string, SessionClient>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private lastRefresh = 0;
  private busy = false;
  private again = false;
  private msi?: { deviceId: string; eventId: string };

  constructor(private readonly extensionUri: vscode.Uri) {
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(GIC_VIEW_ID, this),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== 'a64' || e.event !== 'a64/stateChanged') return;
        this.client(e.session).stateChanged(e.body as StateChangedBody);
        this.schedule();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.schedule()),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.clients.delete(s.id);
        this.schedule();
      }),
      vscode.commands.registerCommand('a64.showGicPanel', () => vscode.commands.executeCommand(`${GIC_VIEW_ID}.focus`)),
    );
  }

  private client(s: vscode.DebugSession): SessionClient {
    let c = this.clients.get(s.id);
    if (!c) this.clients.set(s.id, (c = new SessionClient(s)));
    return c;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = this.html(view.webview, media);
    view.webview.onDidReceiveMessage((m: FromWebview) => {
      if (m.type === 'msiPath') {
        this.msi = { deviceId: String(m.deviceId), eventId: String(m.eventId) };
        void this.refreshMsi();
      } else this.schedule();
    });
    view.onDidChangeVisibility(() => this.schedule());
    view.onDidDispose(() => { this.view = undefined; });
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = Array.from({ length: 24 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
    const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'gicPanel.css'));
    const js = webview.asWebviewUri(vscode.Uri.joinPath(media, 'gicPanel.js'));
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${css}"><title>GIC/ITS</title></head>
<body><div id="content"><p class="empty">Start an A64 debug session to see its GIC and ITS.</p></div>
<details id="msiPath" open><summary>MSI path: from GITS_TRANSLATER to the CPU</summary>
<form id="msi"><label>DeviceID <input id="dev" value="0" size="7" spellcheck="false"></label>
<label>EventID <input id="evt" value="0" size="5" spellcheck="false"></label> <button type="submit">Follow</button></form>
<div id="msiOut"></div></details>
<script nonce="${nonce}" src="${js}"></script></body></html>`;
  }

  /** Asks for a refresh, at most one per MIN_INTERVAL_MS. */
  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastRefresh + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, wait);
  }

  private activeClient(): SessionClient | undefined {
    const s = vscode.debug.activeDebugSession;
    return s && s.type === 'a64' ? this.client(s) : undefined;
  }

  private post(msg: { type: 'render' | 'msi'; html: string }): void {
    void this.view?.webview.postMessage(msg);
  }

  private async refresh(): Promise<void> {
    if (!this.view?.visible) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    const c = this.activeClient();
    if (!c) {
      this.post({ type: 'render', html: '<p class="empty">Start an A64 debug session to see its GIC and ITS.</p>' });
      return;
    }
    this.busy = true;
    let running = false;
    try {
      const body = await c.snapshot();
      running = body.state === 'running';
      this.post({ type: 'render', html: renderGic(body) });
      if (this.msi) await this.refreshMsi();
    } catch (e) {
      this.post({ type: 'render', html: `<p class="bad">${esc(e instanceof Error ? e.message : String(e))}</p>` });
    } finally {
      this.busy = false;
      this.lastRefresh = Date.now();
    }
    if (this.again || running) {
      this.again = false;
      this.schedule();
    }
  }

  private async refreshMsi(): Promise<void> {
    const c = this.activeClient();
    if (!c || !this.msi) return;
    try {
      this.post({ type: 'msi', html: renderMsi(await c.msiPath(this.msi.deviceId, this.msi.eventId)) });
    } catch (e) {
      this.post({ type: 'msi', html: `<p class="bad">${esc(e instanceof Error ? e.message : String(e))}</p>` });
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
