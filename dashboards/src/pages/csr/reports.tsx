/** @jsxImportSource ../supply */
import type { CsrReportSummary } from '@lumbung/schemas';
import { type IndicatorItem, type Period, reportFileName, sortReports } from '../../csr.ts';
import { entry, FileLink, FormEnd, Pending, useAction, useLoad, useState } from '../supply/kit.tsx';
import { usePeriodText, useT } from './common.tsx';
import { useValue } from './indicators.tsx';

/**
 * The village's CSR reports, newest first, each with its PDF and CSV (fetched with the token and saved, as the
 * dispatch note of the supply pages), and a button that makes the report of the period chosen above.
 */
export function Reports({
  villageId,
  period,
  labels,
}: {
  villageId: string;
  period: Period;
  /** The indicators' names by key, for the few figures a report lists (the list carries keys only). */
  labels: Map<string, IndicatorItem>;
}) {
  const { api, lang, fmt, now } = entry.useUi();
  const t = useT();
  const periodText = usePeriodText();
  const value = useValue();
  const base = `/villages/${villageId}/csr/reports`;
  const load = useLoad((signal) => api.get<CsrReportSummary[]>(base, signal), [api, base]);
  const { busy, problem, run } = useAction();
  const [made, setMade] = useState<string | undefined>(undefined);
  const generate = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setMade(undefined);
      const r = await api.post<CsrReportSummary>(base, { from: period.from, to: period.to });
      setMade(periodText(r));
      load.reload();
    });
  };
  return (
    <section class="section" aria-labelledby="h-reports">
      <h2 id="h-reports">{t('reportsTitle')}</h2>
      <form class="card form" onSubmit={generate} data-form="report">
        <p class="small muted">{t('generateIntro')}</p>
        <FormEnd
          problem={problem}
          done={made && t('generated', { period: made })}
          disabled={busy}
          label={t('generate', { period: periodText(period) })}
        />
      </form>
      <Pending load={load} />
      {load.value?.length === 0 && <p class="muted">{t('noReports')}</p>}
      {load.value && load.value.length > 0 && (
        <ul class="plain rows" data-reports>
          {sortReports(load.value).map((r) => (
            <li key={r.id} class="row" data-report-id={r.id}>
              <p class="row-head">
                <span>{periodText(r)}</span>
                <span class="pill">{t(`trigger_${r.trigger}`)}</span>
              </p>
              <p class="small muted">
                {[r.partnerName, r.programmeName].filter(Boolean).join(' · ')}
                {r.partnerName || r.programmeName ? ' · ' : ''}
                {t('generatedAt', { time: fmt.dateTime(r.generatedAt, now) })}
              </p>
              {r.headline.length > 0 && (
                <ul class="small reasons">
                  {r.headline.map((h) => {
                    const i = labels.get(h.key);
                    const name = i ? (lang === 'en' ? i.labelEn : i.labelId) : h.key;
                    return (
                      <li key={h.key}>
                        {name}: <strong>{value(h.value, h.unit, i?.decimals ?? 1)}</strong>
                        {h.changePct !== null &&
                          ` (${h.changePct > 0 ? '▲' : h.changePct < 0 ? '▼' : ''}${fmt.number(Math.abs(h.changePct), 1)}%)`}
                      </li>
                    );
                  })}
                </ul>
              )}
              <div class="actions">
                <FileLink
                  class="btn secondary"
                  path={`${base}/${encodeURIComponent(r.id)}/report.pdf`}
                  accept="application/pdf"
                  name={reportFileName(r, 'pdf')}
                >
                  {t('downloadPdf')}
                </FileLink>
                <FileLink
                  class="btn secondary"
                  path={`${base}/${encodeURIComponent(r.id)}/report.csv`}
                  accept="text/csv"
                  name={reportFileName(r, 'csv')}
                >
                  {t('downloadCsv')}
                </FileLink>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
