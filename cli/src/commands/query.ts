import { readFile } from 'node:fs/promises';
import { loadConfig } from '@lumbung/runtime';
import { AGGREGATIONS, ReadingsQuery } from '@lumbung/schemas';
import { openStore } from '@lumbung/store';
import { parse, parseDuration, parseTime, UsageError } from '../args.ts';
import { type QueryResult, runQuery } from '../query.ts';
import { queryRunFile } from '../query-endpoint.ts';
import { cliSettings, storeUrl } from '../settings.ts';

const USAGE = `lumbung query --village V --device D --metric M --from TIME --to TIME [options]
  Prints the readings of one series (raw), or buckets with --step.
  --from, --to      ISO 8601 (2026-11-20T00:00:00Z, 2026-11-20T07:00:00+07:00) or epoch ms; [from, to)
  --step DURATION   bucket width: 15m, 1h, 1d …; without it, raw readings
  --agg LIST        with --step: ${AGGREGATIONS.join(', ')} (comma-separated; default avg)
  --offset DURATION bucket alignment, e.g. -7h for local days in Asia/Jakarta with --step 1d
  --limit N         at most N raw readings (default and maximum 100000)
  --store URL       store (default LUMBUNG_TSDB_URL, else DATA_DIR/tsdb.duckdb)
  --json            JSON output (default: a table)`;

export async function query(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      village: { type: 'string' },
      device: { type: 'string' },
      metric: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
      agg: { type: 'string' },
      offset: { type: 'string' },
      limit: { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    USAGE,
  );
  for (const f of ['village', 'device', 'metric', 'from', 'to'] as const)
    if (!values[f]) throw new UsageError(`--${f} is required\n\n${USAGE}`);
  const parsed = ReadingsQuery.safeParse({
    village: values.village,
    device: values.device,
    metric: values.metric,
    from: parseTime(values.from!, '--from'),
    to: parseTime(values.to!, '--to'),
    step: values.step ? parseDuration(values.step, '--step') : undefined,
    aggs: values.agg ? values.agg.split(',').map((a) => a.trim()) : undefined,
    offset: values.offset ? signedDuration(values.offset) : undefined,
    limit: values.limit ? Number(values.limit) : undefined,
  });
  if (!parsed.success)
    throw new UsageError(
      `${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n')}\n\n${USAGE}`,
    );
  const cfg = loadConfig(cliSettings);
  const result = await queryStore(values.store ?? storeUrl(cfg.tsdbUrl, cfg.dataDir), cfg.dataDir, parsed.data);
  console.log(values.json ? JSON.stringify(result, null, 2) : table(result));
  return 0;
}

const signedDuration = (v: string) =>
  v.startsWith('-') ? -parseDuration(v.slice(1), '--offset') : parseDuration(v, '--offset');

/** Opens the store; if another Lumbung process owns the embedded file, asks that process instead. */
async function queryStore(url: string, dataDir: string, q: ReadingsQuery): Promise<QueryResult> {
  const store = openStore(url);
  try {
    await store.start();
  } catch (err) {
    const run = await readFile(queryRunFile(dataDir), 'utf8').then(
      (t) => JSON.parse(t) as { pid: number; url: string },
      () => undefined,
    );
    if (!run) throw new Error(`cannot open the store ${url}: ${(err as Error).message}`);
    const res = await fetch(`${run.url}?q=${encodeURIComponent(JSON.stringify(q))}`);
    const body = (await res.json()) as QueryResult | { error: string };
    if ('error' in body) throw new UsageError(body.error);
    return body;
  }
  try {
    return await runQuery(store, q);
  } finally {
    await store.stop();
  }
}

/** At most 3 decimals for reading (the JSON output keeps full precision). */
const show = (v: number | undefined) => (v === undefined ? '' : String(Math.round(v * 1000) / 1000));

function table(r: QueryResult): string {
  const head = `${r.series.villageId} / ${r.series.deviceId} / ${r.series.metric}`;
  if (r.kind === 'raw') {
    const rows = r.points.map((p) => `${new Date(p.ts).toISOString()}  ${show(p.value)}`);
    return [
      head,
      ...rows,
      `${r.points.length} readings${r.truncated ? ' (truncated: use --limit or a narrower range)' : ''}`,
    ].join('\n');
  }
  const aggs = [...new Set(r.buckets.flatMap((b) => Object.keys(b.values)))];
  const rows = r.buckets.map((b) =>
    [new Date(b.ts).toISOString(), ...aggs.map((a) => show(b.values[a as 'avg']))].join('  '),
  );
  return [head, ['bucket', ...aggs].join('  '), ...rows, `${r.buckets.length} buckets`].join('\n');
}
