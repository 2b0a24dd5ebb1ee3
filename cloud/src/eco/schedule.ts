import type { Component, Logger } from '@lumbung/runtime';
import { localMidnight } from '@lumbung/schemas/time';
import { ApiFailure } from '../errors.ts';
import type { Registry } from '../registry/port.ts';
import { type EcoService, previousMonth } from './service.ts';

export interface CsrScheduleOptions {
  registry: Registry;
  service: EcoService;
  now?: () => number;
  logger?: Logger;
  /** How often to look, ms. Default one hour. */
  intervalMs?: number;
  /**
   * How long after a month ends its report waits, ms, so that a village box that was offline over the
   * month's last night has delivered its readings. Default 24 hours: a month's report comes on the 2nd.
   */
  delayMs?: number;
}

/** What one look did, per village. */
export interface CsrScheduleResult {
  made: { villageId: string; reportId: string; from: string; to: string }[];
  /** Villages whose report of that month exists already. */
  existing: string[];
  failed: { villageId: string; error: string }[];
}

const HOUR = 3_600_000;

/**
 * The monthly CSR report (issue 6): for every village whose eco settings name a CSR partner, the report of
 * the previous calendar month (the village's local time), once, with trigger `schedule`. It looks when it
 * starts and then every hour, so a cloud that was down on the 2nd catches up when it comes back. "Once"
 * is the store's: a village, period and trigger are unique, and a `conflict` means another look (or
 * another cloud process) made it. A month that already has a report of the village (one made by hand)
 * gets no second one.
 */
export class CsrReportSchedule implements Component {
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<CsrScheduleResult> | undefined;

  constructor(private readonly opts: CsrScheduleOptions) {
    this.#now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#look(), this.opts.intervalMs ?? HOUR);
    this.#timer.unref?.();
    // The first look runs in the background: a slow store must not hold up the cloud's start.
    void this.#look();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  /** Resolves when the look under way (if any) has finished, with what it did. */
  async idle(): Promise<CsrScheduleResult | undefined> {
    return this.#running;
  }

  /** One look, unless one is under way (then that one's result). */
  #look(): Promise<CsrScheduleResult> {
    if (this.#running) return this.#running;
    const run = this.check().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  /** Makes the reports that are due now. */
  async check(): Promise<CsrScheduleResult> {
    const { registry, service, logger } = this.opts;
    const now = this.#now();
    const result: CsrScheduleResult = { made: [], existing: [], failed: [] };
    let villages: Awaited<ReturnType<Registry['listVillages']>>;
    try {
      villages = await registry.listVillages();
    } catch (err) {
      logger?.warn({ err }, 'CSR schedule: cannot list villages');
      return result;
    }
    for (const village of villages) {
      try {
        const settings = await registry.eco.getEcoSettings(village.id);
        if (!settings?.csrPartnerName) continue;
        const month = previousMonth(now, village.timeZone);
        if (now < localMidnight(month.to, village.timeZone) + (this.opts.delayMs ?? 24 * HOUR)) continue;
        const reports = await registry.eco.listCsrReports(village.id);
        const has = reports.some(
          (r) =>
            r.from === month.from && r.to === month.to && r.villageIds.length === 1 && r.villageIds[0] === village.id,
        );
        if (has) {
          result.existing.push(village.id);
          continue;
        }
        const made = await service.createReport(village.id, month, { trigger: 'schedule', by: 'jadwal' });
        result.made.push({ villageId: village.id, reportId: made.id, ...month });
        logger?.info({ villageId: village.id, reportId: made.id, ...month }, 'CSR report of the month made');
      } catch (err) {
        if (err instanceof ApiFailure && err.code === 'LUMBUNG_ERR_REPORT_EXISTS') {
          result.existing.push(village.id);
          continue;
        }
        // One village's trouble (its store series, a bad record) must not stop the others' reports.
        result.failed.push({ villageId: village.id, error: (err as Error).message });
        logger?.error({ err, villageId: village.id }, 'CSR report of the month failed; retried in an hour');
      }
    }
    return result;
  }
}
