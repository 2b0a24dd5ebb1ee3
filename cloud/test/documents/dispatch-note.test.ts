import { describe, expect, it } from 'vitest';
import { type DispatchNoteInput, dispatchNotePdf, totalsByUnit } from '../../src/documents/dispatch-note.ts';
import { hasPdftotext, pages, pdfText } from './pdftotext.ts';

const PRODUCERS = ['Bu Siti', 'Bu Ani', 'Pak Darto', 'Bu Wayan'];

function input(lotCount: number, over: Partial<DispatchNoteInput> = {}): DispatchNoteInput {
  return {
    shipment: {
      id: 'SJ-2026-0042',
      status: 'dispatched',
      // 23:00 UTC on 4 March is 07:00 on 5 March in WITA (UTC+8).
      createdAt: Date.UTC(2026, 2, 4, 23, 0),
      dispatchedAt: Date.UTC(2026, 2, 5, 1, 30),
      destination: 'Gudang PT Swalayan Nusantara, Denpasar',
    },
    order: {
      id: 'PO-0088',
      buyerName: 'PT Swalayan Nusantara',
      productName: 'Telur asin',
      quantity: 5000,
      unit: 'pack',
      dueDate: '2026-03-10',
    },
    cooperative: { name: 'KUB Sari Rasa' },
    village: { name: 'Desa Taman', timeZone: 'Asia/Makassar' },
    lots: Array.from({ length: lotCount }, (_, i) => ({
      lotId: `TLA-26-${String(i + 1).padStart(3, '0')}`,
      productName: 'Telur asin',
      producerName: PRODUCERS[i % PRODUCERS.length]!,
      quantity: 120 + (i % 4) * 0.5,
      unit: 'pack',
      producedOn: '2026-03-01',
      expiresOn: '2026-03-15',
      inspection: i === 2 ? ('non_conformant' as const) : ('conformant' as const),
    })),
    generatedAt: Date.UTC(2026, 2, 5, 2, 0),
    ...over,
  };
}

describe('totalsByUnit', () => {
  it('adds quantities per unit and never adds kg to packs', () => {
    const lot = (lotId: string, quantity: number, unit: string) => ({
      lotId,
      productName: 'Cabai',
      producerName: 'Pak Darto',
      quantity,
      unit,
      producedOn: '2026-03-01',
      expiresOn: '2026-03-08',
    });
    // 0.1 + 0.2 is 0.30000000000000004 in floating point; the total must read 0.3.
    expect(totalsByUnit([lot('A', 0.1, 'kg'), lot('B', 0.2, 'kg'), lot('C', 12, 'pack')])).toEqual([
      { unit: 'kg', quantity: 0.3 },
      { unit: 'pack', quantity: 12 },
    ]);
  });
});

describe('dispatchNotePdf', () => {
  it('returns a PDF that is the same for the same input', async () => {
    const a = await dispatchNotePdf(input(3), 'id');
    const b = await dispatchNotePdf(input(3), 'id');
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
  });
});

describe.skipIf(!hasPdftotext())('dispatchNotePdf text (pdftotext)', () => {
  it('lists every lot and the total, across pages, in Indonesian', async () => {
    // 60 lots do not fit on one page: the table must carry on with its header.
    const data = input(60);
    const text = await pdfText(await dispatchNotePdf(data, 'id'));
    expect(text).toContain('Surat Jalan / Dispatch note');
    for (const lot of data.lots) expect(text).toContain(lot.lotId);
    const total = data.lots.reduce((s, l) => s + l.quantity, 0);
    expect(total).toBe(7245); // 60 × 120 + 15 × (0 + 0.5 + 1 + 1.5)
    expect(text).toMatch(/Total \(60 lot\)\s+7\.245\s+pak/);
    expect(text).toMatch(/\b120,5\s+pak/);
    const ps = pages(text);
    expect(ps.length).toBeGreaterThan(1);
    for (const page of ps.filter((p) => /TLA-26-\d{3}/.test(p))) expect(page).toMatch(/Lot\s+Produk\s+Produsen/);
    expect(ps[ps.length - 1]).toContain(`Halaman ${ps.length} dari ${ps.length} / Page ${ps.length} of ${ps.length}`);
  });

  it('prints shipment and order details in the village time zone', async () => {
    const text = await pdfText(await dispatchNotePdf(input(3), 'id'));
    expect(text).toMatch(/No\. surat jalan\s+SJ-2026-0042/);
    expect(text).toMatch(/Status\s+Diberangkatkan/);
    expect(text).toMatch(/Dibuat\s+5 Maret 2026 pukul 07\.00 WITA/);
    expect(text).toMatch(/Diberangkatkan\s+5 Maret 2026 pukul 09\.30 WITA/);
    expect(text).toMatch(/Pembeli\s+PT Swalayan Nusantara/);
    expect(text).toMatch(/Jumlah dipesan\s+5\.000 pak/);
    expect(text).toMatch(/Jatuh tempo\s+10 Maret 2026/);
    expect(text).toMatch(/Tujuan\s+Gudang PT Swalayan Nusantara, Denpasar/);
    expect(text).toContain('Dibuat / Generated: 5 Maret 2026 pukul 10.00 WITA');
    // Signature boxes for sender and receiver.
    expect(text).toContain('Pengirim / Sender');
    expect(text).toContain('Penerima / Receiver');
    // Lot 3 failed inspection: it is marked and called out.
    expect(text).toContain('Tidak sesuai');
    expect(text).toContain('Perhatian: lot TLA-26-003 tidak lolos pemeriksaan mutu.');
    expect(text).toContain('Jumlah dikirim 361,5 pak, pesanan 5.000 pak.');

    const papua = await pdfText(
      await dispatchNotePdf(input(1, { village: { name: 'Kampung Yoka', timeZone: 'Asia/Jayapura' } }), 'id'),
    );
    expect(papua).toMatch(/Dibuat\s+5 Maret 2026 pukul 08\.00 WIT\b/);
  });

  it('speaks English with English numbers when asked, and lists trace links', async () => {
    const data = input(12, { traceUrl: (lotId) => `https://lumbung.example/trace/${lotId}` });
    data.shipment.dispatchedAt = undefined;
    data.shipment.status = 'preparing';
    const text = await pdfText(await dispatchNotePdf(data, 'en'));
    expect(text).toMatch(/Status\s+Preparing/);
    expect(text).toMatch(/Dispatched\s+not yet dispatched/);
    expect(text).toMatch(/Quantity ordered\s+5,000 packs/);
    expect(text).toMatch(/Total \(12 lots\)\s+1,449\s+packs/);
    expect(text).toContain('Shipped 1,449 packs of 5,000 packs ordered.');
    for (const lot of data.lots) expect(text).toContain(`${lot.lotId}: https://lumbung.example/trace/${lot.lotId}`);
    expect(text).toContain('Page 1 of');
  });
});
