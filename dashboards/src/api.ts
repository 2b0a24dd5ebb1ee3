import type { Auth } from './auth.ts';
import type { Lang } from './i18n/index.ts';

/** An error answer of the API ({ code, message } in the language asked for), or a network failure (code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Any failure as an ApiError (code UNKNOWN when it is not one), for an ErrorBox. */
export const toApiError = (e: unknown): ApiError => (e instanceof ApiError ? e : new ApiError('UNKNOWN', String(e), 0));

declare global {
  interface Window {
    /** Requests started by the inline script of index.html before the bundle arrived, by API path. */
    __lumbungPrefetch?: Record<string, Promise<Response>>;
  }
}

export const API_BASE = '/api/v1';

/** The body of an answer; an error answer becomes an ApiError with the API's code and message. */
export async function readResponse<T>(r: Response): Promise<T> {
  const text = await r.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!r.ok) {
    const e = body as { code?: string; message?: string } | undefined;
    throw new ApiError(e?.code ?? `HTTP_${r.status}`, e?.message ?? (text.slice(0, 200) || r.statusText), r.status);
  }
  return body as T;
}

async function settle(res: Promise<Response>): Promise<Response> {
  try {
    return await res;
  } catch (err) {
    throw new ApiError('NETWORK', String(err), 0);
  }
}

/**
 * The cloud's HTTP API. Every request says which language error messages should come in and carries the
 * signed-in user's access token; a 401 gets one refresh (shared with every other request refused meanwhile)
 * and one retry, and when the refresh is refused too the session ends (the app shows the sign-in page).
 * A GET of a path the page's inline script already requested takes that response (once), so the first paint
 * waits one round trip less (two with a stored access token, which needs no refresh first).
 */
export class Api {
  constructor(
    private readonly lang: () => Lang,
    readonly auth: Auth | undefined,
    private readonly base = API_BASE,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  #headers(token: string | undefined, json = false): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.lang() };
    if (json) h['Content-Type'] = 'application/json';
    if (token) h.Authorization = `Bearer ${token}`;
    return h;
  }

  async #send<T>(make: (token: string | undefined) => Promise<Response>, early?: Promise<Response>): Promise<T> {
    // The inline script's request went out with the session's token (the stored one, or its refresh's): that
    // session is ours now. A 401 for it (signed out elsewhere, revoked) gets the one refresh below.
    const used = early ? this.auth?.session?.accessToken : await this.auth?.token();
    let r = await settle(early ?? make(used));
    if (r.status === 401 && this.auth?.session) {
      const s = await this.auth.renew(used);
      if (s) r = await settle(make(s.accessToken));
    }
    return readResponse<T>(r);
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const pre = typeof window === 'undefined' ? undefined : window.__lumbungPrefetch;
    const early = pre?.[path];
    if (early && pre) delete pre[path];
    return this.#send<T>((token) => this.fetchFn(this.base + path, { headers: this.#headers(token), signal }), early);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#send<T>((token) =>
      this.fetchFn(this.base + path, {
        method: 'POST',
        headers: this.#headers(token, true),
        body: JSON.stringify(body),
      }),
    );
  }

  /**
   * The URL of a server-sent event stream with a fresh access token in the query: EventSource cannot send
   * headers, so the cloud takes the token as `access_token` on stream routes.
   */
  async streamUrl(path: string): Promise<string> {
    const token = await this.auth?.token();
    return `${this.base}${path}${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;
  }

  /** Forgets the inline script's early requests (after a sign-out they belong to the previous user). */
  static dropPrefetch(): void {
    if (typeof window !== 'undefined') window.__lumbungPrefetch = {};
  }
}

/** A query string from defined values: qs({ a: 1, b: undefined }) = '?a=1'. */
export function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  // Commas are legal in a query and easier to read in logs (agg=avg,min,max).
  return s ? `?${s.replace(/%2C/g, ',')}` : '';
}
