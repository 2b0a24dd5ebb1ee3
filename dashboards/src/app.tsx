import type { VillageSummary } from '@lumbung/schemas';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { Fragment, jsx, jsxs } from 'preact/jsx-runtime';
import { API_BASE, Api, ApiError, qs, toApiError } from './api.ts';
import { Auth, type Session, storageOf } from './auth.ts';
import { type Ui, UiContext, useUi, useVillage } from './context.ts';
import { createFormatter, daysSince } from './format.ts';
import { fill, LANG_STORAGE_KEY, type Lang, storedLang, translator } from './i18n/index.ts';
import { metricLabel, siteReadings } from './metrics.ts';
import { AlertsPage } from './pages/alerts.tsx';
import { LiveStatus, rangeText } from './pages/common.tsx';
import { DevicesPage } from './pages/devices.tsx';
import { LimitedPage } from './pages/limited.tsx';
import { OverviewPage, SiteDetails } from './pages/overview.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SitePage } from './pages/site.tsx';
import type { Kit } from './pages/supply/kit.tsx';
import { VillagesPage } from './pages/villages.tsx';
import {
  allRoles,
  canReadTelemetry,
  type EcoAccess,
  ecoAccess,
  isPlatformAdmin,
  memberVillages,
  type Role,
  rolesIn,
  type SupplyAccess,
  startPage,
  supplyAccess,
} from './roles.ts';
import {
  type FarmRoute,
  href,
  isFarmRoute,
  isSupplyRoute,
  parseRoute,
  type Route,
  type SupplyRoute,
  villageOf,
} from './route.ts';
import { limitsOf, outside, siteStatus } from './status.ts';
import { ErrorBox, Loading, Problem, StatusDot } from './ui.tsx';
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
    // The public trace page names its product itself.
    if (route.page === 'trace') return;
    const name = data?.summary?.name;
    document.title = name ? `${name} · Lumbung` : 'Lumbung';
  });

  const access = supplyAccess(roles);
  const eco = ecoAccess(roles);
  let main: JSX.Element;
  // The public trace page needs no session: a shopper who scanned a pack is never sent to the sign-in page.
  if (route.page === 'trace')
    main = (
      <Lazy load={loadTrace} render={(m) => <m.PublicTracePage villageId={route.villageId} lotId={route.lotId} />} />
    );
  else if (start.status === 'error') main = <ErrorBox error={start.error} onRetry={restore} />;
  else if (!session) main = start.status === 'restoring' ? <Loading /> : <SignInPage auth={auth} />;
  else main = <Page route={route} data={data} session={session} roles={roles} access={access} eco={eco} />;
  const signedIn = session && route.page !== 'trace' ? session : undefined;

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
        {signedIn && (
          <UserBar session={signedIn} roles={villageId ? roles : allRoles(signedIn.memberships)} auth={auth} />
        )}
        {signedIn && <VillageSwitch session={signedIn} villageId={villageId} />}
        {signedIn && villageId && (data || access.read || eco.indicators || eco.record) && (
          <VillageNav villageId={villageId} data={data} access={access} eco={eco} route={route} />
        )}
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

/** The page a tab stands for: a site belongs to the overview, an order to the orders, a lot to the lots. */
const TAB_OF: Partial<Record<Route['page'], Route['page']>> = {
  site: 'overview',
  order: 'orders',
  lot: 'lots',
  plot: 'farm',
};

/**
 * The village's tabs: the telemetry pages for the roles that read telemetry (`data`), the farm for farmers and
 * admins, the supply-chain pages for the roles with `supply.read` (the packing house only for those who keep
 * stock; a buyer: orders and lots), the indicators for `indicator.read` (and `indicator.record`: its form).
 */
