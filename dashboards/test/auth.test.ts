import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError } from '../src/api.ts';
import { Auth, REFRESH_KEY, SESSION_KEY } from '../src/auth.ts';
import { e164 } from '../src/pages/sign-in.tsx';

const signedIn = (n: number, expiresIn = 900) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn,
  user: { id: 'u1', username: 'petani', displayName: 'Pak Budi (petani)' },
  memberships: [{ role: 'farmer', villageId: 'kel-taman', siteIds: ['sawah-a'] }],
});

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

/**
 * A fake cloud: refresh tokens work once (like cloud/src/auth/service.ts), access tokens are checked against the
 * newest issued, and it records every request.
 */
function fakeCloud(o: { refreshOk?: boolean; online?: boolean } = {}) {
  let n = 0;
  let current = 'access-0';
  const live = new Set<string>(['refresh-0']);
  const calls: { path: string; auth: string | null; body: unknown }[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    if (o.online === false) throw new TypeError('Failed to fetch');
    const path = String(input).replace('/api/v1', '');
    const headers = new Headers(init?.headers);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ path, auth: headers.get('authorization'), body });
    // Answer on a later turn, so concurrent callers really overlap.
    await new Promise((r) => setTimeout(r, 1));
    if (path === '/auth/login') {
      if (body.password !== 'x')
        return json(401, { code: 'LUMBUNG_ERR_LOGIN_FAILED', message: 'Nama pengguna atau kata sandi salah' });
      n++;
      current = `access-${n}`;
      live.add(`refresh-${n}`);
      return json(200, signedIn(n));
    }
    if (path === '/auth/refresh') {
      if (o.refreshOk === false || !live.delete(body.refreshToken))
        return json(401, { code: 'LUMBUNG_ERR_UNAUTHORIZED', message: 'Perlu kredensial yang benar' });
      n++;
      current = `access-${n}`;
      live.add(`refresh-${n}`);
      return json(200, signedIn(n));
    }
    if (path === '/auth/logout') return new Response(null, { status: 204 });
    if (headers.get('authorization') !== `Bearer ${current}`)
      return json(401, { code: 'LUMBUNG_ERR_UNAUTHORIZED', message: 'Perlu kredensial yang benar' });
    return json(200, { path });
  });
  return {
    fetchFn: fetchFn as unknown as typeof fetch,
    calls,
    expire: () => {
      current = 'none';
    },
  };
}

