/** @jsxImportSource ../supply */
import { groupIndicators, type IndicatorItem, type IndicatorRow, type IndicatorSet, type Period } from '../../csr.ts';
import { type CsrKey, csrId } from '../../i18n/csr-id.ts';
import { entry, type Load, Pending } from '../supply/kit.tsx';
import { type CsrT, usePeriodText, useT } from './common.tsx';

/** Units the API writes as words (counts) or as a currency; the rest are symbols, the same in both languages. */
const WORD_UNITS = new Set(['producers', 'lots']);

/** An indicator's value with its unit, to the decimals the API asks for ("1.234,5 kWh", "Rp 12.500.000", "12 produsen"). */
export function useValue(): (value: number | null, unit: string, decimals: number) => string {
  const { fmt } = entry.useUi();
  const t = useT();
  return (value, unit, decimals) => {
    if (value === null) return t('noValue');
    if (unit === 'IDR') return `${t('unit_IDR')} ${fmt.number(value, 0)}`;
    if (WORD_UNITS.has(unit)) return `${fmt.number(value, decimals)} ${t(`unit_${unit}` as CsrKey)}`;
    return fmt.value(value, unit, decimals);
  };
}

/** "▲ 12,5% dari periode sebelumnya (1.100 kWh)", or why there is no comparison. */
function changeText(t: CsrT, row: IndicatorRow, pct: (n: number) => string, previous: string): string {
  if (row.change === null) return t('changeNone');
  if (row.pct === null) return row.change === 0 ? t('changeSame') : t('changeFromZero');
  if (Math.abs(row.pct) < 0.05) return t('changeSame');
  return t(row.pct > 0 ? 'changeUp' : 'changeDown', { pct: pct(Math.abs(row.pct)), previous });
}

/**
 * The indicators of the period grouped (energy, water, emissions, production, programme), each with its value,
 * its GRI disclosures, its change against the previous period, and how it was computed behind a toggle.
 */
export function Indicators({
  period,
  previous,
  current,
  before,
}: {
  period: Period;
  previous: Period;
  current: Load<IndicatorSet>;
  before: Load<IndicatorSet | null>;
}) {
  const { lang } = entry.useUi();
  const t = useT();
  const periodText = usePeriodText();
  if (!current.value || current.error) return <Pending load={current} />;
  const set = current.value;
  const groups = groupIndicators(set.items, before.value?.items);
  return (
    <div data-indicators data-from={period.from} data-to={period.to}>
      {before.value && <p class="small muted">{t('comparedWith', { period: periodText(previous) })}</p>}
      {groups.map((g) => (
        <section key={g.group} class="section" aria-labelledby={`h-group-${g.group}`} data-group={g.group}>
          <h2 id={`h-group-${g.group}`}>{t(`group_${g.group}`)}</h2>
          <ul class="plain rows">
            {g.rows.map((r) => (
              <Row key={r.item.key} row={r} />
            ))}
          </ul>
        </section>
      ))}
      {set.notes.length > 0 && (
        <section class="section" aria-labelledby="h-notes">
          <h2 id="h-notes">{t('notesTitle')}</h2>
          <ul class="small reasons">
            {set.notes.map((n) => (
              <li key={n.en}>{n[lang]}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

const label = (i: IndicatorItem, lang: 'id' | 'en') => (lang === 'en' ? i.labelEn : i.labelId);

function Row({ row }: { row: IndicatorRow }) {
  const { lang, fmt } = entry.useUi();
  const t = useT();
  const value = useValue();
  const i = row.item;
  const pct = (n: number) => `${fmt.number(n, 1)}%`;
  return (
    <li class="row ind" data-indicator={i.key} data-value={i.value ?? ''}>
      <p class="row-head">
        <span>{label(i, lang)}</span>
        <strong class="ind-value">{value(i.value, i.unit, i.decimals)}</strong>
      </p>
      <p class="small ind-meta">
        {i.gri.map((g) => (
          <span key={g} class="pill gri">
            GRI {g}
          </span>
        ))}{' '}
        <span class="muted" data-change={row.pct ?? ''}>
          {changeText(t, row, pct, value(row.previous, i.unit, i.decimals))}
        </span>
      </p>
      <details class="small">
        <summary>{t('details')}</summary>
        <p>{lang === 'en' ? i.method : i.methodId}</p>
        {i.reason && <p>{t('why', { reason: i.reason[lang] })}</p>}
        {/* A flag the API adds later is shown as its code. */}
        {i.flags.length > 0 && (
          <p class="pills">
            {i.flags.map((f) => (
              <span key={f} class="pill" data-flag={f}>
                {`flag_${f}` in csrId ? t(`flag_${f}` as CsrKey) : f}
              </span>
            ))}
          </p>
        )}
        {i.factorIds.length > 0 && <p class="muted">{t('factors', { ids: i.factorIds.join(', ') })}</p>}
      </details>
    </li>
  );
}
