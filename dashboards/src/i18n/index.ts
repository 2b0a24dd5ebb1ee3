import { en } from './en.ts';
import { id } from './id.ts';

export type Lang = 'id' | 'en';
export type MessageKey = keyof typeof id;
export type Catalogue = Record<MessageKey, string>;

export const LANGS: readonly Lang[] = ['id', 'en'];
export const CATALOGUES: Record<Lang, Catalogue> = { id, en };
/** BCP 47 locales for Intl: Indonesian, and British English (day before month, 24-hour clock as in Indonesia). */
export const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
export const LANG_STORAGE_KEY = 'lumbung.lang';

export type Params = Record<string, string | number>;

/** A text with its {placeholders} filled; a missing parameter stays visible as {name}. */
export function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A message with its {placeholders} filled; a missing parameter stays visible as {name}. */
export const translate = (lang: Lang, key: MessageKey, params?: Params): string => fill(CATALOGUES[lang][key], params);

export type Translate = (key: MessageKey, params?: Params) => string;

export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    translate(lang, key, params);

/** Bahasa Indonesia unless the user chose English before (the same rule runs inline in index.html). */
export function storedLang(storage: Pick<Storage, 'getItem'> | undefined): Lang {
  try {
    return storage?.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** The placeholders a message uses, sorted: both languages must use the same ones. */
export const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
