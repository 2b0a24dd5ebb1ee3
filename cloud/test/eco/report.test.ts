import { describe, expect, it } from 'vitest';
import { DEFAULT_FACTORS } from '../../src/eco/factors.ts';
import type { IndicatorInputs } from '../../src/eco/indicators.ts';
import {
  CSV_COLUMNS,
  type CsrReportModel,
  csrReport,
  csrReportCsv,
  csrReportPdf,
  csvNumber,
  type ReportMeta,
} from '../../src/eco/report.ts';
import { hasPdftotext, pdfText } from '../documents/pdftotext.ts';

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

function current(over: Partial<IndicatorInputs> = {}): IndicatorInputs {
  return {
    period: { from: '2025-01-01', to: '2026-01-01' },
    villages: [{ id: 'desa-taman', name: 'Desa Taman', gridRegion: 'jamali' }],
    energyKwh: { grid: 12_345.6, solar: 3_000, generator: 0 },
    fuelLitres: { diesel: 1_000, gasoline: 0 },
    waterM3: { groundwater: 800, municipal: 434.6, surface: 0, rainwater: 0 },
    productionKg: 20_000,
    rainfallMm: 2_100.5,
    lots: { total: 120, ecoPackaging: 45 },
    wasteKg: 350,
    programme: { activeProducers: 34, lotsShipped: 98, revenueIdr: 245_000_000 },
    monthly: MONTHS.map((m, i) => ({
      month: `2025-${m}`,
      energyKwh: 1_000 + i * 10,
      waterM3: i === 6 ? null : 100,
      emissionsKgCo2e: 1_000 + i,
    })),
    ...over,
  };
}

function previous(): IndicatorInputs {
  return current({
    period: { from: '2024-01-01', to: '2025-01-01' },
    energyKwh: { grid: 10_000, solar: 0, generator: 0 },
    productionKg: 0,
    monthly: undefined,
  });
}

function meta(lang: 'id' | 'en'): ReportMeta {
  return {
    partnerName: 'PT Contoh Energi Tbk',
    programmeName: 'Desa Mandiri Energi',
    generatedAt: Date.UTC(2026, 0, 15, 3, 0),
    villagesLabel: 'Desa Taman',
    lang,
  };
}

const row = (m: CsrReportModel, key: string) => {
  const r = m.rows.find((x) => x.key === key);
  if (!r) throw new Error(key);
  return r;
};

describe('csrReport model', () => {
  it('computes the change against the previous period in absolute terms and in %', () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('id'));
    const grid = row(m, 'energy.grid.kwh');
    expect(grid.previous).toBe(10_000);
    expect(grid.change).toBeCloseTo(2_345.6, 10);
    expect(grid.changePct).toBeCloseTo(23.456, 10);
    // Scope 2 moves with grid kWh: (12,345.6 - 10,000) × 0.817 / 1,000 t
    expect(row(m, 'emissions.scope2_location').change).toBeCloseTo(2.3456 * 0.817, 10);
    expect(row(m, 'fuel.diesel').changePct).toBe(0);
  });

  it('gives no percentage against a zero, and no change against a missing value', () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('id'));
    const solar = row(m, 'energy.solar.kwh');
    expect(solar.change).toBe(3_000);
    expect(solar.changePct).toBeNull();
    expect(solar.changeNote?.en).toBe('no percentage: the previous value is zero');
    // Production was 0 in 2024, so 2024's intensity is null, and so is the change.
    const intensity = row(m, 'energy.intensity');
    expect(intensity.value).not.toBeNull();
    expect(intensity.previous).toBeNull();
    expect(intensity.change).toBeNull();
    expect(intensity.changeNote?.en).toMatch(/not comparable/);
  });

  it('has no change columns without a previous period', () => {
    const m = csrReport(current(), null, DEFAULT_FACTORS, meta('en'));
    expect(m.previousPeriod).toBeNull();
    expect(m.rows.every((r) => r.previous === null && r.change === null && r.changeNote === undefined)).toBe(true);
  });

  it('lists in its method notes every factor used in either period, with its source', () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('en'));
    const ids = m.methodNotes.factors.map((f) => f.factor.id);
    expect(ids).toEqual(['fuel-diesel-ipcc2006-ar5', 'grid-jamali-2019-ruptl']);
    const grid = m.methodNotes.factors.find((f) => f.factor.id === 'grid-jamali-2019-ruptl')!;
    expect(grid.factor.source).toContain('RUPTL 2019-2028');
    // Both periods fell back to 2019, each for its own year.
    expect(grid.notes.join(' ')).toMatch(/jamali 2025.*jamali 2024/);
    expect(m.monthly?.map((x) => x.month)).toEqual(MONTHS.map((mm) => `2025-${mm}`));
  });
});

