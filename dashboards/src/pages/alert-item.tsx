import type { AlertRecord, SiteRecord } from '@lumbung/schemas';
import type { ComponentChildren } from 'preact';
import { useUi } from '../context.ts';
import { href } from '../route.ts';

/** One alert: severity, message in the interface language, where, and when. */
export function AlertItem({
  alert,
  site,
  detailed,
  children,
}: {
  alert: AlertRecord;
  site: SiteRecord | undefined;
  detailed?: boolean;
  children?: ComponentChildren;
}) {
  const { t, lang, fmt, now } = useUi();
  return (
    <li class={`alert sev-${alert.severity}`} data-alert-id={alert.id}>
      <p class="alert-head">
        <span class="sev">{t(`severity_${alert.severity}`)}</span>
        <span class="alert-status">{t(`alertStatus_${alert.status}`)}</span>
      </p>
      <p class="alert-msg">{alert.message[lang]}</p>
      <p class="muted small">
        {site && (
          <>
            <a href={href({ page: 'site', villageId: alert.villageId, siteId: site.id })}>{site.name}</a>
            {' · '}
          </>
        )}
        {t('alertRaised', { time: fmt.dateTime(alert.raisedAt, now) })}
      </p>
      {detailed && (
        <p class="muted small">
          {alert.clearedAt !== null
            ? t('alertCleared', { time: fmt.dateTime(alert.clearedAt, now) })
            : t('alertOngoing')}
          {alert.acknowledgedAt !== null && (
            <>
              <br />
              {t('alertAcknowledgedBy', {
                name: alert.acknowledgedBy ?? t('someone'),
                time: fmt.dateTime(alert.acknowledgedAt, now),
              })}
            </>
          )}
          {alert.resolvedAt !== null && (
            <>
              <br />
              {t('alertResolvedBy', {
                name: alert.resolvedBy ?? t('someone'),
                time: fmt.dateTime(alert.resolvedAt, now),
              })}
            </>
          )}
        </p>
      )}
      {children}
    </li>
  );
}
