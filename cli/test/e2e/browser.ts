import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from '@lumbung/runtime';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { LumbungProcess } from '../../src/child.ts';

// The web dashboard in a real browser against the real demo, for the dashboard end-to-end tests: `lumbung demo`
// (cloud API, village box, gateway and the simulated Kelurahan Taman, one user per role) started in a temp dir with
// a dashboard built from the current sources, and Chromium driven by playwright-core at a phone's width.

const run = promisify(execFile);

export const CHROMIUM = '/usr/bin/chromium';
/** The demo's village (Kelurahan Taman). */
export const VILLAGE = 'kel-taman';
/** Polls wait for what the page loads after its first data (device health, charts): generous on a busy machine. */
export const POLL = { timeout: 30_000, interval: 100 };
/** A phone's viewport in CSS px. */
export const PHONE = { width: 360, height: 740 } as const;

/**
 * Chromium from Debian (`apt-get install -y chromium`), driven by playwright-core. Missing, the test (`what`) is
 * skipped with a message, except under CI=true: there its absence fails the run.
 */
export function requireChromium(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const how = `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``;
  if (process.env.CI === 'true') throw new Error(`${how} (required when CI=true)`);
  console.warn(`skipping ${what}: ${how}`);
  return false;
}

export interface DemoOptions {
  /** Prefix of the temp dir that holds the built dashboard and the demo's data, e.g. `lumbung-dashboard-`. */
  prefix: string;
  /** Every demo user's password (`LUMBUNG_DEMO_PASSWORD`, cli/src/demo-users.ts). */
  password: string;
  /** Days of simulated history (`LUMBUNG_DEMO_BACKFILL_DAYS`). */
  backfillDays: number;
}

/**
 * A demo and a browser for one test file: `start()` in `beforeAll`, `stop()` in `afterAll`. Sign-ins through the
 * form are few (the cloud allows an address ten quick attempts, then one every 6 s): a signed-in browser context
 * is kept per user in `sessions`, and API tokens per user. The helpers are arrow functions, so they can be taken
 * off the object (`const { phone, open } = demo`).
 */
export class DemoBrowser {
  /** http://127.0.0.1:PORT of the demo's cloud API and dashboard; set by `start()`. */
  base = '';
  browser: Browser | undefined;
  process: LumbungProcess | undefined;
  /** A signed-in browser context per demo user. */
  readonly sessions = new Map<string, BrowserContext>();
  readonly #tokens = new Map<string, Record<string, string>>();
  #dir: string | undefined;

  constructor(readonly options: DemoOptions) {}

  /** Builds the dashboard into the temp dir, starts the demo, waits for its backfill and launches Chromium. */
  async start(): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), this.options.prefix));
    this.#dir = dir;
    // The dashboard built from the current sources into the temp dir (the shared dashboards/dist stays as is).
    const dashboards = path.dirname(createRequire(import.meta.url).resolve('@lumbung/dashboards/package.json'));
    const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
    const out = path.join(dir, 'dashboard');
    await run(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: dashboards,
    });
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    const demo = new LumbungProcess(
      'demo',
      {
        LUMBUNG_DATA_DIR: path.join(dir, 'data'),
        LUMBUNG_HTTP_PORT: String(port),
        LUMBUNG_MQTT_PORT: '0',
        LUMBUNG_GATEWAY_PORT: '0',
        LUMBUNG_GATEWAY_OPS_PORT: '0',
        LUMBUNG_EDGE_OPS_PORT: '0',
        LUMBUNG_DEMO_BACKFILL_DAYS: String(this.options.backfillDays),
        LUMBUNG_DASHBOARD_DIR: out,
        LUMBUNG_DEMO_PASSWORD: this.options.password,
      },
      `${this.base}/api/v1/health`,
    );
    this.process = demo;
    await demo.start();
    await waitFor('the demo backfill', () => /backfill done/.test(demo.output) || undefined, 180_000);
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  }

  /** Closes the kept contexts and the browser, stops the demo and removes the temp dir (whatever got started). */
  async stop(): Promise<void> {
    for (const c of this.sessions.values()) await c.close();
    await this.browser?.close();
    await this.process?.stop();
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }

  /** A phone's browser: 360 CSS px wide, a fresh profile (no stored language, no session). */
  newPhone = (): Promise<BrowserContext> =>
    this.browser!.newContext({ viewport: { ...PHONE }, deviceScaleFactor: 2, acceptDownloads: true });

  /** Opens `hash` of the dashboard in a new page of `context`; the page's errors are logged when it closes. */
  open = async (context: BrowserContext, hash: string): Promise<Page> => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('close', () => {
      if (errors.length) console.warn(`page errors: ${errors.join('; ')}`);
    });
    await page.goto(`${this.base}/${hash}`);
    return page;
  };

  /** Fills in the sign-in form (in Bahasa Indonesia) and sends it. */
  fillSignIn = async (page: Page, username: string, password = this.options.password): Promise<void> => {
    await page.getByLabel('Nama pengguna', { exact: true }).fill(username);
    await page.getByLabel('Kata sandi', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  };

  /** A page of the dashboard for a signed-in user: the first time through the sign-in form, then by the stored session. */
  phone = async (hash: string, username = 'operator'): Promise<Page> => {
    let context = this.sessions.get(username);
    if (context) return this.open(context, hash);
    context = await this.newPhone();
    const page = await this.open(context, hash);
    await this.fillSignIn(page, username);
    await page.locator('.who-name').waitFor();
    this.sessions.set(username, context);
    return page;
  };

  /** The Authorization header of a demo user, for the test's own API requests (signed in once through the API). */
  bearer = async (username: string): Promise<Record<string, string>> => {
    let h = this.#tokens.get(username);
    if (h) return h;
    const login = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: this.options.password }),
    });
    expect(login.status, `sign-in of ${username}`).toBe(200);
    h = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    this.#tokens.set(username, h);
    return h;
  };

  /** GET of a path under the demo village's API as `username`, which must answer 200; its JSON. */
  api = async <T>(username: string, p: string): Promise<T> => {
    const res = await fetch(`${this.base}/api/v1/villages/${VILLAGE}${p}`, { headers: await this.bearer(username) });
    expect(res.status, p).toBe(200);
    return (await res.json()) as T;
  };
}

/**
 * Nothing may reach past the right edge of the phone, and the page is as wide as the phone. With `client`, the
 * viewport's client width (without a scrollbar) must be the phone's too.
 */
export async function fits(page: Page, what: string, o: { client?: boolean } = {}): Promise<void> {
  const size = (await page.evaluate(`({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    widest: Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right)),
  })`)) as { scroll: number; client: number; widest: number };
  expect(size.scroll, `${what}: page width`).toBe(PHONE.width);
  if (o.client) expect(size.client, `${what}: client width`).toBe(PHONE.width);
  expect(size.widest, `${what}: an element reaches past the right edge`).toBeLessThanOrEqual(PHONE.width);
}
