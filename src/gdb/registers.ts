// The registers the GDB stub exposes, in GDB's numbering, and the target description XML that names them:
//   0-30 x0..x30, 31 sp, 32 pc, 33 cpsr        feature org.gnu.gdb.aarch64.core (GDB requires these names)
//   34-65 v0..v31 (128 bits), 66 fpsr, 67 fpcr  feature org.gnu.gdb.aarch64.fpu (zeros until FP/SIMD runs)
//   68...  the system registers the CPU implements, by their architectural names, in feature
//          org.a64studio.sys (group "system"): SCTLR_EL1, TCR_EL1, TTBR0/1_EL1, MAIR_EL1, VBAR_EL1, ESR_EL1,
//          FAR_EL1, ELR_EL1, SPSR_EL1, CurrentEL, DAIF, ... (GDB: `p/x $SCTLR_EL1`, `info registers system`)
// The layout of the core and FP features (register names, sizes, the vector union type GDB shows v0 as)
// follows GDB's documented AArch64 features; registers travel little-endian, as hex, in g/G/p/P packets.
import type { Machine, RegisterSet } from '../emu';

export interface GdbRegister {
  readonly name: string;
  readonly bits: 32 | 64 | 128;
  /** GDB type of the register in the target description. */
  readonly type: string;
  readonly feature: 'core' | 'fpu' | 'sys';
  /** For system registers: the architectural name Machine.sysreg takes. */
  readonly sysreg?: string;
}

/**
 * System registers a debugger read would disturb (RNDR/RNDRRS advance the generator): left out of the
 * register list; `monitor sysreg` still reads them on request. Write-only ones are left out too.
 */
const SIDE_EFFECT_READS = new Set(['RNDR', 'RNDRRS']);

/** The register list for CPUs of this machine (all CPUs of a machine share one model). */
export function gdbRegisters(m: Machine): GdbRegister[] {
  const regs: GdbRegister[] = [];
  for (let i = 0; i < 31; i++) regs.push({ name: `x${i}`, bits: 64, type: 'int', feature: 'core' });
  regs.push({ name: 'sp', bits: 64, type: 'data_ptr', feature: 'core' });
  regs.push({ name: 'pc', bits: 64, type: 'code_ptr', feature: 'core' });
  regs.push({ name: 'cpsr', bits: 32, type: 'int', feature: 'core' });
  for (let i = 0; i < 32; i++) regs.push({ name: `v${i}`, bits: 128, type: 'aarch64v', feature: 'fpu' });
  regs.push({ name: 'fpsr', bits: 32, type: 'int', feature: 'fpu' });
  regs.push({ name: 'fpcr', bits: 32, type: 'int', feature: 'fpu' });
  for (const name of m.sysregNames(0)) {
    // write-only registers (ICC_EOIR1_EL1, ICC_SGI1R_EL1...) have no value for a debugger to show
    if (!SIDE_EFFECT_READS.has(name) && m.sysreg(0, name) !== undefined) regs.push({ name, bits: 64, type: 'int', feature: 'sys', sysreg: name });
  }
  return regs;
}

/** Number of registers in a g/G packet: the core and FP features (system registers go by p/P). */
export const G_PACKET_REGS = 68;

export function readRegister(m: Machine, cpu: number, n: number, regs: readonly GdbRegister[], set?: RegisterSet): bigint | undefined {
  if (!Number.isInteger(n) || n < 0 || n >= regs.length) return undefined;
  if (n <= 33) {
    const r = set ?? m.registers(cpu);
    return n < 31 ? r.x[n] : n === 31 ? r.sp : n === 32 ? r.pc : BigInt(r.pstate);
  }
  if (n < 66) return m.vreg(cpu, n - 34);
  if (n === 66) return BigInt(m.fpStatus(cpu).fpsr);
  if (n === 67) return BigInt(m.fpStatus(cpu).fpcr);
  return m.sysreg(cpu, regs[n].sysreg!);
}

/** Writes register n; false when there is no such register or it cannot be written. */
export function writeRegister(m: Machine, cpu: number, n: number, v: bigint, regs: readonly GdbRegister[]): boolean {
  if (!Number.isInteger(n) || n < 0 || n >= regs.length) return false;
  if (n <= 32) m.setX(cpu, n, v);
  else if (n === 33) m.setPstate(cpu, Number(v & 0xffffffffn));
  else if (n < 66) m.setVreg(cpu, n - 34, v);
  else if (n === 66) m.setFpStatus(cpu, Number(v & 0xffffffffn), m.fpStatus(cpu).fpcr);
  else if (n === 67) m.setFpStatus(cpu, m.fpStatus(cpu).fpsr, Number(v & 0xffffffffn));
  else return m.setSysreg(cpu, regs[n].sysreg!, v);
  return true;
}

/** Little-endian hex of a register value (bits / 4 digits). */
export function encodeRegister(v: bigint, bits: number): string {
  const be = BigInt.asUintN(bits, v).toString(16).padStart(bits / 4, '0');
  let s = '';
  for (let i = be.length - 2; i >= 0; i -= 2) s += be.substr(i, 2);
  return s;
}

/** Parses little-endian hex of exactly bits / 4 digits; undefined when malformed. */
export function decodeRegister(hex: string, bits: number): bigint | undefined {
  if (hex.length !== bits / 4 || /[^0-9a-fA-F]/.test(hex)) return undefined;
  let v = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2) v = (v << 8n) | BigInt(parseInt(hex.substr(i, 2), 16));
  return v;
}

const VECTOR_TYPES = `
    <vector id="v2d" type="ieee_double" count="2"/>
    <vector id="v2u" type="uint64" count="2"/>
    <vector id="v2i" type="int64" count="2"/>
    <vector id="v4f" type="ieee_single" count="4"/>
    <vector id="v4u" type="uint32" count="4"/>
    <vector id="v4i" type="int32" count="4"/>
    <vector id="v8u" type="uint16" count="8"/>
    <vector id="v8i" type="int16" count="8"/>
    <vector id="v16u" type="uint8" count="16"/>
    <vector id="v16i" type="int8" count="16"/>
    <vector id="v1u" type="uint128" count="1"/>
    <vector id="v1i" type="int128" count="1"/>
    <union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>
    <union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>
    <union id="vnh"><field name="u" type="v8u"/><field name="s" type="v8i"/></union>
    <union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>
    <union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>
    <union id="aarch64v"><field name="d" type="vnd"/><field name="s" type="vns"/><field name="h" type="vnh"/><field name="b" type="vnb"/><field name="q" type="vnq"/></union>`;

/** target.xml for this register list (one document; no xi:include). */
export function targetXml(regs: readonly GdbRegister[]): string {
  const reg = (r: GdbRegister, n: number): string =>
    `    <reg name="${r.name}" bitsize="${r.bits}" type="${r.type}" regnum="${n}"${r.feature === 'sys' ? ' group="system"' : ''}/>\n`;
  const feature = (name: string, f: GdbRegister['feature'], types = ''): string =>
    `  <feature name="${name}">${types}\n${regs.map((r, n) => (r.feature === f ? reg(r, n) : '')).join('')}  </feature>\n`;
  return '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n  <architecture>aarch64</architecture>\n' +
    feature('org.gnu.gdb.aarch64.core', 'core') +
    feature('org.gnu.gdb.aarch64.fpu', 'fpu', VECTOR_TYPES) +
    feature('org.a64studio.sys', 'sys') +
    '</target>\n';
}
