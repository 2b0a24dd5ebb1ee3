import { ECO_RECORD_KINDS, ECO_UNITS, EcoRecordInput } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import {
  compare,
  customPeriod,
  GROUPS,
  groupIndicators,
  groupOf,
  type IndicatorItem,
  lastDay,
  localToday,
  pickOf,
  previousPeriod,
  quickPeriod,
  RECORD_KINDS,
  RECORD_SOURCES,
  RECORD_UNITS,
  type RecordForm,
  recordRequest,
  recordUnit,
  reportFileName,
  sortReports,
} from '../src/csr.ts';

describe('periods', () => {
  it('defaults to the last full month, and the quick picks are whole months ending with it', () => {
    const today = '2026-11-15';
    expect(quickPeriod('lastMonth', today)).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(quickPeriod('last3Months', today)).toEqual({ from: '2026-08-01', to: '2026-11-01' });
    expect(quickPeriod('last12Months', today)).toEqual({ from: '2025-11-01', to: '2026-11-01' });
    // On the first of a month that month has not ended: last month is still the one before.
    expect(quickPeriod('lastMonth', '2026-11-01')).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(quickPeriod('lastMonth', '2027-01-05')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(quickPeriod('last3Months', '2027-02-28')).toEqual({ from: '2026-11-01', to: '2027-02-01' });
  });

  it('knows which quick pick a period is', () => {
    expect(pickOf({ from: '2026-08-01', to: '2026-11-01' }, '2026-11-15')).toBe('last3Months');
    expect(pickOf({ from: '2026-10-02', to: '2026-11-01' }, '2026-11-15')).toBeUndefined();
  });

  it('compares whole months with as many whole months before, other periods with as many days', () => {
    expect(previousPeriod({ from: '2026-11-01', to: '2026-12-01' })).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-04-01' })).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(previousPeriod({ from: '2025-11-01', to: '2026-11-01' })).toEqual({ from: '2024-11-01', to: '2025-11-01' });
    expect(previousPeriod({ from: '2026-01-01', to: '2026-04-01' })).toEqual({ from: '2025-10-01', to: '2026-01-01' });
    expect(previousPeriod({ from: '2026-10-10', to: '2026-10-20' })).toEqual({ from: '2026-09-30', to: '2026-10-10' });
    expect(previousPeriod({ from: '2028-03-01', to: '2028-03-15' })).toEqual({ from: '2028-02-16', to: '2028-03-01' });
  });

  it('takes a first and a last day as typed (the last included), and refuses them out of order', () => {
    expect(customPeriod('2026-10-01', '2026-10-31')).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(customPeriod('2026-10-05', '2026-10-05')).toEqual({ from: '2026-10-05', to: '2026-10-06' });
    expect(customPeriod('2026-10-31', '2026-10-01')).toBeUndefined();
    expect(customPeriod('', '2026-10-01')).toBeUndefined();
    expect(customPeriod('2026-02-30', '2026-03-05')).toBeUndefined();
    expect(lastDay({ from: '2026-02-01', to: '2026-03-01' })).toBe('2026-02-28');
  });

  it("ends a month at the village's midnight: 31 Oct 23.30 in Jakarta is already November in Jayapura", () => {
    const t = Date.UTC(2026, 9, 31, 16, 30);
    expect(quickPeriod('lastMonth', localToday(t, 'Asia/Jakarta'))).toEqual({ from: '2026-09-01', to: '2026-10-01' });
    expect(quickPeriod('lastMonth', localToday(t, 'Asia/Jayapura'))).toEqual({ from: '2026-10-01', to: '2026-11-01' });
  });
});

describe('change against the previous period', () => {
  it('is change ÷ |previous| × 100, as the CSR report computes it (cloud/src/eco/report.ts)', () => {
    expect(compare(110, 100)).toEqual({ previous: 100, change: 10, pct: 10 });
    expect(compare(75, 100)).toEqual({ previous: 100, change: -25, pct: -25 });
    // A negative previous value (none of today's indicators, but the rule must not flip the sign).
    expect(compare(-2, -4)).toEqual({ previous: -4, change: 2, pct: 50 });
  });

  it('has no percentage from zero and no change without both values', () => {
    expect(compare(5, 0)).toEqual({ previous: 0, change: 5, pct: null });
    expect(compare(0, 0)).toEqual({ previous: 0, change: 0, pct: null });
    expect(compare(null, 3)).toEqual({ previous: 3, change: null, pct: null });
    expect(compare(3, null)).toEqual({ previous: null, change: null, pct: null });
    expect(compare(3, undefined)).toEqual({ previous: null, change: null, pct: null });
  });
});

const item = (key: string, group: IndicatorItem['group'], value: number | null): IndicatorItem => ({
  key,
  group,
  value,
  unit: 'kWh',
  decimals: 1,
  gri: ['302-1'],
  labelId: key,
  labelEn: key,
  method: 'm',
  methodId: 'm',
  flags: [],
  factorIds: [],
});

describe('indicator groups', () => {
  it("fold the API's groups into the page's five, in the page's order, the API's order within each", () => {
    expect(groupOf('fuel')).toBe('energy');
    expect(groupOf('climate')).toBe('water');
    expect(groupOf('materials')).toBe('production');
    expect(groupOf('waste')).toBe('production');
    expect(groupOf('something_new')).toBe('production');
    const items = [
      item('programme.revenue', 'programme', 1),
      item('energy.grid.kwh', 'energy', 100),
      item('fuel.diesel', 'fuel', 20),
      item('water.withdrawal.total', 'water', 50),
      item('climate.rainfall', 'climate', 120),
      item('waste.generated', 'waste', 4),
      item('emissions.total', 'emissions', 0.5),
    ];
    const groups = groupIndicators(items);
    expect(groups.map((g) => g.group)).toEqual([...GROUPS]);
    expect(groups[0]!.rows.map((r) => r.item.key)).toEqual(['energy.grid.kwh', 'fuel.diesel']);
    expect(groups[1]!.rows.map((r) => r.item.key)).toEqual(['water.withdrawal.total', 'climate.rainfall']);
    expect(groups.flatMap((g) => g.rows).length).toBe(items.length);
  });

  it('pair each indicator with its own previous value by key, and leave out empty groups', () => {
    const groups = groupIndicators(
      [item('energy.grid.kwh', 'energy', 120), item('energy.solar.kwh', 'energy', 30)],
      [item('energy.solar.kwh', 'energy', 40), item('energy.grid.kwh', 'energy', 100)],
    );
    expect(groups.map((g) => g.group)).toEqual(['energy']);
    expect(groups[0]!.rows.map(({ item: _, ...c }) => c)).toEqual([
      { previous: 100, change: 20, pct: 20 },
      { previous: 40, change: -10, pct: -25 },
    ]);
    expect(groupIndicators([item('energy.grid.kwh', 'energy', 1)])[0]!.rows[0]!.pct).toBeNull();
  });
});

describe('the record form', () => {
  it("offers the sources and units of the API's contract (ECO_RECORD_KINDS, ECO_UNITS), fuel first", () => {
    expect(RECORD_SOURCES).toEqual(ECO_RECORD_KINDS);
    expect(RECORD_UNITS).toEqual(ECO_UNITS);
    expect(RECORD_KINDS).toEqual(['fuel', 'waste', 'energy', 'water']);
    expect(recordUnit('fuel', 'lpg')).toBe('kg');
    expect(recordUnit('fuel', 'diesel')).toBe('L');
    expect(recordUnit('water', 'groundwater')).toBe('m3');
  });

  const today = '2026-11-14';
  const form = (patch: Partial<RecordForm>): RecordForm => ({
    date: today,
    kind: 'fuel',
    source: 'diesel',
    quantity: '12,5',
    note: '',
    ...patch,
  });

  it('sends what the API accepts (EcoRecordInput), with a decimal comma and the note trimmed', () => {
    const r = recordRequest(form({ note: ' struk SPBU ' }), today);
    expect(r).toEqual({
      ok: true,
      body: { date: today, kind: 'fuel', source: 'diesel', quantity: 12.5, note: 'struk SPBU' },
    });
    if (r.ok) expect(EcoRecordInput.parse(r.body)).toEqual(r.body);
    const waste = recordRequest(form({ kind: 'waste', source: 'plastic', quantity: '3' }), today);
    expect(waste).toMatchObject({ ok: true, body: { kind: 'waste', source: 'plastic', quantity: 3, note: null } });
  });

  it('refuses a source of another kind, no quantity, a date after today', () => {
    expect(recordRequest(form({ kind: 'energy', source: 'diesel' }), today)).toEqual({ ok: false, problem: 'source' });
    expect(recordRequest(form({ quantity: '' }), today)).toEqual({ ok: false, problem: 'quantity' });
    expect(recordRequest(form({ quantity: '0' }), today)).toEqual({ ok: false, problem: 'quantity' });
    expect(recordRequest(form({ quantity: '-1' }), today)).toEqual({ ok: false, problem: 'quantity' });
    expect(recordRequest(form({ date: '2026-11-15' }), today)).toEqual({ ok: false, problem: 'future' });
    expect(recordRequest(form({ date: 'kemarin' }), today)).toEqual({ ok: false, problem: 'date' });
    expect(recordRequest(form({ note: 'x'.repeat(301) }), today)).toEqual({ ok: false, problem: 'note' });
  });
});

describe('reports', () => {
  const r = (id: string, generatedAt: number) => ({
    id,
    villageId: 'kel-taman',
    villageIds: ['kel-taman'],
    from: '2026-10-01',
    to: '2026-11-01',
    generatedAt,
    trigger: 'manual' as const,
    generatedBy: 'u',
    partnerName: 'P',
    programmeName: 'Q',
    headline: [],
  });

  it('are saved under the village and the first and last day', () => {
    expect(reportFileName(r('a', 0), 'pdf')).toBe('laporan-csr-kel-taman-2026-10-01-2026-10-31.pdf');
    expect(reportFileName(r('a', 0), 'csv')).toBe('laporan-csr-kel-taman-2026-10-01-2026-10-31.csv');
  });

  it('are listed newest first', () => {
    expect(sortReports([r('a', 1), r('b', 3), r('c', 2)]).map((x) => x.id)).toEqual(['b', 'c', 'a']);
  });
});
