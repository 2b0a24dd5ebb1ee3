import type { CsrReportSummary, EcoRecordInput, IndicatorsView } from '@lumbung/schemas';
import { addDays, addMonths as addMonthsTo, isCalendarDate, previousPeriod as previousPeriodOf } from './dates.ts';

export { addDays, localToday } from './dates.ts';

/**
 * Pure helpers of the CSR partner's page (issue 6): periods, the change against the previous period, the
 * indicator groups, the record form's request. The indicator arithmetic is the cloud's (cloud/src/eco,
 * docs/indicators.md).
 */

/** GET villages/:v/indicators?from&to: the indicators of a period (cloud/src/eco/indicators.ts). */
export type IndicatorSet = IndicatorsView;
export type IndicatorItem = IndicatorsView['items'][number];

/** A period of local days: `to` is the day after the last (as the API takes it). */
export interface Period {
  from: string;
  to: string;
}

/** The first day of the month `n` months after the month of `d` (n may be negative). */
export const addMonths = (d: string, n: number): string => addMonthsTo(`${d.slice(0, 7)}-01`, n);

export const QUICK_PICKS = ['lastMonth', 'last3Months', 'last12Months'] as const;
export type QuickPick = (typeof QUICK_PICKS)[number];
const MONTHS: Record<QuickPick, number> = { lastMonth: 1, last3Months: 3, last12Months: 12 };

/** Whole months ending with the last full month before `today`: reports compare like with like. */
export function quickPeriod(pick: QuickPick, today: string): Period {
  const to = addMonths(today, 0);
  return { from: addMonths(to, -MONTHS[pick]), to };
}

/** Which quick pick a period is, if any (the buttons show it pressed). */
export function pickOf(p: Period, today: string): QuickPick | undefined {
  return QUICK_PICKS.find((q) => {
    const x = quickPeriod(q, today);
    return x.from === p.from && x.to === p.to;
  });
}

/** The period just before, of the same length (the comparison the CSR report makes). */
export const previousPeriod = (p: Period): Period => previousPeriodOf(p.from, p.to);

/** The last day of a period (its `to` is the day after). */
export const lastDay = (p: Period): string => addDays(p.to, -1);

/** A period from a first and a last day as typed (both included); undefined unless both are dates in order. */
export function customPeriod(first: string, last: string): Period | undefined {
  if (!isCalendarDate(first) || !isCalendarDate(last) || last < first) return undefined;
  return { from: first, to: addDays(last, 1) };
}

export interface Change {
  previous: number | null;
  /** current − previous, in the indicator's unit. */
  change: number | null;
  /** change ÷ |previous| × 100; null without a previous value or when it is zero (as the CSR report computes it). */
  pct: number | null;
}

/** The change against the previous period, by the rule of cloud/src/eco/report.ts so page and report agree. */
export function compare(current: number | null, previous: number | null | undefined): Change {
  const prev = previous ?? null;
  if (current === null || prev === null) return { previous: prev, change: null, pct: null };
  const change = current - prev;
  return { previous: prev, change, pct: prev === 0 ? null : (change / Math.abs(prev)) * 100 };
}

/** The page's groups, in its order; the API's finer groups fold into them. */
export const GROUPS = ['energy', 'water', 'emissions', 'production', 'programme'] as const;
export type Group = (typeof GROUPS)[number];
const GROUP_OF: Record<string, Group> = {
  energy: 'energy',
  fuel: 'energy',
  water: 'water',
  climate: 'water',
  emissions: 'emissions',
  materials: 'production',
  waste: 'production',
  programme: 'programme',
};
/** A group the API adds later lands under production rather than vanishing. */
export const groupOf = (g: string): Group => GROUP_OF[g] ?? 'production';

export interface IndicatorRow extends Change {
  item: IndicatorItem;
}

/** The indicators by group, in the API's order within each, with their change against the previous period. */
export function groupIndicators(
  current: readonly IndicatorItem[],
  previous?: readonly IndicatorItem[],
): { group: Group; rows: IndicatorRow[] }[] {
  const before = new Map((previous ?? []).map((i) => [i.key, i.value]));
  return GROUPS.map((group) => ({
    group,
    rows: current
      .filter((i) => groupOf(i.group) === group)
      .map((item) => ({ item, ...compare(item.value, previous ? before.get(item.key) : undefined) })),
  })).filter((g) => g.rows.length > 0);
}

/**
 * What each kind of figure may come from, and its unit: ECO_RECORD_KINDS and ECO_UNITS of @lumbung/schemas
 * (copied: the dashboard takes only types from there, no zod; test/csr.test.ts keeps the copies equal).
 */
export const RECORD_SOURCES = {
  fuel: ['diesel', 'gasoline', 'lpg'],
  waste: ['organic', 'plastic', 'other'],
  energy: ['grid', 'solar', 'generator'],
  water: ['groundwater', 'municipal', 'surface', 'rainwater'],
} as const;
export type RecordKind = keyof typeof RECORD_SOURCES;
export const RECORD_KINDS = Object.keys(RECORD_SOURCES) as RecordKind[];
export const RECORD_UNITS: Record<RecordKind, string> = { energy: 'kWh', fuel: 'L', water: 'm3', waste: 'kg' };

/** The unit a figure is entered in: LPG is bought by the kilogram, other fuels by the litre. */
export const recordUnit = (kind: RecordKind, source: string): string =>
  kind === 'fuel' && source === 'lpg' ? 'kg' : RECORD_UNITS[kind];

export interface RecordForm {
  date: string;
  kind: RecordKind;
  source: string;
  quantity: string;
  note: string;
}

export type RecordProblem = 'date' | 'future' | 'source' | 'quantity' | 'note';

/** The body of POST eco/records, or what is wrong with the form (the API's limits: EcoRecordInput). */
export function recordRequest(
  f: RecordForm,
  today: string,
): { ok: true; body: Required<EcoRecordInput> } | { ok: false; problem: RecordProblem } {
  const date = f.date.trim();
  if (!isCalendarDate(date)) return { ok: false, problem: 'date' };
  if (date > today) return { ok: false, problem: 'future' };
  if (!(RECORD_SOURCES[f.kind] as readonly string[]).includes(f.source)) return { ok: false, problem: 'source' };
  const text = f.quantity.trim().replace(/\s/g, '').replace(',', '.');
  const quantity = Number(text);
  if (!text || !Number.isFinite(quantity) || quantity <= 0 || quantity > 1e9) return { ok: false, problem: 'quantity' };
  const note = f.note.trim();
  if (note.length > 300) return { ok: false, problem: 'note' };
  return { ok: true, body: { date, kind: f.kind, source: f.source, quantity, note: note || null } };
}

/** The file a report is saved as: village, first and last day ("laporan-csr-kel-taman-2026-10-01-2026-10-31.pdf"). */
export const reportFileName = (r: Pick<CsrReportSummary, 'villageId' | 'from' | 'to'>, ext: 'pdf' | 'csv'): string =>
  `laporan-csr-${r.villageId}-${r.from}-${lastDay(r)}.${ext}`;

/** Newest first. */
export const sortReports = (rs: readonly CsrReportSummary[]): CsrReportSummary[] =>
  [...rs].sort((a, b) => b.generatedAt - a.generatedAt || a.id.localeCompare(b.id));
