import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../src/i18n/index.ts';
import {
  ALERT_MANAGE_ROLES,
  ecoAccess,
  INDICATOR_READ_ROLES,
  INDICATOR_RECORD_ROLES,
  LOT_RECALL_ROLES,
  ORDER_MANAGE_ROLES,
  PLOT_RECORD_ROLES,
  QUALITY_INSPECT_ROLES,
  ROLES,
  rolesIn,
  STOCK_MANAGE_ROLES,
  SUPPLY_READ_ROLES,
  startPage,
  supplyAccess,
  TELEMETRY_ROLES,
} from '../src/roles.ts';

const root = path.join(import.meta.dirname, '..', '..');

/** The permission matrix of docs/permissions.md (generated from cloud/src/auth/permissions.ts): roles per permission. */
async function matrix(): Promise<{ labels: string[]; grants: Map<string, boolean[]> }> {
  const doc = await readFile(path.join(root, 'docs', 'permissions.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- matrix:start'), doc.indexOf('<!-- matrix:end'));
  const rows = table
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const labels = rows[0]!.slice(1);
  const grants = new Map<string, boolean[]>();
  for (const r of rows.slice(2)) {
    const name = /^`([a-z.]+)`/.exec(r[0]!)?.[1];
    if (name)
      grants.set(
        name,
        r.slice(1).map((c) => c === 'yes'),
      );
  }
  return { labels, grants };
}

describe('what the dashboard offers each role', () => {
  it('follows the permission matrix of docs/permissions.md (the cloud decides; the interface must agree)', async () => {
    const { labels, grants } = await matrix();
    // The columns are the roles in the cloud's order; their English labels are the catalogue's.
    expect(labels).toEqual(ROLES.map((r) => CATALOGUES.en[`role_${r}`]));
    const holders = (p: string) => ROLES.filter((_, i) => grants.get(p)?.[i]);
    expect([...TELEMETRY_ROLES].sort()).toEqual(holders('telemetry.read').sort());
    expect([...ALERT_MANAGE_ROLES].sort()).toEqual(holders('alert.manage').sort());
  });

  it.each([
    ['supply.read', SUPPLY_READ_ROLES],
    ['stock.manage', STOCK_MANAGE_ROLES],
    ['order.manage', ORDER_MANAGE_ROLES],
    ['quality.inspect', QUALITY_INSPECT_ROLES],
    ['lot.recall', LOT_RECALL_ROLES],
    ['plot.record', PLOT_RECORD_ROLES],
    ['indicator.read', INDICATOR_READ_ROLES],
    ['indicator.record', INDICATOR_RECORD_ROLES],
  ])('offers the supply-chain, farm and indicator pages and buttons by the matrix: %s', async (permission, list) => {
    const { grants } = await matrix();
    expect(grants.has(permission), `${permission} is missing from docs/permissions.md`).toBe(true);
    const holders = ROLES.filter((_, i) => grants.get(permission)?.[i]);
    expect([...list].sort()).toEqual([...holders].sort());
  });

  it('gives a buyer orders and lots to read, no packing house and no buttons', () => {
    expect(supplyAccess(['buyer'])).toEqual({ read: true, stock: false, orders: false, inspect: false, recall: false });
    expect(supplyAccess(['packing_staff'])).toEqual({
      read: true,
      stock: true,
      orders: false,
      inspect: true,
      recall: false,
    });
    expect(supplyAccess(['kub_coordinator'])).toEqual({
      read: true,
      stock: true,
      orders: true,
      inspect: true,
      recall: true,
    });
    expect(supplyAccess(['farmer', 'csr_partner']).read).toBe(false);
  });

  it("has index.html's early requests only for the roles that read telemetry", async () => {
    const html = await readFile(path.join(root, 'dashboards', 'index.html'), 'utf8');
    const list = /\[('village_admin'[^\]]*)\]\.includes\(x\.role\)/.exec(html)?.[1];
    expect(list?.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual(
      TELEMETRY_ROLES.filter((r) => r !== 'platform_admin'),
    );
  });

  it('takes the roles of one village, the platform admin in every village', () => {
    const ms = [
      { role: 'farmer', villageId: 'kel-taman', siteIds: ['sawah-a'] },
      { role: 'kub_coordinator', villageId: 'desa-lain', siteIds: [] },
    ];
    expect(rolesIn(ms, 'kel-taman')).toEqual(['farmer']);
    expect(rolesIn(ms, 'elsewhere')).toEqual([]);
    expect(rolesIn([{ role: 'platform_admin', villageId: null, siteIds: [] }], 'kel-taman')).toEqual([
      'platform_admin',
    ]);
  });

  it('gives farmers and admins the farm, CSR partners and admins the indicators, packing staff the record form only', () => {
    expect(ecoAccess(['farmer'])).toEqual({ farm: true, indicators: false, record: false });
    expect(ecoAccess(['csr_partner'])).toEqual({ farm: false, indicators: true, record: false });
    expect(ecoAccess(['packing_staff'])).toEqual({ farm: false, indicators: false, record: true });
    expect(ecoAccess(['village_admin'])).toEqual({ farm: true, indicators: true, record: true });
    expect(ecoAccess(['buyer', 'kub_coordinator'])).toEqual({ farm: false, indicators: false, record: false });
  });

  it('lands a farmer on the farm, a CSR partner on the indicators, a buyer on the orders, others on the overview', () => {
    expect(startPage(['farmer'])).toBe('farm');
    expect(startPage(['farmer', 'packing_staff'])).toBe('farm');
    expect(startPage(['csr_partner'])).toBe('csr');
    expect(startPage(['buyer'])).toBe('orders');
    expect(startPage(['csr_partner', 'buyer'])).toBe('csr');
    expect(startPage(['village_admin'])).toBe('overview');
    expect(startPage(['packing_staff'])).toBe('overview');
    expect(startPage(['kub_coordinator', 'csr_partner'])).toBe('overview');
    expect(startPage([])).toBe('overview');
  });
});
