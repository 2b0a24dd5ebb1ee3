import type { SignedIn } from '@lumbung/schemas';
import { API_BASE, ApiError, readResponse } from './api.ts';
import type { Lang } from './i18n/index.ts';

/**
 * Where the session is kept between visits: the refresh token under REFRESH_KEY, and the access token with its
 * expiry, the user and their memberships under SESSION_KEY (JSON, a Session). Why localStorage and not only
 * memory: the phones this dashboard is for are cheap Android phones whose browser is killed and restarted whenever
 * memory runs short, and a farmer should not type a password each time. Why the access token too: a page opened
 * while it has more than half a minute left uses it at once, without a refresh first; on Chrome's "Slow 4G"
 * profile that saves a 562.5 ms round trip and brings a returning visit under 2 s (docs/benchmarks.md).
 *
 * The trade-off (docs/decisions/0007-dashboard-stack.md, addendum): script injected into the page could read both.
 * The refresh token is worth more (30 days), and it rotates, so a thief who uses it signs the real user out at
 * their next refresh, which they notice; a stolen access token (15 minutes at most) can be used without signing
 * anyone out, so its theft is quieter. Signing out ends both on the server at once: every request checks the
 * token's session, not only its signature. The inline script of index.html reads the same keys.
 */
export const REFRESH_KEY = 'lumbung.refresh';
export const SESSION_KEY = 'lumbung.session';

/** Refresh this long before the access token runs out, so a request never leaves with a token about to expire. */
const EARLY_MS = 30_000;

export interface Session {
  accessToken: string;
  /** When the access token runs out (epoch ms, by this phone's clock). */
  expiresAt: number;
  user: SignedIn['user'];
  memberships: SignedIn['memberships'];
}

/**
 * What the inline script of index.html started with before the app's code ran: the stored session it used as it
 * was (`stored`: its access token had more than EARLY_MS left), or the answer of the refresh it made (`body`,
 * received at `at`, epoch ms).
 */
export interface EarlyRefresh {
  status: number;
  body?: SignedIn;
  at?: number;
  stored?: unknown;
}

/** A stored session as read back (storage holds any text): undefined unless it has every field. */
export function sessionOf(x: unknown): Session | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const s = x as Partial<Session>;
  if (typeof s.accessToken !== 'string' || !s.accessToken || typeof s.expiresAt !== 'number') return undefined;
  if (!s.user || typeof s.user.id !== 'string' || !Array.isArray(s.memberships)) return undefined;
  return { accessToken: s.accessToken, expiresAt: s.expiresAt, user: s.user, memberships: s.memberships };
}

declare global {
  interface Window {
    __lumbungSession?: Promise<EarlyRefresh>;
  }
}

type Fetch = typeof fetch;

/** The browser's localStorage, or undefined where reading it throws (storage blocked). */
export const storageOf = (): Storage | undefined => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
};

/**
 * The signed-in session: sign in (password or one-time code by phone), refresh, sign out. A refresh token works
 * once, so concurrent callers share one refresh (`refresh()` returns the promise in flight), and a refresh that
 * another tab already made (the stored token changed under us) is followed rather than treated as a sign-out.
 */
export class Auth {
  session: Session | undefined;
  /** Why the last session ended without the user signing out (shown on the sign-in page). */
  ended: 'expired' | undefined;
  readonly #listeners = new Set<() => void>();
  #refreshing: Promise<Session | undefined> | undefined;

  constructor(
    private readonly lang: () => Lang,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = storageOf(),
    private readonly fetchFn: Fetch = (...a) => fetch(...a),
    private readonly now: () => number = Date.now,
    private readonly base = API_BASE,
  ) {}

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #emit(): void {
    for (const fn of this.#listeners) fn();
  }

  #stored(): string | undefined {
    try {
      return this.storage?.getItem(REFRESH_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** The session kept by this or another tab of the browser, if it is whole. */
  #storedSession(): Session | undefined {
    try {
      return sessionOf(JSON.parse(this.storage?.getItem(SESSION_KEY) ?? 'null'));
    } catch {
      return undefined;
    }
  }

  /** Whether an access token has more than EARLY_MS left. */
  #fresh(s: Session): boolean {
    return s.expiresAt - EARLY_MS > this.now();
  }

