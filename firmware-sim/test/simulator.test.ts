import net, { type AddressInfo } from 'node:net';
import { parseTopic, StatusPayload, UpPayload } from '@lumbung/schemas';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countSlots,
  DEMO_SCENARIO_PATH,
  generateReadings,
  loadScenario,
  Simulator,
  type SimulatorEvent,
} from '../src/index.ts';

interface Broker {
  url: string;
  received: { topic: string; payload: Buffer; retain: boolean }[];
  close(): Promise<void>;
  broker: Aedes;
}

async function startBroker(secrets: Record<string, string>): Promise<Broker> {
  return startBrokerOn(secrets, 0);
}

async function startBrokerOn(secrets: Record<string, string>, listenPort: number): Promise<Broker> {
  const broker = await Aedes.createBroker();
  broker.authenticate = (client, username, password, done) => {
    const ok = username === client.id && password !== undefined && secrets[username] === password.toString();
    if (ok) done(null, true);
    else {
      const err = Object.assign(new Error('bad credentials'), { returnCode: 4 });
      done(err as never, false);
    }
  };
  const received: Broker['received'] = [];
  broker.on('publish', (packet, client) => {
    if (client) received.push({ topic: packet.topic, payload: Buffer.from(packet.payload), retain: packet.retain });
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    received,
    broker,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const opened: { stop?: () => Promise<void>; close?: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) {
    if (o.stop) await o.stop();
    else await o.close?.();
  }
});

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const secrets = Object.fromEntries(scenario.devices.map((d) => [d.id, `secret-${d.id}`]));

describe('Simulator against a real aedes broker', () => {
  it('backfills one day at full speed: authenticated devices, valid payloads, exact count, retained status', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    const startAt = Date.parse('2026-03-01T00:00:00Z');
    const events: SimulatorEvent[] = [];
    const sim = new Simulator({
      scenario,
      brokerUrl: b.url,
      secrets,
      backfillDays: 1,
      speed: 1,
      startAt,
      onEvent: (e) => events.push(e),
    });
    opened.push(sim);
    const done = new Promise<SimulatorEvent>((resolve) => sim.events.on('backfill_complete', resolve));
    await sim.start();
    const complete = await done;

    const expected = countSlots(scenario, { from: startAt - 86_400_000, to: startAt });
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2000);
    expect(complete).toMatchObject({
      type: 'backfill_complete',
      published: total,
      from: startAt - 86_400_000,
      to: startAt,
    });
    expect(events.filter((e) => e.type === 'connected')).toHaveLength(scenario.devices.length);

    const ups = b.received.filter((m) => m.topic.endsWith('/up'));
    expect(ups).toHaveLength(total);
    const seqs = new Map<string, number[]>();
    for (const m of ups) {
      const t = parseTopic(m.topic);
      expect(t).toMatchObject({ kind: 'device', villageId: 'kel-taman', channel: 'up' });
      const p = UpPayload.parse(JSON.parse(m.payload.toString()));
      expect(p.ts).toBeGreaterThanOrEqual(startAt - 86_400_000);
      expect(p.ts).toBeLessThan(startAt);
      if (t?.kind === 'device') seqs.set(t.deviceId, [...(seqs.get(t.deviceId) ?? []), p.seq]);
    }
    for (const d of scenario.devices) {
      const s = seqs.get(d.id) ?? [];
      expect(s.length).toBe(expected[d.id]);
      for (let i = 1; i < s.length; i++) expect(s[i]).toBe(((s[i - 1] ?? 0) + 1) % 2 ** 32);
    }
    const stats = sim.stats();
    expect(stats.acked).toBe(total);
    expect(stats.failed).toBe(0);

    // Every device announced itself online, retained.
    const statuses = b.received.filter((m) => m.topic.endsWith('/status'));
    for (const d of scenario.devices) {
      const s = statuses.find((m) => m.topic === `lumbung/v1/kel-taman/${d.id}/status`);
      expect(s?.retain).toBe(true);
      expect(StatusPayload.parse(JSON.parse(s!.payload.toString())).state).toBe('online');
    }
  });

  it('keeps retained online status for a late subscriber and publishes offline on stop', async () => {
    const all = { ...secrets, watcher: 'w' };
    const b = await startBroker(all);
    opened.push(b);
    const one = { ...scenario, devices: scenario.devices.slice(0, 1) };
    const sim = new Simulator({
      scenario: one,
      brokerUrl: b.url,
      secrets,
      startAt: Date.parse('2026-03-01T00:00:00Z'),
    });
    opened.push(sim);
    await sim.start();
    const watcher = await mqtt.connectAsync(b.url, {
      clientId: 'watcher',
      username: 'watcher',
      password: 'w',
      reconnectPeriod: 0,
    });
    const got: Record<string, unknown>[] = [];
    watcher.on('message', (_t, p, packet) => got.push({ ...JSON.parse(p.toString()), retain: packet.retain }));
    await watcher.subscribeAsync('lumbung/v1/kel-taman/+/status', { qos: 1 });
    await expect.poll(() => got.length).toBeGreaterThan(0);
    expect(got[0]).toMatchObject({ state: 'online', retain: true, firmware: 'lumbung-ws/1.2.0' });
    await sim.stop();
    await expect.poll(() => got.at(-1)).toMatchObject({ state: 'offline' });
    await watcher.endAsync();
  });

  it('publishes live readings on the accelerated clock', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    const room = { ...scenario, devices: scenario.devices.filter((d) => d.id === 'taman-th-telur') };
    const sim = new Simulator({
      scenario: room,
      brokerUrl: b.url,
      secrets,
      speed: 3600,
      startAt: Date.parse('2026-03-01T00:00:00Z'),
    });
    opened.push(sim);
    await sim.start();
    // 60 s readings at 3600x: one a minute of simulated time, about 60 per wall-clock second.
    await expect
      .poll(() => b.received.filter((m) => m.topic.endsWith('/up')).length, { timeout: 5000 })
      .toBeGreaterThan(30);
    expect(sim.stats().phase).toBe('live');
  });

  it('reports a refusal clearly when the secret is wrong, and keeps retrying with backoff', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    const one = { ...scenario, devices: scenario.devices.slice(0, 1) };
    const events: SimulatorEvent[] = [];
    const sim = new Simulator({
      scenario: one,
      brokerUrl: b.url,
      secrets: { 'taman-ws-01': 'wrong' },
      onEvent: (e) => events.push(e),
      reconnect: { minMs: 20, maxMs: 50 },
    });
    opened.push(sim);
    await sim.start();
    const refused = events.find((e) => e.type === 'refused');
    expect(refused).toMatchObject({ deviceId: 'taman-ws-01', code: 4 });
    expect(refused && 'message' in refused ? refused.message : '').toMatch(/bad username or password/);
    expect(sim.stats().devices['taman-ws-01']?.state).toBe('refused');
    await expect.poll(() => events.filter((e) => e.type === 'refused').length).toBeGreaterThan(2);
  });

  it('refuses to start without a secret for every device', async () => {
    const sim = new Simulator({ scenario, brokerUrl: 'mqtt://127.0.0.1:1', secrets: {} });
    await expect(sim.start()).rejects.toThrow(/no secret for device\(s\): taman-ws-01/);
    await sim.stop();
  });
});

