/**
 * The CSR report (issue 6): indicators for one village or a set of villages over a period, their change
 * against the previous period, monthly charts, programme outputs and method notes listing every factor
 * used with its source. `csrReport` builds the model (pure); `csrReportPdf` and `csrReportCsv` render it.
 */
import {
  type Block,
  formatDateTime,
  formatLocalDate,
  formatNumber,
  type Lang,
  renderPdf,
  type TableBlock,
} from '../documents/pdf.ts';
import { DEFAULT_FACTORS, type EmissionFactor, GRID_REGIONS, normalizeRegion } from './factors.ts';
import {
  computeIndicators,
  type Indicator,
  type IndicatorGroup,
  type IndicatorInputs,
  type MonthlyPoint,
  type Text2,
} from './indicators.ts';

export interface ReportMeta {
  partnerName: string;
  programmeName: string;
  generatedAt: number;
  villagesLabel: string;
  lang: Lang;
  /** Zone for the generation time printed on the report; WIB when not given. */
  timeZone?: string;
}

export interface ReportRow extends Indicator {
  previous: number | null;
  /** current - previous, in the indicator's unit. */
  change: number | null;
  /** change ÷ |previous| × 100; null when there is no previous value or it is zero. */
  changePct: number | null;
  changeNote?: Text2;
}

export interface FactorNote {
  factor: EmissionFactor;
  usedFor: string[];
  notes: string[];
}

export interface CsrReportModel {
  meta: ReportMeta;
  period: IndicatorInputs['period'];
  previousPeriod: IndicatorInputs['period'] | null;
  villages: IndicatorInputs['villages'];
  rows: ReportRow[];
  monthly: MonthlyPoint[] | null;
  methodNotes: { factors: FactorNote[]; notes: Text2[] };
}

export function csrReport(
  current: IndicatorInputs,
  previous: IndicatorInputs | null,
  factors: readonly EmissionFactor[] = DEFAULT_FACTORS,
  meta: ReportMeta,
): CsrReportModel {
  const now = computeIndicators(current, factors);
  const before = previous ? computeIndicators(previous, factors) : null;

  const rows: ReportRow[] = now.items.map((item) => {
    const prev = before?.items.find((p) => p.key === item.key)?.value ?? null;
    if (item.value === null || prev === null) {
      return {
        ...item,
        previous: prev,
        change: null,
        changePct: null,
        ...(before
          ? {
              changeNote: {
                id: 'tidak dapat dibandingkan: nilai salah satu periode tidak ada',
                en: 'not comparable: a value is missing in one of the periods',
              },
            }
          : {}),
      };
    }
    const change = item.value - prev;
    if (prev === 0) {
      return {
        ...item,
        previous: prev,
        change,
        changePct: null,
        changeNote: {
          id: 'persentase tidak dihitung: periode sebelumnya nol',
          en: 'no percentage: the previous value is zero',
        },
      };
    }
    return { ...item, previous: prev, change, changePct: (change / Math.abs(prev)) * 100 };
  });

  // Every factor that produced a number in either period, once, with what it was used for.
  const factorNotes = new Map<string, FactorNote>();
  for (const set of [now, before]) {
    for (const use of set?.factorsUsed ?? []) {
      const note = factorNotes.get(use.factor.id) ?? { factor: use.factor, usedFor: [], notes: [] };
      for (const key of use.usedFor) if (!note.usedFor.includes(key)) note.usedFor.push(key);
      if (!note.notes.includes(use.note)) note.notes.push(use.note);
      factorNotes.set(use.factor.id, note);
    }
  }

  const monthly = current.monthly && current.monthly.length > 0 ? [...current.monthly].sort(byMonth) : null;
  return {
    meta,
    period: current.period,
    previousPeriod: previous?.period ?? null,
    villages: current.villages,
    rows,
    monthly,
    methodNotes: {
      factors: [...factorNotes.values()].sort((a, b) => a.factor.id.localeCompare(b.factor.id)),
      notes: now.notes,
    },
  };
}

