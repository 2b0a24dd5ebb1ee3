import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@lumbung/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCHER, LumbungProcess } from '../../src/child.ts';
import { startCloudAndBox } from './harness.ts';

const run = promisify(execFile);

// The system as separate processes, as on real servers and a real village box: the cloud (API, registry,
// gateway), a village box that takes its credentials from the cloud over HTTP, and devices.
describe('lumbung register, cloud, edge and sim as separate processes', () => {
  let dir: string | undefined;
  const procs: LumbungProcess[] = [];
  afterEach(async () => {
    for (const p of procs.reverse()) await p.kill();
    procs.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers a village, provisions its box from the registry and serves its readings and presence', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-cloud-'));
    const env = {
      ...process.env,
      LUMBUNG_DATA_DIR: dir,
      LUMBUNG_NODE: process.execPath,
      LUMBUNG_LOG_LEVEL: 'warn',
      LUMBUNG_ADMIN_PASSWORD: 'admin-rahasia-1',
    };
    const { stdout } = await run(LAUNCHER, ['register'], { env });
    expect(stdout).toMatch(/registered Kelurahan Taman \(kel-taman\): 9 sites, 8 devices/);
    expect(stdout).toMatch(/first platform admin: admin/);
    const creds = JSON.parse(await readFile(path.join(dir, 'credentials.json'), 'utf8')) as {
      edge: { edgeId: string; secret: string };
    };

    const { api, cloud, edge, edgeMqtt } = await startCloudAndBox(dir, creds.edge, (p) => procs.push(p));

    const sim = new LumbungProcess('sim', { LUMBUNG_DATA_DIR: dir }, undefined, [], undefined, [
      '--broker',
      `mqtt://127.0.0.1:${edgeMqtt}`,
      '--secrets',
      path.join(dir, 'credentials.json'),
      '--backfill-days',
      '0.05',
    ]);
    procs.push(sim);
    await sim.start();

    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-rahasia-1' }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    expect((await fetch(`${api}/villages`)).status).toBe(401);

    // Readings of the egg room reach the cloud through the box and the gateway, with their site.
    const latest = await waitFor(
      'the egg room in the cloud',
      async () => {
        const rows = (await (
          await fetch(`${api}/villages/kel-taman/latest?siteId=ruang-telur`, { headers: auth })
        ).json()) as {
          metric: string;
          deviceId: string;
        }[];
        return rows.some((r) => r.metric === 'air_temperature') ? rows : undefined;
      },
      60_000,
    );
    expect(new Set(latest.map((r) => r.deviceId))).toEqual(new Set(['taman-th-telur']));
    // Every device's presence came from its status topic through the box.
    await waitFor(
      'every device online in the cloud',
      async () => {
        const health = (await (await fetch(`${api}/villages/kel-taman/device-health`, { headers: auth })).json()) as {
          state: string;
        }[];
        return health.length === 8 && health.every((h) => h.state === 'online') ? true : undefined;
      },
      60_000,
    );
    // The box keeps its last-known provisioning from the registry.
    const cached = JSON.parse(await readFile(path.join(dir, 'box', 'edge', 'provisioning.json'), 'utf8')) as {
      body: { devices: unknown[] };
    };
    expect(cached.body.devices).toHaveLength(8);

    // Devices stop: the box reports them offline to the cloud.
    expect(await sim.stop()).toBe(0);
    await waitFor(
      'devices offline in the cloud',
      async () => {
        const health = (await (await fetch(`${api}/villages/kel-taman/device-health`, { headers: auth })).json()) as {
          state: string;
        }[];
        return health.every((h) => h.state === 'offline') ? true : undefined;
      },
      30_000,
    );
    expect(await edge.stop()).toBe(0);
    expect(await cloud.stop()).toBe(0);
  });
});
