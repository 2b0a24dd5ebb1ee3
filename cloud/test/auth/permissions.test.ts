import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GRANTS, PERMISSIONS, Principal, permissionMatrix, ROLES } from '../../src/auth/permissions.ts';

const plot = (id: string) => ({ id, kind: 'plot' as const });
const room = { id: 'ruang-telur', kind: 'storage_room' as const };
const weather = { id: 'stasiun-cuaca', kind: 'weather' as const };

describe('permissions', () => {
  it('a village admin holds every permission in their village only', () => {
    const p = new Principal('u1', 'admin-taman', [{ role: 'village_admin', villageId: 'kel-taman' }]);
    for (const perm of Object.keys(PERMISSIONS)) expect(p.can(perm as never, 'kel-taman')).toBe(true);
    for (const perm of Object.keys(PERMISSIONS)) expect(p.can(perm as never, 'desa-lain')).toBe(false);
    expect(p.villages(['kel-taman', 'desa-lain'])).toEqual(['kel-taman']);
  });

  it('the platform admin holds everything everywhere', () => {
    const p = new Principal('u0', 'admin', [{ role: 'platform_admin', villageId: null }]);
    expect(p.can('user.manage', 'desa-lain')).toBe(true);
    expect(p.canSeeSite('desa-lain', room)).toBe(true);
    expect(p.villages(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('a farmer sees their own plots and the weather, not the neighbours or the packing house', () => {
    const p = new Principal('u2', 'pak-budi', [{ role: 'farmer', villageId: 'kel-taman', siteIds: ['sawah-a'] }]);
    expect(p.canSeeSite('kel-taman', plot('sawah-a'))).toBe(true);
    expect(p.canSeeSite('kel-taman', plot('sawah-b'))).toBe(false);
    expect(p.canSeeSite('kel-taman', weather)).toBe(true);
    expect(p.canSeeSite('kel-taman', room)).toBe(false);
    expect(p.canSeeSite('desa-lain', plot('sawah-a'))).toBe(false);
    expect(p.can('device.manage', 'kel-taman')).toBe(false);
  });

  it('a CSR partner and a buyer read no sensor data', () => {
    const csr = new Principal('u3', 'csr', [{ role: 'csr_partner', villageId: 'kel-taman' }]);
    expect(csr.can('indicator.read', 'kel-taman')).toBe(true);
    expect(csr.can('telemetry.read', 'kel-taman')).toBe(false);
    expect(csr.canSeeSite('kel-taman', weather)).toBe(false);
    const buyer = new Principal('u4', 'buyer', [{ role: 'buyer', villageId: 'kel-taman' }]);
    expect(buyer.can('village.read', 'kel-taman')).toBe(false);
  });

  it('roles accumulate across memberships', () => {
    const p = new Principal('u5', 'bu-siti', [
      { role: 'farmer', villageId: 'kel-taman', siteIds: ['kebun-cabai'] },
      { role: 'packing_staff', villageId: 'kel-taman' },
    ]);
    expect(p.canSeeSite('kel-taman', room)).toBe(true);
    expect(p.canSeeSite('kel-taman', plot('kebun-cabai'))).toBe(true);
    expect(p.canSeeSite('kel-taman', plot('sawah-a'))).toBe(false);
  });

  it('every role has a grant, and docs/permissions.md shows the matrix', async () => {
    expect(Object.keys(GRANTS).sort()).toEqual([...ROLES].sort());
    const doc = await readFile(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    const block = /<!-- matrix:start[^>]*-->\n([\s\S]*?)\n<!-- matrix:end -->/.exec(doc)?.[1];
    expect(block).toBe(permissionMatrix());
  });
});