function byMonth(a: MonthlyPoint, b: MonthlyPoint): number {
  return a.month < b.month ? -1 : a.month > b.month ? 1 : 0;
}

// ---- Text for the rendered report ----

const GROUPS: { group: IndicatorGroup; id: string; en: string }[] = [
  { group: 'energy', id: 'Energi (GRI 302)', en: 'Energy (GRI 302)' },
  { group: 'fuel', id: 'Bahan bakar', en: 'Fuel' },
  { group: 'water', id: 'Air (GRI 303)', en: 'Water (GRI 303)' },
  { group: 'emissions', id: 'Emisi gas rumah kaca (GRI 305)', en: 'Greenhouse gas emissions (GRI 305)' },
  { group: 'climate', id: 'Iklim', en: 'Climate' },
  { group: 'materials', id: 'Kemasan', en: 'Packaging' },
  { group: 'waste', id: 'Limbah (GRI 306)', en: 'Waste (GRI 306)' },
  { group: 'programme', id: 'Keluaran program', en: 'Programme outputs' },
];

const UNITS: Record<string, Text2> = {
  producers: { id: 'produsen', en: 'producers' },
  lots: { id: 'lot', en: 'lots' },
  IDR: { id: 'Rp', en: 'IDR' },
};

function t(text: Text2, lang: Lang): string {
  return lang === 'id' ? text.id : text.en;
}

export function unitLabel(unit: string, lang: Lang): string {
  const u = UNITS[unit];
  return u ? t(u, lang) : unit;
}

/** An indicator value as the PDF shows it: "1.234,5" (id) or "1,234.5" (en); a dash when missing. */
export function formatValue(value: number | null, decimals: number, lang: Lang): string {
  return value === null ? '-' : formatNumber(value, lang, decimals);
}

/** The last day of an inclusive-exclusive period, for people who read "1 Jan - 31 Dec". */
function lastDay(to: string): string {
  const [y, m, d] = to.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - 1));
  return date.toISOString().slice(0, 10);
}

export function periodLabel(period: { from: string; to: string }, lang: Lang): string {
  return `${formatLocalDate(period.from, lang)} - ${formatLocalDate(lastDay(period.to), lang)}`;
}

function monthLabels(months: string[], lang: Lang): string[] {
  const years = new Set(months.map((m) => m.slice(0, 4)));
  const fmt = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { month: 'short', timeZone: 'UTC' });
  return months.map((m) => {
    const [y, mo] = m.split('-').map(Number);
    const name = fmt.format(new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1, 1)));
    return years.size > 1 ? `${name} ${String(y).slice(2)}` : name;
  });
}

const FLAG_TEXT: Record<string, Text2> = {
  estimate: { id: 'perkiraan', en: 'estimate' },
  upper_bound: { id: 'batas atas', en: 'upper bound' },
  lower_bound: { id: 'batas bawah', en: 'lower bound' },
  conservative: { id: 'konservatif', en: 'conservative' },
  unverified_factor: { id: 'faktor belum terverifikasi', en: 'unverified factor' },
  fallback_factor: { id: 'faktor rata-rata nasional', en: 'national average factor' },
  informational: { id: 'informasi, tidak dijumlahkan', en: 'for information, not summed' },
};

