/** @jsxImportSource . */
import type { ComponentChildren } from 'preact';
import type * as hooks from 'preact/hooks';
import type * as preact from 'preact/jsx-runtime';
import type { API_BASE, Api, ApiError, qs, toApiError } from '../../api.ts';
import type { useUi, useVillage } from '../../context.ts';
import type { daysSince } from '../../format.ts';
import type { fill, Lang, MessageKey, Params } from '../../i18n/index.ts';
import type { metricLabel, siteReadings } from '../../metrics.ts';
import type { href } from '../../route.ts';
import type { limitsOf, outside, siteStatus } from '../../status.ts';
import type { ErrorBox, Loading, Problem, StatusDot } from '../../ui.tsx';
import type { LiveStatus, rangeText } from '../common.tsx';
import type { SiteDetails } from '../overview.tsx';
import { type JSX, setRuntime } from './jsx-runtime.tsx';

/**
 * What every lazily loaded chunk (the supply pages, the public trace page, the farm pages, the CSR page) uses of
 * the entry, handed over by the entry when it loads them (app.tsx). These chunks may not import any module of the
 * entry (types only): the entry is inlined into index.html and has no URL to import from (vite.config.ts fails the
 * build if a chunk imports it). Everything here is the entry's own object — the same Preact, hooks, context,
 * components and helpers — so nothing is written twice or bundled twice. Below `install`, the helpers the pages of
 * those chunks share, built on it: one module, so one small chunk that every one of them loads.
 */
export interface Kit {
  runtime: Pick<typeof preact, 'jsx' | 'jsxs' | 'Fragment'>;
  hooks: Pick<typeof hooks, 'useState' | 'useEffect' | 'useMemo' | 'useRef'>;
  useUi: typeof useUi;
  useVillage: typeof useVillage;
  ErrorBox: typeof ErrorBox;
  Loading: typeof Loading;
  Problem: typeof Problem;
  StatusDot: typeof StatusDot;
  LiveStatus: typeof LiveStatus;
  SiteDetails: typeof SiteDetails;
  rangeText: typeof rangeText;
  href: typeof href;
  qs: typeof qs;
  Api: typeof Api;
  toApiError: typeof toApiError;
  apiBase: typeof API_BASE;
  daysSince: typeof daysSince;
  fill: typeof fill;
  metricLabel: typeof metricLabel;
  siteReadings: typeof siteReadings;
  limitsOf: typeof limitsOf;
  outside: typeof outside;
  siteStatus: typeof siteStatus;
}

// Live bindings: set once by install(), read by the components at render time (never at module load).
export let useState: Kit['hooks']['useState'];
export let useEffect: Kit['hooks']['useEffect'];
export let useMemo: Kit['hooks']['useMemo'];
export let useRef: Kit['hooks']['useRef'];
export let entry: Kit;

/** Called by the entry right after it imported a chunk, before rendering any of its components. */
export function install(kit: Kit): void {
  setRuntime(kit.runtime);
  ({ useState, useEffect, useMemo, useRef } = kit.hooks);
  entry = kit;
}

/** A chunk's own messages first (its catalogue, loaded with it), then the app's shared words. */
export type OwnT<K extends string> = (key: K | MessageKey, params?: Params) => string;

export function useOwnT<K extends string>(catalogues: Record<Lang, Record<K, string>>): OwnT<K> {
  const { lang, t } = entry.useUi();
  const own: Record<string, string> = catalogues[lang];
  return (key, params) => (key in own ? entry.fill(own[key]!, params) : t(key as MessageKey, params));
}

export type Load<T> = { value?: T; error?: ApiError; reload: () => void; set: (v: T) => void };

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
  return { value, error, reload: () => setAttempt((n) => n + 1), set: (v) => setValue(() => v) };
}

/** The loading line or the error box while a value is not there. */
export function Pending<T>({ load }: { load: Load<T> }) {
  if (load.error) return <entry.ErrorBox error={load.error} onRetry={load.reload} />;
  if (load.value === undefined) return <entry.Loading />;
  return null;
}

/**
 * A local date (YYYY-MM-DD) as its noon UTC: the same date in every zone of Indonesia. The same as supply.ts's
 * (tested there), which this module does not import: that would load all of supply.ts with every chunk.
 */
const noonOf = (isoDate: string): number => Date.parse(`${isoDate}T12:00:00Z`);

/** A local date in the village's words: "15 Nov 2026". */
export function useDate(): (isoDate: string) => string {
  const { fmt } = entry.useUi();
  return (d) => fmt.date(noonOf(d));
}

/** Records of a day (irrigation, eco records) newest first: by their day, then by when they were entered. */
export const newestFirst = <R extends { date: string; createdAt: number }>(records: R[]): R[] =>
  [...records].sort((a, b) => b.date.localeCompare(a.date) || b.createdAt - a.createdAt);

/**
 * What a form or a button sends to the API: `run` marks it busy (a second one meanwhile is ignored) and shows its
 * failure in the API's words as `problem`, which a form's own checks set too.
 */
export function useAction() {
  const { t } = entry.useUi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const run = async (send: () => Promise<unknown>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await send();
    } catch (err) {
      setProblem(t('actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, run };
}

/**
 * A form's fields, what was saved last (`done`, hidden again by the next change: `set`), and its request
 * (useAction).
 */
export function useForm<F, D>(empty: F) {
  const [form, setForm] = useState<F>(empty);
  const [done, setDone] = useState<D | undefined>(undefined);
  const set = (patch: Partial<F>) => {
    setForm({ ...form, ...patch });
    setDone(undefined);
  };
  return { form, setForm, set, done, setDone, ...useAction() };
}

/** A labelled text, number or date input of a form; `children` come after it (a hint, a datalist, a check). */
export function Field({
  id,
  label,
  onValue,
  children,
  ...input
}: Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'label' | 'onInput'> & {
  id: string;
  label: string;
  onValue: (value: string) => void;
  children?: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} {...input} onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)} />
      {children}
    </div>
  );
}

/**
 * The end of a form: its problem, the line saying what was saved (`warn`: a warning's colours), and its submit
 * button, off while busy.
 */
export function FormEnd({
  problem,
  done,
  warn,
  disabled,
  label,
}: {
  problem: string | undefined;
  done: ComponentChildren;
  warn?: boolean;
  disabled: boolean;
  label: string;
}) {
  return (
    <>
      <entry.Problem text={problem} />
      {done && (
        <p class={warn ? 'warnbox small' : 'okbox small'} role="status">
          {done}
        </p>
      )}
      <button type="submit" disabled={disabled}>
        {label}
      </button>
    </>
  );
}

/**
 * A link that downloads a file of the API with the user's token (a plain link could not send it) and saves it under
 * `name`: the dispatch note, the EPCIS document, a CSR report's PDF and CSV.
 */
export function FileLink({
  path,
  accept,
  name,
  class: className,
  children,
}: {
  path: string;
  accept: string;
  name: string;
  class?: string;
  children: ComponentChildren;
}) {
  const { api } = entry.useUi();
  const { busy, problem, run } = useAction();
  const click = (e: Event) => {
    e.preventDefault();
    void run(async () => saveFile(await api.file(path, accept), name));
  };
  return (
    <>
      <a class={className} href={`${entry.apiBase}${path}`} onClick={click} aria-busy={busy} download={name}>
        {children}
      </a>
      <entry.Problem text={problem} />
    </>
  );
}

/** Saves a Blob under a file name (the browser's download), then frees its URL. */
function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
