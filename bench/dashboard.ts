/**
 * Dashboard benchmark: `npm run bench:dashboard [-- --runs 5] [--days 2] [--user operator] [--url http://host:port]`.
 * Starts the real demo (`lumbung demo`: cloud, dashboard, village box, simulated village, one user per role) in a
 * temp dir with every demo password set to LUMBUNG_DEMO_PASSWORD (a fixed one when unset; with --url, set it to the
 * server's), opens the village overview in headless Chromium under Chrome DevTools' "Slow 4G" network profile and
 * a 4x CPU slowdown, and per run: times the sign-in page, signs in through the form, times from "Masuk" to the
 * overview showing the village's data, then reloads (a returning visit: the session resumes from the access
 * token kept in localStorage, no refresh while it has more than 30 s left) and times the overview again. Prints ONE JSON summary: the JavaScript of the first load (gzip
 * and raw), bytes, paints and those times against the issue's targets. Progress goes to stderr; the JSON also goes
 * to bench/results/dashboard-<time>.json. Not a test: a slow machine fails nothing. See docs/benchmarks.md.
 */

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { LumbungProcess } from '@lumbung/cli';
import { freePort } from '@lumbung/runtime';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { killAllChildren, load, machine, Resources, round, say, track, waitFor } from './lib/util.ts';

const run = promisify(execFile);

/**
 * Chrome DevTools' "Slow 4G" preset, as defined in Chromium's devtools-frontend
 * (front_end/core/sdk/NetworkManager.ts, `Slow4GConditions`): latency 150 ms × 3.75 = 562.5 ms,
 * download 1.6 Mbit/s × 0.9 = 1.44 Mbit/s, upload 750 kbit/s × 0.9 = 675 kbit/s. These are the numbers of the
 * former "Fast 3G" preset, renamed "Slow 4G" in Chrome 119. The CDP call takes bytes per second.
 */
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
  connectionType: 'cellular4g' as const,
};
const CPU_SLOWDOWN = 4;
const TARGETS = { jsGzipKB: 200, overviewReadyMs: 2000 };
/** Every demo user's password (cli/src/demo-users.ts). */
const PASSWORD = process.env.LUMBUNG_DEMO_PASSWORD ?? 'bench-dashboard-password';
const VILLAGE = 'kel-taman';
const CHROMIUM = process.env.LUMBUNG_CHROMIUM ?? '/usr/bin/chromium';
const DASHBOARD_DIR = new URL('../dashboards/', import.meta.url).pathname;

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const runs = Number(opt('runs', '5'));
const days = opt('days', '2');
const givenUrl = args.includes('--url') ? opt('url', '') : undefined;
const user = opt('user', 'operator');
const write = !args.includes('--no-write');

interface Request {
  url: string;
  type: string;
  start: number;
  end?: number;
  wireBytes?: number;
}

interface RunResult {
  /** From navigation to the sign-in form on screen (no session yet). */
  signInReadyMs: number;
  fcpMs: number | null;
  /** From the tap on "Masuk" (`lumbung:sign-in-submit`) to the overview showing the village's data. */
  overviewAfterSignInMs: number;
  /**
   * The `/auth/login` request alone (Resource Timing, start to end): one round trip (562.5 ms) plus the server's
   * work, mostly the scrypt check of the password.
   */
  loginRequestMs: number | null;
  /** A returning visit (reload, session resumed from the stored access token): navigation to the overview's data. */
  returningOverviewReadyMs: number;
  /** Requests of the first load (until the sign-in form showed). */
  requests: number;
  /** index.html on the wire (headers included); it carries the inlined entry script and CSS. */
  documentWireBytes: number;
  /** Script files on the wire (none while the entry is inlined). */
  jsWireBytes: number;
  cssWireBytes: number;
  totalWireBytes: number;
  /** The scripts of the first load, by path. */
  scripts: string[];
  /** From the sign-in to the overview's data: sign-in answer and the overview's API requests. */
  signInWireBytes: number;
  signInRequests: number;
  /** The returning visit until the overview's data: index.html and the overview's API requests. */
  returningWireBytes: number;
  returningRequests: number;
  /** `/auth/refresh` requests of the returning visit (0 while the stored access token has more than 30 s left). */
  returningRefreshes: number;
  /** After the overview: the chart page of the egg room until its first chart is drawn (chunk + series + readings). */
  chartReadyMs: number | null;
  chartExtraWireBytes: number;
  /** Requests of the sign-in (the login and the overview's data) and of the returning visit, in page time. */
  timelines: { signIn: Timeline; returning: Timeline };
}

const READY = `performance.getEntriesByName('lumbung:overview-ready').length > 0`;

