// The DSDT in AML: processor devices (ACPI0007, _UID = MADT GICC UID), the console UART (ARMH0011 for a
// PL011; PNP0501 for a 16550, with _DSD device properties giving its register shift/width and clock, since
// PNP0501 alone implies byte-spaced registers), the PL031 RTC's registers, and the PCIe root bridge
// (PNP0A08 compatible with PNP0A03) with _SEG/_BBN/_CCA, the INTx routing table _PRT, _CRS windows and _OSC,
// plus a PNP0C02 motherboard-resource device reserving the ECAM window (Linux warns when MCFG's ECAM is
// not reserved in the namespace).
import * as A from '../../acpi/aml/encode';
import { addressSpace, extendedInterrupt, memory32Fixed, resourceTemplate } from '../../acpi/aml/resources';
import type { AcpiPcie, AcpiPlatform, AcpiUart } from './platform';

const crs = (descs: Uint8Array[]) => A.name('_CRS', A.buffer(resourceTemplate(descs)));
const levelHigh = (gsiv: number) => extendedInterrupt({ edge: false, activeLow: false, gsivs: [gsiv] });

/** _DSD device properties UUID (ACPI "Device Properties UUID For _DSD"). */
export const DSD_PROPERTIES_UUID = 'daffd814-6eba-4d8c-8a91-bc9bbf4aa301';
/** _OSC UUID of a PCI host bridge (PCI Firmware Specification 3.3, section 4.5). */
export const PCI_HOST_BRIDGE_OSC_UUID = '33db4d5b-1ff7-401c-9657-7441c03dd766';
/** _OSC control bits we grant the OS: PME (2), AER (3) and the PCIe capability structure (4). Native hot
 *  plug (0, 1) and LTR (5) are refused: the host bridge has no hot-plug slots. */
export const OSC_CONTROL_GRANTED = 0x1c;

/** _OSC for the root bridge: for the PCI host bridge UUID, grant the requested control bits we allow and
 *  flag a masked request (status bit 4) or an unknown revision (bit 3); other UUIDs get "unrecognized
 *  UUID" (bit 2). Arg3 is the capabilities buffer: DWORD 0 status, DWORD 1 support, DWORD 2 control. */
function pciOsc(): Uint8Array {
  const cdw1 = A.ref('CDW1');
  const cdw3 = A.ref('CDW3');
  return A.method('_OSC', 4, true, [
    A.createDWordField(A.arg(3), A.integer(0), 'CDW1'),
    A.ifOp(A.lEqual(A.arg(0), A.toUuid(PCI_HOST_BRIDGE_OSC_UUID)), [
      A.createDWordField(A.arg(3), A.integer(8), 'CDW3'),
      A.store(cdw3, A.local(0)),
      A.and(A.local(0), A.integer(OSC_CONTROL_GRANTED), cdw3),
      A.ifOp(A.lNotEqual(A.arg(1), A.integer(1)), [A.or(cdw1, A.integer(0x08), cdw1)]),
      A.ifOp(A.lNotEqual(cdw3, A.local(0)), [A.or(cdw1, A.integer(0x10), cdw1)]),
      A.ret(A.arg(3)),
    ]),
    A.elseOp([A.or(cdw1, A.integer(0x04), cdw1), A.ret(A.arg(3))]),
  ]);
}

function uartDevice(u: AcpiUart): Uint8Array {
  const res = crs([memory32Fixed(true, u.base, u.size), levelHigh(u.gsiv)]);
  if (u.kind === 'pl011') {
    return A.device('COM0', [A.name('_HID', A.string('ARMH0011')), A.name('_UID', A.integer(0)), res]);
  }
  const shift = u.regShift ?? 0;
  const props = [
    A.pkg([A.string('reg-shift'), A.integer(shift)]),
    A.pkg([A.string('reg-io-width'), A.integer((u.regWidth ?? 8) / 8)]),
  ];
  if (u.clockHz) props.push(A.pkg([A.string('clock-frequency'), A.integer(u.clockHz)]));
  return A.device('COM0', [
    A.name('_HID', A.eisaId('PNP0501')),
    A.name('_UID', A.integer(0)),
    res,
    A.name('_DSD', A.pkg([A.toUuid(DSD_PROPERTIES_UUID), A.pkg(props)])),
  ]);
}

