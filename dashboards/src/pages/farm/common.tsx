/** @jsxImportSource ../supply */
import type { PlotAdvice } from '@lumbung/schemas';
import { actionLevel, type WaterGauge, waterGauge } from '../../farm.ts';
import { farmEn } from '../../i18n/farm-en.ts';
import { type FarmKey, farmId } from '../../i18n/farm-id.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { entry, type OwnT, useOwnT } from '../supply/kit.tsx';

export type FarmT = OwnT<FarmKey>;
const FARM = { id: farmId, en: farmEn } as const;

/** The farm pages' words (farm-id.ts / farm-en.ts, loaded with them), then the app's. */
export const useT = (): FarmT => useOwnT<FarmKey>(FARM);

/** The village's paths of a plot (issue 6 API). */
export const plotPath = (villageId: string, siteId: string, what: 'advice' | 'irrigation'): string =>
  `/villages/${villageId}/plots/${encodeURIComponent(siteId)}/${what}`;

/**
 * One plot on one screen of a cheap phone: what to do about water in big plain words first (the API's sentence,
 * "Siram 12 mm besok pagi"), then the soil water as a gauge, the blast risk in its colour with its reasons, and
 * the day's numbers small. With `link` (the list) the card is headed by the plot's name, a link to its own page.
 */
export function PlotCard({ a, villageId, link }: { a: PlotAdvice; villageId: string; link?: boolean }) {
  const { lang, fmt } = entry.useUi();
  const t = useT();
  const to = entry.href({ page: 'plot', villageId, siteId: a.siteId });
  const mm = (v: number | null) => (v === null ? t('noValue') : fmt.value(v, 'mm', 1));
  const deg = (v: number | null) => (v === null ? t('noValue') : fmt.value(v, '°C', 0));
  return (
    <article
      class="card plot"
      data-site-id={a.siteId}
      data-action={a.irrigation.action}
      data-blast={a.blast?.level ?? 'none'}
    >
      {/* On the plot's own page its name is the page's heading. */}
      {link && (
        <h2 class="h3">
          <a href={to}>{a.plotName}</a>
        </h2>
      )}
      {/* A crop this version has no word for is shown as its code (the catalogue answers nothing for it). */}
      <p class="small muted">
        {t(`crop_${a.crop}` as MessageKey) || a.crop} · <span data-stage={a.stage.id}>{a.stage.label[lang]}</span> ·{' '}
        {/* A plot planted later in the season counts down to its planting day. */}
        {a.daysAfterPlanting < 0
          ? t('daysToPlanting', { days: -a.daysAfterPlanting })
          : t('daysAfterPlanting', { days: a.daysAfterPlanting })}
      </p>
      <p class={`advice level-${actionLevel(a.irrigation.action)}`} data-advice>
        <span class="sr-only">{t('adviceTitle')}: </span>
        {a.irrigation.message[lang]}
      </p>
      <Water water={a.water} />
      {a.blast && (
        <div class={`blast level-${a.blast.level}`} data-blast-level={a.blast.level}>
          <p>
            <span class="dot" aria-hidden="true" /> {t('blastTitle')}: <strong>{a.blast.label[lang]}</strong>
          </p>
          {a.blast.reasons.length > 0 && (
            <>
              <p class="small muted sr-only">{t('blastWhy')}</p>
              <ul class="reasons small">
                {a.blast.reasons.map((r) => (
                  <li key={r.id}>{r[lang]}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <dl class="kv small">
        <div>
          <dt>{t('et0Today')}</dt>
          <dd data-et0>{mm(a.et0Today)}</dd>
        </div>
        <div>
          <dt>{t('etcToday')}</dt>
          <dd data-etc>{mm(a.etcToday)}</dd>
        </div>
      </dl>
      {(a.heatIndex !== null || a.dewPoint !== null) && (
        <p class="small muted">{t('heatDew', { heat: deg(a.heatIndex), dew: deg(a.dewPoint) })}</p>
      )}
      <p class="explain">{a.explanation[lang]}</p>
      {link && (
        <p>
          <a href={to}>{t('openPlot')}</a>
        </p>
      )}
    </article>
  );
}

/** The soil water (or a paddy's standing water) as a bar with its safe range, and the same in words. */
function Water({ water }: { water: PlotAdvice['water'] }) {
  const { fmt } = entry.useUi();
  const t = useT();
  const g: WaterGauge = waterGauge(water);
  const mm = (v: number) => fmt.value(v, 'mm', 0);
  const state = t(`water_${g.state}`);
  return (
    <div class="water" data-water={water.model} data-state={g.state}>
      <p class="water-head">
        {water.model === 'soil' ? t('soilTitle') : t('paddyTitle')}: <strong class={`level-${g.level}`}>{state}</strong>
      </p>
      <span class="gauge" role="img" aria-label={state}>
        <span
          class="gauge-band"
          title={t('gaugeGood')}
          style={{ left: `${g.band[0] * 100}%`, width: `${(g.band[1] - g.band[0]) * 100}%` }}
        />
        <span class={`gauge-fill level-${g.level}`} style={{ width: `${g.fill * 100}%` }} />
      </span>
      {water.model === 'soil' ? (
        <p class="small">
          {t('soilLeft', { left: mm(g.leftMm ?? 0), taw: mm(water.taw) })}{' '}
          {g.state === 'enough' && t('soilSafe', { mm: mm(g.leftBeforeStressMm ?? 0) })}
          {water.correctedByProbe && <span class="muted"> {t('soilProbe')}</span>}
        </p>
      ) : (
        <p class="small">
          {t('paddyDepth', {
            depth: mm(water.pondingMm),
            min: fmt.number(water.targetMinMm, 0),
            max: mm(water.targetMaxMm),
          })}
        </p>
      )}
    </div>
  );
}
