/**
 * A small document builder over pdfkit for the documents Lumbung prints: dispatch notes (issue 5) and CSR
 * reports (issue 6). A document is data (`PdfDocumentSpec`: a title and a list of blocks) so callers and
 * tests can build it without touching pdfkit; `renderPdf` lays it out on A4.
 *
 * Text uses pdfkit's standard Helvetica, which is encoded as WinAnsi (Latin-1 plus a few typographic
 * characters). Indonesian needs nothing more, but a character outside WinAnsi would come out as garbage, so
 * every string goes through `pdfSafe` first (e.g. "CO₂" becomes "CO2", "≤" becomes "<="). "m³" and "°"
 * are in WinAnsi and stay as they are.
 *
 * Output is deterministic for a given spec: the document ID pdfkit writes is a hash of the info
 * dictionary, which includes `creationDate`, and nothing else reads the clock.
 */
import PDFDocument from 'pdfkit';

export type Lang = 'id' | 'en';
export type Align = 'left' | 'right' | 'center';

export interface HeadingBlock {
  kind: 'heading';
  text: string;
}
export interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
  size?: number;
  tone?: 'normal' | 'muted' | 'warning';
  /** Makes the paragraph a link (e.g. a lot's trace page). */
  link?: string;
}
export interface KeyValueBlock {
  kind: 'keyValue';
  rows: { key: string; value: string }[];
}
export interface TableColumn {
  header: string;
  /** Relative width: the columns share the text width in proportion to these weights. */
  width: number;
  align?: Align;
}
export interface TableBlock {
  kind: 'table';
  columns: TableColumn[];
  rows: string[][];
  /** Rows drawn bold under a rule after the body, e.g. a total. */
  footerRows?: string[][];
  fontSize?: number;
}
export interface ChartBlock {
  kind: 'barChart' | 'lineChart';
  title: string;
  labels: string[];
  values: (number | null)[];
  /** Formats axis ticks and value labels in the document's language. */
  formatValue: (value: number) => string;
  /** Shown when every value is missing. */
  emptyText: string;
  height?: number;
}
export interface SignatureBlock {
  kind: 'signatures';
  boxes: { title: string; lines: string[] }[];
}
export interface PageBreakBlock {
  kind: 'pageBreak';
}
export type Block =
  | HeadingBlock
  | ParagraphBlock
  | KeyValueBlock
  | TableBlock
  | ChartBlock
  | SignatureBlock
  | PageBreakBlock;

export interface PdfDocumentSpec {
  title: string;
  subtitle?: string;
  /** Written as the PDF's CreationDate; fixing it makes the output byte-for-byte repeatable. */
  creationDate: Date;
  /** Footer text on every page, e.g. "Dibuat / Generated: 5 Maret 2026 pukul 09.30 WITA". */
  generatedText: string;
  lang: Lang;
  author?: string;
  subject?: string;
  blocks: Block[];
}

export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGINS = { top: 56, bottom: 64, left: 50, right: 50 } as const;

const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';
const COLORS = {
  text: '#1a1a1a',
  muted: '#5f6b73',
  warning: '#a33a00',
  rule: '#9aa5ad',
  headerFill: '#e3ebe5',
  zebra: '#f5f7f6',
  bar: '#3b7d4f',
  line: '#1f5f8b',
  grid: '#d5dbdf',
} as const;

/** "Halaman n dari m / Page n of m", on every page whatever the document's language. */
export function pageLabel(page: number, pages: number): string {
  return `Halaman ${page} dari ${pages} / Page ${page} of ${pages}`;
}

// Characters outside WinAnsi that our own texts and Intl output can contain, with a readable stand-in.
const REPLACEMENTS: Record<string, string> = {
  '\u2080': '0',
  '\u2081': '1',
  '\u2082': '2',
  '\u2083': '3',
  '\u2084': '4',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2212': '-',
  '\u2192': '->',
  '\u2248': '~',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\u2007': ' ',
};
// Code points above 0xFF that WinAnsi does encode (pdfkit's WIN_ANSI_MAP).
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c,
  0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** Makes a string printable in a standard (WinAnsi) font: known stand-ins, else '?'. */
