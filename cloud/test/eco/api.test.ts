import { hashSecret } from '@lumbung/runtime';
import type { CsrReportSummary, EcoRecord, EcoSettings, IndicatorsView, Scenario } from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, formatValue } from '../../src/eco/report.ts';
import { seedFromScenario } from '../../src/registry/index.ts';
import { testDatabases } from '../databases.ts';
import { hasPdftotext, pdfText } from '../documents/pdftotext.ts';
import { createFixture, type Fixture } from '../fixture.ts';
import { SUPPLY, seedSupply, userWithRoles } from '../supply/fixture.ts';

const V = 'kel-taman';
const OTHER = 'desa-lain';
const BASE = `/api/v1/villages/${V}`;
type ApiError = { code: string; message: string };

/** The demo village again under another id, its devices renamed: a second village with the same sites. */
function otherVillage(base: Scenario): Scenario {
  return {
    ...base,
    village: { ...base.village, id: OTHER, name: 'Desa Lain' },
    devices: base.devices.map((d) => ({ ...d, id: d.id.replace(/^taman-/, 'lain-') })),
  };
}

/** RFC 4180: fields split on commas outside quotes, "" inside quotes is one quote, records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`indicators and CSR reports API on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const tokens = { csr: '', farmer: '', staff: '', otherCsr: '', bothCsr: '' };
    let report: CsrReportSummary;

    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const other = otherVillage(f.scenario);
      await seedFromScenario(f.registry, other, {
        edgeId: 'box-desa-lain',
        edgeName: 'Kotak Desa Lain',
        edgeSecretHash: hashSecret('x'),
        deviceSecretHashes: Object.fromEntries(other.devices.map((x) => [x.id, hashSecret(x.id)])),
      });
      tokens.csr = (await userWithRoles(f, 'mitra', [{ role: 'csr_partner', villageId: V }])).token;
      tokens.farmer = (await userWithRoles(f, 'petani-uji', [{ role: 'farmer', villageId: V }])).token;
      tokens.staff = (await userWithRoles(f, 'kemas', [{ role: 'packing_staff', villageId: V }])).token;
      tokens.otherCsr = (await userWithRoles(f, 'mitra-lain', [{ role: 'csr_partner', villageId: OTHER }])).token;
      tokens.bothCsr = (
        await userWithRoles(f, 'mitra-dua', [
          { role: 'csr_partner', villageId: V },
          { role: 'csr_partner', villageId: OTHER },
        ])
      ).token;
      await seedSupply(f);
      for (const [id, unitWeightKg] of [
        [SUPPLY.raw.productId, 0.07],
        [SUPPLY.salted.productId, 0.07],
      ] as const) {
        const p = (await f.registry.supply.getProduct(V, id))!;
        await f.registry.supply.upsertProduct({ ...p, unitWeightKg });
      }
    }, 120_000);
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const call = async <T>(o: InjectOptions & { as?: keyof typeof tokens; lang?: string }) => {
      const { as, lang, ...rest } = o;
      const res = await f.app.inject({
        ...rest,
        headers: {
          ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
          ...(lang ? { 'accept-language': lang } : {}),
          ...rest.headers,
        },
      });
      return {
        res,
        status: res.statusCode,
        body: (String(res.headers['content-type'] ?? '').includes('json') ? res.json() : undefined) as T,
      };
    };

    it('lets the CSR partner read the indicators; a farmer is refused, another village’s partner finds nothing', async () => {
      const url = `${BASE}/indicators?from=2026-11-01&to=2026-12-01`;
      const ok = await call<IndicatorsView>({ url, as: 'csr' });
      expect(ok.status).toBe(200);
      expect(ok.body.villages).toEqual([{ id: V, name: 'Kelurahan Taman', gridRegion: 'jamali' }]);
      expect(ok.body.items.find((i) => i.key === 'emissions.scope2_location')?.gri).toEqual(['305-2']);
      expect(ok.body.items.find((i) => i.key === 'programme.revenue')?.value).toBe(300 * 3500);
      expect(ok.body.factorsUsed.map((u) => u.factor.id)).toContain('grid-jamali-2019-ruptl');
      const farmer = await call<ApiError>({ url, as: 'farmer' });
      expect(farmer.status).toBe(403);
      expect(farmer.body.code).toBe('LUMBUNG_ERR_FORBIDDEN');
      const stranger = await call<ApiError>({ url, as: 'otherCsr' });
      expect(stranger.status).toBe(404);
      expect(stranger.body.code).toBe('LUMBUNG_ERR_VILLAGE_NOT_FOUND');
      expect((await call({ url })).status).toBe(401);
      const reversed = await call<ApiError>({ url: `${BASE}/indicators?from=2026-12-01&to=2026-11-01`, as: 'csr' });
      expect(reversed.body.code).toBe('LUMBUNG_ERR_TIME_RANGE');
    });

    it('takes figures from packing-house staff, validates them in both languages, and shows them to the partner', async () => {
      const record = { date: '2026-11-05', kind: 'fuel', source: 'diesel', quantity: 25.5, note: 'Solar genset' };
      const made = await call<EcoRecord>({ method: 'POST', url: `${BASE}/eco/records`, payload: record, as: 'staff' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ ...record, villageId: V, createdBy: 'kemas' });
      await call({
        method: 'POST',
        url: `${BASE}/eco/records`,
        payload: { date: '2026-10-05', kind: 'fuel', source: 'diesel', quantity: 20 },
        as: 'staff',
      });
      const list = await call<EcoRecord[]>({ url: `${BASE}/eco/records?from=2026-11-01&to=2026-12-01`, as: 'csr' });
      expect(list.body.map((r) => r.id)).toEqual([made.body.id]);

      const bad = { date: '2026-11-05', kind: 'fuel', source: 'grid', quantity: 1 };
      const id = await call<ApiError>({ method: 'POST', url: `${BASE}/eco/records`, payload: bad, as: 'staff' });
      expect(id.status).toBe(400);
      expect(id.body.code).toBe('LUMBUNG_ERR_VALIDATION');
      expect(id.body.message).toMatch(/^Permintaan tidak valid: .*source must fit the kind/);
      const en = await call<ApiError>({
        method: 'POST',
        url: `${BASE}/eco/records`,
        payload: { ...bad, source: 'diesel', quantity: -3 },
        as: 'staff',
        lang: 'en',
      });
      expect(en.status).toBe(400);
      expect(en.body.message).toMatch(/^Invalid request: .*quantity/);
      const future = await call<ApiError>({
        method: 'POST',
        url: `${BASE}/eco/records`,
        payload: { ...bad, source: 'diesel', date: '2026-12-24' },
        as: 'staff',
        lang: 'en',
      });
      expect(future.body.message).toMatch(/2026-12-24 is in the future/);
      const partner = await call<ApiError>({ method: 'POST', url: `${BASE}/eco/records`, payload: record, as: 'csr' });
      expect(partner.status).toBe(403);
    });

    it('gives default settings until staff save them; the partner may read them, not change them', async () => {
      const defaults = await call<EcoSettings>({ url: `${BASE}/eco/settings`, as: 'csr' });
      expect(defaults.body).toEqual({
        villageId: V,
        gridRegion: 'jamali', // Jawa Timur
        meterSources: { 'meter-listrik': 'grid', 'meter-air': 'municipal' },
        csrPartnerName: null,
        csrProgrammeName: null,
      });
      const settings = {
        gridRegion: 'jamali',
        meterSources: { 'meter-listrik': 'grid', 'meter-air': 'municipal' },
        csrPartnerName: 'PT Contoh Hijau',
        csrProgrammeName: 'Program Uji Taman',
      };
      expect((await call({ method: 'PUT', url: `${BASE}/eco/settings`, payload: settings, as: 'csr' })).status).toBe(
        403,
      );
      const saved = await call<EcoSettings>({
        method: 'PUT',
        url: `${BASE}/eco/settings`,
        payload: settings,
        as: 'staff',
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toEqual({ villageId: V, ...settings });
      const wrong = await call<ApiError>({
        method: 'PUT',
        url: `${BASE}/eco/settings`,
        payload: { ...settings, meterSources: { 'sawah-a': 'grid' } },
        as: 'staff',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toMatch(/no meter point "sawah-a"/);
    });

    it('makes a report for the partner, once per period', async () => {
      const made = await call<CsrReportSummary>({
        method: 'POST',
        url: `${BASE}/csr/reports`,
        payload: { from: '2026-11-01', to: '2026-12-01' },
        as: 'csr',
      });
      expect(made.status).toBe(201);
      report = made.body;
      expect(report).toMatchObject({
        villageId: V,
        villageIds: [V],
        from: '2026-11-01',
        to: '2026-12-01',
        trigger: 'manual',
        generatedBy: 'mitra',
        partnerName: 'PT Contoh Hijau',
        programmeName: 'Program Uji Taman',
      });
      const revenue = report.headline.find((h) => h.key === 'programme.revenue');
      expect(revenue).toEqual({ key: 'programme.revenue', value: 1_050_000, unit: 'IDR', changePct: null });
      const again = await call<ApiError>({
        method: 'POST',
        url: `${BASE}/csr/reports`,
        payload: { from: '2026-11-01', to: '2026-12-01' },
        as: 'csr',
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('LUMBUNG_ERR_REPORT_EXISTS');
      expect(again.body.message).toBe(
        'Laporan periode 2026-11-01 s.d. 2026-11-30 sudah ada; unduh dari daftar laporan',
      );
      const list = await call<CsrReportSummary[]>({ url: `${BASE}/csr/reports`, as: 'csr' });
      expect(list.body.map((r) => r.id)).toEqual([report.id]);
      expect((await call({ url: `${BASE}/csr/reports`, as: 'farmer' })).status).toBe(403);
      expect((await call({ url: `${BASE}/csr/reports`, as: 'otherCsr' })).status).toBe(404);
    });

    it('makes a joint report only of villages the caller may read (404 for the others)', async () => {
      const payload = { from: '2026-11-01', to: '2026-11-21', villageIds: [OTHER] };
      const refused = await call<ApiError>({ method: 'POST', url: `${BASE}/csr/reports`, payload, as: 'csr' });
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ code: 'LUMBUNG_ERR_VILLAGE_NOT_FOUND' });
      expect(refused.body.message).toContain(OTHER);
      const missing = await call<ApiError>({
        method: 'POST',
        url: `${BASE}/csr/reports`,
        payload: { ...payload, villageIds: ['tidak-ada'] },
        as: 'bothCsr',
      });
      expect(missing.status).toBe(404);
      const joint = await call<CsrReportSummary>({
        method: 'POST',
        url: `${BASE}/csr/reports`,
        payload,
        as: 'bothCsr',
      });
      expect(joint.status).toBe(201);
      expect(joint.body.villageIds).toEqual([V, OTHER]);
      const csv = await call({ url: `${BASE}/csr/reports/${joint.body.id}/report.csv`, as: 'bothCsr' });
      expect(csv.status).toBe(200);
    });

    it('serves the report as a PDF whose text carries the headline numbers as formatted, in the asked language', async () => {
      const url = `${BASE}/csr/reports/${report.id}/report.pdf`;
      const { res, status } = await call({ url, as: 'csr' });
      expect(status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="laporan-csr-kel-taman-2026-11-01-2026-11-30.pdf"',
      );
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect((await call({ url, as: 'farmer' })).status).toBe(403);
      expect((await call({ url, as: 'otherCsr' })).status).toBe(404);
      const missing = await call<ApiError>({ url: `${BASE}/csr/reports/csr-0000/report.pdf`, as: 'csr' });
      expect(missing.body.code).toBe('LUMBUNG_ERR_REPORT_NOT_FOUND');
      if (!hasPdftotext()) return;
      const indicators = (
        await call<IndicatorsView>({ url: `${BASE}/indicators?from=2026-11-01&to=2026-12-01`, as: 'csr' })
      ).body;
      const decimals = (key: string) => indicators.items.find((i) => i.key === key)!.decimals;
      const id = await pdfText(res.rawPayload);
      const en = await pdfText((await call({ url, as: 'csr', lang: 'en' })).res.rawPayload);
      expect(id).toContain('Laporan Lingkungan CSR');
      expect(id).toContain('PT Contoh Hijau');
      expect(id).toContain('Total konsumsi energi');
      expect(en).toContain('Total energy consumption');
      for (const h of report.headline) {
        if (h.value === null) continue;
        expect(id, h.key).toContain(formatValue(h.value, decimals(h.key), 'id'));
        expect(en, h.key).toContain(formatValue(h.value, decimals(h.key), 'en'));
      }
      // Rp 1.050.000 (id) and 1,050,000 (en): the two formats really differ.
      expect(id).toContain('1.050.000');
      expect(en).toContain('1,050,000');
    });

    it('serves the report as CSV: RFC 4180, one row per indicator, values as plain decimals', async () => {
      const { res, status } = await call({ url: `${BASE}/csr/reports/${report.id}/report.csv`, as: 'csr' });
      expect(status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="laporan-csr-kel-taman-2026-11-01-2026-11-30.csv"',
      );
      const rows = parseCsv(res.body);
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      const indicators = (
        await call<IndicatorsView>({ url: `${BASE}/indicators?from=2026-11-01&to=2026-12-01`, as: 'csr' })
      ).body;
      const body = rows.slice(1);
      expect(body.map((r) => r[0])).toEqual(indicators.items.map((i) => i.key));
      for (const r of body) expect(r).toHaveLength(CSV_COLUMNS.length);
      const col = (key: string, name: (typeof CSV_COLUMNS)[number]) =>
        body.find((r) => r[0] === key)![CSV_COLUMNS.indexOf(name)];
      expect(col('programme.revenue', 'value')).toBe('1050000');
      expect(col('fuel.diesel', 'value')).toBe('25.5');
      // October had 20 L of diesel: the change is against the previous calendar month.
      expect(col('fuel.diesel', 'previous')).toBe('20');
      expect(col('fuel.diesel', 'change_pct')).toBe('27.5');
    });
  });
}