export function csrReportPdf(model: CsrReportModel): Promise<Buffer> {
  const lang = model.meta.lang;
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const blocks: Block[] = [];
  const zone = model.meta.timeZone ?? 'Asia/Jakarta';

  blocks.push({
    kind: 'keyValue',
    rows: [
      { key: L('Mitra CSR', 'CSR partner'), value: model.meta.partnerName },
      { key: L('Program', 'Programme'), value: model.meta.programmeName },
      {
        key: L('Desa', 'Villages'),
        value: villagesText(model),
      },
      {
        key: L('Jaringan listrik', 'Grid region'),
        value: [...new Set(model.villages.map((v) => v.gridRegion))]
          .map((r) => {
            const def = GRID_REGIONS[normalizeRegion(r)];
            return def ? t({ id: def.labelId, en: def.labelEn }, lang) : r;
          })
          .join(', '),
      },
      { key: L('Periode', 'Period'), value: periodLabel(model.period, lang) },
      {
        key: L('Periode pembanding', 'Comparison period'),
        value: model.previousPeriod ? periodLabel(model.previousPeriod, lang) : L('tidak ada', 'none'),
      },
      {
        key: L('Acuan', 'Reference'),
        value: 'GRI 302-1, 302-3, 303-3, 303-5, 305-1, 305-2, 305-4, 306-3',
      },
    ],
  });

  for (const g of GROUPS) {
    const rows = model.rows.filter((r) => r.group === g.group);
    if (rows.length === 0) continue;
    blocks.push({ kind: 'heading', text: t(g, lang) });
    blocks.push(indicatorTable(rows, lang, model.previousPeriod !== null));
    for (const r of rows) {
      const notes: string[] = [];
      if (r.flags.length > 0) notes.push(r.flags.map((f) => (FLAG_TEXT[f] ? t(FLAG_TEXT[f], lang) : f)).join(', '));
      if (r.reason) notes.push(t(r.reason, lang));
      if (r.changeNote && r.value !== null && r.previous === null) notes.push(t(r.changeNote, lang));
      if (notes.length > 0) {
        blocks.push({
          kind: 'paragraph',
          text: `${lang === 'id' ? r.labelId : r.labelEn}: ${notes.join('; ')}.`,
          size: 8,
          tone: r.value === null ? 'warning' : 'muted',
        });
      }
    }
  }

  if (model.monthly) {
    const labels = monthLabels(
      model.monthly.map((m) => m.month),
      lang,
    );
    blocks.push({ kind: 'heading', text: L('Tren bulanan', 'Monthly trend') });
    const empty = L('Tidak ada data', 'No data');
    blocks.push({
      kind: 'barChart',
      title: L('Konsumsi energi listrik (kWh)', 'Electricity consumption (kWh)'),
      labels,
      values: model.monthly.map((m) => m.energyKwh),
      formatValue: (v) => formatNumber(v, lang, 0),
      emptyText: empty,
    });
    blocks.push({
      kind: 'barChart',
      title: L('Pengambilan air (m³)', 'Water withdrawal (m³)'),
      labels,
      values: model.monthly.map((m) => m.waterM3),
      formatValue: (v) => formatNumber(v, lang, 0),
      emptyText: empty,
    });
    blocks.push({
      kind: 'lineChart',
      title: L('Emisi cakupan 1 + 2 (kg CO2e)', 'Scope 1 + 2 emissions (kg CO2e)'),
      labels,
      values: model.monthly.map((m) => m.emissionsKgCo2e),
      formatValue: (v) => formatNumber(v, lang, 0),
      emptyText: empty,
    });
  }

  blocks.push({ kind: 'heading', text: L('Catatan metode: faktor dan sumber', 'Method notes: factors and sources') });
  if (model.methodNotes.factors.length === 0) {
    blocks.push({ kind: 'paragraph', text: L('Tidak ada faktor emisi yang dipakai.', 'No emission factor was used.') });
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'ID', width: 2.2 },
        { header: L('Nilai', 'Value'), width: 1, align: 'right' },
        { header: L('Satuan', 'Unit'), width: 1.1 },
        { header: L('Sumber', 'Source'), width: 5.5 },
      ],
      rows: model.methodNotes.factors.map((f) => [
        f.factor.id,
        formatNumber(f.factor.value, lang, f.factor.kind === 'grid' ? 3 : 4),
        f.factor.unit,
        `${f.factor.verified ? '' : L('BELUM TERVERIFIKASI (asumsi). ', 'NOT VERIFIED (assumption). ')}${f.factor.source}${
          f.factor.url ? ` ${f.factor.url}` : ''
        }`,
      ]),
      fontSize: 7.5,
    });
    for (const f of model.methodNotes.factors) {
      const lines = [...f.notes, ...(f.factor.derivation ?? [])];
      blocks.push({ kind: 'paragraph', text: `${f.factor.id}: ${lines.join(' | ')}`, size: 7.5, tone: 'muted' });
    }
  }
  blocks.push({ kind: 'heading', text: L('Catatan metode: indikator', 'Method notes: indicators') });
  for (const r of model.rows) {
    blocks.push({
      kind: 'paragraph',
      text: `${lang === 'id' ? r.labelId : r.labelEn} (${r.key}${r.gri.length ? `; GRI ${r.gri.join(', ')}` : ''}): ${
        lang === 'id' ? r.methodId : r.method
      }`,
      size: 7.5,
    });
  }
  for (const n of model.methodNotes.notes) blocks.push({ kind: 'paragraph', text: t(n, lang), size: 8, tone: 'muted' });

  return renderPdf({
    title: 'Laporan Lingkungan CSR / CSR Environmental Report',
    subtitle: `${model.meta.partnerName} - ${model.meta.programmeName} - ${periodLabel(model.period, lang)}`,
    creationDate: new Date(model.meta.generatedAt),
    generatedText: `Dibuat / Generated: ${formatDateTime(model.meta.generatedAt, zone, lang)} - Lumbung`,
    lang,
    author: 'Lumbung',
    subject: `${model.meta.programmeName}, ${model.meta.villagesLabel}`,
    blocks,
  });
}