function VillageNav({
  villageId: v,
  data,
  access,
  eco,
  route,
}: {
  villageId: string;
  data: VillageData | undefined;
  access: SupplyAccess;
  eco: EcoAccess;
  route: Route;
}) {
  const { t } = useUi();
  const items: { page: Route['page']; label: string; to: string }[] = [];
  if (data) items.push({ page: 'overview', label: t('navOverview'), to: href({ page: 'overview', villageId: v }) });
  if (eco.farm) items.push({ page: 'farm', label: t('navFarm'), to: href({ page: 'farm', villageId: v }) });
  if (data)
    items.push(
      { page: 'devices', label: t('navDevices'), to: href({ page: 'devices', villageId: v }) },
      { page: 'alerts', label: t('navAlerts'), to: href({ page: 'alerts', villageId: v }) },
    );
  if (access.read) items.push({ page: 'orders', label: t('navOrders'), to: href({ page: 'orders', villageId: v }) });
  if (access.stock) items.push({ page: 'stock', label: t('navStock'), to: href({ page: 'stock', villageId: v }) });
  if (access.read) items.push({ page: 'lots', label: t('navLots'), to: href({ page: 'lots', villageId: v }) });
  if (eco.indicators || eco.record)
    items.push({ page: 'csr', label: t('navCsr'), to: href({ page: 'csr', villageId: v }) });
  // Without telemetry (a CSR partner, a buyer), the village's own address shows their page.
  const current =
    !data && route.page === 'overview' ? (eco.indicators ? 'csr' : 'orders') : (TAB_OF[route.page] ?? route.page);
  return (
    <>
      {data && <VillageName data={data} />}
      <nav aria-label={t('mainNav')}>
        <ul class="tabs">
          {items.map((i) => (
            <li key={i.page}>
              <a href={i.to} aria-current={current === i.page ? 'page' : undefined}>
                {i.label}
                {i.page === 'alerts' && data && <OpenAlerts data={data} />}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

function VillageName({ data }: { data: VillageData }) {
  useVillage(data);
  return data.summary ? <p class="village">{data.summary.name}</p> : null;
}

function OpenAlerts({ data }: { data: VillageData }) {
  useVillage(data);
  const open = data.alerts.filter((a) => a.status === 'open').length;
  return open > 0 ? <span class="badge">{open}</span> : null;
}

function Page({
  route,
  data,
  session,
  roles,
  access,
  eco,
}: {
  route: Route;
  data: VillageData | undefined;
  session: Session;
  roles: readonly Role[];
  access: SupplyAccess;
  eco: EcoAccess;
}) {
  const { t } = useUi();
  const noAccess = <p role="status">{t('noAccess')}</p>;
  if (route.page === 'villages') return <Start session={session} />;
  if (route.page === 'notFound') return <p>{t('notFound')}</p>;
  if (roles.length === 0 && !isPlatformAdmin(session.memberships)) return noAccess;
  if (isSupplyRoute(route)) return access.read ? <Supply route={route} data={data} access={access} /> : noAccess;
  if (isFarmRoute(route)) return eco.farm ? <Farm route={route} /> : noAccess;
  if (route.page === 'csr')
    return eco.indicators || eco.record ? <Csr villageId={route.villageId} eco={eco} named={!!data} /> : noAccess;
  if (!data) {
    // A CSR partner or a buyer reads no telemetry: the village's address shows their page.
    if (route.page === 'overview' && eco.indicators) return <Csr villageId={route.villageId} eco={eco} named={false} />;
    if (access.read && route.page === 'overview')
      return <Supply route={{ page: 'orders', villageId: route.villageId }} data={data} access={access} />;
    return <LimitedPage roles={roles} />;
  }
  return <VillagePage route={route} data={data} />;
}

/**
 * The start page. A member of one village lands on their role's page (`startPage`: a farmer on the farm, a CSR
 * partner on the indicators, a buyer on the orders); a user of several villages who reads no telemetry gets
 * those pages to choose from; everyone else the villages (or, with one, its overview).
 */
function Start({ session }: { session: Session }) {
  const { t } = useUi();
  const ms = session.memberships;
  const admin = isPlatformAdmin(ms);
  const starts = admin ? [] : memberVillages(ms).map((v) => ({ villageId: v, page: startPage(rolesIn(ms, v)) }));
  const only = starts.length === 1 && starts[0]!.page !== 'overview' ? starts[0] : undefined;
  const to = only && href(only);
  useEffect(() => {
    if (to) location.replace(to);
  }, [to]);
  if (to) return <Loading />;
  const choice = !admin && !canReadTelemetry(allRoles(ms)) && starts.some((s) => s.page !== 'overview');
  if (!choice) return <VillagesPage />;
  return (
    <>
      <h1>{t('villagesTitle')}</h1>
      <ul class="links">
        {starts.map((s) => (
          <li key={s.villageId}>
            <a href={href(s)}>{s.villageId}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** What the lazily loaded supply-chain chunks take from the entry instead of importing it (pages/supply/kit.tsx). */
const kit = (): Kit => ({
  runtime: { jsx, jsxs, Fragment },
  hooks: { useState, useEffect, useMemo, useRef },
  useUi,
  useVillage,
  ErrorBox,
  Loading,
  Problem,
  StatusDot,
  LiveStatus,
  SiteDetails,
  rangeText,
  href,
  qs,
  Api,
  toApiError,
  apiBase: API_BASE,
  daysSince,
  fill,
  metricLabel,
  siteReadings,
  limitsOf,
  outside,
  siteStatus,
});

/** A lazily loaded chunk, installed once; a failed load is forgotten so that "Coba lagi" fetches it again. */
function lazyChunk<M extends { install(k: Kit): void }>(load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () =>
    (loading ??= load().then(
      (m) => {
        m.install(kit());
        return m;
      },
      (err: unknown) => {
        loading = undefined;
        throw new ApiError('NETWORK', String(err), 0);
      },
    ));
}

type SupplyChunk = typeof import('./pages/supply/index.tsx');
type TraceChunk = typeof import('./pages/supply/trace.tsx');
type FarmChunk = typeof import('./pages/farm/index.tsx');
type CsrChunk = typeof import('./pages/csr/index.tsx');
// Supply pages are chunks of their own: the first page of a farmer or a packing-house worker carries none of them.
const loadSupply = lazyChunk<SupplyChunk>(() => import('./pages/supply/index.tsx'));
const loadTrace = lazyChunk<TraceChunk>(() => import('./pages/supply/trace.tsx'));
// So are the farm and indicator pages (issue 6): a buyer's phone never loads a farmer's words, nor a farmer's a CSR's.
const loadFarm = lazyChunk<FarmChunk>(() => import('./pages/farm/index.tsx'));
const loadCsr = lazyChunk<CsrChunk>(() => import('./pages/csr/index.tsx'));

/** Renders a lazily loaded chunk's page once it has arrived ("Memuat…" until then, the error and a retry on failure). */
function Lazy<M>({ load, render }: { load: () => Promise<M>; render: (m: M) => JSX.Element }) {
  const [mod, setMod] = useState<{ m: M } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (m) => live && setMod({ m }),
      (e: unknown) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [load, attempt]);
  if (mod) return render(mod.m);
  return error ? <ErrorBox error={error} onRetry={() => setAttempt(attempt + 1)} /> : <Loading />;
}

function Supply({ route, data, access }: { route: SupplyRoute; data: VillageData | undefined; access: SupplyAccess }) {
  return <Lazy load={loadSupply} render={(m) => <m.SupplyPage route={route} data={data} access={access} />} />;
}

function Farm({ route }: { route: FarmRoute }) {
  // `plot.record` is what gives the farm tab, so whoever sees the page may record irrigation (on their own plots).
  return <Lazy load={loadFarm} render={(m) => <m.FarmPage route={route} canRecord />} />;
}

/** `named`: the header already names the village (its data is loaded for the roles that read telemetry). */
function Csr({ villageId, eco, named }: { villageId: string; eco: EcoAccess; named: boolean }) {
  return <Lazy load={loadCsr} render={(m) => <m.CsrPage villageId={villageId} access={eco} named={named} />} />;
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
