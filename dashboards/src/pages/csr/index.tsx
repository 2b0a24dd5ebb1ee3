/** @jsxImportSource ../supply */
import type { VillageSummary } from '@lumbung/schemas';
import {
  customPeriod,
  type IndicatorSet,
  lastDay,
  localToday,
  type Period,
  pickOf,
  previousPeriod,
  QUICK_PICKS,
  quickPeriod,
} from '../../csr.ts';
import type { EcoAccess } from '../../roles.ts';
import { entry, Field, useLoad, useMemo, useState } from '../supply/kit.tsx';
import { usePeriodText, useT } from './common.tsx';
import { Indicators } from './indicators.tsx';
import { RecordSection } from './record.tsx';
import { Reports } from './reports.tsx';

export { install, type Kit } from '../supply/kit.tsx';

/**
 * The CSR partner's page (issue 6), one lazily loaded chunk: the indicators of a period (the last full month
 * unless another is chosen) against the period before, the CSR reports with their PDF and CSV, and for
 * `indicator.record` the form for figures no meter measures. Packing-house staff, who record but do not read
 * indicators, get the form alone.
 */
export function CsrPage({
  villageId,
  access,
  named,
}: {
  villageId: string;
  access: EcoAccess;
  /** The header already names the village (for the roles that read telemetry). */
  named: boolean;
}) {
  const { api, fmt, now } = entry.useUi();
  const t = useT();
  const v = `/villages/${villageId}`;
  // A CSR partner reads no telemetry, so the app has not loaded the village: its name and time zone come from here.
  const village = useLoad((signal) => api.get<VillageSummary>(v, signal), [api, v]);
  const today = localToday(now || Date.now(), village.value?.timeZone ?? fmt.timeZone);
  const [chosen, setChosen] = useState<Period | undefined>(undefined);
  const period = chosen ?? quickPeriod('lastMonth', today);
  const previous = previousPeriod(period);
  const current = useLoad(
    (signal) =>
      access.indicators ? api.get<IndicatorSet>(`${v}/indicators${entry.qs({ ...period })}`, signal) : undefined,
    [api, v, access.indicators, period.from, period.to],
  );
  // Without the previous period the page still shows the current one, without changes.
  const before = useLoad(
    (signal) =>
      access.indicators
        ? api.get<IndicatorSet>(`${v}/indicators${entry.qs({ ...previous })}`, signal).catch(() => null)
        : undefined,
    [api, v, access.indicators, previous.from, previous.to],
  );
  const labels = useMemo(() => new Map((current.value?.items ?? []).map((i) => [i.key, i])), [current.value]);
  return (
    <>
      <h1>{access.indicators ? t('csrTitle') : t('recordOnlyTitle')}</h1>
      {village.value && !named && <p class="muted small">{village.value.name}</p>}
      {access.indicators && (
        <>
          <PeriodPicker today={today} period={period} onChange={setChosen} />
          <Indicators period={period} previous={previous} current={current} before={before} />
          <Reports villageId={villageId} period={period} labels={labels} />
        </>
      )}
      {access.record && <RecordSection villageId={villageId} today={today} canList={access.indicators} />}
    </>
  );
}

/** Quick picks of whole months, or a first and a last day of one's own. */
function PeriodPicker({ today, period, onChange }: { today: string; period: Period; onChange: (p: Period) => void }) {
  const t = useT();
  const periodText = usePeriodText();
  const [first, setFirst] = useState(period.from);
  const [last, setLast] = useState(lastDay(period));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const pick = pickOf(period, today);
  const choose = (p: Period) => {
    setFirst(p.from);
    setLast(lastDay(p));
    setProblem(undefined);
    onChange(p);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const p = customPeriod(first, last);
    if (!p) {
      setProblem(t('periodInvalid'));
      return;
    }
    choose(p);
  };
  return (
    <section class="section" aria-labelledby="h-period">
      <h2 id="h-period">{t('periodTitle')}</h2>
      <p data-period>
        <strong>{periodText(period)}</strong>
      </p>
      <fieldset class="ranges">
        <legend class="sr-only">{t('periodTitle')}</legend>
        {QUICK_PICKS.map((q) => (
          <button
            key={q}
            type="button"
            aria-pressed={pick === q}
            data-pick={q}
            onClick={() => choose(quickPeriod(q, today))}
          >
            {t(`pick_${q}`)}
          </button>
        ))}
      </fieldset>
      <form class="period-form" onSubmit={submit}>
        <Field id="period-first" label={t('periodFirst')} type="date" value={first} onValue={setFirst} />
        <Field id="period-last" label={t('periodLast')} type="date" value={last} onValue={setLast} />
        <button type="submit" class="secondary">
          {t('periodShow')}
        </button>
      </form>
      <entry.Problem text={problem} />
    </section>
  );
}
