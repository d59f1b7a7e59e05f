// EFI_RUNTIME_SERVICES (UEFI 2.10 chapter 8) of the built-in firmware: time from the machine's virtual
// clock (an epoch plus virtual seconds, adjustable with SetTime), variables in memory (non-volatile ones
// live as long as the machine), SetVirtualAddressMap (the table's function pointers are rewritten to the
// virtual addresses the OS chose, so its calls keep reaching our stubs), ConvertPointer, ResetSystem.
// Capsules and wakeup alarms are not implemented and say so.
import type { UefiFirmware } from './firmware';
import { voidService } from './firmware';
import { MemType } from './memoryMap';
import { EFI } from './status';

export const RUNTIME_SERVICE_NAMES = [
  'GetTime', 'SetTime', 'GetWakeupTime', 'SetWakeupTime', 'SetVirtualAddressMap', 'ConvertPointer', 'GetVariable',
  'GetNextVariableName', 'SetVariable', 'GetNextHighMonotonicCount', 'ResetSystem', 'UpdateCapsule', 'QueryCapsuleCapabilities',
  'QueryVariableInfo',
] as const;

interface Variable {
  attributes: number;
  data: Uint8Array;
}

export class RuntimeServices {
  /** Seconds since 1970 at virtual time 0; SetTime moves it. */
  epoch: number;
  readonly variables = new Map<string, Variable>();
  private virtualMap?: { phys: number; virt: number; size: number }[];
  private highCount = 0n;
  private table = 0;
  private readonly stubs: number[] = [];

  constructor(private readonly fw: UefiFirmware, epoch: number) {
    this.epoch = epoch;
  }

  build(): number {
    const fw = this.fw;
    const impl: Partial<Record<(typeof RUNTIME_SERVICE_NAMES)[number], (f: UefiFirmware) => bigint | undefined>> = {
      GetTime: (f) => {
        if (!f.argN(0)) return EFI.INVALID_PARAMETER;
        f.mem.put(f.argN(0), efiTime(this.epoch + f.host.seconds()));
        if (f.argN(1)) {
          f.mem.w32(f.argN(1), 1);
          f.mem.w32(f.argN(1) + 4, 50_000_000);
          f.mem.w8(f.argN(1) + 8, 0);
        }
        return EFI.SUCCESS;
      },
      SetTime: (f) => {
        const t = f.mem.bytes(f.argN(0), 16);
        const dv = new DataView(t.buffer, t.byteOffset, 16);
        const ms = Date.UTC(dv.getUint16(0, true), t[2] - 1, t[3], t[4], t[5], t[6]);
        if (Number.isNaN(ms) || t[2] < 1 || t[2] > 12 || t[3] < 1 || t[3] > 31) return EFI.INVALID_PARAMETER;
        this.epoch = ms / 1000 - f.host.seconds();
        return EFI.SUCCESS;
      },
      SetVirtualAddressMap: (f) => this.setVirtualAddressMap(f),
      ConvertPointer: (f) => {
        const p = f.argN(1);
        const v = Number(f.mem.u64(p));
        const c = this.convert(v);
        if (c === undefined) return EFI.NOT_FOUND;
        f.mem.w64(p, c);
        return EFI.SUCCESS;
      },
      GetVariable: (f) => {
        const v = this.variables.get(this.key(f, 0, 1));
        if (!v) return EFI.NOT_FOUND;
        if (f.argN(2)) f.mem.w32(f.argN(2), v.attributes);
        const have = Number(f.mem.u64(f.argN(3)));
        f.mem.w64(f.argN(3), v.data.length);
        if (have < v.data.length) return EFI.BUFFER_TOO_SMALL;
        f.mem.put(f.argN(4), v.data);
        return EFI.SUCCESS;
      },
      GetNextVariableName: (f) => this.nextVariable(f),
      SetVariable: (f) => {
        const k = this.key(f, 0, 1);
        const size = f.argN(3);
        if (size === 0 || (f.argN(2) & 7) === 0) this.variables.delete(k);
        else this.variables.set(k, { attributes: f.argN(2), data: f.mem.bytes(f.argN(4), size) });
        return EFI.SUCCESS;
      },
      GetNextHighMonotonicCount: (f) => {
        f.mem.w32(f.argN(0), Number(++this.highCount));
        return EFI.SUCCESS;
      },
      ResetSystem: voidService((f) => {
        const kind = f.argN(0);
        f.host.reset(kind === 2 ? 'shutdown' : kind === 1 ? 'warm' : 'cold', f.arg(1));
      }),
      QueryVariableInfo: (f) => {
        f.mem.w64(f.argN(1), 64 * 1024);
        f.mem.w64(f.argN(2), 64 * 1024 - [...this.variables.values()].reduce((n, v) => n + v.data.length, 0));
        f.mem.w64(f.argN(3), 16 * 1024);
        return EFI.SUCCESS;
      },
    };
    const size = 24 + 8 * RUNTIME_SERVICE_NAMES.length;
    this.table = fw.alloc(size, MemType.RuntimeServicesData);
    RUNTIME_SERVICE_NAMES.forEach((name, i) => {
      const fn = impl[name];
      const stub = fn ? fw.stub(`RuntimeServices->${name}`, fn) : fw.unimplemented(`RuntimeServices->${name}`);
      this.stubs.push(stub);
      fw.mem.w64(this.table + 24 + 8 * i, stub);
    });
    fw.sealTable(this.table, 0x56524553544e5552n, size);
    return this.table;
  }

