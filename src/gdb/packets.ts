// The framing layer of the GDB remote serial protocol (GDB manual, "Remote Protocol: Overview"): packets
// `$data#cs` with a two-digit hex checksum (sum of the data bytes mod 256), `+`/`-` acknowledgements until
// no-ack mode is agreed (QStartNoAckMode), the 0x03 byte that interrupts a running target, `}` escapes
// (byte XOR 0x20) in binary data, and run-length encoding (`*`) which GDB may send us. Packet contents are
// Latin-1 strings: one char per byte, so binary payloads (X packets) survive unchanged.
//
// Pure: bytes in (feed), events out; the caller owns the transport.

export type PacketEvent =
  | { kind: 'packet'; data: string }
  /** The 0x03 interrupt byte (Ctrl-C in GDB) outside a packet. */
  | { kind: 'interrupt' }
  /** A packet whose checksum did not match (a `-` has been asked for in ack mode). */
  | { kind: 'bad-checksum'; data: string }
  | { kind: 'ack' }
  | { kind: 'nack' };

/** Two-hex-digit checksum of packet data. */
export function checksum(data: string): string {
  let s = 0;
  for (let i = 0; i < data.length; i++) s = (s + data.charCodeAt(i)) & 0xff;
  return s.toString(16).padStart(2, '0');
}

/** Escapes `$`, `#`, `}` and `*` (a reply must not look like run-length encoding). */
export function escapeBinary(data: string): string {
  return data.replace(/[$#}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
}

/** Undoes `}` escapes. */
export function unescapeBinary(data: string): string {
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === '}' && i + 1 < data.length) out += String.fromCharCode(data.charCodeAt(++i) ^ 0x20);
    else out += c;
  }
  return out;
}

/** Expands run-length encoding: `X*n` repeats X (n - 29) more times (n is a printable char). */
export function expandRle(data: string): string {
  if (!data.includes('*')) return data;
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === '*' && out.length > 0 && i + 1 < data.length) {
      out += out[out.length - 1].repeat(data.charCodeAt(++i) - 29);
    } else out += c;
  }
  return out;
}

/** A whole packet as sent on the wire: `$data#cs` (data escaped already if it is binary). */
export function framePacket(data: string): string {
  return `$${data}#${checksum(data)}`;
}

/** Hex of a Latin-1/ASCII string (qRcmd replies, O packets, qThreadExtraInfo). */
export function toHex(text: string): string {
  let s = '';
  for (const b of new TextEncoder().encode(text)) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Text from hex (qRcmd commands). Throws on malformed hex. */
export function fromHex(hex: string): string {
  if (hex.length % 2 || /[^0-9a-fA-F]/.test(hex)) throw new Error(`malformed hex '${hex}'`);
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(hex.substr(2 * i, 2), 16);
  return new TextDecoder().decode(b);
}

/**
 * Incremental parser of the byte stream from GDB. In ack mode it reports which acknowledgement to send
 * (`onAck`); `noAck` is switched on by the stub after it answers QStartNoAckMode.
 */
export class PacketReader {
  noAck = false;
  private buf = '';
  private inPacket = false;
  private readonly maxPacket: number;

  constructor(private readonly onEvent: (e: PacketEvent) => void, private readonly onAck: (ack: '+' | '-') => void, maxPacket = 0x20000) {
    this.maxPacket = maxPacket;
  }

  /** Feeds received bytes (a Latin-1 string or raw bytes). */
  feed(chunk: string | Uint8Array): void {
    const s = typeof chunk === 'string' ? chunk : latin1(chunk);
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (!this.inPacket) {
        if (c === '$') {
          this.inPacket = true;
          this.buf = '';
        } else if (c === '\x03') this.onEvent({ kind: 'interrupt' });
        else if (c === '+') this.onEvent({ kind: 'ack' });
        else if (c === '-') this.onEvent({ kind: 'nack' });
        // anything else between packets is line noise: ignored
        continue;
      }
      this.buf += c;
      const n = this.buf.length;
      // a packet ends at '#' followed by two checksum characters ('#' inside data is always escaped)
      if (n >= 3 && this.buf[n - 3] === '#') {
        const data = this.buf.slice(0, n - 3);
        const sum = this.buf.slice(n - 2).toLowerCase();
        this.inPacket = false;
        this.buf = '';
        if (!this.noAck && sum !== checksum(data)) {
          this.onAck('-');
          this.onEvent({ kind: 'bad-checksum', data });
          continue;
        }
        if (!this.noAck) this.onAck('+');
        this.onEvent({ kind: 'packet', data: expandRle(data) });
      } else if (n > this.maxPacket) {
        // runaway packet: drop it and resynchronise on the next '$'
        this.inPacket = false;
        this.buf = '';
        if (!this.noAck) this.onAck('-');
      }
    }
  }
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}
