import { hashSecret } from '@lumbung/runtime';
import type { Scenario } from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcoService } from '../src/eco/service.ts';
import { seedFromScenario } from '../src/registry/index.ts';
import { testDatabases } from './databases.ts';
import { createFixture, type Fixture, NOW } from './fixture.ts';
import { SUPPLY, seedSupply } from './supply/fixture.ts';

/**
 * Per-village isolation, proven over the whole API: every route in the OpenAPI document is called by a
 * village admin of Kelurahan Taman (who may do everything there) against the other village's resources,
 * reading and writing, and must answer 403 or 404; without a token every village route answers 401. A
 * route added without a sample below makes this test fail, so no route escapes it.
 */

/** Routes anyone may call (no village data): health, the metric catalogue, sign-in, provisioning, docs. */
const PUBLIC = [
  /^GET \/api\/v1\/health$/,
  /^GET \/api\/v1\/metrics$/,
  /^POST \/api\/v1\/auth\/(login|refresh|otp\/request|otp\/verify)$/,
  /^(GET|POST) \/api\/v1\/provisioning\//,
  // What a lot's cooperative publishes for anyone who scans its QR code (issue 5).
  /^GET \/api\/v1\/public\/lots\/\{villageId\}\/\{lotId\}$/,
];
/** Routes for any signed-in user that are not about one village (their answers are checked below). */
const PERSONAL = [
  /^GET \/api\/v1\/villages$/,
  /^GET \/api\/v1\/auth\/me$/,
  /^POST \/api\/v1\/auth\/logout$/,
  /^(GET|POST) \/api\/v1\/auth\/tokens$/,
  /^POST \/api\/v1\/auth\/tokens\/\{tokenId\}\/revoke$/,
];

/** Request bodies that pass validation, so that the access check (not the validator) answers. */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/villages/{villageId}/alerts/{alertId}/acknowledge': { by: 'x' },
  'POST /api/v1/villages/{villageId}/alerts/{alertId}/resolve': { by: 'x' },
  'POST /api/v1/villages/{villageId}/devices': {
    id: 'lain-baru-01',
    family: 'soil_probe',
    siteId: 'sawah-a',
    intervalSeconds: 900,
  },
  'POST /api/v1/villages/{villageId}/devices/{deviceId}/rotate': {},
  'POST /api/v1/villages/{villageId}/users': { username: 'penyusup', displayName: 'x', roles: [{ role: 'farmer' }] },
  'PUT /api/v1/villages/{villageId}/users/{userId}/roles': { roles: [{ role: 'village_admin' }] },
  'POST /api/v1/villages/{villageId}/users/{userId}/reset-password': {},
  'POST /api/v1/villages/{villageId}/devices/{deviceId}/revoke': {},
  // Supply chain (issue 5): every write names records that exist in both villages (seedSupply).
  'PUT /api/v1/villages/{villageId}/products/{productId}': {
    id: SUPPLY.salted.productId,
    name: 'Diganti penyusup',
    category: 'makanan',
    unit: 'pcs',
    shelfLifeDays: 1,
    storage: { temperatureMin: null, temperatureMax: null, humidityMin: null, humidityMax: null },
  },
  'PUT /api/v1/villages/{villageId}/cooperatives/{cooperativeId}': { id: SUPPLY.cooperativeId, name: 'Diganti' },
  'PUT /api/v1/villages/{villageId}/producers/{producerId}': {
    id: 'bu-siti',
    name: 'Diganti',
    kind: 'umkm',
    homeVillageName: 'x',
  },
  'POST /api/v1/villages/{villageId}/lots': {
    productId: SUPPLY.salted.productId,
    producerId: 'bu-siti',
    quantity: 1,
    producedOn: '2026-11-20',
  },
  'POST /api/v1/villages/{villageId}/lots/{lotId}/hold': { reason: 'penyusup' },
  'POST /api/v1/villages/{villageId}/lots/{lotId}/release': {},
  'POST /api/v1/villages/{villageId}/lots/{lotId}/recall': { reason: 'penyusup' },
  'POST /api/v1/villages/{villageId}/lots/{lotId}/inspections': { defects: 50 },
  'POST /api/v1/villages/{villageId}/stock/movements': {
    lotId: SUPPLY.lots.second,
    kind: 'dispose',
    quantity: 1,
    fromRoomId: SUPPLY.eggRoom,
    reason: 'penyusup',
  },
  'POST /api/v1/villages/{villageId}/orders': {
    cooperativeId: SUPPLY.cooperativeId,
    buyerName: 'Penyusup',
    productId: SUPPLY.salted.productId,
    quantity: 1,
    dueDate: '2026-12-31',
    pricePerUnit: 1,
  },
  'POST /api/v1/villages/{villageId}/orders/{orderId}/allocate': {},
  'PUT /api/v1/villages/{villageId}/orders/{orderId}/allocation': { allocations: [] },
  'POST /api/v1/villages/{villageId}/shipments': { orderId: SUPPLY.orders.main },
  'POST /api/v1/villages/{villageId}/shipments/{shipmentId}/picks': {
    lotId: SUPPLY.lots.second,
    roomId: SUPPLY.eggRoom,
    quantity: 1,
  },
  'POST /api/v1/villages/{villageId}/shipments/{shipmentId}/dispatch': {},
  'POST /api/v1/villages/{villageId}/shipments/{shipmentId}/deliver': {},
  // Agronomy (issue 6): irrigation on the plot {siteId} names (sawah-a, in both villages).
  'POST /api/v1/villages/{villageId}/plots/{siteId}/irrigation': { date: '2026-11-20', mm: 5 },
  // Indicators and CSR reports (issue 6).
  'POST /api/v1/villages/{villageId}/eco/records': { date: '2026-11-01', kind: 'fuel', source: 'diesel', quantity: 10 },
  'PUT /api/v1/villages/{villageId}/eco/settings': {
    gridRegion: 'jamali',
    meterSources: {},
    csrPartnerName: 'Penyusup',
    csrProgrammeName: null,
  },
  'POST /api/v1/villages/{villageId}/csr/reports': { from: '2026-10-01', to: '2026-11-01' },
};

