// Resource templates back to ASL resource macros, in the argument order and value spelling of the ASL
// reference (ACPI 6.5 section 19.6) as `iasl -d` prints them: Memory32Fixed, Interrupt, Word/DWord/QWord
// address spaces (BusNumber, IO, Memory) and GpioInt. Returns null for a template holding another
// descriptor, so the caller prints the raw Buffer instead.
import { splitResources } from './resources';

const hx = (v: bigint | number, w: number) => '0x' + v.toString(16).toUpperCase().padStart(w, '0');

function le(b: Uint8Array, o: number, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v |= BigInt(b[o + i]) << BigInt(8 * i);
  return v;
}

function interrupt(d: Uint8Array): string[] | null {
  const f = d[3];
  const n = d[4];
  if (d.length < 5 + 4 * n) return null;
  const share = ['Exclusive', 'Shared', 'ExclusiveAndWake', 'SharedAndWake'][((f >> 3) & 1) | ((f >> 3) & 2)];
  let srcIdx = '';
  let src = '';
  const after = 5 + 4 * n;
  if (d.length > after) {
    srcIdx = hx(d[after], 2);
    let s = '';
    for (let i = after + 1; i < d.length && d[i] !== 0; i++) s += String.fromCharCode(d[i]);
    src = JSON.stringify(s);
  }
  const head = `Interrupt (${f & 1 ? 'ResourceConsumer' : 'ResourceProducer'}, ${f & 2 ? 'Edge' : 'Level'}, ${f & 4 ? 'ActiveLow' : 'ActiveHigh'}, ${share}, ${srcIdx},${src}, )`;
  const ints = Array.from({ length: n }, (_, i) => `    ${hx(le(d, 5 + 4 * i, 4), 8)},`);
  return [head, '{', ...ints, '}'];
}

function addressSpace(d: Uint8Array, size: 2 | 4 | 8): string[] | null {
  const type = d[3];
  const g = d[4];
  const t = d[5];
  const fixedLen = 3 + 3 + 5 * size;
  if (d.length < fixedLen) return null;
  const vals = [0, 1, 2, 3, 4].map((i) => hx(le(d, 6 + i * size, size), size * 2));
  const prefix = size === 2 ? 'Word' : size === 4 ? 'DWord' : 'QWord';
  const usage = g & 1 ? 'ResourceConsumer' : 'ResourceProducer';
  const decode = g & 2 ? 'SubDecode' : 'PosDecode';
  const minF = g & 4 ? 'MinFixed' : 'MinNotFixed';
  const maxF = g & 8 ? 'MaxFixed' : 'MaxNotFixed';
  let srcIdx = '';
  let src = '';
  if (d.length > fixedLen) {
    srcIdx = hx(d[fixedLen], 2);
    let s = '';
    for (let i = fixedLen + 1; i < d.length && d[i] !== 0; i++) s += String.fromCharCode(d[i]);
    src = JSON.stringify(s);
  }
  const tail = `${srcIdx},${src}, `;
  let head: string;
  let end: string;
  if (type === 0) {
    const cache = ['NonCacheable', 'Cacheable', 'WriteCombining', 'Prefetchable'][(t >> 1) & 3];
    head = `${prefix}Memory (${usage}, ${decode}, ${minF}, ${maxF}, ${cache}, ${t & 1 ? 'ReadWrite' : 'ReadOnly'},`;
    const mtype = ['AddressRangeMemory', 'AddressRangeReserved', 'AddressRangeACPI', 'AddressRangeNVS'][(t >> 3) & 3];
    end = `${tail}, ${mtype}, ${t & 0x20 ? 'TypeTranslation' : 'TypeStatic'})`;
  } else if (type === 1) {
    const range = ['', 'NonISAOnlyRanges', 'ISAOnlyRanges', 'EntireRange'][t & 3];
    head = `${prefix}IO (${usage}, ${minF}, ${maxF}, ${decode}, ${range},`;
    end = `${tail}, ${t & 0x10 ? 'TypeTranslation' : 'TypeStatic'}, ${t & 0x20 ? 'SparseTranslation' : 'DenseTranslation'})`;
  } else if (type === 2) {
    head = `${prefix}BusNumber (${usage}, ${minF}, ${maxF}, ${decode},`;
    end = `${tail})`;
  } else {
    return null;
  }
  return [head, ...vals.map((v) => `    ${v},`), `    ${end}`];
}

