import type { AlertRecord, AllowedRange, DeviceHealth, LatestReading, SiteRecord } from '@lumbung/schemas';

export type SiteStatus = 'ok' | 'warning' | 'critical' | 'nodata';

/** The allowed range of a storage room for a metric, if it has one. */
export function limitsOf(site: SiteRecord | undefined, metric: string): AllowedRange | undefined {
  const room = site?.storageRoom;
  if (!room) return undefined;
  const r =
    metric === 'air_temperature' ? room.temperature : metric === 'relative_humidity' ? room.humidity : undefined;
  return r && (r.min !== undefined || r.max !== undefined) ? r : undefined;
}

export const outside = (value: number, l: AllowedRange | undefined): boolean =>
  !!l && ((l.min !== undefined && value < l.min) || (l.max !== undefined && value > l.max));

/**
 * A site's status dot, from what the overview already has:
 * - critical: a critical alert is open or acknowledged;
 * - warning: another active alert, a device offline or silent, or a storage-room reading outside its range;
 * - nodata: no reading yet;
 * - ok otherwise.
 * `sites` are the site and its parts (a packing house with its rooms).
 */
export function siteStatus(
  sites: SiteRecord[],
  latest: LatestReading[],
  alerts: AlertRecord[],
  health: DeviceHealth[] | undefined,
): SiteStatus {
  const ids = new Set(sites.map((s) => s.id));
  const mine = alerts.filter((a) => a.siteId !== null && ids.has(a.siteId) && a.status !== 'resolved');
  if (mine.some((a) => a.severity === 'critical')) return 'critical';
  const readings = latest.filter((r) => r.siteId !== null && ids.has(r.siteId));
  const devices = (health ?? []).filter((d) => d.siteId !== null && ids.has(d.siteId) && !d.revoked);
  const outOfRange = readings.some((r) =>
    outside(
      r.value,
      limitsOf(
        sites.find((s) => s.id === r.siteId),
        r.metric,
      ),
    ),
  );
  if (mine.length > 0 || outOfRange || devices.some((d) => d.state === 'offline' || d.stale)) return 'warning';
  if (readings.length === 0) return 'nodata';
  return 'ok';
}