/** Required query parameters of one route whose shared sample (QUERY_SAMPLES) does not fit it. */
const ROUTE_QUERY: Record<string, Record<string, string>> = {
  'GET /api/v1/villages/{villageId}/indicators': { from: '2026-10-01', to: '2026-11-01' },
};

const OTHER = 'desa-lain';

function otherVillage(base: Scenario): Scenario {
  return {
    ...base,
    village: { ...base.village, id: OTHER, name: 'Desa Lain' },
    devices: base.devices.map((d) => ({ ...d, id: d.id.replace(/^taman-/, 'lain-') })),
  };
}

/** A route about one village's data, as opposed to a public one that merely names a village. */
const isVillageRoute = (r: { method: string; path: string }) =>
  r.path.includes('{villageId}') && !PUBLIC.some((p) => p.test(`${r.method} ${r.path}`));

/** A village's indicator records, settings and reports, to see that nothing of them changed. */
async function ecoSnapshot(f: Fixture, villageId: string): Promise<string> {
  const e = f.registry.eco;
  return JSON.stringify([
    await e.listEcoRecords(villageId, {}),
    await e.getEcoSettings(villageId),
    await e.listCsrReports(villageId),
  ]);
}

/** Everything the supply chain of a village holds, to see that nothing of it changed. */
async function supplySnapshot(f: Fixture, villageId: string): Promise<string> {
  const s = f.registry.supply;
  return JSON.stringify([
    await s.listProducts(villageId),
    await s.listCooperatives(villageId),
    await s.listProducers(villageId),
    await s.listLots(villageId),
    await s.listMovements(villageId),
    await s.listOrders(villageId),
    await s.listShipments(villageId),
    await s.listInspections(villageId),
  ]);
}

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`per-village isolation on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let token: string;
    let params: Record<string, string>;
    let routes: { method: string; path: string; query: Record<string, string> }[];
    let otherSupply: string;
    let otherEco: string;
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
      const alert = await f.registry.recordAlert({
        id: 'alert-lain-1',
        key: 'rule:ruang-telur-temperature:lain-th-telur',
        villageId: OTHER,
        source: 'rule',
        state: 'raised',
        severity: 'warning',
        siteId: 'ruang-telur',
        deviceId: 'lain-th-telur',
        metric: 'air_temperature',
        value: 18,
        ts: NOW - 60_000,
        message: { id: 'x', en: 'x' },
      });
      const a = f.registry.accounts;
      const lainUser = await a.createUser({ username: 'operator-lain', displayName: 'Operator Lain', createdAt: NOW });
      await a.setMemberships(lainUser.id, [{ role: 'village_admin', villageId: OTHER }], NOW);
      const op = await a.createUser({
        username: 'operator-taman',
        displayName: 'Operator Taman',
        passwordHash: await f.auth.hashPassword('rahasia-taman'),
        createdAt: NOW,
      });
      await a.setMemberships(op.id, [{ role: 'village_admin', villageId: 'kel-taman' }], NOW);
      token = (await f.auth.login('operator-taman', 'rahasia-taman', { ip: '10.1.1.1' })).accessToken;
      // The same supply chain in both villages: the same ids exist in each, so a 404 below is the village's.
      await seedSupply(f, { villageId: 'kel-taman' });
      await seedSupply(f, { villageId: OTHER });
      otherSupply = await supplySnapshot(f, OTHER);
      // A CSR report of the other village, for the report routes' {reportId}.
      const report = await new EcoService({ registry: f.registry, store: f.store, now: () => NOW }).createReport(
        OTHER,
        { from: '2026-10-01', to: '2026-11-01' },
        { trigger: 'manual', by: 'seed' },
      );
      otherEco = await ecoSnapshot(f, OTHER);
      params = {
        villageId: OTHER,
        // A plot: the agronomy routes take {siteId} as a plot, the registry's site route any site.
        siteId: 'sawah-a',
        deviceId: 'lain-th-telur',
        alertId: alert!.id,
        userId: lainUser.id,
        productId: SUPPLY.salted.productId,
        cooperativeId: SUPPLY.cooperativeId,
        producerId: 'bu-siti',
        lotId: SUPPLY.lots.salted,
        orderId: SUPPLY.orders.main,
        shipmentId: SUPPLY.shipments.dispatched,
        reportId: report.id,
      };
      const doc = (await f.app.inject({ url: '/docs/json' })).json() as {
        paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>>;
      };
      routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          query: Object.fromEntries(
            (op.parameters ?? [])
              .filter((p) => p.in === 'query' && p.required)
              .map((p) => [
                p.name,
                ROUTE_QUERY[`${method.toUpperCase()} ${path}`]?.[p.name] ??
                  QUERY_SAMPLES[p.name] ??
                  `<no sample for required query parameter ${p.name}>`,
              ]),
          ),
        })),
      );
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const QUERY_SAMPLES: Record<string, string> = {
      deviceId: 'lain-th-telur',
      metric: 'air_temperature',
      from: '0',
      productId: SUPPLY.salted.productId,
      quantity: '10',
      lotSize: '500',
      aql: '2.5',
    };

    const call = (r: { method: string; path: string; query: Record<string, string> }, bearer?: string) => {
      const url = r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (!(name in params)) throw new Error(`${r.method} ${r.path}: no sample value for {${name}}; add one`);
        return params[name]!;
      });
      const key = `${r.method} ${r.path}`;
      const opts: InjectOptions = {
        method: r.method as InjectOptions['method'],
        url,
        query: r.query,
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      };
      if (r.method !== 'GET') {
        if (!(key in BODIES)) throw new Error(`${key}: no sample body in isolation.test.ts; add one`);
        opts.payload = BODIES[key] as object;
      }
      return f.app.inject(opts);
    };

    it('covers every route of the OpenAPI document', () => {
      const village = routes.filter(isVillageRoute);
      expect(village.length).toBeGreaterThanOrEqual(12);
      for (const r of routes) {
        const key = `${r.method} ${r.path}`;
        if (isVillageRoute(r)) continue;
        expect(
          PUBLIC.some((p) => p.test(key)) || PERSONAL.some((p) => p.test(key)),
          `${key} is neither a village route nor listed as public or personal in isolation.test.ts`,
        ).toBe(true);
      }
    });

    it('a village admin gets 403 or 404 for every route of another village, reading and writing', async () => {
      const answers: string[] = [];
      for (const r of routes.filter(isVillageRoute)) {
        const res = await call(r, token);
        answers.push(`${r.method} ${r.path} → ${res.statusCode}`);
        expect([403, 404], `${r.method} ${r.path} answered ${res.statusCode}: ${res.body.slice(0, 200)}`).toContain(
          res.statusCode,
        );
      }
      expect(answers.length).toBeGreaterThan(0);
      // And nothing of the other village changed.
      expect((await f.registry.getAlert(OTHER, params.alertId!))?.status).toBe('open');
      expect((await f.registry.getDevice(OTHER, 'lain-th-telur'))?.revoked).toBe(false);
      expect((await f.registry.accounts.listMemberships(params.userId!)).map((m) => m.role)).toEqual(['village_admin']);
      expect(await f.registry.accounts.getUserByUsername('penyusup')).toBeUndefined();
      expect(await supplySnapshot(f, OTHER)).toBe(otherSupply);
      expect(await f.registry.eco.listIrrigation(OTHER, {})).toEqual([]);
      expect(await ecoSnapshot(f, OTHER)).toBe(otherEco);
      expect((await f.registry.supply.getLot(OTHER, SUPPLY.lots.salted))?.status).toBe('available');
    });

    it('the same routes work in their own village (so the 404s above are about the village, not the samples)', async () => {
      const own = { ...params, villageId: 'kel-taman', deviceId: 'taman-th-telur' };
      const saved = params;
      params = own;
      try {
        for (const r of routes.filter((x) => isVillageRoute(x) && x.method === 'GET')) {
          if (r.path.includes('{alertId}')) continue; // the other village's alert id
          if (r.path.includes('{reportId}')) continue; // the other village's report (ids are unique platform-wide)
          if (r.path.endsWith('/stream')) continue; // a stream never ends under inject (tested in api.test.ts)
          const query = { ...r.query, ...(r.query.deviceId ? { deviceId: 'taman-th-telur' } : {}) };
          const res = await call({ ...r, query }, token);
          expect(res.statusCode, `${r.method} ${r.path}: ${res.body.slice(0, 200)}`).toBe(200);
        }
      } finally {
        params = saved;
      }
    });

    it('every village route answers 401 without a token', async () => {
      for (const r of routes.filter(isVillageRoute)) {
        const res = await call(r);
        expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
      }
    });

    it('public routes answer without a token, and show only what the cooperative publishes', async () => {
      const res = await f.app.inject({ url: `/api/v1/public/lots/${OTHER}/${SUPPLY.lots.salted}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ villageId: OTHER, lotId: SUPPLY.lots.salted });
      expect(res.body).not.toContain('foto.example.id');
      const missing = await f.app.inject({ url: `/api/v1/public/lots/${OTHER}/ZZ-000000-99` });
      expect(missing.statusCode).toBe(404);
    });

    it('lists only the caller’s villages', async () => {
      const res = await f.app.inject({ url: '/api/v1/villages', headers: { authorization: `Bearer ${token}` } });
      expect(res.json().map((v: { id: string }) => v.id)).toEqual(['kel-taman']);
      const admin = await f.app.inject({
        url: '/api/v1/villages',
        headers: { authorization: `Bearer ${f.adminToken}` },
      });
      expect(
        admin
          .json()
          .map((v: { id: string }) => v.id)
          .sort(),
      ).toEqual([OTHER, 'kel-taman']);
    });
  });
}
