import type { DeviceHealth } from '@lumbung/schemas';
import { useEffect } from 'preact/hooks';
import { useUi, useVillage } from '../context.ts';
import { CATALOGUES, type MessageKey } from '../i18n/index.ts';
import { href } from '../route.ts';
import { Loading } from '../ui.tsx';
import type { VillageData } from '../village.ts';

/** Problems first: offline or silent devices, then unknown, then the healthy ones; by id within each. */
const rank = (d: DeviceHealth) =>
  d.revoked ? 3 : d.state === 'offline' || d.stale ? 0 : d.state === 'unknown' ? 1 : 2;

export function DevicesPage({ data }: { data: VillageData }) {
  const { t, fmt, now, lang } = useUi();
  useVillage(data);
  useEffect(() => {
    if (!data.health) void data.loadHealth();
  }, [data]);
  const counts = data.devicesOnline();
  // Families the catalogue knows get a name in the language; others (added by a deployment) show their code.
  const family = (f: string) => {
    const key = `family_${f}`;
    return key in CATALOGUES[lang] ? t(key as MessageKey) : f;
  };
  if (!data.health) return <Loading />;
  const devices = [...data.health].sort((a, b) => rank(a) - rank(b) || a.deviceId.localeCompare(b.deviceId));
  return (
    <>
      <h1>{t('devicesTitle')}</h1>
      {counts && <p>{t('devicesOnline', counts)}</p>}
      {devices.length === 0 && <p class="muted">{t('noDevices')}</p>}
      <ul class="devices">
        {devices.map((d) => {
          const site = d.siteId ? data.site(d.siteId) : undefined;
          const state = d.revoked ? 'revoked' : d.stale && d.state === 'online' ? 'stale' : d.state;
          return (
            <li key={d.deviceId} class={`card device dev-${state}`} data-device-id={d.deviceId}>
              <h2 class="h3">{d.deviceId}</h2>
              <p class={`status status-${state === 'online' ? 'ok' : state === 'unknown' ? 'nodata' : 'warning'}`}>
                <span class="dot" aria-hidden="true" />
                {d.revoked ? t('deviceRevoked') : t(`deviceState_${d.state}`)}
                {d.stale && !d.revoked && ` · ${t('deviceStale')}`}
              </p>
              <dl class="kv">
                <div>
                  <dt>{t('deviceFamily')}</dt>
                  <dd>{family(d.family)}</dd>
                </div>
                <div>
                  <dt>{t('deviceSite')}</dt>
                  <dd>
                    {site ? (
                      <a href={href({ page: 'site', villageId: data.villageId, siteId: site.id })}>{site.name}</a>
                    ) : (
                      '—'
                    )}
                  </dd>
                </div>
                <div>
                  <dt>{t('deviceLastSeen')}</dt>
                  <dd>
                    {d.lastSeen === null ? (
                      t('deviceNever')
                    ) : (
                      <time dateTime={new Date(d.lastSeen).toISOString()} title={fmt.dateTime(d.lastSeen, now)}>
                        {fmt.relative(d.lastSeen, now)}
                      </time>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>{t('deviceBattery')}</dt>
                  <dd>{d.battery === null ? '—' : fmt.value(d.battery, 'V', 2)}</dd>
                </div>
                <div>
                  <dt>{t('deviceSignal')}</dt>
                  <dd>{d.rssi === null ? '—' : fmt.value(d.rssi, 'dBm', 0)}</dd>
                </div>
              </dl>
            </li>
          );
        })}
      </ul>
    </>
  );
}
