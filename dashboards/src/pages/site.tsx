import type { AllowedRange, ReadingsResponse, SeriesRecord, SiteRecord } from '@lumbung/schemas';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, qs, toApiError } from '../api.ts';
import { bucketing, type ChartPlan, planFor, RANGE_KEYS, RANGES, type RangeKey, windowOf } from '../chart/ranges.ts';
import { applyLive, type Columns, summarize, toColumns } from '../chart/series.ts';
import type { ChartHandle } from '../chart/uplot-chart.ts';
import { useUi, useVillage } from '../context.ts';
import { catalogueRank, HEALTH_METRICS, metricLabel } from '../metrics.ts';
import { href } from '../route.ts';
import { limitsOf, siteStatus } from '../status.ts';
import { ErrorBox, Loading, StatusDot } from '../ui.tsx';
import type { VillageData } from '../village.ts';
import { SiteDetails } from './overview.tsx';

type ChartModule = typeof import('../chart/uplot-chart.ts');
let chartModule: Promise<ChartModule> | undefined;
/** uPlot and the chart code load only when a chart is first shown (not on the overview), in parallel with its data. */
const loadChart = (): Promise<ChartModule> => (chartModule ??= import('../chart/uplot-chart.ts'));

function useChartModule(): ChartModule | undefined {
  const [mod, setMod] = useState<ChartModule | undefined>();
  useEffect(() => {
    let live = true;
    loadChart().then((m) => live && setMod(() => m));
    return () => {
      live = false;
    };
  }, []);
  return mod;
}

