import { describe, expect, it } from 'vitest';
import {
  type Block,
  formatDateTime,
  formatLocalDate,
  formatNumber,
  niceTicks,
  type PdfDocumentSpec,
  pageLabel,
  pdfSafe,
  renderPdf,
} from '../../src/documents/pdf.ts';
import { hasPdftotext, pages, pdfText } from './pdftotext.ts';

const CREATED = new Date('2026-03-05T02:00:00Z');

function spec(blocks: Block[], over: Partial<PdfDocumentSpec> = {}): PdfDocumentSpec {
  return {
    title: 'Dokumen uji / Test document',
    subtitle: 'Subjudul',
    creationDate: CREATED,
    generatedText: 'Dibuat / Generated: 5 Maret 2026',
    lang: 'id',
    blocks,
    ...over,
  };
}

describe('number and date formats', () => {
  it("Node's ICU has Indonesian: id-ID resolves to itself, not a fallback", () => {
    expect(new Intl.NumberFormat('id-ID').resolvedOptions().locale).toBe('id-ID');
  });

  it('formats Indonesian as 1.234,5 and English as 1,234.5, with fixed decimals', () => {
    expect(formatNumber(1234.5, 'id', 1)).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatNumber(1234567.891, 'id', 2)).toBe('1.234.567,89');
    expect(formatNumber(0.5, 'en', 3)).toBe('0.500');
    expect(formatNumber(-20, 'id', 1, true)).toBe('-20,0');
    expect(formatNumber(20, 'en', 1, true)).toBe('+20.0');
    expect(formatNumber(0, 'en', 1, true)).toBe('0.0');
  });

  it('prints times in the given IANA zone (WITA is UTC+8)', () => {
    const at = Date.UTC(2026, 2, 4, 23, 0);
    expect(formatDateTime(at, 'Asia/Makassar', 'id')).toBe('5 Maret 2026 pukul 07.00 WITA');
    expect(formatDateTime(at, 'Asia/Jakarta', 'id')).toBe('5 Maret 2026 pukul 06.00 WIB');
    expect(formatDateTime(at, 'Asia/Jayapura', 'en')).toBe('5 March 2026 at 08:00 GMT+9');
  });

  it('prints a local calendar date without shifting it by a zone', () => {
    expect(formatLocalDate('2026-03-10', 'id')).toBe('10 Maret 2026');
    expect(formatLocalDate('2026-12-31', 'en')).toBe('31 December 2026');
    expect(formatLocalDate('2026-08-01', 'id', true)).toBe('1 Agu 2026');
    expect(formatLocalDate('not a date', 'id')).toBe('not a date');
  });
});

describe('pdfSafe', () => {
  it('replaces characters the standard fonts cannot encode and keeps Latin-1 ones', () => {
    expect(pdfSafe('CO₂e ≤ 1.000 mg/L − 5')).toBe('CO2e <= 1.000 mg/L - 5');
    expect(pdfSafe('m³ 25 °C café – “ok” €')).toBe('m³ 25 °C café – “ok” €');
    expect(pdfSafe('1\u00a0234\u202f5')).toBe('1 234 5');
    expect(pdfSafe('日本')).toBe('??');
  });
});

describe('layout helpers', () => {
  it('makes round axis ticks that cover the data', () => {
    expect(niceTicks(0, 95)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 1430)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(-3, 7)).toEqual([-5, -2.5, 0, 2.5, 5, 7.5]);
    expect(niceTicks(0, 0)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('labels pages in both languages', () => {
    expect(pageLabel(2, 5)).toBe('Halaman 2 dari 5 / Page 2 of 5');
  });
});

describe('renderPdf', () => {
  it('is deterministic for a fixed creationDate and records that date', async () => {
    const blocks: Block[] = [
      { kind: 'heading', text: 'Bagian' },
      { kind: 'paragraph', text: 'Isi paragraf.' },
    ];
    const a = await renderPdf(spec(blocks));
    const b = await renderPdf(spec(blocks));
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('D:20260305020000Z');
    const c = await renderPdf(spec(blocks, { creationDate: new Date('2026-03-06T02:00:00Z') }));
    expect(c.equals(a)).toBe(false);
  });

  it('rejects instead of throwing when a block cannot be drawn', async () => {
    const bad = { kind: 'barChart', title: 't', labels: ['a'], values: [1], emptyText: '-' } as unknown as Block;
    await expect(renderPdf(spec([bad]))).rejects.toThrow();
  });
});

describe.skipIf(!hasPdftotext())('renderPdf text (pdftotext)', () => {
  it('repeats the table header on every page a long table runs onto, and numbers the pages', async () => {
    const rows = Array.from({ length: 130 }, (_, i) => [`BARIS-${String(i + 1).padStart(3, '0')}`, `Isi ${i + 1}`]);
    const buf = await renderPdf(
      spec([
        {
          kind: 'table',
          columns: [
            { header: 'Kolom Kunci', width: 1 },
            { header: 'Kolom Isi', width: 2, align: 'right' },
          ],
          rows,
          footerRows: [['Total', '130']],
        },
      ]),
    );
    const text = await pdfText(buf);
    const ps = pages(text);
    expect(ps.length).toBeGreaterThanOrEqual(3);
    for (const [i, page] of ps.entries()) {
      expect(page).toMatch(/Kolom Kunci\s+Kolom Isi/);
      expect(page).toContain(`Halaman ${i + 1} dari ${ps.length} / Page ${i + 1} of ${ps.length}`);
      expect(page).toContain('Dibuat / Generated: 5 Maret 2026');
    }
    for (const [key] of rows) expect(text).toContain(key);
    // Rows stay in order across the page breaks.
    const positions = rows.map(([key]) => text.indexOf(key ?? ''));
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(ps[ps.length - 1]).toMatch(/Total\s+130/);
    // From page 2 on, the title runs at the top.
    expect(ps[1]).toContain('Dokumen uji / Test document');
  });

  it('prints m³ and CO2e as text, and key-value blocks, charts and signatures', async () => {
    const buf = await renderPdf(
      spec([
        { kind: 'keyValue', rows: [{ key: 'Volume air', value: '1.234,5 m³' }] },
        { kind: 'paragraph', text: 'Emisi 12,3 t CO₂e' },
        {
          kind: 'barChart',
          title: 'Energi bulanan',
          labels: ['Jan', 'Feb', 'Mar'],
          values: [1200, null, 900],
          formatValue: (v) => formatNumber(v, 'id', 0),
          emptyText: 'Tidak ada data',
        },
        {
          kind: 'lineChart',
          title: 'Grafik kosong',
          labels: ['Jan'],
          values: [null],
          formatValue: (v) => String(v),
          emptyText: 'Tidak ada data',
        },
        { kind: 'signatures', boxes: [{ title: 'Pengirim / Sender', lines: ['Nama:'] }] },
      ]),
    );
    const text = await pdfText(buf);
    expect(text).toMatch(/Volume air\s+1\.234,5 m³/);
    expect(text).toContain('Emisi 12,3 t CO2e');
    expect(text).toContain('Energi bulanan');
    expect(text).toContain('1.200'); // the bar's value label
    expect(text).toContain('1.000'); // an axis tick
    expect(text).toMatch(/Jan\s+Feb\s+Mar/);
    expect(text).toContain('Tidak ada data');
    expect(text).toContain('Pengirim / Sender');
  });
});
