import type {
  CooperativeRecord,
  InspectionRecord,
  LotDetail,
  LotExposure,
  LotRecord,
  LotTrace,
  MovementRecord,
  OrderDetail,
  ProducerRecord,
  ProductRecord,
  PublicLotView,
  ShipmentRecord,
  StockLine,
} from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { lotQrSvg } from '../../src/supply/digital-link.ts';
import { testDatabases } from '../databases.ts';
import { hasPdftotext, pdfText } from '../documents/pdftotext.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';
import { epcisValidator } from './epcis-validator.ts';
import { SUPPLY, seedSupply, userWithRoles } from './fixture.ts';

const V = '/api/v1/villages/kel-taman';
const L = SUPPLY.lots;
const S = SUPPLY.shipments;
type ApiError = { code: string; message: string };

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`supply-chain API on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const tokens: Record<'staff' | 'csr' | 'buyer' | 'coordinator', string> = {
      staff: '',
      csr: '',
      buyer: '',
      coordinator: '',
    };
    const validate = epcisValidator();

    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const v = 'kel-taman';
      tokens.staff = (await userWithRoles(f, 'kemas', [{ role: 'packing_staff', villageId: v }])).token;
      tokens.csr = (await userWithRoles(f, 'mitra', [{ role: 'csr_partner', villageId: v }])).token;
      tokens.coordinator = (await userWithRoles(f, 'koordinator', [{ role: 'kub_coordinator', villageId: v }])).token;
      const buyer = await userWithRoles(f, 'pembeli', [{ role: 'buyer', villageId: v }]);
      tokens.buyer = buyer.token;
      await seedSupply(f, { buyerUserId: buyer.userId });
    }, 120_000);
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const call = async <T>(o: InjectOptions & { as?: keyof typeof tokens }) => {
      const { as, ...rest } = o;
      const token = as ? tokens[as] : f.adminToken;
      const res = await f.app.inject({ ...rest, headers: { authorization: `Bearer ${token}`, ...rest.headers } });
      return {
        status: res.statusCode,
        body: (String(res.headers['content-type']).includes('json') ? res.json() : res.body) as T,
        res,
      };
    };
    const get = <T>(url: string, as?: keyof typeof tokens, headers: Record<string, string> = {}) =>
      call<T>({ method: 'GET', url, headers, ...(as ? { as } : {}) });
    const post = <T>(url: string, payload: object, as?: keyof typeof tokens) =>
      call<T>({ method: 'POST', url, payload, ...(as ? { as } : {}) });
    const put = <T>(url: string, payload: object, as?: keyof typeof tokens) =>
      call<T>({ method: 'PUT', url, payload, ...(as ? { as } : {}) });

    // ── catalogue ──

    it('lists and writes the catalogue: products, cooperatives, producers', async () => {
      const products = await get<ProductRecord[]>(`${V}/products`);
      expect(products.status).toBe(200);
      expect(products.body.map((p) => p.id)).toEqual(['telur-asin', 'telur-bebek']);
      expect(products.body[0]).toMatchObject({ gtin: SUPPLY.salted.gtin, shelfLifeDays: 30, villageId: 'kel-taman' });

      const kerupuk = {
        id: 'kerupuk-udang',
        name: 'Kerupuk udang',
        category: 'makanan',
        unit: 'pack',
        shelfLifeDays: 180,
        storage: { temperatureMin: null, temperatureMax: 30, humidityMin: null, humidityMax: 65 },
      };
      const created = await put<ProductRecord>(`${V}/products/kerupuk-udang`, kerupuk, 'coordinator');
      expect(created.status).toBe(200);
      // Defaults of ProductInput are filled in: no GTIN, AQL 2.5, no minimum shelf life at picking.
      expect(created.body).toMatchObject({ ...kerupuk, gtin: null, aql: 2.5, minRemainingShelfLifeDays: 0 });
      expect((await get<ProductRecord[]>(`${V}/products`)).body.map((p) => p.id)).toContain('kerupuk-udang');

      const coops = await get<CooperativeRecord[]>(`${V}/cooperatives`, 'staff');
      expect(coops.status).toBe(200);
      expect(coops.body).toEqual([expect.objectContaining({ id: SUPPLY.cooperativeId, brand: 'Asin Taman' })]);
      const coop = await put<CooperativeRecord>(
        `${V}/cooperatives/kub-kerupuk`,
        { id: 'kub-kerupuk', name: 'KUB Kerupuk Taman' },
        'coordinator',
      );
      expect(coop.status).toBe(200);
      expect(coop.body.publish.producerPhoto).toBe(true);

      const producers = await get<ProducerRecord[]>(`${V}/producers`);
      expect(producers.body.map((p) => p.id)).toEqual(['bu-ani', 'bu-siti', 'pak-budi']);
      const producer = await put<ProducerRecord>(
        `${V}/producers/bu-rina`,
        {
          id: 'bu-rina',
          name: 'Bu Rina',
          kind: 'umkm',
          cooperativeId: 'kub-kerupuk',
          homeVillageName: 'Kelurahan Taman',
          capacities: [{ productId: 'kerupuk-udang', weeklyCapacity: 200 }],
        },
        'coordinator',
      );
      expect(producer.status).toBe(200);
      expect(producer.body).toMatchObject({ villageId: 'kel-taman', cooperativeId: 'kub-kerupuk' });
    });

    it('refuses catalogue writes that do not hold: id unlike the path, wrong GTIN check digit, unknown product', async () => {
      const body = {
        id: 'lain',
        name: 'x',
        category: 'makanan',
        unit: 'pcs',
        shelfLifeDays: 1,
        storage: { temperatureMin: null, temperatureMax: null, humidityMin: null, humidityMax: null },
      };
      const mismatch = await put<ApiError>(`${V}/products/kerupuk-udang`, body);
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.code).toBe('LUMBUNG_ERR_VALIDATION');
      const gtin = await put<ApiError>(`${V}/products/lain`, { ...body, gtin: '8999999000012' });
      expect(gtin.status).toBe(400);
      expect(gtin.body.message).toMatch(/8999999000012/);
      const producer = await put<ApiError>(`${V}/producers/pak-x`, {
        id: 'pak-x',
        name: 'Pak X',
        kind: 'farmer',
        homeVillageName: 'Taman',
        capacities: [{ productId: 'tidak-ada', weeklyCapacity: 1 }],
      });
      expect(producer.status).toBe(404);
      expect(producer.body.code).toBe('LUMBUNG_ERR_PRODUCT_NOT_FOUND');
      // Packing-house staff keep stock; the catalogue is the coordinator's.
      expect((await put(`${V}/products/lain`, body, 'staff')).status).toBe(403);
    });

    // ── lots ──

    it('lists lots newest production first, with filters', async () => {
      const all = await get<LotRecord[]>(`${V}/lots`);
      expect(all.status).toBe(200);
      expect(all.body.map((l) => l.id)).toEqual([L.loose, L.held, L.second, L.salted, L.raw]);
      const held = await get<LotRecord[]>(`${V}/lots?status=on_hold`);
      expect(held.body.map((l) => [l.id, l.holdReason])).toEqual([[L.held, 'Kemasan retak, periksa ulang']]);
      expect((await get<LotRecord[]>(`${V}/lots?orderId=po-0001`)).body.map((l) => l.id)).toEqual([
        L.held,
        L.second,
        L.salted,
      ]);
      expect((await get<LotRecord[]>(`${V}/lots?productId=telur-bebek`)).body.map((l) => l.id)).toEqual([L.raw]);
      expect((await get<LotRecord[]>(`${V}/lots?producerId=bu-ani`)).body.map((l) => l.id)).toEqual([
        L.loose,
        L.second,
      ]);
      const bad = await get<ApiError>(`${V}/lots?status=rotten`);
      expect(bad.status).toBe(400);
    });

    it('records a lot with a code made from product and date, receives it and lists its movements', async () => {
      const lot = await post<LotRecord>(
        `${V}/lots`,
        { productId: 'telur-asin', producerId: 'bu-ani', quantity: 50, producedOn: '2026-11-20' },
        'staff',
      );
      expect(lot.status).toBe(201);
      // Initials of the product id, the production date, the day's running number; shelf life 30 days.
      expect(lot.body).toMatchObject({ id: 'TA-261120-01', status: 'available', expiresOn: '2026-12-20', unit: 'pcs' });
      const received = await post<MovementRecord>(
        `${V}/stock/movements`,
        { lotId: 'TA-261120-01', kind: 'receive', quantity: 50, toRoomId: SUPPLY.dryRoom, at: NOW - 60_000 },
        'staff',
      );
      expect(received.status).toBe(201);
      expect(received.body).toMatchObject({
        kind: 'receive',
        toRoomId: SUPPLY.dryRoom,
        actorLabel: 'kemas',
        at: NOW - 60_000,
      });
      const moved = await post<MovementRecord>(
        `${V}/stock/movements`,
        { lotId: 'TA-261120-01', kind: 'move', quantity: 20, fromRoomId: SUPPLY.dryRoom, toRoomId: SUPPLY.eggRoom },
        'staff',
      );
      expect(moved.status).toBe(201);
      const list = await get<MovementRecord[]>(`${V}/stock/movements?lotId=TA-261120-01`, 'staff');
      expect(list.body.map((m) => [m.kind, m.quantity])).toEqual([
        ['receive', 50],
        ['move', 20],
      ]);
      const stock = await get<StockLine[]>(`${V}/stock?productId=telur-asin&roomId=${SUPPLY.dryRoom}`, 'staff');
      expect(stock.body.filter((s) => s.lotId === 'TA-261120-01').map((s) => s.quantity)).toEqual([30]);
    });

    it('answers 400 for invalid lots and movements, 404 for unknown lots and products, 409 for a taken code', async () => {
      const bad = await post<ApiError>(`${V}/lots`, {
        id: 'kecil',
        productId: 'telur-asin',
        producerId: 'bu-ani',
        quantity: -1,
        producedOn: '2026-11-20',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('LUMBUNG_ERR_VALIDATION');
      const future = await post<ApiError>(`${V}/lots`, {
        productId: 'telur-asin',
        producerId: 'bu-ani',
        quantity: 1,
        producedOn: '2026-11-21',
      });
      expect(future.status).toBe(400);
      const product = await post<ApiError>(`${V}/lots`, {
        productId: 'rendang',
        producerId: 'bu-ani',
        quantity: 1,
        producedOn: '2026-11-20',
      });
      expect([product.status, product.body.code]).toEqual([404, 'LUMBUNG_ERR_PRODUCT_NOT_FOUND']);
      const taken = await post<ApiError>(`${V}/lots`, {
        id: L.salted,
        productId: 'telur-asin',
        producerId: 'bu-ani',
        quantity: 1,
        producedOn: '2026-11-20',
      });
      expect([taken.status, taken.body.code]).toEqual([409, 'LUMBUNG_ERR_LOT_EXISTS']);
      for (const url of [`${V}/lots/ZZ-000000-99`, `${V}/lots/ZZ-000000-99/exposure`, `${V}/lots/ZZ-000000-99/epcis`]) {
        const res = await get<ApiError>(url);
        expect([res.status, res.body.code], url).toEqual([404, 'LUMBUNG_ERR_LOT_NOT_FOUND']);
      }
      expect((await get<ApiError>(`${V}/lots/ta-kecil`)).status).toBe(400);
      // A move needs two rooms; a receive beyond what the lot holds is refused.
      const move = await post<ApiError>(`${V}/stock/movements`, {
        lotId: L.second,
        kind: 'move',
        quantity: 1,
        toRoomId: SUPPLY.dryRoom,
      });
      expect(move.status).toBe(400);
      const more = await post<ApiError>(`${V}/stock/movements`, {
        lotId: L.loose,
        kind: 'receive',
        quantity: 1,
        toRoomId: SUPPLY.dryRoom,
      });
      expect(more.status).toBe(400);
      const insufficient = await post<ApiError>(`${V}/stock/movements`, {
        lotId: L.loose,
        kind: 'dispose',
        quantity: 101,
        fromRoomId: SUPPLY.dryRoom,
        reason: 'pecah',
      });
      expect([insufficient.status, insufficient.body.code]).toEqual([409, 'LUMBUNG_ERR_INSUFFICIENT_STOCK']);
    });

    it('gives a lot with its stock, inspections, exposure and Digital Link', async () => {
      const { status, body } = await get<LotDetail>(`${V}/lots/${L.salted}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: L.salted,
        productName: 'Telur asin',
        producerName: 'Bu Siti',
        onHand: 300,
        stock: [{ roomId: SUPPLY.eggRoom, quantity: 300, since: SUPPLY.storedAt }],
        expiresOn: '2026-12-16',
        daysToExpiry: 26,
        inputs: [{ lotId: L.raw, quantity: 500 }],
      });
      expect(body.inspections.map((i) => i.result)).toEqual(['conformant']);
      expect(body.exposure?.stays.map((s) => s.roomId)).toEqual([SUPPLY.eggRoom]);
      // GS1 Digital Link on the address the request came to: GTIN as 14 digits, then the lot (AI 10).
      expect(body.digitalLink).toBe(`http://localhost/01/${SUPPLY.salted.gtin14}/10/${L.salted}`);
      const raw = await get<LotDetail>(`${V}/lots/${L.raw}`);
      expect(raw.body.digitalLink).toBe(`http://localhost/lot/kel-taman/${L.raw}`);
      expect(raw.body.exposure).toBeNull();
    });

    it('computes storage exposure from the egg room’s readings in the store: 90 min at 35 °C against a 30 °C maximum', async () => {
      // The simulator's own egg-room readings (the fixture's history) stay inside the spec, so every minute
      // outside it is one of the 90 written by seedSupply.
      const simulated = f.readings.filter((r) => r.deviceId === 'taman-th-telur' && r.metric === 'air_temperature');
      expect(Math.min(...simulated.map((r) => r.ts))).toBeGreaterThanOrEqual(SUPPLY.historyFrom);
      expect(Math.max(...simulated.map((r) => r.value))).toBeLessThan(30);
      const { status, body } = await get<LotExposure>(`${V}/lots/${L.salted}/exposure`);
      expect(status).toBe(200);
      expect(body.spec.temperatureMax).toBe(30);
      expect(body.stays).toHaveLength(1);
      const stay = body.stays[0]!;
      expect(stay).toMatchObject({ roomId: SUPPLY.eggRoom, roomName: 'Ruang telur', from: SUPPLY.storedAt, to: null });
      expect(stay.temperature?.outsideMs).toBe(SUPPLY.excursionMs);
      expect(stay.temperature?.excursions).toBe(1);
      expect(stay.temperature?.max).toBe(35);
      expect(stay.noDataMs).toBe(0);
      expect(body.total.temperatureOutsideMs).toBe(SUPPLY.excursionMs);
      expect(body.total.maxTemperature).toBe(35);
      // One excursion over an hour asks for an inspection; 90 min in total is under the 2 h total limit.
      expect(body.inspect).toBe(true);
      expect(body.reasons).toEqual(['temperature_excursion_long']);
      // Lots that never sat in the egg room during the excursion are clear.
      const second = await get<LotExposure>(`${V}/lots/${L.second}/exposure`);
      expect(second.body.total.temperatureOutsideMs).toBe(0);
      expect(second.body.inspect).toBe(false);
    });

    it('warns of the exposure and of stock near expiry', async () => {
      const w = await get<{ expiring: StockLine[]; exposure: { lotId: string; reasons: string[] }[] }>(
        `${V}/stock/warnings?days=30`,
        'staff',
      );
      expect(w.status).toBe(200);
      expect(w.body.exposure).toEqual([{ lotId: L.salted, reasons: ['temperature_excursion_long'] }]);
      expect(w.body.expiring.map((s) => s.lotId)).toContain(L.salted);
      const week = await get<{ expiring: StockLine[] }>(`${V}/stock/warnings`, 'staff');
      expect(week.body.expiring).toEqual([]);
    });

    it('lists stock earliest expiry first and suggests FEFO picks that skip held lots', async () => {
      const stock = await get<StockLine[]>(`${V}/stock?productId=telur-asin`, 'staff');
      expect(stock.status).toBe(200);
      expect(stock.body.map((s) => [s.lotId, s.roomId, s.quantity])).toEqual([
        [L.salted, SUPPLY.eggRoom, 300],
        [L.second, SUPPLY.eggRoom, 200],
        [L.held, SUPPLY.eggRoom, 200],
        [L.loose, SUPPLY.eggRoom, 100],
        ['TA-261120-01', SUPPLY.dryRoom, 30],
        ['TA-261120-01', SUPPLY.eggRoom, 20],
      ]);
      const picks = await get<{
        picks: { lotId: string; quantity: number }[];
        short: number;
        skipped: { lotId: string; reason: string }[];
      }>(`${V}/stock/pick-suggestions?productId=telur-asin&quantity=550`, 'staff');
      expect(picks.status).toBe(200);
      expect(picks.body.picks.map((p) => [p.lotId, p.quantity])).toEqual([
        [L.salted, 300],
        [L.second, 200],
        [L.loose, 50],
      ]);
      expect(picks.body.short).toBe(0);
      expect(picks.body.skipped).toEqual([{ lotId: L.held, roomId: SUPPLY.eggRoom, reason: 'status' }]);
      expect((await get(`${V}/stock/pick-suggestions?productId=telur-asin`, 'staff')).status).toBe(400);
    });

    it('traces a lot backward to what it was made from and forward to who received it', async () => {
      const back = await get<LotTrace>(`${V}/lots/${L.salted}/trace?direction=backward`);
      expect(back.status).toBe(200);
      expect(back.body.nodes.map((n) => [n.lotId, n.depth])).toEqual([
        [L.salted, 0],
        [L.raw, 1],
      ]);
      expect(back.body.edges).toEqual([{ from: L.raw, to: L.salted, quantity: 500 }]);
      expect(back.body.nodes[0]?.stays[0]?.temperature?.max).toBe(35);
      const forward = await get<LotTrace>(`${V}/lots/${L.raw}/trace?direction=forward`);
      expect(forward.body.nodes.map((n) => [n.lotId, n.depth])).toEqual([
        [L.raw, 0],
        [L.salted, 1],
      ]);
      expect(forward.body.edges).toEqual([{ from: L.raw, to: L.salted, quantity: 500 }]);
      expect(forward.body.shipments).toEqual([
        expect.objectContaining({
          shipmentId: S.dispatched,
          orderId: 'po-0001',
          status: 'dispatched',
          lots: [{ lotId: L.salted, quantity: 200 }],
        }),
      ]);
      expect(forward.body.buyers).toEqual([SUPPLY.buyers.main]);
      expect((await get(`${V}/lots/${L.raw}/trace?direction=sideways`)).status).toBe(400);
    });

    it('exports EPCIS 2.0 documents that pass GS1’s schema: inputs, stays with conditions, inspection, shipment, hold', async () => {
      const res = await get<Record<string, unknown>>(`${V}/lots/${L.salted}/epcis`);
      expect(res.status).toBe(200);
      expect(res.res.headers['content-type']).toMatch(/^application\/ld\+json/);
      expect(validate(res.body).errors).toEqual([]);
      const events = (res.body.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
      const text = JSON.stringify(events);
      // Identifiers are GS1 Digital Links on id.gs1.org for the GTIN product, the platform's URL without one.
      expect(text).toContain(`https://id.gs1.org/01/${SUPPLY.salted.gtin14}/10/${L.salted}`);
      const step = (s: string) => events.filter((e) => e.bizStep === s);
      // The raw eggs went into the salted eggs: a transformation with the 500 eggs of RAW as input.
      expect(events.filter((e) => e.type === 'TransformationEvent')).toEqual([
        expect.objectContaining({
          inputQuantityList: [{ epcClass: `http://localhost/lot/kel-taman/${L.raw}`, quantity: 500 }],
        }),
      ]);
      expect(step('commissioning').length).toBeGreaterThanOrEqual(2);
      // The stay in the egg room reports the readings of the store, the excursion's 35 °C among them.
      const storing = step('storing');
      expect(storing).toHaveLength(1);
      const report = (storing[0]!.sensorElementList as { sensorReport: Record<string, unknown>[] }[])[0]!.sensorReport;
      expect(report[0]).toMatchObject({ type: 'Temperature', minValue: 12, maxValue: 35, uom: 'CEL' });
      expect(step('inspecting')).toEqual([expect.objectContaining({ disposition: 'conformant' })]);
      expect(step('shipping')).toEqual([
        expect.objectContaining({ quantityList: [expect.objectContaining({ quantity: 200 })] }),
      ]);
      const held = await get<{ epcisBody: { eventList: Record<string, unknown>[] } }>(`${V}/lots/${L.held}/epcis`);
      expect(validate(held.body).errors).toEqual([]);
      expect(held.body.epcisBody.eventList.filter((e) => e.bizStep === 'holding')).toEqual([
        expect.objectContaining({ disposition: 'non_sellable_other', 'lumbung:holdReason': 'manual' }),
      ]);
      const raw = await get<Record<string, unknown>>(`${V}/lots/${L.raw}/epcis`);
      expect(validate(raw.body).errors).toEqual([]);
    });

    it('serves the label QR code of the lot’s Digital Link as SVG', async () => {
      const res = await get<string>(`${V}/lots/${L.salted}/qr.svg`, 'staff');
      expect(res.status).toBe(200);
      expect(res.res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.res.body).toBe(await lotQrSvg(`http://localhost/01/${SUPPLY.salted.gtin14}/10/${L.salted}`));
    });

    it('uses LUMBUNG_PUBLIC_URL, when set, for Digital Links whatever address a request came to', async () => {
      const app = await buildApp({
        auth: f.auth,
        registry: f.registry,
        store: f.store,
        telemetry: f.telemetry,
        live: f.live,
        catalogue: (await import('@lumbung/schemas')).defaultCatalogue,
        version: 'test',
        now: () => NOW,
        publicUrl: 'https://lumbung.example.id/',
      });
      try {
        const res = await app.inject({
          url: `${V}/lots/${L.salted}`,
          headers: { authorization: `Bearer ${f.adminToken}`, host: '10.0.0.5:8080' },
        });
        expect(res.json().digitalLink).toBe(`https://lumbung.example.id/01/${SUPPLY.salted.gtin14}/10/${L.salted}`);
      } finally {
        await app.close();
      }
      await expect(
        buildApp({
          registry: f.registry,
          store: f.store,
          telemetry: f.telemetry,
          live: f.live,
          catalogue: (await import('@lumbung/schemas')).defaultCatalogue,
          version: 'test',
          publicUrl: 'ftp://lumbung.example.id',
        }),
      ).rejects.toThrow(/baseUrl/);
    });

    it('gives the ISO 2859-1 plan: lot of 500 at AQL 2.5 is code letter H, n = 50, Ac 3, Re 4 (ISO 2859-1 Tables 1 and 2-A)', async () => {
      const plan = await get<Record<string, unknown>>(`${V}/sampling-plan?lotSize=500&aql=2.5`, 'staff');
      expect(plan.status).toBe(200);
      expect(plan.body).toEqual({
        codeLetter: 'H',
        planCodeLetter: 'H',
        sampleSize: 50,
        acceptNumber: 3,
        rejectNumber: 4,
        aql: 2.5,
        level: 'II',
        lotSize: 500,
        wholeLot: false,
      });
      expect((await get(`${V}/sampling-plan?lotSize=500&aql=3`)).status).toBe(400);
      expect((await get(`${V}/sampling-plan?lotSize=0&aql=2.5`)).status).toBe(400);
    });

    it('records inspections; a non-conformant result puts the lot on hold, and release takes it off', async () => {
      const ok = await post<InspectionRecord>(`${V}/lots/TA-261120-01/inspections`, { defects: 0 }, 'staff');
      expect(ok.status).toBe(201);
      // 50 pcs at AQL 2.5: code letter D (26-50), whose Table 2-A cell is an up arrow to C: n = 5, Ac 0, Re 1
      // (ISO 2859-1:1999 Tables 1 and 2-A); two defects in the sample fail it.
      expect(ok.body).toMatchObject({
        result: 'conformant',
        codeLetter: 'C',
        sampleSize: 5,
        acceptNumber: 0,
        rejectNumber: 1,
        inspector: 'kemas',
      });
      const bad = await post<InspectionRecord>(
        `${V}/lots/TA-261120-01/inspections`,
        { defects: 2, notes: 'Bau' },
        'staff',
      );
      expect(bad.body.result).toBe('non_conformant');
      expect((await get<LotRecord>(`${V}/lots/TA-261120-01`)).body).toMatchObject({
        status: 'on_hold',
        holdReason: 'inspection',
      });
      const released = await post<LotRecord>(`${V}/lots/TA-261120-01/release`, {}, 'staff');
      expect(released.status).toBe(200);
      expect(released.body.status).toBe('available');
      const again = await post<ApiError>(`${V}/lots/TA-261120-01/release`, {}, 'staff');
      expect([again.status, again.body.code]).toEqual([409, 'LUMBUNG_ERR_CONFLICT']);
      expect((await post(`${V}/lots/TA-261120-01/inspections`, { defects: -1 }, 'staff')).status).toBe(400);
      const held = await post<LotRecord>(`${V}/lots/TA-261120-01/hold`, { reason: 'Cek label' }, 'staff');
      expect(held.body).toMatchObject({ status: 'on_hold', holdReason: 'Cek label' });
      expect((await post(`${V}/lots/TA-261120-01/hold`, {}, 'staff')).status).toBe(400);
    });

    // ── orders and shipments ──

    it('takes a bulk order and splits it among members by largest remainder over their capacity', async () => {
      const res = await post<OrderDetail>(
        `${V}/orders`,
        {
          cooperativeId: SUPPLY.cooperativeId,
          buyerName: 'Koperasi Pegawai Madiun',
          productId: 'telur-asin',
          quantity: 1000,
          dueDate: '2026-12-10',
          pricePerUnit: 3600,
        },
        'coordinator',
      );
      expect(res.status).toBe(201);
      // 18 days left after 2 packing days: Bu Siti can make 700 × 18/7 = 1800, Bu Ani 900. Shares of 1000:
      // 666.67 and 333.33; the one pack left over goes to the larger remainder. Members in id order.
      expect(res.body).toMatchObject({ id: 'po-0003', status: 'open', valueIdr: 3_600_000, unit: 'pcs' });
      expect(res.body.allocations).toEqual([
        { producerId: 'bu-ani', quota: 333, adjusted: false },
        { producerId: 'bu-siti', quota: 667, adjusted: false },
      ]);
      const adjusted = await put<OrderDetail>(
        `${V}/orders/po-0003/allocation`,
        {
          allocations: [
            { producerId: 'bu-siti', quota: 600 },
            { producerId: 'bu-ani', quota: 333 },
          ],
        },
        'coordinator',
      );
      expect(adjusted.status).toBe(200);
      expect(adjusted.body.allocations).toEqual([
        { producerId: 'bu-siti', quota: 600, adjusted: true },
        { producerId: 'bu-ani', quota: 333, adjusted: false },
      ]);
      const over = await put<ApiError>(
        `${V}/orders/po-0003/allocation`,
        { allocations: [{ producerId: 'bu-siti', quota: 1001 }] },
        'coordinator',
      );
      expect(over.status).toBe(400);
      const again = await post<OrderDetail>(`${V}/orders/po-0003/allocate`, {}, 'coordinator');
      expect(again.body.allocations.map((a) => [a.producerId, a.quota, a.adjusted])).toEqual([
        ['bu-ani', 333, false],
        ['bu-siti', 667, false],
      ]);
      const one = await get<OrderDetail>(`${V}/orders/po-0003`, 'staff');
      expect(one.body.buyerName).toBe('Koperasi Pegawai Madiun');
      const list = await get<OrderDetail[]>(`${V}/orders`, 'staff');
      expect(list.body.map((o) => o.id)).toEqual(['po-0001', 'po-0003', 'po-0002']);
      const main = list.body[0]!;
      expect(main.totals).toMatchObject({ shipped: 300, packed: 300 });
      expect(main.status).toBe('in_production');
    });

    it('refuses orders to people without order.manage, and unknown or invalid orders', async () => {
      const body = {
        cooperativeId: SUPPLY.cooperativeId,
        buyerName: 'x',
        productId: 'telur-asin',
        quantity: 10,
        dueDate: '2026-12-10',
        pricePerUnit: 1,
      };
      const staff = await post<ApiError>(`${V}/orders`, body, 'staff');
      expect([staff.status, staff.body.code]).toEqual([403, 'LUMBUNG_ERR_FORBIDDEN']);
      expect((await post(`${V}/orders`, { ...body, quantity: 0.5 }, 'coordinator')).status).toBe(400);
      expect((await post(`${V}/orders`, { ...body, dueDate: '2026-11-20' }, 'coordinator')).status).toBe(400);
      const unknown = await get<ApiError>(`${V}/orders/po-9999`);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'LUMBUNG_ERR_ORDER_NOT_FOUND']);
      const coop = await post<ApiError>(`${V}/orders`, { ...body, cooperativeId: 'kub-lain' }, 'coordinator');
      expect([coop.status, coop.body.code]).toEqual([404, 'LUMBUNG_ERR_COOPERATIVE_NOT_FOUND']);
    });

    it('picks lots into a shipment, dispatches and delivers it', async () => {
      const created = await post<ShipmentRecord>(
        `${V}/shipments`,
        { orderId: 'po-0003', destination: 'Madiun' },
        'staff',
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'po-0003-k1', status: 'preparing', lines: [] });
      const picked = await post<ShipmentRecord>(
        `${V}/shipments/po-0003-k1/picks`,
        { lotId: L.second, roomId: SUPPLY.eggRoom, quantity: 50 },
        'staff',
      );
      expect(picked.status).toBe(200);
      expect(picked.body.lines).toEqual([{ lotId: L.second, roomId: SUPPLY.eggRoom, quantity: 50 }]);
      const dispatched = await post<ShipmentRecord>(`${V}/shipments/po-0003-k1/dispatch`, {}, 'staff');
      expect(dispatched.body).toMatchObject({ status: 'dispatched', dispatchedAt: NOW });
      const delivered = await post<ShipmentRecord>(`${V}/shipments/po-0003-k1/deliver`, {}, 'staff');
      expect(delivered.body).toMatchObject({ status: 'delivered', deliveredAt: NOW });
      expect((await get<ShipmentRecord>(`${V}/shipments/po-0003-k1`)).body.status).toBe('delivered');
      const list = await get<ShipmentRecord[]>(`${V}/shipments?orderId=po-0003`);
      expect(list.body.map((s) => s.id)).toEqual(['po-0003-k1']);
      const all = await get<ShipmentRecord[]>(`${V}/shipments`);
      expect(all.body.map((s) => s.id).sort()).toEqual([S.dispatched, S.preparing, S.other, 'po-0003-k1'].sort());
    });

    it('refuses picks of held and recalled lots, beyond stock, into a dispatched shipment; and wrong state changes (409)', async () => {
      const pick = (shipmentId: string, lotId: string, quantity: number) =>
        post<ApiError>(`${V}/shipments/${shipmentId}/picks`, { lotId, roomId: SUPPLY.eggRoom, quantity }, 'staff');
      const held = await pick(S.preparing, L.held, 10);
      expect([held.status, held.body.code]).toEqual([409, 'LUMBUNG_ERR_LOT_BLOCKED']);
      const recall = await post<{ affectedLots: string[] }>(
        `${V}/lots/${L.loose}/recall`,
        { reason: 'Garam terlalu sedikit' },
        'coordinator',
      );
      expect(recall.body.affectedLots).toEqual([L.loose]);
      const recalled = await post<ApiError>(
        `${V}/shipments/${S.preparing}/picks`,
        { lotId: L.loose, roomId: SUPPLY.eggRoom, quantity: 10 },
        'staff',
      );
      expect([recalled.status, recalled.body.code]).toEqual([409, 'LUMBUNG_ERR_LOT_BLOCKED']);
      const beyond = await pick(S.preparing, L.second, 1000);
      expect([beyond.status, beyond.body.code]).toEqual([409, 'LUMBUNG_ERR_INSUFFICIENT_STOCK']);
      const closed = await pick(S.dispatched, L.second, 1);
      expect([closed.status, closed.body.code]).toEqual([409, 'LUMBUNG_ERR_CONFLICT']);
      const twice = await post<ApiError>(`${V}/shipments/${S.dispatched}/dispatch`, {}, 'staff');
      expect([twice.status, twice.body.code]).toEqual([409, 'LUMBUNG_ERR_CONFLICT']);
      const early = await post<ApiError>(`${V}/shipments/${S.preparing}/deliver`, {}, 'staff');
      expect([early.status, early.body.code]).toEqual([409, 'LUMBUNG_ERR_CONFLICT']);
      const empty = await post<ApiError>(`${V}/shipments/${S.preparing}/dispatch`, {}, 'staff');
      expect([empty.status, empty.body.code]).toEqual([409, 'LUMBUNG_ERR_CONFLICT']);
      const unknown = await pick('po-0001-k9', L.second, 1);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'LUMBUNG_ERR_SHIPMENT_NOT_FOUND']);
      const noLot = await pick(S.preparing, 'ZZ-000000-99', 1);
      expect([noLot.status, noLot.body.code]).toEqual([404, 'LUMBUNG_ERR_LOT_NOT_FOUND']);
      expect((await pick(S.preparing, L.second, -5)).status).toBe(400);
      // Nothing left the room through the refused picks.
      const stock = await get<StockLine[]>(`${V}/stock?productId=telur-asin&roomId=${SUPPLY.eggRoom}`, 'staff');
      expect(stock.body.find((s) => s.lotId === L.second)?.quantity).toBe(150);
    });

    it('prints the dispatch note as PDF with every lot of the shipment, in the language asked for', async () => {
      if (!hasPdftotext()) return;
      const id = await get<string>(`${V}/shipments/${S.dispatched}/dispatch-note.pdf`, 'staff');
      expect(id.status).toBe(200);
      expect(id.res.headers['content-type']).toBe('application/pdf');
      expect(id.res.headers['content-disposition']).toBe(`attachment; filename="surat-jalan-${S.dispatched}.pdf"`);
      const text = await pdfText(id.res.rawPayload);
      for (const lotId of [L.salted, L.second]) expect(text).toContain(lotId);
      expect(text).toContain(SUPPLY.buyers.main);
      expect(text).toContain('Lot yang dikirim');
      const en = await get<string>(`${V}/shipments/${S.dispatched}/dispatch-note.pdf`, 'staff', {
        'accept-language': 'en',
      });
      const enText = await pdfText(en.res.rawPayload);
      expect(enText).toContain('Lots shipped');
      for (const lotId of [L.salted, L.second]) expect(enText).toContain(lotId);
      expect((await get(`${V}/shipments/po-0001-k9/dispatch-note.pdf`)).status).toBe(404);
    });

    // ── recall ──

    it('recalls a lot: what was made from it goes on hold, the buyers who got it are listed, the audit log has it', async () => {
      const res = await post<{
        lotId: string;
        affectedLots: string[];
        buyers: string[];
        shipments: { shipmentId: string }[];
      }>(`${V}/lots/${L.raw}/recall`, { reason: 'Bebek sakit di kandang' }, 'coordinator');
      expect(res.status).toBe(200);
      expect(res.body.affectedLots).toEqual([L.raw, L.salted]);
      expect(res.body.buyers).toEqual([SUPPLY.buyers.main]);
      expect(res.body.shipments.map((s) => s.shipmentId)).toEqual([S.dispatched]);
      expect((await get<LotRecord>(`${V}/lots/${L.raw}`)).body.status).toBe('recalled');
      expect((await get<LotRecord>(`${V}/lots/${L.salted}`)).body).toMatchObject({
        status: 'on_hold',
        holdReason: `recall ${L.raw}: Bebek sakit di kandang`,
      });
      const audit = await get<
        { action: string; actor: string; targetId: string; details: { affectedLots: string[] } }[]
      >(`${V}/audit?action=lot.recalled`);
      // Both recalls happened at the fixture's NOW: their order in the log is not defined.
      expect(audit.body.map((e) => [e.actor, e.targetId]).sort()).toEqual([
        ['koordinator', L.loose],
        ['koordinator', L.raw],
      ]);
      expect(audit.body.find((e) => e.targetId === L.raw)?.details.affectedLots).toEqual([L.raw, L.salted]);
      // The hold shows in the salted eggs' EPCIS history, which still passes the schema.
      const epcis = await get<Record<string, unknown>>(`${V}/lots/${L.salted}/epcis`);
      expect(validate(epcis.body).errors).toEqual([]);
      const events = (epcis.body.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
      expect(events.filter((e) => e.bizStep === 'holding').map((e) => e['lumbung:holdReason'])).toEqual(['recall']);
      // Packing-house staff may not recall.
      expect((await post(`${V}/lots/${L.second}/recall`, { reason: 'x' }, 'staff')).status).toBe(403);
      expect((await post(`${V}/lots/${L.second}/recall`, {}, 'coordinator')).status).toBe(400);
    });

    // ── who sees what ──

    it('gives a CSR partner no lots, stock or orders (403)', async () => {
      for (const url of [`${V}/lots`, `${V}/lots/${L.salted}`, `${V}/stock`, `${V}/orders`, `${V}/products`]) {
        const res = await get<ApiError>(url, 'csr');
        expect([res.status, res.body.code], url).toEqual([403, 'LUMBUNG_ERR_FORBIDDEN']);
      }
    });

    it('shows a buyer their own order, its lots and what they were made from, and nothing else', async () => {
      const orders = await get<OrderDetail[]>(`${V}/orders`, 'buyer');
      expect(orders.status).toBe(200);
      expect(orders.body.map((o) => o.id)).toEqual(['po-0001']);
      expect((await get(`${V}/orders/po-0001`, 'buyer')).status).toBe(200);
      const other = await get<ApiError>(`${V}/orders/po-0002`, 'buyer');
      expect([other.status, other.body.code]).toEqual([404, 'LUMBUNG_ERR_ORDER_NOT_FOUND']);
      const lots = await get<LotRecord[]>(`${V}/lots`, 'buyer');
      expect(lots.body.map((l) => l.id)).toEqual([L.held, L.second, L.salted, L.raw]);
      for (const lotId of [L.loose, 'TA-261120-01', 'ZZ-000000-99']) {
        const res = await get<ApiError>(`${V}/lots/${lotId}`, 'buyer');
        expect([res.status, res.body.code], lotId).toEqual([404, 'LUMBUNG_ERR_LOT_NOT_FOUND']);
        expect((await get(`${V}/lots/${lotId}/epcis`, 'buyer')).status).toBe(404);
      }
      expect((await get(`${V}/lots/${L.raw}`, 'buyer')).status).toBe(200);
      const epcis = await get<Record<string, unknown>>(`${V}/lots/${L.salted}/epcis`, 'buyer');
      expect(validate(epcis.body).errors).toEqual([]);
      const shipments = await get<ShipmentRecord[]>(`${V}/shipments`, 'buyer');
      expect(shipments.body.map((s) => s.id).sort()).toEqual([S.dispatched, S.preparing].sort());
      const theirs = await get<ApiError>(`${V}/shipments/${S.other}`, 'buyer');
      expect([theirs.status, theirs.body.code]).toEqual([404, 'LUMBUNG_ERR_SHIPMENT_NOT_FOUND']);
      for (const url of [`${V}/stock`, `${V}/stock/warnings`, `${V}/stock/movements`]) {
        const res = await get<ApiError>(url, 'buyer');
        expect([res.status, res.body.code], url).toEqual([403, 'LUMBUNG_ERR_FORBIDDEN']);
      }
      // Buyers read; they neither record lots nor take orders.
      expect((await post(`${V}/lots/${L.salted}/hold`, { reason: 'x' }, 'buyer')).status).toBe(403);
    });

    it('keeps other buyers out of a buyer’s forward trace', async () => {
      // A second order's shipment carrying a lot made from the same raw eggs would name another buyer.
      const trace = await get<LotTrace>(`${V}/lots/${L.raw}/trace?direction=forward`, 'buyer');
      expect(trace.status).toBe(200);
      expect(trace.body.buyers).toEqual([SUPPLY.buyers.main]);
      const admin = await get<LotTrace>(`${V}/lots/${L.second}/trace?direction=forward`);
      expect(admin.body.buyers).toEqual(['Koperasi Pegawai Madiun', SUPPLY.buyers.main]);
      const buyer = await get<LotTrace>(`${V}/lots/${L.second}/trace?direction=forward`, 'buyer');
      expect(buyer.body.buyers).toEqual([SUPPLY.buyers.main]);
      expect(buyer.body.shipments.map((s) => s.shipmentId)).toEqual([S.dispatched]);
    });

    // ── public ──

    it('shows the public what the cooperative publishes, and hides the rest', async () => {
      const res = await f.app.inject({ url: `/api/v1/public/lots/kel-taman/${L.second}` });
      expect(res.statusCode).toBe(200);
      const view = res.json() as PublicLotView;
      expect(view).toMatchObject({
        lotId: L.second,
        product: { name: 'Telur asin', nameEn: 'Salted duck eggs' },
        cooperative: { name: 'KUB Telur Asin Taman', brand: 'Asin Taman' },
        producer: { name: 'Bu Ani', village: 'Desa Sukamaju' },
        producedOn: '2026-11-17',
        inspection: { result: 'conformant' },
        digitalLink: `http://localhost/01/${SUPPLY.salted.gtin14}/10/${L.second}`,
      });
      expect(view.storage?.rooms.map((r) => r.name)).toEqual(['Ruang telur']);
      // The photo is not published.
      expect(view.producer).not.toHaveProperty('photoUrl');
      const siti = (await f.app.inject({ url: `/api/v1/public/lots/kel-taman/${L.salted}` })).json() as PublicLotView;
      expect(siti.producer?.story).toMatch(/abu gosok/);
      expect(JSON.stringify(siti)).not.toContain('foto.example.id');

      const coop = (await get<CooperativeRecord[]>(`${V}/cooperatives`)).body.find(
        (c) => c.id === SUPPLY.cooperativeId,
      )!;
      const none = Object.fromEntries(Object.keys(coop.publish).map((k) => [k, false]));
      expect((await put(`${V}/cooperatives/${coop.id}`, { ...coop, publish: none }, 'coordinator')).status).toBe(200);
      try {
        const bare = (await f.app.inject({ url: `/api/v1/public/lots/kel-taman/${L.salted}` })).json() as PublicLotView;
        expect(Object.keys(bare).sort()).toEqual(
          ['cooperative', 'digitalLink', 'expiresOn', 'lotId', 'product', 'status', 'villageId'].sort(),
        );
        expect(JSON.stringify(bare)).not.toMatch(/Bu Siti|abu gosok|Ruang telur|2026-11-16/);
      } finally {
        await put(`${V}/cooperatives/${coop.id}`, coop, 'coordinator');
      }
      const missing = await f.app.inject({ url: '/api/v1/public/lots/kel-taman/ZZ-000000-99' });
      expect([missing.statusCode, missing.json().code]).toEqual([404, 'LUMBUNG_ERR_LOT_NOT_FOUND']);
      const village = await f.app.inject({ url: `/api/v1/public/lots/desa-entah/${L.salted}` });
      expect([village.statusCode, village.json().code]).toEqual([404, 'LUMBUNG_ERR_LOT_NOT_FOUND']);
    });

    it('redirects the Digital Links of the QR codes to the dashboard’s trace page', async () => {
      const gtin = await f.app.inject({ url: `/01/${SUPPLY.salted.gtin14}/10/${L.salted}?linkType=gs1:traceability` });
      expect(gtin.statusCode).toBe(302);
      expect(gtin.headers.location).toBe(`/#/trace/kel-taman/${L.salted}`);
      // The GTIN-13 as printed under the barcode names the same trade item (GS1 Digital Link pads it to 14).
      const short = await f.app.inject({ url: `/01/${SUPPLY.salted.gtin}/10/${L.second}` });
      expect([short.statusCode, short.headers.location]).toEqual([302, `/#/trace/kel-taman/${L.second}`]);
      const platform = await f.app.inject({ url: `/lot/kel-taman/${L.raw}` });
      expect([platform.statusCode, platform.headers.location]).toEqual([302, `/#/trace/kel-taman/${L.raw}`]);
      const check = await f.app.inject({ url: `/01/8999999000012/10/${L.salted}` });
      expect([check.statusCode, check.json().code]).toEqual([400, 'LUMBUNG_ERR_VALIDATION']);
      for (const url of [
        `/01/${SUPPLY.salted.gtin14}/10/ZZ-000000-99`,
        `/01/${SUPPLY.salted.gtin14}/10/${L.raw}`,
        '/lot/kel-taman/ZZ-000000-99',
      ])
        expect((await f.app.inject({ url })).statusCode, url).toBe(404);
    });
  });
}
