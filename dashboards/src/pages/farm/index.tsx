/** @jsxImportSource ../supply */
import type { IrrigationRecord, PlotAdvice } from '@lumbung/schemas';
import { type IrrigationForm, irrigationRequest, localToday } from '../../farm.ts';
import type { FarmRoute } from '../../route.ts';
import { entry, Field, FormEnd, newestFirst, Pending, useDate, useForm, useLoad } from '../supply/kit.tsx';
import { PlotCard, plotPath, useT } from './common.tsx';
import { WeatherStrip } from './weather.tsx';

export { install, type Kit } from '../supply/kit.tsx';

/**
 * The farmer's pages (issue 6), one lazily loaded chunk: the entry imports it when one of them is first opened,
 * hands it its Preact and helpers (`install`), then renders this component. `#/v/:v/farm` lists the user's plots
 * (the cloud answers with the plots the farmer may read); `#/v/:v/farm/:siteId` is one plot with its
 * irrigation form.
 */
export function FarmPage({ route, canRecord }: { route: FarmRoute; canRecord: boolean }) {
  return route.page === 'farm' ? (
    <PlotsPage villageId={route.villageId} />
  ) : (
    <PlotPage villageId={route.villageId} siteId={route.siteId} canRecord={canRecord} />
  );
}

/** Today in the village, by the phone's clock (the advice names its own day once it has arrived). */
function useToday(): string {
  const { fmt, now } = entry.useUi();
  return localToday(now || Date.now(), fmt.timeZone);
}

function PlotsPage({ villageId }: { villageId: string }) {
  const { api } = entry.useUi();
  const t = useT();
  const date = useDate();
  const today = useToday();
  const load = useLoad(
    (signal) => api.get<PlotAdvice[]>(`/villages/${villageId}/agro/advice`, signal),
    [api, villageId],
  );
  const day = load.value?.[0]?.date ?? today;
  return (
    <>
      <h1>{t('farmTitle')}</h1>
      <p class="muted small">{t('today', { date: date(day) })}</p>
      <Pending load={load} />
      {load.value?.length === 0 && <p class="card">{t('noPlots')}</p>}
      {load.value && load.value.length > 0 && (
        <ul class="cards plain" data-plots>
          {load.value.map((a) => (
            <li key={a.siteId}>
              <PlotCard a={a} villageId={villageId} link />
            </li>
          ))}
        </ul>
      )}
      <WeatherStrip villageId={villageId} today={day} />
    </>
  );
}

function PlotPage({ villageId, siteId, canRecord }: { villageId: string; siteId: string; canRecord: boolean }) {
  const { api } = entry.useUi();
  const t = useT();
  const today = useToday();
  const load = useLoad(
    (signal) => api.get<PlotAdvice>(plotPath(villageId, siteId, 'advice'), signal),
    [api, villageId, siteId],
  );
  const a = load.value;
  const back = (
    <p class="small">
      <a href={entry.href({ page: 'farm', villageId })}>{t('backToFarm')}</a>
    </p>
  );
  if (load.error?.status === 404 || load.error?.status === 403)
    return (
      <>
        {back}
        <p class="card" role="status">
          {t('plotNotFound')}
        </p>
      </>
    );
  return (
    <>
      {back}
      <h1>{a?.plotName ?? siteId}</h1>
      <Pending load={load} />
      {a && (
        <>
          <PlotCard a={a} villageId={villageId} />
          <Irrigations records={a.recentIrrigation} />
          {canRecord && (
            <IrrigationFormView villageId={villageId} siteId={siteId} today={a.date} onDone={load.reload} />
          )}
        </>
      )}
      <WeatherStrip villageId={villageId} today={a?.date ?? today} />
    </>
  );
}

function Irrigations({ records }: { records: IrrigationRecord[] }) {
  const { fmt } = entry.useUi();
  const t = useT();
  const date = useDate();
  const newest = newestFirst(records);
  return (
    <section class="section" aria-labelledby="h-irrigations">
      <h2 id="h-irrigations">{t('recentIrrigation')}</h2>
      {newest.length === 0 ? (
        <p class="muted">{t('noIrrigation')}</p>
      ) : (
        <ul class="plain rows" data-irrigations>
          {newest.map((r) => (
            <li key={r.id} class="row" data-irrigation-id={r.id}>
              <p class="row-head">
                <span>{date(r.date)}</span>
                <span>{fmt.value(r.mm, 'mm', 1)}</span>
              </p>
              {r.note && <p class="small muted">{r.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Recording what was watered: the date (today unless changed), the depth in millimetres and a note. The advice
 * is reloaded afterwards, since the water balance now counts it.
 */
function IrrigationFormView({
  villageId,
  siteId,
  today,
  onDone,
}: {
  villageId: string;
  siteId: string;
  today: string;
  onDone: () => void;
}) {
  const { api, fmt } = entry.useUi();
  const t = useT();
  const date = useDate();
  const empty: IrrigationForm = { date: today, mm: '', note: '' };
  const { form, setForm, set, done, setDone, busy, problem, setProblem, run } = useForm<
    IrrigationForm,
    { date: string; mm: number }
  >(empty);
  const submit = (e: Event) => {
    e.preventDefault();
    const req = irrigationRequest(form, today);
    if (!req.ok) {
      setProblem(t(`irrigation_${req.problem}`));
      return;
    }
    void run(async () => {
      const r = await api.post<IrrigationRecord>(plotPath(villageId, siteId, 'irrigation'), req.body);
      setDone({ date: r.date, mm: r.mm });
      setForm(empty);
      onDone();
    });
  };
  return (
    <section class="section" aria-labelledby="h-record">
      <h2 id="h-record">{t('recordTitle')}</h2>
      <form class="card form" onSubmit={submit} data-form="irrigation" noValidate>
        <Field
          id="irrigation-date"
          label={t('irrigationDate')}
          type="date"
          max={today}
          value={form.date}
          onValue={(d) => set({ date: d })}
        />
        <Field
          id="irrigation-mm"
          label={t('irrigationMm')}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          aria-describedby="irrigation-mm-hint"
          value={form.mm}
          onValue={(mm) => set({ mm })}
        >
          <span id="irrigation-mm-hint" class="hint small muted">
            {t('irrigationMmHint')}
          </span>
        </Field>
        <Field
          id="irrigation-note"
          label={t('irrigationNote')}
          type="text"
          maxLength={300}
          value={form.note}
          onValue={(note) => set({ note })}
        />
        <FormEnd
          problem={problem}
          done={done && t('irrigationSaved', { mm: fmt.value(done.mm, 'mm', 1), date: date(done.date) })}
          disabled={busy}
          label={t('recordButton')}
        />
      </form>
    </section>
  );
}
