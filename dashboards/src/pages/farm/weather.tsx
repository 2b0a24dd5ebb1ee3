/** @jsxImportSource ../supply */
import type { AgroWeatherDay } from '@lumbung/schemas';
import { weatherRange, weatherStrip } from '../../farm.ts';
import { entry, Pending, useDate, useLoad } from '../supply/kit.tsx';
import { useT } from './common.tsx';

/**
 * The last fourteen local days of the village's weather station: evaporation (FAO-56 ET0) and rain side by side
 * as bars on one millimetre scale, their totals in words, and the numbers behind a toggle.
 */
export function WeatherStrip({ villageId, today }: { villageId: string; today: string }) {
  const { api, fmt } = entry.useUi();
  const t = useT();
  const date = useDate();
  const { from, to } = weatherRange(today);
  const load = useLoad(
    (signal) => api.get<AgroWeatherDay[]>(`/villages/${villageId}/agro/weather${entry.qs({ from, to })}`, signal),
    [api, villageId, from, to],
  );
  const mm = (v: number | null) => (v === null ? t('noValue') : fmt.value(v, 'mm', 1));
  const strip = load.value && weatherStrip(load.value, from, to);
  return (
    <section class="section" aria-labelledby="h-weather" data-weather>
      <h2 id="h-weather">{t('weatherTitle')}</h2>
      <Pending load={load} />
      {strip && strip.missing === strip.days.length && <p class="muted">{t('weatherNone')}</p>}
      {strip && strip.missing < strip.days.length && (
        <>
          <p class="legend small">
            <span class="key key-et0" aria-hidden="true" /> {t('weatherEt0')}{' '}
            <span class="key key-rain" aria-hidden="true" /> {t('weatherRain')}
          </p>
          <ol class="strip" aria-label={t('weatherTitle')}>
            {strip.days.map((d) => (
              <li key={d.date} data-date={d.date}>
                <span class="strip-bars" aria-hidden="true">
                  <span class="bar-et0" style={{ height: `${d.et0Share * 100}%` }} />
                  <span
                    class={d.rainClipped ? 'bar-rain clipped' : 'bar-rain'}
                    style={{ height: `${d.rainShare * 100}%` }}
                  />
                </span>
                <span class="strip-day" aria-hidden="true">
                  {Number(d.date.slice(8))}
                </span>
                <span class="sr-only">{t('weatherDay', { date: date(d.date), et0: mm(d.et0), rain: mm(d.rain) })}</span>
              </li>
            ))}
          </ol>
          <p class="small" data-weather-totals>
            {t('weatherTotals', { et0: mm(strip.et0Total), rain: mm(strip.rainTotal) })}{' '}
            {strip.balance >= 0.5
              ? t('weatherShort', { mm: mm(strip.balance) })
              : strip.balance <= -0.5
                ? t('weatherSurplus', { mm: mm(-strip.balance) })
                : ''}
          </p>
          {strip.missing > 0 && <p class="small muted">{t('weatherMissing', { n: strip.missing })}</p>}
          <details class="small">
            <summary>{t('weatherNumbers')}</summary>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('irrigationDate')}</th>
                  <th scope="col" class="num">
                    ET0
                  </th>
                  <th scope="col" class="num">
                    {t('weatherRain')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {strip.days.map((d) => (
                  <tr key={d.date}>
                    <td>{date(d.date)}</td>
                    <td class="num">{mm(d.et0)}</td>
                    <td class="num">{mm(d.rain)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
