import { describe, expect, it } from 'vitest';
import { href, isFarmRoute, isSupplyRoute, parseRoute, type Route, villageOf } from '../src/route.ts';

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
    ['#/v/kel-taman/orders', { page: 'orders', villageId: 'kel-taman' }],
    ['#/v/kel-taman/order/po-indomaret-01', { page: 'order', villageId: 'kel-taman', orderId: 'po-indomaret-01' }],
    ['#/v/kel-taman/stock', { page: 'stock', villageId: 'kel-taman' }],
    ['#/v/kel-taman/lots', { page: 'lots', villageId: 'kel-taman' }],
    ['#/v/kel-taman/lot/TAT-261115-01', { page: 'lot', villageId: 'kel-taman', lotId: 'TAT-261115-01' }],
    ['#/trace/kel-taman/TAT-261115-01', { page: 'trace', villageId: 'kel-taman', lotId: 'TAT-261115-01' }],
    ['#/v/kel-taman/farm', { page: 'farm', villageId: 'kel-taman' }],
    ['#/v/kel-taman/farm/', { page: 'farm', villageId: 'kel-taman' }],
    ['#/v/kel-taman/farm/sawah-a', { page: 'plot', villageId: 'kel-taman', siteId: 'sawah-a' }],
    ['#/v/kel-taman/csr', { page: 'csr', villageId: 'kel-taman' }],
    ['#/v/kel-taman/farm/Sawah A', { page: 'notFound' }],
    ['#/v/kel-taman/csr/2026', { page: 'notFound' }],
    // Lot codes are upper case (GS1 AI 10, at most 20 characters), order ids lower case like every other id.
    ['#/v/kel-taman/lot/tat-261115-01', { page: 'notFound' }],
    ['#/v/kel-taman/lot/TAT-261115-01-XXXXXXXX', { page: 'notFound' }],
    ['#/v/kel-taman/order/PO-1', { page: 'notFound' }],
    ['#/trace/kel-taman', { page: 'notFound' }],
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
      { page: 'orders', villageId: 'kel-taman' },
      { page: 'order', villageId: 'kel-taman', orderId: 'po-1' },
      { page: 'stock', villageId: 'kel-taman' },
      { page: 'lots', villageId: 'kel-taman' },
      { page: 'lot', villageId: 'kel-taman', lotId: 'TAT-261115-01' },
      { page: 'trace', villageId: 'kel-taman', lotId: 'TAT-261115-01' },
      { page: 'farm', villageId: 'kel-taman' },
      { page: 'plot', villageId: 'kel-taman', siteId: 'kebun-cabai' },
      { page: 'csr', villageId: 'kel-taman' },
    ];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });

  it('takes the supply pages as supply routes, and the public trace page as no village session', () => {
    const supply = ['#/v/x/orders', '#/v/x/order/o', '#/v/x/stock', '#/v/x/lots', '#/v/x/lot/L-1'];
    for (const h of supply) expect(isSupplyRoute(parseRoute(h)), h).toBe(true);
    for (const h of ['#/v/x', '#/v/x/alerts', '#/trace/x/L-1', '#/'])
      expect(isSupplyRoute(parseRoute(h)), h).toBe(false);
    expect(villageOf(parseRoute('#/v/x/lot/L-1'))).toBe('x');
    // A shopper's scan must not start the village's data (and its sign-in) for a signed-in user either.
    expect(villageOf(parseRoute('#/trace/x/L-1'))).toBeUndefined();
  });

  it('takes the farm and its plots as farm routes, each with its village', () => {
    expect(isFarmRoute(parseRoute('#/v/x/farm'))).toBe(true);
    expect(isFarmRoute(parseRoute('#/v/x/farm/sawah-a'))).toBe(true);
    for (const h of ['#/v/x', '#/v/x/site/sawah-a', '#/v/x/csr']) expect(isFarmRoute(parseRoute(h)), h).toBe(false);
    expect(isSupplyRoute(parseRoute('#/v/x/csr'))).toBe(false);
    expect(villageOf(parseRoute('#/v/x/farm/sawah-a'))).toBe('x');
    expect(villageOf(parseRoute('#/v/x/csr'))).toBe('x');
  });
});
