/** @jsxImportSource . */
import type { LotStatus, ProducerRecord, ProductRecord } from '@lumbung/schemas';
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../../api.ts';
import type { MessageKey, Params } from '../../i18n/index.ts';
import { supplyEn } from '../../i18n/supply-en.ts';
import { type SupplyKey, supplyId } from '../../i18n/supply-id.ts';
import { expiryLevel, formatDuration, noonOf } from '../../supply.ts';
import { entry, getFile, saveFile, useEffect, useState } from './kit.tsx';

const SUPPLY = { id: supplyId, en: supplyEn } as const;

export type SupplyT = (key: SupplyKey | MessageKey, params?: Params) => string;

/** The supply pages' messages (their own catalogue, loaded with them), then the app's (shared words). */
export function useT(): SupplyT {
  const { lang, t } = entry.useUi();
  const own: Record<string, string> = SUPPLY[lang];
  return (key, params) => (key in own ? entry.fill(own[key]!, params) : t(key as MessageKey, params));
}

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

export type Load<T> = { value?: T; error?: ApiError; reload: () => void; set: (v: T) => void };

/**
 * Data of a page from the API: loading, then the value or the error (with a retry). A reload keeps the old value
 * on screen until the new one arrives.
 */
export function useLoad<T>(get: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Load<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setError(undefined);
    get(abort.signal).then(
      (v) => !abort.signal.aborted && setValue(() => v),
      (e: unknown) => !abort.signal.aborted && setError(entry.toApiError(e)),
    );
    return () => abort.abort();
  }, [...deps, attempt]);
  return { value, error, reload: () => setAttempt((n) => n + 1), set: (v) => setValue(() => v) };
}

/** The loading line or the error box while a value is not there. */
export function Pending<T>({ load }: { load: Load<T> }) {
  if (load.error) return <entry.ErrorBox error={load.error} onRetry={load.reload} />;
  if (load.value === undefined) return <entry.Loading />;
  return null;
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

/** A local date (YYYY-MM-DD) in the village's words: "15 Nov 2026". */
export function useDate(): (isoDate: string) => string {
  const { fmt } = entry.useUi();
  return (d) => fmt.date(noonOf(d));
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

/** A link that downloads a file of the API with the user's token (a plain link could not send it). */
export function FileLink({
  path,
  accept,
  name,
  children,
}: {
  path: string;
  accept: string;
  name: string;
  children: ComponentChildren;
}) {
  const { api, lang } = entry.useUi();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const click = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      saveFile(await getFile(api, lang, path, accept), name);
    } catch (err) {
      setProblem(t('actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <a href={`${entry.apiBase}${path}`} onClick={click} aria-busy={busy} download={name}>
        {children}
      </a>
      <entry.Problem text={problem} />
    </>
  );
}

export const unitLabel = (t: SupplyT, unit: string): string =>
  ['pack', 'pcs', 'kg', 'litre'].includes(unit) ? t(`unit_${unit}` as SupplyKey) : unit;