describe('sign-in session (dashboards/src/auth.ts)', () => {
  it('keeps the refresh token and the session (access token, expiry, user, memberships) in storage', async () => {
    const cloud = fakeCloud();
    const storage = memoryStorage();
    const auth = new Auth(
      () => 'id',
      storage,
      cloud.fetchFn,
      () => 1_000_000,
    );
    const s = await auth.login('petani', 'x');
    expect(s.user.displayName).toBe('Pak Budi (petani)');
    expect([...storage.m.keys()].sort()).toEqual([REFRESH_KEY, SESSION_KEY]);
    expect(storage.m.get(REFRESH_KEY)).toBe('refresh-1');
    expect(JSON.parse(storage.m.get(SESSION_KEY)!)).toEqual({
      accessToken: 'access-1',
      expiresAt: 1_000_000 + 900_000,
      user: signedIn(1).user,
      memberships: signedIn(1).memberships,
    });
    // The refresh token is not repeated inside the session.
    expect(storage.m.get(SESSION_KEY)).not.toContain('refresh-');
  });

  it('passes the API message of a failed sign-in through as it came, in the language asked for', async () => {
    const cloud = fakeCloud();
    const auth = new Auth(() => 'id', memoryStorage(), cloud.fetchFn);
    const err = await auth.login('petani', 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'LUMBUNG_ERR_LOGIN_FAILED', message: 'Nama pengguna atau kata sandi salah' });
    expect(auth.session).toBeUndefined();
    const headers = new Headers((cloud.fetchFn as unknown as ReturnType<typeof vi.fn>).mock.calls[0]![1].headers);
    expect(headers.get('accept-language')).toBe('id');
  });

  it('sends the bearer, and refreshes once for concurrent requests refused with 401, retrying each', async () => {
    const cloud = fakeCloud();
    const auth = new Auth(() => 'id', memoryStorage(), cloud.fetchFn);
    const api = new Api(() => 'id', auth, '/api/v1', cloud.fetchFn);
    await auth.login('petani', 'x');
    expect(await api.get('/villages')).toEqual({ path: '/villages' });
    expect(cloud.calls.at(-1)?.auth).toBe('Bearer access-1');
    cloud.expire();
    const answers = await Promise.all([api.get('/a'), api.get('/b'), api.get('/c')]);
    expect(answers).toEqual([{ path: '/a' }, { path: '/b' }, { path: '/c' }]);
    expect(cloud.calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(1);
    expect(
      cloud.calls
        .filter((c) => c.auth === 'Bearer access-2')
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/a', '/b', '/c']);
  });

  it('ends the session when the refresh is refused: the request fails with 401 and listeners hear it', async () => {
    const cloud = fakeCloud({ refreshOk: false });
    const storage = memoryStorage();
    const auth = new Auth(() => 'id', storage, cloud.fetchFn);
    const api = new Api(() => 'id', auth, '/api/v1', cloud.fetchFn);
    await auth.login('petani', 'x');
    const heard = vi.fn();
    auth.subscribe(heard);
    cloud.expire();
    await expect(api.get('/villages')).rejects.toMatchObject({ status: 401 });
    expect(auth.session).toBeUndefined();
    expect(auth.ended).toBe('expired');
    expect(storage.m.has(REFRESH_KEY)).toBe(false);
    expect(storage.m.has(SESSION_KEY)).toBe(false);
    expect(heard).toHaveBeenCalled();
  });

  it('refreshes before a request when the access token is about to run out', async () => {
    const cloud = fakeCloud();
    let now = 1_000_000;
    const auth = new Auth(
      () => 'id',
      memoryStorage(),
      cloud.fetchFn,
      () => now,
    );
    const api = new Api(() => 'id', auth, '/api/v1', cloud.fetchFn);
    await auth.login('petani', 'x');
    now += 900_000 - 10_000; // 10 s left of 15 minutes
    expect(auth.expired()).toBe(true);
    await api.get('/latest');
    expect(cloud.calls.map((c) => c.path)).toEqual(['/auth/login', '/auth/refresh', '/latest']);
    expect(cloud.calls.at(-1)?.auth).toBe('Bearer access-2');
    expect(await api.streamUrl('/villages/kel-taman/stream')).toBe(
      '/api/v1/villages/kel-taman/stream?access_token=access-2',
    );
  });

  it("follows another tab's refresh: a refused stored token that has since changed is not a sign-out", async () => {
    const cloud = fakeCloud();
    const storage = memoryStorage();
    const auth = new Auth(() => 'id', storage, cloud.fetchFn);
    await auth.login('petani', 'x'); // refresh-1 stored
    // The other tab: refreshes with refresh-1 and stores refresh-2, just as this tab reads refresh-1.
    const other = new Auth(() => 'id', storage, cloud.fetchFn);
    let reads = 0;
    const getItem = storage.getItem;
    storage.getItem = (k: string) => {
      if (k === REFRESH_KEY && reads++ === 0) {
        const stale = getItem(k);
        void other.refresh();
        return stale;
      }
      return getItem(k);
    };
    const s = await auth.refresh();
    expect(s?.accessToken).toBe('access-3');
    expect(storage.m.get(REFRESH_KEY)).toBe('refresh-3');
    expect(JSON.parse(storage.m.get(SESSION_KEY)!).accessToken).toBe('access-3');
  });

  it('resumes a stored session on start, and without one shows sign-in', async () => {
    const cloud = fakeCloud();
    const none = new Auth(() => 'id', memoryStorage(), cloud.fetchFn);
    expect(await none.restore()).toBeUndefined();
    expect(cloud.calls).toHaveLength(0);
    const stored = new Auth(() => 'en', memoryStorage({ [REFRESH_KEY]: 'refresh-0' }), cloud.fetchFn);
    expect((await stored.restore())?.accessToken).toBe('access-1');
    const gone = new Auth(() => 'id', memoryStorage({ [REFRESH_KEY]: 'refresh-0' }), cloud.fetchFn);
    expect(await gone.restore()).toBeUndefined(); // refresh-0 was used up
  });

  /** Storage as a returning visit finds it: a refresh token and a session whose access token runs out at `expiresAt`. */
  const kept = (expiresAt: number, accessToken = 'access-0') =>
    memoryStorage({
      [REFRESH_KEY]: 'refresh-0',
      [SESSION_KEY]: JSON.stringify({
        accessToken,
        expiresAt,
        user: signedIn(0).user,
        memberships: signedIn(0).memberships,
      }),
    });

  it('resumes a stored access token with more than 30 s left without any request, and sends it', async () => {
    const cloud = fakeCloud();
    const now = 5_000_000;
    const auth = new Auth(
      () => 'id',
      kept(now + 31_000),
      cloud.fetchFn,
      () => now,
    );
    const api = new Api(() => 'id', auth, '/api/v1', cloud.fetchFn);
    const s = await auth.restore();
    expect(s).toMatchObject({ accessToken: 'access-0', expiresAt: now + 31_000, user: { username: 'petani' } });
    expect(cloud.calls).toHaveLength(0);
    expect(await api.get('/villages/kel-taman/latest')).toEqual({ path: '/villages/kel-taman/latest' });
    expect(cloud.calls).toEqual([{ path: '/villages/kel-taman/latest', auth: 'Bearer access-0', body: undefined }]);
  });

  it('refreshes first when the stored access token has run out or has 30 s or less left, and stores both', async () => {
    for (const left of [30_000, 0, -3_600_000]) {
      const cloud = fakeCloud();
      const now = 5_000_000;
      const storage = kept(now + left);
      const auth = new Auth(
        () => 'id',
        storage,
        cloud.fetchFn,
        () => now,
      );
      expect((await auth.restore())?.accessToken).toBe('access-1');
      expect(cloud.calls.map((c) => c.path)).toEqual(['/auth/refresh']);
      expect(storage.m.get(REFRESH_KEY)).toBe('refresh-1');
      expect(JSON.parse(storage.m.get(SESSION_KEY)!)).toMatchObject({
        accessToken: 'access-1',
        expiresAt: now + 900_000,
      });
    }
  });

  it('refreshes from an unreadable stored session, and shows sign-in without a refresh token', async () => {
    const cloud = fakeCloud();
    const storage = memoryStorage({ [REFRESH_KEY]: 'refresh-0', [SESSION_KEY]: '{"accessToken":' });
    expect((await new Auth(() => 'id', storage, cloud.fetchFn).restore())?.accessToken).toBe('access-1');
    // A session left without its refresh token (half a sign-out) is not resumed.
    const half = kept(Date.now() + 600_000);
    half.removeItem(REFRESH_KEY);
    expect(await new Auth(() => 'id', half, cloud.fetchFn).restore()).toBeUndefined();
    expect(half.m.size).toBe(0);
    expect(cloud.calls.map((c) => c.path)).toEqual(['/auth/refresh']);
  });

  it('falls back to one refresh when the server refuses a stored access token (401), and retries', async () => {
    const cloud = fakeCloud();
    const storage = kept(Date.now() + 600_000, 'access-revoked');
    const auth = new Auth(() => 'id', storage, cloud.fetchFn);
    const api = new Api(() => 'id', auth, '/api/v1', cloud.fetchFn);
    await auth.restore();
    const answers = await Promise.all([api.get('/a'), api.get('/b')]);
    expect(answers).toEqual([{ path: '/a' }, { path: '/b' }]);
    expect(cloud.calls.filter((c) => c.auth === 'Bearer access-revoked').map((c) => c.path)).toEqual(['/a', '/b']);
    expect(cloud.calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(1);
    expect(cloud.calls.filter((c) => c.auth === 'Bearer access-1').map((c) => c.path)).toEqual(['/a', '/b']);
    expect(JSON.parse(storage.m.get(SESSION_KEY)!).accessToken).toBe('access-1');
  });

  it('ends at the sign-in page when a refused stored access token cannot be refreshed either, clearing both keys', async () => {
    const cloud = fakeCloud({ refreshOk: false });
    const storage = kept(Date.now() + 600_000, 'access-revoked');
    const auth = new Auth(() => 'id', storage, cloud.fetchFn);
    const api = new Api(() => 'id', auth, '/api/v1', cloud.fetchFn);
    await auth.restore();
    await expect(api.get('/a')).rejects.toMatchObject({ status: 401 });
    expect(auth.session).toBeUndefined();
    expect(auth.ended).toBe('expired');
    expect(storage.m.size).toBe(0);
    expect(cloud.calls.map((c) => c.path)).toEqual(['/a', '/auth/refresh']);
  });

  it('takes the session the inline script of index.html chose: the stored one as it was, or its refresh', async () => {
    const cloud = fakeCloud();
    const g = globalThis as { window?: { __lumbungSession?: Promise<unknown> } };
    const had = 'window' in globalThis;
    g.window = {};
    try {
      const now = 5_000_000;
      const storage = kept(now + 600_000);
      const stored = JSON.parse(storage.m.get(SESSION_KEY)!);
      g.window.__lumbungSession = Promise.resolve({ status: 200, stored });
      const auth = new Auth(
        () => 'id',
        storage,
        cloud.fetchFn,
        () => now,
      );
      expect(await auth.restore()).toEqual(stored);
      expect(cloud.calls).toHaveLength(0);
      expect(g.window.__lumbungSession).toBeUndefined();

      // Its refresh: the access token's expiry counts from when the answer arrived.
      const after = memoryStorage({ [REFRESH_KEY]: 'refresh-7' });
      g.window.__lumbungSession = Promise.resolve({ status: 200, body: signedIn(7), at: now - 2_000 });
      const refreshed = await new Auth(
        () => 'id',
        after,
        cloud.fetchFn,
        () => now,
      ).restore();
      expect(refreshed).toMatchObject({ accessToken: 'access-7', expiresAt: now - 2_000 + 900_000 });
      expect(JSON.parse(after.m.get(SESSION_KEY)!).accessToken).toBe('access-7');
    } finally {
      if (had) g.window = undefined;
      else delete g.window;
    }
  });

  it('follows another tab: its refresh hands this tab the newer access token, its sign-out signs out here', async () => {
    const cloud = fakeCloud();
    const storage = memoryStorage();
    let now = 1_000_000;
    const clock = () => now;
    const here = new Auth(() => 'id', storage, cloud.fetchFn, clock);
    const there = new Auth(() => 'id', storage, cloud.fetchFn, clock);
    await here.login('petani', 'x');
    expect((await there.restore())?.accessToken).toBe('access-1'); // a second tab opens: no request
    now += 800_000;
    await there.refresh();
    here.storageChanged(SESSION_KEY);
    expect(here.session?.accessToken).toBe('access-2');
    // Missed the event (a frozen tab): near its expiry it still takes the stored one rather than refreshing.
    now += 880_000;
    await there.refresh();
    expect(await here.token()).toBe('access-3');
    expect(cloud.calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(2);
    await there.logout();
    here.storageChanged(REFRESH_KEY);
    expect(here.session).toBeUndefined();
  });

  it('signs out here at once, even offline, and tells the server with the bearer when it can', async () => {
    const cloud = fakeCloud();
    const storage = memoryStorage();
    const auth = new Auth(() => 'id', storage, cloud.fetchFn);
    await auth.login('petani', 'x');
    expect(storage.m.size).toBe(2);
    await auth.logout();
    expect(auth.session).toBeUndefined();
    expect(storage.m.size).toBe(0);
    expect(cloud.calls.at(-1)).toMatchObject({ path: '/auth/logout', auth: 'Bearer access-1' });

    const offline = new Auth(() => 'id', memoryStorage({ [REFRESH_KEY]: 'r' }), fakeCloud({ online: false }).fetchFn);
    offline.session = { accessToken: 'a', expiresAt: Date.now() + 60_000, user: signedIn(1).user, memberships: [] };
    await offline.logout();
    expect(offline.session).toBeUndefined();
  });
});

describe('phone numbers as typed in Indonesia, in E.164', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['62 812 3456 7890', '+6281234567890'],
    ['+62 (812) 3456.7890', '+6281234567890'],
    ['0062 81100000002', '+6281100000002'],
    ['+6281100000002', '+6281100000002'],
  ])('%s → %s', (typed, want) => {
    expect(e164(typed)).toBe(want);
  });
  it.each(['', '12', 'abc', '0812-34x5', '+0812345678'])('%j is not a phone number', (typed) => {
    expect(e164(typed)).toBeUndefined();
  });
});
