import { mulberry32 } from '@lumbung/firmware-sim';
import { defaultCatalogue } from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testDatabases } from './databases.ts';
import { createFixture, type Fixture } from './fixture.ts';

/** Invalid inputs of every kind a client (or an attacker) sends. */
const GARBAGE: unknown[] = [
  null,
  42,
  'text',
  [],
  [1, 2, 3],
  {},
  { by: 42 },
  { username: 1, password: [] },
  { code: 'x'.repeat(70_000) },
  { deviceId: '../../etc/passwd', metric: "'; DROP TABLE devices; --", from: 'NaN' },
  { nested: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) },
  {
    phone: '+62' + '9'.repeat(40),
    refreshToken: '\u0000\uffff',
    id: 'A B',
    family: '',
    siteId: '#',
    intervalSeconds: -1,
  },
];
const RAW_BODIES = ['{not json', '\u0000\u0001', '[1,', '"unterminated', `{"a":${'['.repeat(5000)}`];

const sample = (r: () => number) => GARBAGE[Math.floor(r() * GARBAGE.length)];

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`hardening on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let routes: { method: string; path: string }[];
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const doc = (await f.app.inject({ url: '/docs/json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
      );
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    it('answers invalid bodies, parameters and queries on every route with 4xx, never 5xx', async () => {
      const random = mulberry32(4242);
      const fills = ['kel-taman', 'BAD ID', '%00', '..', 'x'.repeat(300), '-1', 'taman-th-telur'];
      let calls = 0;
      for (const r of routes) {
        if (r.path.endsWith('/stream')) continue; // a stream that is allowed never ends under inject
        for (let i = 0; i < 12; i++) {
          const url = r.path.replace(/\{\w+\}/g, () => encodeURIComponent(fills[Math.floor(random() * fills.length)]!));
          const opts: InjectOptions = {
            method: r.method as InjectOptions['method'],
            url,
            query: { from: 'x', to: String(random()), step: '-5m', agg: 'median', limit: '1e99', status: 'open,?' },
            headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' },
          };
          if (r.method !== 'GET')
            opts.payload = i < RAW_BODIES.length ? RAW_BODIES[i]! : JSON.stringify(sample(random));
          const res = await f.app.inject(opts);
          calls++;
          expect(res.statusCode, `${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
          expect(res.statusCode).toBeGreaterThanOrEqual(200);
          if (res.statusCode >= 400) {
            const body = res.json() as { code: string; message: string };
            expect(body.code).toMatch(/^LUMBUNG_ERR_/);
            expect(res.body).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/); // no stack traces
          }
        }
      }
      expect(calls).toBeGreaterThan(200);
    });

    it('sends security headers and no CORS permission to other origins', async () => {
      const res = await f.app.inject({
        url: '/api/v1/health',
        headers: { origin: 'https://evil.example' },
      });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
}

describe('request limits', () => {
  it('allows configured CORS origins and limits requests per address', async () => {
    const [sqlite] = testDatabases();
    const d = await sqlite!.create();
    const f = await createFixture(d);
    try {
      const app = await buildApp({
        registry: f.registry,
        store: f.store,
        telemetry: f.telemetry,
        live: f.live,
        catalogue: defaultCatalogue,
        version: 't',
        corsOrigins: ['https://koperasi.example.id'],
        requestLimit: { burst: 5, perSecond: 0.001 },
      });
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/villages',
        headers: { origin: 'https://koperasi.example.id', 'access-control-request-method': 'GET' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('https://koperasi.example.id');
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await app.inject({ url: '/api/v1/metrics' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      await app.close();
    } finally {
      await f.close();
      await d.cleanup();
    }
  });
});
