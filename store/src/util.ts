import type { SeriesKey, StoredReading } from './port.ts';

/** Order of series in listSeries/latest results: village, device, metric. */
export const bySeries = (a: SeriesKey, b: SeriesKey): number =>
  a.villageId.localeCompare(b.villageId) || a.deviceId.localeCompare(b.deviceId) || a.metric.localeCompare(b.metric);

/** Rejects a batch holding a reading with a non-integer ts or a non-finite value (the first bad one is named). */
export function checkReadings(readings: readonly StoredReading[]): void {
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i] as StoredReading;
    if (!Number.isFinite(r.value) || !Number.isSafeInteger(r.ts)) {
      throw new TypeError(`reading ${i}: ts must be an integer (epoch ms) and value finite`);
    }
  }
}

/**
 * Runs tasks one at a time, in the order they were given. A task starts when the previous one has settled,
 * whether it resolved or rejected: a failed task does not block the ones after it.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(fn, fn);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every task given so far has settled (never rejects). */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
