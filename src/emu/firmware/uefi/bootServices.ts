// EFI_BOOT_SERVICES (UEFI 2.10 chapter 7) of the built-in firmware: the table, in the order the
// specification lays it out, and each service. Memory and the memory map, events and timers (virtual
// time), the protocol handle database, images (LoadImage/StartImage/Exit for PE32+ from a buffer or the
// ESP), ExitBootServices with map-key checking, and the small helpers (CRC32, CopyMem, SetMem).
// After ExitBootServices every boot service reports the misuse and returns EFI_UNSUPPORTED.
import { CRC32_TABLE, crcBytes } from '../../isa/exec/crc';
import { PeError } from '../../loader/pe';
import type { UefiFirmware, Service } from './firmware';
import { voidService } from './firmware';
import { GUID } from './guids';
import { MemType, PAGE } from './memoryMap';
import { EFI } from './status';
import { concatPath, filePathNode, pathLength } from './devicePath';

/** Descriptor size we report (larger than the 40-byte structure, as EDK2 does, so loaders must use it). */
export const DESC_SIZE = 48;
const OPEN_PROTOCOL_TEST = 4n;

interface UefiEvent {
  type: number;
  notify: bigint;
  signaled: boolean;
  /** Virtual-time deadline in seconds, and the period for periodic timers. */
  deadline?: number;
  period?: number;
  /** Signals when console input is waiting (WaitForKey). */
  key?: boolean;
}

/** Boot service names in table order (UEFI 2.10, EFI_BOOT_SERVICES). */
export const BOOT_SERVICE_NAMES = [
  'RaiseTPL', 'RestoreTPL', 'AllocatePages', 'FreePages', 'GetMemoryMap', 'AllocatePool', 'FreePool', 'CreateEvent', 'SetTimer',
  'WaitForEvent', 'SignalEvent', 'CloseEvent', 'CheckEvent', 'InstallProtocolInterface', 'ReinstallProtocolInterface',
  'UninstallProtocolInterface', 'HandleProtocol', 'Reserved', 'RegisterProtocolNotify', 'LocateHandle', 'LocateDevicePath',
  'InstallConfigurationTable', 'LoadImage', 'StartImage', 'Exit', 'UnloadImage', 'ExitBootServices', 'GetNextMonotonicCount',
  'Stall', 'SetWatchdogTimer', 'ConnectController', 'DisconnectController', 'OpenProtocol', 'CloseProtocol',
  'OpenProtocolInformation', 'ProtocolsPerHandle', 'LocateHandleBuffer', 'LocateProtocol', 'InstallMultipleProtocolInterfaces',
  'UninstallMultipleProtocolInterfaces', 'CalculateCrc32', 'CopyMem', 'SetMem', 'CreateEventEx',
] as const;

export class BootServices {
  private tpl = 4n; // TPL_APPLICATION
  private readonly events = new Map<number, UefiEvent>();
  private readonly pools = new Map<number, number>();
  private monotonic = 0n;
  /** Called by the console to tell whether a key is waiting. */
  keyWaiting: () => boolean = () => false;
  /** Finds a file on the boot volume for LoadImage by device path (set by the file system). */
  loadFile?: (path: string) => Uint8Array | undefined;
  keyEvent = 0;
  /** Entry points of images loaded by LoadImage, by handle. */
  private readonly entryPoints = new Map<number, bigint>();

  constructor(private readonly fw: UefiFirmware) {}

