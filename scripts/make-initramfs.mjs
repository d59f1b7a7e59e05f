#!/usr/bin/env node
// Makes a tiny initramfs (newc cpio, uncompressed) around a static AArch64 busybox: /bin/busybox, /init
// (a busybox shell script that mounts /proc, prints a marker line and, unless told to stay, powers off) and
// the directories Linux expects. For booting Debian's cloud kernel to a shell in the emulator and in QEMU.
// Usage: node scripts/make-initramfs.mjs BUSYBOX -o initramfs.cpio [--marker TEXT] [--script FILE]
// (BUSYBOX: bin/busybox from Debian's busybox-static:arm64, e.g. extracted by `apt-get download`.)
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const out = opt('-o');
const marker = opt('--marker', 'A64-SHELL-READY');
const script = opt('--script');
const [busybox] = args;
if (!busybox || !out) {
  console.error('usage: make-initramfs.mjs BUSYBOX -o OUT.cpio [--marker TEXT] [--script FILE]');
  process.exit(2);
}

const init = script ? readFileSync(script, 'utf8') : `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox --install -s /bin
echo ${marker}
echo "kernel: $(cat /proc/version)"
cat /proc/interrupts | head -20
poweroff -f
`;

const chunks = [];
let ino = 1;
const pad4 = (n) => (4 - (n % 4)) % 4;
function entry(name, mode, data = new Uint8Array(0), rdev = [0, 0]) {
  const nameBytes = Buffer.from(`${name}\0`);
  const fields = [ino++, mode, 0, 0, mode & 0o040000 ? 2 : 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const header = '070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join('');
  chunks.push(Buffer.from(header), nameBytes, Buffer.alloc(pad4(110 + nameBytes.length)), Buffer.from(data), Buffer.alloc(pad4(data.length)));
}
for (const d of ['bin', 'sbin', 'dev', 'proc', 'sys', 'tmp', 'etc']) entry(d, 0o040755);
entry('dev/console', 0o020600, undefined, [5, 1]); // the kernel opens it for /init's stdin/stdout/stderr
entry('bin/busybox', 0o100755, readFileSync(busybox));
entry('init', 0o100755, Buffer.from(init));
entry('TRAILER!!!', 0);
const all = Buffer.concat(chunks);
writeFileSync(out, Buffer.concat([all, Buffer.alloc(pad4(all.length) + 512 - ((all.length + pad4(all.length)) % 512))]));
console.log(`${out}: ${all.length} bytes (busybox ${readFileSync(busybox).length} bytes, marker '${marker}')`);
