import type { LatestReading, MetricDefinition } from '@lumbung/schemas';
import type { Lang } from './i18n/index.ts';

/** Device-health metrics: shown on the devices page, not as site readings. */
export const HEALTH_METRICS = new Set(['battery', 'rssi']);

/** A metric's name in the language, from the API's catalogue; its code name when the catalogue does not know it. */
export const metricLabel = (metrics: Map<string, MetricDefinition>, name: string, lang: Lang): string =>
  metrics.get(name)?.label[lang] ?? name;

/** Readings in the catalogue's order (temperature before humidity, as the catalogue lists them), health ones left out. */
export function siteReadings(readings: LatestReading[], metrics: Map<string, MetricDefinition>): LatestReading[] {
  const order = [...metrics.keys()];
  const rank = (m: string) => {
    const i = order.indexOf(m);
    return i < 0 ? order.length : i;
  };
  return readings
    .filter((r) => !HEALTH_METRICS.has(r.metric))
    .sort(
      (a, b) =>
        rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric) || a.deviceId.localeCompare(b.deviceId),
    );
}
