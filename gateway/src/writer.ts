import type { StoredReading, TimeSeriesStore, WriteResult } from '@lumbung/store';

export interface WriterOptions {
  /** Readings gathered into one store.write(); a single larger entry is written whole. */
  maxReadings: number;
  /** How long an idle writer waits for more entries before writing; 0 = as soon as the store is idle. */
  maxDelayMs: number;
  /** Retries of a failed write before its entries are given up (rejected). */
  retries: number;
  /** First retry delay; doubles each time, capped at 5 s. */
  backoffMs?: number;
}

export interface WriteGroup<T> {
  entries: T[];
  readings: number;
  result: WriteResult;
  durationMs: number;
}

export interface WriterHooks<T> {
  /** Called synchronously after a write resolved, before any entry's promise resolves (e.g. record the ledger). */
  committed?: (group: WriteGroup<T>) => void;
  /** Called when `committed` threw; the entries are still resolved. */
  hookFailed?: (err: Error) => void;
  /** Called on every failed attempt. */
  failed?: (err: Error, attempt: number, willRetry: boolean) => void;
}

interface Pending<T> {
  entry: T;
  readings: readonly StoredReading[];
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Group commit: entries (the readings of one uplink batch each) wait together and go to the store in one write;
 * every entry's promise resolves only after that write resolved, i.e. after the readings are durable.
 * While a write is in flight new entries gather for the next one, so the write size grows with the load by itself.
 * A failed write is retried with backoff while its entries keep waiting; after `retries` the entries are rejected
 * (their edges resend later). Entries of later writes are unaffected.
 */
export class GroupCommitWriter<T> {
  #queue: Pending<T>[] = [];
  #queued = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing = false;
  #idle: (() => void)[] = [];
  #lastError: Error | undefined;

  constructor(
    private readonly store: TimeSeriesStore,
    private readonly opts: WriterOptions,
    private readonly hooks: WriterHooks<T> = {},
  ) {}

  /** Readings waiting for a write, including the write in flight. */
  get pendingReadings(): number {
    return this.#queued + this.#inFlight;
  }
  #inFlight = 0;

  /** The error of the last write attempt, cleared by a successful write. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  submit(entry: T, readings: readonly StoredReading[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ entry, readings, resolve, reject });
      this.#queued += readings.length;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#writing || this.#queue.length === 0) return;
    if (this.#queued >= this.opts.maxReadings) {
      this.#kick();
    } else if (this.#timer === undefined) {
      // setImmediate even at 0 ms, so batches that arrived in the same I/O phase share the write.
      this.#timer =
        this.opts.maxDelayMs > 0
          ? setTimeout(() => this.#kick(), this.opts.maxDelayMs)
          : (setImmediate(() => this.#kick()) as unknown as NodeJS.Timeout);
    }
  }

  #kick(): void {
    if (this.#timer !== undefined) {
      if (this.opts.maxDelayMs > 0) clearTimeout(this.#timer);
      else clearImmediate(this.#timer as unknown as NodeJS.Immediate);
      this.#timer = undefined;
    }
    if (this.#writing || this.#queue.length === 0) return;
    const group: Pending<T>[] = [];
    let n = 0;
    while (
      this.#queue.length > 0 &&
      (group.length === 0 || n + this.#queue[0]!.readings.length <= this.opts.maxReadings)
    ) {
      const p = this.#queue.shift()!;
      group.push(p);
      n += p.readings.length;
    }
    this.#queued -= n;
    this.#writing = true;
    this.#inFlight = n;
    void this.#write(group, n).finally(() => {
      this.#writing = false;
      this.#inFlight = 0;
      if (this.#queue.length > 0) this.#kick();
      else for (const f of this.#idle.splice(0)) f();
    });
  }

  async #write(group: Pending<T>[], n: number): Promise<void> {
    let rows: StoredReading[];
    if (group.length === 1) rows = group[0]!.readings as StoredReading[];
    else {
      rows = new Array(n);
      let k = 0;
      for (const p of group) for (const r of p.readings) rows[k++] = r;
    }
    const base = this.opts.backoffMs ?? 100;
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      try {
        const result = await this.store.write(rows);
        this.#lastError = undefined;
        const durationMs = performance.now() - t0;
        try {
          this.hooks.committed?.({ entries: group.map((p) => p.entry), readings: n, result, durationMs });
        } catch (hookErr) {
          // The readings are durable: a failing hook (the ledger) must not turn into a retry or a lost ack.
          this.hooks.hookFailed?.(hookErr as Error);
        }
        for (const p of group) p.resolve();
        return;
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        this.#lastError = e;
        const willRetry = attempt < this.opts.retries;
        this.hooks.failed?.(e, attempt + 1, willRetry);
        if (!willRetry) {
          for (const p of group) p.reject(e);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(base * 2 ** attempt, 5000)));
      }
    }
  }

  /** Resolves when every entry submitted so far has been written or given up. */
  drain(): Promise<void> {
    if (!this.#writing && this.#queue.length === 0) return Promise.resolve();
    const p = new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#kick();
    return p;
  }
}
