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
 * The cloud's HTTP API: JSON by GET, POST and PUT, and files by GET. Every request says which language error
 * messages should come in and carries the signed-in user's access token; a 401 gets one refresh (shared with every
 * other request refused meanwhile) and one retry, and when the refresh is refused too the session ends (the app
 * shows the sign-in page).
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

  /**
   * The one way every request goes: with the session's token, and after a 401 one refresh and one retry. A POST or
   * PUT sends JSON; the answer is JSON, or with `accept` (a file's type) a Blob. An error answer becomes an ApiError.
   */
  async #send<T>(path: string, init: RequestInit, early?: Promise<Response>, accept?: string): Promise<T> {
    const make = (token: string | undefined) =>
      this.fetchFn(this.base + path, {
        ...init,
        headers: {
          Accept: accept ?? 'application/json',
          'Accept-Language': this.lang(),
          ...(init.method && { 'Content-Type': 'application/json' }),
          ...(token && { Authorization: `Bearer ${token}` }),
        },
      });
    // The inline script's request went out with the session's token (the stored one, or its refresh's): that
    // session is ours now. A 401 for it (signed out elsewhere, revoked) gets the one refresh below.
    const used = early ? this.auth?.session?.accessToken : await this.auth?.token();
    let r = await settle(early ?? make(used));
    if (r.status === 401 && this.auth?.session) {
      const s = await this.auth.renew(used);
      if (s) r = await settle(make(s.accessToken));
    }
    return accept && r.ok ? (r.blob() as Promise<T>) : readResponse<T>(r);
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const pre = typeof window === 'undefined' ? undefined : window.__lumbungPrefetch;
    const early = pre?.[path];
    if (early && pre) delete pre[path];
    return this.#send<T>(path, { signal }, early);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#send<T>(path, { method: 'POST', body: JSON.stringify(body) });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.#send<T>(path, { method: 'PUT', body: JSON.stringify(body) });
  }

  /**
   * A file the API serves (the QR code's SVG, the EPCIS document, a PDF or CSV), asked for by its type: pages fetch
   * files with this and save them, since a link could not send the token.
   */
  file(path: string, accept: string): Promise<Blob> {
    return this.#send<Blob>(path, {}, undefined, accept);
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
