/** @jsxImportSource . */
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../../api.ts';
import type { Lang, MessageKey, Params } from '../../i18n/index.ts';
import { entry, getFile, saveFile, useEffect, useState } from '../supply/kit.tsx';

/**
 * What the farm and CSR chunks share: data from the API with its loading and error states, their own words,
 * and a download with the token. Not pages/supply/common.tsx: importing it would load the supply pages'
 * catalogue with these pages.
 */

export type OwnT<K extends string> = (key: K | MessageKey, params?: Params) => string;

/** A page's own messages first (its catalogue, loaded with it), then the app's shared words. */
export function useOwnT<K extends string>(catalogues: Record<Lang, Record<K, string>>): OwnT<K> {
  const { lang, t } = entry.useUi();
  const own: Record<string, string> = catalogues[lang];
  return (key, params) => (key in own ? entry.fill(own[key]!, params) : t(key as MessageKey, params));
}

export type Load<T> = { value?: T; error?: ApiError; reload: () => void };

/**
 * Data of a page from the API: loading, then the value or the error (with a retry). A reload keeps the old value
 * on screen until the new one arrives. `get` returning undefined means nothing to load yet.
 */
export function useLoad<T>(get: (signal: AbortSignal) => Promise<T> | undefined, deps: unknown[]): Load<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setError(undefined);
    get(abort.signal)?.then(
      (v) => !abort.signal.aborted && setValue(() => v),
      (e: unknown) => !abort.signal.aborted && setError(entry.toApiError(e)),
    );
    return () => abort.abort();
  }, [...deps, attempt]);
  return { value, error, reload: () => setAttempt((n) => n + 1) };
}

/** The loading line or the error box while a value is not there. */
export function Pending<T>({ load }: { load: Load<T> }) {
  if (load.error) return <entry.ErrorBox error={load.error} onRetry={load.reload} />;
  if (load.value === undefined) return <entry.Loading />;
  return null;
}

/** A local date (YYYY-MM-DD) as its noon UTC: the same date in every zone of Indonesia. */
export const noonOf = (isoDate: string): number => Date.parse(`${isoDate}T12:00:00Z`);

/** A local date in the village's words: "15 Nov 2026". */
export function useDate(): (isoDate: string) => string {
  const { fmt } = entry.useUi();
  return (d) => fmt.date(noonOf(d));
}

/** Failures of a form or a button in the API's words. */
export const failure = (t: OwnT<never>, err: unknown): string =>
  t('actionFailed', { message: err instanceof Error ? err.message : String(err) });

/**
 * A button that downloads a file of the API with the user's token (a link could not send it) and saves it under
 * `name`, as the dispatch note of the supply pages.
 */
export function Download({
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
  const { api, lang, t } = entry.useUi();
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
      setProblem(failure(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <a class="btn secondary" href={`${entry.apiBase}${path}`} onClick={click} aria-busy={busy} download={name}>
        {children}
      </a>
      <entry.Problem text={problem} />
    </>
  );
}
