import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from '@lumbung/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCHER, LumbungProcess } from '../../src/child.ts';

const run = promisify(execFile);

// What `npm start` runs: the simulated village reaches the store through the real pipeline, and a restart
// keeps the data and the devices' credentials.
describe('lumbung demo', () => {
  let dir: string | undefined;
  let demo: LumbungProcess | undefined;
  afterEach(async () => {
    await demo?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('backfills, stores readings, stops cleanly and restarts on the same data', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-demo-'));
    const edgeOps = await freePort();
    const http = await freePort();
    const env = {
      LUMBUNG_HTTP_PORT: String(http),
      LUMBUNG_DEMO_PASSWORD: 'kata-sandi-demo',
      LUMBUNG_DATA_DIR: dir,
      LUMBUNG_DEMO_BACKFILL_DAYS: '0.25',
      LUMBUNG_MQTT_PORT: '0',
      LUMBUNG_GATEWAY_PORT: '0',
      LUMBUNG_GATEWAY_OPS_PORT: '0',
      LUMBUNG_EDGE_OPS_PORT: String(edgeOps),
    };
    demo = new LumbungProcess('demo', env, `http://127.0.0.1:${edgeOps}/health`);
    await demo.start();
    const d = demo;
    await waitFor('backfill', () => /backfill done: (\d+) messages/.exec(d.output)?.[1], 60_000);
    const devices = (await (await fetch(`http://127.0.0.1:${edgeOps}/devices`)).json()) as { connected: boolean }[];
    expect(devices.length).toBe(8);
    expect(devices.every((x) => x.connected)).toBe(true);
    await waitFor('the village box to forward its queue', async () => {
      const q = (await (await fetch(`http://127.0.0.1:${edgeOps}/queue`)).json()) as { readings: number };
      return q.readings === 0 || undefined;
    });
    // One demo user per role; LUMBUNG_DEMO_PASSWORD signs them all in.
    const api = `http://127.0.0.1:${http}/api/v1`;
    const login = async (username: string) =>
      fetch(`${api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'kata-sandi-demo' }),
      });
    const admin = (await (await login('admin')).json()) as { accessToken: string; memberships: { role: string }[] };
    expect(admin.memberships).toEqual([{ role: 'platform_admin', villageId: null, siteIds: [] }]);
    const farmer = (await (await login('petani')).json()) as { memberships: unknown[] };
    expect(farmer.memberships).toEqual([
      { role: 'farmer', villageId: 'kel-taman', siteIds: ['sawah-a', 'kebun-cabai'] },
    ]);
    expect(demo.output).toMatch(/admin \/ \$LUMBUNG_DEMO_PASSWORD/);
    const headers = { authorization: `Bearer ${admin.accessToken}` };
    // The cloud serves the village from the registry and the store the gateway writes to.
    const villages = (await (await fetch(`${api}/villages`, { headers })).json()) as { id: string; devices: number }[];
    expect(villages).toEqual([
      expect.objectContaining({ id: 'desa-sukamaju', devices: 3 }),
      expect.objectContaining({ id: 'kel-taman', devices: 8 }),
    ]);
    // The second village's admin sees only their village; Kelurahan Taman does not exist for them.
    const other = (await (await login('operator-sukamaju')).json()) as { accessToken: string };
    const otherHeaders = { authorization: `Bearer ${other.accessToken}` };
    const theirs = (await (await fetch(`${api}/villages`, { headers: otherHeaders })).json()) as { id: string }[];
    expect(theirs.map((v) => v.id)).toEqual(['desa-sukamaju']);
    expect((await fetch(`${api}/villages/kel-taman/latest`, { headers: otherHeaders })).status).toBe(404);
    const latest = (await (await fetch(`${api}/villages/kel-taman/latest?siteId=ruang-telur`, { headers })).json()) as {
      metric: string;
      ts: number;
    }[];
    expect(latest.map((r) => r.metric)).toContain('air_temperature');
    expect(Math.max(...latest.map((r) => r.ts))).toBeGreaterThan(Date.now() - 5 * 60_000);
    await waitFor('device presence forwarded to the cloud', async () => {
      const health = (await (await fetch(`${api}/villages/kel-taman/device-health`, { headers })).json()) as {
        state: string;
      }[];
      return health.every((h) => h.state === 'online') || undefined;
    });
    expect(await demo.stop()).toBe(0);
    // A quarter day of the egg room (one reading a minute) and the live minutes since: all in the store.
    const { stdout } = await run(
      LAUNCHER,
      ['query', '--village', 'kel-taman', '--device', 'taman-th-telur', '--metric', 'air_temperature', '--json'].concat(
        [
          '--from',
          new Date(Date.now() - 86_400_000).toISOString(),
          '--to',
          new Date(Date.now() + 60_000).toISOString(),
        ],
        ['--step', '1d', '--agg', 'count'],
      ),
      { env: { ...process.env, LUMBUNG_DATA_DIR: dir, LUMBUNG_NODE: process.execPath } },
    );
    const stored = (JSON.parse(stdout) as { buckets: { values: { count: number } }[] }).buckets.reduce(
      (n, b) => n + b.values.count,
      0,
    );
    const secrets = await readFile(path.join(dir, 'credentials.json'), 'utf8');

    demo = new LumbungProcess('demo', env, `http://127.0.0.1:${edgeOps}/health`);
    await demo.start();
    expect(demo.output).not.toMatch(/sending .* history/); // backfilled once only
    expect(await readFile(path.join(dir, 'credentials.json'), 'utf8')).toBe(secrets);
    expect(await demo.stop()).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(6 * 60);
    expect(stored).toBeLessThanOrEqual(6 * 60 + 10);
  });
});