  /** Keeps both keys, or removes both (signed out, refresh refused). */
  #store(token: string | undefined, session?: Session): void {
    try {
      if (token && session) {
        // The old refresh token no longer works: keep the new one first.
        this.storage?.setItem(REFRESH_KEY, token);
        this.storage?.setItem(SESSION_KEY, JSON.stringify(session));
      } else {
        this.storage?.removeItem(REFRESH_KEY);
        this.storage?.removeItem(SESSION_KEY);
      }
    } catch {
      // Private mode: the session lasts while the page is open.
    }
  }

  /** A new token pair from the server, received at `at` (its expiry counts from then). */
  #accept(s: SignedIn, at = this.now()): Session {
    const session: Session = {
      accessToken: s.accessToken,
      expiresAt: at + s.expiresIn * 1000,
      user: s.user,
      memberships: s.memberships,
    };
    this.#store(s.refreshToken, session);
    return this.#resume(session);
  }

  /** Takes a session already kept in storage (no request made). */
  #resume(session: Session): Session {
    this.session = session;
    this.ended = undefined;
    this.#emit();
    return session;
  }

  /** Ends the session here (the server's tokens are left to expire or were already refused). */
  #drop(ended?: 'expired'): undefined {
    const had = this.session !== undefined;
    this.session = undefined;
    this.#store(undefined);
    if (had) this.ended = ended;
    this.#emit();
    return undefined;
  }

  #post(path: string, body: unknown, token?: string): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.lang(),
      'Content-Type': 'application/json',
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    return this.fetchFn(this.base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  /**
   * The session at start, without a request when the stored access token has more than EARLY_MS left; else a
   * refresh with the stored refresh token. The inline script of index.html made that choice before the app's code
   * ran and started the overview's requests with the token it chose (saving a round trip): its choice is taken
   * as it is. Undefined without a stored refresh token or when the refresh is refused. A stored access token that
   * the server refuses (signed out elsewhere, revoked) costs one refresh at the first 401 (`renew`).
   */
  async restore(): Promise<Session | undefined> {
    const early = typeof window === 'undefined' ? undefined : window.__lumbungSession;
    if (early) {
      window.__lumbungSession = undefined;
      const r = await early;
      const stored = r.status === 200 && sessionOf(r.stored);
      if (stored && this.#stored()) return this.#resume(stored);
      if (r.status === 200 && r.body) return this.#accept(r.body, r.at);
      // Offline when the page opened: try once more through the normal path (which reports the failure).
      if (r.status !== 0 && !stored) return this.#refreshFailed(r.status);
    }
    if (!this.#stored()) return this.#drop();
    const kept = this.#storedSession();
    if (kept && this.#fresh(kept)) return this.#resume(kept);
    return this.refresh();
  }

  #refreshFailed(status: number): undefined {
    if (status === 401 || status === 400) return this.#drop(this.session ? 'expired' : undefined);
    throw new ApiError(`HTTP_${status}`, `refresh failed (${status})`, status);
  }

  /** A new token pair; one refresh at a time, shared by everyone who asks meanwhile. */
  refresh(): Promise<Session | undefined> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<Session | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = this.#stored();
      if (!token) return this.#drop(this.session ? 'expired' : undefined);
      let res: Response;
      try {
        res = await this.#post('/auth/refresh', { refreshToken: token });
      } catch (err) {
        throw new ApiError('NETWORK', String(err), 0);
      }
      if (res.ok) return this.#accept(await readResponse<SignedIn>(res));
      // Another tab of this browser refreshed with the same stored token first and saved its new one: use that.
      if (res.status === 401 && this.#stored() !== token) continue;
      return this.#refreshFailed(res.status);
    }
    return this.#drop('expired');
  }

  /**
   * After a request was refused with `used` as its token: a new session, unless another request has already
   * refreshed since (then the current one).
   */
  async renew(used: string | undefined): Promise<Session | undefined> {
    if (this.session && used !== undefined && this.session.accessToken !== used) return this.session;
    return this.refresh();
  }

  /**
   * An access token good for at least the next half minute: ours, else a newer one another tab of this browser
   * stored, else a refresh; undefined when signed out.
   */
  async token(): Promise<string | undefined> {
    const s = this.session;
    if (!s) return undefined;
    if (this.#fresh(s)) return s.accessToken;
    const kept = this.#newerStored();
    if (kept && this.#fresh(kept)) return this.#resume(kept).accessToken;
    return (await this.refresh())?.accessToken;
  }

  /** The stored session when another tab refreshed since ours: same user, a later expiry. */
  #newerStored(): Session | undefined {
    const kept = this.#storedSession();
    const s = this.session;
    if (!kept || !s || kept.user.id !== s.user.id || kept.expiresAt <= s.expiresAt) return undefined;
    return kept;
  }

  /** Whether the access token has run out (an event stream that breaks now needs a new one). */
  expired(): boolean {
    return !this.session || this.session.expiresAt - EARLY_MS <= this.now();
  }

  async login(username: string, password: string): Promise<Session> {
    return this.#signIn('/auth/login', { username, password });
  }

  async requestCode(phone: string): Promise<void> {
    await this.#call('/auth/otp/request', { phone });
  }

  async verifyCode(phone: string, code: string): Promise<Session> {
    return this.#signIn('/auth/otp/verify', { phone, code });
  }

  async #call(path: string, body: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await this.#post(path, body);
    } catch (err) {
      throw new ApiError('NETWORK', String(err), 0);
    }
    if (!res.ok) await readResponse(res); // throws the API's { code, message }
    return res;
  }

  async #signIn(path: string, body: unknown): Promise<Session> {
    return this.#accept(await readResponse<SignedIn>(await this.#call(path, body)));
  }

  /** Signs out: forgets the tokens here at once, then tells the server to end them (best effort, offline too). */
  async logout(): Promise<void> {
    const token = this.session?.accessToken;
    this.ended = undefined;
    this.#drop();
    if (!token) return;
    try {
      await (await this.#post('/auth/logout', {}, token)).arrayBuffer();
    } catch {
      // Offline: the access token runs out within 15 minutes; the refresh token is gone from this phone.
    }
  }

  /**
   * Another tab changed the stored session (its storage event): a sign-out (the keys removed) signs out here
   * too; a refresh there hands its newer access token to this tab, which then needs no refresh of its own.
   */
  storageChanged(key: string | null): void {
    if (key !== REFRESH_KEY && key !== SESSION_KEY && key !== null) return;
    if (!this.session) return;
    if (!this.#stored()) {
      this.#drop();
      return;
    }
    const kept = this.#newerStored();
    if (kept) this.#resume(kept);
  }
}