  /** Builds the table; returns its address. */
  build(): number {
    const fw = this.fw;
    const impl: Partial<Record<(typeof BOOT_SERVICE_NAMES)[number], Service>> = {
      RaiseTPL: (f) => {
        const old = this.tpl;
        this.tpl = f.arg(0);
        return old;
      },
      RestoreTPL: voidService((f) => (this.tpl = f.arg(0))),
      AllocatePages: (f) => this.allocatePages(f),
      FreePages: (f) => (f.map.free(f.argN(0), f.argN(1)) ? EFI.SUCCESS : EFI.NOT_FOUND),
      GetMemoryMap: (f) => this.getMemoryMap(f),
      AllocatePool: (f) => {
        const type = f.argN(0);
        const size = f.argN(1);
        if (!this.validType(type) || !f.argN(2)) return EFI.INVALID_PARAMETER;
        const pages = Math.max(1, Math.ceil(size / PAGE));
        const a = f.map.allocate(pages, type);
        if (a === undefined) return EFI.OUT_OF_RESOURCES;
        this.pools.set(a, pages);
        f.mem.w64(f.argN(2), a);
        return EFI.SUCCESS;
      },
      FreePool: (f) => {
        const a = f.argN(0);
        const pages = this.pools.get(a);
        if (pages === undefined) return EFI.INVALID_PARAMETER;
        this.pools.delete(a);
        f.map.free(a, pages);
        return EFI.SUCCESS;
      },
      CreateEvent: (f) => this.createEvent(f, f.argN(4)),
      CreateEventEx: (f) => this.createEvent(f, f.argN(5)),
      SetTimer: (f) => {
        const e = this.events.get(f.argN(0));
        if (!e) return EFI.INVALID_PARAMETER;
        const kind = f.argN(1);
        const secs = Number(f.arg(2)) / 1e7; // 100 ns units
        if (kind === 0) e.deadline = undefined;
        else {
          e.deadline = f.host.seconds() + secs;
          e.period = kind === 1 ? Math.max(secs, 1e-6) : undefined;
        }
        return EFI.SUCCESS;
      },
      WaitForEvent: (f) => this.waitForEvent(f),
      SignalEvent: (f) => this.signal(f.argN(0)),
      CloseEvent: (f) => (this.events.delete(f.argN(0)) ? EFI.SUCCESS : EFI.INVALID_PARAMETER),
      CheckEvent: (f) => {
        const e = this.events.get(f.argN(0));
        if (!e) return EFI.INVALID_PARAMETER;
        this.poll(e);
        if (!e.signaled) return EFI.NOT_READY;
        e.signaled = false;
        return EFI.SUCCESS;
      },
      InstallProtocolInterface: (f) => {
        const hp = f.argN(0);
        let h = Number(f.mem.u64(hp));
        if (!h) {
          h = f.newHandle();
          f.mem.w64(hp, h);
        } else if (!f.handles.has(h)) return EFI.INVALID_PARAMETER;
        const g = f.mem.guid(f.argN(1));
        if (f.protocol(h, g) !== undefined) return EFI.INVALID_PARAMETER;
        f.install(h, g, f.argN(3));
        return EFI.SUCCESS;
      },
      ReinstallProtocolInterface: (f) => {
        const m = f.handles.get(f.argN(0));
        const g = f.mem.guid(f.argN(1));
        if (!m || m.get(g) !== f.argN(2)) return EFI.NOT_FOUND;
        m.set(g, f.argN(3));
        return EFI.SUCCESS;
      },
      UninstallProtocolInterface: (f) => {
        const m = f.handles.get(f.argN(0));
        const g = f.mem.guid(f.argN(1));
        if (!m || m.get(g) !== f.argN(2)) return EFI.NOT_FOUND;
        m.delete(g);
        return EFI.SUCCESS;
      },
      HandleProtocol: (f) => this.open(f, f.argN(0), f.argN(1), f.argN(2), false),
      OpenProtocol: (f) => this.open(f, f.argN(0), f.argN(1), f.argN(2), (f.arg(5) & OPEN_PROTOCOL_TEST) !== 0n),
      CloseProtocol: (f) => (f.protocol(f.argN(0), f.mem.guid(f.argN(1))) !== undefined ? EFI.SUCCESS : EFI.NOT_FOUND),
      LocateHandle: (f) => this.locateHandle(f),
      LocateHandleBuffer: (f) => this.locateHandleBuffer(f),
      LocateProtocol: (f) => {
        const g = f.mem.guid(f.argN(0));
        for (const m of f.handles.values()) {
          const i = m.get(g);
          if (i !== undefined) {
            f.mem.w64(f.argN(2), i);
            return EFI.SUCCESS;
          }
        }
        f.trace.push(`LocateProtocol(${f.guidName(g)}): not provided`);
        return EFI.NOT_FOUND;
      },
      LocateDevicePath: (f) => this.locateDevicePath(f),
      ProtocolsPerHandle: (f) => {
        const m = f.handles.get(f.argN(0));
        if (!m) return EFI.INVALID_PARAMETER;
        const arr = f.alloc(8 * Math.max(1, m.size));
        [...m.keys()].forEach((g, k) => f.mem.w64(arr + 8 * k, f.guidAddress(g)));
        f.mem.w64(f.argN(1), arr);
        f.mem.w64(f.argN(2), m.size);
        return EFI.SUCCESS;
      },
      InstallMultipleProtocolInterfaces: (f) => this.installMultiple(f, true),
      UninstallMultipleProtocolInterfaces: (f) => this.installMultiple(f, false),
      InstallConfigurationTable: (f) => {
        f.setConfigTable(f.mem.guid(f.argN(0)), f.argN(1));
        return EFI.SUCCESS;
      },
      LoadImage: (f) => this.loadImage(f),
      StartImage: (f) => this.startImage(f),
      Exit: (f) => this.exit(f),
      UnloadImage: (f) => (f.images.delete(f.argN(0)) ? EFI.SUCCESS : EFI.INVALID_PARAMETER),
      ExitBootServices: (f) => {
        if (f.arg(1) !== BigInt(f.map.key)) return EFI.INVALID_PARAMETER;
        f.exitedBootServices = true;
        return EFI.SUCCESS;
      },
      GetNextMonotonicCount: (f) => {
        f.mem.w64(f.argN(0), ++this.monotonic);
        return EFI.SUCCESS;
      },
      Stall: (f) => {
        f.host.advance?.(f.argN(0));
        return EFI.SUCCESS;
      },
      SetWatchdogTimer: () => EFI.SUCCESS,
      ConnectController: () => EFI.SUCCESS,
      DisconnectController: () => EFI.SUCCESS,
      CalculateCrc32: (f) => {
        if (!f.argN(2) || !f.argN(1)) return EFI.INVALID_PARAMETER;
        f.mem.w32(f.argN(2), crcBytes(CRC32_TABLE, f.mem.bytes(f.argN(0), f.argN(1))));
        return EFI.SUCCESS;
      },
      CopyMem: voidService((f) => f.mem.put(f.argN(0), f.mem.bytes(f.argN(1), f.argN(2)))),
      SetMem: voidService((f) => f.mem.put(f.argN(0), new Uint8Array(f.argN(1)).fill(f.argN(2) & 0xff))),
    };
    const table = fw.alloc(24 + 8 * BOOT_SERVICE_NAMES.length);
    BOOT_SERVICE_NAMES.forEach((name, i) => {
      const fn = impl[name];
      const full = `BootServices->${name}`;
      const stub = fn
        ? fw.stub(full, (f) => {
          if (f.exitedBootServices) {
            f.host.report(`UEFI: ${full} called after ExitBootServices (returned EFI_UNSUPPORTED)`);
            return EFI.UNSUPPORTED;
          }
          return fn(f);
        })
        : name === 'Reserved' ? 0 : fw.unimplemented(full);
      fw.mem.w64(table + 24 + 8 * i, stub);
    });
    fw.sealTable(table, 0x56524553544f4f42n, 24 + 8 * BOOT_SERVICE_NAMES.length);
    return table;
  }

