import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_SCENARIO_PATH, emittedReadings, iterateReadings, loadScenario } from '@lumbung/firmware-sim';
import { BUILTIN_METRICS } from '@lumbung/schemas';
import { type StoredReading, VictoriaMetricsProcess, VictoriaMetricsStore } from '@lumbung/store';
import { requireVictoriaMetrics } from '@lumbung/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Target {
  expr: string;
  refId: string;
  instant?: boolean;
  interval?: string;
  datasource?: { uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
  definition?: string;
  allValue?: string;
  datasource?: { uid: string };
}
interface Dashboard {
  uid: string;
  title: string;
  __inputs: { name: string; type: string; pluginId: string }[];
  templating: { list: Variable[] };
  panels: Panel[];
}

const DIR = path.join(import.meta.dirname, '..', 'grafana');
const FILES = ['village-overview.json', 'storage-rooms.json'];
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's data-source input, written literally in the JSON
const DS = '${DS_PROMETHEUS}';
const load = async (f: string) => JSON.parse(await readFile(path.join(DIR, f), 'utf8')) as Dashboard;

/** What Grafana puts in place of the variables: the demo village, the two storage-room sensors, the defaults. */
function substitute(expr: string, d: Dashboard, range = '24h'): string {
  const text = (name: string) => {
    const v = d.templating.list.find((x) => x.name === name);
    return typeof v?.query === 'string' ? v.query : undefined;
  };
  return expr.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a?: string, b?: string) => {
    const name = a ?? b!;
    if (name === 'village') return 'kel-taman';
    // A multi-value variable in a regex matcher: Grafana writes the chosen values as (a|b).
    if (name === 'device') return '(taman-th-kering|taman-th-telur)';
    if (name === '__range') return range;
    if (name === '__interval' || name === '__rate_interval') return '5m';
    const t = text(name);
    if (t === undefined) throw new Error(`${d.uid}: unknown variable ${whole} in ${expr}`);
    return t;
  });
}

describe('Grafana dashboards: structure', () => {
  it.each(FILES)('%s asks for a Prometheus data source and a village, and every panel uses them', async (f) => {
    const d = await load(f);
    expect(d.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
    // The same name as a data-source variable, so a provisioned (not imported) dashboard resolves it too.
    expect(vars['DS_PROMETHEUS']).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(vars['village']).toMatchObject({ type: 'query', datasource: { uid: DS } });
    expect(d.panels.length).toBeGreaterThanOrEqual(6);
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      expect(p.title, `panel ${p.id}`).toBeTruthy();
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: DS });
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.datasource?.uid, p.title).toBe(DS);
        expect(t.expr.trim().length, p.title).toBeGreaterThan(0);
      }
    }
  });

  it.each(FILES)(
    '%s names only series the VictoriaMetrics adapter writes: lumbung_<metric>{village, device}',
    async (f) => {
      const d = await load(f);
      const known = new Set(BUILTIN_METRICS.map((m) => `lumbung_${m.name}`));
      const exprs = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
      const named = exprs.flatMap((e) => [...e.matchAll(/\blumbung_[a-z_]+/g)].map((m) => m[0]));
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((n) => !known.has(n))).toEqual([]);
      // Selectors filter by the labels the adapter writes, and every data query is for one village.
      for (const e of exprs.filter((x) => x.includes('lumbung_'))) expect(e).toContain('village="$village"');
      const labels = exprs.flatMap((e) => [...e.matchAll(/[{,]\s*([a-z_]+)\s*=~?/g)].map((m) => m[1]));
      expect(labels.filter((l) => !['__name__', 'village', 'device'].includes(l!))).toEqual([]);
    },
  );

  it('the storage-room dashboard draws the allowed range beside temperature and humidity', async () => {
    const d = await load('storage-rooms.json');
    const names = d.templating.list.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['village', 'device', 'temp_min', 'temp_max', 'rh_min', 'rh_max']));
    const temp = d.panels.find(
      (p) => p.type === 'timeseries' && p.targets!.some((t) => /lumbung_air_temperature/.test(t.expr)),
    )!;
    expect(temp.targets!.map((t) => t.expr)).toEqual(
      expect.arrayContaining(['vector($temp_min)', 'vector($temp_max)']),
    );
    const rh = d.panels.find(
      (p) => p.type === 'timeseries' && p.targets!.some((t) => /lumbung_relative_humidity/.test(t.expr)),
    )!;
    expect(rh.targets!.map((t) => t.expr)).toEqual(expect.arrayContaining(['vector($rh_min)', 'vector($rh_max)']));
  });
});

