// The console protocols of the built-in firmware: EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL (ConOut and StdErr, to
// the machine's console UART: 80x25, one mode, attributes and cursor accepted but not drawn) and
// EFI_SIMPLE_TEXT_INPUT_PROTOCOL (ConIn: keys from the UART, WaitForKey signalled when one is waiting).
import type { UefiFirmware } from './firmware';
import { GUID } from './guids';
import type { BootServices } from './bootServices';
import { EFI } from './status';

/** Builds ConIn and ConOut on one console handle; returns their addresses. */
export function buildConsole(fw: UefiFirmware, bs: BootServices): { handle: number; conIn: number; conOut: number } {
  const mode = fw.alloc(24);
  fw.mem.w32(mode, 1); // MaxMode
  fw.mem.w8(mode + 20, 1); // CursorVisible
  const out = fw.alloc(80);
  const fns: [string, (f: UefiFirmware) => bigint][] = [
    ['Reset', () => EFI.SUCCESS],
    ['OutputString', (f) => {
      f.host.console(f.mem.str16(f.argN(1), 1 << 16));
      return EFI.SUCCESS;
    }],
    ['TestString', () => EFI.SUCCESS],
    ['QueryMode', (f) => {
      if (f.argN(1) !== 0) return EFI.UNSUPPORTED;
      f.mem.w64(f.argN(2), 80);
      f.mem.w64(f.argN(3), 25);
      return EFI.SUCCESS;
    }],
    ['SetMode', (f) => (f.argN(1) === 0 ? EFI.SUCCESS : EFI.UNSUPPORTED)],
    ['SetAttribute', (f) => {
      f.mem.w32(mode + 8, f.argN(1));
      return EFI.SUCCESS;
    }],
    ['ClearScreen', () => EFI.SUCCESS],
    ['SetCursorPosition', (f) => {
      f.mem.w32(mode + 12, f.argN(1));
      f.mem.w32(mode + 16, f.argN(2));
      return EFI.SUCCESS;
    }],
    ['EnableCursor', (f) => {
      f.mem.w8(mode + 20, f.argN(1) ? 1 : 0);
      return EFI.SUCCESS;
    }],
  ];
  fns.forEach(([name, fn], i) => fw.mem.w64(out + 8 * i, fw.stub(`ConOut->${name}`, fn)));
  fw.mem.w64(out + 72, mode);

  const conIn = fw.alloc(24);
  const pending: number[] = [];
  const pull = () => {
    const k = fw.host.readKey?.();
    if (k !== undefined) pending.push(k);
    return pending.length > 0;
  };
  bs.keyWaiting = pull;
  fw.mem.w64(conIn, fw.stub('ConIn->Reset', () => EFI.SUCCESS));
  fw.mem.w64(conIn + 8, fw.stub('ConIn->ReadKeyStroke', (f) => {
    if (!pull()) return EFI.NOT_READY;
    const k = pending.shift()!;
    // EFI_INPUT_KEY: ScanCode (0: a Unicode character), UnicodeChar; DEL arrives as backspace.
    f.mem.w16(f.argN(1), 0);
    f.mem.w16(f.argN(1) + 2, k === 0x7f ? 8 : k);
    return EFI.SUCCESS;
  }));
  fw.mem.w64(conIn + 16, bs.makeKeyEvent());

  const handle = fw.newHandle();
  fw.install(handle, GUID.SIMPLE_TEXT_OUTPUT, out);
  fw.install(handle, GUID.SIMPLE_TEXT_INPUT, conIn);
  return { handle, conIn, conOut: out };
}
