import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Formatter } from '../format.ts';
import type { Translate } from '../i18n/index.ts';
import type { Limits } from '../status.ts';
import { bucketing, type ChartPlan, RANGES, type RangeKey } from './ranges.ts';
import type { Columns } from './series.ts';

export interface ChartProps {
  columns: Columns;
  plan: ChartPlan;
  unit: string;
  limits: Limits | undefined;
  range: RangeKey;
  fmt: Formatter;
  t: Translate;
}

/** Colours with at least 4.5:1 contrast on white for lines and text; the band is a tint of the line. */
export const COLORS = {
  main: '#0b5cad',
  band: 'rgba(11, 92, 173, 0.16)',
  edge: 'rgba(11, 92, 173, 0.45)',
  limit: '#b3261e',
  axis: '#3d4451',
  grid: '#e3e6ea',
};

const HEIGHT = 220;

/** uPlot's columns: x in seconds, then the series in the order of `seriesOf`. */
function toData(p: ChartProps): uPlot.AlignedData {
  const { columns: c, plan, limits } = p;
  const xs = c.ts.map((ts) => ts / 1000);
  const out: (number | null)[][] = [c.cols[plan.main] ?? []];
  if (plan.main === 'avg') out.push(c.cols['min'] ?? [], c.cols['max'] ?? []);
  if (limits?.min !== undefined) out.push(xs.map(() => limits.min!));
  if (limits?.max !== undefined) out.push(xs.map(() => limits.max!));
  return [xs, ...out] as uPlot.AlignedData;
}

function options(p: ChartProps, width: number): uPlot.Options {
  const { plan, unit, limits, fmt, t, range } = p;
  const span = RANGES[range].span;
  const val = (_u: uPlot, v: number | null) => (v == null ? '—' : fmt.value(v, unit));
  const series: uPlot.Series[] = [
    { label: t('seriesTime'), value: (_u, ts) => (ts == null ? '—' : fmt.dateTime(ts * 1000)) },
    plan.bars
      ? {
          label: t('seriesTotal', { per: t(`per_${bucketing(range, plan).stepKey}`) }),
          stroke: COLORS.main,
          fill: COLORS.band,
          width: 1,
          paths: uPlot.paths.bars!({ size: [0.8, 32], align: 1 }),
          points: { show: false },
          value: val,
        }
      : { label: t('seriesAvg'), stroke: COLORS.main, width: 2, value: val, points: { show: false } },
  ];
  const bands: uPlot.Band[] = [];
  if (plan.main === 'avg') {
    series.push(
      { label: t('seriesMin'), stroke: COLORS.edge, width: 1, value: val, points: { show: false } },
      { label: t('seriesMax'), stroke: COLORS.edge, width: 1, value: val, points: { show: false } },
    );
    bands.push({ series: [3, 2], fill: COLORS.band });
  }
  const limitSeries = (label: string): uPlot.Series => ({
    label,
    stroke: COLORS.limit,
    width: 1.5,
    dash: [6, 4],
    value: val,
    points: { show: false },
  });
  if (limits?.min !== undefined) series.push(limitSeries(t('allowedMin')));
  if (limits?.max !== undefined) series.push(limitSeries(t('allowedMax')));

  return {
    width,
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), fmt.timeZone),
    cursor: { drag: { x: false, y: false, setScale: false } },
    series,
    bands,
    scales: {
      x: { time: true },
      // Amounts start at zero; gauges fit their data and the allowed range (both are series).
      y: plan.bars ? { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } : {},
    },
    axes: [
      {
        stroke: COLORS.axis,
        grid: { stroke: COLORS.grid, width: 1 },
        ticks: { stroke: COLORS.grid, width: 1 },
        space: 56,
        values: (_u, splits) => splits.map((s) => fmt.tick(s * 1000, span)),
      },
      {
        stroke: COLORS.axis,
        grid: { stroke: COLORS.grid, width: 1 },
        ticks: { stroke: COLORS.grid, width: 1 },
        values: (_u, splits) => splits.map((v) => fmt.number(v)),
        // Wide enough for the longest label ("1.234,5"): about 7 px a character at 12 px.
        size: (_u, values) => (values ? Math.max(...values.map((v) => String(v).length)) * 7 + 18 : 40),
      },
    ],
  };
}

const pointsOf = (p: ChartProps) => (p.columns.cols[p.plan.main] ?? []).filter((v) => v != null).length;

/** One uPlot chart that fills its box's width and follows it when the phone turns. */
export function Chart(p: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const props = useRef(p);
  props.current = p;

  // Rebuilt when what the chart looks like changes (language, range, limits); only new data otherwise.
  const shape = `${p.fmt.lang}|${p.fmt.timeZone}|${p.range}|${p.plan.main}|${p.limits?.min}|${p.limits?.max}|${p.unit}`;
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(props.current, el.clientWidth || 320), toData(props.current), el);
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && w !== u.width) u.setSize({ width: w, height: HEIGHT });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = undefined;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(toData(p));
  }, [p.columns]);

  return <div ref={box} class="chart" data-points={pointsOf(p)} />;
}