function villagesText(model: CsrReportModel): string {
  const names = model.villages.map((v) => v.name).join(', ');
  return names === model.meta.villagesLabel || names === ''
    ? model.meta.villagesLabel
    : `${model.meta.villagesLabel} (${names})`;
}

function indicatorTable(rows: ReportRow[], lang: Lang, withPrevious: boolean): TableBlock {
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const columns: TableBlock['columns'] = [
    { header: L('Indikator', 'Indicator'), width: 4.2 },
    { header: 'GRI', width: 1.35 },
    { header: L('Nilai', 'Value'), width: 1.5, align: 'right' },
    { header: L('Satuan', 'Unit'), width: 1.55 },
  ];
  if (withPrevious) {
    columns.push(
      { header: L('Sebelumnya', 'Previous'), width: 1.5, align: 'right' },
      { header: L('Perubahan', 'Change'), width: 1.4, align: 'right' },
      { header: '%', width: 1, align: 'right' },
    );
  }
  return {
    kind: 'table',
    columns,
    rows: rows.map((r) => {
      const cells = [
        lang === 'id' ? r.labelId : r.labelEn,
        r.gri.join(', '),
        formatValue(r.value, r.decimals, lang),
        unitLabel(r.unit, lang),
      ];
      if (withPrevious) {
        cells.push(
          formatValue(r.previous, r.decimals, lang),
          r.change === null ? '-' : formatNumber(r.change, lang, r.decimals, true),
          r.changePct === null ? '-' : `${formatNumber(r.changePct, lang, 1, true)}%`,
        );
      }
      return cells;
    }),
  };
}

// ---- CSV (RFC 4180) ----

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A plain decimal with '.', no grouping and no float noise (43.199999999999996 -> "43.2"); empty for null. */
export function csvNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  const fixed = value.toFixed(6);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

export const CSV_COLUMNS = [
  'key',
  'gri',
  'label_id',
  'label_en',
  'value',
  'unit',
  'previous',
  'change',
  'change_pct',
  'flags',
  'factor_ids',
  'method',
  'note',
] as const;

/**
 * One row per indicator, RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma,
 * quote or line break. UTF-8 without a byte-order mark (the caller encodes the string as UTF-8).
 */
export function csrReportCsv(model: CsrReportModel): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of model.rows) {
    const fields = [
      r.key,
      r.gri.join('; '),
      r.labelId,
      r.labelEn,
      csvNumber(r.value),
      r.unit,
      csvNumber(r.previous),
      csvNumber(r.change),
      csvNumber(r.changePct),
      r.flags.join('; '),
      r.factorIds.join('; '),
      r.method,
      r.reason?.en ?? '',
    ];
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