  private validType(t: number): boolean {
    return (t >= MemType.LoaderCode && t <= MemType.AcpiNvs && t !== MemType.Conventional && t !== MemType.Unusable) || t >= 0x80000000;
  }

  private allocatePages(f: UefiFirmware): bigint {
    const kind = f.argN(0);
    const type = f.argN(1);
    const pages = f.argN(2);
    const out = f.argN(3);
    if (!out || !pages || !this.validType(type)) return EFI.INVALID_PARAMETER;
    const memType = type >= 0x80000000 ? MemType.LoaderData : type;
    let a: number | undefined;
    if (kind === 0) a = f.map.allocate(pages, memType);
    else if (kind === 1) a = f.map.allocate(pages, memType, Number(f.mem.u64(out)) + 1);
    else if (kind === 2) {
      const want = Number(f.mem.u64(out));
      a = want % PAGE === 0 && f.map.claim(want, pages, memType) ? want : undefined;
      if (a === undefined) return EFI.NOT_FOUND;
    } else return EFI.INVALID_PARAMETER;
    if (a === undefined) return EFI.OUT_OF_RESOURCES;
    f.mem.w64(out, a);
    return EFI.SUCCESS;
  }

  private getMemoryMap(f: UefiFirmware): bigint {
    const sizeP = f.argN(0);
    if (!sizeP) return EFI.INVALID_PARAMETER;
    const need = f.map.ranges.length * DESC_SIZE;
    const have = Number(f.mem.u64(sizeP));
    f.mem.w64(sizeP, need);
    if (f.argN(3)) f.mem.w64(f.argN(3), DESC_SIZE);
    if (f.argN(4)) f.mem.w32(f.argN(4), 1);
    if (have < need) return EFI.BUFFER_TOO_SMALL;
    const buf = f.argN(1);
    if (!buf) return EFI.INVALID_PARAMETER;
    const out = new Uint8Array(need);
    const dv = new DataView(out.buffer);
    f.map.ranges.forEach((r, i) => {
      const o = i * DESC_SIZE;
      dv.setUint32(o, r.type, true);
      dv.setBigUint64(o + 8, BigInt(r.base), true);
      dv.setBigUint64(o + 16, BigInt(r.base), true);
      dv.setBigUint64(o + 24, BigInt(r.pages), true);
      dv.setBigUint64(o + 32, r.attr, true);
    });
    f.mem.put(buf, out);
    if (f.argN(2)) f.mem.w64(f.argN(2), f.map.key);
    return EFI.SUCCESS;
  }

