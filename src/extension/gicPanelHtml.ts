// The GIC/ITS panel's content as HTML text, from the adapter's snapshot (a64/gicSnapshot) and MSI path
// (a64/msiPath) bodies. Pure functions without vscode, so unit tests read what the panel shows; the webview
// (gicPanel.ts, media/gicPanel.js) only places this text. Everything from the snapshot is escaped; only
// classes style it (the webview's CSP allows no inline styles or scripts). Sections: CPUs; LPIs
// (configuration and pending tables, pending and active ones); the ITS mapping DeviceID → ITT → EventID →
// LPI → collection → redistributor; the command queue with its decoded history; per CPU the redistributor,
// CPU interface and SGIs/PPIs; the distributor and its SPIs; recent GIC events.
import type { GicSnapshotBody, MsiPathBody } from '../debugAdapter/gicProtocol';

type Snapshot = NonNullable<GicSnapshotBody['gic']>;
type Regs = Record<string, unknown>;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ESC[c]!);
const hex = (v: number, pad = 0): string => `0x${v.toString(16).padStart(pad, '0')}`;

/** A register from a frame snapshot as [lo, hi] halves: a number, or [[lo, hi]] for a 64-bit register. */
function halves(r: Regs, name: string): [number, number] | undefined {
  const v = r[name];
  if (typeof v === 'number') return [v >>> 0, 0];
  if (Array.isArray(v)) {
    const e = v[0] as unknown;
    if (Array.isArray(e)) return [(e[0] as number) >>> 0, (e[1] as number) >>> 0];
    if (typeof e === 'number') return [e >>> 0, 0];
  }
  return undefined;
}

/** A 32-bit register, or the low half of a 64-bit one. */
const reg = (r: Regs, name: string): number | undefined => halves(r, name)?.[0];

const showReg = (r: Regs, name: string): string => {
  const h = halves(r, name);
  if (!h) return '—';
  return h[1] ? `0x${h[1].toString(16)}${h[0].toString(16).padStart(8, '0')}` : hex(h[0]);
};

const flag = (on: boolean, yes = 'yes', no = 'no'): string => `<span class="${on ? 'on' : 'off'}">${on ? yes : no}</span>`;