function gpioInt(d: Uint8Array): string[] | null {
  if (d.length < 23 || d[4] !== 0) return null; // GpioIo (connection type 1) is not decoded here
  const gflags = le(d, 5, 2);
  const iflags = Number(le(d, 7, 2));
  const pinCfg = d[9];
  const debounce = le(d, 12, 2);
  const pinOff = Number(le(d, 14, 2));
  const srcIdx = d[16];
  const srcOff = Number(le(d, 17, 2));
  const vendOff = Number(le(d, 19, 2));
  const vendLen = Number(le(d, 21, 2));
  let src = '';
  for (let i = srcOff; i < d.length && d[i] !== 0; i++) src += String.fromCharCode(d[i]);
  const pins: string[] = [];
  for (let o = pinOff; o + 2 <= srcOff; o += 2) pins.push(hx(le(d, o, 2), 4));
  const polarity = ['ActiveHigh', 'ActiveLow', 'ActiveBoth'][(iflags >> 1) & 3] ?? 'ActiveHigh';
  const share = ['Exclusive', 'Shared', 'ExclusiveAndWake', 'SharedAndWake'][((iflags >> 3) & 1) | ((iflags >> 3) & 2)];
  const cfg = ['PullDefault', 'PullUp', 'PullDown', 'PullNone'][pinCfg] ?? hx(pinCfg, 2);
  if (vendLen > 0 && vendOff + vendLen > d.length) return null;
  return [
    `GpioInt (${iflags & 1 ? 'Edge' : 'Level'}, ${polarity}, ${share}, ${cfg}, ${hx(debounce, 4)},`,
    `    ${JSON.stringify(src)}, ${hx(srcIdx, 2)}, ${gflags & 1n ? 'ResourceConsumer' : 'ResourceProducer'}, ,`,
    '    )',
    '    {',
    ...pins.map((p, i) => `        ${p}${i < pins.length - 1 ? ',' : ''}`),
    '    }',
  ];
}

function irq(d: Uint8Array): string[] {
  const mask = d[1] | (d[2] << 8);
  const list = Array.from({ length: 16 }, (_, i) => i).filter((i) => mask & (1 << i)).join(',');
  if (d.length === 3) return [`IRQNoFlags ()`, `    {${list}}`];
  const f = d[3];
  const share = ['Exclusive', 'Shared', 'ExclusiveAndWake', 'SharedAndWake'][((f >> 4) & 1) | ((f >> 4) & 2)];
  return [`IRQ (${f & 1 ? 'Edge' : 'Level'}, ${f & 8 ? 'ActiveLow' : 'ActiveHigh'}, ${share}, )`, `    {${list}}`];
}

/** ASL lines of `ResourceTemplate () { ... }` for a buffer, or null if it is not one we can print. */
export function resourceTemplateAsl(bytes: Uint8Array): string[] | null {
  const descs = splitResources(bytes);
  if (!descs || descs.length < 2) return null;
  const lines: string[] = [];
  for (const d of descs) {
    let out: string[] | null;
    const b = d.bytes;
    switch (d.tag) {
      case 0x0f: continue;
      case 0x04: out = b.length === 3 || b.length === 4 ? irq(b) : null; break;
      case 0x08: out = b.length === 8 ? [`IO (${b[1] & 1 ? 'Decode16' : 'Decode10'},`, `    ${hx(le(b, 2, 2), 4)},`, `    ${hx(le(b, 4, 2), 4)},`, `    ${hx(b[6], 2)},`, `    ${hx(b[7], 2)},`, '    )'] : null; break;
      case 0x09: out = b.length === 4 ? [`FixedIO (`, `    ${hx(le(b, 1, 2), 4)},`, `    ${hx(b[3], 2)},`, '    )'] : null; break;
      case 0x85: out = b.length === 20 ? [`Memory32 (${b[3] & 1 ? 'ReadWrite' : 'ReadOnly'},`, ...[4, 8, 12, 16].map((o) => `    ${hx(le(b, o, 4), 8)},`), '    )'] : null; break;
      case 0x86: out = b.length === 12 ? [`Memory32Fixed (${b[3] & 1 ? 'ReadWrite' : 'ReadOnly'},`, `    ${hx(le(b, 4, 4), 8)},`, `    ${hx(le(b, 8, 4), 8)},`, '    )'] : null; break;
      case 0x89: out = interrupt(b); break;
      case 0x88: out = addressSpace(b, 2); break;
      case 0x87: out = addressSpace(b, 4); break;
      case 0x8a: out = addressSpace(b, 8); break;
      case 0x8c: out = gpioInt(b); break;
      default: out = null;
    }
    if (!out) return null;
    lines.push(...out);
  }
  return ['ResourceTemplate ()', '{', ...lines.map((l) => '    ' + l), '}'];
}
