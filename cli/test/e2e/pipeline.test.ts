import { afterEach, describe, expect, it } from 'vitest';
import { Fleet, type Pipeline, startPipeline, verifyExactlyOnce, waitFor } from './harness.ts';

// device → `lumbung edge` → `lumbung gateway` → DuckDB, as separate processes, with the real CLI.
describe('pipeline across real processes', () => {
  let p: Pipeline | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.close();
    await p?.cleanup();
    p = undefined;
    fleet = undefined;
  });

  /** Gateway and village box running, `n` devices connected. */
  const running = async (n: number) => {
    const pl = await startPipeline(n);
    await pl.gateway.start();
    await pl.edge.start();
    const f = new Fleet(pl);
    await f.connect();
    return { p: pl, fleet: f };
  };

  const drained = async (pl: Pipeline) =>
    waitFor('edge queue drained', async () => ((await pl.queueReadings()) === 0 ? true : undefined));

  it('stores every published reading exactly once with its value and device timestamp', async () => {
    ({ p, fleet } = await running(10));
    await fleet.publish(40, 5);
    await drained(p);
    expect(await p.edge.stop()).toBe(0);
    expect(await p.gateway.stop()).toBe(0);
    const r = await verifyExactlyOnce(p, fleet.sent);
    expect(r.problems).toEqual([]);
    expect(r.acked).toBe(400);
    expect(r.stored).toBe(800);
  });

  it('loses and duplicates nothing while the gateway is down for a while, and keeps original timestamps', async () => {
    ({ p, fleet } = await running(10));
    await fleet.publish(10, 5);
    expect(await p.gateway.stop()).toBe(0);
    await fleet.publish(30, 5); // the village box keeps accepting while its uplink is down
    expect(fleet.sent.every((m) => m.acked)).toBe(true);
    expect(await p.queueReadings()).toBeGreaterThan(0);
    await p.gateway.start();
    await drained(p);
    expect(await p.edge.stop()).toBe(0);
    expect(await p.gateway.stop()).toBe(0);
    const r = await verifyExactlyOnce(p, fleet.sent);
    expect(r.problems).toEqual([]);
    expect(r.stored).toBe(800);
  });

  it('survives kill -9 of the gateway mid-stream: nothing lost, nothing duplicated', async () => {
    ({ p, fleet } = await running(10));
    const pl = p;
    const publishing = fleet.publish(150, 10);
    await new Promise((r) => setTimeout(r, 500));
    await pl.gateway.kill();
    const ackedAtKill = fleet.sent.filter((m) => m.acked).length;
    await new Promise((r) => setTimeout(r, 500));
    const queuedWhileDown = await pl.queueReadings();
    await pl.gateway.start();
    await publishing;
    await drained(pl);
    expect(await pl.edge.stop()).toBe(0);
    expect(await pl.gateway.stop()).toBe(0);
    const r = await verifyExactlyOnce(pl, fleet.sent);
    // The kill really happened mid-stream: devices were still sending and the box was holding readings.
    expect(ackedAtKill).toBeLessThan(1000);
    expect(queuedWhileDown).toBeGreaterThan(0);
    expect(r.problems).toEqual([]);
    expect(r.acked).toBe(1500);
    expect(r.stored).toBe(3000);
  });

  it('survives kill -9 of the village box: every reading acknowledged to a device before the kill is stored once', async () => {
    ({ p, fleet } = await running(10));
    const pl = p;
    const publishing = fleet.publish(150, 10);
    await new Promise((r) => setTimeout(r, 500));
    await pl.edge.kill();
    const ackedBeforeKill = fleet.sent.filter((m) => m.acked).length;
    await new Promise((r) => setTimeout(r, 300));
    await pl.edge.start();
    await publishing;
    await drained(pl);
    expect(await pl.edge.stop()).toBe(0);
    expect(await pl.gateway.stop()).toBe(0);
    const r = await verifyExactlyOnce(pl, fleet.sent);
    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect(ackedBeforeKill).toBeLessThan(1000);
    expect(r.problems).toEqual([]);
    // Devices resend what was not acknowledged when the box died, so in the end everything arrives.
    expect(r.acked).toBe(1500);
    expect(r.stored).toBe(3000);
  });
});
