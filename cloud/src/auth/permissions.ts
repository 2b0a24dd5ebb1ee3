import { ROLE_NAMES as ROLES, type RoleName as Role, type SiteKindName } from '@lumbung/schemas';

/**
 * Who may do what, as data: the one source for the checks in the routes and for docs/permissions.md
 * (generated from it and kept in step by a test). A permission is granted by a membership (a role in a
 * village, or platform-wide for the platform admin); reads of telemetry may further be limited to some
 * kinds of site (a farmer: their own plots and the village weather).
 */
export { ROLES, type Role };

export const ROLE_LABELS: Record<Role, { id: string; en: string }> = {
  platform_admin: { id: 'Admin platform', en: 'Platform admin' },
  village_admin: { id: 'Operator desa', en: 'Village admin' },
  farmer: { id: 'Petani', en: 'Farmer' },
  packing_staff: { id: 'Petugas rumah kemasan', en: 'Packing-house staff' },
  kub_coordinator: { id: 'Koordinator KUB', en: 'KUB coordinator' },
  csr_partner: { id: 'Mitra CSR', en: 'CSR partner' },
  buyer: { id: 'Pembeli', en: 'Buyer' },
};

export const PERMISSIONS = {
  'village.read': 'See the village, its sites and devices',
  'telemetry.read': 'Read readings, latest values, device health and the live stream',
  'alert.read': 'See alerts',
  'alert.manage': 'Acknowledge and resolve alerts',
  'device.manage': 'Register devices, issue provisioning codes, rotate and revoke credentials',
  'user.manage': "Create the village's users, set their roles, reset their passwords",
  'audit.read': "Read the village's audit log",
  'data.export': 'Export readings',
  'indicator.read': 'Read environmental indicators and reports',
  'supply.read': 'See products, producers, lots, stock, orders, inspections, shipments and traces',
  'catalogue.manage': 'Manage products, cooperatives and producers',
  'stock.manage': 'Record lots and packing-house stock movements',
  'order.manage': 'Take bulk orders and set their allocation',
  'quality.inspect': 'Inspect lots; put them on hold and release them',
  'shipment.manage': 'Pick lots into shipments and dispatch them',
  'lot.recall': 'Recall a lot and everything made from it',
  'plot.record': 'Record irrigation on a plot (a farmer: own plots)',
  'indicator.record': 'Enter indicator figures (fuel, waste, unmetered energy and water) and indicator settings',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** Site kinds whose telemetry a role may read; `all` for every site. Farmers also see their own plots only. */
export type SiteScope = 'all' | readonly SiteKindName[];

interface Grant {
  permissions: readonly Permission[];
  sites: SiteScope;
}

const ALL = Object.keys(PERMISSIONS) as Permission[];

/**
 * The matrix. A buyer reads the supply chain of their own orders only (orders whose `buyerUserId` is
 * theirs, those orders' lots and what they were made from: cloud/src/supply/service.ts), never a
 * village's sensors.
 */
export const GRANTS: Record<Role, Grant> = {
  platform_admin: { permissions: ALL, sites: 'all' },
  village_admin: { permissions: ALL, sites: 'all' },
  farmer: {
    permissions: ['village.read', 'telemetry.read', 'alert.read', 'alert.manage', 'plot.record'],
    sites: ['plot', 'weather'],
  },
  packing_staff: {
    permissions: [
      'village.read',
      'telemetry.read',
      'alert.read',
      'alert.manage',
      'supply.read',
      'stock.manage',
      'quality.inspect',
      'shipment.manage',
      'indicator.record',
    ],
    sites: ['packing_house', 'storage_room', 'meter_point', 'weather'],
  },
  kub_coordinator: {
    permissions: [
      'village.read',
      'telemetry.read',
      'alert.read',
      'data.export',
      'supply.read',
      'catalogue.manage',
      'stock.manage',
      'order.manage',
      'quality.inspect',
      'shipment.manage',
      'lot.recall',
    ],
    sites: ['packing_house', 'storage_room'],
  },
  csr_partner: { permissions: ['village.read', 'indicator.read'], sites: [] },
  buyer: { permissions: ['supply.read'], sites: [] },
};

export interface Membership {
  role: Role;
  /** Undefined or null only for the platform admin. */
  villageId?: string | null;
  /** A farmer's own plots. */
  siteIds?: readonly string[];
}

/** What a user may see of one site: by kind for the role, and a farmer's plots by id. */
export interface SiteRef {
  id: string;
  kind: SiteKindName;
}

export class Principal {
  constructor(
    readonly userId: string,
    readonly username: string,
    readonly memberships: readonly Membership[],
  ) {}

  get isPlatformAdmin(): boolean {
    return this.memberships.some((m) => m.role === 'platform_admin');
  }

  #grants(villageId: string): Membership[] {
    return this.memberships.filter((m) => m.role === 'platform_admin' || m.villageId === villageId);
  }

  /** Villages this user belongs to (every village for the platform admin: the caller passes them). */
  villages(all: readonly string[]): string[] {
    if (this.isPlatformAdmin) return [...all];
    const mine = new Set(this.memberships.map((m) => m.villageId).filter((v): v is string => !!v));
    return all.filter((v) => mine.has(v));
  }

  can(permission: Permission, villageId: string): boolean {
    return this.#grants(villageId).some((m) => GRANTS[m.role].permissions.includes(permission));
  }

  /** Whether one of the user's roles reads the telemetry of every site of the village (no per-site check needed). */
  seesAllSites(villageId: string): boolean {
    return this.#grants(villageId).some(
      (m) => GRANTS[m.role].sites === 'all' && GRANTS[m.role].permissions.includes('telemetry.read'),
    );
  }

  /** Whether the user may read the telemetry of a site. */
  canSeeSite(villageId: string, site: SiteRef): boolean {
    return this.#grants(villageId).some((m) => {
      const g = GRANTS[m.role];
      if (!g.permissions.includes('telemetry.read')) return false;
      if (g.sites === 'all') return true;
      if (!g.sites.includes(site.kind)) return false;
      // A farmer sees the plots that are theirs (and the shared weather station), not the neighbours'.
      return m.role !== 'farmer' || site.kind !== 'plot' || (m.siteIds ?? []).includes(site.id);
    });
  }
}

/** The permission matrix as Markdown, for docs/permissions.md. */
export function permissionMatrix(): string {
  const head = `| permission | ${ROLES.map((r) => ROLE_LABELS[r].en).join(' | ')} |`;
  const sep = `| --- | ${ROLES.map(() => ':---:').join(' | ')} |`;
  const rows = ALL.map(
    (p) =>
      `| \`${p}\`: ${PERMISSIONS[p]} | ${ROLES.map((r) => (GRANTS[r].permissions.includes(p) ? 'yes' : '—')).join(' | ')} |`,
  );
  const sites = `| telemetry of sites | ${ROLES.map((r) => {
    const s = GRANTS[r].sites;
    if (s === 'all') return 'all';
    if (s.length === 0) return '—';
    return s.map((k) => (r === 'farmer' && k === 'plot' ? 'own plots' : k.replace('_', ' '))).join(', ');
  }).join(' | ')} |`;
  return [head, sep, ...rows, sites].join('\n');
}
