/**
 * The keys of recently stored readings, bounded: the oldest key is forgotten first. Keys are
 * `village \0 device \0 metric \0 ts`, the store's own identity of a sample, so a hit is exactly a duplicate.
 */
export class RecentWindow {
  readonly #keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    if (this.capacity <= 0 || this.#keys.has(key)) return;
    this.#keys.add(key);
    if (this.#keys.size > this.capacity) {
      // Sets iterate in insertion order: the first key is the oldest.
      const oldest = this.#keys.values().next().value as string;
      this.#keys.delete(oldest);
    }
  }

  get size(): number {
    return this.#keys.size;
  }

  clear(): void {
    this.#keys.clear();
  }
}

export const readingKey = (villageId: string, deviceId: string, metric: string, ts: number): string =>
  `${villageId}\0${deviceId}\0${metric}\0${ts}`;
