import type * as hooks from 'preact/hooks';
import type * as preact from 'preact/jsx-runtime';
import type { API_BASE, Api, ApiError, qs, readResponse, toApiError } from '../../api.ts';
import type { useUi, useVillage } from '../../context.ts';
import type { daysSince } from '../../format.ts';
import type { fill, Lang } from '../../i18n/index.ts';
import type { metricLabel, siteReadings } from '../../metrics.ts';
import type { href } from '../../route.ts';
import type { limitsOf, outside, siteStatus } from '../../status.ts';
import type { ErrorBox, Loading, Problem, StatusDot } from '../../ui.tsx';
import type { LiveStatus, rangeText } from '../common.tsx';
import type { SiteDetails } from '../overview.tsx';
import { setRuntime } from './jsx-runtime.tsx';

/**
 * What the supply-chain chunks use of the entry, handed over by the entry when it loads them (app.tsx). These
 * chunks may not import any module of the entry (types only): the entry is inlined into index.html and has no
 * URL to import from (vite.config.ts fails the build if a chunk imports it). Everything here is the entry's own
 * object — the same Preact, hooks, context, components and helpers — so nothing is written twice or bundled twice.
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
  ApiError: typeof ApiError;
  toApiError: typeof toApiError;
  readResponse: typeof readResponse;
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

/** Called by the entry right after it imported a supply chunk, before rendering any of its components. */
export function install(kit: Kit): void {
  setRuntime(kit.runtime);
  ({ useState, useEffect, useMemo, useRef } = kit.hooks);
  entry = kit;
}

type Method = 'GET' | 'POST' | 'PUT';

/**
 * A request with the signed-in user's token, for what `Api` (get and post of JSON) does not offer: PUT, and
 * answers that are files (the QR code's SVG, the EPCIS document, the dispatch note's PDF), which links cannot
 * fetch because the API wants the token in the Authorization header. Like `Api`, a 401 gets one refresh (shared
 * with every other request refused meanwhile) and one retry.
 */
export async function send(
  api: Api,
  lang: Lang,
  method: Method,
  path: string,
  body?: unknown,
  accept = 'application/json',
): Promise<Response> {
  const make = async (token: string | undefined) => {
    const headers: Record<string, string> = { Accept: accept, 'Accept-Language': lang };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(entry.apiBase + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new entry.ApiError('NETWORK', String(err), 0);
    }
  };
  const used = await api.auth?.token();
  let r = await make(used);
  if (r.status === 401 && api.auth?.session) {
    const s = await api.auth.renew(used);
    if (s) r = await make(s.accessToken);
  }
  return r;
}

/** PUT of JSON; an error answer becomes an ApiError with the API's code and message. */
export const put = async <T,>(api: Api, lang: Lang, path: string, body: unknown): Promise<T> =>
  entry.readResponse<T>(await send(api, lang, 'PUT', path, body));

/** A file the API serves (SVG, JSON-LD, PDF) as a Blob; an error answer becomes an ApiError. */
export async function getFile(api: Api, lang: Lang, path: string, accept: string): Promise<Blob> {
  const r = await send(api, lang, 'GET', path, undefined, accept);
  if (!r.ok) await entry.readResponse(r);
  return r.blob();
}

/** Saves a Blob under a file name (the browser's download), then frees its URL. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
