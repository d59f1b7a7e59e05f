// Image configuration: a JSON file compatible with NanoVMs Ops' `config.json` where its fields apply, plus
// an `A64` object for what Ops does not say. It becomes a DiskSpec (diskImage.ts) and the machine shape
// to boot it on. Files are read through an injected ImageFs, so this stays free of the host file system
// (the CLI and the debug adapter pass node:fs; tests pass a map). Relative paths are resolved against the
// config file's directory (Ops resolves against the working directory; a config that moves with its
// files is what F5 needs).
//
// What goes where (there is no TFS, Nanos's own file system, here):
//   ESP (FAT32):  EFI/BOOT/BOOTAA64.EFI  <- UefiBoot, or Kernel when it is itself a UEFI application
//                                          (a Linux `Image` with its EFI stub, a PE32+ for AArch64)
//                 /<basename of Kernel>  <- Kernel (unless it is the boot application)
//                 A64.EspFiles            <- { "path on ESP": "host path" }
//   DATA (FAT32): Program, Files, Dirs (recursively, at their relative paths), MapDirs ({ host: guest }),
//                 /a64/args and /a64/env (Args and Env, one per line) for loaders that want them.
//   Args also become the boot application's load options (its command line, as a Boot#### entry's
//   optional data would), which is how the Linux EFI stub receives `console=` and `initrd=`.
// Machine shape: RunConfig.Memory/CPUs, else CloudConfig.Flavor (t4g.nano = 2 vCPUs, 0.5 GiB...), else
// A64.Machine defaults.
import type { FatTree } from './fatNames';
import { badLongName, isDirNode } from './fatNames';
import type { DiskSpec, PartitionSpec } from './diskImage';

export interface ImageFs {
  readFile(path: string): Uint8Array;
  /** 'file', 'dir' or undefined when the path does not exist. */
  kind(path: string): 'file' | 'dir' | undefined;
  list(dir: string): string[];
}

export interface MachineShape {
  machine: 'virt' | 'graviton';
  cpus: number;
  memoryMiB: number;
  cpuModel?: string;
  /** Instance type it came from, when a Flavor said so. */
  flavor?: string;
}

export interface ImageConfigResult {
  disk?: DiskSpec;
  shape: MachineShape;
  /** The boot application's load options (Args joined by spaces). */
  loadOptions: string;
  /** Every input file, for rebuild-when-changed checks. */
  inputs: string[];
  errors: string[];
  warnings: string[];
}

/** Graviton instance types: vCPUs, memory (MiB), CPU model. Graviton3 cores are not modelled: 'max' stands in. */
const FLAVORS: Record<string, [number, number, string]> = {
  'a1.medium': [1, 2048, 'cortex-a72'], 'a1.large': [2, 4096, 'cortex-a72'], 'a1.xlarge': [4, 8192, 'cortex-a72'],
  't4g.nano': [2, 512, 'neoverse-n1'], 't4g.micro': [2, 1024, 'neoverse-n1'], 't4g.small': [2, 2048, 'neoverse-n1'],
  't4g.medium': [2, 4096, 'neoverse-n1'], 't4g.large': [2, 8192, 'neoverse-n1'], 't4g.xlarge': [4, 16384, 'neoverse-n1'],
  't4g.2xlarge': [8, 32768, 'neoverse-n1'],
  'm6g.medium': [1, 4096, 'neoverse-n1'], 'm6g.large': [2, 8192, 'neoverse-n1'], 'm6g.xlarge': [4, 16384, 'neoverse-n1'],
  'c6g.medium': [1, 2048, 'neoverse-n1'], 'c6g.large': [2, 4096, 'neoverse-n1'], 'c6g.xlarge': [4, 8192, 'neoverse-n1'],
  'r6g.medium': [1, 8192, 'neoverse-n1'], 'r6g.large': [2, 16384, 'neoverse-n1'],
  'c7g.medium': [1, 2048, 'max'], 'c7g.large': [2, 4096, 'max'], 'm7g.medium': [1, 4096, 'max'], 'm7g.large': [2, 8192, 'max'],
};

