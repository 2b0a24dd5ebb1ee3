// The daily farmer alert (issue 6): at 05:00 in each village, every farmer who holds a plot whose advice says
// to irrigate today or tomorrow, or whose rice faces a high blast risk, gets one short message in Bahasa
// Indonesia through the notification port (WhatsApp to their phone, else the log). Once per farmer, plot and
// local day: what was sent is read back from the outbox, so a restart sends nothing twice.

import type { Component, Logger } from '@lumbung/runtime';
import type { PlotAdvice, VillageRecord } from '@lumbung/schemas';
import { addDays, localDate, localMidnight } from '@lumbung/schemas/time';
import type { NotificationPort } from '../auth/service.ts';
import type { Accounts } from '../registry/accounts.ts';
import type { Registry } from '../registry/port.ts';
import type { AgroService } from './service.ts';

const HOUR = 3_600_000;

/** Time and timers, replaceable in tests (a fake clock runs a day in milliseconds). */
export interface JobClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: JobClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // The job must never keep a process alive on its own.
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface AgroAlertOptions {
  registry: Registry;
  agro: AgroService;
  notifier: NotificationPort;
  logger: Logger;
  clock?: JobClock | undefined;
  /** Local hour the alerts go out. Default 5 (before farmers go to the fields). */
  hourLocal?: number;
  /**
   * Wait before the first check after `start()` [ms]. Default one minute: a cloud that has just started (the
   * demo) is still receiving the readings the advice needs.
   */
  firstCheckMs?: number;
}

export interface AlertMessage {
  villageId: string;
  siteId: string;
  userId: string;
  channel: 'whatsapp' | 'log';
  recipient: string;
  subject: string;
  body: string;
}

/** The outbox subject: names village, plot and local day, so a message is found again after a restart. */
export const alertSubject = (villageId: string, siteId: string, date: string) =>
  `Saran lahan ${villageId}/${siteId} ${date}`;

/** Whether a plot's advice is worth waking a farmer for. */
export function needsAlert(a: PlotAdvice): boolean {
  if (a.stage.id === 'harvest' || a.daysAfterPlanting < 0) return false;
  return a.irrigation.action === 'now' || a.irrigation.action === 'tomorrow' || a.blast?.level === 'high';
}

/** Short text for WhatsApp, Bahasa Indonesia: the plot, the water advice, and blast when it is high. */
export function alertBody(a: PlotAdvice): string {
  const [, m, d] = a.date.split('-');
  const lines = [`Lumbung ${d}/${m} – ${a.plotName}:`];
  if (a.irrigation.action === 'now' || a.irrigation.action === 'tomorrow') lines.push(a.irrigation.message.id);
  if (a.blast?.level === 'high')
    lines.push('Risiko penyakit blas tinggi: periksa daun padi hari ini, tanya penyuluh bila ada bercak.');
  return lines.join(' ');
}

/** What the outbox holds since `since`: recipient and subject of each message. */
async function sentSince(accounts: Accounts, since: number): Promise<Set<string>> {
  // The outbox lists newest first with a limit only: read more until a page reaches back past `since`.
  for (let limit = 200; ; limit *= 4) {
    const page = await accounts.listNotifications({ limit });
    const oldest = page.at(-1);
    if (page.length < limit || (oldest !== undefined && oldest.createdAt < since) || limit >= 1_000_000)
      return new Set(page.filter((n) => n.createdAt >= since).map((n) => `${n.recipient}\u0000${n.subject ?? ''}`));
  }
}

/**
 * The daily alert job. `start()` checks a minute later (a cloud started after 05:00 still sends that day's
 * alerts, unless the outbox has them) and then at each village's next 05:00, at least hourly; `stop()` cancels
 * the timer and waits for a run in progress.
 */
export class AgroAlertJob implements Component {
  readonly #clock: JobClock;
  readonly #hour: number;
  /** Village → the local date its alerts went out (in this process; the outbox is the durable record). */
  readonly #done = new Map<string, string>();
  #timer: unknown;
  #running = false;
  #run: Promise<void> = Promise.resolve();

  constructor(private readonly o: AgroAlertOptions) {
    this.#clock = o.clock ?? systemClock;
    this.#hour = o.hourLocal ?? 5;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#schedule(this.o.firstCheckMs ?? 60_000);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#run;
  }

  /** Resolves when the run in progress (if any) has finished: for tests driving a fake clock. */
  idle(): Promise<void> {
    return this.#run;
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#run = this.#tick();
    }, ms);
  }

  async #tick(): Promise<void> {
    let next = HOUR;
    try {
      const now = this.#clock.now();
      for (const village of await this.o.registry.listVillages()) {
        const today = localDate(now, village.timeZone);
        const due = localMidnight(today, village.timeZone) + this.#hour * HOUR;
        if (now >= due && this.#done.get(village.id) !== today) {
          try {
            await this.runVillage(village, now);
            this.#done.set(village.id, today);
          } catch (err) {
            this.o.logger.error({ err, villageId: village.id }, 'agro alerts failed');
          }
        }
        const upcoming = now < due ? due : localMidnight(addDays(today, 1), village.timeZone) + this.#hour * HOUR;
        next = Math.min(next, upcoming - now);
      }
    } catch (err) {
      this.o.logger.error({ err }, 'agro alerts: villages not read');
    }
    this.#schedule(Math.max(1000, next));
  }

  /** Sends the day's alerts of one village that the outbox does not hold yet; returns what it sent. */
  async runVillage(village: VillageRecord, now: number): Promise<AlertMessage[]> {
    const accounts = this.o.registry.accounts;
    const today = localDate(now, village.timeZone);
    const advice = (await this.o.agro.adviceFor(village)).filter(needsAlert);
    if (advice.length === 0) return [];
    const farmers = (await accounts.usersOfVillage(village.id)).filter((u) => u.user.disabledAt === null);
    const sent = await sentSince(accounts, localMidnight(today, village.timeZone));
    const out: AlertMessage[] = [];
    for (const a of advice) {
      const subject = alertSubject(village.id, a.siteId, today);
      for (const { user, memberships } of farmers) {
        const holds = memberships.some(
          (m) => m.role === 'farmer' && m.villageId === village.id && m.siteIds.includes(a.siteId),
        );
        if (!holds) continue;
        const channel = user.phone ? 'whatsapp' : 'log';
        const recipient = user.phone ?? user.username;
        const key = `${recipient}\u0000${subject}`;
        if (sent.has(key)) continue;
        const message: AlertMessage = {
          villageId: village.id,
          siteId: a.siteId,
          userId: user.id,
          channel,
          recipient,
          subject,
          body: alertBody(a),
        };
        await this.o.notifier.send({ channel, recipient, subject, body: message.body });
        sent.add(key);
        out.push(message);
      }
    }
    if (out.length) this.o.logger.info({ villageId: village.id, messages: out.length }, 'agro alerts sent');
    return out;
  }
}
