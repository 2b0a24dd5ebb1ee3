/**
 * Surat jalan (dispatch note) for a shipment (issue 5): what leaves the shared warehouse, for which order,
 * lot by lot, with a total and boxes for the sender's and receiver's signatures. Times are printed in the
 * village's own time zone, since that is the clock on the wall where the note is signed.
 */
import { type Block, formatDateTime, formatLocalDate, formatNumber, type Lang, pdfSafe, renderPdf } from './pdf.ts';

export interface DispatchNoteInput {
  shipment: { id: string; status: string; createdAt: number; dispatchedAt?: number; destination?: string };
  order: { id: string; buyerName: string; productName: string; quantity: number; unit: string; dueDate: string };
  cooperative: { name: string };
  village: { name: string; timeZone: string };
  lots: {
    lotId: string;
    productName: string;
    producerName: string;
    quantity: number;
    unit: string;
    producedOn: string;
    expiresOn: string;
    inspection?: 'conformant' | 'non_conformant';
  }[];
  generatedAt: number;
  traceUrl?: (lotId: string) => string;
}

const STATUS: Record<string, { id: string; en: string }> = {
  preparing: { id: 'Disiapkan', en: 'Preparing' },
  dispatched: { id: 'Diberangkatkan', en: 'Dispatched' },
  delivered: { id: 'Diterima', en: 'Delivered' },
  cancelled: { id: 'Dibatalkan', en: 'Cancelled' },
};
const UNITS: Record<string, { id: string; en: string }> = {
  pack: { id: 'pak', en: 'packs' },
  pcs: { id: 'buah', en: 'pcs' },
  kg: { id: 'kg', en: 'kg' },
  litre: { id: 'liter', en: 'litres' },
};
const INSPECTION = {
  conformant: { id: 'Sesuai', en: 'Conformant' },
  non_conformant: { id: 'Tidak sesuai', en: 'Non-conformant' },
} as const;

function unitLabel(unit: string, lang: Lang): string {
  return UNITS[unit]?.[lang] ?? unit;
}

/** Quantities with the decimals they need, up to three (kg of chilli, packs of crackers). */
function quantity(value: number, lang: Lang): string {
  const decimals = Number.isInteger(value)
    ? 0
    : Number.isInteger(value * 10)
      ? 1
      : Number.isInteger(value * 100)
        ? 2
        : 3;
  return formatNumber(value, lang, decimals);
}

/** Totals per unit: lots of one order are normally in one unit, but a mixed shipment must not add kg to packs. */
export function totalsByUnit(lots: DispatchNoteInput['lots']): { unit: string; quantity: number }[] {
  const totals = new Map<string, number>();
  for (const lot of lots) totals.set(lot.unit, (totals.get(lot.unit) ?? 0) + lot.quantity);
  // Summing in floating point leaves noise (0.1 + 0.2); three decimals is the precision we print.
  return [...totals].map(([unit, q]) => ({ unit, quantity: Math.round(q * 1000) / 1000 }));
}