const vmAvailable = requireVictoriaMetrics();

// Every query of both dashboards, variables filled in as Grafana would, against a real VictoriaMetrics holding
// 26 hours of the demo village written through the store adapter.
describe.skipIf(!vmAvailable)('Grafana dashboards: every query answers on a real VictoriaMetrics', () => {
  let dir: string;
  let vm: VictoriaMetricsProcess;
  let store: VictoriaMetricsStore;
  const now = Date.now();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-grafana-'));
    vm = new VictoriaMetricsProcess({ dataDir: dir });
    await vm.start();
    store = new VictoriaMetricsStore({ url: vm.url });
    await store.start();
    const scenario = await loadScenario(DEMO_SCENARIO_PATH);
    let batch: StoredReading[] = [];
    for (const e of iterateReadings(scenario, { from: now - 26 * 3_600_000, to: now })) {
      batch.push(...emittedReadings(e, scenario.village.id));
      if (batch.length >= 5000) {
        await store.write(batch);
        batch = [];
      }
    }
    await store.write(batch);
  }, 120_000);

  afterAll(async () => {
    await store?.stop();
    await vm?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const api = async (route: string, params: Record<string, string>) => {
    const res = await fetch(`${vm.url}${route}`, { method: 'POST', body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; error?: string; data: unknown };
    return { ok: res.ok, ...body };
  };

  it.each(FILES)('%s: the variables list the demo village and its sensors', async (f) => {
    const d = await load(f);
    for (const v of d.templating.list.filter((x) => x.type === 'query')) {
      const q = typeof v.query === 'string' ? v.query : (v.query?.query ?? v.definition!);
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(q);
      expect(m, `${v.name}: ${q}`).not.toBeNull();
      const res = await api(`/api/v1/label/${m![2]}/values`, {
        'match[]': substitute(m![1]!, d),
        start: String((now - 86_400_000) / 1000),
        end: String(now / 1000),
      });
      expect(res.status, `${v.name}: ${res.error}`).toBe('success');
      const values = res.data as string[];
      expect(values, v.name).toContain(v.name === 'village' ? 'kel-taman' : 'taman-th-telur');
    }
  });

  it.each(FILES)('%s: every panel query returns data', async (f) => {
    const d = await load(f);
    const empty: string[] = [];
    let checked = 0;
    for (const p of d.panels)
      for (const t of p.targets ?? []) {
        const query = substitute(t.expr, d);
        const res = t.instant
          ? await api('/api/v1/query', { query, time: String(now / 1000) })
          : await api('/api/v1/query_range', {
              query,
              start: String((now - 86_400_000) / 1000),
              end: String(now / 1000),
              step: t.interval === '1h' ? '3600' : '300',
            });
        expect(res.status, `${p.title} ${t.refId}: ${query}: ${res.error}`).toBe('success');
        const result = (res.data as { result: { values?: [number, string][]; value?: [number, string] }[] }).result;
        const numbers = result.flatMap((r) => (r.values ?? (r.value ? [r.value] : [])).map((v) => Number(v[1])));
        if (numbers.length === 0 || numbers.some((x) => !Number.isFinite(x)))
          empty.push(`${p.title} ${t.refId}: ${query}`);
        checked++;
      }
    expect(empty).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(d.panels.length);
  });

  it('computes the share of time a room stayed in its range as a percentage', async () => {
    const d = await load('storage-rooms.json');
    const p = d.panels.find((x) => /batas suhu/.test(x.title))!;
    const res = await api('/api/v1/query', { query: substitute(p.targets![0]!.expr, d), time: String(now / 1000) });
    const shares = (res.data as { result: { metric: { device: string }; value: [number, string] }[] }).result;
    expect(shares.map((s) => s.metric.device).sort()).toEqual(['taman-th-kering', 'taman-th-telur']);
    for (const s of shares) {
      expect(Number(s.value[1])).toBeGreaterThanOrEqual(0);
      expect(Number(s.value[1])).toBeLessThanOrEqual(100);
    }
  });
});
