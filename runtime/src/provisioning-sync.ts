import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, env, setting } from './config.ts';
import type { Logger } from './log.ts';

const DEFAULT_INTERVAL_S = 15;

/**
 * The settings of every component that pulls its provisioning from the cloud (the edge and the gateway): one
 * variable, one schema and one description, whichever component reads it.
 */
export const cloudProvisioningSettings = {
  cloudUrl: setting(
    'LUMBUNG_CLOUD_URL',
    env.optionalString().pipe(z.url({ protocol: /^https?$/ }).optional()),
    'Base URL of the cloud API (e.g. http://cloud:8080); when set, provisioning is pulled from the cloud registry and cached in DATA_DIR/<component>/provisioning.json instead of read from a file',
  ),
  provisioningIntervalS: setting(
    'LUMBUNG_PROVISIONING_INTERVAL_S',
    env.int(DEFAULT_INTERVAL_S, 1),
    'How often the provisioning is checked for changes in the cloud, seconds (a revoked device is cut off within this time)',
  ),
};

/** How one request to the cloud ended; counted by the components (`..._provisioning_fetches_total{result}`). */
export type ProvisioningFetchResult =
  | 'changed'
  | 'unchanged'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid'
  | 'unreachable'
  | 'http_error';

export interface ProvisioningSyncOptions<T> {
  /** The full URL of the provisioning route, e.g. http://cloud:8080/api/v1/provisioning/edge. */
  url: string;
  /** The setting that names the cloud, for error messages. Default `LUMBUNG_CLOUD_URL`. */
  setting?: string;
  /** Sent with every request (Authorization). */
  headers: Record<string, string>;
  /** Validates a body; throws when it is not acceptable. The value is what onChange gets and the cache keeps. */
  parse: (json: unknown) => T;
  /** The last good copy, kept for restarts while the cloud is unreachable. Holds secret hashes: written 0600. */
  cacheFile: string;
  intervalMs: number;
  /** Per request. Default 5000 ms: start-up must not hang on a dead link. */
  timeoutMs?: number;
  logger: Logger;
  /** Called after start() when the cloud serves different content. Errors are logged, the copy stays current. */
  onChange?: (value: T) => void;
  onResult?: (result: ProvisioningFetchResult) => void;
  now?: () => number;
}

export interface ProvisioningSyncState {
  url: string;
  /** Where the copy in use came from: the cloud (this run), or the cache file (the cloud was not reached yet). */
  source: 'cloud' | 'cache' | undefined;
  /** When the copy in use was fetched from the cloud (epoch ms; for a cached copy, the original fetch). */
  fetchedAt: number | null;
  /** The last answer from the cloud that was usable (200 or 304). */
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** The last failure, cleared by the next success. */
  lastError: string | null;
  lastErrorAt: number | null;
  etag: string | null;
  /** Content changes applied after start(). */
  changes: number;
  failures: number;
}

/** The cache file: the body as validated, with the ETag it came with, so a restart can still ask "unchanged?". */
interface CacheFile {
  fetchedAt: number;
  etag: string | null;
  url: string;
  body: unknown;
}

class FetchFailure extends Error {
  constructor(
    readonly result: ProvisioningFetchResult,
    message: string,
  ) {
    super(message);
  }
}

type Fetched<T> = { kind: 'body'; value: T; json: unknown; etag: string | null } | { kind: 'unchanged' };

/**
 * Pulls a component's provisioning (devices or edges with their secret hashes) from the cloud over HTTP, keeps the
 * last good copy in a cache file, and polls for changes with `If-None-Match` (a 304 costs the cloud one hash
 * comparison). Why pull with a cache rather than a push over MQTT or a file: docs/decisions/0008.
 *
 * Failures never take the current copy away: a village box keeps admitting its devices through an outage of days.
 */
