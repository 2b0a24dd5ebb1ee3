import { waitFor } from '@lumbung/runtime';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBrowser, fits as fitsPhone, POLL, requireChromium, VILLAGE } from './browser.ts';

const available = requireChromium('the dashboard browser test');
/** The chart's average line (dashboards/src/chart/uplot-chart.ts COLORS.main) and the allowed-range lines. */
const LINE = [11, 92, 173] as const;
const LIMIT = [179, 38, 30] as const;

// The web dashboard in a real browser against the real demo (`lumbung demo`: cloud API, village box, gateway and
// the simulated Kelurahan Taman with two days of history, one user per role), at a phone's width. Sign-ins through
// the form are few: the cloud allows an address ten quick attempts, then one every 6 s; a signed-in browser
// context is kept per user and opens each page anew (resuming the session it stored: the access token while it
// has more than 30 s left, else a refresh with the refresh token).
describe.skipIf(!available)('dashboard in Chromium on lumbung demo', () => {
  const demo = new DemoBrowser({ prefix: 'lumbung-dashboard-', password: 'kata-sandi-uji-dashboard', backfillDays: 2 });
  const { sessions, newPhone, open, fillSignIn, phone } = demo;
  /** The platform admin's access token, for the test's own API requests. */
  let bearer: Record<string, string>;

  beforeAll(async () => {
    await demo.start();
    bearer = await demo.bearer('admin');
    await waitFor('latest readings of the egg room', async () => {
      const res = await fetch(`${demo.base}/api/v1/villages/${VILLAGE}/latest?siteId=ruang-telur`, { headers: bearer });
      return res.ok && ((await res.json()) as unknown[]).length > 0 ? true : undefined;
    });
  }, 300_000);

  afterAll(() => demo.stop());

  /** The page's width against the phone's, the client width too: nothing may reach past the right edge. */
  const fits = (page: Page, what: string) => fitsPhone(page, what, { client: true });

  /** A request of the page: method, API path (without /api/v1) and its bearer. */
  type Sent = { method: string; path: string; auth: string | undefined; status?: number };

  /** Opens a page in a signed-in context recording its API requests (from before navigation) and their answers. */
  async function counting(context: BrowserContext, hash: string): Promise<{ page: Page; sent: Sent[] }> {
    const page = await context.newPage();
    const sent: Sent[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!u.pathname.startsWith('/api/v1/')) return;
      const item: Sent = { method: r.method(), path: u.pathname.slice(7) + u.search, auth: r.headers().authorization };
      sent.push(item);
      void r.response().then(
        (res) => {
          item.status = res?.status();
        },
        () => undefined,
      );
    });
    await page.goto(`${demo.base}/${hash}`);
    return { page, sent };
  }

  /** The session kept in the page's localStorage (dashboards/src/auth.ts SESSION_KEY). */
  const keptSession = async (page: Page) =>
    JSON.parse((await page.evaluate(`localStorage.getItem('lumbung.session')`)) as string) as {
      accessToken: string;
      expiresAt: number;
    } | null;

  /** Changes the kept session (the access token or its expiry) from a page of the context. */
  const editSession = (page: Page, change: string) =>
    page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('lumbung.session'));
      ${change};
      localStorage.setItem('lumbung.session', JSON.stringify(s));
    })()`);

  const overviewReady = (page: Page) =>
    page.waitForFunction(`performance.getEntriesByName('lumbung:overview-ready').length === 1`, null, POLL);

  /**
   * Pixels of a colour (opaque, within a tolerance) on a chart's canvas: what uPlot actually drew. (Browser code
   * as strings: this project's TypeScript has no DOM library.)
   */
  const pixelsOf = (page: Page, metric: string, [r, g, b]: readonly number[]) =>
    page.evaluate(`(() => {
      const canvas = document.querySelector('figure[data-metric="${metric}"] canvas');
      if (!canvas) return -1;
      const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < img.length; i += 4)
        if (img[i + 3] > 200 && Math.abs(img[i] - ${r}) + Math.abs(img[i + 1] - ${g}) + Math.abs(img[i + 2] - ${b}) < 40) n++;
      return n;
    })()`) as Promise<number>;

  it('shows the overview of Kelurahan Taman with its latest readings, in Bahasa Indonesia', async () => {
    const page = await phone(`#/v/${VILLAGE}`);
    await page.locator('main h1', { hasText: 'Kelurahan Taman' }).waitFor();
    await overviewReady(page);
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    const egg = page.locator('[data-site-id="ruang-telur"]');
    await expect.poll(() => egg.locator('.readings dd').count(), POLL).toBeGreaterThanOrEqual(2);
    expect(await egg.locator('.readings').innerText()).toMatch(/Suhu udara\s+\d+(,\d+)? °C/);
    expect(await page.locator('h2').allInnerTexts()).toEqual(
      expect.arrayContaining(['Peringatan', 'Lahan', 'Ruang simpan', 'Cuaca', 'Meteran']),
    );
    expect(await page.locator('main').innerText()).toMatch(/Perangkat aktif: \d+ dari 8/);
    // The event stream connects after the first data.
    await page.locator('.live-live').waitFor({ timeout: 30_000 });
    await page.close();
  });

  it('opens a returning visit with the stored access token: no refresh, the overview requested with it at once', async () => {
    const first = await phone(`#/v/${VILLAGE}`);
    await overviewReady(first);
    const kept = await keptSession(first);
    expect(kept?.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    await first.close();
    const { page, sent } = await counting(sessions.get('operator')!, `#/v/${VILLAGE}`);
    await overviewReady(page);
    await page.locator('main h1', { hasText: 'Kelurahan Taman' }).waitFor();
    expect(sent.filter((r) => r.path.startsWith('/auth/'))).toEqual([]);
    const overview = sent.filter((r) => !/device-health|stream/.test(r.path));
    expect(overview.map((r) => r.path)).toEqual(
      expect.arrayContaining([`/villages/${VILLAGE}`, `/villages/${VILLAGE}/sites`, `/villages/${VILLAGE}/latest`]),
    );
    expect(overview.every((r) => r.auth === `Bearer ${kept!.accessToken}`)).toBe(true);
    expect((await keptSession(page))?.accessToken).toBe(kept!.accessToken);
    await page.close();
  });

  it('refreshes first when the stored access token is about to run out, and keeps the new one', async () => {
    const first = await phone(`#/v/${VILLAGE}`);
    await overviewReady(first);
    const old = (await keptSession(first))!;
    await editSession(first, 's.expiresAt = Date.now() + 20000'); // 20 s left: less than the 30 s margin
    await first.close();
    const { page, sent } = await counting(sessions.get('operator')!, `#/v/${VILLAGE}`);
    await overviewReady(page);
    const refreshes = sent.filter((r) => r.path === '/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.method).toBe('POST');
    const latest = sent.findIndex((r) => r.path === `/villages/${VILLAGE}/latest`);
    expect(sent.indexOf(refreshes[0]!)).toBeLessThan(latest);
    const now = (await keptSession(page))!;
    expect(now.accessToken).not.toBe(old.accessToken);
    expect(now.expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(sent[latest]!.auth).toBe(`Bearer ${now.accessToken}`);
    await page.close();
  });

  it('falls back to one refresh when the server refuses the stored access token (401), then shows the overview', async () => {
    const first = await phone(`#/v/${VILLAGE}`);
    await overviewReady(first);
    const old = (await keptSession(first))!;
    // A token the server no longer accepts though it looks fresh here (as after a revocation or a key change).
    await editSession(
      first,
      `s.accessToken = s.accessToken.slice(0, -4) + (s.accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA')`,
    );
    await first.close();
    const { page, sent } = await counting(sessions.get('operator')!, `#/v/${VILLAGE}`);
    await overviewReady(page);
    await page.locator('main h1', { hasText: 'Kelurahan Taman' }).waitFor();
    const refused = sent.filter((r) => r.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.auth !== `Bearer ${old.accessToken}` && r.auth?.startsWith('Bearer '))).toBe(true);
    expect(sent.filter((r) => r.path === '/auth/refresh')).toHaveLength(1);
    const now = (await keptSession(page))!;
    expect(
      sent.some(
        (r) => r.path === `/villages/${VILLAGE}/latest` && r.auth === `Bearer ${now.accessToken}` && r.status === 200,
      ),
    ).toBe(true);
    expect(await page.locator('header .who').count()).toBe(1);
    await page.close();
  });

  it('draws the egg room charts: points of the average, the allowed range, and other ranges on demand', async () => {
    const page = await phone(`#/v/${VILLAGE}/site/ruang-telur`);
    const temp = page.locator('figure[data-metric="air_temperature"] .chart');
    await temp.locator('canvas').waitFor();
    // Two days of history at one reading a minute: the last 24 hours fill ~144 ten-minute buckets.
    await expect.poll(async () => Number(await temp.getAttribute('data-points')), POLL).toBeGreaterThan(120);
    await expect.poll(() => pixelsOf(page, 'air_temperature', LINE), POLL).toBeGreaterThan(200);
    expect(await pixelsOf(page, 'air_temperature', LIMIT)).toBeGreaterThan(50);
    expect(await page.locator('figure[data-metric="air_temperature"] figcaption').innerText()).toMatch(
      /24 jam terakhir: rata-rata \d+(,\d+)? °C/,
    );
    const week = page.locator('button[data-range="7d"]');
    await week.click();
    expect(await week.getAttribute('aria-pressed')).toBe('true');
    // 7 days in hourly buckets, of which two days have data: ~48.
    await expect
      .poll(async () => Number(await temp.getAttribute('data-points')), POLL)
      .toSatisfy((n: number) => n >= 40 && n <= 60);
    await page.close();
  });

  it('charts a meter as bars of use per hour', async () => {
    const page = await phone(`#/v/${VILLAGE}/site/meter-listrik`);
    const fig = page.locator('figure[data-metric="energy"]');
    await fig.locator('canvas').waitFor();
    expect(await fig.locator('h2').innerText()).toMatch(/Energi listrik.*kWh.*per jam/);
    await expect
      .poll(async () => Number(await fig.locator('.chart').getAttribute('data-points')), POLL)
      .toBeGreaterThan(20);
    await expect.poll(() => pixelsOf(page, 'energy', LINE), POLL).toBeGreaterThan(200);
    await page.close();
  });

  it('switches between Bahasa Indonesia and English, and remembers the choice', async () => {
    const page = await phone(`#/v/${VILLAGE}`);
    const nav = page.getByRole('navigation');
    await nav.getByText('Peringatan').waitFor();
    await page.locator('button.lang').click();
    await nav.getByText('Alerts').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await nav.innerText()).not.toContain('Peringatan');
    await page.locator('main h2', { hasText: 'Storage rooms' }).waitFor();
    await page.reload();
    await nav.getByText('Alerts').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.locator('button.lang').click();
    await nav.getByText('Peringatan').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await page.close();
  });

  it('fits a 360 px wide phone without horizontal scrolling on every page', async () => {
    const pages = ['', '/site/ruang-telur', '/site/stasiun-cuaca', '/site/sawah-a', '/devices', '/alerts'];
    for (const p of pages) {
      const page = await phone(`#/v/${VILLAGE}${p}`);
      await page.locator('main h1').waitFor();
      if (p.startsWith('/site')) await page.locator('.chart canvas').first().waitFor();
      if (p === '/devices') await page.locator('.device').first().waitFor();
      await fits(page, p);
      await page.close();
    }
    const context = await newPhone();
    const signIn = await open(context, '');
    await signIn.getByRole('heading', { name: 'Masuk' }).waitFor();
    await fits(signIn, 'sign-in');
    await signIn.getByRole('tab', { name: 'Masuk dengan nomor HP' }).click();
    await signIn.getByLabel('Nomor HP', { exact: true }).waitFor();
    await fits(signIn, 'sign-in by phone');
    await context.close();
  });

  it('lists the health of all eight devices', async () => {
    const page = await phone(`#/v/${VILLAGE}/devices`);
    await expect.poll(() => page.locator('.device').count(), POLL).toBe(8);
    expect(await page.locator('[data-device-id="taman-th-telur"]').innerText()).toMatch(/Baterai\s+\d+,\d+ V/);
    await page.close();
  });

  it('acknowledges an open alert in the name of the signed-in user, if the demo raised one', async () => {
    const api = `${demo.base}/api/v1/villages/${VILLAGE}`;
    const open = (await (await fetch(`${api}/alerts?status=open`, { headers: bearer })).json()) as { id: string }[];
    if (open.length === 0) {
      console.warn('no open alert in the demo right now: acknowledging not exercised');
      return;
    }
    const page = await phone(`#/v/${VILLAGE}/alerts`);
    expect(await page.getByLabel('Nama Anda', { exact: true }).count()).toBe(0);
    const item = page.locator('li.alert', { has: page.getByRole('button', { name: 'Tandai diketahui' }) }).first();
    await item.waitFor();
    const id = (await item.getAttribute('data-alert-id'))!;
    await item.getByRole('button', { name: 'Tandai diketahui' }).click();
    const same = page.locator(`li.alert[data-alert-id="${id}"]`);
    await same.getByText(/Diketahui oleh (Operator desa|operator)/).waitFor();
    expect(await same.getByRole('button', { name: 'Tandai diketahui' }).count()).toBe(0);
    const rec = (await (await fetch(`${api}/alerts/${encodeURIComponent(id)}`, { headers: bearer })).json()) as {
      status: string;
      acknowledgedBy: string;
    };
    expect(rec).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: expect.stringMatching(/Operator desa|operator/),
    });
    await page.close();
  });

  it('shows who is signed in and their role in the village', async () => {
    const page = await phone(`#/v/${VILLAGE}`);
    const who = page.locator('header .who');
    await who.getByText('Operator desa · Operator desa').waitFor();
    expect(await who.getByRole('button', { name: 'Keluar' }).isVisible()).toBe(true);
    await page.close();
  });

  it('refuses a wrong password with the API message in Bahasa Indonesia, then in English', async () => {
    const context = await newPhone();
    const page = await open(context, `#/v/${VILLAGE}`);
    await fillSignIn(page, 'petani', 'bukan-kata-sandinya');
    await page.getByRole('alert').getByText('Nama pengguna atau kata sandi salah').waitFor();
    expect(await page.locator('header .who').count()).toBe(0);
    await page.locator('button.lang').click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('Wrong username or password').waitFor();
    await context.close();
  });

  it('switches the sign-in page between Bahasa Indonesia and English', async () => {
    const context = await newPhone();
    const page = await open(context, '');
    await page.getByRole('heading', { name: 'Masuk' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Masuk dengan nomor HP' }).count()).toBe(1);
    await page.locator('button.lang').click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByLabel('Username', { exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(1);
    await page.getByRole('tab', { name: 'Sign in with phone number' }).click();
    await page.getByLabel('Phone number', { exact: true }).waitFor();
    await page.locator('button.lang').click();
    await page.getByLabel('Nomor HP', { exact: true }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await context.close();
  });

  it('shows a farmer their own plots and the weather, not the neighbours or the storage rooms', async () => {
    const page = await phone(`#/v/${VILLAGE}`, 'petani');
    await overviewReady(page);
    await page.locator('header .who').getByText('Pak Budi (petani) · Petani').waitFor();
    const main = page.locator('main');
    await main.getByRole('link', { name: 'Sawah A (padi)' }).waitFor();
    expect(await main.getByRole('link', { name: 'Kebun cabai' }).count()).toBe(1);
    expect(await main.getByRole('link', { name: 'Sawah B (padi)' }).count()).toBe(0);
    expect(await main.locator('[data-site-id="sawah-b"]').count()).toBe(0);
    expect(await main.locator('[data-site-id="ruang-telur"], [data-site-id="ruang-kering"]').count()).toBe(0);
    expect(await main.locator('h2').allInnerTexts()).not.toContain('Ruang simpan');
    await page.close();
  });

  it('shows packing-house staff the storage rooms, not the plots', async () => {
    const page = await phone(`#/v/${VILLAGE}`, 'kemasan');
    await overviewReady(page);
    const main = page.locator('main');
    await main.locator('[data-site-id="ruang-telur"]').waitFor();
    expect(await main.locator('[data-site-id="ruang-kering"]').count()).toBe(1);
    expect(
      await main.locator('[data-site-id="sawah-a"], [data-site-id="sawah-b"], [data-site-id="kebun-cabai"]').count(),
    ).toBe(0);
    expect(await main.locator('h2').allInnerTexts()).not.toContain('Lahan');
    await page.close();
  });

  it('offers a KUB coordinator the alerts without acknowledge or resolve, and signs out to the sign-in page', async () => {
    const page = await phone(`#/v/${VILLAGE}/alerts`, 'kub');
    const context = page.context();
    await page.locator('header .who').getByText('Koordinator KUB · Koordinator KUB').waitFor();
    await page.locator('main h1', { hasText: 'Peringatan' }).waitFor();
    await page.getByText(/Peran Anda hanya melihat peringatan/).waitFor();
    expect(await page.getByRole('button', { name: /Tandai (diketahui|selesai)/ }).count()).toBe(0);
    const keys = `[localStorage.getItem('lumbung.refresh'), localStorage.getItem('lumbung.session')]`;
    const kept = (await page.evaluate(keys)) as [string, string];
    expect(kept.every(Boolean)).toBe(true);
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByRole('heading', { name: 'Masuk' }).waitFor();
    expect(await page.locator('header .who').count()).toBe(0);
    expect(await page.evaluate(keys)).toEqual([null, null]);
    // The session ended on the server too, and a reload stays signed out.
    await page.reload();
    await page.getByRole('heading', { name: 'Masuk' }).waitFor();
    expect(await page.getByLabel('Nama pengguna', { exact: true }).count()).toBe(1);
    // The signed-out session's tokens put back (as a copy taken off the phone would be used): the server refuses
    // the access token although it has minutes left, the one refresh is refused too, and the sign-in page says so.
    await page.evaluate(
      `localStorage.setItem('lumbung.refresh', ${JSON.stringify(kept[0])}); localStorage.setItem('lumbung.session', ${JSON.stringify(kept[1])})`,
    );
    await page.close();
    const again = await counting(context, `#/v/${VILLAGE}/alerts`);
    await again.page.getByText('Sesi Anda sudah berakhir').waitFor();
    const access = `Bearer ${(JSON.parse(kept[1]) as { accessToken: string }).accessToken}`;
    expect(again.sent.filter((r) => r.auth === access).length).toBeGreaterThan(0);
    await expect.poll(() => again.sent.filter((r) => r.auth === access).every((r) => r.status === 401)).toBe(true);
    expect(again.sent.filter((r) => r.path === '/auth/refresh').map((r) => r.status)).toEqual([401]);
    expect(await again.page.evaluate(keys)).toEqual([null, null]);
    sessions.delete('kub');
    await context.close();
  });

  it('shows a CSR partner the indicators of their village, without sensor data', async () => {
    const readings: string[] = [];
    const page = await phone(`#/v/${VILLAGE}`, 'csr');
    page.on('request', (r) => {
      if (/\/(latest|readings|alerts|device-health|stream)\b/.test(r.url())) readings.push(r.url());
    });
    await page.reload();
    await page.locator('[data-indicators]').waitFor();
    expect(await page.locator('header .who').innerText()).toContain('Mitra CSR');
    expect(await page.locator('.readings, .card[data-site-id]').count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Indikator']);
    expect(readings).toEqual([]);
    await fits(page, 'CSR partner');
    await page.close();
  });
});
