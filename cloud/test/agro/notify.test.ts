import { createLogger, hashSecret } from '@lumbung/runtime';
import type { SiteRecord } from '@lumbung/schemas';
import type { StoredReading } from '@lumbung/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgroAlertJob, alertSubject, type JobClock } from '../../src/agro/notify.ts';
import { AgroService } from '../../src/agro/service.ts';
import { OutboxNotifier } from '../../src/auth/service.ts';
import type { MembershipInput, NotificationRecord } from '../../src/registry/accounts.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** 20 November 2026, 04:00 WIB: an hour before the alerts are due. */
const START = Date.parse('2026-11-19T21:00:00Z');

/** Timers on a clock the test moves: a day passes in milliseconds, and each run is awaited. */
class FakeClock implements JobClock {
  #next = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(public t: number) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number);
  };
  /** Moves to `to`, firing every timer due on the way (and waiting for the job's run after each). */
  async runUntil(to: number, job: AgroAlertJob): Promise<void> {
    for (;;) {
      await job.idle();
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    await job.idle();
    this.t = to;
  }
}

/** A highland village whose nights favour blast (see service.test.ts), and a well-watered rice plot there. */
const HIGH = 'desa-dataran-tinggi';
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

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`daily agro alerts on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const logger = createLogger('agro-alerts-test', 'silent');
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const a = f.registry.accounts;
      const user = async (username: string, phone: string | null, memberships: MembershipInput[]) => {
        const u = await a.createUser({ username, displayName: username, phone, createdAt: NOW });
        await a.setMemberships(u.id, memberships, NOW);
      };
      const taman = (siteIds: string[]) => [{ role: 'farmer' as const, villageId: 'kel-taman', siteIds }];
      await user('pak-budi', '+6281100000002', taman(['sawah-a', 'kebun-cabai']));
      await user('bu-ani', null, taman(['sawah-a']));
      await user('pak-eko', '+6281100000009', taman(['kebun-cabai']));
      await user('operator', '+6281100000001', [{ role: 'village_admin', villageId: 'kel-taman' }]);
      // Chilli in its development stage, soil at field capacity two days ago: no irrigation due (action none).
      const cabai = (await f.registry.getSite('kel-taman', 'kebun-cabai'))!;
      await f.registry.upsertSite({ ...cabai, plot: { ...cabai.plot!, plantingDate: '2026-10-01' } });

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
      const sawah: SiteRecord = {
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
      };
      await f.registry.upsertSite(sawah);
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
      // The paddy was filled to the bund: its water needs nothing, so only blast can raise an alert there.
      await f.registry.eco.addIrrigation({
        id: 'isi-sawah-atas',
        villageId: HIGH,
        siteId: 'sawah-atas',
        date: '2026-11-15',
        mm: 150,
        note: null,
        createdAt: NOW,
        createdBy: 'petani-atas',
      });
      await user('petani-atas', '+6281100000077', [{ role: 'farmer', villageId: HIGH, siteIds: ['sawah-atas'] }]);
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const outbox = async (): Promise<NotificationRecord[]> =>
      (await f.registry.accounts.listNotifications({ limit: 1000 })).filter((n) => n.subject?.startsWith('Saran'));
    const job = (clock: FakeClock) => {
      const agro = new AgroService({ registry: f.registry, store: f.store, now: clock.now });
      const notifier = new OutboxNotifier(f.registry.accounts, logger, clock.now);
      return new AgroAlertJob({ registry: f.registry, agro, notifier, logger, clock });
    };

    it('at 05:00 sends one message per farmer of each plot that needs water or faces blast, and no more that day', async () => {
      const clock = new FakeClock(START);
      const j = job(clock);
      await j.start();
      await clock.runUntil(START + 59 * 60_000, j);
      expect(await outbox()).toEqual([]); // 04:59: not yet

      await clock.runUntil(START + HOUR, j);
      const sent = await outbox();
      const bySubject = (s: string) => sent.filter((n) => n.subject === s);
      // sawah-a (ponding below 3 cm: let water in now): its two farmers, by WhatsApp or, without a phone, the log.
      const sawah = bySubject(alertSubject('kel-taman', 'sawah-a', '2026-11-20'));
      expect(sawah.map((n) => [n.channel, n.recipient]).sort()).toEqual([
        ['log', 'bu-ani'],
        ['whatsapp', '+6281100000002'],
      ]);
      expect(sawah[0]!.body).toMatch(/^Lumbung 20\/11 – Sawah A \(padi\): Alirkan air \d+ mm ke sawah/);
      expect(sawah[0]!.body.length).toBeLessThan(300);
      expect(sawah[0]!.createdAt).toBe(START + HOUR);
      // kebun-cabai's advice is "none": nothing to pak-eko, nothing about it to pak-budi; nothing to the operator.
      expect(sent.filter((n) => n.subject?.includes('kebun-cabai'))).toEqual([]);
      expect(sent.filter((n) => n.recipient === '+6281100000009' || n.recipient === '+6281100000001')).toEqual([]);
      // The highland paddy has water enough, but last night favoured blast.
      const high = bySubject(alertSubject(HIGH, 'sawah-atas', '2026-11-20'));
      expect(high).toHaveLength(1);
      expect(high[0]).toMatchObject({ channel: 'whatsapp', recipient: '+6281100000077' });
      expect(high[0]!.body).toContain('Risiko penyakit blas tinggi');
      expect(high[0]!.body).not.toContain('Alirkan');
      expect(sent).toHaveLength(3);

      // The rest of the day: nothing more.
      await clock.runUntil(START + 12 * HOUR, j);
      expect(await outbox()).toHaveLength(3);
      await j.stop();
      expect(clock.timers.size).toBe(0);
    });

    it('a restart the same day sends nothing twice (the outbox is the record); the next day sends again', async () => {
      const before = await outbox();
      expect(before).toHaveLength(3);
      const clock = new FakeClock(START + 3 * HOUR); // 07:00: the restarted job checks at once
      const j = job(clock);
      await j.start();
      await clock.runUntil(START + 4 * HOUR, j);
      expect(await outbox()).toHaveLength(3);

      // 21 November 05:00: the paddy is still short of water, a new day's messages go out once.
      await clock.runUntil(START + DAY + HOUR, j);
      const after = await outbox();
      const next = after.filter((n) => n.subject === alertSubject('kel-taman', 'sawah-a', '2026-11-21'));
      expect(next.map((n) => n.recipient).sort()).toEqual(['+6281100000002', 'bu-ani']);
      await clock.runUntil(START + DAY + 6 * HOUR, j);
      expect((await outbox()).length).toBe(after.length);
      await j.stop();
    });
  });
}
