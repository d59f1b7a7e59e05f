// FAT directory-entry naming: 8.3 short names (upper case, the basis-name rules and "~N" numeric tails of
// the FAT specification, section 7), VFAT long-name entries (13 UTF-16 units each, in reverse order before
// the short entry, tied to it by a checksum of the 11-byte short name), and the packed date/time fields.
// Shared by the formatter and the reader.

/** A directory: names to file contents or subdirectories. */
export interface FatTree {
  [name: string]: Uint8Array | FatTree;
}

export const isDirNode = (n: Uint8Array | FatTree): n is FatTree => !(n instanceof Uint8Array);

const INVALID_SHORT = /[^A-Z0-9!#$%&'()@^_`{}~-]/g;

/** Checks a long file name; returns the problem, or undefined when it is acceptable. */
export function badLongName(name: string): string | undefined {
  if (!name.length || name.length > 255) return 'names must have 1 to 255 characters';
  if (name === '.' || name === '..') return `'${name}' is reserved`;
  if (/[\x00-\x1f"*/:<>?\\|]/.test(name)) return 'names may not contain control characters or any of " * / : < > ? \\ |';
  if (/[ .]$/.test(name)) return 'names may not end with a space or a dot';
  return undefined;
}

/** The name as an exact 8.3 short name (11 bytes, space padded), or undefined when it needs a long name. */
function exactShort(name: string): string | undefined {
  const m = /^([A-Z0-9!#$%&'()@^_`{}~-]{1,8})(?:\.([A-Z0-9!#$%&'()@^_`{}~-]{1,3}))?$/.exec(name);
  return m ? m[1].padEnd(8, ' ') + (m[2] ?? '').padEnd(3, ' ') : undefined;
}

/** LFN entries `name` needs (0 when it is an exact upper-case 8.3 name). */
export function lfnCount(name: string): number {
  return exactShort(name) ? 0 : Math.ceil(name.length / 13);
}

/** A short name for `name`, unique among `used` (which it joins): 11 bytes as a string. */
export function shortNameFor(name: string, used: Set<string>): string {
  const exact = exactShort(name);
  if (exact && !used.has(exact)) {
    used.add(exact);
    return exact;
  }
  const up = name.toUpperCase().replace(/^[. ]+/, '').replace(/ /g, '');
  const dot = up.lastIndexOf('.');
  const base = (dot > 0 ? up.slice(0, dot) : up).replace(/\./g, '').replace(INVALID_SHORT, '_');
  const ext = (dot > 0 ? up.slice(dot + 1) : '').replace(INVALID_SHORT, '_').slice(0, 3);
  for (let n = 1; n < 1_000_000; n++) {
    const tail = `~${n}`;
    const s = (base.slice(0, 8 - tail.length) + tail).padEnd(8, ' ') + ext.padEnd(3, ' ');
    if (!used.has(s)) {
      used.add(s);
      return s;
    }
  }
  throw new Error(`FAT: no free short name for '${name}'`);
}

/** The checksum of an 11-byte short name that ties LFN entries to it. */
export function shortNameChecksum(short: Uint8Array | string): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) {
    const c = typeof short === 'string' ? short.charCodeAt(i) : short[i];
    sum = (((sum & 1) << 7) + (sum >> 1) + c) & 0xff;
  }
  return sum;
}

/** Character offsets of the 13 UTF-16 units inside an LFN entry. */
export const LFN_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];

/** The LFN entries for `name` (in on-disk order, last part first) tied to `short`; none when not needed. */
export function lfnEntries(name: string, short: string): Uint8Array[] {
  const count = lfnCount(name);
  if (!count) return [];
  const sum = shortNameChecksum(short);
  const out: Uint8Array[] = [];
  for (let k = count; k >= 1; k--) {
    const e = new Uint8Array(32);
    const dv = new DataView(e.buffer);
    e[0] = k | (k === count ? 0x40 : 0);
    e[11] = 0x0f;
    e[13] = sum;
    LFN_OFFSETS.forEach((off, j) => {
      const i = (k - 1) * 13 + j;
      dv.setUint16(off, i < name.length ? name.charCodeAt(i) : i === name.length ? 0 : 0xffff, true);
    });
    out.push(e);
  }
  return out;
}

/** FAT date: bits 15..9 years since 1980, 8..5 month, 4..0 day (UTC). */
export const packDate = (d: Date): number => ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
/** FAT time: bits 15..11 hours, 10..5 minutes, 4..0 seconds / 2 (UTC). */
export const packTime = (d: Date): number => (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