/** Keys we read, and Ops keys that we accept but that have no meaning here (warned about). */
const KNOWN: Record<string, 'use' | 'ignore' | Record<string, 'use' | 'ignore'>> = {
  Args: 'use', Env: 'use', Files: 'use', Dirs: 'use', MapDirs: 'use', Kernel: 'use', Program: 'use', UefiBoot: 'use', Uefi: 'use',
  Boot: 'use', BaseVolumeSz: 'use',
  RunConfig: { Memory: 'use', CPUs: 'use', Ports: 'use', Accel: 'ignore', Verbose: 'ignore', Bridged: 'ignore', Klibs: 'ignore', Debug: 'ignore', GdbPort: 'ignore', ShowDebug: 'ignore', ShowWarnings: 'ignore', ShowErrors: 'ignore', Imagename: 'ignore' },
  CloudConfig: { Flavor: 'use', Platform: 'ignore', Zone: 'ignore', ProjectID: 'ignore', BucketName: 'ignore', ImageName: 'ignore', Tags: 'ignore' },
  A64: { Machine: 'use', EspFiles: 'use', EspSizeMiB: 'use', DataSizeMiB: 'use', KernelPath: 'use', CpuModel: 'use' },
  BuildDir: 'ignore', Debugflags: 'ignore', DisableArgsCopy: 'ignore', Force: 'ignore', Home: 'ignore', Klibs: 'ignore', KlibDir: 'ignore',
  Mounts: 'ignore', NameServers: 'ignore', NanosVersion: 'ignore', NightlyBuild: 'ignore', Notrace: 'ignore', TargetRoot: 'ignore',
  TargetConfig: 'ignore', Version: 'ignore', ManifestPassthrough: 'ignore', LocalFilesParentDirectory: 'ignore', ProgramPath: 'ignore',
};

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}
function basename(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() ?? p;
}
function resolve(base: string, p: string): string {
  return p.startsWith('/') ? p : `${base}/${p}`.replace(/\/\.\//g, '/');
}

/** Is this file a PE32+ image for AArch64 (machine 0xAA64), i.e. a UEFI application we could boot? */
export function isAarch64Pe(b: Uint8Array): boolean {
  if (b.length < 0x40 || b[0] !== 0x4d || b[1] !== 0x5a) return false;
  const pe = b[0x3c] | (b[0x3d] << 8) | (b[0x3e] << 16) | (b[0x3f] << 24);
  return pe + 6 <= b.length && b[pe] === 0x50 && b[pe + 1] === 0x45 && b[pe + 2] === 0 && b[pe + 3] === 0 && (b[pe + 4] | (b[pe + 5] << 8)) === 0xaa64;
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

const MEM = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i;

function parseMemory(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? MEM.exec(v.trim()) : null;
  if (!m) return undefined;
  const mul = { '': 1 / (1 << 20), k: 1 / 1024, m: 1, g: 1024, t: 1 << 20 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mul);
}

/** Reads a config; `file` names it in every message. Never throws on bad input: problems come back as errors. */
export function readImageConfig(text: string, file: string, fs: ImageFs): ImageConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const inputs: string[] = [file];
  const shape: MachineShape = { machine: 'graviton', cpus: 1, memoryMiB: 2048 };
  const out: ImageConfigResult = { shape, loadOptions: '', inputs, errors, warnings };
  let cfg: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('the top level is not an object');
    cfg = v as Record<string, unknown>;
  } catch (e) {
    errors.push(`${file}: not valid JSON: ${(e as Error).message}`);
    return out;
  }
  const base = dirname(file);
  const at = (key: string, m: string) => `${file}: ${key}: ${m}`;

  // unknown keys, with their path
  const checkKeys = (obj: Record<string, unknown>, known: Record<string, unknown>, prefix: string) => {
    for (const k of Object.keys(obj)) {
      const kind = known[k];
      if (kind === undefined) {
        const near = Object.keys(known).find((x) => editDistance(x.toLowerCase(), k.toLowerCase()) <= 2);
        errors.push(at(prefix + k, `unknown key${near ? ` (did you mean ${prefix}${near}?)` : ''}`));
      } else if (kind === 'ignore') warnings.push(at(prefix + k, 'accepted for Ops compatibility; it has no effect here'));
      else if (typeof kind === 'object') {
        const sub = obj[k];
        if (!sub || typeof sub !== 'object' || Array.isArray(sub)) errors.push(at(prefix + k, 'must be an object'));
        else checkKeys(sub as Record<string, unknown>, kind as Record<string, unknown>, `${prefix}${k}.`);
      }
    }
  };
  checkKeys(cfg, KNOWN, '');
  const obj = (k: string) => (cfg[k] && typeof cfg[k] === 'object' && !Array.isArray(cfg[k]) ? (cfg[k] as Record<string, unknown>) : {});
  const a64 = obj('A64');
  const run = obj('RunConfig');
  const cloud = obj('CloudConfig');

  const strings = (key: string, v: unknown): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      errors.push(at(key, 'must be an array of strings'));
      return [];
    }
    return v as string[];
  };
  const str = (key: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v) {
      errors.push(at(key, 'must be a non-empty string'));
      return undefined;
    }
    return v;
  };
  const readInput = (key: string, p: string): Uint8Array | undefined => {
    const full = resolve(base, p);
    const kind = fs.kind(full);
    if (kind !== 'file') {
      errors.push(at(key, kind === 'dir' ? `'${p}' is a directory, not a file` : `no such file '${p}' (looked for ${full})`));
      return undefined;
    }
    inputs.push(full);
    return fs.readFile(full);
  };

  // the machine shape
  if (a64.Machine !== undefined) {
    if (a64.Machine === 'virt' || a64.Machine === 'graviton') shape.machine = a64.Machine;
    else errors.push(at('A64.Machine', `'${String(a64.Machine)}' is not a machine: use 'virt' or 'graviton'`));
  }
  const flavor = str('CloudConfig.Flavor', cloud.Flavor);
  if (flavor) {
    const f = FLAVORS[flavor];
    if (!f) errors.push(at('CloudConfig.Flavor', `unknown instance type '${flavor}' (known: ${Object.keys(FLAVORS).join(', ')})`));
    else {
      [shape.cpus, shape.memoryMiB, shape.cpuModel] = f;
      shape.flavor = flavor;
      if (f[2] === 'max') warnings.push(at('CloudConfig.Flavor', `${flavor} is a Graviton3 (Neoverse V1), which is not modelled: the 'max' CPU model stands in`));
    }
  }
  if (run.Memory !== undefined) {
    const m = parseMemory(run.Memory);
    if (!m || m < 16) errors.push(at('RunConfig.Memory', `'${String(run.Memory)}' is not a memory size such as "512M" or "2G" (at least 16M)`));
    else shape.memoryMiB = m;
  }
  if (run.CPUs !== undefined) {
    if (!Number.isInteger(run.CPUs) || (run.CPUs as number) < 1 || (run.CPUs as number) > 64) errors.push(at('RunConfig.CPUs', 'must be an integer from 1 to 64'));
    else shape.cpus = run.CPUs as number;
  }
  const cpuModel = str('A64.CpuModel', a64.CpuModel);
  if (cpuModel) shape.cpuModel = cpuModel;
  if (cfg.Uefi === false) errors.push(at('Uefi', 'false asks for a BIOS image; arm64 machines boot through UEFI only'));
  if (cfg.Boot !== undefined) warnings.push(at('Boot', 'a BIOS boot loader has no meaning on arm64 and is not used; UefiBoot names the UEFI one'));
  if (cfg.BaseVolumeSz !== undefined) warnings.push(at('BaseVolumeSz', 'there is no TFS base volume here; use A64.DataSizeMiB'));

  // the ESP
  const esp: FatTree = {};
  const put = (tree: FatTree, path: string, data: Uint8Array | FatTree, key: string): void => {
    const parts = path.split('/').filter(Boolean);
    if (!parts.length) {
      errors.push(at(key, `'${path}' names no file`));
      return;
    }
    let t = tree;
    for (const [i, name] of parts.entries()) {
      const bad = badLongName(name);
      if (bad) {
        errors.push(at(key, `'${path}': ${bad}`));
        return;
      }
      const existing = Object.keys(t).find((k) => k.toUpperCase() === name.toUpperCase());
      if (i === parts.length - 1) {
        if (existing) errors.push(at(key, `'${path}' is given twice (FAT names ignore case)`));
        else t[name] = data;
      } else {
        const node = existing ? t[existing] : (t[name] = {});
        if (!isDirNode(node)) {
          errors.push(at(key, `'${path}': '${name}' is a file, not a directory`));
          return;
        }
        t = node;
      }
    }
  };
  const kernelPath = str('Kernel', cfg.Kernel);
  const kernel = kernelPath ? readInput('Kernel', kernelPath) : undefined;
  const bootPath = str('UefiBoot', cfg.UefiBoot);
  const boot = bootPath ? readInput('UefiBoot', bootPath) : undefined;
  if (boot) {
    if (!isAarch64Pe(boot)) errors.push(at('UefiBoot', `'${bootPath}' is not a UEFI application for AArch64 (a PE32+ image with machine type 0xAA64)`));
    put(esp, 'EFI/BOOT/BOOTAA64.EFI', boot, 'UefiBoot');
    if (kernel && kernelPath) put(esp, str('A64.KernelPath', a64.KernelPath) ?? basename(kernelPath), kernel, 'Kernel');
  } else if (kernel && kernelPath) {
    if (isAarch64Pe(kernel)) put(esp, 'EFI/BOOT/BOOTAA64.EFI', kernel, 'Kernel');
    else errors.push(at('Kernel', `'${kernelPath}' is not a UEFI application (no PE32+ AArch64 header), so it cannot be booted without UefiBoot naming a loader`));
  } else errors.push(`${file}: nothing to boot: give UefiBoot (a UEFI loader) or Kernel (a kernel with an EFI stub)`);
  if (a64.EspFiles !== undefined) {
    if (!a64.EspFiles || typeof a64.EspFiles !== 'object' || Array.isArray(a64.EspFiles)) errors.push(at('A64.EspFiles', 'must be an object of "path on ESP": "host path"'));
    else {
      for (const [to, from] of Object.entries(a64.EspFiles as Record<string, unknown>)) {
        const key = `A64.EspFiles.${to}`;
        const p = str(key, from);
        const data = p ? readInput(key, p) : undefined;
        if (data) put(esp, to, data, key);
      }
    }
  }

  // the data partition
  const data: FatTree = {};
  const programPath = str('Program', cfg.Program);
  if (programPath) {
    const b = readInput('Program', programPath);
    if (b) put(data, basename(programPath), b, 'Program');
  }
  strings('Files', cfg.Files).forEach((f, i) => {
    const b = readInput(`Files[${i}]`, f);
    if (b) put(data, f.replace(/^(\.\.\/)+|^\//, ''), b, `Files[${i}]`);
  });
  const addDir = (key: string, host: string, guest: string): void => {
    const full = resolve(base, host);
    if (fs.kind(full) !== 'dir') {
      errors.push(at(key, `no such directory '${host}' (looked for ${full})`));
      return;
    }
    for (const name of fs.list(full).sort()) {
      const p = `${full}/${name}`;
      if (fs.kind(p) === 'dir') addDir(key, `${host}/${name}`, `${guest}/${name}`);
      else {
        inputs.push(p);
        put(data, `${guest}/${name}`, fs.readFile(p), key);
      }
    }
  };
  strings('Dirs', cfg.Dirs).forEach((d, i) => addDir(`Dirs[${i}]`, d, d.replace(/^(\.\.\/)+|^\//, '')));
  if (cfg.MapDirs !== undefined) {
    if (!cfg.MapDirs || typeof cfg.MapDirs !== 'object' || Array.isArray(cfg.MapDirs)) errors.push(at('MapDirs', 'must be an object of "host dir": "guest dir"'));
    else for (const [h, g] of Object.entries(cfg.MapDirs as Record<string, unknown>)) {
      const guest = str(`MapDirs.${h}`, g);
      if (guest) addDir(`MapDirs.${h}`, h.replace(/\/\*$/, ''), guest);
    }
  }
  const args = strings('Args', cfg.Args);
  out.loadOptions = args.join(' ');
  let env: string[] = [];
  if (cfg.Env !== undefined) {
    if (!cfg.Env || typeof cfg.Env !== 'object' || Array.isArray(cfg.Env) || Object.values(cfg.Env).some((v) => typeof v !== 'string')) errors.push(at('Env', 'must be an object of string values'));
    else env = Object.entries(cfg.Env as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  }
  const enc = new TextEncoder();
  if (args.length || env.length) put(data, 'a64', { args: enc.encode(args.map((a) => `${a}\n`).join('')), env: enc.encode(env.map((e) => `${e}\n`).join('')) }, 'Args');

  const size = (key: string): number | undefined => {
    const v = a64[key];
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < 1) {
      errors.push(at(`A64.${key}`, 'must be a whole number of MiB'));
      return undefined;
    }
    return v as number;
  };
  const partitions: PartitionSpec[] = [{ kind: 'esp', files: esp, sizeMiB: size('EspSizeMiB') }];
  if (Object.keys(data).length) partitions.push({ kind: 'fat32', name: 'data', label: 'DATA', files: data, sizeMiB: size('DataSizeMiB') });
  if (!errors.length) out.disk = { id: basename(file), partitions };
  return out;
}