  private createEvent(f: UefiFirmware, out: number): bigint {
    if (!out) return EFI.INVALID_PARAMETER;
    const id = f.alloc(16);
    const notify = f.arg(2);
    this.events.set(id, { type: f.argN(0), notify, signaled: false });
    if (notify) f.host.report(`UEFI: event 0x${id.toString(16)} has a notification function (0x${notify.toString(16)}); this firmware never calls notification functions`);
    f.mem.w64(out, id);
    return EFI.SUCCESS;
  }

  /** The console's WaitForKey event. */
  makeKeyEvent(): number {
    const id = this.fw.alloc(16);
    this.events.set(id, { type: 0, notify: 0n, signaled: false, key: true });
    this.keyEvent = id;
    return id;
  }

  private signal(id: number): bigint {
    const e = this.events.get(id);
    if (!e) return EFI.INVALID_PARAMETER;
    e.signaled = true;
    return EFI.SUCCESS;
  }

  private poll(e: UefiEvent): void {
    if (e.key && this.keyWaiting()) e.signaled = true;
    if (e.deadline !== undefined && this.fw.host.seconds() >= e.deadline) {
      e.signaled = true;
      e.deadline = e.period ? e.deadline + e.period : undefined;
    }
  }

  private waitForEvent(f: UefiFirmware): bigint | undefined {
    const n = f.argN(0);
    const arr = f.argN(1);
    if (!n || !arr) return EFI.INVALID_PARAMETER;
    const ids = Array.from({ length: n }, (_, k) => Number(f.mem.u64(arr + 8 * k)));
    const evs = ids.map((id) => this.events.get(id));
    if (evs.some((e) => !e)) return EFI.INVALID_PARAMETER;
    for (const [k, e] of evs.entries()) {
      this.poll(e!);
      if (e!.signaled) {
        e!.signaled = false;
        if (f.argN(2)) f.mem.w64(f.argN(2), k);
        return EFI.SUCCESS;
      }
    }
    // Nothing yet: skip virtual time to the nearest timer, or wait for a key by running the stub again.
    const next = Math.min(...evs.map((e) => e!.deadline ?? Infinity));
    if (Number.isFinite(next)) f.host.advance?.(Math.max(1, Math.ceil((next - f.host.seconds()) * 1e6)));
    else if (!evs.some((e) => e!.key)) {
      f.host.report('UEFI: WaitForEvent on events that nothing can signal (no timer, no key)');
      return EFI.UNSUPPORTED;
    }
    f.next = { kind: 'again' };
    return undefined;
  }

