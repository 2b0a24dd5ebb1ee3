import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AuthService, openRegistry } from '@lumbung/cloud';
import { DEMO_SCENARIO_PATH, loadScenario } from '@lumbung/firmware-sim';
import { createLogger, waitFor } from '@lumbung/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCHER, LumbungProcess } from '../../src/child.ts';
import { startCloudAndBox } from './harness.ts';

const run = promisify(execFile);
const DEVICE = 'taman-th-baru';

// Issue 4, "a revoked device is cut off in a test with real processes": the cloud, a village box polling its
// provisioning every 2 s, and a simulated device that provisions itself with the code a village admin got.
describe('device provisioning and revocation with real processes', () => {
  let dir: string | undefined;
  const procs: LumbungProcess[] = [];
  afterEach(async () => {
    for (const p of procs.reverse()) await p.kill();
    procs.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a village admin registers a device, the simulator provisions it with the code, and a revocation cuts it off within 60 s', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-devprov-'));
    const env = { ...process.env, LUMBUNG_DATA_DIR: dir, LUMBUNG_NODE: process.execPath, LUMBUNG_LOG_LEVEL: 'warn' };
    await run(LAUNCHER, ['register'], { env });
    const creds = JSON.parse(await readFile(path.join(dir, 'credentials.json'), 'utf8')) as {
      edge: { edgeId: string; secret: string };
    };

    // A village admin, made in the registry database before the cloud starts (as an installer would).
    const password = randomBytes(12).toString('base64url');
    const registry = openRegistry({ url: process.env.LUMBUNG_DATABASE_URL, dataDir: dir });
    await registry.start();
    try {
      const auth = new AuthService({
        accounts: registry.accounts,
        key: randomBytes(32),
        notifier: { send: async () => {} },
        logger: createLogger('test', 'silent'),
      });
      const user = await registry.accounts.createUser({
        username: 'operator',
        displayName: 'Operator desa',
        passwordHash: await auth.hashPassword(password),
        createdAt: Date.now(),
      });
      await registry.accounts.setMemberships(user.id, [{ role: 'village_admin', villageId: 'kel-taman' }], Date.now());
    } finally {
      await registry.stop();
    }

    const { base, api, cloud, edge, edgeMqtt } = await startCloudAndBox(dir, creds.edge, (p) => procs.push(p), {
      provisioningIntervalS: 2,
    });

    // The admin signs in and registers a new sensor in the egg room.
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const registered = await fetch(`${api}/villages/kel-taman/devices`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: DEVICE, family: 'storage_room_sensor', siteId: 'ruang-telur', intervalSeconds: 60 }),
    });
    expect(registered.status).toBe(201);
    const { code, provisioningUrl } = (await registered.json()) as { code: string; provisioningUrl: string };
    expect(provisioningUrl).toMatch(/^lumbung:\/\/provision\?v=1&code=/);

    // The simulated device knows only its code and the cloud's address.
    const scenario = await loadScenario(DEMO_SCENARIO_PATH);
    const scenarioFile = path.join(dir, 'baru.json');
    await writeFile(
      scenarioFile,
      JSON.stringify({
        ...scenario,
        devices: [{ id: DEVICE, family: 'storage_room_sensor', siteId: 'ruang-telur', intervalSeconds: 60 }],
      }),
    );
    const codesFile = path.join(dir, 'codes.json');
    await writeFile(codesFile, JSON.stringify({ [DEVICE]: code }));
    const secretsFile = path.join(dir, 'sim-secrets.json');
    let simLog = '';
    const sim = new LumbungProcess(
      'sim',
      { LUMBUNG_DATA_DIR: dir },
      undefined,
      [],
      (child) => child.stderr?.on('data', (d: Buffer) => (simLog += d.toString('utf8'))),
      [
        '--scenario',
        scenarioFile,
        '--broker',
        `mqtt://127.0.0.1:${edgeMqtt}`,
        '--cloud',
        base,
        '--codes',
        codesFile,
        '--secrets',
        secretsFile,
        '--backfill-days',
        '0.05',
      ],
    );
    procs.push(sim);
    await sim.start();
    const events = () =>
      simLog
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string; deviceId?: string });

    // Its readings reach the cloud through the box and the gateway.
    await waitFor(
      'readings of the new device in the cloud',
      async () => {
        const res = await fetch(`${api}/villages/kel-taman/latest?deviceId=${DEVICE}`, { headers });
        const rows = (await res.json()) as { metric: string }[];
        return res.ok && rows.some((r) => r.metric === 'air_temperature') ? true : undefined;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nsim:\n${simLog.slice(-4000)}\nedge:\n${edge.output}\ncloud:\n${cloud.output}`);
    });
    expect(events()).toContainEqual(expect.objectContaining({ type: 'provisioned', deviceId: DEVICE }));
    // The secret is kept for a restart, readable by its owner only; the code is spent.
    const kept = JSON.parse(await readFile(secretsFile, 'utf8')) as Record<string, string>;
    expect(kept[DEVICE]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const again = await fetch(`${api}/provisioning/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(again.status).toBe(401);

    // Revocation: the box learns it on its next poll and disconnects the device.
    const connectedBefore = events().filter((e) => e.type === 'connected' && e.deviceId === DEVICE).length;
    const disconnectsBefore = events().filter((e) => e.type === 'disconnected' && e.deviceId === DEVICE).length;
    expect(connectedBefore).toBeGreaterThan(0);
    const revokedAt = Date.now();
    const revoke = await fetch(`${api}/villages/kel-taman/devices/${DEVICE}/revoke`, {
      method: 'POST',
      headers: { authorization: headers.authorization },
    });
    expect(revoke.status).toBe(200);
    await waitFor(
      'the revoked device disconnected',
      async () =>
        events().filter((e) => e.type === 'disconnected' && e.deviceId === DEVICE).length > disconnectsBefore
          ? true
          : undefined,
      60_000,
    );
    const cutOffMs = Date.now() - revokedAt;
    console.log(`revoked device ${DEVICE} disconnected ${cutOffMs} ms after the revocation`);
    expect(cutOffMs).toBeLessThan(60_000);
    // It tries again and the box refuses it.
    await waitFor(
      'the revoked device refused on reconnect',
      async () => (events().some((e) => e.type === 'refused' && e.deviceId === DEVICE) ? true : undefined),
      30_000,
    );
    expect(await sim.stop()).toBe(0);
    expect(await edge.stop()).toBe(0);
    expect(await cloud.stop()).toBe(0);
  }, 240_000);
});
