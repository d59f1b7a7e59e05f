#!/usr/bin/env node
// Disassembly parity with GNU objdump on real arm64 binaries from Debian: the static busybox and the
// cloud kernel's Image. Every 32-bit word of busybox's executable sections and of the whole kernel Image is
// disassembled by us and by `aarch64-linux-gnu-objdump -D -b binary -m aarch64` (both without symbols, so
// only instruction text is compared), and the script prints the match rate per instruction class.
// Words objdump decodes as FP/SIMD/SVE/SME/crypto are counted apart: they belong to the FP/SIMD issue. A
// word is FP/SIMD/SVE when objdump's operands name a V/Q/D/S/H/B register, an SVE Z or P register, an SME
// ZA tile, or FPCR/FPSR; or when its mnemonic is an FP/crypto one (f*, saturating sq*/uq*, scvtf/ucvtf,
// bf*, sha*/aes*/sm3/sm4...); or when it is one of the SVE/SME instructions whose operands are only X
// registers and immediates: the vector-length counts and arithmetic cnt[bhwd], inc[bhwd], dec[bhwd] (the
// saturating sq/uq forms fall under sq*/uq*), addvl, addpl, rdvl, addsvl, addspl, rdsvl, ctermeq/ctermne,
// and setffr (plain `cnt` is FEAT_CSSC's integer popcount and stays an integer instruction). Whitespace and
// objdump's trailing `// ...` comments are normalised away. Usage:
//   node scripts/disasm-parity.mjs [--busybox FILE] [--image FILE] [--max-words N]
// Without files it fetches busybox-static:arm64 and linux-image-*-cloud-arm64:arm64 with `apt-get download`
// into .cache/arm64 (needs `dpkg --add-architecture arm64 && apt-get update`).
import * as esbuild from 'esbuild';
import { debianArm64 } from './arm64-debs.mjs';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const maxWords = Number(opt('--max-words') ?? Infinity);
const OBJDUMP = process.env.A64_OBJDUMP ?? 'aarch64-linux-gnu-objdump';

const out = join('out', 'scripts', 'emu.cjs');
await esbuild.build({ entryPoints: ['src/emu/index.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const { disassemble, loadKernel } = createRequire(join(process.cwd(), 'package.json'))(`./${out}`);
const { decode } = createRequire(join(process.cwd(), 'package.json'))('./' + (await bundleDecoder()));

async function bundleDecoder() {
  const f = join('out', 'scripts', 'decoder.cjs');
  await esbuild.build({ entryPoints: ['src/emu/isa/decoder.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: f, logLevel: 'warning' });
  return f;
}

function inputs() {
  const busybox = opt('--busybox');
  const image = opt('--image');
  if (busybox && image) return { busybox, image };
  const d = debianArm64();
  return { busybox: busybox ?? d.busybox, image: image ?? d.image };
}

const FP = /\b([vqdshbz]\d{1,2}|p\d{1,2}|fpcr|fpsr|za\w*)\b/;
/** SVE/SME instructions whose operands are X registers and immediates only (see the file comment). */
const SVE_X_ONLY = /^(cnt[bhwd]|inc[bhwd]|dec[bhwd]|addvl|addpl|rdvl|addsvl|addspl|rdsvl|cterm(eq|ne)|setffr)$/;
const isFp = (text) =>
  /^(f|sqd|sq|uq|scvtf|ucvtf|bf|sha|aes|pmull|sm3|sm4|eor3|bcax|xar|rax1)/.test(text) ||
  SVE_X_ONLY.test(text.split(/\s/)[0]) ||
  FP.test(text.replace(/^\S+\s*/, ''));
const norm = (s) => s.replace(/\s*\/\/.*$/, '').replace(/\s+/g, ' ').trim();

/** objdump's text for each word of `bytes` (a multiple of 4), in chunks. */
function objdumpText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'parity-'));
  const res = [];
  try {
    const CH = 1 << 20;
    for (let off = 0; off < bytes.length; off += CH) {
      const chunk = bytes.subarray(off, Math.min(bytes.length, off + CH));
      const f = join(dir, 'c.bin');
      writeFileSync(f, chunk);
      const r = spawnSync(OBJDUMP, ['-D', '-z', '-b', 'binary', '-m', 'aarch64', `--adjust-vma=${off}`, f], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const lines = new Array(chunk.length / 4).fill('');
      for (const line of r.stdout.split('\n')) {
        const m = /^\s*([0-9a-f]+):\t[0-9a-f]{8} \t(.*)$/.exec(line);
        if (m) lines[(parseInt(m[1], 16) - off) / 4] = m[2];
      }
      for (const l of lines) res.push(l);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

function compare(name, bytes) {
  const n = Math.min(Math.floor(bytes.length / 4), maxWords);
  bytes = bytes.subarray(0, n * 4);
  const theirs = objdumpText(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const classes = new Map();
  const bump = (cls, key) => {
    const c = classes.get(cls) ?? { match: 0, total: 0, bad: new Map() };
    c.total++;
    if (key === undefined) c.match++;
    else c.bad.set(key, (c.bad.get(key) ?? 0) + 1);
    classes.set(cls, c);
  };
  let fp = 0;
  let dataWords = 0;
  for (let i = 0; i < n; i++) {
    const w = dv.getUint32(i * 4, true);
    const obj = norm(theirs[i]);
    const d = decode(w);
    const ours = norm(disassemble(w, BigInt(i * 4)).text.replace(/\b([0-9a-f]+) <[^>]*>/g, '$1'));
    if (!d) {
      if (obj.startsWith('.inst') || obj === '') { dataWords++; continue; }
      if (isFp(obj)) { fp++; continue; }
      bump('not decoded by us', obj.split(' ')[0]);
      continue;
    }
    const objText = obj.replace(/\b0x([0-9a-f]+)\b(?= *$)/, '0x$1');
    bump(d.row.cls, ours === objText ? undefined : `${d.row.id}: ours '${ours}' objdump '${obj}'`);
  }
  console.log(`\n${name}: ${n} words; ${dataWords} undefined in both (data), ${fp} FP/SIMD (excluded)`);
  let m = 0;
  let t = 0;
  for (const [cls, c] of [...classes].sort()) {
    m += c.match;
    t += c.total;
    console.log(`  ${cls.padEnd(18)} ${c.match}/${c.total}  ${((100 * c.match) / c.total).toFixed(3)}%`);
    // every mnemonic we leave undecoded; the 8 most frequent mismatches of the classes we decode
    const worst = [...c.bad].sort((a, b) => b[1] - a[1]).slice(0, cls === 'not decoded by us' ? Infinity : 8);
    for (const [k, v] of worst) console.log(`      ${v}x ${k}`);
  }
  console.log(`  non-FP total      ${m}/${t}  ${((100 * m) / Math.max(t, 1)).toFixed(3)}%`);
}

const { busybox, image } = inputs();
const bb = readFileSync(busybox);
const elf = loadKernel(bb, busybox, { ramBase: 0n, format: 'elf' });
const text = elf.sections.filter((s) => (s.flags & 4n) !== 0n && s.type === 1);
compare(`busybox (${busybox}, executable sections ${text.map((s) => s.name).join(' ')})`, Buffer.concat(text.map((s) => s.data)));
compare(`kernel Image (${image})`, readFileSync(image));
