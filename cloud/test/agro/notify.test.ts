import { createLogger } from '@lumbung/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgroAlertJob, alertSubject, type JobClock } from '../../src/agro/notify.ts';
import { AgroService } from '../../src/agro/service.ts';
import { OutboxNotifier } from '../../src/auth/service.ts';
import type { NotificationRecord } from '../../src/registry/accounts.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';
import { addHighlandVillage, addUser, HIGH } from './fixture.ts';

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

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`daily agro alerts on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const logger = createLogger('agro-alerts-test', 'silent');
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const taman = (siteIds: string[]) => [{ role: 'farmer' as const, villageId: 'kel-taman', siteIds }];
      await addUser(f, 'pak-budi', taman(['sawah-a', 'kebun-cabai']), { phone: '+6281100000002' });
      await addUser(f, 'bu-ani', taman(['sawah-a']), { phone: null });
      await addUser(f, 'pak-eko', taman(['kebun-cabai']), { phone: '+6281100000009' });
      await addUser(f, 'operator', [{ role: 'village_admin', villageId: 'kel-taman' }], { phone: '+6281100000001' });
      // Chilli in its development stage, soil at field capacity two days ago: no irrigation due (action none).
      const cabai = (await f.registry.getSite('kel-taman', 'kebun-cabai'))!;
      await f.registry.upsertSite({ ...cabai, plot: { ...cabai.plot!, plantingDate: '2026-10-01' } });

      // A highland village whose nights favour blast, and a rice paddy there (fixture.ts).
      await addHighlandVillage(f);
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
      await addUser(f, 'petani-atas', [{ role: 'farmer', villageId: HIGH, siteIds: ['sawah-atas'] }], {
        phone: '+6281100000077',
      });
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
