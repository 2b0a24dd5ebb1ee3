import type { VillageSummary } from '@lumbung/schemas';
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, toApiError } from '../api.ts';
import { useUi } from '../context.ts';
import { allRoles, canReadTelemetry, isPlatformAdmin, memberVillages } from '../roles.ts';
import { href } from '../route.ts';
import { ErrorBox, Loading } from '../ui.tsx';
import { LimitedPage } from './limited.tsx';

/**
 * The start page: the list of the user's villages; with only one, straight to its overview (a member of one
 * village goes there without asking the API). Roles whose pages come later get the page that says so.
 */
export function VillagesPage() {
  const { t, api, session } = useUi();
  const [villages, setVillages] = useState<VillageSummary[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [attempt, setAttempt] = useState(0);
  const memberships = session?.memberships ?? [];
  const admin = isPlatformAdmin(memberships);
  const mine = memberVillages(memberships);
  const limited = !admin && !canReadTelemetry(allRoles(memberships));
  const only = !admin && mine.length === 1 ? mine[0] : undefined;
  useEffect(() => {
    if (limited) return;
    if (only) {
      location.replace(href({ page: 'overview', villageId: only }));
      return;
    }
    let live = true;
    setError(undefined);
    api.get<VillageSummary[]>('/villages').then(
      (vs) => {
        if (!live) return;
        if (vs.length === 1) location.replace(href({ page: 'overview', villageId: vs[0]!.id }));
        else setVillages(vs);
      },
      (e: unknown) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [api, attempt, limited, only]);
  if (limited) return <LimitedPage roles={allRoles(memberships)} />;
  if (error) return <ErrorBox error={error} onRetry={() => setAttempt(attempt + 1)} />;
  if (!villages) return <Loading />;
  return (
    <>
      <h1>{t('villagesTitle')}</h1>
      {villages.length === 0 && <p class="muted">{t('noVillages')}</p>}
      <ul class="cards plain">
        {villages.map((v) => (
          <li key={v.id} class="card">
            <h2 class="h3">
              <a href={href({ page: 'overview', villageId: v.id })}>{v.name}</a>
            </h2>
            <p class="muted small">{[v.district, v.regency, v.province].filter(Boolean).join(', ')}</p>
            <p class="small">
              {t('devicesOnline', { online: v.devicesOnline, total: v.devices })}
              <br />
              {t('openAlertsCount', { n: v.openAlerts })}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
