import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  Alert,
  AlertRecord,
  DeviceHealth,
  LatestReading,
  ReadingsResponse,
  VillageSummary,
} from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../src/errors.ts';
import { testDatabases } from './databases.ts';
import { createFixture, EDGE_ID, EDGE_SECRET, type Fixture, GATEWAY_TOKEN, HISTORY_DAYS, NOW } from './fixture.ts';

const V = '/api/v1/villages/kel-taman';
const HOUR = 3_600_000;
const DAY = 86_400_000;

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`cloud API on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    // Every request as the platform admin unless a test says otherwise (access rules: isolation.test.ts).
    const inject = (o: InjectOptions) =>
      f.app.inject({ ...o, headers: { authorization: `Bearer ${f.adminToken}`, ...o.headers } });
    const get = async <T>(url: string, headers: Record<string, string> = {}) => {
      const res = await inject({ method: 'GET', url, headers });
      return { status: res.statusCode, body: res.json() as T, headers: res.headers };
    };

    it('answers health with the database provider and the store', async () => {
      const { status, body } = await get<{ status: string; database: { provider: string; ok: boolean } }>(
        '/api/v1/health',
      );
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.database).toEqual({ provider: db.name, ok: true });
    });

    it('lists the demo village with its counts', async () => {
      const { status, body } = await get<VillageSummary[]>('/api/v1/villages');
      expect(status).toBe(200);
      expect(body).toHaveLength(1);
      const v = body[0]!;
      expect(v).toMatchObject({ id: 'kel-taman', name: 'Kelurahan Taman', timeZone: 'Asia/Jakarta' });
      expect(v.sites).toBe(f.scenario.sites.length);
      expect(v.devices).toBe(f.scenario.devices.length);
      expect(v.openAlerts).toBe(0);
    });

    it('answers an unknown village with 404 in Bahasa Indonesia, or English when asked', async () => {
      const id = await get<{ code: string; message: string }>('/api/v1/villages/desa-lain/sites');
      expect(id.status).toBe(404);
      expect(id.body.code).toBe('LUMBUNG_ERR_VILLAGE_NOT_FOUND');
      expect(id.body.message).toBe('Desa/kelurahan "desa-lain" tidak ditemukan');
      expect(id.headers['content-language']).toBe('id');
      const en = await get<{ message: string }>('/api/v1/villages/desa-lain/sites', {
        'accept-language': 'en-GB,en;q=0.9,id;q=0.5',
      });
      expect(en.body.message).toBe('Village "desa-lain" not found');
    });

    it('rejects malformed parameters with 400 and the field in the message', async () => {
      const bad = await get<{ code: string; message: string }>('/api/v1/villages/BAD%20ID');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('LUMBUNG_ERR_VALIDATION');
      const time = await get<{ code: string; message: string }>(
        `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=yesterday`,
        { 'accept-language': 'en' },
      );
      expect(time.status).toBe(400);
      expect(time.body.message).toMatch(/from/);
    });

    it('gives sites with the details of their kind, and devices without secrets', async () => {
      const room = await get<{ storageRoom: { temperature: { min: number; max: number } } }>(`${V}/sites/ruang-telur`);
      expect(room.status).toBe(200);
      expect(room.body.storageRoom.temperature).toEqual({ min: 10, max: 15 });
      const plot = await get<{ plot: { crop: string; fieldCapacity: number } }>(`${V}/sites/sawah-a`);
      expect(plot.body.plot).toMatchObject({ crop: 'rice', fieldCapacity: 0.36 });
      expect((await get(`${V}/sites/gudang-x`)).status).toBe(404);
      const devices = await inject({ url: `${V}/devices` });
      expect(devices.json()).toHaveLength(f.scenario.devices.length);
      expect(devices.body).not.toMatch(/sha256|secret/i);
    });

    it('lists series by site with units', async () => {
      const { body } = await get<{ deviceId: string; metric: string; unit: string }[]>(
        `${V}/series?siteId=ruang-telur`,
      );
      expect(body.map((s) => s.deviceId)).toEqual(body.map(() => 'taman-th-telur'));
      expect(body.find((s) => s.metric === 'air_temperature')?.unit).toBe('°C');
    });

    it('returns raw readings equal to what was stored', async () => {
      const from = NOW - 6 * HOUR;
      const { status, body } = await get<ReadingsResponse>(
        `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=${from}&to=${NOW}`,
      );
      expect(status).toBe(200);
      const expected = f.readings
        .filter((r) => r.deviceId === 'taman-th-telur' && r.metric === 'air_temperature' && r.ts >= from)
        .map((r) => [r.ts, r.value]);
      expect(expected.length).toBeGreaterThan(300);
      expect(body.step).toBeNull();
      expect(body.unit).toBe('°C');
      expect(body.points).toEqual(expected);
    });

    it('returns hourly buckets with avg, min and max of the stored readings', async () => {
      const from = NOW - 2 * DAY;
      const { body } = await get<ReadingsResponse>(
        `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=${new Date(from).toISOString()}&to=${NOW}&step=1h&agg=avg,min,max`,
      );
      expect(body.aggs).toEqual(['avg', 'min', 'max']);
      expect(body.points).toHaveLength(48);
      const [ts, avg, min, max] = body.points[10]!;
      const inBucket = f.readings
        .filter((r) => r.deviceId === 'taman-th-telur' && r.metric === 'air_temperature')
        .filter((r) => r.ts >= ts! && r.ts < ts! + HOUR)
        .map((r) => r.value);
      expect(inBucket.length).toBe(60);
      expect(min).toBe(Math.min(...inBucket));
      expect(max).toBe(Math.max(...inBucket));
      expect(avg).toBeCloseTo(inBucket.reduce((a, b) => a + b, 0) / inBucket.length, 9);
    });

    it('starts daily buckets at local midnight of the village (WIB, UTC+7)', async () => {
      const { body } = await get<ReadingsResponse>(
        `${V}/readings?deviceId=taman-ws-01&metric=air_temperature&from=${NOW - HISTORY_DAYS * DAY}&to=${NOW}&step=1d&agg=max`,
      );
      expect(body.points.length).toBeGreaterThanOrEqual(3);
      for (const [ts] of body.points) expect((ts! + 7 * HOUR) % DAY).toBe(0);
    });

    it('refuses more than 10,000 points with a clear error', async () => {
      const year = await get<{ code: string; message: string }>(
        `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=${NOW - 365 * DAY}&to=${NOW}&step=1m`,
        { 'accept-language': 'en' },
      );
      expect(year.status).toBe(400);
      expect(year.body.code).toBe('LUMBUNG_ERR_TOO_MANY_POINTS');
      expect(year.body.message).toMatch(/525600.*10000/);
      // Raw readings beyond the limit: 10,001 readings of one second each, long before the fixture's history.
      const old = Date.parse('2020-01-01T00:00:00Z');
      await f.store.write(
        Array.from({ length: 10_001 }, (_, i) => ({
          villageId: 'kel-taman',
          deviceId: 'taman-th-telur',
          metric: 'air_temperature',
          ts: old + i * 1000,
          value: 12,
          tsSource: 'device' as const,
        })),
      );
      const raw = await get<{ code: string }>(
        `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=${old}&to=${old + DAY}`,
      );
      expect(raw.body.code).toBe('LUMBUNG_ERR_TOO_MANY_POINTS');
      const backwards = await get<{ code: string }>(
        `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=${NOW}&to=${NOW - DAY}&step=1h`,
      );
      expect(backwards.body.code).toBe('LUMBUNG_ERR_TIME_RANGE');
      const foreign = await get<{ code: string }>(`${V}/readings?deviceId=other-device&metric=air_temperature&from=0`);
      expect(foreign.body.code).toBe('LUMBUNG_ERR_DEVICE_NOT_FOUND');
    });

    it('gives the newest reading of every series, with the site', async () => {
      const { body } = await get<LatestReading[]>(`${V}/latest`);
      const newest = new Map<string, { ts: number; value: number }>();
      for (const r of f.readings) {
        const k = `${r.deviceId}/${r.metric}`;
        if ((newest.get(k)?.ts ?? -1) < r.ts) newest.set(k, r);
      }
      expect(body).toHaveLength(newest.size);
      for (const r of body) {
        const want = newest.get(`${r.deviceId}/${r.metric}`);
        expect({ ts: r.ts, value: r.value }).toEqual({ ts: want?.ts, value: want?.value });
      }
      const room = await get<LatestReading[]>(`${V}/latest?siteId=ruang-telur`);
      expect(new Set(room.body.map((r) => r.siteId))).toEqual(new Set(['ruang-telur']));
    });

    it('tracks device presence from the gateway and battery and signal from readings', async () => {
      f.events.emit('device-presence', {
        villageId: 'kel-taman',
        edgeId: EDGE_ID,
        devices: [
          { deviceId: 'taman-th-telur', state: 'online', ts: NOW - 1000 },
          { deviceId: 'taman-em-01', state: 'offline', ts: NOW - 1000 },
          // another village's device: ignored
          { deviceId: 'desa-lain-01', state: 'online', ts: NOW - 1000 },
        ],
        at: NOW,
      });
      await f.bridge.settled();
      const { body } = await get<DeviceHealth[]>(`${V}/device-health`);
      const telur = body.find((d) => d.deviceId === 'taman-th-telur')!;
      expect(telur).toMatchObject({ state: 'online', stateAt: NOW - 1000, stale: false });
      expect(telur.battery).toBeGreaterThan(2);
      expect(body.find((d) => d.deviceId === 'taman-em-01')?.state).toBe('offline');
      expect(body.find((d) => d.deviceId === 'taman-soil-cabai')?.state).toBe('unknown');
      // An older report does not overwrite a newer one.
      f.events.emit('device-presence', {
        villageId: 'kel-taman',
        edgeId: EDGE_ID,
        devices: [{ deviceId: 'taman-th-telur', state: 'offline', ts: NOW - 5000 }],
        at: NOW,
      });
      await f.bridge.settled();
      expect((await get<DeviceHealth[]>(`${V}/device-health?deviceId=taman-th-telur`)).body[0]?.state).toBe('online');
    });

    const alert = (over: Partial<Alert> = {}): Alert => ({
      id: `a-${Math.random().toString(36).slice(2)}`,
      key: 'ruang-telur-temperature/taman-th-telur',
      villageId: 'kel-taman',
      edgeId: EDGE_ID,
      source: 'rule',
      state: 'raised',
      severity: 'warning',
      ruleId: 'ruang-telur-temperature',
      siteId: 'ruang-telur',
      deviceId: 'taman-th-telur',
      metric: 'air_temperature',
      value: 17.2,
      ts: NOW - 60_000,
      message: { id: 'Suhu ruang telur 17.2 °C', en: 'Egg room temperature 17.2 °C' },
      ...over,
    });

    it('keeps alerts from the gateway and lets people acknowledge and resolve them', async () => {
      f.events.emit('alert', { alert: alert(), edgeId: EDGE_ID });
      f.events.emit('alert', { alert: alert(), edgeId: EDGE_ID }); // the same condition again: one record
      await f.bridge.settled();
      const open = await get<AlertRecord[]>(`${V}/alerts`);
      expect(open.body).toHaveLength(1);
      const a = open.body[0]!;
      expect(a).toMatchObject({ status: 'open', clearedAt: null, siteId: 'ruang-telur', value: 17.2 });
      expect((await get<VillageSummary>(V)).body.openAlerts).toBe(1);

      const ack = await inject({
        method: 'POST',
        url: `${V}/alerts/${a.id}/acknowledge`,
        payload: { by: 'Bu Siti' },
      });
      expect(ack.statusCode).toBe(200);
      expect(ack.json()).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: 'root (Bu Siti)',
        acknowledgedAt: NOW,
      });

      f.events.emit('alert', { alert: alert({ state: 'cleared', ts: NOW - 1000 }), edgeId: EDGE_ID });
      await f.bridge.settled();
      expect((await get<AlertRecord>(`${V}/alerts/${a.id}`)).body.clearedAt).toBe(NOW - 1000);

      const resolved = await inject({ method: 'POST', url: `${V}/alerts/${a.id}/resolve` });
      expect(resolved.json()).toMatchObject({ status: 'resolved' });
      expect(resolved.statusCode).toBe(200);
      expect((await get<AlertRecord[]>(`${V}/alerts`)).body).toHaveLength(0);
      expect((await get<AlertRecord[]>(`${V}/alerts?status=resolved`)).body.map((x) => x.id)).toEqual([a.id]);

      const again = await inject({ method: 'POST', url: `${V}/alerts/${a.id}/acknowledge` });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('LUMBUNG_ERR_CONFLICT');
      const missing = await inject({ method: 'POST', url: `${V}/alerts/nope/resolve` });
      expect(missing.statusCode).toBe(404);
      expect((await get(`${V}/alerts?status=closed`)).status).toBe(400);
    });

    it('streams readings and alerts of the village as server-sent events', async () => {
      await f.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (f.app.server.address() as AddressInfo).port;
      const received: string[] = [];
      const req = http.get(`http://127.0.0.1:${port}${V}/stream?access_token=${f.adminToken}`);
      const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => received.push(chunk));
      f.events.emit('batch-stored', {
        villageId: 'kel-taman',
        readings: [
          {
            villageId: 'kel-taman',
            deviceId: 'taman-th-telur',
            metric: 'air_temperature',
            ts: NOW + 1000,
            value: 12.5,
            tsSource: 'device',
          },
        ],
      });
      f.events.emit('alert', { alert: alert({ key: 'another', ts: NOW }), edgeId: EDGE_ID });
      const text = () => received.join('');
      for (let i = 0; i < 100 && !(/event: readings/.test(text()) && /event: alert/.test(text())); i++)
        await new Promise((r) => setTimeout(r, 20));
      req.destroy();
      const readings = /event: readings\ndata: (.*)\n/.exec(text());
      expect(JSON.parse(readings![1]!)).toEqual({
        readings: [
          {
            deviceId: 'taman-th-telur',
            siteId: 'ruang-telur',
            metric: 'air_temperature',
            unit: '°C',
            ts: NOW + 1000,
            value: 12.5,
          },
        ],
      });
      expect(text()).toMatch(/event: alert\ndata: .*"key":"another"/);
      // The latest values follow what the gateway stored.
      const latest = await get<LatestReading[]>(`${V}/latest?deviceId=taman-th-telur`);
      expect(latest.body.find((r) => r.metric === 'air_temperature')).toMatchObject({ ts: NOW + 1000, value: 12.5 });
    });

    it('provisions a village box with Basic auth and answers 304 when unchanged', async () => {
      const auth = `Basic ${Buffer.from(`${EDGE_ID}:${EDGE_SECRET}`).toString('base64')}`;
      const ok = await inject({ url: '/api/v1/provisioning/edge', headers: { authorization: auth } });
      expect(ok.statusCode).toBe(200);
      const body = ok.json() as { villageId: string; devices: { deviceId: string }[]; rules: { siteId: string }[] };
      expect(body.villageId).toBe('kel-taman');
      expect(body.devices).toHaveLength(f.scenario.devices.length);
      expect(body.rules.map((r) => r.siteId)).toContain('ruang-telur');
      const etag = ok.headers.etag as string;
      const same = await inject({
        url: '/api/v1/provisioning/edge',
        headers: { authorization: auth, 'if-none-match': etag },
      });
      expect(same.statusCode).toBe(304);
      await f.registry.setDeviceRevoked('kel-taman', 'taman-em-01', true);
      const changed = await inject({
        url: '/api/v1/provisioning/edge',
        headers: { authorization: auth, 'if-none-match': etag },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().devices.find((d: { deviceId: string }) => d.deviceId === 'taman-em-01').revoked).toBe(true);
      await f.registry.setDeviceRevoked('kel-taman', 'taman-em-01', false);
      const wrong = await inject({
        url: '/api/v1/provisioning/edge',
        headers: { authorization: `Basic ${Buffer.from(`${EDGE_ID}:nope`).toString('base64')}` },
      });
      expect(wrong.statusCode).toBe(401);
      expect((await inject({ url: '/api/v1/provisioning/edge' })).statusCode).toBe(401);
    });

    it('provisions the gateway with its bearer token only', async () => {
      const ok = await inject({
        url: '/api/v1/provisioning/gateway',
        headers: { authorization: `Bearer ${GATEWAY_TOKEN}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().edges).toEqual([expect.objectContaining({ edgeId: EDGE_ID, villageId: 'kel-taman' })]);
      const bad = await inject({ url: '/api/v1/provisioning/gateway', headers: { authorization: 'Bearer x' } });
      expect(bad.statusCode).toBe(401);
    });

    it('answers bad bodies with 4xx, never 5xx', async () => {
      const url = `${V}/alerts/x/acknowledge`;
      const cases = [
        { payload: '{not json', headers: { 'content-type': 'application/json' } },
        { payload: JSON.stringify({ by: 42 }), headers: { 'content-type': 'application/json' } },
        { payload: 'by=me', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        { payload: JSON.stringify({ by: 'x'.repeat(100_000) }), headers: { 'content-type': 'application/json' } },
      ];
      const statuses = [];
      for (const c of cases) statuses.push((await inject({ method: 'POST', url, ...c })).statusCode);
      expect(statuses).toEqual([400, 400, 415, 413]);
      expect((await get<{ code: string }>('/api/v1/nowhere')).body.code).toBe('LUMBUNG_ERR_NOT_FOUND');
    });
  });
}

describe('the OpenAPI document', () => {
  it('describes every API route with its parameters and every response', async () => {
    const [db] = testDatabases().filter((d) => d.name === 'sqlite');
    const d = await db!.create();
    const f = await createFixture(d);
    try {
      const doc = (await f.app.inject({ url: '/docs/json' })).json() as {
        paths: Record<string, Record<string, { responses: Record<string, unknown>; tags?: string[] }>>;
      };
      const paths = Object.keys(doc.paths);
      for (const p of [
        '/api/v1/health',
        '/api/v1/villages',
        '/api/v1/villages/{villageId}/series',
        '/api/v1/villages/{villageId}/readings',
        '/api/v1/villages/{villageId}/latest',
        '/api/v1/villages/{villageId}/device-health',
        '/api/v1/villages/{villageId}/alerts',
        '/api/v1/villages/{villageId}/alerts/{alertId}/acknowledge',
        '/api/v1/villages/{villageId}/stream',
      ])
        expect(paths).toContain(p);
      for (const [p, ops] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(ops)) {
          expect(
            Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
            `${method} ${p} has a success response`,
          ).toBe(true);
          expect(Object.keys(op.responses), `${method} ${p}`).toContain('500');
          expect(op.tags?.length, `${method} ${p} has a tag`).toBeGreaterThan(0);
        }
      expect((await f.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
    } finally {
      await f.close();
      await d.cleanup();
    }
  });
});

describe('the error catalogue', () => {
  it('has a status and a message in both languages for every code', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^LUMBUNG_ERR_[A-Z_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.id.length).toBeGreaterThan(5);
      expect(e.en.length).toBeGreaterThan(5);
      expect(e.id).not.toBe(e.en);
      // The same placeholders in both languages.
      const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(params(e.id), code).toEqual(params(e.en));
    }
  });
});

describe('docs/api.md', () => {
  it('lists every error code with its status and both messages', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const [code, e] of Object.entries(ERRORS))
      expect(doc, code).toContain(`| \`${code}\` | ${e.status} | ${e.id} | ${e.en} |`);
    const listed = [...doc.matchAll(/^\| `(LUMBUNG_ERR_\w+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(ERRORS).sort());
  });
});