export function dispatchNotePdf(input: DispatchNoteInput, lang: Lang): Promise<Buffer> {
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const zone = input.village.timeZone;
  const { shipment, order } = input;
  const status = STATUS[shipment.status]?.[lang] ?? shipment.status;
  const blocks: Block[] = [];

  blocks.push({ kind: 'heading', text: L('Pengiriman', 'Shipment') });
  blocks.push({
    kind: 'keyValue',
    rows: [
      { key: L('No. surat jalan', 'Dispatch note no.'), value: shipment.id },
      { key: L('Status', 'Status'), value: status },
      { key: L('Dibuat', 'Created'), value: formatDateTime(shipment.createdAt, zone, lang) },
      {
        key: L('Diberangkatkan', 'Dispatched'),
        value:
          shipment.dispatchedAt !== undefined
            ? formatDateTime(shipment.dispatchedAt, zone, lang)
            : L('belum diberangkatkan', 'not yet dispatched'),
      },
      { key: L('Dari', 'From'), value: `${input.cooperative.name}, ${input.village.name}` },
      { key: L('Tujuan', 'Destination'), value: shipment.destination ?? '-' },
    ],
  });

  blocks.push({ kind: 'heading', text: L('Pesanan', 'Order') });
  blocks.push({
    kind: 'keyValue',
    rows: [
      { key: L('No. pesanan', 'Order no.'), value: order.id },
      { key: L('Pembeli', 'Buyer'), value: order.buyerName },
      { key: L('Produk', 'Product'), value: order.productName },
      {
        key: L('Jumlah dipesan', 'Quantity ordered'),
        value: `${quantity(order.quantity, lang)} ${unitLabel(order.unit, lang)}`,
      },
      { key: L('Jatuh tempo', 'Due'), value: formatLocalDate(order.dueDate, lang) },
    ],
  });

  blocks.push({ kind: 'heading', text: L('Lot yang dikirim', 'Lots shipped') });
  const totals = totalsByUnit(input.lots);
  blocks.push({
    kind: 'table',
    columns: [
      { header: L('No', 'No'), width: 0.45, align: 'right' },
      { header: 'Lot', width: 1.7 },
      { header: L('Produk', 'Product'), width: 1.6 },
      { header: L('Produsen', 'Producer'), width: 1.6 },
      { header: L('Diproduksi', 'Produced'), width: 1.3 },
      { header: L('Kedaluwarsa', 'Expires'), width: 1.35 },
      { header: L('Mutu', 'Quality'), width: 1.35 },
      { header: L('Jumlah', 'Quantity'), width: 1.05, align: 'right' },
      { header: L('Satuan', 'Unit'), width: 0.8 },
    ],
    fontSize: 8,
    rows: input.lots.map((lot, i) => [
      String(i + 1),
      lot.lotId,
      lot.productName,
      lot.producerName,
      formatLocalDate(lot.producedOn, lang, true),
      formatLocalDate(lot.expiresOn, lang, true),
      lot.inspection ? INSPECTION[lot.inspection][lang] : '-',
      quantity(lot.quantity, lang),
      unitLabel(lot.unit, lang),
    ]),
    footerRows: totals.map((t, i) => [
      '',
      i === 0 ? L(`Total (${input.lots.length} lot)`, `Total (${input.lots.length} lots)`) : '',
      '',
      '',
      '',
      '',
      '',
      quantity(t.quantity, lang),
      unitLabel(t.unit, lang),
    ]),
  });

  const shippedInOrderUnit = totals.find((t) => t.unit === order.unit)?.quantity ?? 0;
  if (Math.abs(shippedInOrderUnit - order.quantity) > 1e-9) {
    blocks.push({
      kind: 'paragraph',
      text: L(
        `Jumlah dikirim ${quantity(shippedInOrderUnit, lang)} ${unitLabel(order.unit, lang)}, pesanan ${quantity(order.quantity, lang)} ${unitLabel(order.unit, lang)}.`,
        `Shipped ${quantity(shippedInOrderUnit, lang)} ${unitLabel(order.unit, lang)} of ${quantity(order.quantity, lang)} ${unitLabel(order.unit, lang)} ordered.`,
      ),
      tone: 'muted',
    });
  }
  const failed = input.lots.filter((l) => l.inspection === 'non_conformant').map((l) => l.lotId);
  if (failed.length > 0) {
    blocks.push({
      kind: 'paragraph',
      text: L(
        `Perhatian: lot ${failed.join(', ')} tidak lolos pemeriksaan mutu.`,
        `Warning: lot ${failed.join(', ')} did not pass the quality inspection.`,
      ),
      tone: 'warning',
    });
  }

  blocks.push({ kind: 'heading', text: L('Tanda tangan', 'Signatures') });
  const signLines = [L('Nama:', 'Name:'), L('Tanggal:', 'Date:')];
  blocks.push({
    kind: 'signatures',
    boxes: [
      { title: 'Pengirim / Sender', lines: signLines },
      { title: 'Pengemudi / Driver', lines: signLines },
      { title: 'Penerima / Receiver', lines: signLines },
    ],
  });

  if (input.traceUrl) {
    blocks.push({ kind: 'heading', text: L('Telusuri produk', 'Trace the product') });
    for (const lot of input.lots) {
      const url = input.traceUrl(lot.lotId);
      blocks.push({ kind: 'paragraph', text: `${lot.lotId}: ${url}`, size: 8, link: pdfSafe(url) });
    }
  }

  return renderPdf({
    title: 'Surat Jalan / Dispatch note',
    subtitle: `${input.cooperative.name} - ${input.village.name} - ${shipment.id}`,
    creationDate: new Date(input.generatedAt),
    generatedText: `Dibuat / Generated: ${formatDateTime(input.generatedAt, zone, lang)} - Lumbung`,
    lang,
    author: input.cooperative.name,
    subject: `${L('Surat jalan', 'Dispatch note')} ${shipment.id}, ${L('pesanan', 'order')} ${order.id}`,
    blocks,
  });
}
