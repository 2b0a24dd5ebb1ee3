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

declare global {
  interface Window {
    /** Requests started by the inline script of index.html before the bundle arrived, by API path. */
    __lumbungPrefetch?: Record<string, Promise<Response>>;
  }
}

export const API_BASE = '/api/v1';

async function read<T>(res: Promise<Response>): Promise<T> {
  let r: Response;
  try {
    r = await res;
  } catch (err) {
    throw new ApiError('NETWORK', String(err), 0);
  }
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

/**
 * The cloud's HTTP API. Every request says which language error messages should come in. A GET of a path the
 * page's inline script already requested takes that response (once), so the first paint waits one round trip less.
 */
export class Api {
  constructor(
    private readonly lang: () => Lang,
    private readonly base = API_BASE,
  ) {}

  #headers(json = false): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.lang() };
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const pre = typeof window === 'undefined' ? undefined : window.__lumbungPrefetch;
    const early = pre?.[path];
    if (early && pre) {
      delete pre[path];
      return read<T>(early);
    }
    return read<T>(fetch(this.base + path, { headers: this.#headers(), signal }));
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return read<T>(
      fetch(this.base + path, { method: 'POST', headers: this.#headers(true), body: JSON.stringify(body) }),
    );
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