export class ProvisioningSync<T> {
  #current: T | undefined;
  /** JSON of the value in use, to tell a real change from the same content under a new ETag. */
  #currentJson: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #abort: AbortController | undefined;
  #polling: Promise<void> | undefined;
  #running = false;
  readonly #now: () => number;
  readonly #state: ProvisioningSyncState;

  constructor(private readonly o: ProvisioningSyncOptions<T>) {
    this.#now = o.now ?? Date.now;
    this.#state = {
      url: o.url,
      source: undefined,
      fetchedAt: null,
      lastSuccessAt: null,
      lastAttemptAt: null,
      lastError: null,
      lastErrorAt: null,
      etag: null,
      changes: 0,
      failures: 0,
    };
  }

  get current(): T | undefined {
    return this.#current;
  }

  get state(): ProvisioningSyncState {
    return { ...this.#state };
  }

  /** Whether the last attempt failed (the copy in use may be stale). */
  get failing(): boolean {
    const s = this.#state;
    return s.lastErrorAt !== null && (s.lastSuccessAt === null || s.lastErrorAt > s.lastSuccessAt);
  }

  /**
   * Fetches once; on failure falls back to the cache file; without either, throws a ConfigError naming the URL
   * setting. Then polls every `intervalMs` until stop().
   */
  async start(): Promise<T> {
    if (this.#running) throw new Error('provisioning sync already started');
    this.#running = true;
    const setting = this.o.setting ?? 'LUMBUNG_CLOUD_URL';
    try {
      const f = await this.#fetch(undefined);
      if (f.kind === 'unchanged') throw new FetchFailure('http_error', 'HTTP 304 to a request without If-None-Match');
      await this.#adopt(f.value, f.json, f.etag);
      this.#state.source = 'cloud';
      this.o.logger.info({ url: this.o.url, etag: f.etag }, 'provisioning fetched from the cloud');
    } catch (err) {
      if (!this.#running) throw new Error('provisioning sync stopped during start');
      const why = this.#failed(err, false);
      const cached = await this.#readCache();
      if (!cached) {
        this.#running = false;
        throw new ConfigError(
          setting,
          `cannot get the provisioning from ${this.o.url} (${why}) and there is no cached copy at ${this.o.cacheFile}; ` +
            `check ${setting}, the credentials and that the cloud is reachable`,
        );
      }
      this.#current = cached.value;
      this.#currentJson = JSON.stringify(cached.value);
      this.#state.source = 'cache';
      this.#state.fetchedAt = cached.fetchedAt;
      this.#state.etag = cached.etag;
      const since = new Date(cached.fetchedAt).toISOString();
      const ctx = {
        url: this.o.url,
        error: why,
        cacheFile: this.o.cacheFile,
        fetchedAt: since,
        ageSeconds: Math.round((this.#now() - cached.fetchedAt) / 1000),
      };
      if (refused(err))
        this.o.logger.error(
          ctx,
          `the cloud refused our credentials: running on the last-known provisioning, fetched ${since}`,
        );
      else
        this.o.logger.warn(
          ctx,
          `no provisioning from the cloud: running on the last-known provisioning, fetched ${since}`,
        );
    }
    this.#schedule();
    return this.#current as T;
  }

  /** Clears the poll timer and aborts a request in flight; resolves when the poll in progress (if any) has ended. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    await this.#polling;
  }

  /** Polls now (tests; an operator's "refresh"). Resolves when the poll has ended. */
  async poll(): Promise<void> {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#polling) {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        this.#schedule();
      });
    }
    await this.#polling;
  }

  #schedule(): void {
    if (!this.#running || this.#timer || this.#polling) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.poll();
    }, this.o.intervalMs);
  }

  async #poll(): Promise<void> {
    let f: Fetched<T>;
    try {
      f = await this.#fetch(this.#state.etag ?? undefined);
    } catch (err) {
      if (this.#running) this.#failed(err);
      return;
    }
    if (!this.#running) return;
    this.#state.source = 'cloud';
    if (f.kind === 'unchanged') {
      this.o.onResult?.('unchanged');
      return;
    }
    if (JSON.stringify(f.value) === this.#currentJson) {
      // Same content under a new ETag (the cloud restarted, or hashes differently): remember the tag, nothing else.
      this.o.onResult?.('unchanged');
      if (f.etag !== this.#state.etag) await this.#adopt(f.value, f.json, f.etag);
      return;
    }
    await this.#adopt(f.value, f.json, f.etag);
    this.#state.changes++;
    this.o.onResult?.('changed');
    this.o.logger.info({ url: this.o.url, etag: f.etag }, 'provisioning changed in the cloud');
    try {
      this.o.onChange?.(f.value);
    } catch (err) {
      this.o.logger.error({ err }, 'applying the changed provisioning failed');
    }
  }

  /** Makes a validated copy current and caches it; a cache that cannot be written costs only the next restart. */
  async #adopt(value: T, json: unknown, etag: string | null): Promise<void> {
    const fetchedAt = this.#now();
    this.#current = value;
    this.#currentJson = JSON.stringify(value);
    this.#state.fetchedAt = fetchedAt;
    this.#state.etag = etag;
    try {
      await this.#writeCache({ fetchedAt, etag, url: this.o.url, body: json });
    } catch (err) {
      this.o.logger.error(
        { err, cacheFile: this.o.cacheFile },
        'writing the provisioning cache failed: a restart without the cloud will not find this copy',
      );
    }
  }

  /** One request. Resolves with a validated body or "unchanged"; throws FetchFailure otherwise. */
  async #fetch(etag: string | undefined): Promise<Fetched<T>> {
    const abort = new AbortController();
    this.#abort = abort;
    this.#state.lastAttemptAt = this.#now();
    const timeoutMs = this.o.timeoutMs ?? 5000;
    let res: Response;
    try {
      res = await fetch(this.o.url, {
        headers: { accept: 'application/json', ...this.o.headers, ...(etag ? { 'if-none-match': etag } : {}) },
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const cause = [e.cause?.code, e.cause?.message].filter(Boolean).join(': ');
      const detail = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause || e.message;
      throw new FetchFailure('unreachable', detail);
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new FetchFailure('unreachable', `reading the answer failed: ${(err as Error).message}`);
    }
    if (res.status === 304) {
      this.#succeeded();
      return { kind: 'unchanged' };
    }
    if (res.status === 401 || res.status === 403) {
      throw new FetchFailure(
        res.status === 401 ? 'unauthorized' : 'forbidden',
        `HTTP ${res.status}${errorMessage(text)}: ${res.status === 401 ? 'the cloud refused the credentials' : 'the cloud revoked or forbids this client'}`,
      );
    }
    if (res.status >= 500) throw new FetchFailure('unreachable', `HTTP ${res.status}${errorMessage(text)}`);
    if (res.status !== 200) throw new FetchFailure('http_error', `HTTP ${res.status}${errorMessage(text)}`);
    let json: unknown;
    let value: T;
    try {
      json = JSON.parse(text);
      value = this.o.parse(json);
    } catch (err) {
      throw new FetchFailure('invalid', `invalid provisioning: ${(err as Error).message.slice(0, 500)}`);
    }
    this.#succeeded();
    return { kind: 'body', value, json, etag: res.headers.get('etag') };
  }

  #succeeded(): void {
    this.#state.lastSuccessAt = this.#now();
    this.#state.lastError = null;
  }

  /** Records a failure and logs it with the level it deserves (unless `log` is false); returns its description. */
  #failed(err: unknown, log = true): string {
    const result = err instanceof FetchFailure ? err.result : 'http_error';
    const message = (err as Error).message;
    this.#state.failures++;
    this.#state.lastError = message;
    this.#state.lastErrorAt = this.#now();
    this.o.onResult?.(result);
    if (!log) return message;
    const ctx = { url: this.o.url, error: message, source: this.#state.source };
    if (refused(err))
      this.o.logger.error(ctx, 'the cloud refused our provisioning request: wrong or revoked credentials');
    else if (result === 'invalid' || result === 'http_error')
      this.o.logger.error(ctx, 'provisioning from the cloud not usable; keeping the last good copy');
    else this.o.logger.warn(ctx, 'cloud unreachable; keeping the last good provisioning');
    return message;
  }

  async #readCache(): Promise<{ value: T; fetchedAt: number; etag: string | null } | undefined> {
    let c: CacheFile;
    try {
      c = JSON.parse(await readFile(this.o.cacheFile, 'utf8')) as CacheFile;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.o.logger.error({ err, cacheFile: this.o.cacheFile }, 'provisioning cache unreadable');
      return undefined;
    }
    try {
      const value = this.o.parse(c.body);
      // A copy from another URL (the cloud moved) is still the last known provisioning, but its ETag is not.
      const etag = c.url === this.o.url && typeof c.etag === 'string' ? c.etag : null;
      return { value, fetchedAt: typeof c.fetchedAt === 'number' ? c.fetchedAt : 0, etag };
    } catch (err) {
      this.o.logger.error({ err, cacheFile: this.o.cacheFile }, 'provisioning cache invalid; ignored');
      return undefined;
    }
  }

  /** tmp + rename: a power cut leaves the old copy or the new one, never half a file. */
  async #writeCache(c: CacheFile): Promise<void> {
    const file = this.o.cacheFile;
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await mkdir(dirname(file), { recursive: true });
    try {
      await writeFile(tmp, `${JSON.stringify(c)}\n`, { mode: 0o600, flush: true });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

/** Where a component pulls its provisioning from (its `cloud` option, besides its credentials). */
export interface CloudProvisioningSource {
  /** Base URL of the cloud API, e.g. http://cloud:8080. */
  url: string;
  /** How often to ask for changes. Default 15 s: a revocation reaches the component within that (the access issue asks 60 s). */
  intervalMs?: number;
  /** The last good copy, for starts while the cloud is unreachable. Default `<dataDir>/provisioning.json`. */
  cacheFile?: string;
  /** Per request. Default 5 s. */
  timeoutMs?: number;
}

/** The ProvisioningSync of a component's route, `GET {url}/api/v1/provisioning/{route}`, with the defaults above. */
export function cloudProvisioningSync<T>(
  source: CloudProvisioningSource,
  o: { route: string; authorization: string; dataDir: string } & Pick<
    ProvisioningSyncOptions<T>,
    'parse' | 'logger' | 'now' | 'onChange' | 'onResult'
  >,
): ProvisioningSync<T> {
  const { route, authorization, dataDir, ...rest } = o;
  return new ProvisioningSync<T>({
    ...rest,
    url: `${source.url.replace(/\/+$/, '')}/api/v1/provisioning/${route}`,
    setting: 'LUMBUNG_CLOUD_URL',
    headers: { authorization },
    cacheFile: source.cacheFile ?? join(dataDir, 'provisioning.json'),
    intervalMs: source.intervalMs ?? DEFAULT_INTERVAL_S * 1000,
    ...(source.timeoutMs !== undefined ? { timeoutMs: source.timeoutMs } : {}),
  });
}

/** 401/403: the cloud is there and says no, which an operator must fix (not wait out). */
const refused = (err: unknown): boolean =>
  err instanceof FetchFailure && (err.result === 'unauthorized' || err.result === 'forbidden');

/** The `{ code, message }` of a Lumbung error body, for the log. */
function errorMessage(text: string): string {
  try {
    const b = JSON.parse(text) as { code?: unknown; message?: unknown };
    const parts = [b.code, typeof b.message === 'string' ? b.message : JSON.stringify(b.message)].filter(
      (x) => typeof x === 'string' && x.length > 0,
    );
    return parts.length > 0 ? ` (${parts.join(': ').slice(0, 300)})` : '';
  } catch {
    return '';
  }
}
