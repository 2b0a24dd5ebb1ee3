/**
 * The roles of the platform (docs/permissions.md). No zod here: the dashboard imports this file alone
 * (`@lumbung/schemas/roles`) and must not carry the contracts into its bundle.
 */
export const ROLE_NAMES = [
  'platform_admin',
  'village_admin',
  'farmer',
  'packing_staff',
  'kub_coordinator',
  'csr_partner',
  'buyer',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