describe('Simulator live mode', () => {
  it('sends what the pure generator computes, whatever the speed', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    const startAt = Date.parse('2026-03-01T00:00:00Z');
    const room = { ...scenario, devices: scenario.devices.filter((d) => d.id === 'taman-th-telur') };
    const sim = new Simulator({ scenario: room, brokerUrl: b.url, secrets, speed: 7200, startAt });
    opened.push(sim);
    await sim.start();
    await expect
      .poll(() => b.received.filter((m) => m.topic.endsWith('/up')).length, { timeout: 5000 })
      .toBeGreaterThan(40);
    await sim.stop();
    const got = b.received.filter((m) => m.topic.endsWith('/up')).map((m) => JSON.parse(m.payload.toString()));
    const want = generateReadings(room, { from: startAt, to: startAt + got.length * 60_000 + 1 }).map((e) => e.payload);
    expect(got).toEqual(want.slice(0, got.length));
  });

  it('paces live readings by the simulated clock (injected wall clock)', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    const startAt = Date.parse('2026-03-01T00:00:00Z');
    let wall = 1_000_000;
    const room = { ...scenario, devices: scenario.devices.filter((d) => d.id === 'taman-th-telur') };
    const sim = new Simulator({ scenario: room, brokerUrl: b.url, secrets, speed: 60, startAt, clock: () => wall });
    opened.push(sim);
    await sim.start();
    const ups = () => b.received.filter((m) => m.topic.endsWith('/up')).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(ups()).toBe(0); // the first slot lies after startAt and the clock has not moved
    wall += 10_000; // ten wall seconds at 60x = ten simulated minutes
    await expect.poll(ups, { timeout: 3000 }).toBe(10);
    await new Promise((r) => setTimeout(r, 1200));
    expect(ups()).toBe(10);
    expect(sim.stats()).toMatchObject({ phase: 'live', published: 10, acked: 10, backlog: 0 });
  });

  it('with realTimeCap, runs fast until it reaches the present and then at real time', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    let wall = Date.parse('2026-03-01T01:00:00Z');
    const startAt = wall - 10 * 60_000; // ten simulated minutes behind the present
    const room = { ...scenario, devices: scenario.devices.filter((d) => d.id === 'taman-th-telur') };
    const sim = new Simulator({
      scenario: room,
      brokerUrl: b.url,
      secrets,
      speed: 60,
      startAt,
      realTimeCap: true,
      clock: () => wall,
    });
    opened.push(sim);
    await sim.start();
    const ups = () => b.received.filter((m) => m.topic.endsWith('/up')).length;
    wall += 60_000; // one wall minute at 60x would be an hour, but the clock stops at the present
    await expect.poll(ups, { timeout: 3000 }).toBe(11);
    expect(sim.simNow()).toBe(wall);
    await new Promise((r) => setTimeout(r, 1200));
    expect(ups()).toBe(11); // nothing from the future
    wall += 120_000; // two more wall minutes: real time now
    await expect.poll(ups, { timeout: 3000 }).toBe(13);
    const last = JSON.parse(
      b.received
        .filter((m) => m.topic.endsWith('/up'))
        .at(-1)!
        .payload.toString(),
    );
    expect(last.ts).toBeLessThanOrEqual(wall);
  });

  it('injects and clears faults at run time', async () => {
    const b = await startBroker(secrets);
    opened.push(b);
    const startAt = Date.parse('2026-03-01T00:00:00Z');
    let wall = 1_000_000;
    const room = { ...scenario, devices: scenario.devices.filter((d) => d.id === 'taman-th-telur') };
    const events: SimulatorEvent[] = [];
    const sim = new Simulator({
      scenario: room,
      brokerUrl: b.url,
      secrets,
      speed: 60,
      startAt,
      clock: () => wall,
      onEvent: (e) => events.push(e),
    });
    opened.push(sim);
    await sim.start();
    sim.injectFault('taman-th-telur', { type: 'dropout', probability: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'fault_injected', fault: { type: 'dropout', probability: 1 } });
    wall += 5_000;
    await expect.poll(() => sim.stats().lost, { timeout: 3000 }).toBe(5);
    expect(sim.stats().published).toBe(0);
    sim.clearFaults('taman-th-telur');
    wall += 5_000;
    await expect.poll(() => sim.stats().acked, { timeout: 3000 }).toBe(5);
    expect(() => sim.injectFault('nope', { type: 'dropout' })).toThrow(/no simulated device/);
  });

  it('reconnects after the broker goes away and loses nothing', async () => {
    const b = await startBroker(secrets);
    const port = Number(new URL(b.url).port);
    const startAt = Date.parse('2026-03-01T00:00:00Z');
    let wall = 1_000_000;
    const room = { ...scenario, devices: scenario.devices.filter((d) => d.id === 'taman-th-telur') };
    const events: SimulatorEvent[] = [];
    const sim = new Simulator({
      scenario: room,
      brokerUrl: b.url,
      secrets,
      speed: 60,
      startAt,
      clock: () => wall,
      reconnect: { minMs: 50, maxMs: 200 },
      onEvent: (e) => events.push(e),
    });
    opened.push(sim);
    await sim.start();
    wall += 5_000;
    await expect.poll(() => b.received.filter((m) => m.topic.endsWith('/up')).length).toBe(5);
    await b.close();
    await expect.poll(() => events.some((e) => e.type === 'disconnected')).toBe(true);
    wall += 5_000; // five readings fall due while the broker is down
    await new Promise((r) => setTimeout(r, 300));
    const b2 = await startBrokerOn(secrets, port);
    opened.push(b2);
    await expect.poll(() => b2.received.filter((m) => m.topic.endsWith('/up')).length, { timeout: 10_000 }).toBe(5);
    const seqs = b2.received.filter((m) => m.topic.endsWith('/up')).map((m) => JSON.parse(m.payload.toString()).seq);
    const first = JSON.parse(b.received.filter((m) => m.topic.endsWith('/up'))[0]!.payload.toString()).seq;
    expect(seqs).toEqual([5, 6, 7, 8, 9].map((i) => first + i));
    expect(events.filter((e) => e.type === 'connected').length).toBeGreaterThanOrEqual(2);
  });
});

describe('Simulator options', () => {
  it.each([
    [{ speed: 0 }, /speed must be a positive number/],
    [{ speed: Number.NaN }, /speed must be a positive number/],
    [{ backfillDays: -1 }, /backfillDays must be zero or more/],
  ])('rejects %o', async (extra, message) => {
    const sim = new Simulator({ scenario, brokerUrl: 'mqtt://127.0.0.1:1', secrets, ...extra });
    await expect(sim.start()).rejects.toThrow(message);
    await sim.stop();
  });
});
