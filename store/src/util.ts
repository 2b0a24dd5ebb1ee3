import type { SeriesKey } from './port.ts';

/** Order of series in listSeries/latest results: village, device, metric. */
export const bySeries = (a: SeriesKey, b: SeriesKey): number =>
  a.villageId.localeCompare(b.villageId) || a.deviceId.localeCompare(b.deviceId) || a.metric.localeCompare(b.metric);
