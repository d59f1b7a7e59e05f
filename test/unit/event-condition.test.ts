// The exception-filter condition language (src/debugAdapter/eventCondition.ts) and the filter matching of
// eventFilters.ts: precedence, case-insensitive fields, hex and decimal, and malformed conditions that
// must give a message naming the column and the problem (never an exception of another kind).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionError, compileCondition } from '../../src/debugAdapter/eventCondition';
import { EVENT_FILTERS, EventStops, checkEventFilter, gicDebugEvent } from '../../src/debugAdapter/eventFilters';
import { GicActivity } from '../../src/debugAdapter/gicActivity';
import type { ItsCommandRecord } from '../../src/emu/index';

const FIELDS = ['DeviceID', 'EventID', 'pINTID', 'ICID'];
const ev = (o: Partial<Record<string, number>>): Record<string, number> => ({ DeviceID: 8, EventID: 0, pINTID: 8192, ICID: 0, ...o } as Record<string, number>);
const holds = (cond: string, values: Record<string, number> = ev({})): boolean => compileCondition(cond, FIELDS).test(values);

function fails(cond: string, pattern: RegExp): void {
  assert.throws(() => compileCondition(cond, FIELDS), (e: unknown) => {
    assert.ok(e instanceof ConditionError, `not a ConditionError: ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  }, cond);
}

describe('exception filter conditions', () => {
  test('comparisons, hex and decimal, case-insensitive field names', () => {
    assert.equal(holds('DeviceID == 0x8 && EventID == 0'), true);
    assert.equal(holds('deviceid == 8'), true);
    assert.equal(holds('DEVICEID != 8'), false);
    assert.equal(holds('pINTID >= 8192 && pintid < 0x2001'), true);
    assert.equal(holds('pINTID > 8192'), false);
    assert.equal(holds('pINTID <= 8191'), false);
    assert.equal(holds('EventID == 0', ev({ EventID: 3 })), false);
    assert.equal(holds('0x10 == 16'), true);
  });

  test('precedence: ! over comparisons over && over ||; parentheses', () => {
    assert.equal(holds('DeviceID == 1 || DeviceID == 8 && EventID == 0'), true);
    assert.equal(holds('(DeviceID == 1 || DeviceID == 8) && EventID == 1'), false);
    assert.equal(holds('DeviceID == 1 || DeviceID == 2 && EventID == 0'), false);
    assert.equal(holds('!(DeviceID == 8)'), false);
    assert.equal(holds('!DeviceID'), false);
    assert.equal(holds('!EventID'), true);
    assert.equal(holds('!!ICID'), false);
    assert.equal(holds('DeviceID'), true);
    assert.equal(holds('((((EventID == 0))))'), true);
  });

  test('the fields a condition reads are reported by their canonical names', () => {
    assert.deepEqual([...compileCondition('deviceid == 1 || PINTID == 2', FIELDS).fields].sort(), ['DeviceID', 'pINTID']);
  });

  test('malformed conditions give a ConditionError naming the column and the problem', () => {
    fails('', /empty/);
    fails('DeviceID ==', /column 12: expected a number, a field name or \(, found the end/);
    fails('DeviceID = 8', /column 10: '=' is not an operator; compare with '=='/);
    fails('DeviceID == 8 & EventID == 0', /column 15: '&' is not an operator; use '&&'/);
    fails('DeviceID == 8 | EventID', /'\|' is not an operator; use '\|\|'/);
    fails('DevID == 8', /column 1: unknown field 'DevID'; this filter's fields are DeviceID, EventID, pINTID, ICID/);
    fails('(DeviceID == 8', /expected '\)' to close the '\(' at column 1/);
    fails('DeviceID == 8)', /column 14: this '\)' closes no '\('/);
    fails('DeviceID == 8 EventID', /column 15: expected an operator .* found 'EventID'/);
    fails('1 < DeviceID < 3', /cannot be chained/);
    fails('DeviceID == 0x', /'0x' is not a number/);
    fails('DeviceID == 12abc', /'12abc' is not a number/);
    fails('DeviceID == 0x20000000000000', /too large/);
    fails('DeviceID == $', /unexpected character '\$'/);
    fails('DeviceID == "8"', /unexpected character '"'/);
    fails('&& DeviceID', /column 1: expected a number, a field name or \(, found '&&'/);
  });
});

const record = (o: Partial<ItsCommandRecord>): ItsCommandRecord => ({ cmd: 'MAPTI', code: 0x0a, seq: 1, offset: 0, address: 0x40000000, DeviceID: 8, EventID: 0, pINTID: 8192, ICID: 0, ...o });

describe('event filters', () => {
  test('every ITS command of the GICv3 command set has a filter; ids are unique', () => {
    const ids = EVENT_FILTERS.map((r) => r.filter);
    assert.equal(new Set(ids).size, ids.length);
    for (const cmd of ['MAPTI', 'MAPD', 'MAPC', 'MAPI', 'INV', 'INVALL', 'SYNC', 'DISCARD', 'MOVI', 'INT', 'CLEAR', 'MOVALL']) {
      assert.ok(EVENT_FILTERS.some((r) => r.label === `ITS ${cmd}` && r.type === `its-command:${cmd}`), cmd);
    }
  });

  test('an ITS command becomes an event with its decoded fields and the text a stop shows', () => {
    const d = gicDebugEvent({ kind: 'its-command', record: record({}) })!;
    assert.deepEqual(d.types, ['its-command:MAPTI']);
    assert.equal(d.text, 'ITS MAPTI DeviceID=0x8 EventID=0x0 pINTID=8192 ICID=0');
    assert.equal(d.fields.DeviceID, 8);
    const bad = gicDebugEvent({ kind: 'its-command', record: record({ DeviceID: 9, error: 'E_MAPTI_UNMAPPED_DEVICE' }) })!;
    assert.deepEqual(bad.types, ['its-command:MAPTI', 'its-command-error']);
    assert.match(bad.text, /ignored: E_MAPTI_UNMAPPED_DEVICE/);
    assert.equal(gicDebugEvent({ kind: 'interrupt-asserted', intid: 33 }), undefined);
  });

  test('checkEventFilter names unknown filters and bad conditions', () => {
    assert.equal(checkEventFilter({ filter: 'its-mapti', condition: 'DeviceID == 8' }), undefined);
    assert.equal(checkEventFilter({ filter: 'its-mapti', condition: '   ' }), undefined);
    assert.match(checkEventFilter({ filter: 'its-mapti', condition: 'Devce == 8' })!, /ITS MAPTI condition 'Devce == 8': column 1: unknown field 'Devce'/);
    assert.match(checkEventFilter({ filter: 'its-mapd', condition: 'EventID == 1' })!, /unknown field 'EventID'; this filter's fields are DeviceID, Size, ITT_addr, V, Error/);
    assert.match(checkEventFilter({ filter: 'no-such' })!, /unknown exception filter 'no-such'/);
  });

  test('EventStops: the first matching event asks for one stop, later matches are counted', () => {
    let requests = 0;
    const s = new EventStops(() => requests++);
    s.set([{ filter: 'its-mapti', condition: 'DeviceID == 0x8 && EventID == 0' }, { filter: 'lpi-delivered', condition: 'INTID == 8193' }]);
    const mapti = (dev: number, evt: number) => gicDebugEvent({ kind: 'its-command', record: record({ DeviceID: dev, EventID: evt }) })!;
    s.onEvent(mapti(9, 0));
    s.onEvent(mapti(8, 1));
    s.onEvent(gicDebugEvent({ kind: 'lpi-delivered', cpu: 0, intid: 8192, deviceId: 8, eventId: 0, via: 'translater' })!);
    assert.equal(requests, 0);
    assert.equal(s.take(), undefined);
    s.onEvent(mapti(8, 0));
    s.onEvent(mapti(8, 0));
    assert.equal(requests, 1);
    const hit = s.take()!;
    assert.equal(hit.label, 'ITS MAPTI');
    assert.equal(hit.condition, 'DeviceID == 0x8 && EventID == 0');
    assert.equal(hit.more, 1);
    assert.equal(s.take(), undefined);
    s.set([]);
    assert.equal(s.active, false);
    s.onEvent(mapti(8, 0));
    assert.equal(requests, 1);
  });

  test('GicActivity: acknowledged interrupts stay active until EOI (LPIs) or DIR (EOImode 1)', () => {
    const a = new GicActivity();
    a.onEvent({ kind: 'lpi-delivered', cpu: 0, intid: 8192, deviceId: 0, eventId: 3, via: 'translater' });
    a.onEvent({ kind: 'interrupt-acknowledged', cpu: 0, intid: 8192, group: 1, priority: 0xa0 });
    a.onEvent({ kind: 'interrupt-acknowledged', cpu: 0, intid: 9, group: 1, priority: 0x80 });
    assert.deepEqual(a.snapshot().active.map((x) => x.intid), [8192, 9]);
    a.onEvent({ kind: 'interrupt-eoi', cpu: 0, intid: 9, group: 1, deactivated: false });
    assert.deepEqual(a.snapshot().active.map((x) => [x.intid, x.dropped]), [[8192, false], [9, true]]);
    a.onEvent({ kind: 'interrupt-deactivated', cpu: 0, intid: 9 });
    a.onEvent({ kind: 'interrupt-eoi', cpu: 0, intid: 8192, group: 1, deactivated: false });
    const s = a.snapshot();
    assert.deepEqual(s.active, []);
    assert.equal(s.lpisDelivered, 1);
    assert.equal(s.recent.length, 6);
    assert.match(s.recent[0]!.text, /LPI 8192 delivered to CPU 0/);
  });
});
