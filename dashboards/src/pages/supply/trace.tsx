/** @jsxImportSource . */
import type { PublicLotView } from '@lumbung/schemas';
import type { Params } from '../../i18n/index.ts';
import { publicEn } from '../../i18n/public-en.ts';
import { type PublicKey, publicId } from '../../i18n/public-id.ts';
import { entry, Pending, useDate, useEffect, useLoad, useMemo } from './kit.tsx';

export { install, type Kit } from './kit.tsx';

const TEXT = { id: publicId, en: publicEn } as const;

type Room = NonNullable<PublicLotView['storage']>['rooms'][number];

/**
 * The public trace page a shopper opens by scanning the QR code on a pack: no sign-in, no token, only what the
 * cooperative chose to publish (a field the API leaves out is not shown). Its own small chunk with its own
 * words, so a phone on a slow link loads little more than the page itself.
 */
export function PublicTracePage({ villageId, lotId }: { villageId: string; lotId: string }) {
  const { lang, fmt } = entry.useUi();
  const t = (key: PublicKey, params?: Params) => entry.fill(TEXT[lang][key], params);
  // Without `auth`, Api sends no Authorization header: this page must work for anyone, signed in or not.
  const api = useMemo(() => new entry.Api(() => lang, undefined), [lang]);
  const load = useLoad(
    (signal) =>
      api.get<PublicLotView>(`/public/lots/${encodeURIComponent(villageId)}/${encodeURIComponent(lotId)}`, signal),
    [api, villageId, lotId],
  );
  const day = useDate();
  const view = load.value;

  const name = view ? (lang === 'en' && view.product.nameEn) || view.product.name : undefined;
  useEffect(() => {
    if (name) document.title = `${name} · ${view?.cooperative.brand ?? view?.cooperative.name}`;
  }, [name, view]);

  if (!view)
    return load.error?.status === 404 ? (
      <div class="public">
        <h1>{t('notFoundTitle')}</h1>
        <p>{t('notFound', { lot: lotId })}</p>
      </div>
    ) : (
      <Pending load={load} />
    );
  const p = view.producer;
  const brand = view.cooperative.brand;
  return (
    <article class="public" data-public-lot={view.lotId}>
      <p class="public-brand">{brand ?? view.cooperative.name}</p>
      <h1>{name}</h1>
      <p class="muted small">
        {t('lot', { lot: view.lotId })}
        {brand && ` · ${view.cooperative.name}`}
      </p>
      {view.status !== 'available' && (
        <p class={view.status === 'expired' ? 'warnbox' : 'warnbox bad-box'} role="alert">
          {t(`status_${view.status}`)}
        </p>
      )}
      {p && (
        <section class="card story" aria-labelledby="h-story">
          <h2 id="h-story">{t('storyTitle')}</h2>
          <div class="story-head">
            {p.photoUrl && <img class="story-photo" src={p.photoUrl} alt={p.name} width={96} height={96} />}
            <p>
              <strong>{p.name}</strong>
              {p.village && (
                <>
                  <br />
                  <span class="muted">{t('fromVillage', { village: p.village })}</span>
                </>
              )}
            </p>
          </div>
          {p.story && <p class="story-text">{p.story}</p>}
        </section>
      )}
      <dl class="kv public-dates">
        {view.producedOn && (
          <div>
            <dt>{t('producedOn')}</dt>
            <dd>{day(view.producedOn)}</dd>
          </div>
        )}
        <div>
          <dt>{t('bestBefore')}</dt>
          <dd>{day(view.expiresOn)}</dd>
        </div>
      </dl>
      {view.storage && (
        <section class="section" aria-labelledby="h-storage" data-within={view.storage.withinSpec}>
          <h2 id="h-storage">{t('storageTitle')}</h2>
          <p>
            <span class={view.storage.withinSpec ? 'pill result-conformant' : 'pill result-non_conformant'}>
              {view.storage.withinSpec ? t('withinLimits') : t('outsideLimits')}
            </span>
          </p>
          <ul class="plain rows">
            {view.storage.rooms.map((r) => (
              <PublicRoom key={`${r.name}/${r.from}`} room={r} t={t} />
            ))}
          </ul>
        </section>
      )}
      {view.inspection && (
        <section class="section" aria-labelledby="h-quality">
          <h2 id="h-quality">{t('qualityTitle')}</h2>
          <p>
            <span class={`pill result-${view.inspection.result}`}>{t(`result_${view.inspection.result}`)}</span>{' '}
            <span class="small muted">{fmt.date(view.inspection.at)}</span>
          </p>
        </section>
      )}
      <p class="small muted public-foot">
        {t('tracedWith')}{' '}
        <a href={view.digitalLink} rel="noopener">
          {t('digitalLink')}
        </a>
      </p>
    </article>
  );
}

function PublicRoom({ room: r, t }: { room: Room; t: (key: PublicKey, params?: Params) => string }) {
  const { fmt } = entry.useUi();
  const stat = (s: { min: number; max: number; mean: number }, unit: string) =>
    t('stat', { min: fmt.number(s.min, 1), max: fmt.number(s.max, 1), mean: fmt.value(s.mean, unit, 1) });
  return (
    <li class="row">
      <p class="row-head">
        <strong>{r.name}</strong>
        <span class="small muted">
          {r.to === null
            ? t('since', { from: fmt.date(r.from) })
            : t('fromTo', { from: fmt.date(r.from), to: fmt.date(r.to) })}
        </span>
      </p>
      {r.temperature && <p class="small">{t('temperature', { stat: stat(r.temperature, '°C') })}</p>}
      {r.humidity && <p class="small">{t('humidity', { stat: stat(r.humidity, '%') })}</p>}
    </li>
  );
}
