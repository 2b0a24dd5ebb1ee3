/** @jsxImportSource . */
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
import { failure, Pending, useDate, useLoad } from '../farm/load.tsx';
import { entry, useState } from '../supply/kit.tsx';
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
  const [form, setForm] = useState<RecordForm>(empty('fuel'));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
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
  const set = (patch: Partial<RecordForm>) => {
    setForm({ ...form, ...patch });
    setDone(undefined);
  };
  const what = (kind: string, source: string) =>
    `${t(`kind_${kind}` as CsrKey)}: ${t(`source_${source}` as CsrKey) || source}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const req = recordRequest(form, today);
    if (!req.ok) {
      setProblem(t(`record_${req.problem}`));
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
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
    } catch (err) {
      setProblem(failure(t, err));
    } finally {
      setBusy(false);
    }
  };
  const unit = unitText(recordUnit(form.kind, form.source));
  const newest = [...(recent.value ?? [])].sort((a, b) => b.date.localeCompare(a.date) || b.createdAt - a.createdAt);
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
        <div class="field">
          <label for="record-quantity">{t('recordQuantity', { unit })}</label>
          <input
            id="record-quantity"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={form.quantity}
            onInput={(e) => set({ quantity: (e.currentTarget as HTMLInputElement).value })}
          />
        </div>
        <div class="field">
          <label for="record-date">{t('recordDate')}</label>
          <input
            id="record-date"
            type="date"
            max={today}
            value={form.date}
            onInput={(e) => set({ date: (e.currentTarget as HTMLInputElement).value })}
          />
        </div>
        <div class="field">
          <label for="record-note">{t('recordNote')}</label>
          <input
            id="record-note"
            type="text"
            maxLength={300}
            value={form.note}
            onInput={(e) => set({ note: (e.currentTarget as HTMLInputElement).value })}
          />
        </div>
        <entry.Problem text={problem} />
        {done && (
          <p class="okbox small" role="status">
            {done}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('recordButton')}
        </button>
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