export function pdfSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0x3f;
    if (code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff) || WIN_ANSI_EXTRA.has(code))
      out += ch;
    else if (code === 0x09) out += ' ';
    else out += '?';
  }
  return out;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/**
 * A number in the document's language: Indonesian "1.234,5" or English "1,234.5", always with
 * `fractionDigits` decimals so a column of figures lines up and a test can look for the exact text.
 */
export function formatNumber(value: number, lang: Lang, fractionDigits: number, signed = false): string {
  const key = `${lang}|${fractionDigits}|${signed}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** A date and time in a village's IANA time zone, e.g. "5 Maret 2026 pukul 09.30 WITA". */
export function formatDateTime(epochMs: number, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(epochMs));
}

/** A calendar date given as 'YYYY-MM-DD' (already local): "10 Maret 2026", or "10 Mar 2026" when short. */
export function formatLocalDate(isoDate: string, lang: Lang, short = false): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  // Formatted in UTC so the calendar day never shifts with the server's zone.
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: short ? 'short' : 'long',
    year: 'numeric',
  }).format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/**
 * Axis ticks from 0 (or the minimum, when negative) to at least `max`, on a 1-2-5 step so the labels are
 * round numbers.
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  const lo = Math.min(0, min);
  let hi = Math.max(0, max);
  if (hi === lo) hi = lo + 1;
  const rough = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let t = first; t < hi + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

type Doc = PDFKit.PDFDocument;

/** Lays the spec out on A4 and returns the finished PDF. */
export function renderPdf(spec: PdfDocumentSpec): Promise<Buffer> {
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { ...MARGINS },
    bufferPages: true,
    autoFirstPage: true,
    lang: spec.lang === 'id' ? 'id-ID' : 'en-GB',
    displayTitle: true,
    info: {
      Title: pdfSafe(spec.title),
      ...(spec.subject ? { Subject: pdfSafe(spec.subject) } : {}),
      ...(spec.author ? { Author: pdfSafe(spec.author) } : {}),
      Creator: 'Lumbung',
      Producer: 'Lumbung (PDFKit)',
      CreationDate: spec.creationDate,
    },
  });
  const chunks: Uint8Array[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    drawTitle(doc, spec);
    for (const block of spec.blocks) drawBlock(doc, block);
    drawPageFurniture(doc, spec);
    doc.end();
  } catch (err) {
    doc.end();
    return Promise.reject(err);
  }
  return done;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}
function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
  doc.x = doc.page.margins.left;
}

function drawTitle(doc: Doc, spec: PdfDocumentSpec): void {
  const left = doc.page.margins.left;
  doc.font(FONT_BOLD).fontSize(16).fillColor(COLORS.text);
  doc.text(pdfSafe(spec.title), left, doc.page.margins.top, { width: contentWidth(doc) });
  if (spec.subtitle) {
    doc.moveDown(0.2).font(FONT).fontSize(10).fillColor(COLORS.muted);
    doc.text(pdfSafe(spec.subtitle), { width: contentWidth(doc) });
  }
  doc.moveDown(0.4);
  rule(doc, doc.y);
  doc.y += 10;
}

function rule(doc: Doc, y: number): void {
  doc
    .save()
    .moveTo(doc.page.margins.left, y)
    .lineTo(doc.page.width - doc.page.margins.right, y)
    .lineWidth(0.6)
    .strokeColor(COLORS.rule)
    .stroke()
    .restore();
}

function drawBlock(doc: Doc, block: Block): void {
  switch (block.kind) {
    case 'heading':
      // Keep a heading with at least a few lines of what follows it.
      ensureSpace(doc, 60);
      if (doc.y > doc.page.margins.top + 1) doc.y += 6;
      doc.font(FONT_BOLD).fontSize(12).fillColor(COLORS.text);
      doc.text(pdfSafe(block.text), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
      doc.moveDown(0.3);
      return;
    case 'paragraph': {
      const color = block.tone === 'muted' ? COLORS.muted : block.tone === 'warning' ? COLORS.warning : COLORS.text;
      doc
        .font(FONT)
        .fontSize(block.size ?? 9.5)
        .fillColor(color);
      ensureSpace(doc, doc.currentLineHeight(true));
      doc.text(pdfSafe(block.text), doc.page.margins.left, doc.y, {
        width: contentWidth(doc),
        ...(block.link ? { link: block.link, underline: false } : {}),
      });
      doc.moveDown(0.35);
      return;
    }
    case 'keyValue':
      drawRows(
        doc,
        [
          { width: 0.34, align: 'left', bold: true },
          { width: 0.66, align: 'left', bold: false },
        ],
        block.rows.map((r) => [r.key, r.value]),
        { fontSize: 9.5, header: null, zebra: false },
      );
      doc.moveDown(0.5);
      return;
    case 'table':
      drawTable(doc, block);
      return;
    case 'barChart':
    case 'lineChart':
      drawChart(doc, block);
      return;
    case 'signatures':
      drawSignatures(doc, block);
      return;
    case 'pageBreak':
      doc.addPage();
      doc.y = doc.page.margins.top;
      return;
  }
}

interface RowColumn {
  width: number;
  align: Align;
  bold: boolean;
}

const PAD_X = 4;
const PAD_Y = 3;

function rowHeight(doc: Doc, columns: RowColumn[], widths: number[], cells: string[], fontSize: number): number {
  let height = 0;
  columns.forEach((col, i) => {
    doc.font(col.bold ? FONT_BOLD : FONT).fontSize(fontSize);
    const h = doc.heightOfString(pdfSafe(cells[i] ?? ''), { width: (widths[i] ?? 0) - 2 * PAD_X });
    height = Math.max(height, h);
  });
  return height + 2 * PAD_Y;
}

function drawRow(
  doc: Doc,
  columns: RowColumn[],
  widths: number[],
  cells: string[],
  y: number,
  height: number,
  fontSize: number,
  fill: string | null,
): void {
  const left = doc.page.margins.left;
  if (fill) {
    doc.save().rect(left, y, contentWidth(doc), height).fill(fill).restore();
  }
  let x = left;
  columns.forEach((col, i) => {
    const w = widths[i] ?? 0;
    doc
      .font(col.bold ? FONT_BOLD : FONT)
      .fontSize(fontSize)
      .fillColor(COLORS.text);
    doc.text(pdfSafe(cells[i] ?? ''), x + PAD_X, y + PAD_Y, { width: w - 2 * PAD_X, align: col.align });
    x += w;
  });
}

/**
 * Rows that break across pages; when `header` is given it is drawn at the top of the block and again at
 * the top of every page the rows continue on, so a reader of page 3 still knows the columns.
 */
function drawRows(
  doc: Doc,
  columns: RowColumn[],
  rows: string[][],
  options: { fontSize: number; header: string[] | null; zebra: boolean; footerRows?: string[][] },
): void {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * contentWidth(doc));
  const headerColumns = columns.map((c) => ({ ...c, bold: true }));
  const header = options.header;
  const headerHeight = header ? rowHeight(doc, headerColumns, widths, header, options.fontSize) : 0;

  const drawHeader = () => {
    if (!header) return;
    const y = doc.y;
    drawRow(doc, headerColumns, widths, header, y, headerHeight, options.fontSize, COLORS.headerFill);
    doc.y = y + headerHeight;
  };

  const firstHeight = rows[0] ? rowHeight(doc, columns, widths, rows[0], options.fontSize) : 0;
  ensureSpace(doc, headerHeight + firstHeight);
  drawHeader();

  rows.forEach((cells, index) => {
    const h = rowHeight(doc, columns, widths, cells, options.fontSize);
    if (doc.y + h > bottom(doc)) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      drawHeader();
    }
    const y = doc.y;
    drawRow(
      doc,
      columns,
      widths,
      cells,
      y,
      h,
      options.fontSize,
      options.zebra && index % 2 === 1 ? COLORS.zebra : null,
    );
    doc.y = y + h;
  });

  if (options.footerRows && options.footerRows.length > 0) {
    const boldColumns = columns.map((c) => ({ ...c, bold: true }));
    const heights = options.footerRows.map((r) => rowHeight(doc, boldColumns, widths, r, options.fontSize));
    ensureSpace(
      doc,
      heights.reduce((s, h) => s + h, 0),
    );
    rule(doc, doc.y);
    options.footerRows.forEach((cells, i) => {
      const h = heights[i] ?? 0;
      const y = doc.y;
      drawRow(doc, boldColumns, widths, cells, y, h, options.fontSize, null);
      doc.y = y + h;
    });
  }
  doc.x = doc.page.margins.left;
}

function drawTable(doc: Doc, block: TableBlock): void {
  const columns = block.columns.map((c) => ({ width: c.width, align: c.align ?? 'left', bold: false }));
  drawRows(doc, columns, block.rows, {
    fontSize: block.fontSize ?? 8.5,
    header: block.columns.map((c) => c.header),
    zebra: true,
    ...(block.footerRows ? { footerRows: block.footerRows } : {}),
  });
  doc.y += 8;
}

function drawChart(doc: Doc, block: ChartBlock): void {
  const height = block.height ?? 170;
  const titleHeight = 18;
  ensureSpace(doc, height + titleHeight + 10);
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const top = doc.y;

  doc.font(FONT_BOLD).fontSize(10).fillColor(COLORS.text);
  doc.text(pdfSafe(block.title), left, top, { width, lineBreak: false });

  const plotLeft = left + 56;
  const plotRight = left + width - 8;
  const plotTop = top + titleHeight;
  const plotBottom = top + height - 22;
  const present = block.values.filter((v): v is number => v !== null && Number.isFinite(v));

  doc.save().lineWidth(0.6).strokeColor(COLORS.rule);
  doc.moveTo(plotLeft, plotTop).lineTo(plotLeft, plotBottom).lineTo(plotRight, plotBottom).stroke();
  doc.restore();

  if (present.length === 0 || block.labels.length === 0) {
    doc.font(FONT).fontSize(9).fillColor(COLORS.muted);
    doc.text(pdfSafe(block.emptyText), plotLeft, (plotTop + plotBottom) / 2 - 5, {
      width: plotRight - plotLeft,
      align: 'center',
      lineBreak: false,
    });
    doc.x = left;
    doc.y = top + height + 10;
    return;
  }

  const ticks = niceTicks(Math.min(...present), Math.max(...present));
  const lo = ticks[0] ?? 0;
  const hi = ticks[ticks.length - 1] ?? 1;
  const yOf = (v: number) => plotBottom - ((v - lo) / (hi - lo || 1)) * (plotBottom - plotTop);

  doc.font(FONT).fontSize(7).fillColor(COLORS.muted);
  for (const t of ticks) {
    const y = yOf(t);
    doc.save().lineWidth(0.3).strokeColor(COLORS.grid).moveTo(plotLeft, y).lineTo(plotRight, y).stroke().restore();
    doc.text(pdfSafe(block.formatValue(t)), left, y - 3.5, { width: 52, align: 'right', lineBreak: false });
  }

  const n = block.labels.length;
  const slot = (plotRight - plotLeft) / n;
  const labelEvery = Math.max(1, Math.ceil(n / 14));
  block.labels.forEach((label, i) => {
    if (i % labelEvery !== 0) return;
    doc.text(pdfSafe(label), plotLeft + i * slot, plotBottom + 4, {
      width: slot * labelEvery,
      align: 'center',
      lineBreak: false,
    });
  });

  // Value labels when there is room for them, so the figures can be read (and copied) off the chart.
  const valueLabels = n <= 16;
  const drawValueLabel = (v: number, x: number, y: number) => {
    if (!valueLabels) return;
    doc.font(FONT).fontSize(6.5).fillColor(COLORS.text);
    doc.text(pdfSafe(block.formatValue(v)), x - slot / 2, y - 9, { width: slot, align: 'center', lineBreak: false });
  };
  const zeroY = yOf(Math.max(lo, 0));
  if (block.kind === 'barChart') {
    const barWidth = slot * 0.6;
    block.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      const x = plotLeft + i * slot + (slot - barWidth) / 2;
      const y = yOf(v);
      doc
        .save()
        .rect(x, Math.min(y, zeroY), barWidth, Math.abs(zeroY - y))
        .fill(COLORS.bar)
        .restore();
      drawValueLabel(v, x + barWidth / 2, Math.min(y, zeroY));
    });
  } else {
    doc.save().lineWidth(1.4).strokeColor(COLORS.line);
    let drawing = false;
    block.values.forEach((v, i) => {
      const x = plotLeft + i * slot + slot / 2;
      if (v === null || !Number.isFinite(v)) {
        drawing = false;
        return;
      }
      if (drawing) doc.lineTo(x, yOf(v));
      else doc.moveTo(x, yOf(v));
      drawing = true;
    });
    doc.stroke().restore();
    block.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      doc
        .save()
        .circle(plotLeft + i * slot + slot / 2, yOf(v), 2)
        .fill(COLORS.line)
        .restore();
      drawValueLabel(v, plotLeft + i * slot + slot / 2, yOf(v) - 2);
    });
  }
  doc.x = left;
  doc.y = top + height + 10;
}

function drawSignatures(doc: Doc, block: SignatureBlock): void {
  const boxHeight = 64;
  const lineCount = Math.max(0, ...block.boxes.map((b) => b.lines.length));
  const needed = 16 + boxHeight + 8 + lineCount * 14 + 10;
  ensureSpace(doc, needed);
  const left = doc.page.margins.left;
  const gap = 16;
  const count = Math.max(1, block.boxes.length);
  const width = (contentWidth(doc) - gap * (count - 1)) / count;
  const top = doc.y + 4;
  block.boxes.forEach((box, i) => {
    const x = left + i * (width + gap);
    doc.font(FONT_BOLD).fontSize(9.5).fillColor(COLORS.text);
    doc.text(pdfSafe(box.title), x, top, { width, align: 'center', lineBreak: false });
    doc
      .save()
      .lineWidth(0.6)
      .strokeColor(COLORS.rule)
      .rect(x, top + 16, width, boxHeight)
      .stroke()
      .restore();
    doc.font(FONT).fontSize(8.5).fillColor(COLORS.text);
    box.lines.forEach((line, j) => {
      doc.text(pdfSafe(line), x, top + 16 + boxHeight + 8 + j * 14, { width, lineBreak: false });
    });
  });
  doc.x = left;
  doc.y = top + needed;
}

/** Footer (generation time, page n of m) on every page and a running title from page 2 on. */
function drawPageFurniture(doc: Doc, spec: PdfDocumentSpec): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page; lift the margin while we do.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    const footerY = doc.page.height - 40;
    rule(doc, footerY - 6);
    doc.font(FONT).fontSize(7.5).fillColor(COLORS.muted);
    doc.text(pdfSafe(spec.generatedText), left, footerY, { width: width * 0.6, lineBreak: false });
    doc.text(pageLabel(i - range.start + 1, range.count), left + width * 0.4, footerY, {
      width: width * 0.6,
      align: 'right',
      lineBreak: false,
    });
    if (i > range.start) {
      doc.text(pdfSafe(spec.title), left, 28, { width, lineBreak: false });
      rule(doc, 40);
    }
    doc.page.margins.bottom = savedBottom;
  }
}
