import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from '../src/route.ts';

describe('hash routes', () => {
  it.each<[string, Route]>([
    ['', { page: 'villages' }],
    ['#/', { page: 'villages' }],
    ['#/v/kel-taman', { page: 'overview', villageId: 'kel-taman' }],
    ['#/v/kel-taman/', { page: 'overview', villageId: 'kel-taman' }],
    ['#/v/kel-taman/site/sawah-a', { page: 'site', villageId: 'kel-taman', siteId: 'sawah-a' }],
    ['#/v/kel-taman/devices', { page: 'devices', villageId: 'kel-taman' }],
    ['#/v/kel-taman/alerts', { page: 'alerts', villageId: 'kel-taman' }],
    ['#/v/kel-taman/alerts?x=1', { page: 'alerts', villageId: 'kel-taman' }],
    ['#/v/Kel Taman', { page: 'notFound' }],
    ['#/v/kel-taman/site/', { page: 'notFound' }],
    ['#/elsewhere', { page: 'notFound' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips every page through href', () => {
    const routes: Route[] = [
      { page: 'villages' },
      { page: 'overview', villageId: 'kel-taman' },
      { page: 'site', villageId: 'kel-taman', siteId: 'ruang-telur' },
      { page: 'devices', villageId: 'kel-taman' },
      { page: 'alerts', villageId: 'kel-taman' },
    ];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });
});