function pcieDevice(e: AcpiPcie): Uint8Array {
  const prt: Uint8Array[] = [];
  for (let slot = 0; slot < e.prtSlots; slot++) {
    for (let pin = 0; pin < 4; pin++) {
      prt.push(A.pkg([A.integer(slot * 0x10000 + 0xffff), A.integer(pin), A.integer(0), A.integer(e.intx[(slot + pin) % 4])]));
    }
  }
  const b = BigInt;
  const windows = [
    addressSpace(2, { type: 2, producer: true, minFixed: true, maxFixed: true, typeFlags: 0, granularity: 0n, min: b(e.busStart), max: b(e.busEnd), translation: 0n, length: b(e.busEnd - e.busStart + 1) }),
    addressSpace(4, { type: 0, producer: true, minFixed: true, maxFixed: true, typeFlags: 1 /* ReadWrite, NonCacheable */, granularity: 0n, min: b(e.mmio32.base), max: b(e.mmio32.base + e.mmio32.size - 1), translation: 0n, length: b(e.mmio32.size) }),
  ];
  if (e.pio) {
    // I/O ports 0..size-1 appear at CPU address pio.base (Translation Offset), EntireRange; TypeStatic as
    // QEMU's virt DSDT has it, which Linux maps through pci_remap_iospace().
    windows.push(addressSpace(4, { type: 1, producer: true, minFixed: true, maxFixed: true, typeFlags: 0x03, granularity: 0n, min: 0n, max: b(e.pio.size - 1), translation: b(e.pio.base), length: b(e.pio.size) }));
  }
  if (e.mmio64) {
    windows.push(addressSpace(8, { type: 0, producer: true, minFixed: true, maxFixed: true, typeFlags: 1, granularity: 0n, min: b(e.mmio64.base), max: b(e.mmio64.base) + b(e.mmio64.size) - 1n, translation: 0n, length: b(e.mmio64.size) }));
  }
  const ecamSize = (e.busEnd - e.busStart + 1) * 0x10_0000;
  return A.device('PCI0', [
    A.name('_HID', A.eisaId('PNP0A08')),
    A.name('_CID', A.eisaId('PNP0A03')),
    A.name('_SEG', A.integer(e.segment)),
    A.name('_BBN', A.integer(e.busStart)),
    A.name('_UID', A.integer(e.segment)),
    A.name('_CCA', A.integer(1)),
    A.name('_PRT', A.pkg(prt)),
    crs(windows),
    pciOsc(),
    A.device('RES0', [
      A.name('_HID', A.eisaId('PNP0C02')),
      crs([addressSpace(8, { type: 0, producer: false, minFixed: true, maxFixed: true, typeFlags: 1, granularity: 0n, min: b(e.ecamBase), max: b(e.ecamBase + ecamSize - 1), translation: 0n, length: b(ecamSize) })]),
    ]),
  ]);
}

export function buildDsdt(p: AcpiPlatform): Uint8Array {
  const sb: Uint8Array[] = p.cpus.map((_, i) =>
    A.device(`C${i.toString(16).toUpperCase().padStart(3, '0')}`, [A.name('_HID', A.string('ACPI0007')), A.name('_UID', A.integer(i))]));
  sb.push(uartDevice(p.uart));
  if (p.rtc) {
    // There is no ACPI hardware ID for a PL031 (ARMH0061, sometimes suggested, is the PL061 *GPIO*: QEMU's
    // virt DSDT and Linux's ACPI AMBA list use it so). ACPI kernels read the time through UEFI GetTime, which
    // our firmware implements on the PL031; the DSDT only reserves the registers as motherboard resources.
    sb.push(A.device('RTC0', [
      A.name('_HID', A.eisaId('PNP0C02')),
      A.name('_UID', A.integer(1)),
      crs([memory32Fixed(true, p.rtc.base, p.rtc.size)]),
    ]));
  }
  if (p.pcie) sb.push(pcieDevice(p.pcie));
  return A.definitionBlock('DSDT', 2, p.oemId, p.oemTableId, 1, [A.scope('\\_SB', sb)]);
}
