#!/usr/bin/env node
// Debian's arm64 packages the heavier tests and scripts use as real workloads: busybox-static:arm64 and
// the linux-image-*-cloud-arm64 kernel that linux-image-cloud-arm64:arm64 depends on. Fetched with
// `apt-get download` into .cache/arm64 and unpacked with dpkg-deb (needs `dpkg --add-architecture arm64 &&
// apt-get update` once, as .ci/run does). Imported by scripts; `node scripts/arm64-debs.mjs` prints the
// paths as JSON for tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE = resolve(join(fileURLToPath(import.meta.url), '..', '..', '.cache', 'arm64'));

/** Downloads (once) and unpacks a package; returns the folder it was unpacked into. */
export function fetchDeb(pkg, dir = CACHE) {
  mkdirSync(dir, { recursive: true });
  const base = pkg.split(':')[0];
  const find = () => readdirSync(dir).find((f) => f.startsWith(`${base}_`) && f.endsWith('.deb'));
  let deb = find();
  if (!deb) {
    execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    deb = find();
    if (!deb) throw new Error(`apt-get download ${pkg} left no ${base}_*.deb in ${dir}`);
  }
  const x = join(dir, `x-${base}`);
  if (!existsSync(x)) execFileSync('dpkg-deb', ['-x', join(dir, deb), x]);
  return x;
}

/** Paths of the static busybox and the cloud kernel's Image (vmlinuz, uncompressed on arm64). */
export function debianArm64(dir = CACHE) {
  const busybox = join(fetchDeb('busybox-static:arm64', dir), 'bin', 'busybox');
  const dep = execFileSync('apt-cache', ['depends', 'linux-image-cloud-arm64:arm64'], { encoding: 'utf8' });
  const m = /Depends: (linux-image-[^\s:]+)/.exec(dep);
  if (!m) throw new Error('apt-cache knows no linux-image-cloud-arm64:arm64 (run dpkg --add-architecture arm64 && apt-get update)');
  const boot = join(fetchDeb(`${m[1]}:arm64`, dir), 'boot');
  const image = join(boot, readdirSync(boot).find((f) => f.startsWith('vmlinuz')));
  return { busybox, image };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(JSON.stringify(debianArm64()));