/** Where the time went: when each request of the page started and ended (Resource Timing, ms since navigation). */
type Timeline = [path: string, start: number, end: number][];

async function overviewShown(page: Page): Promise<{ ready: number; timeline: Timeline }> {
  await page.waitForFunction(READY, null, { timeout: 60_000, polling: 50 });
  const m = (await page.evaluate(`({
    ready: performance.getEntriesByName('lumbung:overview-ready')[0].startTime,
    text: document.querySelector('main h1')?.textContent ?? '',
    readings: document.querySelectorAll('.readings dd').length,
    timeline: performance.getEntriesByType('resource').map((e) => [
      new URL(e.name).pathname.replace('/api/v1', ''), Math.round(e.startTime), Math.round(e.responseEnd),
    ]),
  })`)) as { ready: number; text: string; readings: number; timeline: Timeline };
  if (!m.text || m.readings === 0)
    throw new Error(`the overview was marked ready without data (h1 "${m.text}", ${m.readings} readings)`);
  return { ready: m.ready, timeline: m.timeline };
}

async function measure(page: Page, cdp: CDPSession, base: string): Promise<RunResult> {
  const requests = new Map<string, Request>();
  cdp.on('Network.requestWillBeSent', (e) => {
    requests.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', start: e.timestamp });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.type = e.type;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.end = e.timestamp;
      r.wireBytes = e.encodedDataLength;
    }
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const sum = (xs: Request[]) => xs.reduce((n, r) => n + (r.wireBytes ?? 0), 0);
  // Requests since a point, finished, without the ones the overview makes only after its data shows (device
  // health, the event stream).
  const since = (seen: Set<string>) =>
    [...requests.entries()]
      .filter(([id, r]) => !seen.has(id) && r.end !== undefined && !/device-health|\/stream/.test(r.url))
      .map(([, r]) => r);

  // 1. First visit: no session, the sign-in page.
  await page.goto(`${base}/#/v/${VILLAGE}`, { waitUntil: 'commit' });
  await page.waitForFunction(`!!document.getElementById('username')`, null, { timeout: 60_000, polling: 50 });
  const first = (await page.evaluate(`({
    now: performance.now(),
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  })`)) as { now: number; fcp: number | null };
  const firstLoad = since(new Set());
  const scripts = firstLoad.filter((r) => r.type === 'Script');
  const documents = firstLoad.filter((r) => r.type === 'Document');
  const css = firstLoad.filter((r) => r.type === 'Stylesheet');
  let seen = new Set(requests.keys());

  // 2. Sign in through the form; the overview follows.
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('form button[type="submit"]');
  const { ready, timeline: signInTimeline } = await overviewShown(page);
  const submit = (await page.evaluate(`performance.getEntriesByName('lumbung:sign-in-submit')[0].startTime`)) as number;
  const signIn = since(seen);

  // 3. A returning visit: the page opened again with the session kept on the phone.
  seen = new Set(requests.keys());
  await page.reload({ waitUntil: 'commit' });
  const { ready: returning, timeline: returningTimeline } = await overviewShown(page);
  const back = since(seen);
  seen = new Set(requests.keys());

  // 4. The chart page, reached by a tap from the overview (cache off: the chunk is fetched again either way).
  const t0 = Date.now();
  await page.evaluate(`location.hash = '#/v/${VILLAGE}/site/ruang-telur'`);
  let chartReadyMs: number | null = null;
  try {
    await page.waitForFunction(
      `[...document.querySelectorAll('.chart')].some((c) => Number(c.dataset.points) > 0)`,
      null,
      { timeout: 60_000, polling: 50 },
    );
    chartReadyMs = Date.now() - t0;
  } catch {
    chartReadyMs = null;
  }
  const chartExtra = [...requests.entries()].filter(([id, r]) => !seen.has(id) && r.end !== undefined);
  return {
    signInReadyMs: round(first.now, 0),
    fcpMs: first.fcp === null ? null : round(first.fcp, 0),
    overviewAfterSignInMs: round(ready - submit, 0),
    loginRequestMs: (() => {
      const l = signInTimeline.find(([p]) => p === '/auth/login');
      return l ? l[2] - l[1] : null;
    })(),
    returningOverviewReadyMs: round(returning, 0),
    requests: firstLoad.length,
    documentWireBytes: sum(documents),
    jsWireBytes: sum(scripts),
    cssWireBytes: sum(css),
    totalWireBytes: sum(firstLoad),
    scripts: scripts.map((r) => new URL(r.url).pathname),
    signInWireBytes: sum(signIn),
    signInRequests: signIn.length,
    returningWireBytes: sum(back),
    returningRequests: back.length,
    returningRefreshes: back.filter((r) => r.url.includes('/auth/refresh')).length,
    chartReadyMs,
    chartExtraWireBytes: sum(chartExtra.map(([, r]) => r)),
    timelines: { signIn: signInTimeline, returning: returningTimeline },
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The JavaScript of the first load as served: scripts inlined into index.html (the build inlines the entry,
 * docs/decisions/0007-dashboard-stack.md) and script files, each raw and gzip -9 (what a compressing server
 * sends at most; the cloud compresses with @fastify/compress).
 */
async function servedScripts(base: string, files: string[]) {
  const html = await (await fetch(`${base}/`)).text();
  const inline = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] ?? '')
    .filter((code) => code.trim().length > 0);
  const external = await Promise.all(
    files.map(async (p) => Buffer.from(await (await fetch(new URL(p, base))).arrayBuffer())),
  );
  const parts = [
    ...inline.map((code, i) => ({ what: `inline script ${i + 1} of index.html`, data: Buffer.from(code) })),
    ...external.map((data, i) => ({ what: files[i]!, data })),
  ].map((x) => ({ what: x.what, raw: x.data.length, gzip: gzipSync(x.data, { level: 9 }).length }));
  return {
    parts,
    raw: parts.reduce((n, f) => n + f.raw, 0),
    gzip: parts.reduce((n, f) => n + f.gzip, 0),
    htmlRaw: Buffer.byteLength(html),
    htmlGzip: gzipSync(html, { level: 9 }).length,
  };
}

async function main() {
  const resources = new Resources();
  const startedAt = new Date().toISOString();
  const loadStart = load();
  try {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    let base = givenUrl;
    if (!base) {
      const dir = await resources.tempDir('dashboard');
      // Built from the current sources into the temp dir: a dashboards/dist left from an older install would
      // measure an older dashboard.
      const out = join(dir, 'dashboard');
      say('building the dashboard (vite build)');
      await run(
        process.execPath,
        [
          join(DASHBOARD_DIR, '..', 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--outDir',
          out,
          '--emptyOutDir',
        ],
        { cwd: DASHBOARD_DIR },
      );
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      say(`starting lumbung demo with ${days} day(s) of history on ${base}`);
      const demo = new LumbungProcess(
        'demo',
        {
          LUMBUNG_DATA_DIR: join(dir, 'data'),
          LUMBUNG_DASHBOARD_DIR: out,
          LUMBUNG_HTTP_PORT: String(port),
          LUMBUNG_MQTT_PORT: '0',
          LUMBUNG_GATEWAY_PORT: '0',
          LUMBUNG_GATEWAY_OPS_PORT: '0',
          LUMBUNG_EDGE_OPS_PORT: '0',
          LUMBUNG_DEMO_BACKFILL_DAYS: days,
          LUMBUNG_DEMO_PASSWORD: PASSWORD,
        },
        `${base}/api/v1/health`,
        [],
        track,
      );
      resources.add('lumbung demo', () => demo.stop());
      await demo.start();
      await waitFor('the demo backfill', () => /backfill done/.test(demo.output) || undefined, 300_000);
    }
    // The bench's own requests sign in as the user too (one sign-in; the cloud allows an address ten quick ones).
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`sign-in as ${user} failed (${login.status}): set LUMBUNG_DEMO_PASSWORD`);
    const bearer = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    await waitFor('latest readings of the demo village', async () => {
      const res = await fetch(`${base}/api/v1/villages/${VILLAGE}/latest`, { headers: bearer });
      return res.ok && ((await res.json()) as unknown[]).length > 0 ? true : undefined;
    });

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    resources.add('chromium', () => browser.close());
    const chromiumVersion = browser.version();
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      // A fresh context each run: empty cache, no stored language, new connections.
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const r = await measure(page, cdp, base);
      results.push(r);
      say(
        `run ${i + 1}/${runs}: sign-in page ${r.signInReadyMs} ms (FCP ${r.fcpMs} ms, index.html ${r.documentWireBytes} B); ` +
          `overview ${r.overviewAfterSignInMs} ms after "Masuk"; returning visit ${r.returningOverviewReadyMs} ms ` +
          `(${r.returningRefreshes} refresh); ` +
          `egg-room chart ${r.chartReadyMs} ms`,
      );
      await context.close();
    }
    const js = await servedScripts(base, results[0]!.scripts);
    // JavaScript of the first load, gzipped: the inlined entry (its gzip -9 size; it travels inside the
    // compressed index.html) plus script files as they came over the wire.
    const jsInlineGzip = js.parts.filter((p) => p.what.startsWith('inline')).reduce((n, p) => n + p.gzip, 0);
    const jsWire = jsInlineGzip + median(results.map((r) => r.jsWireBytes));
    const afterSignIn = median(results.map((r) => r.overviewAfterSignInMs));
    const returning = median(results.map((r) => r.returningOverviewReadyMs));
    const targets = [
      {
        what: 'JavaScript of the first load, gzipped (inlined entry at gzip -9, plus script files on the wire)',
        value: round(jsWire / 1024, 1),
        unit: 'KB',
        target: `<= ${TARGETS.jsGzipKB}`,
        met: jsWire / 1024 <= TARGETS.jsGzipKB,
      },
      {
        what: 'overview shows the village data after the tap on "Masuk" (sign-in-submit to overview-ready), median',
        value: afterSignIn,
        unit: 'ms',
        target: `<= ${TARGETS.overviewReadyMs}`,
        met: afterSignIn <= TARGETS.overviewReadyMs,
      },
      {
        what: 'returning visit: page opened with a stored session until the overview shows the village data, median',
        value: returning,
        unit: 'ms',
        target: `<= ${TARGETS.overviewReadyMs}`,
        met: returning <= TARGETS.overviewReadyMs,
      },
    ];
    const summary = {
      benchmark: 'dashboard',
      startedAt,
      endedAt: new Date().toISOString(),
      setup: {
        url: `${base}/#/v/${VILLAGE}`,
        server: givenUrl
          ? `given: ${givenUrl}`
          : `lumbung demo (cloud + dashboard + village box), ${days} day(s) of history`,
        user: `${user} (signed in through the form, password LUMBUNG_DEMO_PASSWORD)`,
        browser: `Chromium ${chromiumVersion} headless (playwright-core), ${CHROMIUM}`,
        viewport: '360×740 CSS px, device scale 2',
        network:
          'Chrome DevTools "Slow 4G" (Network.emulateNetworkConditions: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up)',
        cpu: `Emulation.setCPUThrottlingRate ${CPU_SLOWDOWN}x`,
        cache: 'disabled, fresh browser context per run',
        runs,
        counted:
          'first load = requests finished before the sign-in form showed; sign-in and returning visit = requests until the overview was marked ready, except device-health and the event stream (requested after it)',
      },
      firstLoad: {
        jsGzipBytes: jsWire,
        jsGzipKB: round(jsWire / 1024, 1),
        jsRawBytes: js.raw,
        scripts: js.parts,
        html: { raw: js.htmlRaw, gzip: js.htmlGzip },
        documentWireBytes: median(results.map((r) => r.documentWireBytes)),
        jsFileWireBytes: median(results.map((r) => r.jsWireBytes)),
        cssWireBytes: median(results.map((r) => r.cssWireBytes)),
        totalWireBytes: median(results.map((r) => r.totalWireBytes)),
        requests: median(results.map((r) => r.requests)),
        fcpMs: median(results.map((r) => r.fcpMs ?? Number.NaN)),
        signInReadyMs: median(results.map((r) => r.signInReadyMs)),
      },
      signIn: {
        overviewAfterSignInMs: afterSignIn,
        overviewAfterSignInMsAll: results.map((r) => r.overviewAfterSignInMs),
        loginRequestMs: median(results.map((r) => r.loginRequestMs ?? Number.NaN)),
        loginRequestMsAll: results.map((r) => r.loginRequestMs),
        wireBytes: median(results.map((r) => r.signInWireBytes)),
        requests: median(results.map((r) => r.signInRequests)),
      },
      returningVisit: {
        overviewReadyMs: returning,
        overviewReadyMsAll: results.map((r) => r.returningOverviewReadyMs),
        wireBytes: median(results.map((r) => r.returningWireBytes)),
        requests: median(results.map((r) => r.returningRequests)),
        refreshRequests: results.map((r) => r.returningRefreshes),
      },
      chartPage: {
        note: 'no target: from a tap on the overview to the first egg-room chart drawn, same throttling',
        chartReadyMs: median(results.map((r) => r.chartReadyMs ?? Number.NaN)),
        extraWireBytes: median(results.map((r) => r.chartExtraWireBytes)),
      },
      targets,
      allMet: targets.every((x) => x.met),
      runs: results,
      machine: machine(),
      loadAverage: { start: loadStart, end: load() },
    };
    const json = JSON.stringify(summary, null, 2);
    process.stdout.write(`${json}\n`);
    if (write) {
      const dir = new URL('./results/', import.meta.url).pathname;
      await mkdir(dir, { recursive: true });
      const file = join(dir, `dashboard-${startedAt.replace(/[:.]/g, '-')}.json`);
      await writeFile(file, json);
      say(`results in ${file}`);
    }
  } finally {
    await resources.close();
  }
}

process.once('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});
await main();