function table(head: string[], rows: string[][], empty: string): string {
  if (!rows.length) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const section = (id: string, title: string, body: string, open = true): string =>
  `<details id="${id}"${open ? ' open' : ''}><summary>${esc(title)}</summary>${body}</details>`;

const prio = (p: number): string => hex(p, 2);

/** The whole panel but the MSI path form. */
export function renderGic(body: GicSnapshotBody): string {
  const head = `<div class="status">${esc(stateText(body))} · generation ${body.generation}</div>`;
  const cpus = table(['CPU', 'PC', 'EL', 'DAIF'], body.cpus.map((c) => [String(c.cpu), esc(c.pc), String(c.el), esc(c.daif)]), 'no CPUs');
  if (!body.gic) return head + cpus + '<p class="empty">This machine has no GIC.</p>';
  const g = body.gic;
  return head + section('cpus', 'CPUs', cpus) + lpis(g, body) + itsMapping(g) + commandQueue(g) +
    g.cpus.map((c) => cpuSection(c, body)).join('') + distributor(g) + recent(body);
}

function stateText(b: GicSnapshotBody): string {
  switch (b.state) {
    case 'running': return 'Running (refreshed a few times a second)';
    case 'idle': return 'Waiting for input (WFI)';
    case 'stopped': return 'Stopped';
    case 'terminated': return 'Ended';
    default: return b.state;
  }
}

function distributor(g: Snapshot): string {
  const r = g.distributor.registers;
  const ctlr = reg(r, 'GICD_CTLR') ?? 0;
  const regs = `<div class="kv">GICD_CTLR ${hex(ctlr)}: EnableGrp0 ${flag((ctlr & 1) !== 0)} EnableGrp1 ${flag((ctlr & 2) !== 0)} ARE ${flag((ctlr & 0x10) !== 0)} DS ${flag((ctlr & 0x40) !== 0)}</div>`;
  const rows = g.distributor.spis.filter((s) => s.enabled || s.pending || s.active).map((s) => [
    String(s.intid), flag(s.enabled), flag(s.pending), flag(s.active), prio(s.priority), `G${s.group}`, s.edge ? 'edge' : 'level',
    s.target < 0 ? '<span class="off">none</span>' : `CPU ${s.target}`,
  ]);
  return section('distributor', 'Distributor', regs + table(['SPI', 'enabled', 'pending', 'active', 'priority', 'group', 'trigger', 'target'], rows, 'No SPI is enabled, pending or active.'));
}

function cpuSection(c: Snapshot['cpus'][number], body: GicSnapshotBody): string {
  const ci = c.cpuInterface;
  const waker = reg(c.redistributor, 'GICR_WAKER') ?? 0;
  const active = (body.activity?.active ?? []).filter((a) => a.cpu === c.cpu);
  const kv = [
    `GICR_WAKER ${hex(waker)} (ProcessorSleep ${flag((waker & 2) !== 0)})`,
    `ICC_PMR_EL1 ${prio(ci.pmr)}`,
    `running priority ${prio(ci.runningPriority)}`,
    `ICC_IGRPEN0 ${flag(ci.igrpen0)} ICC_IGRPEN1 ${flag(ci.igrpen1)}`,
    `BPR0 ${ci.bpr0} BPR1 ${ci.bpr1}`,
    `ICC_CTLR_EL1 ${hex(ci.ctlr)} (EOImode ${(ci.ctlr >>> 1) & 1})`,
    `AP0R0 ${hex(ci.ap0r0)} AP1R0 ${hex(ci.ap1r0)}`,
    `highest pending ${c.hppi.intid === 1023 ? 'none (1023)' : `${c.hppi.intid} at ${prio(c.hppi.priority)}, G${c.hppi.group}`}${c.hppi.signalled ? ' — <span class="on">signalled</span>' : ''}`,
    `IRQ line ${flag(c.irqLine, 'high', 'low')} FIQ line ${flag(c.fiqLine, 'high', 'low')}`,
  ].map((x) => `<div class="kv">${x}</div>`).join('');
  const rows = c.private.filter((s) => s.enabled || s.pending || s.active).map((s) => [
    `${s.intid < 16 ? 'SGI' : 'PPI'} ${s.intid}`, flag(s.enabled), flag(s.pending), flag(s.active), prio(s.priority), `G${s.group}`, s.edge ? 'edge' : 'level',
  ]);
  const act = active.length
    ? `<div class="kv">acknowledged, not yet deactivated: ${active.map((a) => `${a.intid} (${prio(a.priority)}${a.dropped ? ', priority dropped' : ''})`).join(', ')}</div>`
    : '';
  return section(`cpu${c.cpu}`, `CPU ${c.cpu}: redistributor and CPU interface`, kv + act +
    table(['INTID', 'enabled', 'pending', 'active', 'priority', 'group', 'trigger'], rows, 'No SGI or PPI is enabled, pending or active.'));
}

function lpis(g: Snapshot, body: GicSnapshotBody): string {
  // which (DeviceID, EventID) the ITS translates to each LPI
  const sources = new Map<number, string[]>();
  for (const d of g.its.devices) {
    for (const e of d.events) {
      if (!e.ite.valid) continue;
      const list = sources.get(e.ite.pINTID) ?? [];
      list.push(`${hex(d.deviceId)}/${e.eventId}`);
      sources.set(e.ite.pINTID, list);
    }
  }
  const parts = g.cpus.map((c) => {
    const l = c.lpis;
    const active = new Map((body.activity?.active ?? []).filter((a) => a.cpu === c.cpu && a.intid >= 8192).map((a) => [a.intid, a]));
    const pending = new Set(l.pending);
    const cfg = new Map(l.config.map((x) => [x.intid, x.config]));
    const ids = [...new Set([...cfg.keys(), ...pending, ...active.keys()])].sort((a, b) => a - b);
    const head = `<div class="kv">CPU ${c.cpu}: GICR_CTLR.EnableLPIs ${flag(l.enabled)} · configuration table ${hex(l.propbase)} · pending table ${hex(l.pendbase)} · ${l.idBits} ID bits</div>`;
    const rows = ids.map((intid) => {
      const k = cfg.get(intid);
      const state = pending.has(intid) ? '<span class="on">pending</span>' : active.has(intid) ? '<span class="on">active</span>' : '<span class="off">idle</span>';
      return [String(intid), k ? flag(k.enabled) : '?', k ? prio(k.priority) : '?', state, esc((sources.get(intid) ?? ['—']).join(', '))];
    });
    return head + table(['LPI', 'enabled', 'priority', 'state', 'DeviceID/EventID'], rows, 'No LPI mapped, pending or active.');
  });
  const delivered = body.activity ? `<div class="kv">LPIs delivered since load: ${body.activity.lpisDelivered}</div>` : '';
  return section('lpis', 'LPIs: configuration and pending tables', delivered + parts.join(''));
}

function itsMapping(g: Snapshot): string {
  const r = g.its.registers;
  const ctlr = reg(r, 'GITS_CTLR') ?? 0;
  const dt = g.its.deviceTable;
  const ct = g.its.collectionTable;
  const desc = (name: string, t: typeof dt): string => t.valid
    ? `${name} at ${hex(t.address)}, ${t.indirect ? 'two-level' : 'flat'}, ${t.pages} × ${t.pageSize / 1024} KiB pages, ${t.entrySize}-byte entries`
    : `${name}: <span class="off">not valid</span>`;
  const head = [
    `GITS_CTLR ${hex(ctlr)}: Enabled ${flag((ctlr & 1) !== 0)} Quiescent ${flag((ctlr >>> 31) === 1)}`,
    desc('device table (GITS_BASER0)', dt),
    desc('collection table (GITS_BASER1)', ct),
  ].map((x) => `<div class="kv">${x}</div>`).join('');
  const coll = new Map(g.its.collections.map((c) => [c.icid, c.cte]));
  const rows: string[][] = [];
  for (const d of g.its.devices) {
    if (!d.dte.valid) {
      rows.push([hex(d.deviceId), '<span class="off">unmapped</span>', '', '', '', '']);
      continue;
    }
    const itt = `${hex(d.dte.ittAddress)} (${d.dte.eventIdBits} bits)`;
    if (!d.events.length) rows.push([hex(d.deviceId), itt, '—', '', '', '']);
    for (const e of d.events) {
      const cte = coll.get(e.ite.icid);
      rows.push([
        hex(d.deviceId), itt, String(e.eventId),
        e.ite.valid ? `LPI ${e.ite.pINTID}` : '<span class="off">unmapped</span>',
        e.ite.valid ? String(e.ite.icid) : '',
        !e.ite.valid ? '' : cte?.valid ? `redistributor ${cte.rdbase} (CPU ${cte.rdbase})` : '<span class="off">unmapped collection</span>',
      ]);
    }
  }
  const colls = g.its.collections.map((c) => `ICID ${c.icid} → ${c.cte.valid ? `redistributor ${c.cte.rdbase}` : 'unmapped'}`).join(' · ');
  return section('its', 'ITS: DeviceID → ITT → LPI → collection → redistributor', head +
    table(['DeviceID', 'ITT', 'EventID', 'LPI', 'ICID', 'target'], rows, 'No device mapped by the commands seen so far.') +
    (colls ? `<div class="kv">collections: ${esc(colls)}</div>` : ''));
}

function commandQueue(g: Snapshot): string {
  const r = g.its.registers;
  const [lo, hi] = halves(r, 'GITS_CBASER') ?? [0, 0];
  const creadr = reg(r, 'GITS_CREADR') ?? 0;
  // GITS_CBASER: Valid [63], Physical_Address [51:12], Size [7:0] = 4 KiB pages - 1
  const queue = (hi & 0xfffff) * 2 ** 32 + ((lo & 0xfffff000) >>> 0);
  const head = `<div class="kv">GITS_CBASER ${showReg(r, 'GITS_CBASER')} (${hi >>> 31 ? '' : 'not valid, '}queue at ${hex(queue)}, ${((lo & 0xff) + 1) * 4} KiB) · GITS_CWRITER ${showReg(r, 'GITS_CWRITER')} · GITS_CREADR ${hex(creadr)}${creadr & 1 ? ' <span class="bad">stalled</span>' : ''}</div>`;
  const cmds = g.its.commands.slice(-64).reverse();
  const rows = cmds.map((c) => [
    String(c.seq), hex(c.offset), `<span class="cmd">${esc(c.cmd)}</span>`, esc(fieldsText(c)),
    c.error ? `<span class="bad">${esc(c.error)}</span>` : '<span class="on">ok</span>',
  ]);
  return section('commands', `ITS command queue (${g.its.commands.length} executed, newest first)`, head +
    table(['#', 'offset', 'command', 'fields', 'result'], rows, 'No command executed yet.'));
}

function fieldsText(c: Snapshot['its']['commands'][number]): string {
  const parts: string[] = [];
  if (c.DeviceID !== undefined) parts.push(`DeviceID=${hex(c.DeviceID)}`);
  if (c.EventID !== undefined) parts.push(`EventID=${c.EventID}`);
  if (c.pINTID !== undefined) parts.push(`pINTID=${c.pINTID}`);
  if (c.ICID !== undefined) parts.push(`ICID=${c.ICID}`);
  if (c.Size !== undefined) parts.push(`Size=${c.Size}`);
  if (c.ITT_addr !== undefined) parts.push(`ITT_addr=${hex(c.ITT_addr)}`);
  if (c.RDbase !== undefined) parts.push(`RDbase=${c.RDbase}`);
  if (c.RDbase2 !== undefined) parts.push(`RDbase2=${c.RDbase2}`);
  if (c.V !== undefined) parts.push(`V=${c.V}`);
  return parts.join(' ');
}

function recent(body: GicSnapshotBody): string {
  const ev = (body.activity?.recent ?? []).slice().reverse();
  const rows = ev.map((e) => [String(e.seq), esc(e.text)]);
  return section('events', 'Recent GIC events (newest first)', table(['#', 'event'], rows, 'No GIC event yet.'), false);
}

/** The MSI path steps. */
export function renderMsi(body: MsiPathBody): string {
  const title = `DeviceID ${hex(body.deviceId)}, EventID ${body.eventId}: ${body.blocked ? 'blocked' : `reaches CPU ${body.target?.cpu} as LPI ${body.target?.intid}`}`;
  const steps = body.steps.map((s) =>
    `<li class="step ${s.status === 'ok' ? 'ok' : s.status === 'blocked' ? 'blocked' : 'unreached'}"><span class="mark">${
      s.status === 'ok' ? '✓' : s.status === 'blocked' ? '✗' : '·'}</span> <b>${esc(s.name)}</b>${s.detail ? ` — ${esc(s.detail)}` : ''}</li>`).join('');
  return `<div class="kv ${body.blocked ? 'bad' : 'on'}">${esc(title)}</div><ol class="steps">${steps}</ol>`;
}
