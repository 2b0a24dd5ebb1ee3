import type { SignedIn } from '@lumbung/schemas';
import { ROLE_NAMES } from '@lumbung/schemas/roles';

/**
 * What the dashboard needs to know of the permission matrix (docs/permissions.md, generated from the cloud's
 * cloud/src/auth/permissions.ts; test/roles.test.ts keeps these lists in step with that document). The cloud
 * decides what each role may read and do; these lists only decide what the interface offers, so that nobody
 * sees a button that would answer 403, or an empty page of data the role will never get.
 */
export const ROLES = ROLE_NAMES;
export type Role = (typeof ROLES)[number];

/** `telemetry.read`: readings, latest values, device health, alerts and the live stream. */
export const TELEMETRY_ROLES: readonly Role[] = [
  'platform_admin',
  'village_admin',
  'farmer',
  'packing_staff',
  'kub_coordinator',
];
/** `alert.manage`: acknowledge and resolve alerts. */
export const ALERT_MANAGE_ROLES: readonly Role[] = ['platform_admin', 'village_admin', 'farmer', 'packing_staff'];

export type Membership = SignedIn['memberships'][number];

const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/** The user's roles in one village (the platform admin's role counts in every village). */
export function rolesIn(memberships: readonly Membership[], villageId: string): Role[] {
  const roles = memberships
    .filter((m) => m.role === 'platform_admin' || m.villageId === villageId)
    .map((m) => m.role)
    .filter(isRole);
  return [...new Set(roles)];
}

/** Every role the user holds, in any village. */
export const allRoles = (memberships: readonly Membership[]): Role[] => [
  ...new Set(memberships.map((m) => m.role).filter(isRole)),
];

export const isPlatformAdmin = (memberships: readonly Membership[]): boolean =>
  memberships.some((m) => m.role === 'platform_admin');

/** The villages the user is a member of (for the platform admin: all, which only the API can list). */
export const memberVillages = (memberships: readonly Membership[]): string[] => [
  ...new Set(memberships.map((m) => m.villageId).filter((v): v is string => !!v)),
];

export const canReadTelemetry = (roles: readonly Role[]): boolean => roles.some((r) => TELEMETRY_ROLES.includes(r));
export const canManageAlerts = (roles: readonly Role[]): boolean => roles.some((r) => ALERT_MANAGE_ROLES.includes(r));

/** `supply.read`: products, producers, lots, stock, orders, inspections, shipments and traces (a buyer: their orders'). */
export const SUPPLY_READ_ROLES: readonly Role[] = [
  'platform_admin',
  'village_admin',
  'packing_staff',
  'kub_coordinator',
  'buyer',
];
/** `stock.manage`: record lots and stock movements. They also get the packing-house page (rooms, stock, warnings). */
export const STOCK_MANAGE_ROLES: readonly Role[] = [
  'platform_admin',
  'village_admin',
  'packing_staff',
  'kub_coordinator',
];
/** `order.manage`: take bulk orders, recompute and adjust their allocation. */
export const ORDER_MANAGE_ROLES: readonly Role[] = ['platform_admin', 'village_admin', 'kub_coordinator'];
/** `quality.inspect`: record inspections, put lots on hold and release them. */
export const QUALITY_INSPECT_ROLES: readonly Role[] = [
  'platform_admin',
  'village_admin',
  'packing_staff',
  'kub_coordinator',
];
/** `lot.recall`: recall a lot and everything made from it. */
export const LOT_RECALL_ROLES: readonly Role[] = ['platform_admin', 'village_admin', 'kub_coordinator'];

const holds = (list: readonly Role[]) => (roles: readonly Role[]) => roles.some((r) => list.includes(r));
export const canReadSupply = holds(SUPPLY_READ_ROLES);

/** What the supply-chain pages offer the user in one village (computed by the entry, passed to the lazy pages). */
export interface SupplyAccess {
  read: boolean;
  /** The packing-house page and the movement form. */
  stock: boolean;
  orders: boolean;
  inspect: boolean;
  recall: boolean;
}

export const supplyAccess = (roles: readonly Role[]): SupplyAccess => ({
  read: canReadSupply(roles),
  stock: holds(STOCK_MANAGE_ROLES)(roles),
  orders: holds(ORDER_MANAGE_ROLES)(roles),
  inspect: holds(QUALITY_INSPECT_ROLES)(roles),
  recall: holds(LOT_RECALL_ROLES)(roles),
});

/** `plot.record`: record irrigation on a plot (a farmer: their own). They also get the farm pages (Lahan). */
export const PLOT_RECORD_ROLES: readonly Role[] = ['platform_admin', 'village_admin', 'farmer'];
/** `indicator.read`: the environmental indicators and the CSR reports. */
export const INDICATOR_READ_ROLES: readonly Role[] = ['platform_admin', 'village_admin', 'csr_partner'];
/** `indicator.record`: enter fuel, waste and unmetered energy and water figures. */
export const INDICATOR_RECORD_ROLES: readonly Role[] = ['platform_admin', 'village_admin', 'packing_staff'];

/** What the farm and indicator pages (issue 6) offer the user in one village. */
export interface EcoAccess {
  /** The farm pages: the plots' advice and the irrigation form. */
  farm: boolean;
  /** The indicators and the CSR reports. */
  indicators: boolean;
  /** The form for a fuel, waste, energy or water figure (packing-house staff get the page with the form only). */
  record: boolean;
}

export const ecoAccess = (roles: readonly Role[]): EcoAccess => ({
  farm: holds(PLOT_RECORD_ROLES)(roles),
  indicators: holds(INDICATOR_READ_ROLES)(roles),
  record: holds(INDICATOR_RECORD_ROLES)(roles),
});

/**
 * Where a user of one village lands after signing in: a farmer on their plots' advice, a CSR partner on the
 * indicators, a buyer on their orders, everyone else on the overview. Ordered by who the page is for: a farmer
 * who also packs eggs still came for the plots.
 */
export function startPage(roles: readonly Role[]): 'farm' | 'csr' | 'orders' | 'overview' {
  if (roles.includes('farmer')) return 'farm';
  if (canReadTelemetry(roles)) return 'overview';
  if (holds(INDICATOR_READ_ROLES)(roles)) return 'csr';
  if (canReadSupply(roles)) return 'orders';
  return 'overview';
}
