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
  | { page: 'notFound' };

const ID = '([a-z0-9][a-z0-9_-]{0,63})';
const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/?$/, () => ({ page: 'villages' })],
  [new RegExp(`^/v/${ID}/?$`), (m) => ({ page: 'overview', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/site/${ID}/?$`), (m) => ({ page: 'site', villageId: m[1]!, siteId: m[2]! })],
  [new RegExp(`^/v/${ID}/devices/?$`), (m) => ({ page: 'devices', villageId: m[1]! })],
  [new RegExp(`^/v/${ID}/alerts/?$`), (m) => ({ page: 'alerts', villageId: m[1]! })],
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
    case 'notFound':
      return '#/';
  }
}

export const villageOf = (route: Route): string | undefined => ('villageId' in route ? route.villageId : undefined);