/** A site: one chart per metric over a chosen range, live in the last 24 hours. */
export function SitePage({ data, siteId }: { data: VillageData; siteId: string }) {
  const { t, api } = useUi();
  useVillage(data);
  const [range, setRange] = useState<RangeKey>('24h');
  const [series, setSeries] = useState<SeriesRecord[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [attempt, setAttempt] = useState(0);
  const mod = useChartModule();
  const site = data.site(siteId);

  useEffect(() => {
    let live = true;
    setSeries(undefined);
    setError(undefined);
    api.get<SeriesRecord[]>(`/villages/${data.villageId}/series${qs({ siteId })}`).then(
      (xs) => live && setSeries(xs.filter((s) => !HEALTH_METRICS.has(s.metric))),
      (e: unknown) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [data, siteId, api, attempt]);

  if (!site) return <p>{t('notFound')}</p>;
  const parts = data.sites.filter((s) => s.parentId === site.id);
  const rank = catalogueRank(data.metrics);
  const sorted = series
    ? [...series].sort((a, b) => rank(a.metric) - rank(b.metric) || a.deviceId.localeCompare(b.deviceId))
    : [];
  const perMetric = new Map<string, number>();
  for (const s of sorted) perMetric.set(s.metric, (perMetric.get(s.metric) ?? 0) + 1);

  return (
    <>
      <p>
        <a href={href({ page: 'overview', villageId: data.villageId })}>{t('backToOverview')}</a>
      </p>
      <h1>{site.name}</h1>
      <StatusDot status={siteStatus([site, ...parts], [...data.latest.values()], data.alerts, data.health)} />
      <SiteDetails site={site} now={Date.now()} />
      {parts.length > 0 && (
        <ul class="links">
          {parts.map((p) => (
            <li key={p.id}>
              <a href={href({ page: 'site', villageId: data.villageId, siteId: p.id })}>{p.name}</a>
            </li>
          ))}
        </ul>
      )}
      <fieldset class="ranges">
        <legend class="sr-only">{t('rangeChoice')}</legend>
        {RANGE_KEYS.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={range === k}
            title={t(`rangeLong_${k}`)}
            data-range={k}
            onClick={() => setRange(k)}
          >
            {t(`range_${k}`)}
          </button>
        ))}
      </fieldset>
      {error && <ErrorBox error={error} onRetry={() => setAttempt(attempt + 1)} />}
      {!series && !error && <Loading />}
      {series && series.length === 0 && parts.length === 0 && <p class="muted">{t('noSeries')}</p>}
      {sorted.map((s) => (
        <ChartCard
          key={`${s.deviceId}/${s.metric}`}
          data={data}
          site={site}
          series={s}
          range={range}
          mod={mod}
          showDevice={(perMetric.get(s.metric) ?? 0) > 1}
        />
      ))}
    </>
  );
}

function ChartCard({
  data,
  site,
  series,
  range,
  mod,
  showDevice,
}: {
  data: VillageData;
  site: SiteRecord;
  series: SeriesRecord;
  range: RangeKey;
  mod: ChartModule | undefined;
  showDevice: boolean;
}) {
  const { t, lang, fmt, api } = useUi();
  const [columns, setColumns] = useState<Columns | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [attempt, setAttempt] = useState(0);
  const kind = data.metrics.get(series.metric)?.kind ?? 'gauge';
  const plan = planFor(kind);
  const { step, stepKey } = bucketing(range, plan);

  useEffect(() => {
    let live = true;
    const w = windowOf(range, step, Date.now(), fmt.timeZone);
    setColumns(undefined);
    setError(undefined);
    const path =
      `/villages/${data.villageId}/readings` +
      qs({
        deviceId: series.deviceId,
        metric: series.metric,
        from: w.from,
        to: w.to,
        step: stepKey,
        agg: plan.aggs.join(','),
      });
    api.get<ReadingsResponse>(path).then(
      (res) => live && setColumns(toColumns(res)),
      (e: unknown) => live && setError(toApiError(e)),
    );
    // The last 24 hours follow the stream; longer ranges are reloaded by choosing them again.
    const off =
      range === '24h'
        ? data.onReading((r) => {
            if (r.deviceId !== series.deviceId || r.metric !== series.metric) return;
            setColumns((c) => c && applyLive(c, plan, step, r, windowOf(range, step, Date.now(), fmt.timeZone).from));
          })
        : undefined;
    return () => {
      live = false;
      off?.();
    };
  }, [data, series.deviceId, series.metric, range, api, attempt, kind]);

  const label = metricLabel(data.metrics, series.metric, lang);
  const sum = columns ? summarize(columns, plan) : undefined;
  const u = series.unit;
  const rangeLong = t(`rangeLong_${range}`);
  const caption =
    !sum || sum.points === 0
      ? t('chartNoData')
      : plan.main === 'avg'
        ? t('chartSummaryGauge', {
            range: rangeLong,
            avg: fmt.value(sum.avg!, u),
            min: fmt.value(sum.min!, u),
            max: fmt.value(sum.max!, u),
          })
        : t('chartSummaryTotal', { range: rangeLong, total: fmt.value(sum.total!, u) });
  const headingId = `chart-${series.deviceId}-${series.metric}`;
  return (
    <figure class="chart-card" aria-labelledby={headingId} data-metric={series.metric} data-device={series.deviceId}>
      <figcaption>
        <h2 id={headingId} class="h3">
          {label} <span class="muted">({u})</span>
          {plan.bars && <span class="muted"> {t(`per_${stepKey}`)}</span>}
        </h2>
        {showDevice && <p class="muted small">{t('chartDevice', { device: series.deviceId })}</p>}
        {columns && <p class="small">{caption}</p>}
      </figcaption>
      {error && <ErrorBox error={error} onRetry={() => setAttempt(attempt + 1)} />}
      <div class="chart-box">
        {columns && mod && sum && sum.points > 0 ? (
          <Chart
            mod={mod}
            columns={columns}
            plan={plan}
            unit={u}
            limits={limitsOf(site, series.metric)}
            range={range}
          />
        ) : (
          !error && (!columns || !mod) && <p class="muted small chart-wait">{t('chartLoading')}</p>
        )}
      </div>
    </figure>
  );
}

interface ChartProps {
  mod: ChartModule;
  columns: Columns;
  plan: ChartPlan;
  unit: string;
  limits: AllowedRange | undefined;
  range: RangeKey;
}

/** The uPlot chart: rebuilt when how it looks changes (language, range, limits), given new data otherwise. */
function Chart({ mod, columns, plan, unit, limits, range }: ChartProps) {
  const { t, fmt } = useUi();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartHandle | undefined>(undefined);
  const latest = useRef(columns);
  latest.current = columns;
  const shape = `${fmt.lang}|${fmt.timeZone}|${range}|${plan.main}|${limits?.min}|${limits?.max}|${unit}`;
  useEffect(() => {
    const c = mod.createChart(
      box.current!,
      {
        plan,
        unit,
        limits,
        span: RANGES[range].span,
        fmt,
        labels: {
          time: t('seriesTime'),
          main: plan.bars ? t('seriesTotal', { per: t(`per_${bucketing(range, plan).stepKey}`) }) : t('seriesAvg'),
          min: t('seriesMin'),
          max: t('seriesMax'),
          allowedMin: t('allowedMin'),
          allowedMax: t('allowedMax'),
        },
      },
      latest.current,
    );
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = undefined;
    };
  }, [mod, shape]);
  useEffect(() => {
    chart.current?.setData(columns);
  }, [columns]);
  const points = (columns.cols[plan.main] ?? []).filter((v) => v != null).length;
  return <div ref={box} class="chart" data-points={points} />;
}
