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
