import type { LatestReading, MetricDefinition } from '@lumbung/schemas';
import type { Lang } from './i18n/index.ts';

/** Device-health metrics: shown on the devices page, not as site readings. */
export const HEALTH_METRICS = new Set(['battery', 'rssi']);

/** A metric's name in the language, from the API's catalogue; its code name when the catalogue does not know it. */
export const metricLabel = (metrics: Map<string, MetricDefinition>, name: string, lang: Lang): string =>
  metrics.get(name)?.label[lang] ?? name;

/** A metric's place in the catalogue (temperature before humidity, as it lists them); unknown ones after the rest. */
export function catalogueRank(metrics: Map<string, MetricDefinition>): (metric: string) => number {
  const order = [...metrics.keys()];
  return (m) => {
    const i = order.indexOf(m);
    return i < 0 ? order.length : i;
  };
}

/** Readings in the catalogue's order, health ones left out. */
export function siteReadings(readings: LatestReading[], metrics: Map<string, MetricDefinition>): LatestReading[] {
  const rank = catalogueRank(metrics);
  return readings
    .filter((r) => !HEALTH_METRICS.has(r.metric))
    .sort(
      (a, b) =>
        rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric) || a.deviceId.localeCompare(b.deviceId),
    );
}
