/** @jsxImportSource . */
import type { LotStatus, ProducerRecord, ProductRecord } from '@lumbung/schemas';
import { supplyEn } from '../../i18n/supply-en.ts';
import { type SupplyKey, supplyId } from '../../i18n/supply-id.ts';
import { expiryLevel, formatDuration } from '../../supply.ts';
import { entry, type OwnT, useDate, useLoad, useOwnT } from './kit.tsx';

const SUPPLY = { id: supplyId, en: supplyEn } as const;

export type SupplyT = OwnT<SupplyKey>;

/** The supply pages' messages (their own catalogue, loaded with them), then the app's (shared words). */
export const useT = (): SupplyT => useOwnT<SupplyKey>(SUPPLY);

/**
 * The words for an exposure reason code of the API (`temperature_excursion_long`, …: LotExposure.reasons and
 * the stock warnings); a code this version does not know is shown as it is.
 */
export function useReason(): (code: string) => string {
  const t = useT();
  return (code) => {
    const key = `exposureReason_${code}`;
    return key in supplyId ? t(key as SupplyKey) : code;
  };
}

/** The village's products and producers by id, for names (lines of stock and lots carry only ids). */
export interface Catalogue {
  products: Map<string, ProductRecord>;
  producers: Map<string, ProducerRecord>;
}

export function useCatalogue(villageId: string): Catalogue {
  const { api } = entry.useUi();
  const v = `/villages/${villageId}`;
  // Names only: without the catalogue the pages still show the ids.
  const load = useLoad(
    async (signal) => {
      const [products, producers] = await Promise.all([
        api.get<ProductRecord[]>(`${v}/products`, signal).catch(() => [] as ProductRecord[]),
        api.get<ProducerRecord[]>(`${v}/producers`, signal).catch(() => [] as ProducerRecord[]),
      ]);
      return { products: new Map(products.map((p) => [p.id, p])), producers: new Map(producers.map((p) => [p.id, p])) };
    },
    [api, v],
  );
  return load.value ?? { products: new Map(), producers: new Map() };
}

/** A product's name in the language (its English name when there is one). */
export function productName(c: Catalogue, id: string, lang: 'id' | 'en'): string {
  const p = c.products.get(id);
  return (lang === 'en' && p?.nameEn) || p?.name || id;
}

/** Whole local days from today to a date (negative once it is past), in the village's time zone. */
export function useDaysLeft(): (isoDate: string) => number {
  const { fmt, now } = entry.useUi();
  return (d) => -entry.daysSince(d, now || Date.now(), fmt.timeZone);
}

export function useDuration(): (ms: number) => string {
  const t = useT();
  return (ms) => formatDuration(ms, { d: t('unitDay'), h: t('unitHour'), m: t('unitMinute') });
}

/** "kedaluwarsa 20 Nov 2026 · 5 hari lagi", coloured by how near it is. */
export function Expiry({ date, warnDays }: { date: string; warnDays?: number }) {
  const t = useT();
  const day = useDate();
  const days = useDaysLeft()(date);
  const level = expiryLevel(days, warnDays);
  const left =
    days < 0 ? t('expiredDaysAgo', { n: -days }) : days === 0 ? t('expiresToday') : t('daysLeft', { n: days });
  return (
    <span class={`expiry expiry-${level}`} data-days-left={days}>
      {day(date)} · <strong>{left}</strong>
    </span>
  );
}

export function LotStatusBadge({ status }: { status: LotStatus }) {
  const t = useT();
  return <span class={`pill lot-${status}`}>{t(`lotStatus_${status}`)}</span>;
}

/** A bar of part against whole, with the numbers beside it (no chart library: a filled box). */
export function Bar({ label, value, whole, unit }: { label: string; value: number; whole: number; unit: string }) {
  const { fmt } = entry.useUi();
  const share = whole > 0 ? Math.min(1, Math.max(0, value / whole)) : 0;
  return (
    <div class="prog-row">
      <span class="prog-label">{label}</span>
      <span class="prog" aria-hidden="true">
        <span
          class={value >= whole && whole > 0 ? 'prog-fill full' : 'prog-fill'}
          style={{ width: `${share * 100}%` }}
        />
      </span>
      <span class="prog-value">
        {fmt.number(value)} / {fmt.value(whole, unit)}
      </span>
    </div>
  );
}

export const unitLabel = (t: SupplyT, unit: string): string =>
  ['pack', 'pcs', 'kg', 'litre'].includes(unit) ? t(`unit_${unit}` as SupplyKey) : unit;
