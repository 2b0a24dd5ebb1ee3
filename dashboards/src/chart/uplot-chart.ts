import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AllowedRange } from '@lumbung/schemas';
import type { Formatter } from '../format.ts';
import type { ChartPlan } from './ranges.ts';
import type { Columns } from './series.ts';

/**
 * The chart page's lazily loaded part: uPlot and this adapter, and nothing else. It imports no module of the
 * main bundle (types only), because that bundle is inlined into index.html and cannot be imported by URL
 * (vite.config.ts checks it). The Preact side (pages/site.tsx) passes everything in.
 */
export interface ChartSpec {
  plan: Pick<ChartPlan, 'main' | 'bars'>;
  unit: string;
  limits: AllowedRange | undefined;
  /** The range shown, ms: it picks the axis labels. */
  span: number;
  fmt: Formatter;
  labels: { time: string; main: string; min: string; max: string; allowedMin: string; allowedMax: string };
}

export interface ChartHandle {
  setData(columns: Columns): void;
  destroy(): void;
}

/** Colours with at least 4.5:1 contrast on white for lines and text; the band is a tint of the line. */
const COLORS = {
  main: '#0b5cad',
  band: 'rgba(11, 92, 173, 0.16)',
  edge: 'rgba(11, 92, 173, 0.45)',
  limit: '#b3261e',
  axis: '#3d4451',
  grid: '#e3e6ea',
};

export const HEIGHT = 220;

/** uPlot's columns: x in seconds, the main aggregation, min and max of a gauge, then the allowed limits. */
function toData(spec: ChartSpec, c: Columns): uPlot.AlignedData {
  const { plan, limits } = spec;
  const xs = c.ts.map((ts) => ts / 1000);
  const out: (number | null)[][] = [c.cols[plan.main] ?? []];
  if (plan.main === 'avg') out.push(c.cols['min'] ?? [], c.cols['max'] ?? []);
  if (limits?.min !== undefined) out.push(xs.map(() => limits.min!));
  if (limits?.max !== undefined) out.push(xs.map(() => limits.max!));
  return [xs, ...out] as uPlot.AlignedData;
}

function options(spec: ChartSpec, width: number): uPlot.Options {
  const { plan, unit, limits, fmt, labels, span } = spec;
  const val = (_u: uPlot, v: number | null) => (v == null ? '—' : fmt.value(v, unit));
  const series: uPlot.Series[] = [
    { label: labels.time, value: (_u, ts) => (ts == null ? '—' : fmt.dateTime(ts * 1000)) },
    plan.bars
      ? {
          label: labels.main,
          stroke: COLORS.main,
          fill: COLORS.band,
          width: 1,
          // Bars start at their bucket's start, as the API's buckets do.
          paths: uPlot.paths.bars!({ size: [0.8, 32], align: 1 }),
          points: { show: false },
          value: val,
        }
      : { label: labels.main, stroke: COLORS.main, width: 2, value: val, points: { show: false } },
  ];
  const bands: uPlot.Band[] = [];
  if (plan.main === 'avg') {
    series.push(
      { label: labels.min, stroke: COLORS.edge, width: 1, value: val, points: { show: false } },
      { label: labels.max, stroke: COLORS.edge, width: 1, value: val, points: { show: false } },
    );
    bands.push({ series: [3, 2], fill: COLORS.band });
  }
  const limit = (label: string): uPlot.Series => ({
    label,
    stroke: COLORS.limit,
    width: 1.5,
    dash: [6, 4],
    value: val,
    points: { show: false },
  });
  if (limits?.min !== undefined) series.push(limit(labels.allowedMin));
  if (limits?.max !== undefined) series.push(limit(labels.allowedMax));

  return {
    width,
    height: HEIGHT,
    // Ticks on the village's local hours and days, whatever the phone's time zone.
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

/** A uPlot chart in `el` that fills its width and follows it when the phone turns. */
export function createChart(el: HTMLElement, spec: ChartSpec, columns: Columns): ChartHandle {
  const u = new uPlot(options(spec, el.clientWidth || 320), toData(spec, columns), el);
  const ro = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (w > 0 && w !== u.width) u.setSize({ width: w, height: HEIGHT });
  });
  ro.observe(el);
  return {
    setData: (c) => u.setData(toData(spec, c)),
    destroy: () => {
      ro.disconnect();
      u.destroy();
    },
  };
}
