import type { AllowedRange } from '@lumbung/schemas';
import { useUi, useVillage } from '../context.ts';
import type { Formatter } from '../format.ts';
import type { Translate } from '../i18n/index.ts';
import type { VillageData } from '../village.ts';

/** "10–15 °C", "≤ 70%" */
export function rangeText(t: Translate, fmt: Formatter, r: AllowedRange, unit: string): string {
  if (r.min !== undefined && r.max !== undefined) return `${fmt.number(r.min)}–${fmt.value(r.max, unit)}`;
  if (r.max !== undefined) return t('atMost', { max: fmt.value(r.max, unit) });
  if (r.min !== undefined) return t('atLeast', { min: fmt.value(r.min, unit) });
  return '';
}

/** Whether the stream is live, and when data last arrived. */
export function LiveStatus({ data }: { data: VillageData }) {
  const { t, fmt } = useUi();
  useVillage(data);
  const label =
    data.stream === 'live' ? t('streamLive') : data.stream === 'lost' ? t('streamLost') : t('streamConnecting');
  return (
    <span class={`live live-${data.stream}`} role="status">
      <span class="dot" aria-hidden="true" />
      {label}
      {data.updatedAt > 0 && ` · ${t('updatedAt', { time: fmt.time(data.updatedAt) })}`}
    </span>
  );
}
