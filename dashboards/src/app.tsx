import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api.ts';
import { type Ui, UiContext, useUi, useVillage } from './context.ts';
import { createFormatter } from './format.ts';
import { LANG_STORAGE_KEY, type Lang, storedLang, translator } from './i18n/index.ts';
import { AlertsPage } from './pages/alerts.tsx';
import { DevicesPage } from './pages/devices.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { SitePage } from './pages/site.tsx';
import { VillagesPage } from './pages/villages.tsx';
import { href, parseRoute, type Route, villageOf } from './route.ts';
import { ErrorBox, Loading } from './ui.tsx';
import { VillageData } from './village.ts';

const storage = (): Storage | undefined => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
};

/** The language the API is asked to answer errors in; read at request time. */
const langRef: { current: Lang } = { current: 'id' };

export function App() {
  const [lang, setLang] = useState<Lang>(() => storedLang(storage()));
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [now, setNow] = useState(() => Date.now());
  const api = useMemo(() => new Api(() => langRef.current), []);
  langRef.current = lang;

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
      storage()?.setItem(LANG_STORAGE_KEY, lang);
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
  }, [lang]);

  const villageId = villageOf(route);
  const data = useMemo(() => (villageId ? new VillageData(villageId, api) : undefined), [villageId, api]);
  // A layout effect starts the requests before the first paint rather than a frame after it.
  useLayoutEffect(() => {
    if (!data) return;
    void data.start();
    return () => data.stop();
  }, [data]);

  const timeZone = data?.summary?.timeZone ?? 'Asia/Jakarta';
  const ui = useMemo<Ui>(
    () => ({ lang, t: translator(lang), fmt: createFormatter(lang, timeZone), api, now }),
    [lang, timeZone, api, now],
  );

  useEffect(() => {
    const name = data?.summary?.name;
    document.title = name ? `${name} · Lumbung` : 'Lumbung';
  });

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
        {data && <VillageNav data={data} route={route} />}
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} data={data} />
      </main>
    </UiContext.Provider>
  );
}

/** A skip button rather than a #main link: the hash belongs to the router. */
function skipToMain() {
  document.getElementById('main')?.focus();
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

function Page({ route, data }: { route: Route; data: VillageData | undefined }) {
  const { t } = useUi();
  if (route.page === 'villages') return <VillagesPage />;
  if (route.page === 'notFound' || !data) return <p>{t('notFound')}</p>;
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