  private open(f: UefiFirmware, handle: number, guidP: number, out: number, test: boolean): bigint {
    const g = f.mem.guid(guidP);
    if (!f.handles.has(handle)) return EFI.INVALID_PARAMETER;
    const i = f.protocol(handle, g);
    if (i === undefined) return EFI.UNSUPPORTED;
    if (!test) {
      if (!out) return EFI.INVALID_PARAMETER;
      f.mem.w64(out, i);
    }
    return EFI.SUCCESS;
  }

  private matching(f: UefiFirmware, searchType: number, guidP: number): number[] | undefined {
    if (searchType === 0) return [...f.handles.keys()];
    if (searchType === 2) {
      const g = f.mem.guid(guidP);
      return [...f.handles.entries()].filter(([, m]) => m.has(g)).map(([h]) => h);
    }
    return undefined;
  }

  private locateHandle(f: UefiFirmware): bigint {
    const hs = this.matching(f, f.argN(0), f.argN(1));
    if (!hs) return EFI.UNSUPPORTED;
    if (!hs.length) return EFI.NOT_FOUND;
    const sizeP = f.argN(3);
    const have = Number(f.mem.u64(sizeP));
    f.mem.w64(sizeP, 8 * hs.length);
    if (have < 8 * hs.length) return EFI.BUFFER_TOO_SMALL;
    hs.forEach((h, k) => f.mem.w64(f.argN(4) + 8 * k, h));
    return EFI.SUCCESS;
  }

  private locateHandleBuffer(f: UefiFirmware): bigint {
    const hs = this.matching(f, f.argN(0), f.argN(1));
    if (!hs) return EFI.UNSUPPORTED;
    if (!hs.length) return EFI.NOT_FOUND;
    const buf = f.alloc(8 * hs.length);
    hs.forEach((h, k) => f.mem.w64(buf + 8 * k, h));
    f.mem.w64(f.argN(3), hs.length);
    f.mem.w64(f.argN(4), buf);
    return EFI.SUCCESS;
  }

  /** The handle with the protocol whose device path is the longest prefix of *DevicePath; advances it. */
  private locateDevicePath(f: UefiFirmware): bigint {
    const g = f.mem.guid(f.argN(0));
    const dpp = f.argN(1);
    const dp = Number(f.mem.u64(dpp));
    const path = f.mem.bytes(dp, 1024);
    let best: { h: number; len: number } | undefined;
    for (const [h, m] of f.handles) {
      const dpi = m.get(GUID.DEVICE_PATH);
      if (!m.has(g) || dpi === undefined) continue;
      const mine = f.mem.bytes(dpi, 1024);
      const len = pathLength(mine);
      if (len >= 0 && len <= path.length && mine.subarray(0, len).every((b, k) => b === path[k]) && (!best || len > best.len)) best = { h, len };
    }
    if (!best) return EFI.NOT_FOUND;
    f.mem.w64(dpp, dp + best.len);
    f.mem.w64(f.argN(2), best.h);
    return EFI.SUCCESS;
  }

  private installMultiple(f: UefiFirmware, install: boolean): bigint {
    const hp = f.argN(0);
    let h = Number(f.mem.u64(hp));
    const pairs: [string, number][] = [];
    for (let i = 1; i < 64; i += 2) {
      const gp = f.argN(i);
      if (!gp) break;
      pairs.push([f.mem.guid(gp), f.argN(i + 1)]);
    }
    if (install) {
      if (!h) {
        h = f.newHandle();
        f.mem.w64(hp, h);
      }
      if (pairs.some(([g]) => f.protocol(h, g) !== undefined)) return EFI.INVALID_PARAMETER;
      for (const [g, i] of pairs) f.install(h, g, i);
    } else {
      const m = f.handles.get(h);
      if (!m || pairs.some(([g, i]) => m.get(g) !== i)) return EFI.INVALID_PARAMETER;
      for (const [g] of pairs) m.delete(g);
    }
    return EFI.SUCCESS;
  }

