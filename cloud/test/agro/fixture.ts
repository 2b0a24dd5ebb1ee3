import { hashSecret } from '@lumbung/runtime';
import type { StoredReading } from '@lumbung/store';
import type { MembershipInput, NewUser, UserRecord } from '../../src/registry/accounts.ts';
import { type Fixture, NOW } from '../fixture.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A user of the fixture (created at NOW, display name = username) with these memberships. */
export async function addUser(
  f: Fixture,
  username: string,
  memberships: MembershipInput[],
  more: Partial<Pick<NewUser, 'phone' | 'passwordHash'>> = {},
): Promise<UserRecord> {
  const a = f.registry.accounts;
  const user = await a.createUser({ username, displayName: username, ...more, createdAt: NOW });
  await a.setMemberships(user.id, memberships, NOW);
  return user;
}

/** A highland village whose last six nights favour blast: 13 wet hours at 19 °C, days at 26 °C (5-day mean ≈ 22 °C). */
export const HIGH = 'desa-dataran-tinggi';

function blastWeek(): StoredReading[] {
  const out: StoredReading[] = [];
  for (let ts = NOW - 6 * DAY; ts < NOW; ts += 300_000) {
    const h = new Date(ts + 7 * HOUR).getUTCHours();
    const night = h >= 18 || h < 7;
    const values = {
      air_temperature: night ? 19 : 26,
      relative_humidity: night ? 96 : 70,
      wind_speed: 1,
      solar_radiation: night ? 0 : 500,
      rainfall: 0,
    };
    for (const [metric, value] of Object.entries(values))
      out.push({ villageId: HIGH, deviceId: 'tinggi-ws-01', metric, ts, value, tsSource: 'device' });
  }
  return out;
}

/**
 * Registers the highland village HIGH (1,200 m, Asia/Jakarta): a weather station `stasiun` whose device
 * `tinggi-ws-01` (2 m) recorded the six blast nights, and a flooded rice plot `sawah-atas` planted on
 * 1 October 2026.
 */
export async function addHighlandVillage(f: Fixture): Promise<void> {
  await f.registry.upsertVillage({
    id: HIGH,
    name: 'Desa Dataran Tinggi',
    kodeWilayah: null,
    district: null,
    regency: null,
    province: null,
    timeZone: 'Asia/Jakarta',
    latitude: -7.2,
    longitude: 110.1,
    elevation: 1200,
  });
  const none = { parentId: null, plot: null, storageRoom: null, meterPoint: null };
  await f.registry.upsertSite({ ...none, id: 'stasiun', villageId: HIGH, kind: 'weather', name: 'Stasiun' });
  await f.registry.upsertSite({
    ...none,
    id: 'sawah-atas',
    villageId: HIGH,
    kind: 'plot',
    name: 'Sawah atas',
    plot: {
      crop: 'rice',
      plantingDate: '2026-10-01',
      areaM2: 1000,
      fieldCapacity: 0.36,
      wiltingPoint: 0.2,
      rootDepth: 0.3,
      water: 'flooded',
    },
  });
  await f.registry.upsertDevice({
    id: 'tinggi-ws-01',
    villageId: HIGH,
    siteId: 'stasiun',
    family: 'weather_station',
    intervalSeconds: 300,
    sensorHeight: 2,
    revoked: false,
    secretHash: hashSecret('x'),
  });
  await f.store.write(blastWeek());
}
