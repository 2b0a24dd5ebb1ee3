import type { AuthService, Registry, Role } from '@lumbung/cloud';
import { generateSecret } from '@lumbung/runtime';

export interface DemoUser {
  username: string;
  /** The village of the role; the main demo village when absent. */
  villageId?: string;
  displayName: string;
  role: Role;
  phone?: string;
  /** A farmer's own plots. */
  siteIds?: string[];
}

/**
 * One user per role in the demo village; the platform admin is `admin` (issue 4). With a second village,
 * its own village admin and farmer, who see nothing of the first.
 */
export const demoUsers = (villageId: string, second?: string): DemoUser[] => [
  ...(second
    ? [
        {
          username: 'operator-sukamaju',
          displayName: 'Operator Desa Sukamaju',
          role: 'village_admin' as const,
          villageId: second,
        },
        {
          username: 'petani-sukamaju',
          displayName: 'Bu Ani (petani Sukamaju)',
          role: 'farmer' as const,
          villageId: second,
          siteIds: ['sawah-utara'],
        },
      ]
    : []),
  { username: 'admin', displayName: 'Admin platform', role: 'platform_admin' },
  { username: 'operator', displayName: 'Operator desa', role: 'village_admin', phone: '+6281100000001' },
  {
    username: 'petani',
    displayName: 'Pak Budi (petani)',
    role: 'farmer',
    phone: '+6281100000002',
    siteIds: villageId === 'kel-taman' ? ['sawah-a', 'kebun-cabai'] : [],
  },
  { username: 'kemasan', displayName: 'Bu Siti (rumah kemasan)', role: 'packing_staff', phone: '+6281100000003' },
  { username: 'kub', displayName: 'Koordinator KUB', role: 'kub_coordinator' },
  { username: 'csr', displayName: 'Mitra CSR', role: 'csr_partner' },
  { username: 'pembeli', displayName: 'Pembeli', role: 'buyer' },
];

/**
 * Creates the demo users (idempotent) with their roles in the village. Their passwords: LUMBUNG_DEMO_PASSWORD
 * for everyone when set (applied on every start, so scripts can sign in), otherwise a random one made on first
 * start and kept with the other demo secrets. Returns username → password for printing.
 */
export async function ensureDemoUsers(
  registry: Registry,
  auth: AuthService,
  villageId: string,
  o: { password: string | undefined; known: Record<string, string>; now: number; second?: string },
): Promise<Record<string, string>> {
  const a = registry.accounts;
  const out: Record<string, string> = {};
  for (const u of demoUsers(villageId, o.second)) {
    const password = o.password ?? o.known[u.username] ?? generateSecret().slice(0, 16);
    let user = await a.getUserByUsername(u.username);
    if (!user) {
      user = await a.createUser({
        username: u.username,
        displayName: u.displayName,
        phone: u.phone ?? null,
        passwordHash: await auth.hashPassword(password),
        createdAt: o.now,
        passwordChangedAt: o.now,
      });
      await a.setMemberships(
        user.id,
        [
          {
            role: u.role,
            villageId: u.role === 'platform_admin' ? null : (u.villageId ?? villageId),
            siteIds: u.siteIds ?? [],
          },
        ],
        o.now,
      );
    } else if (o.password !== undefined || o.known[u.username] === undefined) {
      // A password set by environment wins on every start; a lost random one is made anew.
      await a.updateUser(user.id, { passwordHash: await auth.hashPassword(password), passwordChangedAt: o.now });
      await a.resetLoginFailures(user.id);
    }
    out[u.username] = password;
  }
  return out;
}
