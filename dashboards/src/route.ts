/**
 * Hash routes (#/v/kel-taman/site/sawah-a): the cloud serves one index.html at `/` and needs no fallback for
 * deep links.
 */
export type Route =
  | { page: 'villages' }
  | { page: 'overview'; villageId: string }
  | { page: 'site'; villageId: string; siteId: string }
  | { page: 'devices'; villageId: string }
  | { page: 'alerts'; villageId: string }
  | { page: 'orders'; villageId: string }
  | { page: 'order'; villageId: string; orderId: string }
  | { page: 'stock'; villageId: string }
  | { page: 'lots'; villageId: string }
  | { page: 'lot'; villageId: string; lotId: string }
  | { page: 'trace'; villageId: string; lotId: string }
  | { page: 'farm'; villageId: string }
  | { page: 'plot'; villageId: string; siteId: string }
  | { page: 'csr'; villageId: string }
  | { page: 'notFound' };

/** The supply-chain pages of a village (issue 5): loaded lazily, shown to the roles with `supply.read`. */
export type SupplyRoute = Extract<Route, { page: 'orders' | 'order' | 'stock' | 'lots' | 'lot' }>;
const SUPPLY_PAGES: readonly string[] = ['orders', 'order', 'stock', 'lots', 'lot'];
export const isSupplyRoute = (r: Route): r is SupplyRoute => SUPPLY_PAGES.includes(r.page);

/** The farmer's pages (issue 6): the plots' advice, and one plot with its irrigation form. */
export type FarmRoute = Extract<Route, { page: 'farm' | 'plot' }>;
export const isFarmRoute = (r: Route): r is FarmRoute => r.page === 'farm' || r.page === 'plot';

const ID = '([a-z0-9][a-z0-9_-]{0,63})';
/** A lot code (LotCode of @lumbung/schemas: GS1 AI 10, at most 20 characters). */
const LOT = '([A-Z0-9][A-Z0-9-]{0,19})';
const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/?$/, () => ({ page: 'villages' })],
  [new RegExp(`^/v/${ID}/?$`), (m) => ({ page: 'overview', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/site/${ID}/?$`), (m) => ({ page: 'site', villageId: m[1]!, siteId: m[2]! })],
  [new RegExp(`^/v/${ID}/devices/?$`), (m) => ({ page: 'devices', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/alerts/?$`), (m) => ({ page: 'alerts', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/orders/?$`), (m) => ({ page: 'orders', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/order/${ID}/?$`), (m) => ({ page: 'order', villageId: m[1]!, orderId: m[2]! })],
  [new RegExp(`^/v/${ID}/stock/?$`), (m) => ({ page: 'stock', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/lots/?$`), (m) => ({ page: 'lots', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/lot/${LOT}/?$`), (m) => ({ page: 'lot', villageId: m[1]!, lotId: m[2]! })],
  [new RegExp(`^/trace/${ID}/${LOT}/?$`), (m) => ({ page: 'trace', villageId: m[1]!, lotId: m[2]! })],
  [new RegExp(`^/v/${ID}/farm/?$`), (m) => ({ page: 'farm', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/farm/${ID}/?$`), (m) => ({ page: 'plot', villageId: m[1]!, siteId: m[2]! })],
  [new RegExp(`^/v/${ID}/csr/?$`), (m) => ({ page: 'csr', villageId: m[1]! })],
];

export function parseRoute(hash: string): Route {
  const path = decodeURIComponent(hash.replace(/^#/, '').split('?')[0] ?? '');
  for (const [re, make] of PATTERNS) {
    const m = re.exec(path);
    if (m) return make(m);
  }
  return { page: 'notFound' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'villages':
      return '#/';
    case 'overview':
      return `#/v/${route.villageId}`;
    case 'site':
      return `#/v/${route.villageId}/site/${route.siteId}`;
    case 'devices':
      return `#/v/${route.villageId}/devices`;
    case 'alerts':
      return `#/v/${route.villageId}/alerts`;
    case 'orders':
      return `#/v/${route.villageId}/orders`;
    case 'order':
      return `#/v/${route.villageId}/order/${route.orderId}`;
    case 'stock':
      return `#/v/${route.villageId}/stock`;
    case 'lots':
      return `#/v/${route.villageId}/lots`;
    case 'lot':
      return `#/v/${route.villageId}/lot/${route.lotId}`;
    case 'trace':
      return `#/trace/${route.villageId}/${route.lotId}`;
    case 'farm':
      return `#/v/${route.villageId}/farm`;
    case 'plot':
      return `#/v/${route.villageId}/farm/${route.siteId}`;
    case 'csr':
      return `#/v/${route.villageId}/csr`;
    case 'notFound':
      return '#/';
  }
}

/**
 * The village whose session data a page needs. The public trace page has none: a shopper who scanned a pack
 * opens it without signing in, and a signed-in user opening it loads no village data either.
 */
export const villageOf = (route: Route): string | undefined =>
  'villageId' in route && route.page !== 'trace' ? route.villageId : undefined;
