import type { AlertRecord } from '@lumbung/schemas';
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, qs, toApiError } from '../api.ts';
import { useUi, useVillage } from '../context.ts';
import { canManageAlerts, rolesIn } from '../roles.ts';
import { ErrorBox, Loading, Problem } from '../ui.tsx';
import { sortAlerts, type VillageData } from '../village.ts';
import { AlertItem } from './alert-item.tsx';

/**
 * Alerts, with acknowledge and resolve for the roles that may (alert.manage); the signed-in user's name is sent
 * as `by`. Other roles see the alerts and a line saying who acts on them.
 */
export function AlertsPage({ data }: { data: VillageData }) {
  const { t, api, session } = useUi();
  useVillage(data);
  const manage = canManageAlerts(rolesIn(session?.memberships ?? [], data.villageId));
  const [all, setAll] = useState(false);
  const [everything, setEverything] = useState<AlertRecord[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [problem, setProblem] = useState<{ id: string; text: string } | undefined>();
  const [busy, setBusy] = useState<string | undefined>();

  useEffect(() => {
    if (!all) return;
    let live = true;
    setError(undefined);
    api
      .get<AlertRecord[]>(
        `/villages/${data.villageId}/alerts${qs({ status: 'open,acknowledged,resolved', limit: 200 })}`,
      )
      .then(
        (xs) => live && setEverything(sortAlerts(xs)),
        (e: unknown) => live && setError(toApiError(e)),
      );
    return () => {
      live = false;
    };
  }, [all, data, api]);

  // The active list is the village's, kept live by the stream; the full list is merged with the live changes.
  const shown = all ? mergeLive(everything, data.alerts) : data.alerts;

  const act = async (a: AlertRecord, action: 'acknowledge' | 'resolve') => {
    const by = session?.user.displayName ?? session?.user.username ?? '';
    setProblem(undefined);
    setBusy(a.id);
    try {
      const rec = await data.act(a.id, action, by);
      if (everything) setEverything(everything.map((x) => (x.id === rec.id ? rec : x)));
    } catch (e) {
      setProblem({ id: a.id, text: t('actionFailed', { message: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <h1>{t('alertsTitle')}</h1>
      {!manage && <p class="muted small">{t('alertsReadOnly')}</p>}
      <fieldset class="choice">
        <legend>{t('alertsFilter')}</legend>
        <label>
          <input type="radio" name="alert-filter" checked={!all} onChange={() => setAll(false)} />{' '}
          {t('alertsFilterActive')}
        </label>
        <label>
          <input type="radio" name="alert-filter" checked={all} onChange={() => setAll(true)} /> {t('alertsFilterAll')}
        </label>
      </fieldset>
      {error && <ErrorBox error={error} />}
      {all && !everything && !error && <Loading />}
      {shown && shown.length === 0 && <p class="muted">{t('noAlerts')}</p>}
      <ul class="alerts">
        {shown?.map((a) => (
          <AlertItem key={a.id} alert={a} site={a.siteId ? data.site(a.siteId) : undefined} detailed>
            {manage && a.status !== 'resolved' && (
              <div class="actions">
                {a.status === 'open' && (
                  <button type="button" disabled={busy === a.id} onClick={() => void act(a, 'acknowledge')}>
                    {t('acknowledge')}
                  </button>
                )}
                <button type="button" class="secondary" disabled={busy === a.id} onClick={() => void act(a, 'resolve')}>
                  {t('resolve')}
                </button>
              </div>
            )}
            <Problem text={problem?.id === a.id ? problem.text : undefined} />
          </AlertItem>
        ))}
      </ul>
    </>
  );
}

/** The fetched full list with the stream's newer versions of the same alerts, and alerts raised since. */
function mergeLive(everything: AlertRecord[] | undefined, active: AlertRecord[]): AlertRecord[] | undefined {
  if (!everything) return undefined;
  const byId = new Map(everything.map((a) => [a.id, a]));
  for (const a of active) byId.set(a.id, a);
  return sortAlerts([...byId.values()]);
}
