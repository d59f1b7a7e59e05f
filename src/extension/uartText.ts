// Text for the UART terminals, kept free of the vscode module so it can be unit-tested: decodes a UART's
// bytes as UTF-8 across chunk boundaries and shows a lone \n as \r\n (bare-metal code often prints only
// \n, which a terminal would render as a staircase). Also the base64 helpers for the a64.uart custom
// event and the a64.uartInput request.

export class UartTextConverter {
  private readonly decoder = new TextDecoder('utf-8');
  private lastWasCr = false;

  convert(bytes: Uint8Array): string {
    const text = this.decoder.decode(bytes, { stream: true });
    let out = '';
    for (const ch of text) {
      if (ch === '\n' && !this.lastWasCr) out += '\r\n';
      else out += ch;
      this.lastWasCr = ch === '\r';
    }
    return out;
  }
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
