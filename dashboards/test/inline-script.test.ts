import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_BASE, type Api } from '../src/api.ts';
import { REFRESH_KEY, SESSION_KEY } from '../src/auth.ts';
import { LANG_STORAGE_KEY, storedLang } from '../src/i18n/index.ts';
import { canReadTelemetry, type Membership, memberVillages, ROLES } from '../src/roles.ts';
import { parseRoute, villageOf } from '../src/route.ts';
import { VillageData } from '../src/village.ts';

/** The start-up script at the top of index.html, as the browser runs it before the app's code. */
const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;

const memberships = [{ role: 'village_admin', villageId: 'kel-taman', siteIds: [] }];
const user = { id: 'u1', username: 'operator', displayName: 'Operator desa' };

/** Runs the script with this storage, hash and clock; records its requests and answers a refresh. */
async function startUp(store: Record<string, string>, now: number, hash = '#/v/kel-taman') {
  const calls: { url: string; auth: string | undefined; method: string; lang: string | undefined }[] = [];
  const window: Record<string, unknown> = {};
  const fetch = async (url: string, init: { method?: string; headers: Record<string, string> }) => {
    calls.push({
      url,
      auth: init.headers.Authorization,
      method: init.method ?? 'GET',
      lang: init.headers['Accept-Language'],
    });
    if (url === '/api/v1/auth/refresh')
      return {
        ok: true,
        status: 200,
        json: async () => ({
          accessToken: 'access-new',
          refreshToken: 'refresh-new',
          expiresIn: 900,
          user,
          memberships,
        }),
      };
    return { ok: true, status: 200 };
  };
  const localStorage = {
    getItem: (k: string) => store[k] ?? null,
    setItem: (k: string, v: string) => {
      store[k] = v;
    },
  };
  const DateNow = { now: () => now };
  const document = { documentElement: { lang: '' } };
  runInNewContext(script, { window, fetch, localStorage, location: { hash }, document, Date: DateNow });
  const session = (await window.__lumbungSession) as Record<string, unknown> | undefined;
  return {
    calls,
    session,
    prefetched: Object.keys((window.__lumbungPrefetch as object | undefined) ?? {}),
    lang: document.documentElement.lang,
  };
}

const stored = (expiresAt: number, ms: Membership[] = memberships): Record<string, string> => ({
  [REFRESH_KEY]: 'refresh-0',
  [SESSION_KEY]: JSON.stringify({ accessToken: 'access-0', expiresAt, user, memberships: ms }),
});

const OVERVIEW = [
  '/api/v1/villages/kel-taman',
  '/api/v1/villages/kel-taman/sites',
  '/api/v1/villages/kel-taman/latest',
  '/api/v1/villages/kel-taman/alerts?status=open,acknowledged',
  '/api/v1/metrics',
];

describe('the start-up script of index.html', () => {
  it('with a stored access token that has more than 30 s left, requests the overview at once with it', async () => {
    const now = 10_000_000;
    const { calls, session } = await startUp(stored(now + 30_001), now);
    expect(calls.map((c) => c.url)).toEqual(OVERVIEW);
    expect(calls.every((c) => c.auth === 'Bearer access-0')).toBe(true);
    expect(session).toMatchObject({ status: 200, stored: { accessToken: 'access-0' } });
  });

  it('refreshes first when the stored access token is near its expiry, missing or unreadable', async () => {
    const now = 10_000_000;
    const near = stored(now + 30_000);
    const cases: Record<string, string>[] = [
      near,
      { [REFRESH_KEY]: 'refresh-0' },
      { [REFRESH_KEY]: 'refresh-0', [SESSION_KEY]: 'not json' },
    ];
    for (const store of cases) {
      const { calls, session } = await startUp(store, now);
      expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
        'POST /api/v1/auth/refresh',
        ...OVERVIEW.map((u) => `GET ${u}`),
      ]);
      expect(calls.slice(1).every((c) => c.auth === 'Bearer access-new')).toBe(true);
      expect(store[REFRESH_KEY]).toBe('refresh-new');
      expect(session).toMatchObject({ status: 200, at: now, body: { accessToken: 'access-new' } });
    }
  });

  it('does nothing without a refresh token, even with a session left behind', async () => {
    const now = 10_000_000;
    const store: Record<string, string> = stored(now + 600_000);
    delete store[REFRESH_KEY];
    const { calls, session } = await startUp(store, now);
    expect(calls).toEqual([]);
    expect(session).toBeUndefined();
  });
});

// The script cannot import the app's modules (it runs before they arrive), so it repeats a few of their rules.
// These tests hold each copy to the module it repeats.
describe('the start-up script of index.html and the app it starts for', () => {
  const now = 10_000_000;
  const fresh = (ms?: Membership[]) => stored(now + 600_000, ms);

  it('requests the paths VillageData.reload() takes from it (src/village.ts)', async () => {
    const paths: string[] = [];
    const api = {
      get: async (path: string) => {
        paths.push(`${API_BASE}${path}`);
        return path === '/villages/kel-taman' ? {} : [];
      },
    } as unknown as Api;
    await new VillageData('kel-taman', api).reload();
    const { calls } = await startUp(fresh(), now);
    expect(calls.map((c) => c.url).sort()).toEqual(paths.sort());
  });

  it('prefetches a village for exactly the roles that read telemetry (TELEMETRY_ROLES of src/roles.ts)', async () => {
    for (const role of ROLES) {
      const ms = [{ role, villageId: role === 'platform_admin' ? null : 'kel-taman', siteIds: [] }];
      const { calls } = await startUp(fresh(ms), now);
      expect(calls.length > 0, role).toBe(canReadTelemetry([role]));
    }
  });

  it('takes the village from the hash as src/route.ts does, and a member of one village straight to it', async () => {
    const admin = [{ role: 'platform_admin', villageId: null, siteIds: [] }];
    const hashes = ['', '#/', '#/v/kel-taman', '#/v/kel-taman/', '#/v/kel-taman/site/sawah-a', '#/v/desa_2-b/alerts'];
    for (const hash of hashes) {
      const { calls } = await startUp(fresh(admin), now, hash);
      const village = villageOf(parseRoute(hash));
      expect(calls[0]?.url, hash).toBe(`${API_BASE}/villages${village ? `/${village}` : ''}`);
    }
    // The start page of a member of one village (src/pages/villages.tsx goes there without asking the API).
    const { calls } = await startUp(fresh(), now, '#/');
    expect(calls[0]?.url).toBe(`${API_BASE}/villages/${memberVillages(memberships)[0]}`);
  });

  it('picks the language as storedLang() of src/i18n/index.ts does, and asks the API in it', async () => {
    for (const choice of ['en', 'id', 'fr']) {
      const store: Record<string, string> = { ...fresh(), [LANG_STORAGE_KEY]: choice };
      const want = storedLang({ getItem: (k) => store[k] ?? null });
      const { calls, lang } = await startUp(store, now);
      expect(lang, choice).toBe(want);
      expect(calls.map((c) => c.lang)).toEqual(calls.map(() => want));
    }
  });
});
