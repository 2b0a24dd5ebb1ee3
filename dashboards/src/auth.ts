import type { SignedIn } from '@lumbung/schemas';
import { API_BASE, ApiError, readResponse } from './api.ts';
import type { Lang } from './i18n/index.ts';

/**
 * Where the refresh token is kept between visits. Why localStorage and not only memory: the phones this
 * dashboard is for are cheap Android phones whose browser is killed and restarted whenever memory runs short,
 * and a farmer should not type a password each time. The access token (15 minutes) stays in memory only; the
 * refresh token works once and is replaced at every refresh, and signing out ends it on the server. The
 * trade-off (script injected into the page could read it) is in docs/decisions/0007-dashboard-stack.md.
 * The inline script of index.html reads and writes the same key.
 */
export const REFRESH_KEY = 'lumbung.refresh';

/** Refresh this long before the access token runs out, so a request never leaves with a token about to expire. */
const EARLY_MS = 30_000;

export interface Session {
  accessToken: string;
  /** When the access token runs out (epoch ms, by this phone's clock). */
  expiresAt: number;
  user: SignedIn['user'];
  memberships: SignedIn['memberships'];
}

/** The answer of the refresh the inline script of index.html started before the app's code ran. */
export interface EarlyRefresh {
  status: number;
  body?: SignedIn;
}

declare global {
  interface Window {
    __lumbungSession?: Promise<EarlyRefresh>;
  }
}

type Fetch = typeof fetch;

const storageOf = (): Storage | undefined => {
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

  #store(token: string | undefined): void {
    try {
      if (token) this.storage?.setItem(REFRESH_KEY, token);
      else this.storage?.removeItem(REFRESH_KEY);
    } catch {
      // Private mode: the session lasts while the page is open.
    }
  }

  #accept(s: SignedIn): Session {
    this.#store(s.refreshToken);
    this.session = {
      accessToken: s.accessToken,
      expiresAt: this.now() + s.expiresIn * 1000,
      user: s.user,
      memberships: s.memberships,
    };
    this.ended = undefined;
    this.#emit();
    return this.session;
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
   * The session at start: the refresh the inline script of index.html began (it saves a round trip), else one
   * made here with the stored refresh token. Undefined without a stored token or when it is refused.
   */
  async restore(): Promise<Session | undefined> {
    const early = typeof window === 'undefined' ? undefined : window.__lumbungSession;
    if (early) {
      window.__lumbungSession = undefined;
      const r = await early;
      if (r.status === 200 && r.body) return this.#accept(r.body);
      // Offline when the page opened: try once more through the normal path (which reports the failure).
      if (r.status !== 0) return this.#refreshFailed(r.status);
    }
    if (!this.#stored()) return this.#drop();
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

  /** An access token good for at least the next half minute, refreshing first if needed; undefined when signed out. */
  async token(): Promise<string | undefined> {
    const s = this.session;
    if (!s) return undefined;
    if (s.expiresAt - EARLY_MS > this.now()) return s.accessToken;
    return (await this.refresh())?.accessToken;
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

  /** Another tab signed out (its storage event): follow it. */
  storageChanged(key: string | null): void {
    if ((key === REFRESH_KEY || key === null) && this.session && !this.#stored()) this.#drop();
  }
}
