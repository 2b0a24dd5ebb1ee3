import { ApiFailure } from '../errors.ts';

/**
 * Token buckets per key (an address, a user, a phone number): `capacity` requests at once, refilled at
 * `refillPerSecond`. In memory, so per process: enough for one cloud process; several processes behind a
 * balancer each limit on their own (documented in docs/security.md).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly o: { capacity: number; refillPerSecond: number; now?: () => number; maxKeys?: number },
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else the seconds until a token is back. */
  take(key: string, cost = 1): number {
    const now = this.o.now?.() ?? Date.now();
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= (this.o.maxKeys ?? 100_000)) this.#sweep(now);
      b = { tokens: this.o.capacity, at: now };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(this.o.capacity, b.tokens + ((now - b.at) / 1000) * this.o.refillPerSecond);
    b.at = now;
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return 0;
    }
    return Math.ceil((cost - b.tokens) / this.o.refillPerSecond);
  }

  /** Takes one token for `key`, or refuses with 429 `LUMBUNG_ERR_RATE_LIMITED` saying when to retry. */
  enforce(key: string, cost = 1): void {
    const wait = this.take(key, cost);
    if (wait > 0) throw new ApiFailure('LUMBUNG_ERR_RATE_LIMITED', {}, { retryAfterSeconds: wait });
  }

  /** Drops buckets that are full again (they carry no state); a flood of new keys cannot grow the map forever. */
  #sweep(now: number): void {
    for (const [k, b] of this.#buckets)
      if (b.tokens + ((now - b.at) / 1000) * this.o.refillPerSecond >= this.o.capacity) this.#buckets.delete(k);
    if (this.#buckets.size >= (this.o.maxKeys ?? 100_000)) this.#buckets.clear();
  }
}
