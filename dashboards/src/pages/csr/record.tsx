/** @jsxImportSource ../supply */
import type { EcoRecord } from '@lumbung/schemas';
import {
  addDays,
  RECORD_KINDS,
  RECORD_SOURCES,
  type RecordForm,
  type RecordKind,
  recordRequest,
  recordUnit,
} from '../../csr.ts';
import type { CsrKey } from '../../i18n/csr-id.ts';
import { entry, Field, FormEnd, newestFirst, Pending, useDate, useForm, useLoad } from '../supply/kit.tsx';
import { useT } from './common.tsx';

/** How far back the list of recent records reaches. */
const RECENT_DAYS = 92;
/** m³ as people write it; the API's unit code is `m3`. */
const unitText = (u: string): string => (u === 'm3' ? 'm³' : u);

/**
 * A figure no meter measures (a fuel receipt, a weighed waste bag, a solar inverter's monthly total, water from an
 * unmetered source), for village admins and packing-house staff (`indicator.record`), and the recent ones for
 * those who may read them (`indicator.read`: the list is refused to packing-house staff).
 */
export function RecordSection({ villageId, today, canList }: { villageId: string; today: string; canList: boolean }) {
  const { api, fmt } = entry.useUi();
  const t = useT();
  const date = useDate();
  const base = `/villages/${villageId}/eco/records`;
  const empty = (kind: RecordKind): RecordForm => ({
    date: today,
    kind,
    source: RECORD_SOURCES[kind][0],
    quantity: '',
    note: '',
  });
  const { form, setForm, set, done, setDone, busy, problem, setProblem, run } = useForm<RecordForm, string>(
    empty('fuel'),
  );
  const recent = useLoad(
    (signal) =>
      canList
        ? api.get<EcoRecord[]>(
            `${base}${entry.qs({ from: addDays(today, -RECENT_DAYS), to: addDays(today, 1) })}`,
            signal,
          )
        : undefined,
    [api, base, today, canList],
  );
  const what = (kind: string, source: string) =>
    `${t(`kind_${kind}` as CsrKey)}: ${t(`source_${source}` as CsrKey) || source}`;
  const submit = (e: Event) => {
    e.preventDefault();
    const req = recordRequest(form, today);
    if (!req.ok) {
      setProblem(t(`record_${req.problem}`));
      return;
    }
    void run(async () => {
      const r = await api.post<EcoRecord>(base, req.body);
      setDone(
        t('recordSaved', {
          what: what(r.kind, r.source),
          quantity: fmt.value(r.quantity, unitText(recordUnit(r.kind as RecordKind, r.source))),
          date: date(r.date),
        }),
      );
      setForm(empty(form.kind));
      recent.reload();
    });
  };
  const unit = unitText(recordUnit(form.kind, form.source));
  const newest = newestFirst(recent.value ?? []);
  return (
    <section class="section" aria-labelledby="h-record">
      <h2 id="h-record">{t('recordTitle')}</h2>
      <p class="small muted">{t('recordIntro')}</p>
      <form class="card form" onSubmit={submit} data-form="eco-record" noValidate>
        <fieldset class="choice">
          <legend>{t('recordKind')}</legend>
          {RECORD_KINDS.map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="record-kind"
                checked={form.kind === k}
                onChange={() => set({ kind: k, source: RECORD_SOURCES[k][0] })}
              />{' '}
              {t(`kind_${k}`)}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="record-source">{t('recordSource')}</label>
          <select
            id="record-source"
            value={form.source}
            onChange={(e) => set({ source: (e.currentTarget as HTMLSelectElement).value })}
          >
            {RECORD_SOURCES[form.kind].map((s) => (
              <option key={s} value={s}>
                {t(`source_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="record-quantity"
          label={t('recordQuantity', { unit })}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={form.quantity}
          onValue={(quantity) => set({ quantity })}
        />
        <Field
          id="record-date"
          label={t('recordDate')}
          type="date"
          max={today}
          value={form.date}
          onValue={(date) => set({ date })}
        />
        <Field
          id="record-note"
          label={t('recordNote')}
          type="text"
          maxLength={300}
          value={form.note}
          onValue={(note) => set({ note })}
        />
        <FormEnd problem={problem} done={done} disabled={busy} label={t('recordButton')} />
      </form>
      {canList && <h3 class="section">{t('recentRecords')}</h3>}
      {canList && <Pending load={recent} />}
      {recent.value && newest.length === 0 && <p class="muted">{t('noRecords')}</p>}
      {newest.length > 0 && (
        <ul class="plain rows" data-records>
          {newest.slice(0, 10).map((r) => (
            <li key={r.id} class="row" data-record-id={r.id}>
              <p class="row-head">
                <span>{what(r.kind, r.source)}</span>
                <span>{fmt.value(r.quantity, unitText(recordUnit(r.kind as RecordKind, r.source)))}</span>
              </p>
              <p class="small muted">
                {date(r.date)}
                {r.note ? ` · ${r.note}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
