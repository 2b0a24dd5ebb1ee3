/** @jsxImportSource . */
import type { InspectionRecord, LotRecord, SamplingPlanView } from '@lumbung/schemas';
import { useT } from './common.tsx';
import { entry, Field, FormEnd, Pending, useAction, useLoad, useState } from './kit.tsx';

/**
 * Records a quality inspection of a lot. The sampling plan for the lot's size is shown first (how many items to
 * take and how many defects are allowed), so the inspector draws the right sample before counting defects; the
 * cloud decides the result from the same plan, and a non-conformant lot goes on hold.
 */
export function InspectionForm({
  villageId,
  lot,
  aql,
  onDone,
}: {
  villageId: string;
  lot: Pick<LotRecord, 'id' | 'quantity'>;
  /** The product's AQL, if known (the cloud uses it by default). */
  aql: number | undefined;
  onDone: (r: InspectionRecord) => void;
}) {
  const t = useT();
  const { api, fmt } = entry.useUi();
  const v = `/villages/${villageId}`;
  const plan = useLoad(
    (signal) => api.get<SamplingPlanView>(`${v}/sampling-plan${entry.qs({ lotSize: lot.quantity, aql })}`, signal),
    [api, v, lot.quantity, aql],
  );
  const [defects, setDefects] = useState('');
  const [notes, setNotes] = useState('');
  const { busy, problem, setProblem, run } = useAction();
  const [result, setResult] = useState<InspectionRecord | undefined>(undefined);
  const n = defects.trim() === '' ? Number.NaN : Number(defects);
  const valid = Number.isInteger(n) && n >= 0;
  const p = plan.value;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!valid) {
      setProblem(t('defectsInvalid'));
      return;
    }
    void run(async () => {
      const rec = await api.post<InspectionRecord>(`${v}/lots/${encodeURIComponent(lot.id)}/inspections`, {
        defects: n,
        notes: notes.trim() || null,
        ...(aql !== undefined ? { aql } : {}),
      });
      setResult(rec);
      setDefects('');
      setNotes('');
      onDone(rec);
    });
  };
  return (
    <form class="card form" onSubmit={submit} data-form="inspection">
      <h3>{t('inspectLot', { lot: lot.id })}</h3>
      {!p && <Pending load={plan} />}
      {p && (
        <div class="plan" data-sample-size={p.sampleSize}>
          <p class="small muted">
            {t('planBasis', { level: p.level, aql: fmt.number(p.aql), lotSize: fmt.number(p.lotSize) })}
          </p>
          <p>
            <strong>
              {p.wholeLot
                ? t('planWholeLot', { n: fmt.number(p.sampleSize) })
                : t('planSample', { n: fmt.number(p.sampleSize), letter: p.codeLetter })}
            </strong>
          </p>
          <p class="small">{t('planAccept', { ac: p.acceptNumber, re: p.rejectNumber })}</p>
        </div>
      )}
      <Field
        id={`defects-${lot.id}`}
        label={t('defects')}
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        value={defects}
        onValue={(value) => {
          setDefects(value);
          setResult(undefined);
        }}
      >
        {p && valid && (
          <p class={n <= p.acceptNumber ? 'small ok' : 'small late'} role="status">
            {n <= p.acceptNumber ? t('willAccept') : t('willReject')}
          </p>
        )}
      </Field>
      <Field id={`notes-${lot.id}`} label={t('notesOptional')} type="text" value={notes} onValue={setNotes} />
      <FormEnd
        problem={problem}
        done={result && (result.result === 'conformant' ? t('inspectionPassed') : t('inspectionFailed'))}
        warn={result?.result !== 'conformant'}
        disabled={busy || !p}
        label={t('recordInspection')}
      />
    </form>
  );
}
