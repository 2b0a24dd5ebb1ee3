import { DuckDbStore, type DuckDbStoreOptions } from './duckdb.ts';
import type { TimeSeriesStore } from './port.ts';
import { VictoriaMetricsStore, type VictoriaMetricsStoreOptions } from './victoria.ts';

export interface OpenStoreOptions {
  duckdb?: Omit<DuckDbStoreOptions, 'path'>;
  victoriametrics?: Omit<VictoriaMetricsStoreOptions, 'url'>;
}

/**
 * A store from a URL (not started):
 * - `duckdb:<path>` or a bare path → the embedded DuckDbStore in that file;
 * - `http(s)://host:port` or `victoriametrics+http(s)://host:port` → VictoriaMetricsStore.
 */
export function openStore(url: string, opts: OpenStoreOptions = {}): TimeSeriesStore {
  const vm = /^victoriametrics\+(https?:\/\/.*)$/i.exec(url);
  if (vm?.[1]) return new VictoriaMetricsStore({ ...opts.victoriametrics, url: vm[1] });
  if (/^https?:\/\//i.test(url)) return new VictoriaMetricsStore({ ...opts.victoriametrics, url });
  if (url.startsWith('duckdb:')) {
    const path = url.slice('duckdb:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error(`store URL ${url}: duckdb: needs a file path, e.g. duckdb:/data/tsdb.duckdb`);
    return new DuckDbStore({ ...opts.duckdb, path });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(`store URL ${url}: unknown scheme (use duckdb:<path>, a path, or http(s)://<victoriametrics>)`);
  }
  return new DuckDbStore({ ...opts.duckdb, path: url });
}
