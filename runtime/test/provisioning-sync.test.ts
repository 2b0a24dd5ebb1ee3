import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, type ProvisioningFetchResult, ProvisioningSync, waitFor } from '../src/index.ts';
import { StandInCloud } from './testing.ts';

const Body = z.object({ version: z.number().int(), devices: z.array(z.string()) });
type Body = z.infer<typeof Body>;
const PATH = '/api/v1/provisioning/edge';
const TOKEN = 'Bearer right';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function logCapture() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function cloud(body: Body = { version: 1, devices: ['a'] }) {
  const c = new StandInCloud();
  c.serve(PATH, body, (auth) => (auth === TOKEN ? 200 : auth === 'Bearer revoked' ? 403 : 401));
  await c.start();
  cleanups.push(() => c.stop());
  return c;
}

function dir() {
  const d = mkdtempSync(join(tmpdir(), 'lumbung-sync-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function sync(
  url: string,
  cacheFile: string,
  o: { token?: string; intervalMs?: number; timeoutMs?: number; onChange?: (b: Body) => void } = {},
) {
  const log = logCapture();
  const results: ProvisioningFetchResult[] = [];
  const s = new ProvisioningSync<Body>({
    url: `${url}${PATH}`,
    headers: { authorization: o.token ?? TOKEN },
    parse: (json) => Body.parse(json),
    cacheFile,
    intervalMs: o.intervalMs ?? 60_000,
    timeoutMs: o.timeoutMs ?? 2000,
    logger: log.logger,
    ...(o.onChange ? { onChange: o.onChange } : {}),
    onResult: (r) => results.push(r),
  });
  cleanups.push(() => s.stop());
  return { s, log, results };
}

describe('ProvisioningSync', () => {
  it('fetches with the credentials, caches the copy atomically with mode 0600 and returns it', async () => {
    const c = await cloud();
    const d = dir();
    const cacheFile = join(d, 'edge', 'provisioning.json');
    const { s } = sync(c.url, cacheFile);
    expect(await s.start()).toEqual({ version: 1, devices: ['a'] });
    expect(c.requests).toEqual([{ path: PATH, authorization: TOKEN, ifNoneMatch: undefined, status: 200 }]);
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(cached).toMatchObject({ etag: c.etag(PATH), body: { version: 1, devices: ['a'] } });
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(d, 'edge'))).toEqual(['provisioning.json']); // no temp file left behind
    expect(s.state).toMatchObject({ source: 'cloud', lastError: null, etag: c.etag(PATH) });
    expect(s.failing).toBe(false);
  });

  it('polls with If-None-Match: 304 changes nothing, new content calls onChange once and is cached', async () => {
    const c = await cloud();
    const cacheFile = join(dir(), 'p.json');
    const changes: Body[] = [];
    const { s, results } = sync(c.url, cacheFile, { onChange: (b) => changes.push(b) });
    await s.start();
    await s.poll();
    expect(c.requests.at(-1)).toMatchObject({ ifNoneMatch: c.etag(PATH), status: 304 });
    expect(changes).toEqual([]);
    c.update(PATH, { version: 2, devices: ['a', 'b'] });
    await s.poll();
    expect(changes).toEqual([{ version: 2, devices: ['a', 'b'] }]);
    expect(s.current).toEqual({ version: 2, devices: ['a', 'b'] });
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).body).toEqual({ version: 2, devices: ['a', 'b'] });
    await s.poll();
    expect(changes).toHaveLength(1);
    expect(results).toEqual(['unchanged', 'changed', 'unchanged']);
    expect(s.state.changes).toBe(1);
  });

  it('polls on its own every intervalMs, and stop() ends the polling', async () => {
    const c = await cloud();
    const { s } = sync(c.url, join(dir(), 'p.json'), { intervalMs: 30 });
    await s.start();
    await waitFor('three polls', () => c.requests.length >= 4, 5000, 10);
    await s.stop();
    const n = c.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(c.requests.length).toBe(n);
  });

  it('starts on the cached copy when the cloud is unreachable, says since when, and switches back to the cloud', async () => {
    const c = await cloud();
    const cacheFile = join(dir(), 'p.json');
    const first = sync(c.url, cacheFile);
    await first.s.start();
    await first.s.stop();
    const fetchedAt = JSON.parse(readFileSync(cacheFile, 'utf8')).fetchedAt as number;
    await c.stop();

    const changes: Body[] = [];
    const second = sync(c.url, cacheFile, { onChange: (b) => changes.push(b) });
    expect(await second.s.start()).toEqual({ version: 1, devices: ['a'] });
    expect(second.s.state).toMatchObject({ source: 'cache', fetchedAt });
    // refused, or a kept-alive connection of the first run found closed
    expect(second.s.state.lastError).toMatch(/ECONNREFUSED|other side closed/);
    expect(second.s.failing).toBe(true);
    const warning = second.log.lines.find((l) => /last-known provisioning/.test(l.msg));
    expect(warning).toMatchObject({ level: 40, fetchedAt: new Date(fetchedAt).toISOString() });
    expect(warning?.msg).toContain(new Date(fetchedAt).toISOString());

    // the cloud comes back, unchanged: the cached ETag makes it a 304
    await c.start();
    await second.s.poll();
    expect(c.requests.at(-1)).toMatchObject({ status: 304 });
    expect(second.s.state.source).toBe('cloud');
    expect(second.s.failing).toBe(false);
    expect(changes).toEqual([]);
    c.update(PATH, { version: 3, devices: [] });
    await second.s.poll();
    expect(changes).toEqual([{ version: 3, devices: [] }]);
  });

  it('starts on the cache when the cloud answers 5xx', async () => {
    const c = await cloud();
    const cacheFile = join(dir(), 'p.json');
    const first = sync(c.url, cacheFile);
    await first.s.start();
    await first.s.stop();
    c.down = true;
    const second = sync(c.url, cacheFile);
    expect(await second.s.start()).toEqual({ version: 1, devices: ['a'] });
    expect(second.s.state.source).toBe('cache');
    expect(second.s.state.lastError).toMatch(/HTTP 503.*down for maintenance/);
    expect(second.results).toEqual(['unreachable']);
  });

  it('gives up a request after timeoutMs and starts on the cache', async () => {
    const c = await cloud();
    const cacheFile = join(dir(), 'p.json');
    const first = sync(c.url, cacheFile);
    await first.s.start();
    await first.s.stop();
    c.hang = true;
    const second = sync(c.url, cacheFile, { timeoutMs: 200 });
    const t0 = Date.now();
    expect(await second.s.start()).toEqual({ version: 1, devices: ['a'] });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(second.s.state.lastError).toMatch(/no answer within 200 ms/);
  });

  it('without cloud and cache, fails with an error naming the setting and the URL', async () => {
    const c = await cloud();
    await c.stop();
    const { s } = sync(c.url, join(dir(), 'p.json'));
    const err = await s.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /^LUMBUNG_CLOUD_URL: cannot get the provisioning from http:\/\/127\.0\.0\.1/,
    );
    expect((err as Error).message).toMatch(/no cached copy/);
  });

  it('with wrong credentials and no cache, says the cloud refused them', async () => {
    const c = await cloud();
    const { s } = sync(c.url, join(dir(), 'p.json'), { token: 'Bearer wrong' });
    await expect(s.start()).rejects.toThrow(/HTTP 401 \(LUMBUNG_ERR_UNAUTHORIZED: wrong credentials\).*refused/);
  });

  it('ignores a cache that does not validate', async () => {
    const c = await cloud();
    await c.stop();
    const cacheFile = join(dir(), 'p.json');
    writeFileSync(cacheFile, JSON.stringify({ fetchedAt: 1, etag: null, url: 'x', body: { version: 'one' } }));
    const { s, log } = sync(c.url, cacheFile);
    await expect(s.start()).rejects.toThrow(/no cached copy/);
    expect(log.lines.some((l) => l.msg === 'provisioning cache invalid; ignored' && l.level === 50)).toBe(true);
  });

  it('keeps the last good copy on 401, 403, an invalid body and a dead cloud; 401/403 are logged as errors', async () => {
    const c = await cloud();
    const cacheFile = join(dir(), 'p.json');
    const changes: Body[] = [];
    const ctl = { token: TOKEN };
    const log = logCapture();
    const results: ProvisioningFetchResult[] = [];
    const s = new ProvisioningSync<Body>({
      url: `${c.url}${PATH}`,
      get headers() {
        return { authorization: ctl.token };
      },
      parse: (json) => Body.parse(json),
      cacheFile,
      intervalMs: 60_000,
      logger: log.logger,
      onChange: (b) => changes.push(b),
      onResult: (r) => results.push(r),
    });
    cleanups.push(() => s.stop());
    await s.start();
    const good = readFileSync(cacheFile, 'utf8');

    ctl.token = 'Bearer wrong';
    await s.poll();
    ctl.token = 'Bearer revoked';
    await s.poll();
    ctl.token = TOKEN;
    c.update(PATH, { version: 'two', devices: 'all' });
    await s.poll();
    await c.stop();
    await s.poll();

    expect(results).toEqual(['unauthorized', 'forbidden', 'invalid', 'unreachable']);
    expect(s.current).toEqual({ version: 1, devices: ['a'] });
    expect(readFileSync(cacheFile, 'utf8')).toBe(good);
    expect(changes).toEqual([]);
    expect(s.failing).toBe(true);
    const refusals = log.lines.filter((l) => /wrong or revoked credentials/.test(l.msg));
    expect(refusals.map((l) => l.level)).toEqual([50, 50]);
    expect(refusals.map((l) => l.error)).toEqual([
      expect.stringMatching(/HTTP 401/),
      expect.stringMatching(/HTTP 403 \(LUMBUNG_ERR_FORBIDDEN: revoked\)/),
    ]);
    expect(log.lines.find((l) => /not usable/.test(l.msg))).toMatchObject({ level: 50 });
    expect(s.state.failures).toBe(4);
  });

  it('stop() aborts a request in flight', async () => {
    const c = await cloud();
    const { s } = sync(c.url, join(dir(), 'p.json'), { timeoutMs: 30_000 });
    await s.start();
    c.hang = true;
    const polling = s.poll();
    await waitFor('request at the cloud', () => c.received === 2, 2000, 10);
    const t0 = Date.now();
    await s.stop();
    await polling;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(s.state.failures).toBe(0); // an abort by stop() is not a failure of the cloud
  });
});
