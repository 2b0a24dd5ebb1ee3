import { hashSecret } from '@lumbung/runtime';
import type { Scenario } from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFromScenario } from '../src/registry/index.ts';
import { testDatabases } from './databases.ts';
import { createFixture, type Fixture, NOW } from './fixture.ts';

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
};

const OTHER = 'desa-lain';

function otherVillage(base: Scenario): Scenario {
  return {
    ...base,
    village: { ...base.village, id: OTHER, name: 'Desa Lain' },
    devices: base.devices.map((d) => ({ ...d, id: d.id.replace(/^taman-/, 'lain-') })),
  };
}

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`per-village isolation on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let token: string;
    let params: Record<string, string>;
    let routes: { method: string; path: string; query: Record<string, string> }[];
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
      params = {
        villageId: OTHER,
        siteId: 'ruang-telur',
        deviceId: 'lain-th-telur',
        alertId: alert!.id,
        userId: lainUser.id,
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
              .map((p) => [p.name, QUERY_SAMPLES[p.name] ?? `<no sample for required query parameter ${p.name}>`]),
          ),
        })),
      );
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const QUERY_SAMPLES: Record<string, string> = { deviceId: 'lain-th-telur', metric: 'air_temperature', from: '0' };

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
      const village = routes.filter((r) => r.path.includes('{villageId}'));
      expect(village.length).toBeGreaterThanOrEqual(12);
      for (const r of routes) {
        const key = `${r.method} ${r.path}`;
        if (r.path.includes('{villageId}')) continue;
        expect(
          PUBLIC.some((p) => p.test(key)) || PERSONAL.some((p) => p.test(key)),
          `${key} is neither a village route nor listed as public or personal in isolation.test.ts`,
        ).toBe(true);
      }
    });

    it('a village admin gets 403 or 404 for every route of another village, reading and writing', async () => {
      const answers: string[] = [];
      for (const r of routes.filter((x) => x.path.includes('{villageId}'))) {
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
    });

    it('the same routes work in their own village (so the 404s above are about the village, not the samples)', async () => {
      const own = { ...params, villageId: 'kel-taman', deviceId: 'taman-th-telur' };
      const saved = params;
      params = own;
      try {
        for (const r of routes.filter((x) => x.path.includes('{villageId}') && x.method === 'GET')) {
          if (r.path.includes('{alertId}')) continue; // the other village's alert id
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
      for (const r of routes.filter((x) => x.path.includes('{villageId}'))) {
        const res = await call(r);
        expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
      }
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
