import type { SiteKindName, SiteRecord } from '@lumbung/schemas';
import { useEffect } from 'preact/hooks';
import { useUi, useVillage } from '../context.ts';
import { daysSince } from '../format.ts';
import { metricLabel, siteReadings } from '../metrics.ts';
import { href } from '../route.ts';
import { limitsOf, outside, siteStatus } from '../status.ts';
import { StatusDot } from '../ui.tsx';
import type { VillageData } from '../village.ts';
import { AlertItem } from './alert-item.tsx';
import { LiveStatus, rangeText } from './common.tsx';

/** Plots first (most users are farmers), then storage, weather, meters and the packing house with its rooms. */
const KIND_ORDER: SiteKindName[] = ['plot', 'storage_room', 'weather', 'meter_point', 'packing_house'];
const TOP_ALERTS = 3;

let readyMarked = false;

export function OverviewPage({ data }: { data: VillageData }) {
  const { t } = useUi();
  useVillage(data);
  const v = data.summary!;
  const ready = data.load.status === 'ready';

  useEffect(() => {
    // The benchmark (bench/dashboard.ts) measures the time to this mark: the overview shows the village's data.
    if (ready && !readyMarked) {
      readyMarked = true;
      performance.mark('lumbung:overview-ready');
    }
  }, [ready]);

  const counts = data.devicesOnline();
  const place = [v.district, v.regency, v.province].filter(Boolean).join(', ');
  const open = data.alerts;
  return (
    <>
      <h1>{v.name}</h1>
      {place && <p class="muted">{place}</p>}
      <ul class="stats">
        {counts && (
          <li>
            <a href={href({ page: 'devices', villageId: v.id })}>{t('devicesOnline', counts)}</a>
          </li>
        )}
        <li>
          <a href={href({ page: 'alerts', villageId: v.id })}>{t('openAlertsCount', { n: open.length })}</a>
        </li>
        <li>
          <LiveStatus data={data} />
        </li>
      </ul>

      <section class="section" aria-labelledby="h-alerts">
        <h2 id="h-alerts">{t('navAlerts')}</h2>
        {open.length === 0 ? (
          <p class="muted">{t('noOpenAlerts')}</p>
        ) : (
          <>
            <ul class="alerts">
              {open.slice(0, TOP_ALERTS).map((a) => (
                <AlertItem key={a.id} alert={a} site={a.siteId ? data.site(a.siteId) : undefined} />
              ))}
            </ul>
            <p>
              <a href={href({ page: 'alerts', villageId: v.id })}>{t('seeAllAlerts')}</a>
            </p>
          </>
        )}
      </section>

      {KIND_ORDER.map((kind) => {
        const sites = data.sites.filter((s) => s.kind === kind);
        if (sites.length === 0) return null;
        return (
          <section class="section" key={kind} aria-labelledby={`h-${kind}`}>
            <h2 id={`h-${kind}`}>{t(`kind_${kind}`)}</h2>
            <div class="cards">
              {sites.map((s) => (
                <SiteCard key={s.id} data={data} site={s} />
              ))}
            </div>
          </section>
        );
      })}
    </>
  );
}

function SiteCard({ data, site }: { data: VillageData; site: SiteRecord }) {
  const { t, lang, fmt, now } = useUi();
  const parts = data.sites.filter((s) => s.parentId === site.id);
  const group = [site, ...parts];
  const latest = [...data.latest.values()];
  const status = siteStatus(group, latest, data.alerts, data.health);
  const readings = siteReadings(data.readingsOf(site.id), data.metrics);
  const newest = readings.reduce((m, r) => Math.max(m, r.ts), 0);
  const parent = site.parentId ? data.site(site.parentId) : undefined;
  const multiDevice = new Set(readings.map((r) => r.deviceId)).size > 1;
  return (
    <article class="card" data-site-id={site.id}>
      <h3>
        <a href={href({ page: 'site', villageId: site.villageId, siteId: site.id })}>{site.name}</a>
      </h3>
      <StatusDot status={status} />
      <SiteDetails site={site} now={now} />
      {parent && <p class="muted small">{t('partOf', { name: parent.name })}</p>}
      {parts.length > 0 && <p class="small">{t('rooms', { names: parts.map((p) => p.name).join(', ') })}</p>}
      {readings.length > 0 ? (
        <dl class="readings">
          {readings.map((r) => {
            const bad = outside(r.value, limitsOf(site, r.metric));
            return (
              <div key={`${r.deviceId}/${r.metric}`} class={bad ? 'bad' : undefined}>
                <dt>
                  {metricLabel(data.metrics, r.metric, lang)}
                  {multiDevice && <span class="muted"> ({r.deviceId})</span>}
                </dt>
                <dd>
                  {fmt.value(r.value, r.unit)}
                  {bad && <span class="flag"> {t('outOfRange')}</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      ) : (
        parts.length === 0 && <p class="muted small">{t('noReadings')}</p>
      )}
      {newest > 0 && (
        <p class="muted small">
          <time dateTime={new Date(newest).toISOString()} title={fmt.dateTime(newest, now)}>
            {fmt.relative(newest, now)}
          </time>
        </p>
      )}
    </article>
  );
}

/** The line under a site's name: what grows there, what a room keeps and at what range, what a meter counts. */
export function SiteDetails({ site, now }: { site: SiteRecord; now: number }) {
  const { t, fmt } = useUi();
  if (site.plot) {
    const p = site.plot;
    return (
      <p class="small">
        {t('plotSummary', {
          crop: t(`crop_${p.crop}`),
          area: fmt.number(p.areaM2),
          date: fmt.date(Date.parse(`${p.plantingDate}T12:00:00Z`)),
          days: daysSince(p.plantingDate, now, fmt.timeZone),
        })}
      </p>
    );
  }
  if (site.storageRoom) {
    const r = site.storageRoom;
    const ranges = [rangeText(t, fmt, r.temperature, '°C'), rangeText(t, fmt, r.humidity, '%')].filter(Boolean);
    return (
      <p class="small">
        {t(`purpose_${r.purpose}`)}
        {ranges.length > 0 && ` · ${t('allowedRange', { range: ranges.join(', ') })}`}
      </p>
    );
  }
  if (site.meterPoint) return <p class="small">{t(`measures_${site.meterPoint.measures}`)}</p>;
  return null;
}
