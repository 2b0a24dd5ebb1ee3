import { createContext } from 'preact';
import { useContext, useEffect, useReducer } from 'preact/hooks';
import type { Api } from './api.ts';
import type { Session } from './auth.ts';
import { createFormatter, type Formatter } from './format.ts';
import { type Lang, type Translate, translator } from './i18n/index.ts';
import type { VillageData } from './village.ts';

export interface Ui {
  lang: Lang;
  t: Translate;
  fmt: Formatter;
  api: Api;
  /** The signed-in user (pages are shown only with one). */
  session: Session | undefined;
  /** Re-rendered every 30 s so "5 minutes ago" stays true. */
  now: number;
}

export const UiContext = createContext<Ui>({
  lang: 'id',
  t: translator('id'),
  fmt: createFormatter('id', 'Asia/Jakarta'),
  api: undefined as unknown as Api,
  session: undefined,
  now: 0,
});

export const useUi = (): Ui => useContext(UiContext);

/** Re-renders the component whenever the village's data changes. */
export function useVillage(data: VillageData): VillageData {
  const [, bump] = useReducer((n: number, _: undefined) => n + 1, 0);
  useEffect(() => data.subscribe(() => bump(undefined)), [data]);
  return data;
}
