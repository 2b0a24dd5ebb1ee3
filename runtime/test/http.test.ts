import { afterEach, describe, expect, it } from 'vitest';
import { Counter, OpsServer, Registry } from '../src/index.ts';

describe('OpsServer', () => {
  let server: OpsServer | undefined;
  afterEach(async () => server?.stop());

  it('serves /health, /metrics and extra routes on an ephemeral port', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'lumbung_test_things_total', help: 'things', registers: [registry] });
    c.inc(3);
    let status: 'ok' | 'down' = 'ok';
    server = new OpsServer({ port: 0, registry, health: () => ({ status }), routes: { '/things': () => [1, 2] } });
    await server.start();
    const base = `http://127.0.0.1:${server.port}`;
    expect(server.port).toBeGreaterThan(0);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    status = 'down';
    expect((await fetch(`${base}/health`)).status).toBe(503);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('lumbung_test_things_total 3');
    expect(await (await fetch(`${base}/things`)).json()).toEqual([1, 2]);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
