import type { VillageSummary } from '@lumbung/schemas';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useReducer, useState } from 'preact/hooks';
import { Api, type ApiError, toApiError } from './api.ts';
import { Auth, type Session, storageOf } from './auth.ts';
import { type Ui, UiContext, useUi, useVillage } from './context.ts';
import { createFormatter } from './format.ts';
import { LANG_STORAGE_KEY, type Lang, storedLang, translator } from './i18n/index.ts';
import { AlertsPage } from './pages/alerts.tsx';
import { DevicesPage } from './pages/devices.tsx';
import { LimitedPage } from './pages/limited.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SitePage } from './pages/site.tsx';
import { VillagesPage } from './pages/villages.tsx';
import { allRoles, canReadTelemetry, isPlatformAdmin, memberVillages, type Role, rolesIn } from './roles.ts';
import { href, parseRoute, type Route, villageOf } from './route.ts';
import { ErrorBox, Loading } from './ui.tsx';
import { VillageData } from './village.ts';

/** The language the API is asked to answer errors in; read at request time. */
const langRef: { current: Lang } = { current: 'id' };

type Start = { status: 'restoring' } | { status: 'ready' } | { status: 'error'; error: ApiError };

export function App() {
  const [lang, setLang] = useState<Lang>(() => storedLang(storageOf()));
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [now, setNow] = useState(() => Date.now());
  const auth = useMemo(() => new Auth(() => langRef.current), []);
  const api = useMemo(() => new Api(() => langRef.current, auth), [auth]);
  const [start, setStart] = useState<Start>({ status: 'restoring' });
  const [, bump] = useReducer((n: number, _: undefined) => n + 1, 0);
  langRef.current = lang;

  const restore = () => {
    setStart({ status: 'restoring' });
    auth.restore().then(
      () => setStart({ status: 'ready' }),
      (e: unknown) => setStart({ status: 'error', error: toApiError(e) }),
    );
  };

  // A layout effect: the stored session is resumed before the first paint rather than a frame after it.
  useLayoutEffect(() => {
    const off = auth.subscribe(() => {
      // Requests the inline script made for a previous session must not serve the next user.
      if (!auth.session) Api.dropPrefetch();
      bump(undefined);
    });
    restore();
    // Signed out in another tab (the stored refresh token is gone): sign out here too.
    const onStorage = (e: StorageEvent) => auth.storageChanged(e.key);
    window.addEventListener('storage', onStorage);
    return () => {
      off();
      window.removeEventListener('storage', onStorage);
    };
  }, [auth]);

  useEffect(() => {
    const onHash = () => {
      setRoute(parseRoute(location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onHash);
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      window.removeEventListener('hashchange', onHash);
      clearInterval(tick);
    };
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    try {
      storageOf()?.setItem(LANG_STORAGE_KEY, lang);
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
  }, [lang]);

  const session = auth.session;
  const userId = session?.user.id;
  const villageId = villageOf(route);
  const roles = session && villageId ? rolesIn(session.memberships, villageId) : [];
  const telemetry = canReadTelemetry(roles);
  const data = useMemo(
    () => (userId && villageId && telemetry ? new VillageData(villageId, api) : undefined),
    [villageId, api, userId, telemetry],
  );
  useLayoutEffect(() => {
    if (!data) return;
    void data.start();
    return () => data.stop();
  }, [data]);

  const timeZone = data?.summary?.timeZone ?? 'Asia/Jakarta';
  const ui = useMemo<Ui>(
    () => ({ lang, t: translator(lang), fmt: createFormatter(lang, timeZone), api, session, now }),
    [lang, timeZone, api, session, now],
  );

  useEffect(() => {
    const name = data?.summary?.name;
    document.title = name ? `${name} · Lumbung` : 'Lumbung';
  });

  let main: JSX.Element;
  if (start.status === 'error') main = <ErrorBox error={start.error} onRetry={restore} />;
  else if (!session) main = start.status === 'restoring' ? <Loading /> : <SignInPage auth={auth} />;
  else main = <Page route={route} data={data} session={session} roles={roles} />;

  return (
    <UiContext.Provider value={ui}>
      <button type="button" class="skip" onClick={skipToMain}>
        {ui.t('skipToContent')}
      </button>
      <header class="top">
        <div class="bar">
          <a class="brand" href={href({ page: 'villages' })}>
            {ui.t('appName')}
          </a>
          <button
            type="button"
            class="lang"
            lang={lang === 'id' ? 'en' : 'id'}
            aria-label={ui.t('switchLanguageLabel')}
            onClick={() => setLang(lang === 'id' ? 'en' : 'id')}
          >
            {ui.t('switchLanguage')}
          </button>
        </div>
        {session && <UserBar session={session} roles={villageId ? roles : allRoles(session.memberships)} auth={auth} />}
        {session && <VillageSwitch session={session} villageId={villageId} />}
        {data && <VillageNav data={data} route={route} />}
      </header>
      <main id="main" tabIndex={-1}>
        {main}
      </main>
    </UiContext.Provider>
  );
}

/** A skip button rather than a #main link: the hash belongs to the router. */
function skipToMain() {
  document.getElementById('main')?.focus();
}

/** Who is signed in, their role here, and "Keluar". */
function UserBar({ session, roles, auth }: { session: Session; roles: readonly Role[]; auth: Auth }) {
  const { t } = useUi();
  const label = roles.map((r) => t(`role_${r}`)).join(', ');
  return (
    <div class="who">
      <p>
        <span class="sr-only">{t('signedInAs')} </span>
        <strong class="who-name">{session.user.displayName}</strong>
        {label && <span class="who-role"> · {label}</span>}
      </p>
      <button type="button" class="signout" onClick={() => void auth.logout()}>
        {t('signOut')}
      </button>
    </div>
  );
}

/** A choice of village, for users of several (the platform admin: every village). */
function VillageSwitch({ session, villageId }: { session: Session; villageId: string | undefined }) {
  const { t, api } = useUi();
  const several = isPlatformAdmin(session.memberships) || memberVillages(session.memberships).length > 1;
  const [villages, setVillages] = useState<VillageSummary[] | undefined>();
  useEffect(() => {
    if (!several) return;
    let live = true;
    api.get<VillageSummary[]>('/villages').then(
      (vs) => live && setVillages(vs),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, several, session.user.id]);
  if (!several || !villages || villages.length < 2) return null;
  return (
    <div class="switch">
      <label for="village-switch">{t('villageSwitch')}</label>
      <select
        id="village-switch"
        value={villageId ?? ''}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (v) location.hash = href({ page: 'overview', villageId: v });
        }}
      >
        {!villageId && <option value="">—</option>}
        {villages.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function VillageNav({ data, route }: { data: VillageData; route: Route }) {
  const { t } = useUi();
  useVillage(data);
  const v = data.villageId;
  const items = [
    { page: 'overview', label: t('navOverview'), to: href({ page: 'overview', villageId: v }) },
    { page: 'devices', label: t('navDevices'), to: href({ page: 'devices', villageId: v }) },
    { page: 'alerts', label: t('navAlerts'), to: href({ page: 'alerts', villageId: v }) },
  ] as const;
  const current = route.page === 'site' ? 'overview' : route.page;
  const open = data.alerts.filter((a) => a.status === 'open').length;
  return (
    <>
      {data.summary && <p class="village">{data.summary.name}</p>}
      <nav aria-label={t('mainNav')}>
        <ul class="tabs">
          {items.map((i) => (
            <li key={i.page}>
              <a href={i.to} aria-current={current === i.page ? 'page' : undefined}>
                {i.label}
                {i.page === 'alerts' && open > 0 && <span class="badge">{open}</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

function Page({
  route,
  data,
  session,
  roles,
}: {
  route: Route;
  data: VillageData | undefined;
  session: Session;
  roles: readonly Role[];
}) {
  const { t } = useUi();
  if (route.page === 'villages') return <VillagesPage />;
  if (route.page === 'notFound') return <p>{t('notFound')}</p>;
  if (roles.length === 0 && !isPlatformAdmin(session.memberships)) return <p role="status">{t('noAccess')}</p>;
  if (!data) return <LimitedPage roles={roles} />;
  return <VillagePage route={route} data={data} />;
}

function VillagePage({ route, data }: { route: Route; data: VillageData }) {
  useVillage(data);
  if (data.load.status === 'error') return <ErrorBox error={data.load.error} onRetry={() => void data.start()} />;
  if (!data.summary) return <Loading />;
  switch (route.page) {
    case 'overview':
      return <OverviewPage data={data} />;
    case 'site':
      return <SitePage data={data} siteId={route.siteId} />;
    case 'devices':
      return <DevicesPage data={data} />;
    case 'alerts':
      return <AlertsPage data={data} />;
    default:
      return null;
  }
}