  /** Variable key: vendor GUID and name. */
  private key(f: UefiFirmware, nameArg: number, guidArg: number): string {
    return `${f.mem.guid(f.argN(guidArg))}/${f.mem.str16(f.argN(nameArg))}`;
  }

  private nextVariable(f: UefiFirmware): bigint {
    const sizeP = f.argN(0);
    const nameP = f.argN(1);
    const guidP = f.argN(2);
    const current = f.mem.str16(nameP);
    const keys = [...this.variables.keys()].sort();
    const i = current ? keys.indexOf(`${f.mem.guid(guidP)}/${current}`) + 1 : 0;
    if (current && i === 0) return EFI.INVALID_PARAMETER;
    if (i >= keys.length) return EFI.NOT_FOUND;
    const [guid, ...rest] = keys[i].split('/');
    const name = rest.join('/');
    const need = 2 * name.length + 2;
    const have = Number(f.mem.u64(sizeP));
    f.mem.w64(sizeP, need);
    if (have < need) return EFI.BUFFER_TOO_SMALL;
    f.mem.wstr16(nameP, name);
    f.mem.wguid(guidP, guid);
    return EFI.SUCCESS;
  }

  private convert(p: number): number | undefined {
    const r = this.virtualMap?.find((m) => p >= m.phys && p < m.phys + m.size);
    return r ? r.virt + (p - r.phys) : undefined;
  }

  private setVirtualAddressMap(f: UefiFirmware): bigint {
    if (this.virtualMap) return EFI.UNSUPPORTED;
    const size = f.argN(0);
    const dsize = f.argN(1);
    const map = f.argN(3);
    if (dsize < 40 || size % dsize) return EFI.INVALID_PARAMETER;
    this.virtualMap = [];
    for (let off = 0; off < size; off += dsize) {
      const d = map + off;
      const phys = Number(f.mem.u64(d + 8));
      const virt = Number(f.mem.u64(d + 16));
      const pages = Number(f.mem.u64(d + 24));
      if (f.mem.u64(d + 32) >> 63n) this.virtualMap.push({ phys, virt, size: pages * 4096 });
    }
    // Our runtime code (the stubs) and data must be in the map the OS gave, or its calls will fault.
    const unmapped = this.stubs.filter((s) => this.convert(s) === undefined);
    if (unmapped.length) f.host.report(`UEFI: SetVirtualAddressMap left the runtime services code unmapped (${unmapped.length} stubs)`);
    this.stubs.forEach((s, i) => f.mem.w64(this.table + 24 + 8 * i, this.convert(s) ?? s));
    f.sealTable(this.table, 0x56524553544e5552n, 24 + 8 * RUNTIME_SERVICE_NAMES.length);
    return EFI.SUCCESS;
  }
}

/** EFI_TIME (16 bytes) for a time in seconds since 1970, UTC. */
export function efiTime(seconds: number): Uint8Array {
  const d = new Date(Math.floor(seconds) * 1000);
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, d.getUTCFullYear(), true);
  b[2] = d.getUTCMonth() + 1;
  b[3] = d.getUTCDate();
  b[4] = d.getUTCHours();
  b[5] = d.getUTCMinutes();
  b[6] = d.getUTCSeconds();
  dv.setUint32(8, Math.round((seconds - Math.floor(seconds)) * 1e9), true);
  dv.setInt16(12, 0x7ff, true); // EFI_UNSPECIFIED_TIMEZONE
  return b;
}
