// The guest's UARTs as VS Code terminals. The adapter sends every byte a UART transmits as the custom event
// `a64.uart` {uart, data: base64}; the first one for a UART opens a Pseudoterminal "A64 UART<n>" that shows
// the bytes (a lone \n is shown as \r\n, since bare-metal code often prints only \n) and sends what the user
// types back with the custom request `a64.uartInput`. One terminal per UART of a session; when the session
// ends the terminal stays open with a "[session ended]" line so the output can still be read, and the next
// session's terminal for the same UART replaces it.
import * as vscode from 'vscode';
import { UartTextConverter, fromBase64, toBase64 } from './uartText';

class UartTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private readonly converter = new UartTextConverter();
  private pending = '';
  private opened = false;
  ended = false;
  closed = false;
  readonly terminal: vscode.Terminal;

  constructor(private readonly session: vscode.DebugSession, private readonly uart: number) {
    this.terminal = vscode.window.createTerminal({ name: `A64 UART${uart}`, pty: this });
  }

  open(): void {
    this.opened = true;
    if (this.pending) this.writeEmitter.fire(this.pending);
    this.pending = '';
  }

  close(): void {
    this.closed = true;
  }

  handleInput(data: string): void {
    if (this.ended) return;
    const bytes = new TextEncoder().encode(data);
    void Promise.resolve(this.session.customRequest('a64.uartInput', { uart: this.uart, data: toBase64(bytes) })).catch(() => undefined);
  }

  write(text: string): void {
    if (this.opened) this.writeEmitter.fire(text);
    else this.pending += text;
  }

  receive(bytes: Uint8Array): void {
    this.write(this.converter.convert(bytes));
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.write('\r\n\x1b[2m[session ended]\x1b[0m\r\n');
  }

  dispose(): void {
    this.writeEmitter.dispose();
  }
}

export class UartTerminals implements vscode.Disposable {
  /** Live terminals by session id, then by UART index. */
  private readonly bySession = new Map<string, Map<number, UartTerminal>>();
  /** Terminals of sessions that ended, by UART index (replaced by the next session's). */
  private readonly ended = new Map<number, UartTerminal>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event !== 'a64.uart' || e.session.type !== 'a64') return;
        const body = e.body as { uart?: number; data?: string } | undefined;
        if (!body || typeof body.data !== 'string') return;
        this.terminalFor(e.session, body.uart ?? 0).receive(fromBase64(body.data));
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.sessionEnded(s)),
      vscode.window.onDidCloseTerminal((t) => this.terminalClosed(t)),
    );
  }

  private terminalFor(session: vscode.DebugSession, uart: number): UartTerminal {
    let map = this.bySession.get(session.id);
    if (!map) this.bySession.set(session.id, (map = new Map()));
    let t = map.get(uart);
    if (!t || t.closed) {
      const old = this.ended.get(uart);
      if (old) {
        this.ended.delete(uart);
        old.terminal.dispose();
      }
      t = new UartTerminal(session, uart);
      map.set(uart, t);
      t.terminal.show(true);
    }
    return t;
  }

  private sessionEnded(session: vscode.DebugSession): void {
    const map = this.bySession.get(session.id);
    if (!map) return;
    this.bySession.delete(session.id);
    for (const [uart, t] of map) {
      t.end();
      if (t.closed) continue;
      const old = this.ended.get(uart);
      if (old && old !== t) old.terminal.dispose();
      this.ended.set(uart, t);
    }
  }

  private terminalClosed(term: vscode.Terminal): void {
    for (const [uart, t] of this.ended) {
      if (t.terminal === term) {
        this.ended.delete(uart);
        t.dispose();
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