describe('csrReportCsv', () => {
  /** A strict RFC 4180 reader, enough to check what we write. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let field = '';
    let fields: string[] = [];
    let i = 0;
    let quoted = false;
    while (i < text.length) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        if (c === '"') quoted = false;
        else field += c;
        i++;
        continue;
      }
      if (c === '"' && field === '') quoted = true;
      else if (c === ',') {
        fields.push(field);
        field = '';
      } else if (c === '\r' && text[i + 1] === '\n') {
        fields.push(field);
        rows.push(fields);
        fields = [];
        field = '';
        i++;
      } else if (c === '\n' || c === '\r') throw new Error(`bare line break at ${i}`);
      else field += c;
      i++;
    }
    if (field !== '' || fields.length > 0) throw new Error('last record not terminated by CRLF');
    return rows;
  }

  it('writes a header and one row per indicator, CRLF, no BOM, plain decimals with a dot', () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('id'));
    const csv = csrReportCsv(m);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(
      Buffer.from(csv, 'utf8')
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    ).toBe(false);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(m.rows.length + 1);
    for (const r of rows) expect(r.length).toBe(CSV_COLUMNS.length);
    const byKey = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const grid = byKey['energy.grid.kwh']!;
    expect(grid[col('value')]).toBe('12345.6');
    expect(grid[col('previous')]).toBe('10000');
    expect(grid[col('change')]).toBe('2345.6');
    expect(grid[col('change_pct')]).toBe('23.456');
    expect(grid[col('gri')]).toBe('302-1');
    // 1,000 L diesel × 2.69234868 kg/L = 2.69234868 t, to six decimals.
    expect(byKey['emissions.scope1']![col('value')]).toBe('2.692349');
    expect(byKey['emissions.total']![col('gri')]).toBe('305-1; 305-2');
    expect(byKey['water.withdrawal.total']![col('unit')]).toBe('m³');
    expect(byKey['water.consumption']![col('flags')]).toBe('estimate; upper_bound');
    // Null values are empty fields; the note says why.
    expect(byKey['energy.intensity']![col('previous')]).toBe('');
    // Fields with commas are quoted and survive the round trip.
    expect(csv).toContain('"kWh meter readings on PLN supplies, summed over the period"');
    expect(byKey['emissions.scope2_location']![col('method')]).toContain('grid-jamali-2019-ruptl');
  });

  it('prints numbers without float noise, grouping or exponents', () => {
    expect(csvNumber(43.199999999999996)).toBe('43.2');
    expect(csvNumber(245_000_000)).toBe('245000000');
    expect(csvNumber(0.0000001)).toBe('0');
    expect(csvNumber(-2.5)).toBe('-2.5');
    expect(csvNumber(-0.0000001)).toBe('0');
    expect(csvNumber(null)).toBe('');
  });
});

describe('csrReportPdf', () => {
  it('is deterministic for a fixed generation time', async () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('id'));
    const a = await csrReportPdf(m);
    const b = await csrReportPdf(m);
    expect(a.equals(b)).toBe(true);
  });
});

describe.skipIf(!hasPdftotext())('csrReportPdf text (pdftotext)', () => {
  it('contains the report numbers in Indonesian format', async () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('id'));
    const text = await pdfText(await csrReportPdf(m));
    expect(text).toContain('Laporan Lingkungan CSR / CSR Environmental Report');
    expect(text).toMatch(/Mitra CSR\s+PT Contoh Energi Tbk/);
    expect(text).toMatch(/Periode\s+1 Januari 2025 - 31 Desember 2025/);
    expect(text).toMatch(/Periode pembanding\s+1 Januari 2024 - 31 Desember 2024/);
    // Grid: 12.345,6 kWh, previously 10.000,0, +2.345,6, +23,5 %
    expect(text).toMatch(/Listrik PLN \(jaringan\)\s+302-1\s+12\.345,6\s+kWh\s+10\.000,0\s+\+2\.345,6\s+\+23,5%/);
    // 12.345,6 kWh × 0,0036 = 44,44 GJ
    expect(text).toMatch(/44,44\s+GJ/);
    // Scope 1: 1.000 L diesel → 2,692 t CO2e; scope 2: 12,3456 MWh × 0,817 = 10,086 t CO2e
    expect(text).toMatch(/2,692\s+t CO2e/);
    expect(text).toMatch(/10,086\s+t CO2e/);
    // Water: 1.234,6 m³ withdrawn; 1.234,6 m³ × 1.000 ÷ 20.000 kg = 61,73 L/kg
    expect(text).toMatch(/Total pengambilan air\s+303-3\s+1\.234,6\s+m³/);
    expect(text).toMatch(/61,73\s+L\/kg/);
    expect(text).toMatch(/Pendapatan dari pesanan KUB\s+245\.000\.000\s+Rp/);
    expect(text).toMatch(/Lot berkemasan ramah lingkungan\s+37,5\s+%/);
    // Monthly charts, with Indonesian month names and value labels.
    expect(text).toContain('Tren bulanan');
    expect(text).toMatch(/Jan\s+Feb\s+Mar\s+Apr\s+Mei\s+Jun\s+Jul\s+Agu\s+Sep\s+Okt\s+Nov\s+Des/);
    expect(text).toContain('1.110');
    // Method notes: every factor with its source, the arithmetic, and the caveats.
    expect(text).toContain('fuel-diesel-ipcc2006-ar5');
    expect(text).toContain('grid-jamali-2019-ruptl');
    expect(text).toContain('RUPTL 2019-2028');
    expect(text).toMatch(/total = 2\.692349 kg CO2e per L/);
    expect(text).toContain('pembuangan air (discharge) tidak diukur');
    expect(text).toContain('Halaman 1 dari');
    expect(text).toContain('Dibuat / Generated: 15 Januari 2026 pukul 10.00 WIB');
  });

  it('contains the report numbers in English format', async () => {
    const m = csrReport(current(), previous(), DEFAULT_FACTORS, meta('en'));
    const text = await pdfText(await csrReportPdf(m));
    expect(text).toMatch(/CSR partner\s+PT Contoh Energi Tbk/);
    expect(text).toMatch(/PLN grid electricity\s+302-1\s+12,345\.6\s+kWh\s+10,000\.0\s+\+2,345\.6\s+\+23\.5%/);
    expect(text).toMatch(/2\.692\s+t CO2e/);
    expect(text).toMatch(/10\.086\s+t CO2e/);
    expect(text).toMatch(/Total water withdrawal\s+303-3\s+1,234\.6\s+m³/);
    expect(text).toMatch(/Revenue from KUB orders\s+245,000,000\s+IDR/);
    expect(text).toMatch(/Jan\s+Feb\s+Mar\s+Apr\s+May/);
    expect(text).toContain('Page 1 of');
  });

  it('marks an unverified grid factor as such', async () => {
    const m = csrReport(
      current({ villages: [{ id: 'x', name: 'Desa Lubuk', gridRegion: 'sumatera' }] }),
      null,
      DEFAULT_FACTORS,
      meta('id'),
    );
    const text = await pdfText(await csrReportPdf(m));
    expect(text).toContain('grid-sumatera-2019-unverified');
    expect(text).toContain('BELUM TERVERIFIKASI (asumsi)');
    expect(text).toContain('faktor belum terverifikasi');
  });
});
