/** @jsxImportSource ../supply */
import { lastDay, type Period } from '../../csr.ts';
import { csrEn } from '../../i18n/csr-en.ts';
import { type CsrKey, csrId } from '../../i18n/csr-id.ts';
import { type OwnT, useDate, useOwnT } from '../supply/kit.tsx';

export type CsrT = OwnT<CsrKey>;
const CSR = { id: csrId, en: csrEn } as const;

/** The page's words (csr-id.ts / csr-en.ts, loaded with it), then the app's. */
export const useT = (): CsrT => useOwnT<CsrKey>(CSR);

/** "1 Okt 2026 – 31 Okt 2026": a period by its first and last day (its `to` is the day after). */
export function usePeriodText(): (p: Period) => string {
  const t = useT();
  const date = useDate();
  return (p) => t('periodRange', { from: date(p.from), to: date(lastDay(p)) });
}
