import { DEMO_ORDER } from '@lumbung/cloud';
import { waitFor } from '@lumbung/runtime';
import type { LotDetail, LotRecord, LotTrace, OrderDetail, PublicLotView, StockLine } from '@lumbung/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBrowser, fits, POLL, requireChromium, VILLAGE } from './browser.ts';

const available = requireChromium('the supply-chain browser test');
/** Numbers as the dashboard writes them in Bahasa Indonesia (2.000; 22,5). */
const nf = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

// The supply-chain pages of issue 5 in a real browser against the real demo (`lumbung demo` seeds KUB "Telur Asin
// Taman", its supermarket order, lots stored in the egg room, inspections and shipments), at a phone's width.
// What the pages show is checked against what the API answers, so the test holds whatever the demo's clock made.
describe.skipIf(!available)('supply-chain pages in Chromium on lumbung demo', () => {
  const demo = new DemoBrowser({
    prefix: 'lumbung-supply-dashboard-',
    password: 'kata-sandi-uji-rantai-pasok',
    backfillDays: 2,
  });
  const { newPhone, phone } = demo;
  /** The village API as the KUB coordinator, for the test's own requests. */
  const api = <T>(p: string): Promise<T> => demo.api<T>('kub', p);

  beforeAll(async () => {
    await demo.start();
    const bearer = await demo.bearer('kub');
    await waitFor('the demo order', async () => {
      const res = await fetch(`${demo.base}/api/v1/villages/${VILLAGE}/orders`, { headers: bearer });
      return res.ok && ((await res.json()) as OrderDetail[]).some((o) => o.id === DEMO_ORDER) ? true : undefined;
    });
  }, 300_000);

  afterAll(() => demo.stop());

  /** A lot of the demo order that was stored in a room, with what it was made from: the richest lot page. */
  async function storedLot(): Promise<{ detail: LotDetail; backward: LotTrace }> {
    const lots = await api<LotRecord[]>(`/lots?orderId=${DEMO_ORDER}`);
    for (const l of lots) {
      const detail = await api<LotDetail>(`/lots/${l.id}`);
      if (!detail.exposure?.stays.length) continue;
      const backward = await api<LotTrace>(`/lots/${l.id}/trace?direction=backward`);
      if (backward.nodes.length > 1) return { detail, backward };
    }
    throw new Error('no lot of the demo order with stays and inputs');
  }

  it('shows a KUB coordinator the order with its allocation, progress per producer, late risk and shipments', async () => {
    const order = await api<OrderDetail>(`/orders/${DEMO_ORDER}`);
    const page = await phone(`#/v/${VILLAGE}/orders`, 'kub');
    const card = page.locator(`li[data-order-id="${DEMO_ORDER}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain(order.buyerName);
    await card.getByRole('link', { name: order.buyerName }).click();
    await page.locator('main h1', { hasText: order.buyerName }).waitFor();

    for (const a of order.allocations) {
      const row = page.locator(`table[data-allocation] tr[data-producer-id="${a.producerId}"]`);
      expect(await row.innerText()).toContain(nf.format(a.quota));
    }
    expect(await page.locator('table[data-allocation] tbody tr').count()).toBe(order.allocations.length);

    // Four bars (produced, inspected, packed, shipped) for the order and for each producer, filled by the API's numbers.
    const total = page.locator('[data-progress="total"]');
    expect(await total.locator('.prog-row').count()).toBe(4);
    const shippedStyle = await total.locator('.prog-row').nth(3).locator('.prog-fill').getAttribute('style');
    const shippedWidth = /width:\s*([\d.]+)%/.exec(shippedStyle ?? '')?.[1] ?? 'NaN';
    expect(Number.parseFloat(shippedWidth)).toBeCloseTo(
      Math.min(100, (order.totals.shipped / order.quantity) * 100),
      3,
    );
    for (const p of order.progress) {
      const box = page.locator(`[data-progress="${p.producerId}"]`);
      expect(await box.innerText()).toContain(p.producerName);
      expect(await box.locator('.prog-row').count()).toBe(4);
    }

    if (order.lateRisk.atRisk) {
      const risk = page.locator('[data-late-risk="true"]');
      await risk.getByText('Pesanan ini berisiko terlambat').waitFor();
      for (const r of order.lateRisk.reasons) expect(await risk.innerText()).toContain(r.id);
    }

    const shipments = await api<{ id: string }[]>(`/shipments?orderId=${DEMO_ORDER}`);
    for (const s of shipments) await page.locator(`[data-shipment-id="${s.id}"]`).waitFor();
    if (shipments.length > 0) {
      // The dispatch note needs the token: the link fetches it with the Authorization header and saves it.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page
          .locator(`[data-shipment-id="${shipments[0]!.id}"]`)
          .getByRole('link', { name: 'Surat jalan (PDF)' })
          .click(),
      ]);
      expect(download.suggestedFilename()).toBe(`surat-jalan-${shipments[0]!.id}.pdf`);
      const { readFile } = await import('node:fs/promises');
      expect((await readFile((await download.path())!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    await fits(page, 'order');
    await page.close();
  });

  it("lets the coordinator adjust the allocation (PUT) and recompute it (POST), and shows the API's answer", async () => {
    const before = await api<OrderDetail>(`/orders/${DEMO_ORDER}`);
    const [first, second] = before.allocations.filter((a) => a.quota >= 100);
    expect(second, 'two producers with a quota of at least 100').toBeDefined();
    const names = new Map(before.progress.map((p) => [p.producerId, p.producerName]));
    const page = await phone(`#/v/${VILLAGE}/order/${DEMO_ORDER}`, 'kub');
    await page.getByRole('button', { name: 'Ubah pembagian' }).click();
    await page.getByLabel(names.get(first!.producerId)!, { exact: true }).fill(String(first!.quota + 100));
    await page.getByLabel(names.get(second!.producerId)!, { exact: true }).fill(String(second!.quota - 100));
    const sum = before.allocations.reduce((n, a) => n + a.quota, 0);
    await page.getByText(`Jumlah kuota ${nf.format(sum)} dari pesanan ${nf.format(before.quantity)}`).waitFor();
    await page.getByRole('button', { name: 'Simpan' }).click();
    const row = page.locator(`tr[data-producer-id="${first!.producerId}"]`);
    await row.getByText('diubah').waitFor();
    expect(await row.innerText()).toContain(nf.format(first!.quota + 100));
    const adjusted = await api<OrderDetail>(`/orders/${DEMO_ORDER}`);
    expect(adjusted.allocations.find((a) => a.producerId === first!.producerId)).toMatchObject({
      quota: first!.quota + 100,
      adjusted: true,
    });

    await page.getByLabel('Lot minimum per produsen').fill(String(before.minLotSize));
    await page.getByRole('button', { name: 'Hitung ulang pembagian' }).click();
    await expect.poll(() => page.locator('table[data-allocation]').getByText('diubah').count(), POLL).toBe(0);
    const recomputed = await api<OrderDetail>(`/orders/${DEMO_ORDER}`);
    expect(recomputed.allocations.every((a) => !a.adjusted)).toBe(true);
    for (const a of recomputed.allocations)
      expect(await page.locator(`tr[data-producer-id="${a.producerId}"]`).innerText()).toContain(nf.format(a.quota));
    await page.close();
  });

  it('shows packing-house staff the stock in FEFO order, the rooms live, the warnings, and the sampling plan', async () => {
    const stock = await api<StockLine[]>('/stock');
    expect(stock.length).toBeGreaterThan(1);
    const warnings = await api<{ exposure: { lotId: string }[]; expiring: StockLine[] }>('/stock/warnings?days=7');
    const page = await phone(`#/v/${VILLAGE}/stock`, 'kemasan');
    const rows = page.locator('[data-stock] > li');
    await expect.poll(() => rows.count(), POLL).toBe(stock.length);
    const shown = await rows.evaluateAll((els) =>
      els.map((e) => ({ lot: e.getAttribute('data-lot-id'), expires: e.getAttribute('data-expires') })),
    );
    expect(shown.map((s) => s.lot)).toEqual(stock.map((l) => l.lotId));
    const expiries = shown.map((s) => s.expires!);
    expect(expiries).toEqual([...expiries].sort());

    const egg = page.locator('[data-room-id="ruang-telur"]');
    await expect.poll(() => egg.locator('.readings dd').count(), POLL).toBeGreaterThanOrEqual(2);
    expect(await egg.innerText()).toMatch(/Suhu udara\s+\d+(,\d+)? °C/);
    for (const w of warnings.exposure)
      await page.locator(`[data-warning="exposure"][data-lot-id="${w.lotId}"]`).waitFor();
    for (const w of warnings.expiring)
      await page.locator(`[data-warning="expiry"][data-lot-id="${w.lotId}"]`).waitFor();

    // The inspection form shows the plan for the lot's size before anything is counted.
    const lot = (await api<LotRecord[]>('/lots?status=available'))[0]!;
    const product = (await api<{ id: string; aql: number }[]>('/products')).find((p) => p.id === lot.productId)!;
    const plan = await api<{ sampleSize: number }>(`/sampling-plan?lotSize=${lot.quantity}&aql=${product.aql}`);
    await page.locator('#inspect-lot').selectOption(lot.id);
    const shownPlan = page.locator('[data-form="inspection"] .plan');
    await shownPlan.waitFor();
    expect(Number(await shownPlan.getAttribute('data-sample-size'))).toBe(plan.sampleSize);
    expect(await shownPlan.innerText()).toContain(`Ambil ${nf.format(plan.sampleSize)} contoh`);
    await fits(page, 'packing house');

    // A count correction through the form lands as a movement of the lot.
    const line = stock[0]!;
    const form = page.locator('form[data-form="movement"]');
    await form.getByLabel('Koreksi hitungan').check();
    await form.getByLabel('Kode lot', { exact: true }).fill(line.lotId);
    await form.getByLabel('Selisih (+ lebih, − kurang)').fill('-1');
    await form.getByLabel('Ruang', { exact: true }).selectOption(line.roomId);
    await form.getByLabel('Alasan', { exact: true }).fill('satu pecah saat dihitung');
    await form.getByRole('button', { name: 'Catat', exact: true }).click();
    await form.locator('.okbox').getByText(`Tercatat: Koreksi hitungan ${line.lotId}`).waitFor();
    const movements = await api<{ kind: string; quantity: number; reason: string | null }[]>(
      `/stock/movements?lotId=${line.lotId}`,
    );
    expect(movements).toContainEqual(
      expect.objectContaining({ kind: 'adjust', quantity: -1, reason: 'satu pecah saat dihitung' }),
    );
    await page.close();
  });

  it("shows a lot's storage exposure per stay, its trace backward and forward, and its QR code", async () => {
    const { detail, backward } = await storedLot();
    const exposure = detail.exposure!;
    const page = await phone(`#/v/${VILLAGE}/lot/${detail.id}`, 'kub');
    await page.locator('main h1', { hasText: detail.id }).waitFor();
    const section = page.locator('[data-exposure]');
    await expect.poll(() => section.locator('[data-stay-room]').count(), POLL).toBe(exposure.stays.length);
    if (exposure.total.mkt !== null) expect(await section.innerText()).toContain('MKT');
    const withTemperature = exposure.stays.filter((s) => s.temperature).length;
    expect(await section.locator('tr[data-metric="temperature"]').count()).toBe(withTemperature);
    expect(await section.locator(`[data-inspect="${exposure.inspect}"]`).count()).toBe(1);
    if (exposure.inspect) expect(await section.innerText()).toContain('Perlu diperiksa');

    const back = page.locator('[data-trace="backward"]');
    await back.waitFor();
    const ids = await back
      .locator('li[data-lot-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-lot-id')));
    expect(new Set(ids)).toEqual(new Set(backward.nodes.map((n) => n.lotId)));
    expect(await back.locator('li[data-level="0"]').getAttribute('data-lot-id')).toBe(detail.id);
    expect(await back.locator('li[data-level="1"]').count()).toBeGreaterThan(0);

    const forward = await api<LotTrace>(`/lots/${detail.id}/trace?direction=forward`);
    await page.locator('button[data-direction="forward"]').click();
    const fwd = page.locator('[data-trace="forward"]');
    await fwd.waitFor();
    for (const b of forward.buyers) expect(await fwd.innerText()).toContain(b);
    for (const s of forward.shipments) await fwd.locator(`[data-shipment-id="${s.shipmentId}"]`).waitFor();

    // The QR code came through the API with the token, and is a real image.
    const qr = page.locator('img.qr');
    await qr.waitFor();
    await expect
      .poll(() => page.evaluate(`document.querySelector('img.qr').naturalWidth`) as Promise<number>, POLL)
      .toBeGreaterThan(0);
    expect(await page.locator('[data-digital-link]').getAttribute('href')).toBe(detail.digitalLink);
    await fits(page, 'lot');
    await page.close();
  });

  it('opens the public trace page of a scanned pack with no session, no token and no sign-in', async () => {
    const { detail } = await storedLot();
    const view = (await (
      await fetch(`${demo.base}/api/v1/public/lots/${VILLAGE}/${detail.id}`)
    ).json()) as PublicLotView;
    const context = await newPhone();
    const page = await context.newPage();
    const sent: { url: string; auth: string | undefined }[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) sent.push({ url: r.url(), auth: r.headers().authorization });
    });
    // As a phone's camera opens the QR code: the resolver URL, redirected to the dashboard's trace page.
    await page.goto(`${demo.base}/lot/${VILLAGE}/${detail.id}`);
    await page.locator(`[data-public-lot="${detail.id}"]`).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/trace/${VILLAGE}/${detail.id}`);
    expect(await page.locator('main h1').innerText()).toBe(view.product.name);
    if (view.producer) {
      await page.getByRole('heading', { name: 'Cerita pengrajin' }).waitFor();
      expect(await page.locator('main').innerText()).toContain(view.producer.name);
    }
    if (view.storage)
      await page.getByText(view.storage.withinSpec ? 'Dalam batas' : 'Di luar batas', { exact: true }).waitFor();
    expect(await page.getByLabel('Nama pengguna', { exact: true }).count()).toBe(0);
    expect(await page.locator('header .who').count()).toBe(0);
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual([`/api/v1/public/lots/${VILLAGE}/${detail.id}`]);
    expect(sent.every((s) => s.auth === undefined)).toBe(true);
    await fits(page, 'public trace page');
    await page.locator('button.lang').click();
    if (view.producer) await page.getByRole('heading', { name: "The maker's story" }).waitFor();
    await context.close();
  });

  it('gives a buyer their orders and lots, not the packing house', async () => {
    const page = await phone('#/', 'pembeli');
    await page.waitForURL((u) => u.hash === `#/v/${VILLAGE}/orders`);
    await page.locator(`li[data-order-id="${DEMO_ORDER}"]`).waitFor();
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Pesanan', 'Lot']);
    await page.close();
  });
});
