/**
 * Cloud API benchmark: `node --import tsx bench/api.ts [--quick]`. Prints ONE JSON summary to stdout
 * (progress to stderr). Not a test: numbers are reported against the targets of the cloud issue.
 *   - GET latest for a village with 200 devices: p95 ≤ 50 ms
 *   - a 30-day hourly chart of one metric (1-minute readings, 720 buckets of avg/min/max): p95 ≤ 100 ms
 * Real parts: SQLite registry, DuckDB store in a temp dir, the Fastify app listening on loopback, requests
 * over HTTP with keep-alive. The store holds 30 days of every device, so the queries read real volumes.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Cloud, openRegistry, seedFromScenario } from '@lumbung/cloud';
import { DEMO_SCENARIO_PATH, emittedReadings, iterateReadings, loadScenario } from '@lumbung/firmware-sim';
import { hashSecret } from '@lumbung/runtime';
import type { Scenario } from '@lumbung/schemas';
import { DuckDbStore, type StoredReading } from '@lumbung/store';
import { benchLogger, load, machine, percentiles, Resources, round, say } from './lib/util.ts';

const quick = process.argv.includes('--quick');
const DEVICES = 200;
const DAYS = quick ? 7 : 30;
const RUNS = quick ? 50 : 300;
const DAY = 86_400_000;
let authorization = '';

/** The demo village grown to `n` devices: copies of its devices on the same sites. */
function bigVillage(base: Scenario, n: number): Scenario {
  const devices: Scenario['devices'] = [];
  for (let i = 0; devices.length < n; i++)
    for (const d of base.devices) if (devices.length < n) devices.push({ ...d, id: `${d.id}-${i}`.slice(0, 64) });
  return { ...base, devices };
}

async function measure(url: string, runs: number): Promise<{ ms: ReturnType<typeof percentiles>; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { 'accept-encoding': 'gzip', authorization } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${Buffer.from(body).toString()}`);
    if (i >= 5) times.push(performance.now() - t0); // the first few warm caches and JIT
    bytes = body.byteLength;
  }
  return { ms: percentiles(times), bytes };
}

async function main() {
  const res = new Resources();
  try {
    const dir = await res.tempDir('api');
    const scenario = bigVillage(await loadScenario(DEMO_SCENARIO_PATH), DEVICES);
    const store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
    await store.start();
    res.add('store', () => store.stop());
    const to = Date.now();
    const from = to - DAYS * DAY;
    say(`writing ${DAYS} days of ${DEVICES} devices`);
    const t0 = performance.now();
    let batch: StoredReading[] = [];
    let written = 0;
    for (const e of iterateReadings(scenario, { from, to })) {
      batch.push(...emittedReadings(e, scenario.village.id));
      if (batch.length >= 50_000) {
        written += (await store.write(batch)).written;
        batch = [];
      }
    }
    written += (await store.write(batch)).written;
    say(`${written} readings in ${round((performance.now() - t0) / 1000)} s`);

    const registry = openRegistry({ dataDir: dir });
    const cloud = new Cloud({
      host: '127.0.0.1',
      port: 0,
      registry,
      store,
      version: 'bench',
      logger: benchLogger('cloud'),
      authKey: randomBytes(32),
    });
    await cloud.start();
    // Requests carry a platform admin's token, as a signed-in dashboard's would (the access check is measured too).
    const admin = await registry.accounts.createUser({
      username: 'bench',
      displayName: 'bench',
      passwordHash: await cloud.auth!.hashPassword('bench-password'),
      createdAt: Date.now(),
    });
    await registry.accounts.setMemberships(admin.id, [{ role: 'platform_admin', villageId: null }], Date.now());
    const { accessToken } = await cloud.auth!.login('bench', 'bench-password', {});
    authorization = `Bearer ${accessToken}`;
    res.add('cloud', () => cloud.stop());
    await seedFromScenario(registry, scenario, {
      edgeId: 'box-bench',
      edgeName: 'bench',
      edgeSecretHash: hashSecret('x'),
      deviceSecretHashes: Object.fromEntries(scenario.devices.map((d) => [d.id, hashSecret(d.id)])),
    });
    const base = `http://127.0.0.1:${cloud.port}/api/v1/villages/${scenario.village.id}`;
    const room = scenario.devices.find((d) => d.id.startsWith('taman-th-telur'))!;
    say('GET latest');
    const latest = await measure(`${base}/latest`, RUNS);
    say('GET readings, 30 days hourly');
    const chart = await measure(
      `${base}/readings?deviceId=${room.id}&metric=air_temperature&from=${to - 30 * DAY}&to=${to}&step=1h&agg=avg,min,max`,
      RUNS,
    );
    say('GET device-health');
    const health = await measure(`${base}/device-health`, RUNS);
    const summary = {
      bench: 'api',
      at: new Date().toISOString(),
      machine: machine(),
      load: load(),
      setup: { devices: DEVICES, days: DAYS, readings: written, registry: registry.provider, store: store.name },
      latest: { target: { p95Ms: 50 }, ...latest, met: latest.ms.p95! <= 50 },
      chart30dHourly: { target: { p95Ms: 100 }, ...chart, met: chart.ms.p95! <= 100 },
      deviceHealth: health,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await res.close();
  }
}

await main();