  private loadImage(f: UefiFirmware): bigint {
    const parent = f.argN(1);
    const dp = f.argN(2);
    const src = f.argN(3);
    const size = f.argN(4);
    const out = f.argN(5);
    if (!out || !f.images.has(parent)) return EFI.INVALID_PARAMETER;
    let bytes: Uint8Array | undefined;
    let name = 'image from memory';
    if (src) bytes = f.mem.bytes(src, size);
    else if (dp) {
      const raw = f.mem.bytes(dp, 1024);
      const len = pathLength(raw);
      // the last file-path node names the file on the boot volume
      let off = 0;
      let file: string | undefined;
      while (off < len) {
        const l = raw[off + 2] | (raw[off + 3] << 8);
        if (raw[off] === 4 && raw[off + 1] === 4) file = new TextDecoder('utf-16le').decode(raw.subarray(off + 4, off + l)).replace(/\0.*$/s, '');
        off += l;
      }
      if (file) {
        bytes = this.loadFile?.(file);
        name = file;
      }
    }
    if (!bytes) return EFI.NOT_FOUND;
    try {
      const img = f.loadPe(bytes, name);
      const handle = f.newHandle();
      f.images.set(handle, { handle, base: img.base, size: img.size, name });
      const li = makeLoadedImage(f, handle, parent, 0, concatPath(filePathNode(name)), '', img.base, img.size);
      f.install(handle, GUID.LOADED_IMAGE, li);
      this.entryPoints.set(handle, img.entry);
      f.mem.w64(out, handle);
      return EFI.SUCCESS;
    } catch (e) {
      if (e instanceof PeError) {
        f.host.report(`UEFI: LoadImage: ${e.message}`);
        return EFI.LOAD_ERROR;
      }
      throw e;
    }
  }

  private startImage(f: UefiFirmware): bigint {
    const h = f.argN(0);
    const img = f.images.get(h);
    const entry = this.entryPoints.get(h);
    if (!img || entry === undefined) return EFI.INVALID_PARAMETER;
    if (f.argN(1)) f.mem.w64(f.argN(1), 0);
    // Enter the image with the caller's return address in x30: when it returns, its status reaches
    // StartImage's caller directly. Exit() unwinds to the same place using the context saved here.
    img.startedBy = { lr: f.host.x(30), sp: f.host.sp(), saved: Array.from({ length: 11 }, (_, k) => f.host.x(19 + k)) };
    f.host.setX(1, BigInt(f.systemTable));
    f.next = { kind: 'jump', to: entry };
    return BigInt(h);
  }

  private exit(f: UefiFirmware): bigint {
    const h = f.argN(0);
    const img = f.images.get(h);
    if (!img) return EFI.INVALID_PARAMETER;
    if (!img.startedBy) {
      f.host.report(`UEFI: ${img.name} called Exit with status 0x${f.arg(1).toString(16)}; there is no boot manager to return to`);
      f.host.reset('shutdown', f.arg(1));
      return EFI.SUCCESS;
    }
    const ctx = img.startedBy;
    img.startedBy = undefined;
    ctx.saved.forEach((v, k) => f.host.setX(19 + k, v));
    f.host.setSp(ctx.sp);
    f.host.setX(30, ctx.lr);
    f.next = { kind: 'jump', to: ctx.lr };
    return f.arg(1);
  }
}

/** Writes an EFI_LOADED_IMAGE_PROTOCOL; returns its address. */
export function makeLoadedImage(f: UefiFirmware, _handle: number, parent: number, device: number, filePath: Uint8Array, options: string, base: number, size: number): number {
  const li = f.alloc(96 + filePath.length + 2 * options.length + 2);
  const fp = li + 96;
  const opts = fp + filePath.length;
  f.mem.w32(li, 0x1000);
  f.mem.w64(li + 8, parent);
  f.mem.w64(li + 16, f.systemTable);
  f.mem.w64(li + 24, device);
  f.mem.put(fp, filePath);
  f.mem.w64(li + 32, fp);
  if (options) {
    const n = f.mem.wstr16(opts, options);
    f.mem.w32(li + 48, n);
    f.mem.w64(li + 56, opts);
  }
  f.mem.w64(li + 64, base);
  f.mem.w64(li + 72, size);
  f.mem.w32(li + 80, MemType.LoaderCode);
  f.mem.w32(li + 84, MemType.LoaderData);
  return li;
}
